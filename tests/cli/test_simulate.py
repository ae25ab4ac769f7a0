"""CLI ``freighthub simulate``: JSON keys, output folder, refusal to overwrite, errors."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from freighthub.cli import main
from tests.sim.background_cases import HUB_FLOW, SERVICE_FLOW

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"
ARGS = ["simulate", str(TINY / "tiny.toml"), "--hubs", str(TINY / "hubs")]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_the_headline_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*ARGS, "--seed", "3", "--replications", "2", "--json"], capsys)
    assert code == 0
    data = json.loads(out)  # nothing but JSON on stdout
    assert data["seed"] == 3 and data["replications"] == 2
    assert data["tool_version"]
    assert any(k.endswith("tiny.toml") for k in data["inputs_sha256"])
    assert all(len(v) == 64 for v in data["inputs_sha256"].values())
    for key in ("throughput_teu", "emissions_kgco2e_wtw", "emissions_kgco2e_ttw"):
        assert data[key] > 0
        low, high = data[f"{key}_ci95"]
        assert low <= data[key] <= high
    assert set(data["modal_split_teu_share"]) == {"road", "rail", "inland_waterway"}
    assert sum(data["modal_split_teu_share"].values()) == pytest.approx(1.0)
    assert data["door_to_door_h"]["mean"] > 0 and data["door_to_door_h"]["p95"] > 0
    assert len(data["door_to_door_h"]["p95_ci95"]) == 2
    assert set(data["hubs"]) == {"alpha", "beta"}
    for hub in data["hubs"].values():
        assert hub["mean_wait_h"] >= 0 and 0 <= hub["utilisation"] <= 1
        assert hub["utilisation_ci95"] is not None


def test_one_replication_has_no_interval(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*ARGS, "--replications", "1", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["throughput_teu_ci95"] is None


def test_out_folder_written_and_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    code, _, _ = _run([*ARGS, "--replications", "2", "--out", str(out)], capsys)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "flows.geojson", "flows.parquet", "journeys.parquet", "manifest.json", "routes.csv",
        "routes.xlsx", "summary.json", "trips.parquet",
    ]  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["replications"] == 2
    assert str(TINY / "tiny.toml") in manifest["inputs_sha256"]
    assert any(p.endswith("alpha.toml") for p in manifest["inputs_sha256"])
    journeys = pq.read_table(out / "journeys.parquet")
    assert set(journeys.column("replication").to_pylist()) == {0, 1}
    meta = journeys.schema.metadata
    assert meta[b"freighthub.seed"] == b"7"
    trips = pq.read_table(out / "trips.parquet").to_pandas()
    assert (trips["teu"] <= trips["capacity_teu"] + 1e-9).all()
    before = (out / "summary.json").read_bytes()
    code, _, err = _run([*ARGS, "--out", str(out)], capsys)
    assert code == 2
    assert "already exists: pass --force to replace it" in err
    assert (out / "summary.json").read_bytes() == before
    code, _, _ = _run([*ARGS, "--seed", "9", "--out", str(out), "--force"], capsys)
    assert code == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9


def test_bad_scenario_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "tiny.toml"
    bad.write_text((TINY / "tiny.toml").read_text().replace("cutoff_h = 12", "cutoff_h = -1"))
    code, out, err = _run(["simulate", str(bad), "--hubs", str(TINY / "hubs"), "--json"], capsys)
    assert code == 2
    assert out == ""
    assert "services[1].cutoff_h = -1: must be >= 0" in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_pack_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([*ARGS, "--pack", "no-such-pack"], capsys)
    assert code == 2
    assert "no-such-pack" in err


def test_json_routes_add_up_and_text_shows_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = _run([*ARGS, "--seed", "3", "--replications", "2", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    routes = data["routes"]
    assert {r["od"] for r in routes} == {"west-east", "alpha-beta"}
    # delivered TEU over the routes is the delivered TEU (means over replications)
    assert math.fsum(r["delivered_teu"] for r in routes) == pytest.approx(data["delivered_teu"])
    for r in routes:
        assert r["price_cny_per_teu"] > 0 and r["emissions_kgco2e_wtw_per_teu"] > 0
        assert r["door_to_door_p95_h"] >= 0 and r["origin"] and r["destination"]
        assert r["on_time_share"] is None  # the tiny scenario promises nothing
    code, text, _ = _run([*ARGS, "--seed", "3", "--replications", "2"], capsys)
    assert code == 0
    assert "Routes" in text and "price [CNY/TEU]" in text
    first = routes[0]
    assert f"{first['origin']} → {first['destination']}" in text


def test_out_route_table_csv_and_xlsx_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "run"
    code, _, _ = _run([*ARGS, "--replications", "2", "--out", str(out)], capsys)
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    with (out / "routes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and "price_cny_per_teu [CNY/TEU]" in rows[0]
    assert rows[0]["on_time_share [0-1]"] == ""  # no promise: empty, never invented
    delivered = math.fsum(float(r["delivered_teu [TEU]"]) for r in rows)
    assert delivered == pytest.approx(summary["headline"]["delivered_teu"])
    sheet = load_workbook(out / "routes.xlsx")["routes"]
    values = list(sheet.values)
    assert list(values[0]) == list(rows[0])
    assert len(values) == len(rows) + 1
    assert values[1][0] == rows[0]["od"]
    price = float(rows[0]["price_cny_per_teu [CNY/TEU]"])
    assert values[1][list(rows[0]).index("price_cny_per_teu [CNY/TEU]")] == pytest.approx(price)


def test_warnings_on_stderr_and_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*ARGS, "--seed", "3", "--replications", "2", "--json"], capsys)
    assert code == 0
    warnings = json.loads(out)["warnings"]
    assert warnings and all(
        set(w) == {"code", "message", "subject", "figures"} for w in warnings
    )  # figures as in compare --json
    left = [w for w in warnings if w["code"] == "left_behind"]
    assert left and left[0]["subject"] == "west-east/rail"
    assert left[0]["message"].startswith("route west-east/rail: ")
    code, text, err = _run([*ARGS, "--seed", "3", "--replications", "2"], capsys)
    assert code == 0
    assert f"warning [left_behind]: {left[0]['message']}" in err.replace("\n", " ")
    assert "warning" not in text


BACKGROUND = HUB_FLOW + SERVICE_FLOW


def test_background_shows_in_json_and_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text((TINY / "tiny.toml").read_text() + BACKGROUND)
    args = ["simulate", str(path), "--hubs", str(TINY / "hubs"), "--replications", "1"]
    code, out, _ = _run([*args, "--json"], capsys)
    assert code == 0
    beta = json.loads(out)["hubs"]["beta"]
    assert beta["handled_teu"] == pytest.approx(beta["traced_teu"] + beta["background_teu"])
    assert beta["background_teu"] > 25_000  # 150,000 TEU/year x 1848 h / 8760 h = 31,644
    assert json.loads(out)["services"]["rail-ab"]["background_teu"] > 0
    code, out, _ = _run(args, capsys)
    assert code == 0 and "of which background [TEU]" in out
    code, _, _ = _run([*args, "--out", str(tmp_path / "o")], capsys)
    assert code == 0
    trips = pq.read_table(tmp_path / "o" / "trips.parquet").to_pandas()
    rail = trips[trips["service"] == "rail-ab"]
    assert rail["background_teu"].sum() > 0
    assert (trips["teu"] + trips["background_teu"] <= trips["capacity_teu"] + 1e-9).all()
    running = trips["capacity_teu"] > 0
    total = trips["teu"] + trips["background_teu"]
    assert (trips["load_factor_share"][running] == (total / trips["capacity_teu"])[running]).all()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('hub = "beta"', 'hub = "gamma"', "background_hub_flows[0].hub = 'gamma': unknown hub"),
        ("lot_teu = 4", "lot_teu = -4", "background_service_flows[0].lot_teu = -4: must be > 0"),
        ("value = 150000,", "value = inf,", "background_hub_flows[0].teu_per_year = inf"),
    ],
)
def test_bad_background_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    bad = tmp_path / "tiny.toml"
    bad.write_text((TINY / "tiny.toml").read_text() + BACKGROUND.replace(old, new))
    code, out, err = _run(["simulate", str(bad), "--hubs", str(TINY / "hubs"), "--json"], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_terminal_tables_and_json_only_with_a_terminal_model(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With hand-made terminal records (tests/sim/terminal_records.py) the CLI prints the
    pool and hub tables and ``--json`` has ``terminal``; the tiny scenario has neither."""
    from freighthub.cli import simulate as cli_simulate
    from freighthub.model.factors import load_factor_pack
    from freighthub.sim.experiment import run_network
    from tests.sim.terminal_records import engine_with_records, tiny_terminal_network

    code, out, _ = _run([*ARGS, "--replications", "2"], capsys)
    assert code == 0 and "Terminal" not in out
    code, out, _ = _run([*ARGS, "--replications", "2", "--json"], capsys)
    assert "terminal" not in json.loads(out)

    result = run_network(
        tiny_terminal_network(),
        load_factor_pack("glec-v3-2023"),
        seed=3,
        replications=2,
        engine=engine_with_records,
    )
    monkeypatch.setattr(cli_simulate, "run_scenario", lambda *a, **k: result)
    code, out, _ = _run([*ARGS, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    est = result.estimates.terminal
    assert est is not None
    assert data["terminal"]["hubs"]["alpha"]["truck_wait_mean_h"] == pytest.approx(
        est.hubs["alpha"].truck_wait_mean_h.mean
    )
    code, out, _ = _run(ARGS, capsys)
    assert code == 0
    assert "Terminal pools" in out and "Terminal hubs: trucks and yard" in out
    row = next(line for line in out.splitlines() if "alpha/gate" in line)
    assert f"{est.pools['alpha/gate'].utilisation.mean:,.3f}" in row
