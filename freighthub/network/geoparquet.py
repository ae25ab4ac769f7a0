"""GeoParquet (version 1.1.0) from a GeoJSON FeatureCollection, for QGIS, GDAL and geopandas.

One row per feature: one column per property (in order of first appearance; a property
a feature lacks is null; a list such as a ``_ci95`` interval is a Parquet list) and the
geometry as ISO WKB in the ``geometry`` column (shapely writes it). The file metadata's
``geo`` key holds the GeoParquet metadata (the specification's required ``version``,
``primary_column`` and, for the geometry column, ``encoding = "WKB"`` and
``geometry_types``; and its optional ``bbox``). ``crs`` is omitted: the specification
then defines the coordinates as OGC:CRS84 (WGS84 longitude, latitude), which is what
RFC 7946 GeoJSON holds. The collection's other top-level members (the simulation's
``freighthub`` record) go into the file metadata under their own key, as JSON.

A property whose values have no common Arrow type (say a number in one feature, text in
another) is written as JSON text, so nothing is dropped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["GEOMETRY_COLUMN", "GEOPARQUET_VERSION", "geoparquet_bytes", "geoparquet_table"]

#: The GeoParquet specification version written (opengeospatial/geoparquet, v1.1.0).
GEOPARQUET_VERSION = "1.1.0"
#: The name of the (primary and only) geometry column.
GEOMETRY_COLUMN = "geometry"


def _column(values: list[Any]) -> pa.Array:
    if all(v is None for v in values):  # Arrow's null type, which GIS readers may skip
        return pa.array(values, type=pa.float64())
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values])


def _bbox(bounds: Iterable[tuple[float, float, float, float]]) -> list[float] | None:
    boxes = [b for b in bounds if all(math.isfinite(x) for x in b)]
    if not boxes:
        return None
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


def geoparquet_table(collection: Mapping[str, Any]) -> pa.Table:
    """The FeatureCollection as an Arrow table with GeoParquet ``geo`` metadata.

    Raises
    ------
    ValueError
        If a feature has a property named ``geometry`` (the geometry column's name).
    """
    import shapely  # imported here: about 0.1 s, needed only when a file is written
    from shapely.geometry import shape

    features = list(collection.get("features", ()))
    names: dict[str, None] = {}
    for f in features:
        for key in f.get("properties") or {}:
            if key == GEOMETRY_COLUMN:
                raise ValueError(f"feature {f.get('id')!r}: a property may not be named 'geometry'")
            names.setdefault(key, None)
    geometries = [None if f.get("geometry") is None else shape(f["geometry"]) for f in features]
    wkb = [None if g is None else shapely.to_wkb(g, flavor="iso") for g in geometries]
    columns = {
        name: _column([(f.get("properties") or {}).get(name) for f in features]) for name in names
    }
    columns[GEOMETRY_COLUMN] = pa.array(wkb, type=pa.binary())
    present = [g for g in geometries if g is not None]
    column_meta: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": sorted({g.geom_type for g in present}),
    }
    bbox = _bbox(tuple(g.bounds) for g in present)
    if bbox is not None:
        column_meta["bbox"] = bbox
    geo = {
        "version": GEOPARQUET_VERSION,
        "primary_column": GEOMETRY_COLUMN,
        "columns": {GEOMETRY_COLUMN: column_meta},
    }
    metadata = {b"geo": json.dumps(geo).encode()}
    for key, value in collection.items():
        if key not in ("type", "features"):
            metadata[key.encode()] = json.dumps(value, ensure_ascii=False).encode()
    return pa.table(columns).replace_schema_metadata(metadata)


def geoparquet_bytes(collection: Mapping[str, Any]) -> bytes:
    """:func:`geoparquet_table` as the bytes of a Parquet file."""
    sink = pa.BufferOutputStream()
    pq.write_table(geoparquet_table(collection), sink)
    return bytes(sink.getvalue().to_pybytes())
