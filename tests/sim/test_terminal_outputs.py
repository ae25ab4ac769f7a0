"""Terminal figures in the typed results, ``--json`` and the result files (issue #19),
from hand-made records (:mod:`tests.sim.terminal_records`); scenarios without a
terminal model keep exactly their outputs."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.estimates import (
    ExperimentResult,
    PoolEstimate,
    TerminalEstimate,
    TerminalHubEstimate,
    TerminalRouteEstimate,
    estimate,
    estimates_by_path,
    figure_unit,
)
from freighthub.sim.experiment import run_network
from freighthub.sim.figures import field_unit, inner_figures
from freighthub.sim.output import headline, write_outputs
from freighthub.sim.summary import flatten
from freighthub.sim.terminal_stats import (
    PoolSummary,
    TerminalHubSummary,
    TerminalRouteSummary,
    TerminalSummary,
)

from .terminal_records import TINY, engine_with_records, tiny_terminal_network

PACK = load_factor_pack("glec-v3-2023")
PLAIN_FILES = {
    "summary.json",
    "manifest.json",
    "routes.csv",
    "routes.xlsx",
    "flows.geojson",
    "flows.parquet",
    "journeys.parquet",
    "trips.parquet",
}


@pytest.fixture(scope="module")
def with_terminal() -> ExperimentResult:
    return run_network(
        tiny_terminal_network(),
        PACK,
        seed=5,
        replications=3,
        engine=engine_with_records,
        keep_runs=True,
    )


@pytest.fixture(scope="module")
def plain() -> ExperimentResult:
    network = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    return run_network(network, PACK, seed=5, replications=2, keep_runs=True)


@pytest.mark.parametrize(
    ("summary", "estimates"),
    [
        (TerminalSummary, TerminalEstimate),
        (PoolSummary, PoolEstimate),
        (TerminalHubSummary, TerminalHubEstimate),
        (TerminalRouteSummary, TerminalRouteEstimate),
    ],
)
def test_terminal_summary_and_estimate_are_one_figures_class(summary: Any, estimates: Any) -> None:
    assert typing.get_origin(summary) is typing.get_origin(estimates)
    figures = typing.get_origin(summary)
    for f in dataclasses.fields(figures):
        if inner_figures(figures, f.name) is None:
            assert field_unit(f), f.name


def test_estimates_read_by_attribute(with_terminal: ExperimentResult) -> None:
    est = with_terminal.estimates.terminal
    assert est is not None
    assert list(est.pools) == ["alpha/gate", "alpha/yard", "alpha/handling", "beta/handling"]
    gate = [s.terminal.pools["alpha/gate"] for s in with_terminal.summaries if s.terminal]
    assert len(gate) == 3
    assert est.pools["alpha/gate"].utilisation.mean == pytest.approx(
        np.mean([g.utilisation for g in gate])
    )
    assert est.pools["alpha/gate"].utilisation.n == 3
    assert est.pools["alpha/gate"].mean_waiting.unit == "count"
    alpha = est.hubs["alpha"]
    assert alpha.truck_wait_mean_h.unit == "h"
    assert alpha.truck_wait_mean_h.ci95_low <= alpha.truck_wait_mean_h.mean
    assert alpha.truck_wait_mean_h.mean <= alpha.truck_wait_mean_h.ci95_high
    assert 0.0 <= alpha.truck_wait_above_threshold_share.mean <= 1.0
    assert alpha.yard_mean_teu.mean <= alpha.yard_p95_teu.mean <= alpha.yard_max_teu.mean
    assert math.isnan(est.hubs["beta"].truck_wait_mean_h.mean)  # no truck enters at beta
    assert list(est.routes) == list(with_terminal.network.routes.ids)


def test_route_figures_from_the_records(with_terminal: ExperimentResult) -> None:
    """Every box's pool moves are its truck's gate and yard moves: per route, its total
    queueing before them is its truck wait."""
    net, run = with_terminal.network, with_terminal.runs[0]
    summary = run.summary.terminal
    rec = run.result.terminal
    assert summary is not None and rec is not None
    counted = (run.arrivals.time_h >= net.warmup_h) & (run.arrivals.time_h < net.horizon_h)
    for r, rid in enumerate(net.routes.ids):
        mine = counted & (run.result.route == r)
        figures = summary.routes[rid]
        assert figures.boxes == int(np.sum(mine))
        if figures.boxes:
            waits = rec.truck_wait_h[mine]
            assert figures.terminal_wait_mean_h == pytest.approx(float(np.mean(waits)))
            assert figures.truck_wait_mean_h == pytest.approx(float(np.mean(waits)))
            assert figures.terminal_wait_p95_h == pytest.approx(np.percentile(waits, 95))


def test_truck_wait_from_the_records(with_terminal: ExperimentResult) -> None:
    """Every box arriving in the window passes alpha's gate: its mean truck wait."""
    net = with_terminal.network
    run = with_terminal.runs[0]
    rec = run.result.terminal
    assert rec is not None
    counted = (run.arrivals.time_h >= net.warmup_h) & (run.arrivals.time_h < net.horizon_h)
    summary = run.summary.terminal
    assert summary is not None
    assert summary.hubs["alpha"].trucks == int(np.sum(counted))
    assert summary.hubs["alpha"].truck_wait_mean_h == pytest.approx(
        float(np.mean(rec.truck_wait_h[counted]))
    )
    # the yard holds each box for the dwell: time-average = arrival rate x TEU x dwell
    teu_per_h = float(np.sum(run.arrivals.teu[counted])) / (net.horizon_h - net.warmup_h)
    assert summary.hubs["alpha"].yard_mean_teu == pytest.approx(teu_per_h * 30.0, rel=0.05)


