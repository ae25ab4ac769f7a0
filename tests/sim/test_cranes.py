"""The FIFO crane recursion against SimPy, Erlang C and Little's law."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from freighthub.sim.cranes import HandlingPool, fifo_start_times
from freighthub.sim.queueing import erlang_c, mmc_mean_wait_h

FloatArray = NDArray[np.float64]


def simpy_start_times(arrival_h: FloatArray, service_h: FloatArray, servers: int) -> FloatArray:
    """The textbook SimPy model: one process per job, a ``simpy.Resource`` of c servers."""
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    start = np.full(arrival_h.size, np.nan)

    def job(i: int, a: float, s: float):  # type: ignore[no-untyped-def]
        yield env.timeout(a)
        with pool.request() as request:
            yield request
            start[i] = env.now
            yield env.timeout(s)

    for i, (a, s) in enumerate(zip(arrival_h.tolist(), service_h.tolist(), strict=True)):
        env.process(job(i, a, s))
    env.run()
    return start


# Quarter hours make ties between arrivals and server free times common.
_times = st.integers(min_value=0, max_value=12).map(lambda k: k / 4)


@settings(max_examples=150, deadline=None)
@given(
    gaps=st.lists(_times, min_size=1, max_size=60),
    services=st.lists(_times, min_size=60, max_size=60),
    servers=st.integers(min_value=1, max_value=4),
)
def test_recursion_equals_simpy_job_for_job(
    gaps: list[float], services: list[float], servers: int
) -> None:
    arrival = np.cumsum(np.asarray(gaps))
    service = np.asarray(services[: arrival.size])
    expected = simpy_start_times(arrival, service, servers)
    start, _ = fifo_start_times(arrival, service, servers)
    # The one-server closed form sums service times; 1e-9 h is far above its rounding.
    np.testing.assert_allclose(start, expected, rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    gaps=st.lists(st.floats(0, 2), min_size=2, max_size=80),
    services=st.lists(st.floats(0, 3), min_size=80, max_size=80),
    servers=st.integers(min_value=1, max_value=5),
    cut=st.integers(min_value=0, max_value=80),
)
def test_pool_in_batches_equals_one_pass(
    gaps: list[float], services: list[float], servers: int, cut: int
) -> None:
    arrival = np.cumsum(np.asarray(gaps))
    service = np.asarray(services[: arrival.size])
    whole, free_after = fifo_start_times(arrival, service, servers)
    pool = HandlingPool(servers)
    k = min(cut, arrival.size)
    parts = np.concatenate(
        [pool.serve(arrival[:k], service[:k]), pool.serve(arrival[k:], service[k:])]
    )
    np.testing.assert_allclose(parts, whole, rtol=0, atol=1e-9)
    np.testing.assert_allclose(pool.free_at_h, free_after, rtol=0, atol=1e-9)
    assert pool.jobs == arrival.size
    # Invariants of any FIFO pool: no start before arrival, starts in arrival order.
    assert np.all(whole >= arrival)
    assert np.all(np.diff(whole) >= 0)


@settings(max_examples=100, deadline=None)
@given(
    gaps=st.lists(_times, min_size=1, max_size=60),
    services=st.lists(_times, min_size=60, max_size=60),
    servers=st.integers(min_value=1, max_value=4),
)
def test_work_conserving_and_never_more_than_c_busy(
    gaps: list[float], services: list[float], servers: int
) -> None:
    arrival = np.cumsum(np.asarray(gaps))
    service = np.asarray(services[: arrival.size])
    start, _ = fifo_start_times(arrival, service, servers)
    end = start + service
    for i in range(arrival.size):
        # At no start time are more than c jobs in service.
        assert np.sum((start <= start[i]) & (end > start[i])) <= servers
        if start[i] > arrival[i] + 1e-12:
            # A job only waits while all c servers are busy with earlier jobs.
            assert np.sum((start[:i] <= arrival[i]) & (end[:i] > arrival[i])) == servers


def test_littles_law_on_a_sample_path() -> None:
    # L = λW holds exactly on a sample path that starts and ends empty: the area under
    # the number-in-queue curve equals the sum of the waits. The area is computed here
    # from the event sweep, independently of the waits.
    rng = np.random.default_rng(7)
    n = 20_000
    arrival = np.cumsum(rng.exponential(1 / 50, n))
    service = rng.exponential(1 / 20, n)
    start, _ = fifo_start_times(arrival, service, 3)
    times = np.concatenate([arrival, start])
    steps = np.concatenate([np.ones(n), -np.ones(n)])
    order = np.lexsort((-steps, times))  # arrivals before starts at the same instant
    queue = np.cumsum(steps[order])
    area = float(np.sum(queue[:-1] * np.diff(times[order])))
    horizon = float(start[-1])
    mean_in_queue = area / horizon
    arrival_rate = n / horizon
    mean_wait = float(np.mean(start - arrival))
    assert mean_in_queue == pytest.approx(arrival_rate * mean_wait, rel=1e-9)


def _batch_means(values: FloatArray, batches: int) -> tuple[float, float]:
    means = values[: values.size // batches * batches].reshape(batches, -1).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(batches))


@pytest.mark.parametrize(("servers", "rho"), [(1, 0.8), (2, 0.8), (3, 0.9), (5, 0.85)])
def test_recursion_matches_erlang_c(servers: int, rho: float) -> None:
    # M/M/c, μ = 20/h (3-minute moves). 400 000 jobs; the first 2 % are dropped as
    # warm-up (the queue starts empty), the rest cut into 20 batch means whose batch
    # length (~20 000 jobs) is far above the queue's relaxation time at these loads,
    # so the batch means are close to independent. Tolerance: 4 standard errors,
    # plus the analytic check of P(wait). Fixed seed, so the test is deterministic.
    mu = 20.0
    lam = rho * servers * mu
    rng = np.random.default_rng(20261129 + servers)
    n = 400_000
    arrival = np.cumsum(rng.exponential(1 / lam, n))
    service = rng.exponential(1 / mu, n)
    start, _ = fifo_start_times(arrival, service, servers)
    wait = (start - arrival)[n // 50 :]
    mean, se = _batch_means(wait, 20)
    expected = mmc_mean_wait_h(lam, mu, servers)
    assert abs(mean - expected) < 4 * se, (mean, expected, se)
    waited_share = float(np.mean(wait > 0))
    assert waited_share == pytest.approx(erlang_c(lam, mu, servers), abs=0.01)


def test_simpy_resource_matches_erlang_c() -> None:
    # The same check on the plain SimPy model the reference engine is built from, with
    # fewer jobs because SimPy is slower: M/M/2 at ρ = 0.75, 60 000 jobs, 20 batch
    # means, tolerance 4 standard errors; and the recursion gives the same waits.
    mu, servers, rho = 20.0, 2, 0.75
    lam = rho * servers * mu
    rng = np.random.default_rng(5)
    n = 60_000
    arrival = np.cumsum(rng.exponential(1 / lam, n))
    service = rng.exponential(1 / mu, n)
    start = simpy_start_times(arrival, service, servers)
    wait = (start - arrival)[n // 50 :]
    mean, se = _batch_means(wait, 20)
    expected = mmc_mean_wait_h(lam, mu, servers)
    assert abs(mean - expected) < 4 * se, (mean, expected, se)
    fast, _ = fifo_start_times(arrival, service, servers)
    np.testing.assert_array_equal(fast, start)


@pytest.mark.parametrize(
    ("arrival", "service", "servers", "match"),
    [
        ([0.0, 1.0], [1.0, 1.0], 0, "servers = 0: must be >= 1"),
        ([1.0, 0.0], [1.0, 1.0], 1, "arrival_h must be sorted"),
        ([0.0, 1.0], [1.0, -1.0], 2, "service_h must be >= 0"),
        ([0.0, 1.0], [1.0], 2, "same length"),
    ],
)
def test_errors(arrival: list[float], service: list[float], servers: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fifo_start_times(np.asarray(arrival), np.asarray(service), servers)


def test_pool_errors() -> None:
    with pytest.raises(ValueError, match="servers = 0: must be >= 1"):
        HandlingPool(0)
    pool = HandlingPool(2)
    pool.serve(np.asarray([5.0]), np.asarray([1.0]))
    with pytest.raises(ValueError, match="before the last served arrival"):
        pool.serve(np.asarray([4.0]), np.asarray([1.0]))
    with pytest.raises(ValueError, match="free_at_h has 1 entries: must have 2"):
        fifo_start_times(np.asarray([1.0]), np.asarray([1.0]), 2, free_at_h=np.asarray([0.0]))


def test_free_at_continues_the_recursion() -> None:
    start, free = fifo_start_times(np.asarray([0.0, 0.0]), np.asarray([2.0, 3.0]), 2)
    np.testing.assert_array_equal(start, [0.0, 0.0])
    np.testing.assert_array_equal(free, [2.0, 3.0])
    later, _ = fifo_start_times(np.asarray([1.0]), np.asarray([1.0]), 2, free_at_h=free)
    np.testing.assert_array_equal(later, [2.0])
    empty, same = fifo_start_times(np.empty(0), np.empty(0), 2, free_at_h=free)
    assert empty.size == 0
    np.testing.assert_array_equal(same, free)
