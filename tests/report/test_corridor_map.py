"""Report map corridors follow the shipped network where it has a path (issue #14)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from freighthub.geo import distance_between_km
from freighthub.model.network import load_shipped_network
from freighthub.model.paths import data_dir
from freighthub.network.routing import shortest_route
from freighthub.report.content import Contribution, HubMap, MapLine
from freighthub.report.i18n import translations
from freighthub.report.inputs import gather_inputs
from freighthub.report.localise import Localiser
from freighthub.report.sections.hubs import build_hubs
from freighthub.report.spec import load_report_spec
from freighthub.report.svg import map_svg
from freighthub.vocabulary import Mode

SPEC = """
name = "corridors"
hubs = "{hubs}"
hub_ids = ["chongqing-guoyuan", "wuhan-yangluo", "shanghai-yangshan", "rotterdam"]
[title]
en = "Corridors"
zh = "通道"
[[map.corridors]]
from = "chongqing-guoyuan"
to = "wuhan-yangluo"
mode = "inland_waterway"
[[map.corridors]]
from = "shanghai-yangshan"
to = "rotterdam"
mode = "inland_waterway"
"""


@pytest.fixture()
def contribution(tmp_path: Path) -> Contribution:
    path = tmp_path / "corridors.toml"
    path.write_text(SPEC.format(hubs=data_dir("hubs").as_posix()), encoding="utf-8")
    spec, spec_path = load_report_spec(path)
    return build_hubs(gather_inputs(spec, spec_path))


def _lines(contribution: Contribution) -> tuple[MapLine, ...]:
    (hub_map,) = [b for b in contribution.section.blocks if isinstance(b, HubMap)]
    return hub_map.lines


def test_a_waterway_corridor_follows_the_river_with_its_network_length(
    contribution: Contribution,
) -> None:
    river, _ = _lines(contribution)
    network = load_shipped_network()
    route = shortest_route(network, "chongqing-guoyuan", "wuhan-yangluo", Mode.INLAND_WATERWAY)
    assert river.distance.value == pytest.approx(route.distance_km)
    geodesic = distance_between_km(
        network.nodes["chongqing-guoyuan"], network.nodes["wuhan-yangluo"]
    )
    assert (
        river.distance.value > 1.2 * geodesic
    )  # the river bends: the 629 km was the crow's
    assert len(river.path) > 2
    assert river.path[0] == pytest.approx(
        (network.nodes["chongqing-guoyuan"].lon_deg, network.nodes["chongqing-guoyuan"].lat_deg)
    )
    assert river.path[-1] == pytest.approx(
        (network.nodes["wuhan-yangluo"].lon_deg, network.nodes["wuhan-yangluo"].lat_deg)
    )
    assert river.basis is not None and river.basis.key == "hubs.basis.network"
    # the network files the corridor walks are inputs of the report (hashed in its manifest)
    assert any(p.name == "yangtze-trunk.toml" for p in contribution.inputs)


def test_a_corridor_without_a_network_path_is_a_straight_geodesic_line(
    contribution: Contribution,
) -> None:
    _, sea = _lines(contribution)
    assert sea.path == ()
    assert sea.basis is not None and sea.basis.key == "hubs.basis.geodesic"
    assert sea.distance.value > 8000  # Shanghai-Rotterdam as the crow flies


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_map_draws_the_river_path_and_labels_the_basis(
    contribution: Contribution, lang: str
) -> None:
    (hub_map,) = [b for b in contribution.section.blocks if isinstance(b, HubMap)]
    block = Localiser(translations(lang)).block(hub_map)
    river, sea = block["lines"]
    assert len(river["path"]) > 2 and sea["path"] == []
    svg = ET.fromstring(str(map_svg(block)))
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert any(river["basis"] in t for t in titles)
    assert any(sea["basis"] in t for t in titles)
    corridor_paths = [
        p for p in svg.iterfind(".//s:path", ns) if p.get("stroke-linejoin") == "round"
    ]
    assert len(corridor_paths) == 1
    assert 2 < corridor_paths[0].get("d", "").count(",") <= len(river["path"])
