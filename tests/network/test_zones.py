"""A scenario's zones as nodes of the road network (``[zone_access]``, network.zones)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from freighthub.cli import main
from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km
from freighthub.model.hub import Hub
from freighthub.model.network import Network, NodeKind, load_network
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.network.routing import (
    k_shortest_routes,
    mode_graph,
    multimodal_route,
    shortest_route,
)
from freighthub.network.zones import with_zones
from freighthub.vocabulary import Mode

BASELINE = data_dir("scenarios") / "yangtze-baseline.toml"


def _zones() -> list[tuple[str, float, float]]:
    s = load_scenario(BASELINE).scenario
    return [(z.id, z.lon_deg, z.lat_deg) for z in s.zones]


@pytest.fixture(scope="module")
def zoned(shipped: Network) -> Network:
    return with_zones(shipped, _zones())


def test_a_zone_is_joined_to_every_road_node_within_the_limit(
    shipped: Network, zoned: Network
) -> None:
    access = shipped.zone_access
    assert access is not None and access.circuity_factor.value == 1.3
    limit = access.max_geodesic_km.value
    road = {n for link in shipped.links_of(Mode.ROAD) for n in (link.from_node, link.to_node)}
    for zone_id, lon, lat in _zones():
        assert zoned.nodes[zone_id].kind is NodeKind.ZONE
        links = [x for x in zoned.links.values() if x.from_node == zone_id]
        expected = {
            n
            for n in road
            if geodesic_distance_km(lon, lat, shipped.nodes[n].lon_deg, shipped.nodes[n].lat_deg)
            <= limit
        }
        assert {x.to_node for x in links} == expected and expected
        for x in links:  # closed form: geodesic x factor, with the factor's label
            node = shipped.nodes[x.to_node]
            geodesic = geodesic_distance_km(lon, lat, node.lon_deg, node.lat_deg)
            assert x.length_km.value == pytest.approx(geodesic * 1.3)
            assert x.length_km.confidence is access.circuity_factor.confidence
            assert "Wang" in x.source and x.mode is Mode.ROAD


def test_no_zone_access_rule_leaves_the_network_as_it_is(hubs: dict[str, Hub]) -> None:
    waterway = load_network(data_dir("networks") / "yangtze-trunk.toml", hubs)
    assert waterway.zone_access is None
    assert with_zones(waterway, _zones()) is waterway


def test_a_route_from_a_zone_is_an_access_link_plus_a_shortest_hub_path(
    zoned: Network,
) -> None:
    hubs = sorted({n for x in zoned.links_of(Mode.ROAD) for n in (x.from_node, x.to_node)})
    zones = {z for z, _, _ in _zones()}
    graph = mode_graph(zoned, Mode.ROAD)
    for zone_id, _, _ in _zones():
        # every road node in the zone's part of the road network (the Ruhr roads of
        # networks/de-ruhr-roads.toml are a part of their own)
        reachable = nx.node_connected_component(graph, zone_id)
        assert {"shanghai-yangshan", "chongqing-guoyuan"} <= reachable
        for hub in (h for h in hubs if h not in zones and h in reachable):
            route = shortest_route(zoned, zone_id, hub, Mode.ROAD)
            first = route.links[0]
            assert first.from_node == zone_id or first.to_node == zone_id
            rest = route.distance_km - first.length_km.value
            if route.path[1] != hub:
                assert rest == pytest.approx(
                    shortest_route(zoned, route.path[1], hub, Mode.ROAD).distance_km
                )
            # never through another zone, never shorter than the crow flies
            assert not zones.intersection(route.path[1:-1])
            a, b = zoned.nodes[zone_id], zoned.nodes[hub]
            crow = geodesic_distance_km(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)
            assert route.distance_km >= crow


def test_zone_to_zone_paths_never_pass_another_zone(zoned: Network) -> None:
    zones = [z for z, _, _ in _zones()]
    for a, b in itertools.combinations(zones, 2):
        for route in k_shortest_routes(zoned, a, b, Mode.ROAD, 3):
            assert not set(zones).intersection(route.path[1:-1])
    chain = [Mode.ROAD, Mode.INLAND_WATERWAY]
    legs = multimodal_route(zoned, "wuhan-edz", "shanghai-yangshan", chain)
    assert legs[0].path[0] == "wuhan-edz" and legs[1].to_node == "shanghai-yangshan"
    assert not set(zones).intersection(n for leg in legs for n in leg.path[1:])


def test_shipped_first_miles_keep_their_geodesic_times_factor_length() -> None:
    loaded = load_scenario(BASELINE)
    where = {z.id: (z.lon_deg, z.lat_deg) for z in loaded.scenario.zones}
    where.update({h: (x.lon_deg, x.lat_deg) for h, x in loaded.hubs.items()})
    for link in loaded.scenario.road_links:
        assert link.distance_km is not None and link.network_route is None
        crow = geodesic_distance_km(*where[link.from_], *where[link.to])
        if crow < 60:  # a zone and the hub next door: the access link alone
            assert link.distance_km.value == pytest.approx(crow * 1.3)
        else:  # a long road leg: access link + expressways, never below the crow
            assert link.distance_km.value > crow
            assert "network route" in (link.distance_km.source or "")


_NET = """id = "net"
[zone_access]
circuity_factor = {{ value = {factor}, source = "s", confidence = "secondary" }}
max_geodesic_km = {{ value = 60, source = "s", confidence = "assumption" }}
[[link]]
id = "road-a-b"
mode = "road"
from = "chongqing-guoyuan"
to = "wuhan-yangluo"
length_km = {{ value = 1000, source = "s", confidence = "assumption" }}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_NET.format(factor=0.5), "zone_access.circuity_factor = 0.5: must be >= 1"),
        (_NET.format(factor="nan"), "zone_access.circuity_factor = nan"),
        (
            _NET.format(factor=1.3).replace(', source = "s", confidence = "secondary"', "", 1),
            "zone_access.circuity_factor",
        ),
        (
            _NET.format(factor=1.3).replace("max_geodesic_km = { value = 60", "x = { value = 1"),
            "zone_access",
        ),
    ],
)
def test_bad_zone_access_is_one_line_exit_2(
    text: str,
    message: str,
    write_network: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = write_network(text)
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", str(folder)])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2
    assert len(err.splitlines()) == 1 and "net.toml" in err and message in err


def test_zone_access_in_two_files_is_refused(
    write_network: Callable[[str], Path], hubs: dict[str, Hub]
) -> None:
    folder = write_network(_NET.format(factor=1.3))
    second = _NET.format(factor=1.2).replace('id = "net"', 'id = "net2"').replace("road-a-b", "r2")
    (folder / "net2.toml").write_text(second, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"zone_access = 1.2: zone_access is already given"):
        load_network(folder, hubs)


def test_cli_route_from_a_zone_with_its_scenario(
    zoned: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    args = ["network", "route", "wuhan-edz", "shanghai-yangshan", "--mode", "road"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--scenario", str(BASELINE), "--json"])
    assert exc.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    expected = shortest_route(zoned, "wuhan-edz", "shanghai-yangshan", Mode.ROAD)
    assert doc["path"] == list(expected.path) and doc["path"][0] == "wuhan-edz"
    assert doc["distance_km"] == pytest.approx(expected.distance_km)
    assert doc["distance_km"] == pytest.approx(sum(x["length_km"] for x in doc["links"]))
    # the scenario's own road link runs on exactly this length
    link = next(x for x in load_scenario(BASELINE).scenario.road_links if x.id == "wuhan-yangshan")
    assert link.distance_km is not None
    assert link.distance_km.value == pytest.approx(doc["distance_km"])
    with pytest.raises(SystemExit) as exc:  # without the scenario a zone is no node
        main(args)
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and len(err.splitlines()) == 1 and "'wuhan-edz'" in err
