"""Regenerate freighthub's vendored province borders from Natural Earth's 1:10m shapefile.

Usage::

    python tools/make_province_lines.py PATH/ne_10m_admin_1_states_provinces_lines.shp \\
        --source-version TEXT [--bbox W S E N] [--tolerance-deg T] [--out FILE] [--force]

The input is Natural Earth's 1:10m ``ne_10m_admin_1_states_provinces_lines`` (public
domain, https://www.naturalearthdata.com/): only its ``.shp`` is read, with
:func:`freighthub.model.basemap.read_shapefile_polylines`. The output is the package data
file read by :func:`freighthub.model.basemap.read_province_lines`:

1. keep every line whose bounds reach into the box ``--bbox`` (whole lines, not cut at the
   box edge), default 25 W-145 E, 18-72 N: China (Hainan at 18 N), Mongolia, Central
   Asia, Russia west of 145 E and Europe (Iceland at 25 W, Nordkapp at 71 N). This box is
   a choice, not a datum: it holds the extent of every shipped network and hub with the
   maps' margins (a test checks this), and keeps the file small;
2. join lines that meet end to end (``shapely.line_merge``): the source splits the
   borders at every province junction, 27 000 parts for 5 600 lines in the default box;
3. simplify each line by Douglas-Peucker (``shapely.simplify``, ``preserve_topology``
   off) with tolerance ``--tolerance-deg``, default 0.005 deg (about 0.5 km, 0.06 mm at the
   source's 1:10 000 000 scale; less than 1.5 px on the smallest map freighthub draws: the
   report's map of a single hub, at least 2.3 deg of longitude across 600 px);
4. round to int32 in 1e-5 deg, drop repeated points, sort the lines, and write an
   ``.npz`` (``lon_lat_e5`` (n, 2) int32, ``line_ends`` int32, ``metadata`` a JSON text
   with the source, version, input SHA-256, box and tolerance) with fixed zip timestamps,
   so the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import shapely

from freighthub.atomic import write_bytes_atomic
from freighthub.errors import FreighthubError
from freighthub.model.basemap import (
    PROVINCE_LINES_FORMAT,
    default_province_lines_path,
    read_province_lines,
    read_shapefile_polylines,
)

DEFAULT_BBOX_DEG = (-25.0, 18.0, 145.0, 72.0)  # assumption: see the module docstring
DEFAULT_TOLERANCE_DEG = 0.005  # assumption: see the module docstring
_E5 = 1e5  # coordinates stored in 1e-5 deg
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, for reproducible bytes

SOURCE = {
    "title": "Natural Earth 1:10m Cultural Vectors, Admin 1 - States, Provinces: "
    "boundary lines (ne_10m_admin_1_states_provinces_lines)",
    "publisher": "Natural Earth, https://www.naturalearthdata.com/",
    "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/"
    "10m-admin-1-states-provinces/",
    "archive": "https://naturalearth.s3.amazonaws.com/10m_cultural/"
    "ne_10m_admin_1_states_provinces_lines.zip",
    "licence": "public domain (Natural Earth terms of use: "
    "https://www.naturalearthdata.com/about/terms-of-use/)",
}


def select_lines(
    parts: list[np.ndarray], bbox_deg: tuple[float, float, float, float]
) -> list[np.ndarray]:
    """The parts (of two points or more) whose bounds reach into ``bbox_deg`` (W, S, E, N)."""
    west, south, east, north = bbox_deg
    return [
        p
        for p in parts
        if len(p) >= 2
        and p[:, 0].max() >= west
        and p[:, 0].min() <= east
        and p[:, 1].max() >= south
        and p[:, 1].min() <= north
    ]


def merge_and_simplify(parts: list[np.ndarray], tolerance_deg: float) -> list[np.ndarray]:
    """Join lines that meet end to end, simplify them (Douglas-Peucker), round to 1e-5 deg.

    Returns int32 (n, 2) arrays in 1e-5 deg, n >= 2, no point repeating the previous one,
    sorted by their first point and length.
    """
    if not parts:
        return []
    merged = shapely.line_merge(shapely.multilinestrings([shapely.linestrings(p) for p in parts]))
    out: list[np.ndarray] = []
    for geom in shapely.get_parts(merged):
        simple = shapely.simplify(geom, tolerance_deg, preserve_topology=False)
        q = np.round(shapely.get_coordinates(simple) * _E5).astype(np.int32)
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)
        q = q[keep]
        if len(q) >= 2:
            out.append(q)
    out.sort(key=lambda q: (int(q[0, 0]), int(q[0, 1]), len(q), q.tobytes()))
    return out


def npz_bytes(lines: list[np.ndarray], metadata: dict[str, object]) -> bytes:
    """The ``.npz`` file (``lon_lat_e5``, ``line_ends``, ``metadata``), byte-reproducible."""
    arrays = {
        "lon_lat_e5": np.concatenate(lines).astype("<i4"),
        "line_ends": np.cumsum([len(q) for q in lines]).astype("<i4"),
        "metadata": np.array(json.dumps(metadata, indent=1, sort_keys=True)),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue(), compresslevel=9)
    return buffer.getvalue()


def build(
    shp: Path,
    source_version: str,
    bbox_deg: tuple[float, float, float, float],
    tolerance_deg: float,
) -> tuple[bytes, dict[str, object]]:
    """The output file's bytes and its metadata, from the shapefile ``shp``."""
    west, south, east, north = bbox_deg
    if not (-180.0 <= west < east <= 180.0 and -90.0 <= south < north <= 90.0):
        raise ValueError(f"--bbox {bbox_deg}: need -180 <= W < E <= 180, -90 <= S < N <= 90")
    if not tolerance_deg > 0.0:
        raise ValueError(f"--tolerance-deg {tolerance_deg}: must be > 0")
    parts = read_shapefile_polylines(shp)
    selected = select_lines(parts, bbox_deg)
    lines = merge_and_simplify(selected, tolerance_deg)
    if not lines:
        raise ValueError(f"{shp}: no line reaches into the box {bbox_deg}")
    metadata: dict[str, object] = {
        "format": PROVINCE_LINES_FORMAT,
        "source": {
            **SOURCE,
            "version": source_version,
            "input_file": shp.name,
            "input_sha256": hashlib.sha256(shp.read_bytes()).hexdigest(),
            "input_parts": len(parts),
            "input_points": int(sum(len(p) for p in parts)),
        },
        "processing": {
            "script": "tools/make_province_lines.py",
            "bbox_deg": list(bbox_deg),
            "bbox_rule": "lines whose bounds reach into the box, kept whole",
            "selected_parts": len(selected),
            "selected_points": int(sum(len(p) for p in selected)),
            "merge": "shapely.line_merge (lines that meet end to end joined)",
            "simplify": "Douglas-Peucker, shapely.simplify(preserve_topology=False)",
            "tolerance_deg": tolerance_deg,
            "coordinate_unit": "1e-5 deg (lon_deg, lat_deg, WGS84)",
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
        },
        "lines": len(lines),
        "points": int(sum(len(q) for q in lines)),
    }
    return npz_bytes(lines, metadata), metadata


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shp", type=Path, help="ne_10m_admin_1_states_provinces_lines.shp")
    parser.add_argument(
        "--source-version",
        required=True,
        help="the Natural Earth version of the input, as far as known (stored as given)",
    )
    parser.add_argument(
        "--bbox", type=float, nargs=4, metavar=("W", "S", "E", "N"), default=DEFAULT_BBOX_DEG
    )
    parser.add_argument("--tolerance-deg", type=float, default=DEFAULT_TOLERANCE_DEG)
    parser.add_argument("--out", type=Path, default=None, help="default: the package data file")
    parser.add_argument("--force", action="store_true", help="replace an existing output")
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_province_lines_path()
    try:
        data, meta = build(args.shp, args.source_version, tuple(args.bbox), args.tolerance_deg)
        write_bytes_atomic(out, data, overwrite=args.force)
        read_province_lines(out)  # the file reads back
    except (FreighthubError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    src, proc = meta["source"], meta["processing"]
    assert isinstance(src, dict) and isinstance(proc, dict)
    print(
        f"{out}: {len(data)} bytes; {meta['lines']} lines, {meta['points']} points "
        f"(input {src['input_parts']} parts, {src['input_points']} points; in the box "
        f"{proc['selected_parts']} parts, {proc['selected_points']} points)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
