"""The fast engine's terminal model (issue #19) against closed forms and invariants.

Rules: ``docs/terminal-operations.md``. All numbers here are test parameters.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from freighthub.sim import engine, engine_terminal, reference
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.engine_pools import EnginePool
from freighthub.sim.network import LEG_SERVICE, Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.synthetic import synthetic_network
from freighthub.sim.terminal import (
    KIND_GATE,
    KIND_LOAD,
    KIND_TRUCK_IN,
    PoolArrays,
)
from freighthub.sim.terminal_plain import plain_model
from tests.sim.background_cases import with_background
from tests.sim.terminal_cases import FEATURES, terminal_case
from tests.sim.test_reference import BASE, CASES, assert_same


def empty_terminal(net: CompiledNetwork, arr: Arrivals) -> tuple[CompiledNetwork, Arrivals]:
    """A terminal model without pools, windows or travel spread: the old rules."""
    return plain_model(net, arr)


@pytest.mark.parametrize("case", list(CASES))
def test_terminal_without_pools_equals_the_reference(case: str) -> None:
    # A terminal model without pools, windows or travel spread has the rules of a
    # scenario without one: run explicitly, with its records, it agrees box for box
    # with the per-container SimPy reference and with the plain run (the same compiled
    # loop, no records kept).
    network = synthetic_network(dataclasses.replace(BASE, **CASES[case]))  # type: ignore[arg-type]
    arrivals = generate_arrivals(network, 5)
    plain = engine.run(network, arrivals)
    assert plain.terminal is None
    with_terminal = engine.run(*empty_terminal(network, arrivals))
    assert with_terminal.terminal is not None
    without_records = dataclasses.replace(with_terminal, terminal=None)
    assert_same(without_records, reference.run(network, arrivals))
    assert_same(without_records, plain)
    # Every load and unload visit is a job of a general pool or gate in the records.
    rec = with_terminal.terminal
    started = np.isfinite(rec.job_start_h) & (rec.job_kind <= 1)
    assert started.sum() == np.isfinite(with_terminal.visit_start_h).sum()


def _busy_at_most_units(net: CompiledNetwork, res: EngineResult) -> None:
    """At no instant has a pool more jobs in service than units (records' sweep)."""
    rec = res.terminal
    assert rec is not None and net.terminal is not None
    pools = net.terminal.pools
    units = np.concatenate([pools.units, net.hubs.servers, np.maximum(net.hubs.gate_lanes, 1)])
    ok = np.isfinite(rec.job_start_h)
    for p in np.unique(rec.job_pool[ok]).tolist():
        m = ok & (rec.job_pool == p)
        t = np.concatenate([rec.job_start_h[m], rec.job_end_h[m]])
        d = np.concatenate([np.ones(m.sum()), -np.ones(m.sum())])
        order = np.lexsort((d, t))  # an end before a start at the same instant
        assert np.cumsum(d[order]).max() <= units[p], p


@pytest.mark.parametrize("name", list(FEATURES))
def test_feature_cases_invariants(name: str) -> None:
    net, arr = terminal_case(name)
    res = engine.run(net, arr)
    rec = res.terminal
    assert rec is not None
    ok = np.isfinite(rec.job_start_h)
    # Jobs start after they arrive and end after they start.
    assert np.all(rec.job_start_h[ok] >= rec.job_arrival_h[ok])
    assert np.all(rec.job_end_h[ok] >= rec.job_start_h[ok])
    # Sorted by (pool, arrival, start).
    key = np.lexsort((rec.job_start_h, rec.job_arrival_h, rec.job_pool))
    np.testing.assert_array_equal(key, np.arange(key.size))
    _busy_at_most_units(net, res)
    # TEU conservation in the yards: occupancy never negative; what left each hub's
    # yard on departures is the TEU the trips from that hub carried.
    for h in range(net.n_hubs):
        m = rec.yard_hub == h
        if not m.any():
            continue
        order = np.lexsort((-rec.yard_delta_teu[m], rec.yard_h[m]))
        assert np.cumsum(rec.yard_delta_teu[m][order]).min() >= -1e-9
        out = -rec.yard_delta_teu[m][rec.yard_delta_teu[m] < 0].sum()
        from_h = net.services.origin[res.trip_service] == h
        assert out == pytest.approx(res.trip_teu[from_h].sum())
    # Truck waiting is the gate and truck-in queueing of the first road entry.
    has = np.isfinite(rec.truck_wait_h)
    assert has.sum() > 0.5 * arr.n
    assert np.all(rec.truck_turnaround_h[has] >= rec.truck_wait_h[has])
    # Little's law per pool over [0, H]: the time-average number waiting, from a sweep
    # of the records, equals the arrival rate times the mean time waiting in [0, H].
    horizon = net.horizon_h
    for p in np.unique(rec.job_pool).tolist():
        m = rec.job_pool == p
        a = rec.job_arrival_h[m]
        s = np.where(np.isfinite(rec.job_start_h[m]), rec.job_start_h[m], horizon)
        s = np.minimum(s, horizon)
        t = np.concatenate([a, s])
        d = np.concatenate([np.ones(a.size), -np.ones(a.size)])
        order = np.lexsort((d, t))
        t, n = t[order], np.cumsum(d[order])
        area = float(np.sum(n[:-1] * np.diff(t))) if t.size > 1 else 0.0
        lq = area / horizon
        lam, wq = a.size / horizon, float(np.mean(s - a))
        assert lq == pytest.approx(lam * wq, rel=1e-9, abs=1e-12), p


def test_gate_then_truck_in_then_load_for_road_boxes() -> None:
    net, arr = terminal_case("pools")
    rec = engine.run(net, arr).terminal
    assert rec is not None
    ok = np.isfinite(rec.job_end_h)
    gate = ok & (rec.job_kind == KIND_GATE)
    truck_in = ok & (rec.job_kind == KIND_TRUCK_IN)
    end_gate = dict(zip(rec.job_box[gate].tolist(), rec.job_end_h[gate].tolist(), strict=True))
    for i, a in zip(
        rec.job_box[truck_in].tolist(), rec.job_arrival_h[truck_in].tolist(), strict=True
    ):
        assert a == end_gate[i]


def test_loading_window_time_is_boxes_over_rate() -> None:
    # Deterministic pools of c units, one move every s hours per unit: a departure whose
    # n load moves start together at T - w on an idle pool leaves at
    # max(T, T - w + ceil(n / c) s): the delay is ceil(n / c) s - w when that is > 0.
    net, arr = terminal_case("windows")
    assert net.terminal is not None
    pools = dataclasses.replace(
        net.terminal.pools, distribution=("deterministic",) * net.terminal.pools.n
    )
    w = 0.5
    term = dataclasses.replace(
        net.terminal,
        pools=pools,
        loading_window_h=np.minimum(w, net.services.cutoff_h),
    )
    assert np.all(term.loading_window_h == w)
    net = dataclasses.replace(net, terminal=term)
    res = engine.run(net, arr)
    rec = res.terminal
    assert rec is not None
    c = int(pools.units[0])
    s = float(pools.mean_service_h[0])
    loads = (rec.job_kind == KIND_LOAD) & (rec.job_class == 0)
    checked = delayed = 0
    for p in np.unique(rec.job_pool[loads]).tolist():
        in_pool = rec.job_pool == p
        for a in np.unique(rec.job_arrival_h[loads & in_pool]).tolist():
            group = loads & in_pool & (rec.job_arrival_h == a)
            n = int(group.sum())
            last = a + math.ceil(n / c) * s
            others = in_pool & ~group & (rec.job_arrival_h < last) & (rec.job_end_h > a)
            if others.any() or last >= net.horizon_h:
                continue  # the pool was not idle for this departure alone
            due = a + w
            legs = res.leg_matrix()[rec.job_box[group]]
            # Each box leaves on a leg at max(T, end of the last load move).
            assert np.all(np.any(np.abs(legs - max(due, last)) < 1e-9, axis=1))
            checked += 1
            delayed += last > due
    assert checked > 10 and delayed > 3, (checked, delayed)


def _saturated_throughput(units: int, mtbf_h: float, mttr_h: float, horizon_h: float,
                          s: float, seed: int) -> tuple[int, float]:  # fmt: skip
    """Deterministic moves served back to back on units that break down; returns the
    moves finished by the horizon and the units' total available time [h]."""
    rng = np.random.default_rng(seed)
    ds: list[list[float]] = []
    de: list[list[float]] = []
    available = 0.0
    for _ in range(units):
        starts, ends, t = [], [], 0.0
        while t < horizon_h:
            t += rng.exponential(mtbf_h)
            r = rng.exponential(mttr_h)
            starts.append(t)
            ends.append(t + r)
            t += r
        ds.append(starts)
        de.append(ends)
        down = sum(min(b, horizon_h) - min(a, horizon_h) for a, b in zip(starts, ends, strict=True))
        available += horizon_h - down
    pool = EnginePool(units, ds, de)
    done = 0
    while True:
        start, end = pool.fifo(0.0, s)
        if start >= horizon_h:
            break
        done += end <= horizon_h
    return done, available


def test_saturated_pool_with_breakdowns_gives_availability_times_capacity() -> None:
    c, mtbf, mttr, horizon, s = 4, 60.0, 3.0, 2.0e4, 0.05
    done, available = _saturated_throughput(c, mtbf, mttr, horizon, s, seed=11)
    # On the sample path: every available hour of every unit does work (a unit loses
    # less than one move at the horizon).
    assert available / s - c <= done <= available / s
    # In expectation: capacity c / s times the availability MTBF / (MTBF + MTTR). The
    # down time of an alternating exponential renewal process over T has variance
    # about 2 T MTBF^2 MTTR^2 / (MTBF + MTTR)^3 per unit.
    a = mtbf / (mtbf + mttr)
    sd = math.sqrt(c * 2 * horizon * mtbf**2 * mttr**2 / (mtbf + mttr) ** 3) / s
    assert abs(done - a * c * horizon / s) < 4 * sd + c


def test_deterministic_pool_closed_form() -> None:
    # n equal moves at once on c always-available units end at ceil(n / c) s.
    pool = EnginePool(3, [[], [], []], [[], [], []])
    ends = [pool.fifo(0.0, 0.25)[1] for _ in range(10)]
    assert max(ends) == pytest.approx(math.ceil(10 / 3) * 0.25)
    # A move that meets a down interval is suspended and resumes on the same unit.
    pool = EnginePool(1, [[1.0]], [[3.0]])
    assert pool.fifo(0.5, 1.0) == (0.5, 3.5)
    assert pool.fifo(0.0, 1.0) == (3.5, 4.5)


def test_scalar_service_time_matches_pools_module() -> None:
    # service_times.pool_service_time_h is the scalar form of pool_service_times_h.
    from freighthub.sim.service_times import pool_service_time_h as service_time_h
    from freighthub.sim.service_times import pool_service_times_h

    n = 5
    pools = PoolArrays(
        ids=tuple(f"p{i}" for i in range(n)),
        hub=np.zeros(n, dtype=np.int64),
        task=np.zeros(n, dtype=np.int64),
        units=np.ones(n, dtype=np.int64),
        mean_service_h=np.array([0.1, 0.2, 0.3, 0.4, 0.25]),
        distribution=("exponential", "deterministic", "erlang", "lognormal", "empirical"),
        shape=np.array([1, 1, 3, 1, 1], dtype=np.int64),
        cv=np.array([np.nan, np.nan, np.nan, 0.6, np.nan]),
        samples_h=tuple(np.array([0.1, 0.2, 0.45]) if i == 4 else np.empty(0) for i in range(n)),
        priority=np.zeros(n, dtype=np.int64),
        shift=np.full(n, -1, dtype=np.int64),
        mtbf_h=np.full(n, np.inf),
        mttr_h=np.zeros(n),
    )
    u = np.random.default_rng(4).uniform(size=200)
    for p in range(n):
        vector = pool_service_times_h(pools, np.full(u.size, p), u)
        scalar = np.array([service_time_h(pools, p, float(x)) for x in u])
        np.testing.assert_allclose(scalar, vector, rtol=1e-12, atol=0)


def test_priority_pool_matches_cobham() -> None:
    # A service_first pool of one unit with exponential moves and Poisson arrivals of
    # two classes is the non-pre-emptive priority M/M/1 queue: Cobham's mean waits.
    # Driven as the engine drives it: jobs of an instant first, then the pool decides
    # at its wake times. 200 000 jobs, 10 % warm-up, 20 batch means, 4 standard errors.
    from freighthub.sim.queueing import cobham_waits_h

    rng = np.random.default_rng(21)
    lam, s, n = (0.35, 0.35), 1.0, 200_000
    arrival = np.cumsum(rng.exponential(1.0 / sum(lam), n))
    klass = (rng.uniform(size=n) < lam[1] / sum(lam)).astype(int)  # 0 service, 1 truck
    work = rng.exponential(s, n)
    pool = EnginePool(1, [[]], [[]], priority=1)
    start = np.full(n, np.nan)

    def dispatch_until(t: float) -> None:
        while pool.wake_h < t:
            for j, t0, _ in pool.dispatch(pool.wake_h):
                start[j] = t0

    for j in range(n):
        a = float(arrival[j])
        dispatch_until(a)
        pool.submit(j, int(klass[j]), float(work[j]))
        pool.wake_h = min(pool.wake_h, pool.next_start_h(a))
    dispatch_until(math.inf)
    expected = cobham_waits_h(lam, (s, s), (2 * s * s, 2 * s * s))
    wait = start - arrival
    for c in (0, 1):
        w = wait[(klass == c) & (np.arange(n) >= n // 10)]
        batches = w[: w.size // 20 * 20].reshape(20, -1).mean(axis=1)
        se = float(batches.std(ddof=1) / math.sqrt(20))
        assert abs(float(batches.mean()) - expected[c]) < 4 * se, (c, batches.mean(), expected)
    assert expected[1] > 2 * expected[0]  # the case does separate the classes


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_fifo_units_match_the_batch_pool(seed: int) -> None:
    # EnginePool.fifo (a heap of free times without calendars; cached availability per
    # unit with calendars) against pools.TerminalPool.serve, an independent form of the
    # same rule (Calendar: cumulative down time, one binary search per finish): the same
    # starts and ends for jobs arriving in bursts (ties) on units with shifts and repairs.
    from freighthub.sim.pools import Calendar, TerminalPool, down_intervals

    rng = np.random.default_rng(seed)
    units, horizon, n = 5, 400.0, 3000
    arrival = np.sort(np.round(rng.uniform(0.0, horizon, n), 1))  # many equal arrivals
    work = rng.exponential(0.6, n)
    ds, de = down_intervals(
        units, horizon, shift_start_h=np.array([0.0, 6.0, 22.0]),
        shift_share=np.array([0.4, 1.0, 0.6]), mtbf_h=40.0, mttr_h=3.0, rng=rng,
    )  # fmt: skip
    for calendars in (True, False):
        starts = [d.tolist() if calendars else [] for d in ds]
        ends = [d.tolist() if calendars else [] for d in de]
        fast = EnginePool(units, starts, ends)
        got = np.array(
            [fast.fifo(a, w) for a, w in zip(arrival.tolist(), work.tolist(), strict=True)]
        )
        cals = [Calendar(np.asarray(s), np.asarray(e)) for s, e in zip(starts, ends, strict=True)]
        start, end = TerminalPool(units, cals).serve(arrival, work)
        np.testing.assert_allclose(got[:, 0], start, rtol=0, atol=1e-9)
        np.testing.assert_allclose(got[:, 1], end, rtol=0, atol=1e-9)
        assert bool(np.all(got[:, 0] >= arrival)) and bool(
            np.all(got[:, 1] >= got[:, 0] + work - 1e-9)
        )


# -- the compiled loop (issue #20) ----------------------------------------------------
def _variant(name: str, variant: str) -> tuple[CompiledNetwork, Arrivals]:
    """A feature case, with full yards (60 TEU: held or diverted boxes) or with
    background traffic (test parameters as in test_terminal_equality)."""
    network, arrivals = terminal_case(name)
    if variant in ("hold", "divert_road"):
        hubs = dataclasses.replace(network.hubs, yard_capacity_teu=np.full(network.n_hubs, 60.0))
        network = dataclasses.replace(network, hubs=hubs, yard_full_policy=variant)
    elif variant in ("background", "background_ties"):
        trucks = 0.5 if variant == "background_ties" else 0.0  # (truck jobs at the gates)
        network = with_background(network, 2e5, 3e4, 7, 3, road_share=trucks)
        drawn = generate_arrivals(network, 5)
        arrivals = dataclasses.replace(drawn, terminal=arrivals.terminal)
        if variant == "background_ties":  # background jobs at the instants of
            # departures and selections (the compiled loop merges their stream with its
            # heap at ties as the Python loop's one heap orders them)
            bg, s = arrivals.background, network.services
            assert bg is not None and network.terminal is not None
            w = network.terminal.loading_window_h
            at = np.concatenate(
                [*s.departures_h, *(d - w[k] for k, d in enumerate(s.departures_h))]
            )
            at = at[(at >= 0) & (at < network.horizon_h)]
            t = np.sort(np.random.default_rng(1).choice(at, bg.n))
            arrivals = dataclasses.replace(
                arrivals, background=dataclasses.replace(bg, arrival_h=t)
            )
    return network, arrivals


@pytest.mark.parametrize(
    ("name", "variant"),
    [(name, "") for name in FEATURES]
    + [("all", "hold"), ("windows", "divert_road"), ("all", "background")]
    + [("all", "background_ties")],
)
def test_compiled_loop_equals_the_python_loop(
    name: str, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Python loop of engine_terminal is the compiled loop's specification: every
    # box, job, yard change and background start the same (service times of gate and
    # yard moves are computed vectorised there, so floats agree to rounding).
    network, arrivals = _variant(name, variant)
    compiled = engine.run(network, arrivals)
    monkeypatch.setattr(engine_terminal, "COMPILED", False)
    python = engine.run(network, arrivals)
    assert_same(compiled, python)
    assert compiled.terminal is not None and python.terminal is not None
    for field in dataclasses.fields(compiled.terminal):
        got, want = getattr(compiled.terminal, field.name), getattr(python.terminal, field.name)
        if want.dtype.kind == "f":
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=field.name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=field.name)
    if variant.startswith("background"):
        assert compiled.background is not None and python.background is not None
        for field in dataclasses.fields(compiled.background):
            got, want = (
                getattr(compiled.background, field.name),
                getattr(python.background, field.name),
            )
            if isinstance(want, np.ndarray):
                np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=field.name)
    if variant == "hold":
        assert (compiled.yard_hold_h > 0).any()
    if variant == "divert_road":
        assert compiled.diverted.any()


def test_compiled_loop_codes_are_the_models() -> None:
    # The kernel's own copies of the job kinds, classes, tasks and event kinds.
    from freighthub.sim import terminal, terminal_heap, terminal_kernel

    for name in ("LOAD", "UNLOAD", "TRUCK_IN", "TRUCK_OUT", "GATE", "BACKGROUND"):
        assert getattr(terminal_kernel, f"_{name}") == getattr(terminal, f"KIND_{name}")
    assert (terminal_kernel._SERVICE, terminal_kernel._TRUCK) == (
        terminal.CLASS_SERVICE,
        terminal.CLASS_TRUCK,
    )
    assert (terminal_kernel._YARD, terminal_kernel._TASK_GATE) == (
        terminal.TASK_YARD,
        terminal.TASK_GATE,
    )
    assert terminal_kernel._LEG_SERVICE == LEG_SERVICE
    heap_kinds = ("JOB_DONE", "ENTER", "TRIP", "BG", "SELECT_EVENT", "DEPART_EVENT", "WAKE")
    for kind, heap_kind in zip(
        ("JOB_DONE", "ENTER", "TRIP", "BG", "SELECT", "DEPART", "WAKE"), heap_kinds, strict=True
    ):
        k = getattr(engine_terminal, f"_{kind}")
        assert getattr(terminal_heap, heap_kind) == k
        assert terminal_heap.phase(k) == engine_terminal._PHASE[k]
    sources = (terminal_heap.HEAP, terminal_heap.ENTRIES, terminal_heap.BACKGROUND)
    kernel = (terminal_kernel._FROM_HEAP, terminal_kernel._FROM_ENTRIES, terminal_kernel._FROM_BG)
    assert kernel == sources and len({*sources, terminal_heap.NONE}) == 4


def test_record_order_is_the_lexsort() -> None:
    # terminal_records' compiled order (in place) against np.lexsort on jobs and yard
    # changes with many ties (random test data, arrivals sorted as the engines create
    # them, and unsorted), start and end NaN from the horizon on.
    from freighthub.sim.terminal_records import sort_jobs, sort_yard

    rng = np.random.default_rng(3)
    for _ in range(100):
        m = int(rng.integers(1, 300))
        pool, kind, klass, box = (rng.integers(0, c, m) for c in (5, 3, 2, 4))
        start = rng.integers(0, 4, m).astype(float)
        start[rng.random(m) < 0.1] = np.nan
        end = rng.integers(0, 3, m).astype(float)
        horizon = float(rng.choice([3.0, np.inf]))
        late = ~(start < horizon)
        s, e = np.where(late, np.nan, start), np.where(late, np.nan, end)
        for arrival in (np.sort(rng.integers(0, 20, m)).astype(float), rng.random(m).round(1)):
            want = np.lexsort((e, box, kind, s, arrival, pool))
            types = (np.int32, np.int8, np.int8, np.int64, *[np.float64] * 3)
            columns = (pool, kind, klass, box, arrival, start, end)
            got = tuple(x.astype(t) for x, t in zip(columns, types, strict=True))
            sort_jobs(got, 5, horizon)
            for column, values in zip(got, (pool, kind, klass, box, arrival, s, e), strict=True):
                np.testing.assert_array_equal(column, values[want])
            want = np.lexsort((end, arrival, pool))
            got = (pool.astype(np.int32), arrival.copy(), end.copy())
            sort_yard(*got, 5)
            for column, values in zip(got, (pool, arrival, end), strict=True):
                np.testing.assert_array_equal(column, values[want])
