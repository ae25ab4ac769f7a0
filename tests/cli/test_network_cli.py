"""``freighthub network``: route (table, --json, --k), show, validate, export; errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.model.network import load_shipped_network


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["network", "route", "chongqing-guoyuan", "shanghai-waigaoqiao", "--mode", "iww", "--json"],
        capsys,
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["from"] == "chongqing-guoyuan" and doc["to"] == "shanghai-waigaoqiao"
    assert doc["mode"] == "inland_waterway"
    assert doc["distance_km"] == pytest.approx(sum(x["length_km"] for x in doc["links"]))
    assert "three-gorges-locks" in doc["path"]
    assert all(x["source"] for x in doc["links"])


def test_route_table_names_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["network", "route", "chongqing-tuanjiecun", "duisburg-duisport", "--mode", "rail"], capsys
    )
    assert code == 0, err
    assert "by rail: 10,724.0 km" in out and "secondary" in out


def test_route_k(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["network", "route", "chongqing-tuanjiecun", "duisburg-duisport", "--k", "3", "--json"],
        capsys,
    )
    assert code == 0
    lengths = [r["distance_km"] for r in json.loads(out)]
    assert len(lengths) == 3 and lengths == sorted(lengths)


def test_route_no_path_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["network", "route", "alashankou", "shanghai-yangshan", "--mode", "iww"], capsys
    )
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0
    assert "no inland_waterway path between 'alashankou' and 'shanghai-yangshan'" in err


def test_route_bad_mode_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["network", "route", "khorgos", "alashankou", "--mode", "barge"], capsys)
    assert code == 2 and "barge" in err


def test_validate_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["network", "validate"], capsys)
    assert code == 0, err
    assert "valid" in out
    code, out, _ = run(["network", "show"], capsys)
    shipped = load_shipped_network()
    assert len(shipped.nodes) >= 49 and len(shipped.links) >= 78  # the shipped network grows
    assert code == 0 and f"Network: {len(shipped.nodes)} nodes, {len(shipped.links)} links" in out


def test_validate_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id = "bad"\n[[link]]\nid = "x"\nmode = "rail"\nfrom = "khorgos"\nto = "nowhere"\n'
        'length_km = { value = 5, source = "s", confidence = "assumption" }\n',
        encoding="utf-8",
    )
    code, _, err = run(["network", "validate", str(bad)], capsys)
    assert code == 2
    assert "bad.toml: link[0].to = 'nowhere': unknown node" in err


def test_export_geojson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "net.geojson"
    code, _, err = run(["network", "export", "--format", "geojson", "--out", str(target)], capsys)
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    lines = [f for f in doc["features"] if f["geometry"]["type"] == "LineString"]
    points = {f["properties"]["id"]: f for f in doc["features"] if f["geometry"]["type"] == "Point"}
    assert lines and points
    # RFC 7946 order is [lon, lat]: Duisburg lies at about 6.8 E, 51.5 N
    assert points["duisburg-duisport"]["geometry"]["coordinates"] == pytest.approx([6.76, 51.4525])
    for f in lines:
        for lon, lat in f["geometry"]["coordinates"]:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["length_km"] > 0 and f["properties"]["length_source"]
    # existing file: refused without --force, replaced with it
    code, _, err = run(["network", "export", "--out", str(target)], capsys)
    assert code == 2
    code, _, _ = run(["network", "export", "--out", str(target), "--force"], capsys)
    assert code == 0


def test_export_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["network", "export", "--format", "shp", "--out", str(tmp_path / "x")], capsys
    )
    assert code == 2 and "shp" in err


def test_map_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "map.svg"
    code, _, err = run(
        [
            "network",
            "map",
            "--out",
            str(target),
            "--modes",
            "iww",
            "--resolution",
            "c",
            "--route",
            "chongqing-guoyuan",
            "shanghai-waigaoqiao",
        ],
        capsys,
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<svg") and 'id="rivers"' in text and 'id="land"' in text


def test_map_bad_resolution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["network", "map", "--out", str(tmp_path / "m.svg"), "--resolution", "z"], capsys
    )
    assert code == 2 and "'z'" in err


def test_route_via(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "network",
            "route",
            "zhengzhou-international-land-port",
            "hamburg-port",
            "--via",
            "alashankou",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    assert "alashankou" in json.loads(out)["path"]
    code, _, err = run(
        ["network", "route", "khorgos", "hamburg-port", "--via", "brest", "--k", "2"], capsys
    )
    assert code == 2 and "--via" in err


def test_route_mode_chain_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "network",
            "route",
            "chengdu-international-railway-port",
            "shanghai-waigaoqiao",
            "--mode",
            "rail,iww",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["mode"] == "rail+inland_waterway" and len(doc["legs"]) == 2
    assert doc["distance_km"] == pytest.approx(sum(x["length_km"] for x in doc["links"]))
