"""Equipment pools of a terminal (issue #19): service times, unit calendars, FIFO and
non-pre-emptive priority pools; pure and exact. The clock is in hours [h]; the rules
are ``docs/terminal-operations.md``, the compiled arrays :mod:`freighthub.sim.terminal`.

A :class:`TerminalPool` is FIFO (:meth:`~TerminalPool.serve` commits every job at
once: the Kiefer–Wolfowitz recursion of :mod:`freighthub.sim.cranes` with unit
calendars) or non-pre-emptive priority by move class (:meth:`~TerminalPool.submit`,
:meth:`~TerminalPool.start_until`: starts are committed only up to a time, since a
later arrival of a higher class can overtake). A pool uses one of the two interfaces.

References
----------
J. Kiefer and J. Wolfowitz, "On the theory of queues with many servers", Transactions
of the American Mathematical Society 78 (1955) 1–18 (the FIFO multi-server recursion).
A. Cobham, "Priority assignment in waiting line problems", Journal of the Operations
Research Society of America 2(1) (1954) 70–76 (non-pre-emptive priorities; the closed
form is :func:`freighthub.sim.queueing.cobham_waits_h`).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from freighthub.model.terminal_schema import on_duty_units
from freighthub.sim.cranes import HandlingPool
from freighthub.sim.service_times import (  # re-exported: their home is service_times
    DISTRIBUTIONS,
    pool_service_time_h,
    pool_service_times_h,
    service_times_h,
)
from freighthub.sim.terminal import MOVE_CLASSES, PRIORITIES
from freighthub.units import HOURS_PER_WEEK

__all__ = [
    "DISTRIBUTIONS", "Calendar", "TerminalPool", "down_intervals", "pool_service_time_h",
    "pool_service_times_h", "service_times_h",
]  # fmt: skip

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _merge(spans: list[tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
    """Sorted, disjoint union of intervals (touching ones joined, empty ones dropped)."""
    starts: list[float] = []
    ends: list[float] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)


def _breakdowns(
    horizon_h: float, mtbf_h: float, mttr_h: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """One unit's repair intervals: up ~ Exp(mtbf), down ~ Exp(mttr), from up at t = 0,
    until an up period ends after the horizon. Draws come in blocks of (up, down) pairs."""
    spans: list[tuple[float, float]] = []
    t = 0.0
    block = int(horizon_h / (mtbf_h + mttr_h) * 1.25) + 8
    while t <= horizon_h:
        pairs = rng.standard_exponential((block, 2))
        for up, down in pairs.tolist():
            start = t + up * mtbf_h
            t = start + down * mttr_h
            spans.append((start, t))
            if start > horizon_h:
                return spans
    return spans


def down_intervals(
    units: int,
    horizon_h: float,
    *,
    shift_start_h: FloatArray | None,
    shift_share: FloatArray | None,
    mtbf_h: float,
    mttr_h: float,
    rng: np.random.Generator,
) -> tuple[tuple[FloatArray, ...], tuple[FloatArray, ...]]:
    """Per unit, the intervals in which it is not available [h].

    Parameters
    ----------
    units, horizon_h
        Units in the pool [count], >= 1; the intervals cover ``[0, horizon_h]``
        (the last one may end after) [h].
    shift_start_h, shift_share
        The weekly pattern: period starts (hours of the week, sorted, the first 0,
        each running to the next start or to 168) and on-duty share per period
        (0-1); ``None`` = always on duty. Unit ``i`` is off duty in a period when
        ``on_duty_units(share, units) <= i``; weeks repeat from ``t = 0``.
    mtbf_h, mttr_h, rng
        Mean time between failures and to repair per unit [h] (``mtbf_h = inf``: no
        breakdowns). Up and repair times are exponential, alternating from up at
        ``t = 0``, drawn from ``rng`` per unit in unit order, in blocks of pairs.

    Returns
    -------
    starts, ends
        Per unit, sorted, disjoint (touching intervals merged) starts and ends [h]:
        the union of off-duty periods and repairs.

    Raises
    ------
    ValueError
        If ``units < 1``, the pattern is malformed, ``mtbf_h <= 0`` or ``mttr_h < 0``.
    """
    if units < 1 or not math.isfinite(horizon_h):
        raise ValueError(f"units = {units}, horizon_h = {horizon_h}: need units >= 1, finite")
    if not mtbf_h > 0 or not mttr_h >= 0:
        raise ValueError(f"mtbf_h = {mtbf_h!r}, mttr_h = {mttr_h!r}: need mtbf_h > 0, mttr_h >= 0")
    off: list[list[tuple[float, float]]] = [[] for _ in range(units)]
    if shift_start_h is not None and shift_share is not None:
        start = np.asarray(shift_start_h, dtype=np.float64)
        share = np.asarray(shift_share, dtype=np.float64)
        if start.size == 0 or start.shape != share.shape or start[0] != 0.0:
            raise ValueError("shift_start_h must start at 0 and match shift_share in length")
        if not bool(np.all((share >= 0) & (share <= 1))):
            raise ValueError(f"shift_share = {share.tolist()}: each share must be 0-1")
        if np.any(np.diff(start) <= 0) or start[-1] >= HOURS_PER_WEEK:
            raise ValueError(f"shift_start_h must increase and stay below {HOURS_PER_WEEK} h")
        end = np.r_[start[1:], HOURS_PER_WEEK]
        on = [on_duty_units(s, units) for s in share.tolist()]
        weeks = math.ceil(max(horizon_h, 0.0) / HOURS_PER_WEEK) + 1
        for w in range(weeks):
            base = w * HOURS_PER_WEEK
            for a, b, m in zip(start.tolist(), end.tolist(), on, strict=True):
                for i in range(max(m, 0), units):
                    off[i].append((base + a, base + b))
    repairs = math.isfinite(mtbf_h)
    merged = [
        _merge(off[i] + (_breakdowns(horizon_h, mtbf_h, mttr_h, rng) if repairs else []))
        for i in range(units)
    ]
    return tuple(m[0] for m in merged), tuple(m[1] for m in merged)


class Calendar:
    """Availability of one unit: unavailable in ``[down_start_h[j], down_end_h[j])``.

    Intervals are sorted and merged here (touching ones joined); available time is
    counted with the cumulative down time, so :meth:`finish_h` is one binary search.
    Raises ``ValueError`` if the arrays differ in length or an interval ends before
    it starts.
    """

    __slots__ = ("_cum", "_ends", "_gap", "_starts", "empty")

    def __init__(self, down_start_h: FloatArray, down_end_h: FloatArray) -> None:
        s = np.asarray(down_start_h, dtype=np.float64).ravel()
        e = np.asarray(down_end_h, dtype=np.float64).ravel()
        if s.shape != e.shape or bool(np.any(e < s)):
            raise ValueError("down_start_h and down_end_h must have equal length and end >= start")
        starts, ends = _merge(list(zip(s.tolist(), e.tolist(), strict=True)))
        self._starts: list[float] = starts.tolist()
        self._ends: list[float] = ends.tolist()
        length = ends - starts
        cum = np.concatenate(([0.0], np.cumsum(length)))
        self._cum: list[float] = cum.tolist()  # down time before interval j
        # available time accumulated from -inf offset: F(s_j) = s_j - cum[j]
        self._gap: list[float] = (starts - cum[:-1]).tolist()
        self.empty = not self._starts

    @property
    def down_h(self) -> tuple[FloatArray, FloatArray]:
        """The merged down intervals: starts and ends [h]."""
        return np.asarray(self._starts), np.asarray(self._ends)

    def next_available_h(self, t: float) -> float:
        """``t`` when the unit is available at ``t``, else the end of its down interval [h]."""
        j = bisect_right(self._starts, t) - 1
        if j >= 0 and t < self._ends[j]:
            return self._ends[j]
        return t

    def available_h(self, t: float) -> float:
        """Available time up to ``t``, ``t`` minus the down time before it [h]."""
        j = bisect_right(self._starts, t) - 1
        if j < 0:
            return t
        return t - self._cum[j] - (min(t, self._ends[j]) - self._starts[j])

    def finish_h(self, start_h: float, work_h: float) -> float:
        """When ``work_h`` hours of available time have accumulated from ``start_h`` [h].

        A move is suspended while the unit is unavailable and resumes on the same
        unit; ``work_h = 0`` finishes at ``start_h``.
        """
        if work_h <= 0:
            return start_h
        if self.empty:
            return start_h + work_h
        j = bisect_right(self._starts, start_h)  # intervals begun by the start
        base = start_h
        if j and start_h < self._ends[j - 1]:
            base = self._ends[j - 1]  # suspended until the unit is back
        target = base - self._cum[j] + work_h  # available time at the finish
        k = max(j, bisect_left(self._gap, target))  # intervals begun before the finish
        return base + work_h + (self._cum[k] - self._cum[j])


class TerminalPool:
    """Units with calendars, forward only, FIFO or non-pre-emptive priority.

    Parameters
    ----------
    units
        Units in the pool [count], >= 1.
    calendars
        One :class:`Calendar` per unit; ``None``: every unit always available.
    priority
        Index in :data:`~freighthub.sim.terminal.PRIORITIES`: 0 ``fifo``,
        1 ``service_first``, 2 ``truck_first`` (classes ``MOVE_CLASSES``).

    Attributes
    ----------
    jobs, busy_h, unit_busy_h
        Jobs started so far [count]; their service (available time worked, including
        work still to come on jobs in progress) [h], in all and per unit (per unit
        not kept by :meth:`serve` without calendars, whose units are interchangeable).

    Raises
    ------
    ValueError
        If ``units < 1``, the calendars are not one per unit or ``priority`` is unknown.
    """

    def __init__(
        self, units: int, calendars: Sequence[Calendar] | None = None, priority: int = 0
    ) -> None:
        if units < 1:
            raise ValueError(f"units = {units}: must be >= 1")
        if calendars is not None and len(calendars) != units:
            raise ValueError(f"{len(calendars)} calendars for {units} units: need one per unit")
        if not 0 <= priority < len(PRIORITIES):
            raise ValueError(f"priority = {priority}: must be 0..{len(PRIORITIES) - 1}")
        self.units = units
        self.priority = priority
        cal = None if calendars is None or all(c.empty for c in calendars) else list(calendars)
        self._cal: list[Calendar] | None = cal
        self._fifo = HandlingPool(units) if cal is None and priority == 0 else None
        self._free: list[float] = [-math.inf] * units
        self.unit_busy_h: list[float] = [0.0] * units
        self.jobs = 0
        self.busy_h = 0.0
        self._last_arrival_h = -math.inf
        # priority pools: class rank (0 first), heap per rank of (arrival, seq, service, ref)
        n_ranks = 1 if priority == 0 else len(MOVE_CLASSES)
        self._heaps: list[list[tuple[float, int, float, int]]] = [[] for _ in range(n_ranks)]
        self._seq = 0
        self._now = -math.inf
        self._next: tuple[float, int] | None = None

    def _rank(self, klass: int) -> int:
        """Queue of a class: 0 served first (truck_first reverses MOVE_CLASSES)."""
        return 0 if self.priority == 0 else klass if self.priority == 1 else 1 - klass

    def _best(self, t: float) -> tuple[float, int]:
        """The unit that can start a job arrived at ``t`` earliest (lowest index at a
        tie): ``min_i next_available_i(max(t, free_i))``."""
        if self._cal is None:
            ready = [t if t > f else f for f in self._free]
            best = min(ready)
            return best, ready.index(best)
        best, best_i = math.inf, 0
        for i, (f, cal) in enumerate(zip(self._free, self._cal, strict=True)):
            r = t if t > f else f
            if r < best:  # availability only delays: no need to look otherwise
                j = bisect_right(cal._starts, r) - 1
                if j >= 0 and r < cal._ends[j]:
                    r = cal._ends[j]
                if r < best:
                    best, best_i = r, i
        return best, best_i

    # ---- FIFO: every job at once -------------------------------------------------
    def serve_units(
        self, arrival_h: FloatArray, service_h: FloatArray
    ) -> tuple[FloatArray, FloatArray, IntArray]:
        """As :meth:`serve`, also returning the unit of each job (-1 without calendars,
        where the units are interchangeable)."""
        if self.priority != 0:
            raise ValueError("serve is for FIFO pools (priority 0); use submit/start_until")
        a = np.ascontiguousarray(arrival_h, dtype=np.float64)
        s = np.ascontiguousarray(service_h, dtype=np.float64)
        if a.shape != s.shape or a.ndim != 1:
            raise ValueError("arrival_h and service_h must be 1-D arrays of the same length")
        if a.size == 0:
            return np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
        if a[0] < self._last_arrival_h or (a.size > 1 and bool(np.any(np.diff(a) < 0))):
            raise ValueError("arrival_h must be sorted and not before earlier batches: FIFO order")
        if bool(np.any(s < 0)):
            raise ValueError("service_h must be >= 0")
        self._last_arrival_h = float(a[-1])
        self.jobs += int(a.size)
        self.busy_h += float(s.sum())
        if self._fifo is not None:
            start = self._fifo.serve(a, s, check=False)
            return start, start + s, np.full(a.size, -1, dtype=np.int64)
        rows: list[tuple[float, float, int]] = []
        for aj, sj in zip(a.tolist(), s.tolist(), strict=True):
            t, i = self._best(aj)
            end = t + sj if self._cal is None else self._cal[i].finish_h(t, sj)
            self._free[i] = end
            self.unit_busy_h[i] += sj
            rows.append((t, end, i))
        out = np.asarray(rows, dtype=np.float64).T
        return out[0], out[1], out[2].astype(np.int64)

    def serve(self, arrival_h: FloatArray, service_h: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Serve a batch of jobs FIFO (array order; arrivals sorted, none before an
        earlier batch's last arrival); return their start and end times [h].

        The job at the head starts on the unit that can start it earliest,
        ``min_i next_available_i(max(arrival, free_i))``, the lowest index at a tie;
        it ends when its service time of available time has accumulated on that unit.
        Without calendars this is :class:`freighthub.sim.cranes.HandlingPool`. Raises
        ``ValueError`` on a priority pool, unsorted or backward arrivals, negative service.
        """
        start, end, _ = self.serve_units(arrival_h, service_h)
        return start, end

    # ---- priority: deferred commit -------------------------------------------------
    def submit(
        self, arrival_h: FloatArray, service_h: FloatArray, klass: IntArray, ref: IntArray
    ) -> None:
        """Add jobs (any order); FIFO within a class by arrival, then submit order.

        Raises ``ValueError`` if the arrays differ in length, a class is unknown, a
        service time is negative or a job arrives before the last ``start_until`` time.
        """
        a = np.atleast_1d(np.asarray(arrival_h, dtype=np.float64))
        s = np.atleast_1d(np.asarray(service_h, dtype=np.float64))
        k = np.atleast_1d(np.asarray(klass, dtype=np.int64))
        r = np.atleast_1d(np.asarray(ref, dtype=np.int64))
        if not a.shape == s.shape == k.shape == r.shape:
            raise ValueError("arrival_h, service_h, klass and ref must have the same length")
        if a.size == 0:
            return
        if float(a.min()) < self._now:
            raise ValueError(f"arrival {float(a.min())!r} is before start_until's {self._now!r}")
        if bool(np.any((k < 0) | (k >= len(MOVE_CLASSES)))) or bool(np.any(s < 0)):
            raise ValueError("klass must index MOVE_CLASSES and service_h be >= 0")
        for aj, sj, kj, rj in zip(a.tolist(), s.tolist(), k.tolist(), r.tolist(), strict=True):
            heapq.heappush(self._heaps[self._rank(kj)], (aj, self._seq, sj, rj))
            self._seq += 1
        self._next = None

    def _peek(self) -> tuple[float, int]:
        if self._next is None:
            first = min((h[0][0] for h in self._heaps if h), default=math.inf)
            self._next = (math.inf, 0) if first == math.inf else self._best(first)
        return self._next

    def next_start_h(self) -> float:
        """When the next start happens given the jobs submitted so far [h] (inf if none)."""
        return self._peek()[0]

    @property
    def waiting(self) -> int:  # jobs submitted and not started [count]
        return sum(len(h) for h in self._heaps)

    def start_until(self, now: float) -> tuple[IntArray, FloatArray, FloatArray, IntArray]:
        """Commit every start at or before ``now``, in start order.

        Whenever a unit is free and available and jobs have arrived, it takes the
        first waiting job of the highest class (several units free at once: lowest
        index first). The caller submits every job arriving at or before ``now``
        first. Returns ``(ref, start_h, end_h, unit)`` per started job [-, h, h, -].
        """
        rows: list[tuple[int, float, float, int]] = []
        heaps = self._heaps
        while True:
            t, i = self._peek()
            if t > now or t == math.inf:
                break
            heap = next(h for h in heaps if h and h[0][0] <= t)
            _, _, work, ref = heapq.heappop(heap)
            end = t + work if self._cal is None else self._cal[i].finish_h(t, work)
            self._free[i] = end
            self.unit_busy_h[i] += work
            self.busy_h += work
            self.jobs += 1
            self._next = None
            rows.append((ref, t, end, i))
        self._now = max(self._now, now)
        cols = np.asarray(rows, dtype=np.float64).reshape(-1, 4).T  # refs < 2**53: exact
        return cols[0].astype(np.int64), cols[1], cols[2], cols[3].astype(np.int64)
