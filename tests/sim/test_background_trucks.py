"""Background trucks in the gate and yard pools (#16/#19) against queueing theory.

A background hub flow's ``road_share`` sends its trucks through the hub's gate and yard
pools (``docs/terminal-operations.md``, *Background trucks*). With one truck per job the
pool sees the traced trucks and the background trucks as two Poisson streams, so an
exponential gate of ``c`` lanes is M/M/c at the summed rate; grouping ``m`` trucks in a
job keeps the offered load (utilisation = load / units) and, in a one-lane gate, follows
Pollaczek–Khinchine with the mixture of single and grouped service times. Every number
here is a test parameter.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from freighthub.model.scenario import load_scenario
from freighthub.sim import engine
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import CompiledNetwork, EngineResult
from freighthub.sim.queueing import mmc_mean_wait_h
from freighthub.sim.terminal import (
    CLASS_TRUCK,
    KIND_BACKGROUND,
    KIND_GATE,
    TASK_GATE,
    TASK_YARD,
)
from freighthub.sim.terminal_stats import terminal_summary
from freighthub.units import HOURS_PER_YEAR
from tests.sim import terminal_cases
from tests.sim.background_cases import with_background
from tests.sim.terminal_cases import TerminalCase, terminal_case
from tests.sim.test_engine import assert_littles_law

SERVICE_H = 0.06  # mean gate transaction [h] (test parameter)
DAYS = 150.0  # simulated days (long enough for a 5-10 % statistical tolerance)
WARMUP_H = 24.0 * 5


def _gate_run(
    monkeypatch: pytest.MonkeyPatch, units: int, hub_teu: float, trucks_per_job: int
) -> tuple[CompiledNetwork, EngineResult]:
    """The generated network with exponential gate pools only, background trucks
    (road share 1) of ``hub_teu`` TEU a year per hub in groups of ``trucks_per_job``."""
    base = dataclasses.replace(terminal_cases.BASE, horizon_h=24.0 * DAYS)
    monkeypatch.setattr(terminal_cases, "BASE", base)
    case = TerminalCase(tasks=(TASK_GATE,), units=units, service_h=SERVICE_H)
    monkeypatch.setitem(terminal_cases.FEATURES, "gate-only", case)
    network, arrivals = terminal_case("gate-only")
    network = with_background(
        network, hub_teu, 0.0, moves_per_call=50, road_share=1.0, trucks_per_job=trucks_per_job
    )
    network = dataclasses.replace(network, warmup_h=WARMUP_H)
    with_bg = dataclasses.replace(generate_arrivals(network, 5), terminal=arrivals.terminal)
    return network, engine.run(network, with_bg)


def _gate_jobs(network: CompiledNetwork, result: EngineResult, pool: int) -> dict[str, np.ndarray]:
    rec = result.terminal
    assert rec is not None
    lo, hi = network.warmup_h, network.horizon_h
    rows = (rec.job_pool == pool) & (rec.job_arrival_h >= lo) & (rec.job_arrival_h < hi)
    rows &= ~np.isnan(rec.job_start_h)
    return {
        "wait": (rec.job_start_h - rec.job_arrival_h)[rows],
        "work": (rec.job_end_h - rec.job_start_h)[rows],
        "traced": (rec.job_kind == KIND_GATE)[rows],
        "background": (rec.job_kind == KIND_BACKGROUND)[rows],
        "class": rec.job_class[rows],
    }


def _busiest_gate(network: CompiledNetwork, result: EngineResult) -> int:
    """The gate pool with the most traced trucks (the hub where most boxes enter by road)."""
    assert result.terminal is not None and network.terminal is not None
    rec = result.terminal
    traced = np.bincount(
        rec.job_pool[rec.job_kind == KIND_GATE], minlength=network.terminal.pools.n
    )
    return int(np.argmax(traced))


def test_gate_with_background_trucks_is_mmc_at_the_summed_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two exponential lanes of 0.06 h; background of 3e5 TEU a year (1.5 TEU per truck)
    # at every hub, all by road, one truck per job.
    network, result = _gate_run(monkeypatch, units=2, hub_teu=3.0e5, trucks_per_job=1)
    pool = _busiest_gate(network, result)
    jobs = _gate_jobs(network, result, pool)
    window_h = network.horizon_h - network.warmup_h
    lam_t = jobs["traced"].sum() / window_h
    lam_b = jobs["background"].sum() / window_h
    assert lam_t > 2.0 and lam_b > 10.0  # both streams matter
    assert (jobs["class"][jobs["background"]] == CLASS_TRUCK).all()
    lam, mu = lam_t + lam_b, 1.0 / SERVICE_H
    assert lam / (2 * mu) > 0.6  # a congested gate: waits are not negligible
    expected = mmc_mean_wait_h(lam, mu, 2)
    # Traced and background trucks alike see the M/M/2 wait at the summed rate (PASTA).
    assert float(np.mean(jobs["wait"])) == pytest.approx(expected, rel=0.08)
    assert float(np.mean(jobs["wait"][jobs["traced"]])) == pytest.approx(expected, rel=0.15)
    # Utilisation = offered load / units, and Little's law per pool.
    assert result.terminal is not None and network.terminal is not None
    summary = terminal_summary(
        network.terminal, network.hubs, result.terminal, network.warmup_h, network.horizon_h,
        (network.routes.ids, result.route, np.ones(result.route.size, dtype=bool)),
    )  # fmt: skip
    p = summary.pools[network.terminal.pools.ids[pool]]
    assert p.utilisation == pytest.approx(lam / (2 * mu), rel=0.03)
    assert p.mean_waiting == pytest.approx(p.throughput_per_h * p.mean_wait_h, rel=0.01)


def test_grouped_trucks_keep_the_load_and_follow_pollaczek_khinchine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One lane: M/G/1 with two Poisson classes, single traced trucks (exponential,
    # E[S^2] = 2 s^2) and background groups of m = 4 (Erlang-4 work, E[S^2] = m (m+1) s^2).
    m = 4
    network, result = _gate_run(monkeypatch, units=1, hub_teu=1.2e5, trucks_per_job=m)
    pool = _busiest_gate(network, result)
    jobs = _gate_jobs(network, result, pool)
    window_h = network.horizon_h - network.warmup_h
    lam_t = jobs["traced"].sum() / window_h
    lam_g = jobs["background"].sum() / window_h  # groups per hour
    s = SERVICE_H
    rho = (lam_t + m * lam_g) * s
    assert 0.5 < rho < 0.9
    # The grouped jobs carry m trucks' work each: mean m s.
    assert float(np.mean(jobs["work"][jobs["background"]])) == pytest.approx(m * s, rel=0.03)
    pk = (lam_t * 2 * s**2 + lam_g * m * (m + 1) * s**2) / (2 * (1 - rho))
    assert float(np.mean(jobs["wait"])) == pytest.approx(pk, rel=0.10)
    # The same trucks one by one: the same load, shorter waits (M/M/1 at the summed
    # rate); grouping overstates waits by at most (m + 1) / 2.
    single = rho * s / (1 - rho)
    assert single < pk < single * (m + 1) / 2


def _truck_case(name: str, road_share: float, trucks_per_job: int) -> tuple[CompiledNetwork, Any]:
    network, arrivals = terminal_case(name)
    network = with_background(
        network, 1e5, 3e4, moves_per_call=7, lot_teu=3, road_share=road_share,
        trucks_per_job=trucks_per_job,
    )  # fmt: skip
    return network, dataclasses.replace(generate_arrivals(network, 5), terminal=arrivals.terminal)


def test_truck_groups_are_drawn_at_the_flow_rate_and_leave_the_calls_alone() -> None:
    # 1e5 TEU a year per hub, 1.5 TEU per box (box_40ft_share 0.5), road share 0.6,
    # groups of 3: 40,000 / 3 groups a year per hub, each one gate and one yard job.
    network, with_trucks = _truck_case("pools", 0.6, 3)
    _, without = _truck_case("pools", 0.0, 3)
    bg, bg0 = with_trucks.background, without.background
    assert bg is not None and bg0 is not None and bg.task is not None
    crane = bg.crane
    # Common random numbers: the calls and lot loads are the same draws with or without
    # trucks, and trucks carry neither TEU nor moves (hub throughput unchanged).
    for name in ("hub", "arrival_h", "service_h", "teu", "moves", "service"):
        np.testing.assert_array_equal(getattr(bg, name)[crane], getattr(bg0, name), err_msg=name)
    assert not bg.teu[~crane].any() and not bg.moves[~crane].any()
    assert (np.diff(bg.arrival_h) >= 0).all()
    years = network.horizon_h / HOURS_PER_YEAR
    expected = 0.6 * 1e5 / 1.5 / 3 * years  # groups per hub in the horizon
    for h in range(network.n_hubs):
        for task in (TASK_GATE, TASK_YARD):
            n = int(((bg.hub == h) & (bg.task == task)).sum())
            assert abs(n - expected) < 4 * np.sqrt(expected), (h, task, n, expected)
    # A group's work is the sum of 3 draws of the pool's distribution: mean 3 x 0.06 h.
    assert float(np.mean(bg.service_h[~crane])) == pytest.approx(3 * 0.06, rel=0.03)


def test_littles_law_per_pool_with_background_trucks() -> None:
    # Every pool of the records (traced moves, calls, unloads and truck groups), under
    # shifts, breakdowns and priorities: the area under the number-waiting curve equals
    # the sum of the waits, pool by pool (L_q = lambda W_q on the sample path).
    network, arrivals = _truck_case("all", 0.6, 2)
    result = engine.run(network, arrivals)
    rec = result.terminal
    assert rec is not None
    started = ~np.isnan(rec.job_start_h)
    trucks = started & (rec.job_kind == KIND_BACKGROUND) & (rec.job_class == CLASS_TRUCK)
    assert trucks.sum() > 500
    for pool in np.unique(rec.job_pool[trucks]).tolist():
        mine = started & (rec.job_pool == pool)
        assert_littles_law(rec.job_arrival_h[mine], rec.job_start_h[mine])


def test_yangtze_baseline_pools_carry_the_whole_hub(repo_root: Path) -> None:
    # The shipped baseline: every hub with a gate or yard pool sends its background
    # flow's trucks there, and its gate pools have the hub file's gate lanes (the whole
    # gate, not the traced share of it).
    loaded = load_scenario(repo_root / "scenarios" / "yangtze-baseline.toml", repo_root / "hubs")
    s = loaded.scenario
    flows = {f.hub: f for f in s.background_hub_flows}
    truck_hubs = [r for r in s.hub_resources if any(q.task in ("gate", "yard") for q in r.pools)]
    assert len(truck_hubs) == 8
    for r in truck_hubs:
        f = flows[r.hub]
        assert f.road_share is not None and 0 < f.road_share.value <= 1, r.hub
        road = loaded.hubs[r.hub].road
        for q in r.pools:
            assert q.units is not None
            if q.task == "gate":
                assert road is not None and road.gate_lanes is not None
                assert q.units.value == road.gate_lanes.value, r.hub
            # a whole hub's pool, not one sized to the traced boxes' share
            assert q.units.value >= 4, (r.hub, q.task)
