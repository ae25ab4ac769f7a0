"""The terminal records in their order, compiled (issue #19: speed of the terminal year).

:class:`~freighthub.sim.terminal.TerminalRecords` keeps the jobs sorted by (pool,
arrival, start, kind, box, end) and the yard changes by (hub, time, change), NaN last
(as ``numpy.lexsort``; stable). Both engines create jobs and yard changes in time order,
so each pool's (hub's) rows are sorted by arrival (time) already: a counting sort by
pool (hub) scatters them into place in one pass, and only the groups that share a pool
and an arrival and are not yet in order by the other keys are sorted (a stable merge
sort); a pool whose rows are not in arrival order is sorted whole. numba
(``cache=True``), imported only when a run with a terminal model records its jobs.
Times in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

__all__ = ["job_records", "yard_records"]


@njit(cache=True)
def _cmp(x: float, y: float) -> int:
    """-1, 0, 1 as ``x`` sorts before, with or after ``y`` (NaN last)."""
    if x < y:
        return -1
    if x > y:
        return 1
    if x == y:
        return 0
    return int(math.isnan(x)) - int(math.isnan(y))  # (one or both NaN)


@njit(cache=True)
def _before(a: Any, s: Any, k: Any, b: Any, e: Any, full: bool, i: int, j: int) -> bool:
    """Whether row ``i`` sorts strictly before row ``j`` by (a, s) or, ``full``, by
    (a, s, k, b, e)."""
    c = _cmp(a[i], a[j])
    if c == 0:
        c = _cmp(s[i], s[j])
    if c != 0 or not full:
        return c < 0
    if k[i] != k[j]:
        return k[i] < k[j]  # type: ignore[no-any-return]
    if b[i] != b[j]:
        return b[i] < b[j]  # type: ignore[no-any-return]
    return _cmp(e[i], e[j]) < 0


@njit(cache=True)
def _merge_sort(lo: int, hi: int, a: Any, s: Any, k: Any, b: Any, e: Any, full: bool) -> Any:
    """The stable order of rows ``lo .. hi - 1`` by :func:`_before` (row numbers)."""
    idx = np.arange(lo, hi)
    tmp = np.empty_like(idx)
    m = hi - lo
    width = 1
    while width < m:
        for left in range(0, m, 2 * width):
            mid, right = min(left + width, m), min(left + 2 * width, m)
            p, q, o = left, mid, left
            while p < mid and q < right:
                if _before(a, s, k, b, e, full, idx[q], idx[p]):
                    tmp[o] = idx[q]
                    q += 1
                else:
                    tmp[o] = idx[p]
                    p += 1
                o += 1
            tmp[o : o + mid - p] = idx[p:mid]
            o += mid - p
            tmp[o : o + right - q] = idx[q:right]
        idx, tmp = tmp, idx
        width *= 2
    return idx


@njit(cache=True)
def _unsorted(g: Any, a: Any, s: Any, k: Any, b: Any, e: Any, full: bool) -> Any:
    """The ranges of the grouped rows (``g`` sorted) that must be sorted, and their
    order: (first rows, sizes, the rows of each in order, concatenated)."""
    n = g.size
    firsts, sizes, parts = [0], [0], [np.zeros(0, dtype=np.int64)]
    lo = 0
    while lo < n:
        hi = lo + 1  # the group (pool or hub) is lo .. hi - 1
        in_time = True
        while hi < n and g[hi] == g[lo]:
            in_time = in_time and not a[hi] < a[hi - 1]
            hi += 1
        if not in_time:  # (not created in time order: sort it whole)
            firsts.append(lo)
            sizes.append(hi - lo)
            parts.append(_merge_sort(lo, hi, a, s, k, b, e, full))
            lo = hi
            continue
        t0 = lo
        for q in range(lo + 1, hi + 1):  # runs of equal arrival t0 .. q - 1
            if q < hi and a[q] == a[t0]:
                continue
            bad = False
            for r in range(t0 + 1, q):
                if _before(a, s, k, b, e, full, r, r - 1):
                    bad = True
                    break
            if bad:
                firsts.append(t0)
                sizes.append(q - t0)
                parts.append(_merge_sort(t0, q, a, s, k, b, e, full))
            t0 = q
        lo = hi
    total = 0
    for z in sizes:
        total += z
    rows = np.empty(total, dtype=np.int64)
    o = 0
    for part in parts:
        rows[o : o + part.size] = part
        o += part.size
    return np.asarray(firsts[1:]), np.asarray(sizes[1:]), rows


@njit(cache=True)
def _apply(col: Any, firsts: Any, sizes: Any, rows: Any) -> None:
    """Reorder ``col``'s ranges (:func:`_unsorted`) in place."""
    o = 0
    for r in range(firsts.size):
        lo, m = firsts[r], sizes[r]
        part = col[rows[o : o + m]].copy()
        col[lo : lo + m] = part
        o += m


