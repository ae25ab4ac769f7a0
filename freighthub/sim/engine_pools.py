"""Equipment pools of the fast engine's terminal model (rules: ``docs/terminal-operations.md``).

The simulation clock is in hours [h]. A pool is ``units`` identical units, each with
its own calendar of unavailable intervals (off duty or broken down): a move that
meets such an interval is suspended and resumes on the same unit when it ends, so
its service time counts available time only.

:class:`EnginePool` is the event-driven state the fast engine's terminal model keeps
per pool: a FIFO pool commits a job's start when the job arrives (every earlier
arrival is known then, because the engine handles events in time order); a priority
pool queues jobs by class and starts them at dispatch instants (see
:meth:`EnginePool.dispatch`). A move's service time is
:func:`freighthub.sim.service_times.pool_service_time_h`.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from heapq import heapreplace
from typing import Any, Protocol

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.network import CompiledNetwork, EngineResult
from freighthub.sim.service_times import pool_service_times_h
from freighthub.sim.terminal import (
    CLASS_SERVICE,
    CLASS_TRUCK,
    TASK_QUAY,
    TASK_RAIL,
    PoolArrays,
    TerminalDraws,
)
from freighthub.vocabulary import mode_facts, mode_ids

__all__ = [
    "EnginePool",
    "FastEngine",
    "build_pools",
    "compact",
    "entry_stream",
    "job_columns",
    "service_task",
    "terminal_handling",
    "terminal_ready",
    "visit_pools",
    "write_visits",
]

_INF = math.inf
_RECORD_CHUNK = 1 << 20  # jobs per pass when writing the visits (bounds temporaries)


class EnginePool:
    """One pool's units: free times, calendars, and (priority pools) waiting jobs.

    Parameters
    ----------
    units
        Number of units [count], >= 1.
    down_start_h, down_end_h
        Per unit, sorted disjoint intervals ``[start, end)`` in which it is not
        available [h]; empty sequences for a unit that is always available.
    priority
        0 FIFO, 1 ``service_first``, 2 ``truck_first`` (:data:`~freighthub.sim.terminal.PRIORITIES`).
    """

    __slots__ = (
        "_a", "_de", "_ds", "_lo", "_nd", "_order", "calendar", "free", "free_heap", "priority",
        "units", "waiting", "wake_h",
    )  # fmt: skip

    def __init__(
        self,
        units: int,
        down_start_h: list[list[float]],
        down_end_h: list[list[float]],
        priority: int = 0,
    ) -> None:
        if units < 1:
            raise ValueError(f"units = {units}: must be >= 1")
        self.units = units
        self.free = [-_INF] * units
        self._ds = down_start_h
        self._de = down_end_h
        self.calendar = any(down_start_h)  # some unit is ever unavailable
        # A FIFO pool without calendars: (free time, unit) of every unit, a min-heap.
        self.free_heap = [(-_INF, i) for i in range(units)]
        # Per unit, the last answer of available_h: for a query t in [lo, nd) it is
        # max(t, a) (a is available and the next down interval starts at nd).
        self._lo = [_INF if ds else -_INF for ds in down_start_h]
        self._a = [-_INF] * units
        self._nd = [-_INF if ds else _INF for ds in down_start_h]
        self.priority = priority
        # Waiting jobs of a priority pool by class: (job, work [h]).
        self.waiting: tuple[deque[tuple[int, float]], deque[tuple[int, float]]] = (
            deque(),
            deque(),
        )
        w = self.waiting  # and in dispatch order, the higher class first
        self._order = (
            (w[CLASS_SERVICE], w[CLASS_TRUCK])
            if priority == 1
            else (w[CLASS_TRUCK], w[CLASS_SERVICE])
        )
        self.wake_h = _INF

    def available_h(self, i: int, t: float) -> float:
        """The first time >= ``t`` at which unit ``i`` is available [h]."""
        if self._lo[i] <= t < self._nd[i]:
            a = self._a[i]
            return t if t > a else a
        starts = self._ds[i]
        if not starts:
            return t
        ends = self._de[i]
        t0 = t
        k = bisect_right(starts, t) - 1
        while 0 <= k < len(starts) and starts[k] <= t < ends[k]:
            t = ends[k]
            k += 1
        k = bisect_right(starts, t)
        self._lo[i], self._a[i] = t0, t
        self._nd[i] = starts[k] if k < len(starts) else _INF
        return t

    def finish_h(self, i: int, start: float, work: float) -> float:
        """End of ``work`` hours of available time on unit ``i`` from ``start`` [h]."""
        if self._a[i] <= start and start + work <= self._nd[i]:
            return start + work  # no down interval before the end (cache of available_h)
        starts = self._ds[i]
        if not starts:
            return start + work
        ends = self._de[i]
        k = bisect_right(starts, start)
        t = start
        while k < len(starts):
            if t + work <= starts[k]:
                return t + work
            work -= starts[k] - t
            t = ends[k]
            k += 1
        return t + work

    def fifo(self, arrival_h: float, work_h: float) -> tuple[float, float]:
        """Start and end of a job at the head of a FIFO pool [h].

        It starts on the unit that can start it earliest, the lowest index at a tie.
        """
        if not self.calendar:  # Kiefer–Wolfowitz: the earliest free unit, lowest index
            f, i = self.free_heap[0]  # the least (free time, unit)
            start = arrival_h if arrival_h > f else f
            heapreplace(self.free_heap, (start + work_h, i))
            return start, start + work_h
        best, best_i = self.earliest(arrival_h)
        end = self.finish_h(best_i, best, work_h)
        self.free[best_i] = end
        return best, end

    def submit(self, job: int, klass: int, work_h: float) -> None:
        """Queue a job of a priority pool."""
        self.waiting[klass].append((job, work_h))

    def next_start_h(self, now: float) -> float:
        """The first instant >= ``now`` at which some unit is free and available [h]."""
        return self.earliest(now)[0]

    def earliest(self, t0: float) -> tuple[float, int]:
        """The first instant >= ``t0`` at which some unit is free and available [h], and
        that unit (the lowest index at a tie)."""
        best_i = 0
        best = _INF
        free, lo, nd, av = self.free, self._lo, self._nd, self._a
        for i in range(self.units):
            f = free[i]
            t = t0 if t0 > f else f
            if lo[i] <= t < nd[i]:
                a = av[i]
                if a > t:
                    t = a
            else:
                t = self.available_h(i, t)
            if t < best:
                best, best_i = t, i
                if t <= t0:  # no unit can start earlier; the lowest index wins
                    break
        return best, best_i

    def dispatch(self, now: float) -> list[tuple[int, float, float]]:
        """Start waiting jobs at ``now`` on the units free and available then.

        Units in index order each take the first waiting job of the highest class.
        Returns ``(job, start, end)`` of the jobs started; :attr:`wake_h` becomes the
        next instant a unit can start a job still waiting (``inf`` if none waits).
        """
        high, low = self._order
        started: list[tuple[int, float, float]] = []
        free, lo, nd, av = self.free, self._lo, self._nd, self._a
        for i in range(self.units):
            if not (high or low):
                break
            if free[i] > now:
                continue
            if lo[i] <= now < nd[i]:
                if av[i] > now:
                    continue
            elif self.available_h(i, now) != now:
                continue
            job, work = high.popleft() if high else low.popleft()
            end = now + work  # (the cache holds: available from <= now until nd[i])
            if end > nd[i]:
                end = self.finish_h(i, now, work)
            free[i] = end
            started.append((job, now, end))
        if high or low:
            self.wake_h = self.next_start_h(now)
        else:
            self.wake_h = _INF
        return started


class FastEngine(Protocol):
    """What the terminal model uses of :class:`freighthub.sim.engine._Engine`."""

    net: CompiledNetwork
    arr: Any
    plan: Any
    n: int
    horizon_h: float
    divert: bool
    route: Any
    pos: Any
    nvis: Any
    delivered_h: Any
    leg_dep: Any
    loff: Any
    visit_start: Any
    visit_wait: Any
    handling: Any
    voff: Any
    yard_hold: Any
    left_behind: Any
    trips: list[Any]
    leg_start: Any
    leg_kind: Any
    leg_index: Any
    leg_from: Any
    road_alt: Any
    teu: Any
    bg: Any

    def road_until_hub(
        self, ids: IntArray, t: FloatArray
    ) -> tuple[IntArray, FloatArray, IntArray]: ...

    def divert_to_road(self, ids: IntArray) -> None: ...

    def finish_by_road(self, ids: IntArray, t: FloatArray) -> None: ...


def service_task(network: CompiledNetwork) -> list[int]:
    """Per service, the task of its load and unload moves (quay or rail)."""
    modes = mode_ids()
    return [
        TASK_QUAY if mode_facts(modes[int(m)]).waterborne else TASK_RAIL
        for m in network.services.mode.tolist()
    ]


def visit_pools(engine: FastEngine, pool_of: list[list[int]], task: list[int]) -> IntArray:
    """Per route and visit column, the pool of the move: the terminal pool of the
    service's task at that hub, else ``n_pools + hub`` (the hub's general pool)."""
    net = engine.net
    assert net.terminal is not None
    n_pools = net.terminal.pools.n
    routes = net.routes
    plan = engine.plan
    origin = net.services.origin.tolist()
    dest = net.services.destination.tolist()
    out = np.full(plan.visit_hub.shape, -1, dtype=np.int64)
    for r in range(routes.n):
        for p in range(int(plan.n_legs[r])):
            col_l, col_u = int(plan.load_col[r, p]), int(plan.unload_col[r, p])
            if col_l < 0:
                continue
            k = int(routes.leg_index[int(routes.leg_start[r]) + p])
            for col, h in ((col_l, origin[k]), (col_u, dest[k])):
                q = pool_of[h][task[k]]
                out[r, col] = q if q >= 0 else n_pools + h
    return out


def terminal_handling(engine: FastEngine, visit_pool: IntArray, pools: PoolArrays) -> None:
    """Handling times of visits in terminal pools from their pool's distribution
    (in place in ``engine.handling``, visit rows; the general pool's stay as they are)."""
    u = engine.arr.visit_handling_u  # (visit rows, laid out as engine.handling)
    route, first = engine.route, engine.voff[:-1]
    for col in range(visit_pool.shape[1]):
        terminal = (visit_pool[:, col] >= 0) & (visit_pool[:, col] < pools.n)
        if not terminal.any():
            continue
        vp = np.where(terminal, visit_pool[:, col], -1).astype(np.int32)[route]  # (per box)
        rows = np.flatnonzero(vp >= 0)
        if rows.size:
            work = pool_service_times_h(pools, vp[rows], u[first[rows] + col])
            engine.handling[first[rows] + col] = work


def terminal_ready(
    engine: FastEngine,
    result: EngineResult,
    ready: tuple[FloatArray, FloatArray, list[float]],
    horizon_h: float,
) -> EngineResult:
    """``result`` with ``ready_h`` (in place) the end of the first load move (a
    suspended move ends later than start + work), or where the first service has a
    loading window the box's first time in a yard. ``ready`` is (first load end [h],
    first time in a yard [h], window per service [h])."""
    first_ready, ready_yard, window = ready
    plan = engine.plan  # (per route first, then per box: no n-long int64 temporaries)
    service_r = ~plan.road_only
    first_leg = np.where(service_r, engine.leg_start[:-1] + plan.first_service_leg, 0)
    k = np.where(service_r, engine.leg_index[first_leg], 0)
    service = service_r[engine.route]
    windowed = (service_r & (np.asarray(window)[k] > 0))[engine.route]
    out = result.ready_h
    np.copyto(out, first_ready, where=service)
    np.copyto(out, ready_yard, where=windowed)
    np.putmask(out, service & ~(out < horizon_h), np.nan)
    return result


def write_visits(
    engine: FastEngine,
    col: Sequence[int],
    box: Sequence[int],
    arrival: Sequence[float],
    start: Sequence[float],
) -> None:
    """The visits' starts and waits [h] from the load and unload jobs (``col`` >= 0:
    the visit column of a job's box), in place in the engine's visit rows."""
    c_all, b_all = np.asarray(col), np.asarray(box)
    t_all, a_all = np.asarray(start, dtype=np.float64), np.asarray(arrival, dtype=np.float64)
    for j in range(0, c_all.size, _RECORD_CHUNK):  # (bounded temporaries; in job order)
        c, t0 = c_all[j : j + _RECORD_CHUNK], t_all[j : j + _RECORD_CHUNK]
        m = np.flatnonzero((c >= 0) & np.isfinite(t0))
        row = engine.voff[b_all[j : j + _RECORD_CHUNK][m]] + c[m]
        t0 = t0[m]
        engine.visit_start[row] = t0
        t0 -= a_all[j : j + _RECORD_CHUNK][m]
        engine.visit_wait[row] = t0


def build_pools(net: CompiledNetwork, draws: TerminalDraws) -> list[EnginePool]:
    """Every pool a run uses, by records' pool index: the terminal pools (with their
    units' down intervals), each hub's general pool, then each hub's existing gate
    (used only where the hub has no gate pool)."""
    assert net.terminal is not None
    pools = net.terminal.pools
    out: list[EnginePool] = []
    for p in range(pools.n):
        units = int(pools.units[p])
        ds = [draws.down_start_h[p][i].tolist() for i in range(units)]
        de = [draws.down_end_h[p][i].tolist() for i in range(units)]
        out.append(EnginePool(units, ds, de, int(pools.priority[p])))
    hubs = net.hubs
    lanes = np.maximum(np.where(hubs.gate_time_h > 0, hubs.gate_lanes, 0), 1)
    for c in hubs.servers.tolist() + lanes.tolist():
        out.append(EnginePool(c, [[]] * c, [[]] * c))
    return out


def entry_stream(
    ids: IntArray, t: FloatArray, hub: IntArray
) -> tuple[array[float], array[int], array[int]]:
    """The boxes' first hub entries (box ``ids`` reach ``hub`` at ``t`` [h]) sorted by
    (time, box), as compact arrays. The engine merges them with its event heap instead
    of pushing them: each precedes every event on the heap at its instant, as if it had
    been pushed first (phase 0, created at -inf, lowest sequence numbers)."""
    order = np.lexsort((ids, t))
    ent_t, ent_i, ent_h = array("d"), array("q"), array("q")
    ent_t.frombytes(np.ascontiguousarray(t[order], dtype=np.float64).tobytes())
    ent_i.frombytes(np.ascontiguousarray(ids[order], dtype=np.int64).tobytes())
    ent_h.frombytes(np.ascontiguousarray(hub[order], dtype=np.int64).tobytes())
    return ent_t, ent_i, ent_h


def compact(values: Any, typecode: str) -> array[Any]:
    """``values`` (flattened, C order) as a compact :class:`array.array` of ``typecode``
    ("d" float64, "i" int32, "q" int64): no Python object per element."""
    out: array[Any] = array(typecode)
    out.frombytes(np.ascontiguousarray(values, dtype=np.dtype(typecode)).tobytes())
    return out


def job_columns(ints: array[int], times: array[float]) -> tuple[Any, Any]:
    """Job records kept interleaved (6 int32 and 3 float64 per job) as (jobs, 6) and
    (jobs, 3) numpy views of the buffers (no copy)."""
    ji = np.frombuffer(ints, dtype=np.int32).reshape(-1, 6)
    return ji, np.frombuffer(times, dtype=np.float64).reshape(-1, 3)
