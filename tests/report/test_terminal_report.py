"""Terminal operations in the report (issue #19): the simulation section's table and
the compliance evidence observed from the simulation, with hand-made terminal records
(tests/sim/terminal_records.py) until the engines fill them."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from freighthub.evidence import simulated_observations, simulation_input_confidence
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.model.sourced import Sourced
from freighthub.report import write_report
from freighthub.report.sections import simulation as simulation_section
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.experiment import run_network
from freighthub.vocabulary import Confidence
from tests.sim.terminal_records import engine_with_records, tiny_terminal_network

DATA = Path(__file__).parent / "data" / "tiny-sim"

STANDARD = """
[standard]
id = "truck-std"
title = { en = "Truck waiting test standard", zh = "集卡等待测试标准" }
document = "Fixture standard for report tests"
edition = "2026"
licence = "test fixture"

[[criteria]]
id = "truck-wait"
name = { en = "Truck waiting", zh = "集卡等待" }
unit = "min"
attribute = "operations.mean_truck_wait_min"
rule = "maximum"
threshold = 20
direction = "cost"
confidence = "verified"
source = { document = "Fixture standard", clause = "Art. 1", edition = "2026" }

[[criteria]]
id = "track-length"
name = { en = "Handling track length", zh = "装卸线长度" }
unit = "m"
attribute = "rail.handling_track_length_m"
rule = "minimum"
threshold = 750
direction = "benefit"
confidence = "verified"
source = { document = "Fixture standard", clause = "Art. 2", edition = "2026" }
"""

SPEC = """
name = "tiny-terminal"
hubs = "hubs"
[title]
en = "Tiny terminal"
[assessment]
standard = "truck-std"
standards_dir = "standards"
methods = ["topsis"]
missing = "worst"
seed = 3
samples = 50
[simulation]
scenario = "tiny.toml"
replications = 3
seed = 11
"""


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "case")
    (tmp_path / "case" / "standards").mkdir()
    (tmp_path / "case" / "standards" / "truck-std.toml").write_text(STANDARD, encoding="utf-8")
    path = tmp_path / "case" / "spec.toml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def _terminal_run(*_: Any, seed: int | None = None, replications: int | None = None,
                  pack: Any = None, **__: Any) -> ExperimentResult:  # fmt: skip
    return run_network(
        tiny_terminal_network(),
        load_factor_pack(pack or "glec-v3-2023"),
        seed=seed or 0,
        replications=replications or 1,
        engine=engine_with_records,
    )


def _report(spec: Path, out: Path, lang: str = "en") -> dict[str, Any]:
    write_report(spec, out, formats="json", lang=lang)
    data: dict[str, Any] = json.loads((out / "report.json").read_text("utf-8"))
    return data


def _block(doc: dict[str, Any], block_id: str) -> dict[str, Any] | None:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block.get("id") == block_id:
                return dict(block)
    return None


def _text(x: Any) -> str:
    """Every string inside a rendered value."""
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return " ".join(_text(v) for v in x.values())
    if isinstance(x, list):
        return " ".join(_text(v) for v in x)
    return str(x)


def test_without_a_terminal_model_nothing_is_simulated(spec: Path, tmp_path: Path) -> None:
    doc = _report(spec, tmp_path / "out")
    assert _block(doc, "sim-terminal") is None
    matrix = _block(doc, "compliance-matrix")
    assert matrix is not None
    assert "simulated" not in _text(matrix["rows"])
    assert "Longest mean truck wait" not in _text(doc)
    # the hub files give no truck wait: no data, never a number
    assert matrix["rows"][0][1]["content"]["level"] == "no_data"


def test_terminal_table_and_simulated_truck_wait(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(simulation_section, "run_scenario", _terminal_run)
    doc = _report(spec, tmp_path / "out")
    expected = _terminal_run(seed=11, replications=3)
    est = expected.estimates.terminal
    assert est is not None
    wait_min = est.hubs["alpha"].truck_wait_mean_h.mean * 60.0

    table = _block(doc, "sim-terminal")
    assert table is not None
    assert len(table["rows"]) == 1  # alpha has pools and trucks; beta neither
    row = table["rows"][0]
    assert row[1]["content"]["value"] == pytest.approx(wait_min)
    assert row[1]["content"]["unit"] == "min"
    assert row[4]["content"]["value"] == pytest.approx(est.hubs["alpha"].yard_mean_teu.mean)
    busiest = max(("alpha/gate", "alpha/yard"), key=lambda p: est.pools[p].utilisation.mean)
    assert row[7]["detail"]["value"] == pytest.approx(est.pools[busiest].utilisation.mean)

    matrix = _block(doc, "compliance-matrix")
    assert matrix is not None
    by_hub = {r[0]["content"]: r for r in matrix["rows"]}
    alpha = by_hub["Alpha"][1]
    status = "pass" if wait_min <= 20 else "fail"
    assert alpha["content"]["level"] == status
    shown = _text(alpha)
    assert "simulated" in shown and "seed 11" in shown and "3 replications" in shown
    assert f"Longest mean truck wait: Alpha, {wait_min:.1f} min" in _text(doc)
    # beta: no truck entered there, the (absent) hub file value stays
    assert by_hub["Beta"][1]["content"]["level"] == "no_data"

    zh = _report(spec, tmp_path / "zh", lang="zh")
    zh_table = _block(zh, "sim-terminal")
    assert zh_table is not None and "仿真值" in _text(_block(zh, "compliance-matrix"))


def test_simulated_observation_in_minutes_with_its_interval() -> None:
    result = _terminal_run(seed=4, replications=3)
    loaded = load_scenario(DATA / "tiny.toml", DATA / "hubs")
    labels = simulation_input_confidence(loaded.scenario)
    obs = simulated_observations(result, labels)
    # only alpha has trucks; every hub that handled boxes has its emissions per TEU
    assert [h for h, by in obs.items() if "truck_wait_mean_min" in by] == ["alpha"]
    o = obs["alpha"]["truck_wait_mean_min"]
    assert o.attribute == "operations.mean_truck_wait_min" and len(o.replication_values) == 3
    e = result.estimates.terminal.hubs["alpha"].truck_wait_mean_h  # type: ignore[union-attr]
    assert o.value == pytest.approx(e.mean * 60.0)
    assert (o.ci95_low, o.ci95_high) == pytest.approx((e.ci95_low * 60.0, e.ci95_high * 60.0))
    assert o.basis == "simulated" and o.seed == 4 and o.replications == 3
    # the tiny scenario's demand volumes carry no label: the simulated value is flagged
    assert o.confidence is None
    assert not math.isnan(o.ci95_low)


def _labelled(model: Any, label: Confidence) -> Any:
    """A copy with every sourced value of ``model`` (one level) labelled ``label``."""
    update = {
        name: value.model_copy(update={"confidence": label})
        for name in type(model).model_fields
        if isinstance(value := getattr(model, name), Sourced)
    }
    return model.model_copy(update=update)


def test_input_confidence_is_the_weakest_label() -> None:
    s = load_scenario(DATA / "tiny.toml", DATA / "hubs").scenario
    assert {r.hub for r in s.hub_resources} == {"alpha", "beta"}
    resources = tuple(
        _labelled(r, Confidence.UNCERTAIN if r.hub == "beta" else Confidence.VERIFIED)
        for r in s.hub_resources
    )
    demand = tuple(_labelled(d, Confidence.SECONDARY) for d in s.demand)
    labels = simulation_input_confidence(
        s.model_copy(update={"hub_resources": resources, "demand": demand})
    )
    assert labels == {"alpha": Confidence.SECONDARY, "beta": Confidence.UNCERTAIN}
    # one unlabelled input (the tiny file's demand volumes): no label, so flagged
    unlabelled = simulation_input_confidence(s.model_copy(update={"hub_resources": resources}))
    assert unlabelled == {"alpha": None, "beta": None}


POOLS = """truck_wait_threshold_h = { value = 0.3333, source = "test", confidence = "assumption" }
  [[hub_resources.pools]]
  task = "gate"
  units = { value = 1, source = "test", confidence = "assumption" }
  moves_per_h = { value = 40, source = "test", confidence = "assumption" }
  [[hub_resources.pools]]
  task = "yard"
  units = { value = 1, source = "test", confidence = "assumption" }
  moves_per_h = { value = 30, source = "test", confidence = "assumption" }