@njit(cache=True)
def _offsets(key: Any, n_keys: int) -> Any:
    """The first output row of each key's rows (a counting sort's offsets)."""
    count = np.zeros(n_keys + 1, dtype=np.int64)
    for j in range(key.size):
        if not 0 <= key[j] < n_keys:
            raise ValueError("a record's pool or hub index is out of range")
        count[key[j] + 1] += 1
    return np.cumsum(count)[:-1]


@njit(cache=True)
def _jobs(ji: Any, jt: Any, n_pools: int, horizon_h: float) -> Any:
    m = ji.shape[0]
    at = _offsets(ji[:, 0], n_pools)
    pool = np.empty(m, dtype=np.int32)
    kind = np.empty(m, dtype=np.int8)
    klass = np.empty(m, dtype=np.int8)
    box = np.empty(m, dtype=np.int64)
    arrival, start, end = np.empty(m), np.empty(m), np.empty(m)
    for j in range(m):
        p = ji[j, 0]
        if not (0 <= ji[j, 1] <= 127 and 0 <= ji[j, 2] <= 127):
            raise ValueError("a job's kind or class does not fit int8")
        o = at[p]
        at[p] = o + 1
        pool[o], kind[o], klass[o], box[o] = p, ji[j, 1], ji[j, 2], ji[j, 3]
        arrival[o] = jt[j, 0]
        t0 = jt[j, 1]
        if t0 < horizon_h:  # (start and end NaN when not started before the horizon)
            start[o], end[o] = t0, jt[j, 2]
        else:
            start[o], end[o] = np.nan, np.nan
    firsts, sizes, rows = _unsorted(pool, arrival, start, kind, box, end, True)
    if firsts.size:
        for col in (arrival, start, end):
            _apply(col, firsts, sizes, rows)
        _apply(kind, firsts, sizes, rows)
        _apply(klass, firsts, sizes, rows)
        _apply(box, firsts, sizes, rows)
    return pool, kind, klass, box, arrival, start, end


def job_records(ji: Any, jt: Any, n_pools: int, horizon_h: float) -> tuple[Any, ...]:
    """The jobs' record columns in their order.

    ``ji`` (jobs, >= 4) integers (pool, kind, class, box, ...) and ``jt`` (jobs, 3)
    float64 (arrival, start, end [h]) in creation order; pool indices ``0 .. n_pools -
    1``. Returns pool (int32), kind, class (int8), box (int64), arrival, start, end
    [h] (start and end NaN where the job did not start before ``horizon_h``).

    Raises
    ------
    ValueError
        If a pool index is out of range or a kind or class does not fit int8.
    """
    ji, jt = np.ascontiguousarray(ji), np.ascontiguousarray(jt, dtype=np.float64)
    return tuple(_jobs(ji, jt, n_pools, float(horizon_h)))


@njit(cache=True)
def _yard(hub: Any, t: Any, delta: Any, n_hubs: int) -> Any:
    m = hub.size
    at = _offsets(hub, n_hubs)
    y_hub = np.empty(m, dtype=np.int32)
    y_h, y_d = np.empty(m), np.empty(m)
    for j in range(m):
        h = hub[j]
        o = at[h]
        at[h] = o + 1
        y_hub[o], y_h[o], y_d[o] = h, t[j], delta[j]
    none = np.zeros(0, dtype=np.int8)
    firsts, sizes, rows = _unsorted(y_hub, y_h, y_d, none, none, y_h, False)
    if firsts.size:
        _apply(y_h, firsts, sizes, rows)
        _apply(y_d, firsts, sizes, rows)
    return y_hub, y_h, y_d


def yard_records(hub: Any, time_h: Any, delta_teu: Any, n_hubs: int) -> tuple[Any, Any, Any]:
    """The yard changes sorted by (hub, time [h], change [TEU]): hub (int32), time, change."""
    hub = np.ascontiguousarray(hub, dtype=np.int64)
    t = np.ascontiguousarray(time_h, dtype=np.float64)
    d = np.ascontiguousarray(delta_teu, dtype=np.float64)
    return _yard(hub, t, d, n_hubs)  # type: ignore[no-any-return]
