"""``to_pandas()`` of the main result types: shape, columns and values of the typed result."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import freighthub as fh
from freighthub.optimize import solve_mode_split
from freighthub.sim.estimates import estimates_by_path
from freighthub.sweep.summary import summarise_rows
from tests.optimize.conftest import corridor

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "sim" / "tiny"
SHIFT = ROOT / "tests" / "shift" / "data"
ESTIMATE = ["mean", "ci95_low", "ci95_high", "n", "unit"]


def test_assessment_frame_is_the_compliance_matrix() -> None:
    a = fh.score_hubs("unece-agtc", missing="worst", n_samples=0)
    df = a.to_pandas()
    n_criteria = len(a.standard.criteria)
    assert df.shape == (len(a.hubs) * n_criteria, 11)
    assert list(df.columns[:3]) == ["hub", "criterion", "status"]
    first = a.compliance[0].results[0]
    row = df.iloc[0]
    assert (row.hub, row.criterion) == (a.hubs[0], first.criterion_id)
    assert row.status == first.status.value and row.weight == first.weight
    counts = df[df.hub == a.hubs[0]].status.value_counts().to_dict()
    assert counts == {s.value: n for s, n in a.compliance[0].counts.items() if n}


def test_ranking_frame_is_best_first() -> None:
    a = fh.score_hubs("unece-agtc", missing="worst", n_samples=0)
    assert a.ranking is not None
    df = a.ranking.to_pandas()
    assert list(df.columns) == ["id", "rank", "score"]
    assert len(df) == len(a.ranking.alternatives)
    assert list(df["rank"]) == sorted(df["rank"])
    best = a.ranking.alternatives[0]
    assert (df.id[0], df["rank"][0], df.score[0]) == (best.id, 1, best.score)


def test_chain_frame_has_one_row_per_element_summing_to_the_total() -> None:
    ev = fh.evaluate_chain_file(ROOT / "scenarios" / "chains" / "chongqing-shanghai.toml")
    df = ev.to_pandas()
    assert len(df) == len(ev.emissions.elements)
    assert list(df.kind) == [e.kind for e in ev.emissions.elements]
    assert df.kgco2e_wtw.sum() == pytest.approx(ev.emissions.total_kgco2e_wtw, rel=1e-12)
    legs = df[df.kind == "leg"]
    assert set(legs["mode"]) <= {m.value for m in fh.Mode}


@pytest.fixture(scope="module")
def tiny_result() -> fh.ExperimentResult:
    return fh.run_scenario(TINY / "tiny.toml", hubs_dir=TINY / "hubs", replications=2, seed=3)


def test_simulation_frame_has_one_row_per_figure(tiny_result: fh.ExperimentResult) -> None:
    df = tiny_result.to_pandas()
    flat = estimates_by_path(tiny_result.estimates)
    assert list(df.columns) == ["figure", *ESTIMATE]
    assert list(df.figure) == list(flat)
    row = df.set_index("figure").loc["delivered_teu"]
    est = tiny_result.estimates.delivered_teu
    assert (row["mean"], row.ci95_low, row.ci95_high) == (est.mean, est.ci95_low, est.ci95_high)
    assert (row.n, row.unit) == (2, "teu")


def test_comparison_frame_pairs_base_variant_and_delta(tmp_path: Path) -> None:
    shutil.copy(SHIFT / "corridor.toml", tmp_path / "corridor.toml")
    variant = tmp_path / "same.toml"
    variant.write_text('id = "same"\nname = "same"\nbase = "corridor.toml"\n', encoding="utf-8")
    c = fh.compare_scenarios(
        tmp_path / "corridor.toml", variant, hubs_dir=SHIFT / "hubs", replications=2
    )
    df = c.to_pandas().set_index("figure")
    assert len(df) == len(c.figures_by_path())
    assert {"base_mean", "variant_mean", "delta_mean", "delta_ci95_low"} <= set(df.columns)
    m = c.paired(lambda t: t.delivered_teu)
    assert m is not None
    assert df.loc["delivered_teu", "base_mean"] == m.base.mean
    assert df.loc["delivered_teu", "delta_mean"] == 0.0  # an unchanged variant


def test_lp_plan_frame_has_one_row_per_route() -> None:
    plan = solve_mode_split(corridor())
    df = plan.to_pandas().set_index("route")
    assert len(df) == len(plan.flows) == 2
    assert df.loc["rail", "volume_teu"] == pytest.approx(plan.flow("rail"))
    assert df.loc["rail", "main_mode"] == "rail"
    assert df.volume_teu.sum() == pytest.approx(1000.0)  # all demand is carried


def test_sweep_summary_frame_has_a_row_per_cell_and_figure() -> None:
    table = pa.table(
        {
            "cell": ["a", "a", "b", "b"],
            "cell_index": [0, 0, 1, 1],
            "delivered_teu": [10.0, 12.0, 20.0, 22.0],
        }
    )
    levels = {"a": {"price": "low"}, "b": {"price": "high"}}
    s = summarise_rows(
        table, sweep_id="s", seed=1, replications=2, levels=levels, metrics=["delivered_teu"]
    )
    df = s.to_pandas()
    assert list(df.columns) == ["cell", "price", "replications", "figure", *ESTIMATE]
    assert list(df.cell) == ["a", "b"] and list(df.price) == ["low", "high"]
    assert list(df["mean"]) == [11.0, 21.0]
    assert not math.isnan(df.ci95_low[0]) and df.ci95_low[0] < 11.0 < df.ci95_high[0]


def test_an_empty_result_keeps_its_columns() -> None:
    s = summarise_rows(
        pa.table({"cell": pa.array([], pa.string()), "cell_index": pa.array([], pa.int64())}),
        sweep_id="s",
        seed=1,
        replications=2,
        levels={},
        metrics=["delivered_teu"],
    )
    df = s.to_pandas()
    assert df.empty and list(df.columns) == ["cell", "replications", "figure", *ESTIMATE]
