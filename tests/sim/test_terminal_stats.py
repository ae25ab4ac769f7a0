"""Terminal figures from hand-built records (issue #19): exact integrals, Little's law,
L = L_q + busy units, time-weighted percentiles (all numbers are test parameters)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from freighthub.sim.arrays import HubArrays
from freighthub.sim.cranes import fifo_start_times
from freighthub.sim.queueing import erlang_c, mmc_mean_wait_h
from freighthub.sim.terminal import (
    KIND_GATE,
    KIND_LOAD,
    KIND_TRUCK_IN,
    TASK_GATE,
    TASK_QUAY,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
    TerminalRecords,
)
from freighthub.sim.terminal_stats import (
    pool_layout,
    terminal_summary,
    time_weighted_percentile,
    yard_levels,
)

NAN = math.nan


def hubs(n: int = 2, servers: int = 2, gate_lanes: int = 0) -> HubArrays:
    return HubArrays(
        ids=tuple(f"h{i}" for i in range(n)),
        servers=np.full(n, servers, dtype=np.int64),
        handling_time_h=np.full(n, 0.1),
        service_distribution=("exponential",) * n,
        service_shape=np.ones(n, dtype=np.int64),
        yard_capacity_teu=np.full(n, np.inf),
        gate_lanes=np.full(n, gate_lanes, dtype=np.int64),
        gate_time_h=np.zeros(n),
        handling_cost_cny_per_move=np.zeros(n),
        handling_intensity_id=("",) * n,
    )


def terminal(
    pools: list[tuple[int, int, int]], n_hubs: int = 2, threshold_h: float = NAN
) -> TerminalArrays:
    """Pools as (hub, task, units)."""
    n = len(pools)
    pool_of = np.full((n_hubs, len(TASKS)), -1, dtype=np.int64)
    for p, (h, t, _) in enumerate(pools):
        pool_of[h, t] = p
    return TerminalArrays(
        pools=PoolArrays(
            ids=tuple(f"h{h}/{TASKS[t]}" for h, t, _ in pools),
            hub=np.asarray([h for h, _, _ in pools], dtype=np.int64),
            task=np.asarray([t for _, t, _ in pools], dtype=np.int64),
            units=np.asarray([u for _, _, u in pools], dtype=np.int64),
            mean_service_h=np.full(n, 0.1),
            distribution=("exponential",) * n,
            shape=np.ones(n, dtype=np.int64),
            cv=np.full(n, NAN),
            samples_h=tuple(np.empty(0) for _ in range(n)),
            priority=np.zeros(n, dtype=np.int64),
            shift=np.full(n, -1, dtype=np.int64),
            mtbf_h=np.full(n, np.inf),
            mttr_h=np.zeros(n),
        ),
        shifts=ShiftPatterns(ids=(), start_h=(), on_duty_share=()),
        pool_of=pool_of,
        loading_window_h=np.zeros(0),
        travel_time_cv=np.zeros(0),
        truck_wait_threshold_h=np.full(n_hubs, threshold_h),
    )


def records(
    jobs: list[tuple[int, int, int, float, float, float]],
    yard: list[tuple[int, float, float]] = (),  # type: ignore[assignment]
    truck_wait_h: list[float] = (),  # type: ignore[assignment]
    truck_turnaround_h: list[float] | None = None,
) -> TerminalRecords:
    """Jobs as (pool, kind, box, arrival, start, end); yard as (hub, time, delta)."""
    j = np.asarray([x[3:] for x in jobs], dtype=np.float64).reshape(-1, 3)
    y = np.asarray(yard, dtype=np.float64).reshape(-1, 3)
    wait = np.asarray(truck_wait_h, dtype=np.float64)
    return TerminalRecords(
        job_pool=np.asarray([x[0] for x in jobs], dtype=np.int64),
        job_kind=np.asarray([x[1] for x in jobs], dtype=np.int64),
        job_class=np.zeros(len(jobs), dtype=np.int64),
        job_box=np.asarray([x[2] for x in jobs], dtype=np.int64),
        job_arrival_h=j[:, 0],
        job_start_h=j[:, 1],
        job_end_h=j[:, 2],
        yard_hub=y[:, 0].astype(np.int64),
        yard_h=y[:, 1],
        yard_delta_teu=y[:, 2],
        truck_wait_h=wait,
        truck_turnaround_h=(
            np.full(wait.size, NAN)
            if truck_turnaround_h is None
            else np.asarray(truck_turnaround_h, dtype=np.float64)
        ),
    )


# One unit; the fourth job has not started at the horizon (waits to the end).
JOBS = [
    (0, KIND_LOAD, -1, 1.0, 1.0, 3.0),
    (0, KIND_LOAD, -1, 2.0, 3.0, 5.0),
    (0, KIND_LOAD, -1, 4.0, 5.0, 6.0),
    (0, KIND_LOAD, -1, 8.0, NAN, NAN),
]


def test_pool_integrals_by_hand() -> None:
    s = terminal_summary(terminal([(0, TASK_QUAY, 1)]), hubs(), records(JOBS), 0.0, 10.0)
    p = s.pools["h0/quay"]
    # waiting [2,3) [4,5) [8,10): 4 h; in system 2+3+2+2 = 9 h; busy 2+2+1 = 5 h
    assert p.mean_waiting == pytest.approx(0.4)
    assert p.mean_in_system == pytest.approx(0.9)
    assert p.utilisation == pytest.approx(0.5)
    assert p.jobs == 4
    assert p.throughput_per_h == pytest.approx(0.4)
    assert p.mean_wait_h == pytest.approx(2.0 / 3.0)  # started jobs only: 0, 1, 1
    assert p.p50_wait_h == pytest.approx(1.0)
    # every hub's general pool is reported, the unmodelled gates are not
    assert set(s.pools) == {"h0/quay", "h0/handling", "h1/handling"}
    assert s.pools["h0/handling"].units == 2
    assert s.pools["h0/handling"].jobs == 0
    assert s.pools["h0/handling"].utilisation == 0.0


def test_pool_window_cuts_the_step_functions() -> None:
    s = terminal_summary(terminal([(0, TASK_QUAY, 1)]), hubs(), records(JOBS), 2.0, 10.0)
    p = s.pools["h0/quay"]
    # from t = 2: waiting 1 + 1 + 2 = 4 h; in system 1 + 3 + 2 + 2 = 8 h; busy 1 + 2 + 1 = 4 h
    assert p.mean_waiting == pytest.approx(4.0 / 8.0)
    assert p.mean_in_system == pytest.approx(8.0 / 8.0)
    assert p.utilisation == pytest.approx(4.0 / 8.0)
    assert p.jobs == 3  # the job that arrived at t = 1 is not counted


def test_record_pool_indices_general_and_gate() -> None:
    term = terminal([(1, TASK_QUAY, 3)])
    h = hubs(gate_lanes=2)
    ids, hub, units = pool_layout(term, h)
    assert ids == ("h1/quay", "h0/handling", "h1/handling", "h0/gate", "h1/gate")
    assert list(hub) == [1, 0, 1, 0, 1]
    assert list(units) == [3, 2, 2, 2, 2]
    # a job in pool 1 + n_hubs + 0 = 3 is hub h0's existing gate
    rec = records([(3, KIND_GATE, 0, 0.0, 0.5, 1.5)], truck_wait_h=[0.5], truck_turnaround_h=[1.5])
    s = terminal_summary(term, h, rec, 0.0, 4.0)
    assert s.pools["h0/gate"].utilisation == pytest.approx(1.0 / (2 * 4.0))
    assert s.hubs["h0"].trucks == 1
    assert s.hubs["h0"].truck_turnaround_mean_h == pytest.approx(1.5)


def test_truck_figures_by_entry_hub_and_window() -> None:
    term = terminal([(0, TASK_GATE, 1), (1, TASK_GATE, 1)], threshold_h=0.3)
    jobs = [
        (0, KIND_GATE, 3, 0.5, 0.5, 0.6),  # arrived before the window: not counted
        (0, KIND_GATE, 0, 1.0, 1.1, 1.2),
        (0, KIND_GATE, 1, 3.0, 3.5, 3.6),
        (1, KIND_TRUCK_IN, 2, 5.0, 5.2, 5.3),
    ]
    rec = records(jobs, truck_wait_h=[0.1, 0.5, 0.2, 0.9], truck_turnaround_h=[0.2, 0.6, 0.3, 1])
    s = terminal_summary(term, hubs(), rec, 0.8, 10.0)
    h0, h1 = s.hubs["h0"], s.hubs["h1"]
    assert h0.trucks == 2
    assert h0.truck_wait_mean_h == pytest.approx(0.3)
    assert h0.truck_wait_p95_h == pytest.approx(np.percentile([0.1, 0.5], 95))
    assert h0.truck_wait_above_threshold_share == pytest.approx(0.5)
    assert h0.truck_turnaround_mean_h == pytest.approx(0.4)
    assert h1.trucks == 1
    assert h1.truck_wait_above_threshold_share == 0.0
    no_threshold = terminal_summary(terminal([(0, TASK_GATE, 1)]), hubs(), rec, 0.8, 10.0)
    assert math.isnan(no_threshold.hubs["h0"].truck_wait_above_threshold_share)


def test_yard_levels_by_hand() -> None:
    # hub 0: +2 at t=1; at t=3 -1 then +4 (sorted by delta): level 5 from t=3; -5 at 6
    yard = [(0, 1.0, 2.0), (0, 3.0, -1.0), (0, 3.0, 4.0), (0, 6.0, -5.0), (0, 12.0, 7.0)]
    levels, durations = yard_levels(
        np.asarray([y[1] for y in yard]), np.asarray([y[2] for y in yard]), 2.0, 10.0
    )
    assert list(levels) == [2.0, 5.0, 0.0]
    assert list(durations) == [1.0, 3.0, 4.0]
    s = terminal_summary(terminal([]), hubs(), records([], yard), 2.0, 10.0)
    y = s.hubs["h0"]
    assert y.yard_mean_teu == pytest.approx((2 * 1 + 5 * 3 + 0 * 4) / 8)
    assert y.yard_max_teu == 5.0  # the +7 at t = 12 is after the window
    assert y.yard_p95_teu == 5.0
    assert s.hubs["h1"].yard_mean_teu == 0.0  # no yard changes: empty yard
    assert math.isnan(s.hubs["h1"].truck_wait_mean_h)


def test_time_weighted_distribution_against_numpy_samples() -> None:
    rng = np.random.default_rng(7)
    times = np.sort(rng.integers(0, 100, 300)).astype(np.float64)
    delta = rng.integers(-3, 5, times.size).astype(np.float64)
    lo, hi = 10.0, 90.0
    levels, durations = yard_levels(times, delta, lo, hi)
    # the step function sampled once per hour (all changes fall on whole hours)
    mid = np.arange(lo, hi) + 0.5
    samples = np.asarray([delta[times <= t].sum() for t in mid])
    assert float(np.sum(levels * durations)) / (hi - lo) == pytest.approx(samples.mean())
    for q in (5, 50, 95, 100):
        expected = np.percentile(samples, q, method="inverted_cdf")
        assert time_weighted_percentile(levels, durations, q) == expected
    s = terminal_summary(
        terminal([]),
        hubs(),
        records([], [(0, t, d) for t, d in zip(times, delta, strict=True)]),
        lo,
        hi,
    )
    assert s.hubs["h0"].yard_max_teu == samples.max()
    assert s.hubs["h0"].yard_p95_teu == np.percentile(samples, 95, method="inverted_cdf")


def test_littles_law_and_erlang_c_on_an_mmc_stream() -> None:
    """M/M/3 with lambda = 2/h, mu = 1/h per unit (rho = 2/3) over a long window."""
    lam, mu, c = 2.0, 1.0, 3
    rng = np.random.default_rng(19)
    arrival = np.cumsum(rng.exponential(1 / lam, 200_000))
    service = rng.exponential(1 / mu, arrival.size)
    start, _ = fifo_start_times(arrival, service, c)
    hi = float(arrival[-1]) * 0.98
    lo = 500.0
    end = start + service
    # the engines leave start and end NaN for jobs not started by the horizon
    end = np.where(start < hi, end, NAN)
    start = np.where(start < hi, start, NAN)
    jobs = [(0, KIND_LOAD, -1, a, s, e) for a, s, e in zip(arrival, start, end, strict=True)]
    s = terminal_summary(terminal([(0, TASK_QUAY, c)]), hubs(), records(jobs), lo, hi)
    p = s.pools["h0/quay"]
    # Little's law per pool: L_q = lambda W_q (edge effects only)
    assert p.mean_waiting == pytest.approx(p.throughput_per_h * p.mean_wait_h, rel=0.01)
    # L = L_q + busy units, exactly (same intervals)
    assert p.mean_in_system == pytest.approx(p.mean_waiting + p.utilisation * c, rel=1e-9)
    # and against the closed forms (statistical tolerance)
    assert p.utilisation == pytest.approx(lam / (c * mu), rel=0.02)
    assert p.mean_wait_h == pytest.approx(mmc_mean_wait_h(lam, mu, c), rel=0.05)
    assert p.mean_waiting == pytest.approx(lam * mmc_mean_wait_h(lam, mu, c), rel=0.05)
    waited = np.mean((start - arrival)[(arrival >= lo) & (arrival < hi)] > 0)
    assert waited == pytest.approx(erlang_c(lam, mu, c), rel=0.03)


def test_empty_window_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        terminal_summary(terminal([]), hubs(), records([]), 5.0, 5.0)


def test_a_truck_counts_at_the_hub_it_enters_first() -> None:
    # box 0 passes h0's gate (pool 0) at t = 2, then h1's (pool 1) at t = 6: sorted by
    # pool, the records list h1's job last
    term = terminal([(0, TASK_GATE, 1), (1, TASK_GATE, 1)])
    jobs = [
        (0, KIND_GATE, 0, 2.0, 2.4, 2.5),
        (1, KIND_GATE, 0, 6.0, 6.0, 6.1),
    ]
    s = terminal_summary(term, hubs(), records(jobs, truck_wait_h=[0.4]), 0.0, 10.0)
    assert s.hubs["h0"].trucks == 1
    assert s.hubs["h0"].truck_wait_mean_h == pytest.approx(0.4)
    assert s.hubs["h1"].trucks == 0
    # counted by when it reached its first pool: not counted from t = 3 on
    late = terminal_summary(term, hubs(), records(jobs, truck_wait_h=[0.4]), 3.0, 10.0)
    assert late.hubs["h0"].trucks == 0 and late.hubs["h1"].trucks == 0


@pytest.mark.parametrize("case", ["pools", "breakdowns"])
def test_littles_law_on_the_fast_engines_records(case: str) -> None:
    """The fast engine's records of a feature case (tests/sim/terminal_cases.py)."""
    from freighthub.sim import engine
    from tests.sim.terminal_cases import terminal_case

    net, arrivals = terminal_case(case)
    result = engine.run(net, arrivals)
    assert net.terminal is not None and result.terminal is not None
    s = terminal_summary(net.terminal, net.hubs, result.terminal, net.warmup_h, net.horizon_h)
    checked = 0
    for pid, p in s.pools.items():
        assert p.mean_in_system == pytest.approx(p.mean_waiting + p.utilisation * p.units), pid
        if p.jobs >= 200 and p.mean_waiting > 1e-3:
            assert p.mean_waiting == pytest.approx(p.throughput_per_h * p.mean_wait_h, rel=0.03)
            checked += 1
    assert checked >= 5
    trucks = sum(h.trucks for h in s.hubs.values())
    counted = (arrivals.time_h >= net.warmup_h) & ~np.isnan(result.terminal.truck_wait_h)
    assert trucks <= int(np.sum(~np.isnan(result.terminal.truck_wait_h)))
    assert trucks >= int(np.sum(counted)) * 0.95


