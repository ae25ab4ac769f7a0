"""The reference engine's terminal model (issue #19) on its own: closed forms and invariants.

The equality with the fast engine is ``tests/sim/test_terminal_equality.py``; here the
reference is checked against queueing theory (Cobham's formula for a two-class
non-pre-emptive priority M/M/1, M/M/1 for fifo, availability MTBF/(MTBF+MTTR)), a
deterministic loading window worked by hand, Little's law per pool from the records,
and TEU conservation of the yard records. All numbers are test parameters, not facts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import simpy

from freighthub.model.scenario import load_scenario
from freighthub.sim import engine, reference
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.plan import RoutePlan
from freighthub.sim.reference_pools import Job, UnitCalendar, UnitPool
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network
from freighthub.sim.terminal import (
    CLASS_SERVICE,
    CLASS_TRUCK,
    KIND_BACKGROUND,
    KIND_LOAD,
    PRIORITIES,
    TASK_QUAY,
    TASK_RAIL,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
    TerminalDraws,
)
from tests.sim.background_cases import with_background
from tests.sim.terminal_cases import FEATURES, terminal_case


def cobham_waits_h(rates_per_h: list[float], mean_service_h: float) -> list[float]:
    """Mean queueing wait per class of a non-pre-emptive priority M/M/1 (class 0 first).

    Cobham (1954): ``W_k = W0 / ((1 - s_{k-1}) (1 - s_k))`` with ``s_k`` the load of
    classes ``0..k`` and ``W0 = sum_i lambda_i E[S^2] / 2`` (``E[S^2] = 2 m^2`` for
    exponential service). A. Cobham, "Priority assignment in waiting line problems",
    Operations Research 2 (1954) 70-76; Gross et al., *Fundamentals of Queueing
    Theory*, 4th ed., 2008, §3.4.1.
    """
    rho = [lam * mean_service_h for lam in rates_per_h]
    w0 = sum(lam * mean_service_h**2 for lam in rates_per_h)
    out: list[float] = []
    for k in range(len(rho)):
        out.append(w0 / ((1 - sum(rho[:k])) * (1 - sum(rho[: k + 1]))))
    return out


def _poisson_pool(
    priority: int, rates_per_h: list[float], mean_h: float, n_jobs: int, seed: int
) -> list[Job]:
    """A one-unit pool fed by one Poisson stream per class (one merged stream whose
    jobs take class ``c`` with probability ``lambda_c / lambda``), exponential service."""
    env = simpy.Environment()
    jobs: list[Job] = []
    pool = UnitPool(env, 0, [None], priority, jobs)
    rng = np.random.default_rng(seed)
    total = sum(rates_per_h)
    share = [rate / total for rate in rates_per_h]

    def source() -> Iterator[simpy.events.Event]:
        for _ in range(n_jobs):
            yield env.timeout(float(rng.exponential(1 / total)))
            job_class = int(rng.choice(len(share), p=share))
            pool.request(KIND_LOAD, job_class, -1, float(rng.exponential(mean_h)))

    env.process(source())
    env.run()
    return jobs


def _batch_mean(x: np.ndarray, batches: int = 20) -> tuple[float, float]:
    x = x[x.size // 20 :]  # warm-up
    means = x[: x.size // batches * batches].reshape(batches, -1).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(batches))


@pytest.mark.parametrize("priority", ["service_first", "truck_first", "fifo"])
def test_priority_pool_matches_cobham(priority: str) -> None:
    # Service class 0.3/h, truck class 0.4/h, 1-hour exponential moves: rho = 0.7.
    rates = [0.3, 0.4]
    jobs = _poisson_pool(PRIORITIES.index(priority), rates, 1.0, 100_000, seed=11)
    waits = {
        c: np.array([j.start_h - j.arrival_h for j in jobs if j.job_class == c]) for c in (0, 1)
    }
    if priority == "fifo":  # M/M/1: W_q = rho m / (1 - rho), both classes alike
        expected = {0: 0.7 / 0.3, 1: 0.7 / 0.3}
    else:
        order = [CLASS_SERVICE, CLASS_TRUCK] if priority == "service_first" else [1, 0]
        w = cobham_waits_h([rates[c] for c in order], 1.0)
        expected = {order[0]: w[0], order[1]: w[1]}
    for c in (0, 1):
        mean, se = _batch_mean(waits[c])
        assert abs(mean - expected[c]) < 4 * se, (priority, c, mean, expected[c], se)


def _exponential_calendar(rng: np.random.Generator, horizon_h: float) -> UnitCalendar:
    starts: list[float] = []
    ends: list[float] = []
    t = 0.0
    while t < horizon_h:
        t += rng.exponential(20.0)  # MTBF 20 h
        repair = rng.exponential(5.0)  # MTTR 5 h
        starts.append(t)
        ends.append(t + repair)
        t += repair
    return UnitCalendar(np.asarray(starts), np.asarray(ends))


def test_breakdowns_give_capacity_units_times_availability() -> None:
    # A saturated pool of 3 units with exponential breakdowns: the work done by the
    # horizon equals the units' available time (up to the moves still in progress),
    # and its share of 3 x horizon is MTBF / (MTBF + MTTR) = 0.8.
    horizon, move_h, units = 20_000.0, 0.5, 3
    rng = np.random.default_rng(4)
    calendars = [_exponential_calendar(rng, horizon) for _ in range(units)]
    env = simpy.Environment()
    jobs: list[Job] = []
    pool = UnitPool(env, 0, list(calendars), 0, jobs)
    for _ in range(int(units * horizon / move_h) + 10):
        pool.request(KIND_LOAD, CLASS_SERVICE, -1, move_h)
    env.run(until=horizon)
    done = sum(1 for j in jobs if j.end_h <= horizon)
    available = sum(
        horizon
        - sum(min(e, horizon) - s for s, e in zip(c.start, c.end, strict=True) if s < horizon)
        for c in calendars
    )
    assert abs(done * move_h - available) <= units * move_h
    share = available / (units * horizon)
    assert share == pytest.approx(20.0 / 25.0, abs=0.02)
    # A move is never in progress while its unit is down: a suspended move ends later.
    assert any(j.end_h - j.start_h > move_h + 1e-9 for j in jobs if j.end_h <= horizon)


def _with_pools(
    net: CompiledNetwork,
    tasks: tuple[int, ...],
    units: int,
    service_h: float,
    distribution: str,
    window_h: float,
    seed: int,
    priority: str = "fifo",
) -> tuple[CompiledNetwork, Arrivals]:
    """The network with one pool per task at every hub (always on duty), and arrivals."""
    n_hubs = net.n_hubs
    pool_of = np.full((n_hubs, len(TASKS)), -1, dtype=np.int64)
    hub: list[int] = []
    task: list[int] = []
    for h in range(n_hubs):
        for t in tasks:
            pool_of[h, t] = len(hub)
            hub.append(h)
            task.append(t)
    n = len(hub)
    pools = PoolArrays(
        ids=tuple(f"{net.node_ids[h]}/{TASKS[t]}" for h, t in zip(hub, task, strict=True)),
        hub=np.asarray(hub, dtype=np.int64),
        task=np.asarray(task, dtype=np.int64),
        units=np.full(n, units, dtype=np.int64),
        mean_service_h=np.full(n, service_h),
        distribution=(distribution,) * n,
        shape=np.ones(n, dtype=np.int64),
        cv=np.full(n, np.nan),
        samples_h=tuple(np.empty(0) for _ in range(n)),
        priority=np.full(n, PRIORITIES.index(priority), dtype=np.int64),
        shift=np.full(n, -1, dtype=np.int64),
        mtbf_h=np.full(n, np.inf),
        mttr_h=np.zeros(n),
    )
    services = net.services
    terminal = TerminalArrays(
        pools=pools,
        shifts=ShiftPatterns(ids=(), start_h=(), on_duty_share=()),
        pool_of=pool_of,
        loading_window_h=np.full(services.n, window_h),
        travel_time_cv=np.zeros(services.n),
        truck_wait_threshold_h=np.full(n_hubs, np.nan),
    )
    net = dataclasses.replace(net, terminal=terminal)
    arrivals = generate_arrivals(net, seed)
    rng = np.random.default_rng(seed)
    none = tuple(np.empty(0) for _ in range(units))
    draws = TerminalDraws(
        gate_u=rng.uniform(size=arrivals.n),
        yard_u=rng.uniform(size=(arrivals.n, 2)),
        down_start_h=(none,) * n,
        down_end_h=(none,) * n,
        travel_extra_h=tuple(np.zeros(d.size) for d in services.departures_h),
    )
    return net, dataclasses.replace(arrivals, terminal=draws)


def test_deterministic_loading_window_delays_by_work_minus_window() -> None:
    # One rail OD; 2 rail units at the hubs, 0.1-hour moves, a 0.5-hour window. A
    # departure with N boxes leaves at T + max(0, ceil(N / 2) x 0.1 - 0.5): its load
    # moves start at T - w, two at a time (= N / (units x rate) - w for even N).
    p = SyntheticParameters(
        n_hubs=3, n_od=1, teu_per_year=4e4, road_only_share=0.0, rail_share=1.0,
        transshipment_share=0.0, seed=3, horizon_h=24 * 20.0,
    )  # fmt: skip
    net, arrivals = _with_pools(synthetic_network(p), (TASK_RAIL,), 2, 0.1, "deterministic", 0.5, 2)
    result = reference.run(net, arrivals)
    k = int(result.trip_service[0])
    assert np.all(result.trip_service == k)
    scheduled = net.services.departures_h[k][: result.trip_service.size]
    work = np.ceil(result.trip_boxes / 2) * 0.1
    expected = scheduled + np.maximum(0.0, work - 0.5)
    assert np.all(scheduled[1:] - 0.5 >= expected[:-1])  # windows do not overlap
    np.testing.assert_allclose(result.trip_departure_h, expected, rtol=0, atol=1e-9)
    assert (result.trip_departure_h > scheduled + 1e-6).sum() > 5  # the window binds
    # Every load move reached the pool at the selection T - w of a departure, after
    # the box was ready in the yard (its ready_h, before the selection).
    start0 = result.visit_column(result.visit_start_h, 0)
    moved = np.isfinite(start0)
    reached = start0[moved] - result.visit_column(result.visit_wait_h, 0)[moved]
    selections = net.services.departures_h[k] - 0.5
    assert np.abs(reached[:, None] - selections[None, :]).min(axis=1).max() < 1e-9
    assert np.all(result.ready_h[moved] <= reached)


def _in_system(start: np.ndarray, end: np.ndarray, horizon: float) -> float:
    """Time integral over [0, horizon] of the number of intervals [start, end) open."""
    t = np.concatenate([start, end])
    d = np.concatenate([np.ones(start.size), -np.ones(end.size)])
    order = np.lexsort((d, t))
    t, d = np.minimum(t[order], horizon), d[order]
    n = np.cumsum(d)
    return float(np.sum(n[:-1] * np.diff(t)))


@pytest.mark.parametrize("name", list(FEATURES))
def test_records_little_law_and_teu_conservation(name: str) -> None:
    net, arrivals = terminal_case(name)
    result = reference.run(net, arrivals)
    rec = result.terminal
    assert rec is not None and net.terminal is not None
    horizon = net.horizon_h
    keys = np.lexsort((rec.job_start_h, rec.job_arrival_h, rec.job_pool))
    np.testing.assert_array_equal(keys, np.arange(keys.size))  # sorted (pool, arrival, start)
    started = np.isfinite(rec.job_start_h)
    assert np.all(rec.job_arrival_h < horizon)
    assert np.all(rec.job_start_h[started] >= rec.job_arrival_h[started])
    assert np.all(rec.job_start_h[started] < horizon)
    assert np.all(rec.job_end_h[started] > rec.job_start_h[started])
    n_pools = net.terminal.pools.n
    units = np.r_[net.terminal.pools.units, net.hubs.servers, net.hubs.gate_lanes]
    for p in np.unique(rec.job_pool):
        mine = rec.job_pool == p
        arr, start = rec.job_arrival_h[mine], rec.job_start_h[mine]
        end = rec.job_end_h[mine]
        done = np.isfinite(start)
        # At most `units` moves in progress at once.
        t = np.concatenate([start[done], end[done]])
        d = np.concatenate([np.ones(done.sum()), -np.ones(done.sum())])
        assert np.cumsum(d[np.lexsort((d, t))]).max() <= units[p]
        # Little's law over [0, H]: L = lambda W and L_q = lambda W_q, with L, L_q the
        # time averages of the step functions and W, W_q the jobs' times clipped at H.
        out = np.where(done, end, horizon)
        begin = np.where(done, start, horizon)
        lam = mine.sum() / horizon
        w = float(np.mean(np.minimum(out, horizon) - arr))
        w_q = float(np.mean(np.minimum(begin, horizon) - arr))
        assert _in_system(arr, out, horizon) / horizon == pytest.approx(lam * w, rel=1e-9)
        assert _in_system(arr, begin, horizon) / horizon == pytest.approx(lam * w_q, rel=1e-9)
        if p < n_pools and net.terminal.pools.task[p] == TASK_RAIL:
            assert not np.any(rec.job_kind[mine] > 1)  # rail pools: loads and unloads only
    # Every started load and unload visit is a job of the records, and vice versa.
    visits = np.isfinite(result.visit_start_h)
    box_jobs = rec.job_kind <= 1
    assert visits.sum() == np.count_nonzero(started & box_jobs)
    # TEU conservation: the yard's departures are the trips' traced TEU, and no hub's
    # yard goes negative; what is left is the TEU of boxes in yards at the horizon.
    assert -rec.yard_delta_teu[rec.yard_delta_teu < 0].sum() == pytest.approx(result.trip_teu.sum())
    for h in np.unique(rec.yard_hub):
        assert np.cumsum(rec.yard_delta_teu[rec.yard_hub == h]).min() >= -1e-9
    entered = rec.yard_delta_teu[rec.yard_delta_teu > 0].sum()
    assert entered == pytest.approx(result.trip_teu.sum() + rec.yard_delta_teu.sum())
    # Trucks: waiting is part of the turnaround; boxes on road-only routes have none.
    trucks = np.isfinite(rec.truck_wait_h)
    assert trucks.sum() > 0.3 * arrivals.n
    assert np.all(rec.truck_wait_h[trucks] >= 0)
    assert np.all(rec.truck_turnaround_h[trucks] > rec.truck_wait_h[trucks])
    assert not trucks[RoutePlan.of(net).road_only[result.route]].any()


def test_without_terminal_records_are_none_and_engines_agree() -> None:
    net, arrivals = terminal_case("pools")
    plain = dataclasses.replace(net, terminal=None)
    bare = dataclasses.replace(arrivals, terminal=None)
    slow = reference.run(plain, bare)
    assert slow.terminal is None
    fast = engine.run(plain, bare)
    np.testing.assert_allclose(fast.delivered_h, slow.delivered_h, rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match=r"arrivals\.terminal is needed"):
        reference.run(net, bare)


def test_service_first_quay_and_rail_pools_favour_vessel_and_train_work() -> None:
    # One unit per quay and rail pool takes unloads and transshipment loads (class
    # service) and the loads of boxes that came by road (class truck). Against fifo on
    # the same arrivals, service_first shortens the service class's mean wait and
    # lengthens the truck class's (a non-pre-emptive priority queue's ordering). The
    # service class gains little: a train's unloads arrive together and queue behind
    # each other whatever the discipline.
    net0 = synthetic_network(
        SyntheticParameters(
            n_hubs=6, n_od=12, teu_per_year=2.0e5, horizon_h=24 * 21.0, seed=2,
            transshipment_share=0.5,
        )
    )  # fmt: skip
    waits: dict[str, dict[int, float]] = {}
    for priority in ("fifo", "service_first"):
        net, arrivals = _with_pools(
            net0, (TASK_QUAY, TASK_RAIL), 1, 0.1, "exponential", 0.0, 5, priority
        )
        rec = reference.run(net, arrivals).terminal
        assert rec is not None and net.terminal is not None
        mine = (rec.job_pool < net.terminal.pools.n) & np.isfinite(rec.job_start_h)
        wait = rec.job_start_h - rec.job_arrival_h
        waits[priority] = {c: float(wait[mine & (rec.job_class == c)].mean()) for c in (0, 1)}
        assert np.count_nonzero(mine & (rec.job_class == CLASS_TRUCK)) > 1000
        assert np.count_nonzero(mine & (rec.job_class == CLASS_SERVICE)) > 1000
    assert waits["service_first"][CLASS_SERVICE] < waits["fifo"][CLASS_SERVICE], waits
    assert waits["service_first"][CLASS_TRUCK] > waits["fifo"][CLASS_TRUCK], waits


def test_no_move_starts_while_no_unit_is_on_duty() -> None:
    # The feature case's shift pattern has no unit on duty at weekend nights (hours of
    # the week 120-126, 142-150, 166-168); half the units on weekday nights.
    net, arrivals = terminal_case("shifts")
    rec = reference.run(net, arrivals).terminal
    assert rec is not None and net.terminal is not None
    terminal_pool = rec.job_pool < net.terminal.pools.n
    hour = np.mod(rec.job_start_h[terminal_pool & np.isfinite(rec.job_start_h)], 168.0)
    off = ((hour >= 120.0) & (hour < 126.0)) | ((hour >= 142.0) & (hour < 150.0)) | (hour >= 166.0)
    assert not off.any()
    day = (np.mod(hour, 24.0) >= 6.0) & (np.mod(hour, 24.0) < 22.0)
    assert day.sum() > 0 and (~day).sum() > 0  # weekday nights still work, with fewer units


def test_background_jobs_use_their_task_pool_and_conserve_teu() -> None:
    # Calls (no service) in the general pool; lots' loads and trips' background
    # unloads in the pool of their service's task; all class service, box -1. The
    # background TEU carried equals the TEU unloaded at the destinations.
    net, arrivals = terminal_case("all")
    busy = with_background(net, 1e5, 2e4, cranes_per_call=2)
    jobs = generate_arrivals(busy, 5)
    assert jobs.n == arrivals.n  # the same boxes; the background is drawn apart
    result = reference.run(busy, dataclasses.replace(jobs, terminal=arrivals.terminal))
    rec, bg, terminal = result.terminal, result.background, busy.terminal
    assert rec is not None and bg is not None and terminal is not None and jobs.background
    n_pools = terminal.pools.n
    mine = rec.job_kind == KIND_BACKGROUND
    assert np.all(rec.job_box[mine] == -1) and np.all(rec.job_class[mine] == CLASS_SERVICE)
    calls = int(np.count_nonzero(jobs.background.service < 0))
    general = mine & (rec.job_pool >= n_pools)
    assert np.count_nonzero(general) == calls
    tasks = terminal.pools.task[rec.job_pool[mine & (rec.job_pool < n_pools)]]
    assert np.isin(tasks, [TASK_QUAY, TASK_RAIL]).all() and tasks.size > calls / 10
    started = np.sort(rec.job_start_h[mine & np.isfinite(rec.job_start_h)])
    expected = np.r_[bg.job_start_h, bg.unload_start_h]
    np.testing.assert_array_equal(started, np.sort(expected[np.isfinite(expected)]))
    assert bg.trip_teu.sum() == pytest.approx(bg.unload_teu.sum()) and bg.trip_teu.sum() > 0


def test_yangtze_baseline_with_windows_never_leaves_early(repo_root: Path) -> None:
    # The shipped baseline's terminal model (yard and gate pools), 10 days, with a
    # 2-hour loading window on every service: timetables share whole hours, so
    # trains and vessels leave at one instant; none leaves before its timetable.
    network = compile_network(load_scenario(repo_root / "scenarios" / "yangtze-baseline.toml"))
    assert network.terminal is not None
    terminal = dataclasses.replace(
        network.terminal, loading_window_h=np.minimum(2.0, network.services.cutoff_h)
    )
    network = dataclasses.replace(network, horizon_h=240.0, warmup_h=0.0, terminal=terminal)
    result = reference.run(network, generate_arrivals(network, 7))
    dep, svc = result.trip_departure_h, result.trip_service
    tie = dep[1:] == dep[:-1]
    assert tie.sum() >= 3 and np.all(svc[1:][tie] != svc[:-1][tie])
    assert np.all(np.diff(dep) >= 0)  # recorded in departure order
    for k in np.unique(svc):
        mine = dep[svc == k]
        scheduled = network.services.departures_h[k][: mine.size]
        assert np.all(mine >= scheduled)  # a train leaves at T or later, never early
    rec = result.terminal
    assert rec is not None
    trucks = np.isfinite(rec.truck_wait_h)
    assert trucks.sum() > 1000 and np.all(rec.truck_wait_h[trucks] >= 0)