"""


def test_end_to_end_with_a_terminal_scenario(spec: Path, tmp_path: Path) -> None:
    """The engines fill the records (branches tfast, tschema merged): a scenario whose
    alpha has gate and yard pools gets the table and the simulated truck wait."""
    scenario = spec.parent / "tiny.toml"
    text = scenario.read_text("utf-8")
    anchor = 'handling_intensity_id = "transshipment-ambient"\n'
    scenario.write_text(text.replace(anchor, anchor + POOLS, 1), encoding="utf-8")
    doc = _report(spec, tmp_path / "out")
    table = _block(doc, "sim-terminal")
    assert table is not None
    assert [r[0]["content"] for r in table["rows"]] == ["Alpha"]
    wait_min = table["rows"][0][1]["content"]["value"]
    assert wait_min >= 0.0
    matrix = _block(doc, "compliance-matrix")
    assert matrix is not None
    alpha = {r[0]["content"]: r for r in matrix["rows"]}["Alpha"][1]
    assert alpha["detail"]["parts"][0]["value"] == pytest.approx(wait_min)
    assert "seed 11" in _text(alpha) and "3 replications" in _text(alpha)


def test_simulated_context_in_the_hub_profiles(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures no criterion reads (crane utilisation, yard occupancy, CO2e per TEU) are
    shown in the hub profile without pass or fail, with the note saying why; the truck
    wait the criterion reads is a simulated coverage cell."""
    monkeypatch.setattr(simulation_section, "run_scenario", _terminal_run)
    doc = _report(spec, tmp_path / "out")
    expected = _terminal_run(seed=11, replications=3)
    card = _block(doc, "profile-alpha")
    assert card is not None
    shown = _text(card)
    assert "Simulated crane utilisation" in shown
    assert "Simulated yard occupancy (time-weighted mean)" in shown
    assert "simulated, context only" in shown and "scenario tiny" in shown
    assert "Simulated mean truck wait" not in shown  # a criterion reads it: in the matrix
    assert "no standard or profile shipped with freighthub states a threshold" in _text(doc)
    est = expected.estimates
    assert est.terminal is not None
    assert f"{est.terminal.hubs['alpha'].yard_mean_teu.mean:,.0f} TEU" in shown
    coverage = _block(doc, "coverage-table")
    assert coverage is not None and "Simulated" in _text(coverage["columns"])
    assert "Alpha: simulated Truck waiting" in _text(doc)
    zh = _report(spec, tmp_path / "zh", lang="zh")
    assert "仿真参考值" in _text(zh) and "仿真起重机利用率" in _text(_block(zh, "profile-alpha"))


def test_the_stability_counts_simulation_samples(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With missing = "sample" the simulated truck wait's replications are drawn in the
    stability samples, and the report says what the samples drew."""
    monkeypatch.setattr(simulation_section, "run_scenario", _terminal_run)
    spec.write_text(spec.read_text("utf-8").replace('missing = "worst"', 'missing = "sample"'))
    doc = _report(spec, tmp_path / "out")
    assert "simulated values from their replications" in _text(doc)
    zh = _report(spec, tmp_path / "zh", lang="zh")
    assert "仿真值从其各次重复运行结果中等概率抽取" in _text(zh)