def test_route_figures_sum_a_boxs_queueing_over_its_moves() -> None:
    term = terminal([(0, TASK_GATE, 1), (0, TASK_QUAY, 1)])
    jobs = [
        (0, KIND_GATE, 0, 1.0, 1.2, 1.3),  # box 0 waits 0.2 at the gate
        (0, KIND_GATE, 3, 1.0, 1.0, 1.1),  # box 3: arrived before the window
        (1, KIND_LOAD, 0, 2.0, 2.5, 2.6),  # and 0.5 for its load
        (1, KIND_LOAD, 2, 4.0, 4.0, 4.1),  # box 2: 0 here, then never started
        (1, KIND_LOAD, 2, 9.0, NAN, NAN),
        (1, KIND_LOAD, -1, 3.0, 3.5, 3.6),  # background: no box
        (1, KIND_LOAD, 4, 5.0, 5.25, 5.5),  # box 4, route 0: 0.25
    ]
    rec = records(jobs, truck_wait_h=[0.2, NAN, NAN, 0.0, NAN])
    box_route = np.asarray([0, 1, 0, 0, 0], dtype=np.int64)
    counted = np.asarray([True, True, True, False, True])
    routes = (("od/a", "od/b"), box_route, counted)
    s = terminal_summary(term, hubs(), rec, 0.0, 10.0, routes)
    a, b = s.routes["od/a"], s.routes["od/b"]
    assert a.boxes == 2  # boxes 0 and 4; box 2 has a move not started, box 3 not counted
    assert a.terminal_wait_mean_h == pytest.approx((0.7 + 0.25) / 2)
    assert a.terminal_wait_p95_h == pytest.approx(np.percentile([0.7, 0.25], 95))
    assert a.truck_wait_mean_h == pytest.approx(0.2)
    assert b.boxes == 0 and math.isnan(b.terminal_wait_mean_h)
    assert terminal_summary(term, hubs(), rec, 0.0, 10.0).routes == {}
