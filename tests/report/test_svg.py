"""Charts and the hub map as SVG: well-formed, escaped, points inside the frame."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.report.svg import WIDTH, bar_chart_svg, map_svg, stacked_bar_chart_svg

NS = "{http://www.w3.org/2000/svg}"


def _q(value: float, text: str | None = None) -> dict[str, Any]:
    return {
        "kind": "quantity",
        "value": value,
        "unit": "",
        "shown": value,
        "text": text or f"{value:g}",
    }


def _map(points: list[tuple[float, float]], names: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "map",
        "id": "m",
        "caption": "map",
        "scale_unit": "km",
        "points": [
            {
                "id": f"h{i}",
                "name": (names or [f"hub {i}"] * len(points))[i],
                "lon_deg": lon,
                "lat_deg": lat,
            }
            for i, (lon, lat) in enumerate(points)
        ],
        "lines": [
            {
                "from": "h0",
                "to": f"h{len(points) - 1}",
                "mode": "rail",
                "mode_label": "rail",
                "distance": _q(1.0, "1 km"),
            }
        ],
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-170, 170), st.floats(-70, 70)), min_size=1, max_size=8))
def test_map_points_lie_inside_the_drawing(points: list[tuple[float, float]]) -> None:
    svg = ET.fromstring(str(map_svg(_map(points))))
    height = float(svg.attrib["height"])
    circles = svg.findall(f".//{NS}circle")
    assert len(circles) == len(points)
    for c in circles:
        assert 0.0 <= float(c.attrib["cx"]) <= WIDTH
        assert 0.0 <= float(c.attrib["cy"]) <= height


def test_map_keeps_east_to_the_right_and_north_up() -> None:
    svg = ET.fromstring(str(map_svg(_map([(106.5, 29.6), (121.5, 31.2)]))))
    (west, east) = svg.findall(f".//{NS}circle")
    assert float(west.attrib["cx"]) < float(east.attrib["cx"])
    assert float(west.attrib["cy"]) > float(east.attrib["cy"])  # Shanghai is further north


def test_map_draws_province_borders_inside_china() -> None:
    """Issue #14: the hub map's basemap has the province layer (Natural Earth admin-1),
    clipped to the plot like the other layers; the map spans Chongqing-Shanghai, so its
    province lines are China's."""
    svg = ET.fromstring(str(map_svg(_map([(106.5, 29.6), (121.5, 31.2)]))))
    groups = {g.get("id"): g for g in svg.iter(f"{NS}g")}
    provinces = groups["map-provinces"]
    assert len(provinces.findall(f"{NS}path")) > 0
    assert provinces.get("clip-path") == groups["map-rivers"].get("clip-path") is not None


def test_map_of_one_european_hub_draws_province_borders() -> None:
    """The smallest report map, one hub with the 1 deg minimum margin: at Duisburg it
    shows province borders too (North Rhine-Westphalia's, the Dutch provinces'), so the
    vendored Natural Earth subset covers Europe as well as China."""
    svg = ET.fromstring(str(map_svg(_map([(6.74, 51.45)]))))
    groups = {g.get("id"): g for g in svg.iter(f"{NS}g")}
    assert len(groups["map-provinces"].findall(f"{NS}path")) > 0


def test_map_escapes_names() -> None:
    name = '<script>alert("x")</script> & co'
    text = str(map_svg(_map([(114.0, 30.0)], [name])))
    assert "<script>" not in text
    svg = ET.fromstring(text)
    titles = [t.text for t in svg.iter(f"{NS}title")]
    assert f"1: {name}" in titles


def test_bar_chart_with_negative_values_and_intervals() -> None:
    block = {
        "caption": "c",
        "categories": ["a <b>", "c"],
        "values": [_q(-3.0), _q(5.0)],
        "low": [_q(-4.0), _q(4.0)],
        "high": [_q(-2.0), _q(6.5)],
    }
    svg = ET.fromstring(str(bar_chart_svg(block)))
    rects = svg.findall(f"{NS}rect")
    assert len(rects) == 2
    assert all(float(r.attrib["width"]) > 0 for r in rects)
    assert any("a <b>" in (t.text or "") for t in svg.iter(f"{NS}title"))


def test_stacked_bars_fill_the_plot_width() -> None:
    block = {
        "caption": "c",
        "categories": ["x", "y"],
        "series": ["rank 1", "rank 2"],
        "shares": [[_q(0.25), _q(0.75)], [_q(1.0), _q(0.0)]],
    }
    svg = ET.fromstring(str(stacked_bar_chart_svg(block)))
    widths = [float(r.attrib["width"]) for r in svg.findall(f"{NS}rect")[:4]]
    assert abs((widths[0] + widths[1]) - (widths[2] + widths[3])) < 0.2
