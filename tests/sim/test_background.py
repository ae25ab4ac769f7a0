"""Background traffic in the engines: analytic queues, conservation, seasonality, totals."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim import engine
from freighthub.sim.arrival_rows import take
from freighthub.sim.background import BackgroundArrays
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.experiment import run_network
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.queueing import mmc_mean_wait_h
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network
from freighthub.units import HOURS_PER_YEAR, MONTH_DAYS
from tests.sim.background_cases import HUB_FLOW, SERVICE_FLOW, flows, with_background
from tests.sim.test_engine import _visit_arrays, assert_littles_law

TINY = Path(__file__).resolve().parent / "tiny"
BASE = SyntheticParameters(n_hubs=6, n_od=12, teu_per_year=1.5e5, horizon_h=24 * 20.0, seed=2)


def _background_only(
    servers: int,
    moves_per_call: int,
    calls_per_h: float,
    years: float,
    seasonality: np.ndarray | None = None,
) -> tuple[CompiledNetwork, Arrivals, EngineResult]:
    """One hub with background calls only (no traced box): a textbook queue."""
    net = synthetic_network(dataclasses.replace(BASE, horizon_h=years * HOURS_PER_YEAR))
    hubs = dataclasses.replace(net.hubs, servers=np.full(net.hubs.n, servers, dtype=np.int64))
    teu = calls_per_h * HOURS_PER_YEAR * moves_per_call  # box_40ft_share 0: 1 TEU a move
    background = BackgroundArrays(
        hub_flows=flows([0], [teu], [moves_per_call], 0.0, seasonality),
        service_flows=flows([], [], []),
    )
    net = dataclasses.replace(net, hubs=hubs, background=background, warmup_h=24 * 30.0)
    full = generate_arrivals(net, 11)
    traced_none = take(full, np.zeros(0, dtype=np.int64))  # (the background kept)
    return net, traced_none, engine.run(net, traced_none)


def _waits(net: CompiledNetwork, arr: Arrivals, res: EngineResult) -> np.ndarray:
    assert arr.background is not None and res.background is not None
    keep = arr.background.arrival_h >= net.warmup_h
    start = res.background.job_start_h[keep]
    return (start - arr.background.arrival_h[keep])[~np.isnan(start)]


def test_exponential_calls_on_c_cranes_match_erlang_c() -> None:
    # One move per call: M/M/3 with rho = 0.7. Erlang C mean wait (Kleinrock, Queueing
    # Systems I, 1975, eq. 3.40 via freighthub.sim.queueing). About 735,000 calls in
    # 2 years: the standard error of the mean wait is ~2 % here, so 6 % is 3 sigma
    # (measured: 0.02737 h against 0.02735 h).
    mean_h = 0.05
    lam = 0.7 * 3 / mean_h
    net, arr, res = _background_only(3, 1, lam, 2.0)
    assert net.hubs.handling_time_h[0] == pytest.approx(mean_h)
    expected = mmc_mean_wait_h(lam, 1 / mean_h, 3)
    assert float(np.mean(_waits(net, arr, res))) == pytest.approx(expected, rel=0.06)


def test_batches_of_k_exponential_moves_match_pollaczek_khinchine() -> None:
    # Calls of k = 8 exponential moves on one crane: Erlang-8 service, M/G/1. Mean wait
    # Wq = lam E[S^2] / (2 (1 - rho)) with E[S] = k m, E[S^2] = k m^2 + (k m)^2
    # (Pollaczek-Khinchine; Kleinrock 1975, eq. 5.72). rho = 0.75, ~33,000 calls in
    # 2 years: standard error ~4 % (waits are correlated), tolerance 12 % (3 sigma;
    # measured: 0.636 h against 0.675 h).
    k, m = 8, 0.05
    lam = 0.75 / (k * m)
    net, arr, res = _background_only(1, k, lam, 2.0)
    es, es2 = k * m, k * m * m + (k * m) ** 2
    expected = lam * es2 / (2 * (1 - lam * es))
    assert float(np.mean(_waits(net, arr, res))) == pytest.approx(expected, rel=0.12)
    # The crane is busy rho of the time (Little's law on the servers: L = lam E[S]).
    assert arr.background is not None
    assert float(np.mean(arr.background.service_h)) == pytest.approx(es, rel=0.02)


def test_monthly_seasonality_is_reproduced_in_call_counts() -> None:
    factors = np.array([0.5, 1.5, 1.0, 1.0, 0.8, 1.2, 1.0, 1.0, 0.6, 1.4, 1.0, 1.0])
    days = np.array(MONTH_DAYS, dtype=float)
    factors = factors / (np.sum(factors * days) / days.sum())  # as the compiler rescales
    calls_per_h = 2.0
    _, arr, _ = _background_only(4, 1, calls_per_h, 3.0, factors[None, :])
    assert arr.background is not None
    edges = np.concatenate([[0.0], np.cumsum(np.tile(days, 3)) * 24.0])
    counts = np.histogram(arr.background.arrival_h, edges)[0].reshape(3, 12).sum(axis=0)
    expected = calls_per_h * 24.0 * days * factors * 3
    # Poisson counts: each month within 4 standard deviations.
    assert np.all(np.abs(counts - expected) < 4 * np.sqrt(expected))
    assert counts[1] / days[1] > 2.5 * counts[0] / days[0]  # February 3x January per day


def test_lot_teu_is_conserved_and_departures_never_overfill() -> None:
    params = dataclasses.replace(BASE, service_utilisation_share=1.1, horizon_h=24 * 60.0)
    net = with_background(synthetic_network(params), 1e5, 3e4)
    arr = generate_arrivals(net, 3)
    res = engine.run(net, arr)
    jobs, bg = arr.background, res.background
    assert jobs is not None and bg is not None
    lots = jobs.service >= 0
    ready = bg.job_start_h + jobs.service_h
    for k in range(net.services.n):
        mine = lots & (jobs.service == k)
        if not mine.any():
            continue
        arrived = jobs.teu[mine].sum()
        carried = bg.trip_teu[res.trip_service == k].sum()
        in_pool = jobs.teu[mine & ~(ready < net.horizon_h)].sum()  # not loaded by the horizon
        assert arrived == pytest.approx(carried + bg.waiting_teu[k] + in_pool)
    assert np.all(res.trip_teu + bg.trip_teu <= res.trip_capacity_teu + 1e-9)
    assert bg.unload_teu.sum() == pytest.approx(bg.trip_teu.sum())
    assert bg.left_behind_teu.sum() > 0  # the services are full: lots wait too
    assert np.array_equal(bg.trip_teu, np.round(bg.trip_teu))  # whole TEU


def _tiny_with(tmp_path: Path, extra: str) -> CompiledNetwork:
    text = (TINY / "tiny.toml").read_text(encoding="utf-8") + extra
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return compile_network(load_scenario(path, TINY / "hubs"))


def test_scenario_without_background_is_unchanged(tmp_path: Path) -> None:
    plain = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    assert plain.background is None
    assert generate_arrivals(plain, 7).background is None
    assert engine.run(plain, generate_arrivals(plain, 7)).background is None


def test_hub_totals_add_traced_and_background(tmp_path: Path) -> None:
    net = _tiny_with(tmp_path, HUB_FLOW + SERVICE_FLOW)
    plain = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    pack = load_factor_pack("glec-v3-2023")
    result = run_network(net, pack, replications=3, seed=7)
    base = run_network(plain, pack, replications=3, seed=7)
    window_years = (net.horizon_h - net.warmup_h) / HOURS_PER_YEAR
    for rep, rep0 in zip(result.summaries, base.summaries, strict=True):
        beta, beta0 = rep.hubs["beta"], rep0.hubs["beta"]
        alpha = rep.hubs["alpha"]
        # The same traced boxes (fewer reach beta by the horizon: they queue behind
        # the background); the hub total adds the background.
        assert 0.9 * beta0.handled_teu <= beta.traced_teu <= beta0.handled_teu
        assert beta.handled_teu == pytest.approx(beta.traced_teu + beta.background_teu)
        assert rep.arrived_teu == rep.delivered_teu + rep.in_system_teu  # traced TEU kept
        assert beta.utilisation > beta0.utilisation
        assert beta.mean_wait_h > beta0.mean_wait_h  # traced boxes queue behind the calls
        # alpha handles only the lots' loads, beta the calls and the lots' unloads.
        assert alpha.background_teu > 0
        svc = rep.services["rail-ab"]
        # Lots take space: the traced boxes carried can only fall, the total rises.
        assert svc.teu - svc.background_teu <= rep0.services["rail-ab"].teu
        assert svc.teu > rep0.services["rail-ab"].teu
        assert svc.background_teu > 0 and svc.teu <= svc.capacity_teu
    # The hub flow carries its yearly volume: 150,000 TEU/year over the window, within
    # 4 standard deviations of the Poisson number of 20-box calls (~1.3 % each).
    est = result.estimates.hubs["beta"]
    svc_bg = result.estimates.services["rail-ab"].background_teu.mean
    expected = 150_000 * window_years + svc_bg  # the calls plus the lots' unloads
    calls = 150_000 * window_years / 30
    assert est.background_teu.mean == pytest.approx(expected, rel=4 / math.sqrt(calls * 3))
    assert est.background_mean_wait_h.unit == "h"


def _pool_jobs(
    network: CompiledNetwork, arr: Arrivals, res: EngineResult
) -> tuple[np.ndarray, ...]:
    """Every started job of every pool, traced and background: hub, arrival, start, handling."""
    hub, arrived, start, handling = _visit_arrays(network, res)
    assert arr.background is not None and res.background is not None
    jobs, bg = arr.background, res.background
    hubs = [hub, jobs.hub, bg.unload_hub]
    arrivals = [arrived, jobs.arrival_h, bg.unload_arrival_h]
    starts = [start, bg.job_start_h, bg.unload_start_h]
    services = [handling, jobs.service_h, bg.unload_service_h]
    keep = [~np.isnan(s) for s in starts]
    return tuple(
        np.concatenate([x[k] for x, k in zip(parts, keep, strict=True)])
        for parts in (hubs, arrivals, starts, services)
    )


def test_littles_law_and_fifo_in_pools_shared_with_background() -> None:
    # Per hub, over every job of its pool (traced moves, calls, lot loads and unloads):
    # the area under the number-waiting curve equals the sum of the waits (L = lam W on
    # the sample path, exact up to rounding); jobs start in arrival order (one FIFO
    # queue); and no more jobs are in service than the hub has cranes.
    params = dataclasses.replace(BASE, transshipment_share=0.5, horizon_h=24 * 40.0)
    net = with_background(synthetic_network(params), 1.5e5, 2e4)
    arr = generate_arrivals(net, 2)
    res = engine.run(net, arr)
    hub, arrived, start, handling = _pool_jobs(net, arr, res)
    assert arr.background is not None
    for h in range(net.n_hubs):
        mine = hub == h
        a, s, d = arrived[mine], start[mine], handling[mine]
        assert_littles_law(a, s)
        by_arrival = np.argsort(a, kind="stable")
        assert np.all(np.diff(s[by_arrival]) >= -1e-9)  # FIFO: no job starts before an earlier one
        ends = s + d - 1e-9
        events = np.concatenate([s, ends])
        busy = np.cumsum(np.concatenate([np.ones(s.size), -np.ones(s.size)])[
            np.lexsort((np.concatenate([np.ones(s.size), -np.ones(s.size)]), events))
        ])  # fmt: skip
        assert busy.max() <= net.hubs.servers[h]
    # Background jobs are a real share of the pools' work.
    assert res.background is not None
    started = ~np.isnan(res.background.job_start_h)
    assert np.sum(arr.background.service_h[started]) > 0.2 * np.sum(handling)


def test_cranes_per_call_splits_a_call_into_jobs_that_arrive_together() -> None:
    net1 = with_background(synthetic_network(BASE), 1e5, 0.0, moves_per_call=40)
    net4 = with_background(synthetic_network(BASE), 1e5, 0.0, moves_per_call=40, cranes_per_call=4)
    a1, a4 = generate_arrivals(net1, 3).background, generate_arrivals(net4, 3).background
    assert a1 is not None and a4 is not None
    calls = a1.service < 0
    # The same calls (common random numbers), each as 4 jobs of 10 moves at its time.
    assert a4.n == 4 * int(calls.sum()) + int((~calls).sum())
    assert np.array_equal(np.unique(a4.arrival_h[a4.service < 0]), np.unique(a1.arrival_h[calls]))
    assert np.all(a4.moves[a4.service < 0] == 10)
    assert a4.teu[a4.service < 0].sum() == pytest.approx(a1.teu[calls].sum())
