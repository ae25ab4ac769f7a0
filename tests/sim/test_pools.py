"""Terminal pools (freighthub.sim.pools) against closed forms and invariants.

Statistical checks compare a long run with the closed form within a stated number of
standard errors, estimated by batch means (batches long against the queue's
relaxation time, so their means are nearly independent). All numbers are test
parameters, not facts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.model.terminal_schema import on_duty_units
from freighthub.sim.cranes import fifo_start_times
from freighthub.sim.pools import (
    Calendar,
    TerminalPool,
    down_intervals,
    pool_service_times_h,
    service_times_h,
)
from freighthub.sim.queueing import cobham_waits_h, mmc_mean_wait_h, piecewise_stationary_wait_h
from freighthub.sim.terminal import CLASS_SERVICE, CLASS_TRUCK, PRIORITIES, PoolArrays

FIFO, SERVICE_FIRST, TRUCK_FIRST = (PRIORITIES.index(p) for p in PRIORITIES)


def _week_off_22_to_6() -> tuple[np.ndarray, np.ndarray]:
    """A weekly pattern: every day off duty 22:00-06:00 (test parameter)."""
    start = np.concatenate([[24.0 * d, 24.0 * d + 6, 24.0 * d + 22] for d in range(7)])
    share = np.tile([0.0, 1.0, 0.0], 7)
    return start, share


def _batch_se(values: np.ndarray, times: np.ndarray, batches: int) -> tuple[float, float]:
    """Mean of ``values`` and its standard error from ``batches`` batch means by time."""
    edges = np.linspace(times.min(), times.max() + 1e-9, batches + 1)
    idx = np.searchsorted(edges, times, side="right") - 1
    sums = np.bincount(idx, weights=values, minlength=batches)
    counts = np.bincount(idx, minlength=batches)
    means = sums / counts
    return float(values.mean()), float(means.std(ddof=1) / math.sqrt(batches))


# ---- 1. Cobham: non-pre-emptive priority M/M/1, two classes ----------------------------


@pytest.mark.parametrize("priority", [SERVICE_FIRST, TRUCK_FIRST])
def test_two_class_priority_mm1_matches_cobham(priority: int) -> None:
    lam = {CLASS_SERVICE: 0.3, CLASS_TRUCK: 0.4}  # per h; mu = 1 per h
    rng = np.random.default_rng(1954)
    horizon_h = 5.0e5  # ~350 000 jobs
    arrivals, classes = [], []
    for klass, rate in lam.items():
        a = np.cumsum(rng.exponential(1 / rate, int(rate * horizon_h * 1.1)))
        a = a[a < horizon_h]
        arrivals.append(a)
        classes.append(np.full(a.size, klass))
    a = np.concatenate(arrivals)
    k = np.concatenate(classes)
    s = service_times_h("exponential", 1.0, rng.uniform(size=a.size))
    pool = TerminalPool(1, priority=priority)
    pool.submit(a, s, k, np.arange(a.size))
    ref, start, _, unit = pool.start_until(math.inf)
    assert np.all(unit == 0) and np.array_equal(np.sort(ref), np.arange(a.size))
    wait = start - a[ref]
    order = (
        [CLASS_SERVICE, CLASS_TRUCK] if priority == SERVICE_FIRST else [CLASS_TRUCK, CLASS_SERVICE]
    )
    expected = cobham_waits_h([lam[c] for c in order], [1.0, 1.0], [2.0, 2.0])
    for klass, w in zip(order, expected, strict=True):
        mask = k[ref] == klass
        mean, se = _batch_se(wait[mask], a[ref][mask], 40)
        assert se / w < 0.03  # the run is long enough for ~2 % standard error
        assert abs(mean - w) < 3.5 * se, (PRIORITIES[priority], klass, mean, w, se)


def test_cobham_closed_form_cases() -> None:
    # One class: Pollaczek-Khinchine, Wq = lambda E[S^2] / (2 (1 - rho)).
    assert cobham_waits_h([0.5], [1.0], [2.0])[0] == pytest.approx(0.5 * 2 / 2 / 0.5)
    # l1 = 0.3, l2 = 0.4, exponential mean 1: W0 = 0.7, W1 = 0.7/0.7, W2 = 0.7/(0.7*0.3).
    assert cobham_waits_h([0.3, 0.4], [1, 1], [2, 2]) == pytest.approx([1.0, 0.7 / 0.21])
    # Conservation (Kleinrock): sum rho_k Wq_k equals the FIFO M/G/1 value rho Wq.
    w = cobham_waits_h([0.2, 0.3, 0.1], [1.0, 0.5, 2.0], [1.5, 0.5, 8.0])
    rho = np.array([0.2, 0.15, 0.2])
    fifo = (0.2 * 1.5 + 0.3 * 0.5 + 0.1 * 8.0) / 2 / (1 - rho.sum())
    assert float(rho @ w) == pytest.approx(rho.sum() * fifo)
    with pytest.raises(ValueError, match="total utilisation"):
        cobham_waits_h([0.6, 0.5], [1, 1], [2, 2])
    with pytest.raises(ValueError, match="second_moment_h2"):
        cobham_waits_h([0.1], [1.0], [0.5])


# ---- 2. Availability with breakdowns ------------------------------------------------------


@pytest.mark.parametrize("priority", [FIFO, SERVICE_FIRST])
def test_saturated_pool_works_mtbf_over_mtbf_plus_mttr(priority: int) -> None:
    units, horizon_h, mtbf_h, mttr_h = 3, 1.0e5, 20.0, 5.0
    rng = np.random.default_rng(7)
    starts, ends = down_intervals(
        units, horizon_h, shift_start_h=None, shift_share=None, mtbf_h=mtbf_h, mttr_h=mttr_h,
        rng=rng,
    )  # fmt: skip
    pool = TerminalPool(
        units, [Calendar(s, e) for s, e in zip(starts, ends, strict=True)], priority
    )
    mean_service_h = 2.0
    n = int(units * horizon_h / mean_service_h * 1.05)  # more work than fits: saturated
    arrival = np.zeros(n)
    service = service_times_h("exponential", mean_service_h, rng.uniform(size=n))
    if priority == FIFO:
        _, end = pool.serve(arrival, service)
        done = service[end <= horizon_h].sum()
    else:
        pool.submit(arrival, service, rng.integers(0, 2, n), np.arange(n))
        ref, _, end, _ = pool.start_until(horizon_h)
        done = service[ref][end <= horizon_h].sum()
    share = done / (units * horizon_h)
    availability = mtbf_h / (mtbf_h + mttr_h)
    # Two-state Markov availability: time-average variance constant 2 a^2 b^2 / (a + b)^3
    # per unit, units independent; plus at most one job in progress per unit at the end.
    se = math.sqrt(2 * mtbf_h**2 * mttr_h**2 / (mtbf_h + mttr_h) ** 3 / horizon_h / units)
    assert abs(share - availability) < 4 * se + units * 10 * mean_service_h / (units * horizon_h)


def test_down_intervals_are_sorted_disjoint_and_reproducible() -> None:
    start, share = _week_off_22_to_6()
    kwargs = dict(shift_start_h=start, shift_share=share * 0.5, mtbf_h=30.0, mttr_h=4.0)
    a = down_intervals(3, 1000.0, rng=np.random.default_rng(3), **kwargs)  # type: ignore[arg-type]
    b = down_intervals(3, 1000.0, rng=np.random.default_rng(3), **kwargs)  # type: ignore[arg-type]
    for s, e, s2, e2 in zip(*a, *b, strict=True):
        assert np.array_equal(s, s2) and np.array_equal(e, e2)
        assert np.all(e > s) and np.all(s[1:] > e[:-1])
    # Breakdowns are drawn until an up period ends after the horizon.
    s, e = down_intervals(2, 1000.0, shift_start_h=None, shift_share=None, mtbf_h=30.0,
                          mttr_h=4.0, rng=np.random.default_rng(4))  # fmt: skip
    assert all(x[-1] > 1000.0 and np.all(x[:-1] <= 1000.0) for x in s)
    for bad, match in [
        ({"shift_share": share * 2}, "each share must be 0-1"),
        ({"shift_start_h": start + 1}, "must start at 0"),
        ({"mtbf_h": 0.0}, "mtbf_h = 0.0"),
        ({"mttr_h": -1.0}, "mttr_h = -1.0"),
    ]:
        args = kwargs | bad
        with pytest.raises(ValueError, match=match):
            down_intervals(3, 100.0, rng=np.random.default_rng(0), **args)  # type: ignore[arg-type]
    # share 0.5 of 3 units on duty 06-22: floor(1.5 + 0.5) = 2, unit 2 is off all day.
    assert on_duty_units(0.5, 3) == 2 and on_duty_units(0.2, 2) == 0 and on_duty_units(0.25, 2) == 1
    s, e = down_intervals(3, 400.0, shift_start_h=start, shift_share=share * 0.5,
                          mtbf_h=math.inf, mttr_h=0.0, rng=np.random.default_rng(0))  # fmt: skip
    assert s[2].tolist() == [0.0] and e[2][0] >= 400.0  # off every week, merged
    assert s[0][:2].tolist() == [0.0, 22.0] and e[0][:2].tolist() == [6.0, 30.0]


# ---- 3. Gate M(t)/M/c with an hourly profile against the piecewise-stationary approximation


def test_gate_with_hourly_profile_matches_piecewise_stationary() -> None:
    servers, mean_service_h = 3, 0.004  # a short gate transaction against an hour
    profile = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1.0, 0.9, 0.8, 0.7,
                        0.6, 0.7, 0.8, 0.9, 1.0, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2])  # fmt: skip
    rates = profile * 0.8 * servers / mean_service_h  # utilisation up to 0.8 per hour
    days = 300
    rng = np.random.default_rng(2001)
    counts = rng.poisson(np.tile(rates, days))  # Poisson per hour, uniform within it
    hour = np.repeat(np.arange(24 * days), counts)
    a = np.sort(hour + rng.uniform(size=hour.size))
    s = service_times_h("exponential", mean_service_h, rng.uniform(size=a.size))
    start, _ = TerminalPool(servers).serve(a, s)
    mean, se = _batch_se(start - a, a, days // 5)
    expected = piecewise_stationary_wait_h(rates, servers, mean_service_h)
    assert se / expected < 0.01
    assert abs(mean - expected) < 4 * se, (mean, expected, se)
    # A stationary M/M/c at the mean rate is far off: the profile matters.
    flat = mmc_mean_wait_h(float(rates.mean()), 1 / mean_service_h, servers)
    assert abs(flat - expected) > 10 * se


def test_piecewise_stationary_closed_form_cases() -> None:
    # A flat profile is the stationary M/M/c; zero-rate periods weigh nothing.
    assert piecewise_stationary_wait_h([2.0] * 24, 2, 0.5) == pytest.approx(
        mmc_mean_wait_h(2.0, 2.0, 2), rel=1e-12
    )
    # Two periods, M/M/1 with mu = 1: Wq = rho / (1 - rho); weights 0.2 and 0.6.
    expected = (0.2 * 0.25 + 0.6 * 1.5) / 0.8
    assert piecewise_stationary_wait_h([0.2, 0.0, 0.6], 1, 1.0) == pytest.approx(expected)
    with pytest.raises(ValueError, match="must be < 1"):
        piecewise_stationary_wait_h([0.5, 1.2], 1, 1.0)
    with pytest.raises(ValueError, match="all 0"):
        piecewise_stationary_wait_h([0.0, 0.0], 1, 1.0)


# ---- 4. Calendar arithmetic and deterministic loading --------------------------------------


def test_calendar_exact_cases() -> None:
    start, share = _week_off_22_to_6()
    s, e = down_intervals(1, 400.0, shift_start_h=start, shift_share=share, mtbf_h=math.inf,
                          mttr_h=0.0, rng=np.random.default_rng(0))  # fmt: skip
    cal = Calendar(s[0], e[0])
    assert cal.finish_h(21.5, 1.0) == 30.5  # 21:30 + 1 h of work = 06:30 next day
    assert cal.finish_h(6.0, 17.0) == 31.0  # 16 h on day 0, 1 h on day 1
    assert cal.finish_h(3.0, 2.0) == 8.0  # starts suspended until 06:00
    assert cal.finish_h(100.0, 0.0) == 100.0
    assert cal.next_available_h(23.0) == 30.0 and cal.next_available_h(10.0) == 10.0
    assert cal.next_available_h(22.0) == 30.0 and cal.next_available_h(30.0) == 30.0
    pool = TerminalPool(1, [cal])
    begin, end = pool.serve(np.array([21.5, 21.6]), np.array([1.0, 2.0]))
    assert begin.tolist() == [21.5, 30.5] and end.tolist() == [30.5, 32.5]


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 180), st.just(0.0) | st.floats(1e-6, 40), st.integers(0, 9))
def test_finish_accumulates_exactly_the_work_in_available_time(
    start_h: float, work_h: float, seed: int
) -> None:
    cal = _calendars(1, seed)[0]
    end = cal.finish_h(start_h, work_h)
    assert end >= start_h
    worked = cal.available_h(end) - cal.available_h(start_h)
    assert worked == pytest.approx(work_h, abs=1e-9)
    # The earliest such time: not inside a down interval, nor at its end with work left.
    starts, ends = cal.down_h
    j = int(np.searchsorted(starts, end, side="right")) - 1
    assert j < 0 or work_h == 0 or not starts[j] < end <= ends[j]


@pytest.mark.parametrize(("boxes", "units"), [(60, 3), (61, 3), (1, 4), (40, 1)])
def test_deterministic_loading_window_takes_boxes_over_units_times_rate(
    boxes: int, units: int
) -> None:
    moves_per_h = 25.0
    window_start_h = 10.0
    service = service_times_h("deterministic", 1 / moves_per_h, np.full(boxes, 0.5))
    for priority in (FIFO, SERVICE_FIRST):
        pool = TerminalPool(units, priority=priority)
        if priority == FIFO:
            _, end = pool.serve(np.full(boxes, window_start_h), service)
        else:
            pool.submit(
                np.full(boxes, window_start_h), service, np.zeros(boxes, int), np.arange(boxes)
            )
            end = pool.start_until(math.inf)[2]
        rounds = math.ceil(boxes / units)  # = boxes / units when units divide boxes
        assert end.max() - window_start_h == pytest.approx(rounds / moves_per_h, rel=1e-12)
        assert pool.busy_h == pytest.approx(boxes / moves_per_h, rel=1e-12)


# ---- 5. Service-time distributions ---------------------------------------------------------


def test_lognormal_has_the_given_mean_and_cv() -> None:
    mean_h, cv = 0.04, 0.6
    x = service_times_h("lognormal", mean_h, np.random.default_rng(5).uniform(size=400_000), cv=cv)
    assert abs(x.mean() - mean_h) < 4 * x.std() / math.sqrt(x.size)
    second = x**2
    assert abs(second.mean() - mean_h**2 * (1 + cv**2)) < 4 * second.std() / math.sqrt(x.size)


def test_other_distributions() -> None:
    u = np.random.default_rng(6).uniform(size=50_000)
    expo = service_times_h("exponential", 0.1, u)
    assert service_times_h("erlang", 0.1, u, shape=1) == pytest.approx(expo, rel=1e-10)
    erl = service_times_h("erlang", 0.1, u, shape=4)  # variance m^2 / k
    assert abs(erl.mean() - 0.1) < 4 * erl.std() / math.sqrt(u.size)
    assert abs(erl.var() - 0.01 / 4) < 4 * np.std((erl - 0.1) ** 2) / math.sqrt(u.size)
    assert np.all(service_times_h("deterministic", 0.1, u) == 0.1)


def test_empirical_resamples_the_data() -> None:
    samples = np.array([0.05, 0.01, 0.03, 0.02, 0.1])
    midpoints = (np.arange(5) + 0.5) / 5  # u in the j-th fifth picks the j-th smallest
    assert service_times_h("empirical", math.nan, midpoints, samples_h=samples).tolist() == sorted(
        samples.tolist()
    )
    assert service_times_h(
        "empirical", math.nan, np.array([0.0, 1.0]), samples_h=samples
    ).tolist() == [0.01, 0.1]
    u = np.random.default_rng(8).uniform(size=100_000)
    x = service_times_h("empirical", math.nan, u, samples_h=samples)
    freq = np.array([(x == v).mean() for v in samples])
    assert np.all(np.abs(freq - 0.2) < 4 * math.sqrt(0.2 * 0.8 / u.size))


def test_pool_service_times_use_each_pools_distribution() -> None:
    pools = PoolArrays(
        ids=("a/quay", "a/gate", "b/yard"),
        hub=np.array([0, 0, 1]),
        task=np.array([0, 3, 2]),
        units=np.array([2, 1, 3]),
        mean_service_h=np.array([0.04, 0.01, 0.03]),
        distribution=("lognormal", "deterministic", "empirical"),
        shape=np.array([1, 1, 1]),
        cv=np.array([0.5, math.nan, math.nan]),
        samples_h=(np.empty(0), np.empty(0), np.array([0.02, 0.04, 0.03])),
        priority=np.zeros(3, dtype=np.int64),
        shift=np.full(3, -1),
        mtbf_h=np.full(3, math.inf),
        mttr_h=np.zeros(3),
    )
    rng = np.random.default_rng(9)
    pool = rng.integers(0, 3, 1000)
    u = rng.uniform(size=1000)
    got = pool_service_times_h(pools, pool, u)
    assert np.array_equal(got[pool == 1], np.full((pool == 1).sum(), 0.01))
    assert np.array_equal(got[pool == 0], service_times_h("lognormal", 0.04, u[pool == 0], cv=0.5))
    assert set(got[pool == 2].tolist()) <= {0.02, 0.03, 0.04}
    with pytest.raises(ValueError, match="shape"):
        pool_service_times_h(pools, pool[:3], u[:4])


def test_pool_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="units = 0"):
        TerminalPool(0)
    with pytest.raises(ValueError, match="serve is for FIFO pools"):
        TerminalPool(2, priority=SERVICE_FIRST).serve(np.zeros(1), np.ones(1))
    fifo = TerminalPool(2)
    fifo.serve(np.array([5.0]), np.ones(1))
    with pytest.raises(ValueError, match="sorted"):
        fifo.serve(np.array([4.0]), np.ones(1))
    prio = TerminalPool(2, priority=TRUCK_FIRST)
    prio.submit(np.array([1.0]), np.ones(1), np.array([CLASS_TRUCK]), np.array([0]))
    prio.start_until(3.0)
    with pytest.raises(ValueError, match="before start_until"):
        prio.submit(np.array([2.0]), np.ones(1), np.array([CLASS_TRUCK]), np.array([1]))
    with pytest.raises(ValueError, match="MOVE_CLASSES"):
        prio.submit(np.array([4.0]), np.ones(1), np.array([2]), np.array([1]))
    with pytest.raises(ValueError, match="one per unit"):
        TerminalPool(2, [Calendar(np.empty(0), np.empty(0))])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"distribution": "lognormal", "cv": 0.0}, "cv = 0.0"),
        ({"distribution": "lognormal", "cv": -0.5}, "cv = -0.5"),
        ({"distribution": "lognormal"}, "cv = nan"),
        ({"distribution": "empirical", "samples_h": np.array([])}, "samples_h is empty"),
        ({"distribution": "empirical"}, "samples_h is empty"),
        ({"distribution": "empirical", "samples_h": np.array([0.1, -0.2])}, "-0.2"),
        ({"distribution": "erlang", "shape": 0}, "shape = 0"),
        ({"distribution": "exponential", "mean_h": -1.0}, "mean_h = -1.0"),
        ({"distribution": "gamma"}, "distribution = 'gamma'"),
    ],
)
def test_impossible_parameters_are_refused(kwargs: dict[str, object], match: str) -> None:
    args = {"mean_h": 0.1, "u": np.array([0.5])} | kwargs
    with pytest.raises(ValueError, match=match):
        service_times_h(**args)  # type: ignore[arg-type]


# ---- 6. Exactness and forward-only consistency ---------------------------------------------

_jobs = st.lists(
    st.tuples(st.floats(0, 50), st.floats(0, 5), st.integers(0, 1)), min_size=1, max_size=60
)


@settings(max_examples=80, deadline=None)
@given(_jobs, st.integers(1, 4))
def test_fifo_without_calendars_is_the_kiefer_wolfowitz_recursion(jobs: list, units: int) -> None:
    jobs.sort(key=lambda j: j[0])
    a = np.array([j[0] for j in jobs])
    s = np.array([j[1] for j in jobs])
    start, end = TerminalPool(units).serve(a, s)
    expected, _ = fifo_start_times(a, s, units)
    assert np.array_equal(start, expected) and np.array_equal(end, start + s)
    # The general path (calendars with no down time) gives the same starts.
    ref = TerminalPool(units, [Calendar(np.array([-2.0]), np.array([-1.0]))] * units)
    assert ref.serve(a, s)[0] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # A priority pool with one class is the FIFO pool.
    prio = TerminalPool(units, priority=SERVICE_FIRST)
    prio.submit(a, s, np.full(a.size, CLASS_TRUCK), np.arange(a.size))
    ref_ids, p_start, p_end, _ = prio.start_until(math.inf)
    assert p_end == pytest.approx(expected + s, rel=1e-12, abs=1e-12)
    assert np.array_equal(ref_ids, np.arange(a.size))
    assert p_start == pytest.approx(expected, rel=1e-12, abs=1e-12)


def _calendars(units: int, seed: int) -> list[Calendar]:
    start, share = _week_off_22_to_6()
    s, e = down_intervals(units, 200.0, shift_start_h=start, shift_share=share * 0.6,
                          mtbf_h=15.0, mttr_h=2.0, rng=np.random.default_rng(seed))  # fmt: skip
    return [Calendar(a, b) for a, b in zip(s, e, strict=True)]


@settings(max_examples=40, deadline=None)
@given(_jobs, st.integers(1, 3), st.sampled_from([FIFO, SERVICE_FIRST, TRUCK_FIRST]),
       st.lists(st.floats(0, 60), max_size=8), st.booleans(), st.integers(0, 9))  # fmt: skip
def test_start_until_in_steps_equals_one_call(
    jobs: list, units: int, priority: int, cuts: list, calendars: bool, seed: int
) -> None:
    a = np.array([j[0] for j in jobs])
    s = np.array([j[1] for j in jobs])
    k = np.array([j[2] for j in jobs])
    cals = _calendars(units, seed) if calendars else None
    whole = TerminalPool(units, cals, priority)
    whole.submit(a, s, k, np.arange(a.size))
    expected = whole.start_until(math.inf)
    # Stepwise: before each start_until(now), submit the jobs arriving by then (in a
    # shuffled order: FIFO within a class is by arrival, submit order only breaks ties).
    steps = TerminalPool(units, cals, priority)
    got: list[tuple[np.ndarray, ...]] = []
    submitted = np.zeros(a.size, dtype=bool)
    rng = np.random.default_rng(seed)
    for now in [*sorted(cuts), math.inf]:
        new = np.flatnonzero(~submitted & (a <= now))
        new = (
            new[np.lexsort((new, a[new]))]
            if len(set(a[new].tolist())) < new.size
            else rng.permutation(new)
        )
        if new.size:
            steps.submit(a[new], s[new], k[new], new)
            submitted[new] = True
        first = steps.next_start_h()
        got.append(steps.start_until(now))
        assert got[-1][1][0] == first if got[-1][1].size else (first > now or first == math.inf)
    for part, whole_part in zip(zip(*got, strict=True), expected, strict=True):
        assert np.array_equal(np.concatenate(part), whole_part)
    ref, start, end, unit = expected
    if priority == FIFO:  # the deferred pool and serve (all at once) agree, calendars or not
        order = np.lexsort((np.arange(a.size), a))
        fifo = TerminalPool(units, cals)
        assert np.array_equal(ref, order)
        f_start, f_end = fifo.serve(a[order], s[order])
        assert np.array_equal(f_start, start) if cals else f_start == pytest.approx(start)
        assert np.array_equal(f_end, end) if cals else f_end == pytest.approx(end)
    # Started jobs: all; each class served FIFO by arrival; nobody starts before arriving.
    assert np.array_equal(np.sort(ref), np.arange(a.size)) and np.all(start >= a[ref])
    assert np.all(np.diff(start) >= 0) and np.all(end >= start) and np.all(unit < units)
    for klass in (0, 1):
        mine = k[ref] == klass
        assert np.all(np.diff(a[ref][mine]) >= 0)
