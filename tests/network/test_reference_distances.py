"""Published distances reproduced by the shipped network.

The published figures and their sources live in the network files as ``[[reference]]``
entries (``networks/*.toml``), each with its tolerance and the reason for it; these
tests read them there. Issue #14 sets the two headline tolerances: Chongqing-Shanghai
on the Yangtze within 2 % of the published waterway distance, Chongqing Tuanjiecun-
Duisburg by rail within 5 % of the published route length.
"""

from __future__ import annotations

import pytest

from freighthub.model.hub import load_hubs
from freighthub.model.network import Network, ReferenceDistance, load_network
from freighthub.model.paths import data_dir
from freighthub.network.routing import route_via, shortest_route

_NETWORK = load_network(data_dir("networks"), load_hubs(data_dir("hubs")))


@pytest.mark.parametrize("ref", _NETWORK.references, ids=lambda r: r.id)
def test_reference_distance_reproduced(ref: ReferenceDistance) -> None:
    route = route_via(_NETWORK, [ref.from_node, *ref.via, ref.to_node], ref.mode)
    assert set(ref.via) <= set(route.path)
    published = ref.distance_km.value
    assert route.distance_km == pytest.approx(published, rel=ref.tolerance_share), (
        f"{ref.id}: network {route.distance_km:.0f} km vs published {published:.0f} km "
        f"({ref.distance_km.source})"
    )


def test_headline_references_present_with_issue_tolerances(shipped: Network) -> None:
    by_id = {r.id: r for r in shipped.references}
    assert by_id["chongqing-shanghai-yangtze"].tolerance_share <= 0.02
    assert by_id["chongqing-shanghai-yangtze"].distance_km.value == pytest.approx(2411)
    assert by_id["tuanjiecun-duisburg-rail"].tolerance_share <= 0.05
    assert by_id["tuanjiecun-duisburg-rail"].distance_km.value == pytest.approx(11179)
    assert len(shipped.references) >= 4  # two headline figures and at least two more
    for ref in shipped.references:
        assert ref.distance_km.is_sourced


def test_shanghai_route_passes_both_yangtze_locks(shipped: Network) -> None:
    from freighthub.vocabulary import Mode

    route = shortest_route(
        shipped, "chongqing-guoyuan", "shanghai-waigaoqiao", Mode.INLAND_WATERWAY
    )
    assert route.path.index("three-gorges-locks") < route.path.index("gezhouba-locks")
    assert route.distance_km == pytest.approx(sum(link.length_km.value for link in route.links))
    # 1,441 km is the geodesic between the two hubs that issue #14 found in the README
    assert route.distance_km > 1.5 * 1441


def test_china_europe_route_crosses_at_alashankou_and_brest(shipped: Network) -> None:
    from freighthub.vocabulary import Mode

    route = shortest_route(shipped, "chongqing-tuanjiecun", "duisburg-duisport", Mode.RAIL)
    assert {"alashankou", "brest", "malaszewicze"} <= set(route.path)
