"""Routing: errors, k-shortest paths, and the properties every shortest path must have."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.errors import UnknownIdentifierError
from freighthub.geo import distance_between_km
from freighthub.model.hub import load_hubs
from freighthub.model.network import Network, load_network
from freighthub.model.paths import data_dir
from freighthub.network.routing import (
    NoRouteError,
    k_shortest_routes,
    mode_from_name,
    mode_graph,
    shortest_route,
)
from freighthub.vocabulary import Mode

_NETWORK = load_network(data_dir("networks"), load_hubs(data_dir("hubs")))
_PAIRS = [  # pairs joined by the mode (the Ruhr roads are a road network of their own)
    (mode, a, b)
    for mode in (Mode.INLAND_WATERWAY, Mode.RAIL, Mode.ROAD)
    for part in nx.connected_components(mode_graph(_NETWORK, mode))
    for a in sorted(part)
    for b in sorted(part)
    if a < b
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(pair=st.sampled_from(_PAIRS), k=st.integers(min_value=2, max_value=5))
def test_shortest_is_shortest_and_not_below_great_circle(
    pair: tuple[Mode, str, str], k: int
) -> None:
    mode, a, b = pair
    best = shortest_route(_NETWORK, a, b, mode)
    others = k_shortest_routes(_NETWORK, a, b, mode, k)
    # never longer than any other path found
    assert all(best.distance_km <= r.distance_km + 1e-9 for r in others)
    assert others[0].distance_km == pytest.approx(best.distance_km)
    # k-shortest come in order
    assert all(x.distance_km <= y.distance_km + 1e-9 for x, y in pairwise(others))
    # never shorter than the great-circle distance between its ends
    ends = _NETWORK.nodes[a], _NETWORK.nodes[b]
    assert best.distance_km >= distance_between_km(*ends)
    # symmetric (links are undirected)
    assert shortest_route(_NETWORK, b, a, mode).distance_km == pytest.approx(best.distance_km)


def test_every_link_not_shorter_than_its_great_circle(shipped: Network) -> None:
    for link in shipped.links.values():
        a, b = shipped.nodes[link.from_node], shipped.nodes[link.to_node]
        assert link.length_km.value >= distance_between_km(a, b), link.id


def test_no_path_for_mode(shipped: Network) -> None:
    with pytest.raises(
        NoRouteError,
        match=r"no inland_waterway path between 'alashankou' and 'shanghai-yangshan' "
        r"in the network: 'alashankou' has no inland_waterway link",
    ):
        shortest_route(shipped, "alashankou", "shanghai-yangshan", Mode.INLAND_WATERWAY)


def test_unknown_node(shipped: Network) -> None:
    with pytest.raises(UnknownIdentifierError, match=r"atlantis"):
        shortest_route(shipped, "atlantis", "khorgos", Mode.RAIL)


def test_disconnected_parts(shipped: Network) -> None:
    # rotterdam is a hub with no link at all
    with pytest.raises(NoRouteError, match=r"'rotterdam' has no rail link"):
        shortest_route(shipped, "rotterdam", "duisburg-duisport", Mode.RAIL)


def test_same_node(shipped: Network) -> None:
    with pytest.raises(NoRouteError, match=r"origin and destination are the same node"):
        shortest_route(shipped, "khorgos", "khorgos", Mode.RAIL)


def test_k_must_be_positive(shipped: Network) -> None:
    with pytest.raises(ValueError, match=r"k = 0: must be >= 1"):
        k_shortest_routes(shipped, "khorgos", "alashankou", Mode.RAIL, 0)


def test_mode_names() -> None:
    assert mode_from_name("iww") is Mode.INLAND_WATERWAY
    with pytest.raises(UnknownIdentifierError, match=r"barge"):
        mode_from_name("barge")


def test_route_json_shape(shipped: Network) -> None:
    doc = shortest_route(
        shipped, "chongqing-guoyuan", "wuhan-yangluo", Mode.INLAND_WATERWAY
    ).to_dict()
    assert {"from", "to", "mode", "distance_km", "path", "links"} <= set(doc)
    assert doc["path"][0] == "chongqing-guoyuan" and doc["path"][-1] == "wuhan-yangluo"
    assert len(doc["links"]) == len(doc["path"]) - 1
    assert doc["distance_km"] == pytest.approx(sum(x["length_km"] for x in doc["links"]))
    assert all({"id", "length_km", "source"} <= set(x) for x in doc["links"])


def test_distance_matrix_matches_shortest_route(shipped: Network) -> None:
    from freighthub.network.routing import network_distances_km

    ids = ["chongqing-tuanjiecun", "duisburg-duisport", "hamburg-port", "rotterdam"]
    matrix = network_distances_km(shipped, ids, Mode.RAIL)
    assert matrix["chongqing-tuanjiecun"]["chongqing-tuanjiecun"] == 0.0
    assert matrix["chongqing-tuanjiecun"]["duisburg-duisport"] == pytest.approx(
        shortest_route(shipped, "chongqing-tuanjiecun", "duisburg-duisport", Mode.RAIL).distance_km
    )
    assert "rotterdam" not in matrix["chongqing-tuanjiecun"]  # no rail link: no entry, not 0
    with pytest.raises(UnknownIdentifierError, match=r"atlantis"):
        network_distances_km(shipped, ["atlantis"], Mode.RAIL)


def test_route_via_passes_its_stops(shipped: Network) -> None:
    from freighthub.network.routing import route_via

    a, b = "zhengzhou-international-land-port", "hamburg-port"
    free = shortest_route(shipped, a, b, Mode.RAIL)
    via = route_via(shipped, [a, "alashankou", b], Mode.RAIL)
    assert "alashankou" in via.path and via.distance_km >= free.distance_km
    assert via.distance_km == pytest.approx(sum(link.length_km.value for link in via.links))
    with pytest.raises(ValueError, match=r"give at least an origin and a destination"):
        route_via(shipped, [a], Mode.RAIL)


def test_all_four_border_crossings_reach_europe(shipped: Network) -> None:
    from freighthub.network.routing import route_via

    for border in ("alashankou", "khorgos", "erenhot", "manzhouli"):
        r = route_via(
            shipped, ["zhengzhou-international-land-port", border, "duisburg-duisport"], Mode.RAIL
        )
        assert "brest" in r.path and "malaszewicze" in r.path, border


def test_mode_chain_transfers_only_at_hubs_serving_both(shipped: Network) -> None:
    from freighthub.network.routing import multimodal_route

    legs = multimodal_route(
        shipped,
        "chengdu-international-railway-port",
        "shanghai-waigaoqiao",
        [Mode.RAIL, Mode.INLAND_WATERWAY],
    )
    assert [leg.mode for leg in legs] == [Mode.RAIL, Mode.INLAND_WATERWAY]
    transfer = shipped.nodes[legs[0].to_node]
    assert legs[1].from_node == transfer.id
    assert {Mode.RAIL, Mode.INLAND_WATERWAY} <= set(transfer.modes)
    assert all(len(leg.links) >= 1 for leg in legs)
    # the chain is never shorter than the best single-mode path it could replace
    total = sum(leg.distance_km for leg in legs)
    assert total >= distance_between_km(
        *(shipped.nodes[n] for n in (legs[0].from_node, legs[1].to_node))
    )


def test_mode_chain_errors(shipped: Network) -> None:
    from freighthub.network.routing import multimodal_route

    with pytest.raises(ValueError, match=r"the same mode twice in a row"):
        multimodal_route(shipped, "khorgos", "alashankou", [Mode.RAIL, Mode.RAIL])
    with pytest.raises(ValueError, match=r"give at least one mode"):
        multimodal_route(shipped, "khorgos", "alashankou", [])
    # Alashankou serves road and rail but has no waterway: no rail+iww chain from it
    with pytest.raises(NoRouteError, match=r"no rail\+inland_waterway chain"):
        multimodal_route(
            shipped, "alashankou", "duisburg-duisport", [Mode.RAIL, Mode.INLAND_WATERWAY]
        )
