"""The simulation section, on a tiny two-hub scenario (copied from tests/sim/tiny)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from freighthub.errors import DataFileError
from freighthub.report import write_report
from freighthub.sim.experiment import run_scenario

DATA = Path(__file__).parent / "data" / "tiny-sim"

SPEC = """
name = "tiny-sim"
hubs = "hubs"
[title]
en = "Tiny simulation"
[simulation]
scenario = "tiny.toml"
replications = 3
seed = 11
"""


@pytest.fixture()
def sim_spec(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "case")
    spec = tmp_path / "case" / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


@pytest.fixture()
def sim_doc(sim_spec: Path, tmp_path: Path) -> dict[str, Any]:
    write_report(sim_spec, tmp_path / "out", formats="html,json")
    data: dict[str, Any] = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    return data


def _block(doc: dict[str, Any], block_id: str) -> dict[str, Any]:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block.get("id") == block_id:
                return dict(block)
    raise AssertionError(block_id)


def test_simulation_section_present_with_intervals(sim_doc: dict[str, Any]) -> None:
    ids = [s["id"] for s in sim_doc["sections"]]
    assert ids == ["summary", "hubs", "simulation", "methodology", "manifest", "sources"]
    headline = _block(sim_doc, "sim-headline")
    rows = {r[0]["content"]: r[1] for r in headline["rows"]}
    delivered = rows["TEU delivered"]
    mean = delivered["content"]
    low, high = (p for p in delivered["detail"]["parts"] if isinstance(p, dict))
    # The mean lies inside its own 95 % interval (3 replications: t-interval is finite).
    assert low["value"] <= mean["value"] <= high["value"]
    assert mean["unit"] == "teu"


def test_modal_split_shares_sum_to_one(sim_doc: dict[str, Any]) -> None:
    chart = _block(sim_doc, "modal-split")
    assert math.isclose(sum(q["value"] for q in chart["values"]), 1.0, abs_tol=1e-9)
    assert chart["low"] is not None and chart["high"] is not None


def test_unknown_ttw_is_not_shown_as_zero(sim_doc: dict[str, Any]) -> None:
    # The tiny scenario's hubs use the GLEC "transshipment-ambient" default, which
    # GLEC publishes as a total only: its TTW part is unknown, never 0.
    hubs = _block(sim_doc, "sim-hubs")
    for row in hubs["rows"]:
        assert row[-1]["content"] == "unknown"


def test_emission_intensities_are_cited(sim_doc: dict[str, Any]) -> None:
    sources = _block(sim_doc, "source-table")
    items = {row[1]["content"]: row for row in sources["rows"]}
    assert "transshipment-ambient" in items
    assert items["transshipment-ambient"][3]["content"]  # a source is given


def test_manifest_hashes_scenario_and_pack(sim_doc: dict[str, Any]) -> None:
    files = [row[0]["content"] for row in _block(sim_doc, "input-table")["rows"]]
    assert "tiny.toml" in files
    assert any(f.endswith("glec-v3-2023.toml") for f in files)
    run = {r[0]["content"]: r[1]["content"] for r in _block(sim_doc, "run-table")["rows"]}
    assert run["simulation_seed"] == "11" and run["replications"] == "3"


def test_report_tables_are_derived_from_the_typed_estimates(
    sim_spec: Path, sim_doc: dict[str, Any]
) -> None:
    # Every hub, service and leg of the estimate tree appears in the report JSON, with
    # the tree's mean (same seed and replications as the spec).
    est = run_scenario(
        sim_spec.parent / "tiny.toml", seed=11, replications=3, hubs_dir=sim_spec.parent / "hubs"
    ).estimates
    headline = {r[0]["content"]: r[1]["content"] for r in _block(sim_doc, "sim-headline")["rows"]}
    assert headline["TEU delivered"]["value"] == pytest.approx(est.delivered_teu.mean)
    hubs = _block(sim_doc, "sim-hubs")["rows"]
    assert len(hubs) == len(est.hubs)
    for row, e in zip(hubs, est.hubs.values(), strict=True):
        assert row[1]["content"]["value"] == pytest.approx(e.handled_teu.mean)
    services = {r[0]["content"]: r for r in _block(sim_doc, "sim-services")["rows"]}
    assert list(services) == sorted(est.services)
    for sid, e in est.services.items():
        assert services[sid][2]["content"]["value"] == pytest.approx(e.teu.mean)
    legs = [r[0]["content"] for r in _block(sim_doc, "sim-legs")["rows"]]
    assert legs == sorted(est.emissions_kgco2e_wtw_by_leg)
    routes = _block(sim_doc, "sim-routes")["rows"]
    used = [e for e in est.routes.values() if e.arrived_teu.mean > 0]
    assert len(routes) == len(used)
    for row, e in zip(routes, used, strict=True):
        assert row[2]["content"]["value"] == pytest.approx(e.delivered_teu.mean)
        assert row[5]["content"]["value"] == pytest.approx(e.price_cny_per_teu.mean)
        assert row[5]["content"]["unit"] == "cny_per_teu"
        assert row[6]["content"]["unit"] == "kgco2e_per_teu"
        assert row[7]["content"] == "undefined"  # no promise: no on-time share


def test_route_table_in_chinese(sim_spec: Path, tmp_path: Path) -> None:
    write_report(sim_spec, tmp_path / "zh", lang="zh", formats="html")
    html = (tmp_path / "zh" / "report.html").read_text("utf-8")
    assert "门到门线路" in html and "每标准箱价格" in html and "准时率" in html
    # the simulation's warnings, worded in Chinese from their figures
    assert "警示" in html and "遇到两次及以上满载发车" in html
    assert "found two or more departures full" not in html


def test_warnings_listed_with_their_figures(sim_spec: Path, sim_doc: dict[str, Any]) -> None:
    result = run_scenario(
        sim_spec.parent / "tiny.toml", seed=11, replications=3, hubs_dir=sim_spec.parent / "hubs"
    )
    assert result.warnings  # the tiny corridor leaves boxes behind
    section = next(x for x in sim_doc["sections"] if x["id"] == "simulation")
    items = next(b for b in section["blocks"] if b["type"] == "bullets")["items"]
    assert len(items) == len(result.warnings)
    for item, w in zip(items, result.warnings, strict=True):
        assert w.code == "left_behind"
        boxes = w.figures["left_behind_repeatedly_boxes"]
        assert item["text"].startswith(
            f"Route {w.subject}: {boxes:,.0f} boxes found two or more departures full"
        )


SCENARIOS = """
[scenarios]
variants = ["tiny-more-rail.toml"]
replications = 3
seed = 5
"""


def test_scenario_comparison_section(sim_spec: Path, tmp_path: Path) -> None:
    sim_spec.write_text(SPEC.split("[simulation]")[0] + SCENARIOS, encoding="utf-8")
    result = write_report(sim_spec, tmp_path / "cmp", formats="html,json")
    assert result.sections == ("summary", "hubs", "scenarios", "methodology", "manifest", "sources")
    doc = json.loads((tmp_path / "cmp" / "report.json").read_text("utf-8"))
    table = _block(doc, "comparison-tiny-more-rail")
    rows = {r[0]["content"]: r for r in table["rows"]}
    road = rows["road share of TEU"]
    base, variant, diff = road[1]["content"], road[2]["content"], road[3]["content"]
    # The paired difference equals variant - base (means of paired differences).
    assert math.isclose(diff["value"], variant["value"] - base["value"], abs_tol=1e-9)
    assert diff["unit"] == "share_pp"
    assert diff["value"] < 0  # road lost share
    assert diff["text"].startswith("-") and diff["text"].endswith("pp")
    assert rows["rail share of TEU"][3]["content"]["text"].startswith("+")
    chart = _block(doc, "scenario-wtw-per-teu")
    assert chart["categories"] == ["tiny-more-rail"]
    html = (tmp_path / "cmp" / "report.html").read_text("utf-8")
    assert "Bottleneck in the base" in html


def test_bad_simulation_spec(sim_spec: Path, tmp_path: Path) -> None:
    sim_spec.write_text(SPEC.replace("replications = 3", "replications = 0"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"simulation.replications = 0: must be > 0"):
        write_report(sim_spec, tmp_path / "x", formats="json")
    sim_spec.write_text(SPEC.replace("tiny.toml", "missing.toml"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"missing\.toml"):
        write_report(sim_spec, tmp_path / "x", formats="json")
    assert not (tmp_path / "x").exists()


OPTIMISATION = """
[optimisation]
scenario = "tiny.toml"
value_of_time_cny_per_teu_h = 50
road_share_max = 0.2
"""


def test_optimisation_section(sim_spec: Path, tmp_path: Path) -> None:
    sim_spec.write_text(SPEC.split("[simulation]")[0] + OPTIMISATION, encoding="utf-8")
    result = write_report(sim_spec, tmp_path / "opt", formats="json")
    assert result.sections == (
        "summary",
        "hubs",
        "optimisation",
        "methodology",
        "manifest",
        "sources",
    )
    doc = json.loads((tmp_path / "opt" / "report.json").read_text("utf-8"))
    modes = _block(doc, "opt-modes")
    shares = {r[0]["content"]: r[2]["content"]["value"] for r in modes["rows"]}
    assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-6)
    # The road-share cap of the spec holds in the optimal plan (LP tolerance).
    assert shares["road"] <= 0.2 + 1e-6
    targets = _block(doc, "opt-targets")
    assert len(targets["rows"]) == 1
    costs = {r[0]["content"]: r[1]["content"]["value"] for r in _block(doc, "opt-costs")["rows"]}
    total = costs["total objective"]
    parts = sum(v for k, v in costs.items() if k != "total objective")
    assert math.isclose(total, parts, rel_tol=1e-9)


def test_optimisation_needs_one_value_of_time(sim_spec: Path, tmp_path: Path) -> None:
    from freighthub.errors import FreighthubError

    sim_spec.write_text(
        SPEC.split("[simulation]")[0]
        + OPTIMISATION.replace("value_of_time_cny_per_teu_h = 50\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(FreighthubError, match=r"value of time: give exactly one of"):
        write_report(sim_spec, tmp_path / "o", formats="json")
    assert not (tmp_path / "o").exists()


def test_background_column_only_with_background(
    sim_spec: Path, sim_doc: dict[str, Any], tmp_path: Path
) -> None:
    hubs = _block(sim_doc, "sim-hubs")
    assert len(hubs["rows"][0]) == 8  # no background column without background
    scenario = sim_spec.parent / "tiny.toml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8")
        + """
[[background_hub_flows]]
id = "beta-other"
hub = "beta"
teu_per_year = { value = 150000, source = "test", confidence = "assumption" }
box_40ft_share = 0.5
moves_per_call = 20
""",
        encoding="utf-8",
    )
    write_report(sim_spec, tmp_path / "bg", formats="json")
    doc = json.loads((tmp_path / "bg" / "report.json").read_text("utf-8"))
    hubs = _block(doc, "sim-hubs")
    assert len(hubs["rows"][0]) == 9
    beta = next(r for r in hubs["rows"] if "beta" in json.dumps(r[0]).lower())
    handled, background = beta[1]["content"]["value"], beta[2]["content"]["value"]
    assert 25_000 < background < handled  # 150,000 TEU/year over the 1,848 h window
