"""GeoParquet 1.1.0 export: metadata by the specification, WKB = GeoJSON, properties kept."""

from __future__ import annotations

import io
import json
import re
import struct
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from freighthub.cli import main
from freighthub.model.network import Network
from freighthub.network.geojson import network_geojson
from freighthub.network.geoparquet import geoparquet_bytes

# GeoParquet 1.1.0 JSON Schema (format-specs/schema.json): the allowed geometry type names
GEOMETRY_TYPE = re.compile(r"^(GeometryCollection|(Multi)?(Point|LineString|Polygon))( Z)?$")
# ISO WKB geometry type codes (OGC Simple Features, part 1, 8.2.3)
WKB_CODE = {"Point": 1, "LineString": 2, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5}


def _wkb_type(wkb: bytes) -> int:
    """The geometry type code of a WKB value, read from its header (no shapely)."""
    order = "<" if wkb[0] == 1 else ">"
    return int(struct.unpack(order + "I", wkb[1:5])[0])


def assert_geoparquet_matches(data: bytes, collection: dict[str, Any]) -> pa.Table:
    """``data`` is GeoParquet 1.x holding exactly ``collection``'s features, in order."""
    table = pq.read_table(io.BytesIO(data))
    meta = table.schema.metadata
    assert b"geo" in meta
    geo = json.loads(meta[b"geo"])
    # file metadata: version, primary_column and columns are REQUIRED
    assert re.fullmatch(r"1\.[01]\.0", geo["version"])
    primary = geo["primary_column"]
    assert primary in geo["columns"] and primary == "geometry"
    col = geo["columns"][primary]
    assert col["encoding"] == "WKB"
    # the geometry column is at the root, BYTE_ARRAY (Arrow binary), not repeated
    assert pa.types.is_binary(table.schema.field(primary).type)
    parquet_type = pq.ParquetFile(io.BytesIO(data)).schema.column(
        table.schema.get_field_index(primary)
    )
    assert parquet_type.physical_type == "BYTE_ARRAY" and parquet_type.max_repetition_level == 0
    features = collection["features"]
    types = {f["geometry"]["type"] for f in features if f["geometry"] is not None}
    assert all(GEOMETRY_TYPE.match(t) for t in col["geometry_types"])
    assert set(col["geometry_types"]) == types
    # crs omitted: the coordinates are OGC:CRS84 (lon, lat), as in RFC 7946 GeoJSON
    assert "crs" not in col
    rows = table.to_pylist()
    assert len(rows) == len(features)
    xmin, ymin, xmax, ymax = col["bbox"]
    for row, f in zip(rows, features, strict=True):
        wkb = row.pop(primary)
        geometry = f["geometry"]
        assert _wkb_type(wkb) == WKB_CODE[geometry["type"]]
        decoded = shapely.geometry.mapping(shapely.from_wkb(wkb))
        coords = geometry["coordinates"]
        assert json.loads(json.dumps(decoded["coordinates"])) == coords  # tuples -> lists
        flat = [coords] if geometry["type"] == "Point" else coords
        for lon, lat in flat:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert xmin <= lon <= xmax and ymin <= lat <= ymax
        expected = {name: f["properties"].get(name) for name in row}
        assert row == expected
        assert set(f["properties"]) <= set(row)
    return table


def test_the_network_as_geoparquet_matches_its_geojson(shipped: Network) -> None:
    collection = network_geojson(shipped)
    table = assert_geoparquet_matches(geoparquet_bytes(collection), collection)
    assert table.num_rows == len(shipped.nodes) + len(shipped.links)
    assert pa.types.is_floating(table.schema.field("length_km").type)


def test_cli_export_geoparquet(
    tmp_path: Path, shipped: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "net.parquet"
    args = ["network", "export", "--format", "geoparquet", "--out", str(target)]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0 and "wrote" in capsys.readouterr().out
    assert_geoparquet_matches(target.read_bytes(), network_geojson(shipped))
    with pytest.raises(SystemExit) as exc:  # an existing file is never overwritten silently
        main(args)
    assert exc.value.code == 2
    assert "--force" in capsys.readouterr().err


def _feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_mixed_properties_lists_null_geometry_and_collection_members() -> None:
    collection = {
        "type": "FeatureCollection",
        "freighthub": {"scenario": "s", "seed": 7},
        "features": [
            _feature(
                {"type": "Point", "coordinates": [106.5, 29.5]}, id="a", code=1, ci=[1.0, 2.0]
            ),
            _feature(
                {"type": "LineString", "coordinates": [[106.5, 29.5], [121.5, 31.2]]},
                id="b",
                code="x",
                ci=[None, None],
            ),
            _feature(None, id="c"),
        ],
    }
    for feature in collection["features"]:  # a property with no value anywhere
        feature["properties"]["empty"] = None
    table = pq.read_table(io.BytesIO(geoparquet_bytes(collection)))
    rows = table.to_pylist()
    # typed float64 (all null), not Arrow's null type that GIS readers may skip
    assert str(table.schema.field("empty").type) == "double"
    assert [r["empty"] for r in rows] == [None, None, None]
    # no common type for code: JSON text, nothing dropped
    assert [r["code"] for r in rows] == ["1", '"x"', None]
    assert [r["ci"] for r in rows] == [[1.0, 2.0], [None, None], None]
    assert rows[2]["geometry"] is None
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["columns"]["geometry"]["geometry_types"] == ["LineString", "Point"]
    assert geo["columns"]["geometry"]["bbox"] == [106.5, 29.5, 121.5, 31.2]
    assert json.loads(table.schema.metadata[b"freighthub"]) == {"scenario": "s", "seed": 7}


def test_a_property_named_geometry_is_refused() -> None:
    collection = {
        "features": [{"type": "Feature", "geometry": None, "properties": {"geometry": 1}}]
    }
    with pytest.raises(ValueError, match="geometry"):
        geoparquet_bytes(collection)


def test_the_same_collection_gives_the_same_bytes(shipped: Network) -> None:
    collection = network_geojson(shipped)
    assert geoparquet_bytes(collection) == geoparquet_bytes(network_geojson(shipped))