def test_paths_and_units(with_terminal: ExperimentResult) -> None:
    flat = [flatten(s) for s in with_terminal.summaries]
    by_path = estimates_by_path(with_terminal.estimates)
    assert list(by_path) == list(flat[0])
    assert "terminal.pools.alpha/gate.mean_in_system" in by_path
    assert "terminal.hubs.alpha.truck_wait_p95_h" in by_path
    for path, e in by_path.items():
        expected = estimate([f[path] for f in flat], e.unit)
        np.testing.assert_equal(dataclasses.astuple(e), dataclasses.astuple(expected))
        assert e.unit == figure_unit(path), path
    assert figure_unit("terminal.pools.alpha/gate.throughput_per_h") == "per_h"
    assert figure_unit("terminal.hubs.alpha.yard_max_teu") == "teu"
    assert figure_unit("terminal.hubs.alpha.no_such_figure") == ""


def test_json_has_terminal_only_with_a_terminal_model(
    with_terminal: ExperimentResult, plain: ExperimentResult
) -> None:
    assert plain.estimates.terminal is None
    assert "terminal" not in headline(plain)
    doc = headline(with_terminal)["terminal"]
    est = with_terminal.estimates.terminal
    assert est is not None
    assert list(doc["pools"]) == list(est.pools)
    alpha = doc["hubs"]["alpha"]
    assert alpha["truck_wait_mean_h"] == pytest.approx(est.hubs["alpha"].truck_wait_mean_h.mean)
    e = est.hubs["alpha"].truck_wait_p95_h
    assert alpha["truck_wait_p95_h_ci95"] == pytest.approx([e.ci95_low, e.ci95_high])
    assert doc["hubs"]["beta"]["truck_wait_mean_h"] is None
    rid = next(iter(est.routes))
    assert doc["routes"][rid]["boxes"] == pytest.approx(est.routes[rid].boxes.mean)
    json.dumps(doc, allow_nan=False)


def test_result_files(
    with_terminal: ExperimentResult, plain: ExperimentResult, tmp_path: Path
) -> None:
    write_outputs(plain, tmp_path / "plain")
    assert {p.name for p in (tmp_path / "plain").iterdir()} == PLAIN_FILES
    doc = json.loads((tmp_path / "plain" / "summary.json").read_text("utf-8"))
    assert all("terminal" not in r for r in doc["replications"])

    out = write_outputs(with_terminal, tmp_path / "term")
    names = {p.name for p in out.iterdir()}
    assert names == PLAIN_FILES | {
        "terminal_pools.csv",
        "terminal_hubs.csv",
        "terminal_routes.csv",
        "terminal_jobs.parquet",
        "yard.parquet",
    }
    est = with_terminal.estimates.terminal
    assert est is not None
    with (out / "terminal_pools.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["pool"] for r in rows] == list(est.pools)
    gate = next(r for r in rows if r["pool"] == "alpha/gate")
    assert float(gate["utilisation [share]"]) == pytest.approx(
        est.pools["alpha/gate"].utilisation.mean
    )
    with (out / "terminal_hubs.csv").open(encoding="utf-8") as f:
        hubs = {r["hub"]: r for r in csv.DictReader(f)}
    assert hubs["beta"]["truck_wait_mean_h [h]"] == ""
    with (out / "terminal_routes.csv").open(encoding="utf-8") as f:
        routes = list(csv.DictReader(f))
    assert [r["route"] for r in routes] == list(est.routes)
    jobs = pq.read_table(out / "terminal_jobs.parquet").to_pandas()
    records = [r.result.terminal for r in with_terminal.runs]
    assert len(jobs) == sum(r.job_pool.size for r in records if r is not None)
    assert set(jobs["pool"]) == {"alpha/gate", "alpha/yard"}
    assert set(jobs["kind"]) == {"gate", "truck_in"}
    yard = pq.read_table(out / "yard.parquet").to_pandas()
    assert yard.groupby("replication")["delta_teu"].sum().abs().max() == 0.0  # all left
    assert yard["occupancy_teu"].min() >= 0.0
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert "alpha/gate" in doc["replications"][0]["terminal"]["pools"]
