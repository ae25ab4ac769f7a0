"""The report spec can ask for optimised departures (``optimize --optimise-departures``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from freighthub.optimize.run import optimize_scenario
from freighthub.report import write_report
from freighthub.report.spec import load_report_spec

DATA = Path(__file__).parent / "data" / "tiny-sim"

SPEC = """
name = "tiny-departures"
hubs = "hubs"
[title]
en = "Tiny departures"
[optimisation]
scenario = "tiny.toml"
value_of_time_cny_per_teu_h = 10
optimise_departures = true
"""

# test numbers, not data: a costly rail departure, its fleet and fixed cost
OPERATOR_COST = (
    'operator_cost = { dues_cny_per_departure = { value = 33000, source = "test fixture", '
    'confidence = "assumption" }, fixed_cny_per_year = { value = 1000000, source = "test '
    'fixture", confidence = "assumption" }, vehicle_cny_per_year = { value = 1500000, '
    'source = "test fixture", confidence = "assumption" }, turnaround_h = { value = 12, '
    'source = "test fixture", confidence = "assumption" } }\n'
)


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "case")
    scenario = tmp_path / "case" / "tiny.toml"
    text = scenario.read_text(encoding="utf-8")
    anchor = "cost_cny_per_departure = 5000\n"
    assert anchor in text, "test setup: the rail service's cost per departure moved"
    scenario.write_text(text.replace(anchor, anchor + OPERATOR_COST), encoding="utf-8")
    path = tmp_path / "case" / "spec.toml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def _block(doc: dict[str, Any], block_id: str) -> dict[str, Any]:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block.get("id") == block_id:
                return dict(block)
    raise AssertionError(block_id)


def test_spec_reads_optimise_departures(spec: Path) -> None:
    loaded, _ = load_report_spec(spec)
    assert loaded.optimisation is not None and loaded.optimisation.optimise_departures
    plain, _ = load_report_spec(_rewrite(spec, "optimise_departures = true\n", ""))
    assert plain.optimisation is not None and not plain.optimisation.optimise_departures


def _rewrite(path: Path, old: str, new: str) -> Path:
    out = path.with_name("spec-2.toml")
    out.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return out


def test_report_shows_the_departures_the_plan_runs(spec: Path, tmp_path: Path) -> None:
    write_report(spec, tmp_path / "out", formats="html,json")
    doc = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    direct = optimize_scenario(
        spec.parent / "tiny.toml",
        value_of_time_cny_per_teu_h=10.0,
        hubs_dir=spec.parent / "hubs",
        departures_optimised=True,
    ).plan
    (row,) = _block(doc, "opt-departures")["rows"]
    runs = direct.departures_by_resource["service:rail-ab"]
    assert 0 < runs < 7  # the timetable's 7 a week: a real choice
    assert [cell["content"]["value"] for cell in row[1:4]] == [
        runs,
        7,
        direct.fleet_by_resource["service:rail-ab"],
    ]
    costs = {r[0]["content"]: r[1]["content"]["value"] for r in _block(doc, "opt-costs")["rows"]}
    key = next(k for k in costs if k.startswith("operators: departures run"))
    assert costs[key] == pytest.approx(direct.operator_cost_cny)
    assert costs["total objective"] == pytest.approx(direct.objective_cny)
    assert direct.objective_cny == pytest.approx(
        direct.price_cost_cny + direct.time_cost_cny + direct.carbon_cost_cny + costs[key]
    )
