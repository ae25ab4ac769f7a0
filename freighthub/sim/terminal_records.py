"""The terminal records of a run, compiled (issue #19: speed of the terminal year).

The compiled loop writes each job as it creates it into the record arrays of its state
(:func:`record_arrays`: one array per field, in the dtypes of
:class:`~freighthub.sim.terminal.TerminalRecords`) and each yard change likewise.
:func:`run_records` puts them in the records' order in place (no second copy):
jobs sorted by (pool, arrival, start, kind, box, end), yard changes by (hub, time,
change), NaN last (as ``numpy.lexsort``; stable). Both engines create jobs and yard
changes in time order, so each pool's (hub's) rows are sorted by arrival (time)
already: a counting sort by pool (hub) gives each row its place, each column is
scattered to those places through one buffer and copied back, and only the groups that
share a pool and an arrival and are not yet in order by the other keys are sorted (a
stable merge sort); a pool whose rows are not in arrival order is sorted whole. numba (``cache=True``), imported only when a run
has a terminal model. Times in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from freighthub.sim.terminal import TerminalRecords

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when it records).
TerminalRun = Any

__all__ = ["JOB_FIELDS", "record_arrays", "run_records", "sort_jobs", "sort_yard"]

#: The job record arrays of the compiled loop's state and their dtypes (arrival, start,
#: end [h]; j_col: the visit column of a load or unload, else -1).
JOB_FIELDS: dict[str, Any] = {
    "j_pool": np.int32, "j_kind": np.int8, "j_class": np.int8, "j_box": np.int64,
    "j_col": np.int16, "j_arr": np.float64, "j_start": np.float64, "j_end": np.float64,
}  # fmt: skip


def record_arrays(jobs: int, yard: int) -> dict[str, Any]:
    """Empty record arrays for ``jobs`` jobs and ``yard`` yard changes (grown by the
    loop when full; pages never written take no memory)."""
    out = {f: np.empty(jobs, dtype=t) for f, t in JOB_FIELDS.items()}
    out.update(y_hub=np.empty(yard, dtype=np.int32), y_h=np.empty(yard), y_teu=np.empty(yard))
    return out


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
def _places(key: Any, n_keys: int) -> tuple[Any, Any]:
    """Each row's place in a stable counting sort by ``key`` (0 .. n_keys - 1), and the
    first place of each key's rows (``n_keys + 1`` bounds)."""
    count = np.zeros(n_keys + 1, dtype=np.int64)
    for j in range(key.size):
        if not 0 <= key[j] < n_keys:
            raise ValueError("a record's pool or hub index is out of range")
        count[key[j] + 1] += 1
    bounds = np.cumsum(count)
    at = bounds.copy()
    place = np.empty(key.size, dtype=np.int32)  # (callers check the size)
    for j in range(key.size):
        place[j] = at[key[j]]
        at[key[j]] += 1
    return place, bounds


@njit(cache=True)
def _scatter(col: Any, place: Any, buf: Any) -> None:
    """Row ``j`` of ``col`` moves to ``place[j]``, through ``buf`` (at least as long, same
    dtype). Rows are read in order and written to one stream per key (a gather in the
    sorted order would read each column once per key, sparsely)."""
    for j in range(place.size):
        buf[place[j]] = col[j]
    col[:] = buf[: place.size]


@njit(cache=True)
def _by_key(key: Any, bounds: Any) -> None:
    """``key`` sorted: each key over its bounds."""
    for p in range(bounds.size - 1):
        key[bounds[p] : bounds[p + 1]] = p


@njit(cache=True)
def _jobs(pool: Any, kind: Any, klass: Any, box: Any, arrival: Any, start: Any, end: Any,
          n_pools: int, horizon_h: float) -> None:  # fmt: skip
    for j in range(pool.size):
        if not start[j] < horizon_h:  # (start and end NaN when not started before)
            start[j], end[j] = np.nan, np.nan
    place, bounds = _places(pool, n_pools)
    buf = np.empty(pool.size)  # (one buffer for every column, viewed as its dtype)
    for col in (arrival, start, end):
        _scatter(col, place, buf)
    _scatter(box, place, buf.view(np.int64))
    _scatter(kind, place, buf.view(np.int8))
    _scatter(klass, place, buf.view(np.int8))
    _by_key(pool, bounds)
    firsts, sizes, rows = _unsorted(pool, arrival, start, kind, box, end, True)
    if firsts.size:
        for col in (arrival, start, end):
            _apply(col, firsts, sizes, rows)
        _apply(kind, firsts, sizes, rows)
        _apply(klass, firsts, sizes, rows)
        _apply(box, firsts, sizes, rows)


def sort_jobs(columns: tuple[Any, ...], n_pools: int, horizon_h: float) -> None:
    """Put the job records in their order, in place.

    ``columns``: pool (int32, ``0 .. n_pools - 1``), kind, class (int8), box (int64),
    arrival, start, end [h] (float64), one row per job in creation order. Start and end
    become NaN where the job did not start before ``horizon_h``.

    Raises
    ------
    ValueError
        If a pool index is out of range (the columns are then unchanged).
    """
    if columns[0].size >= 2**31:
        raise ValueError("over 2**31 jobs: beyond the sort's int32 row numbers")
    _jobs(*columns, n_pools, float(horizon_h))  # type: ignore[call-arg]


@njit(cache=True)
def _yard(hub: Any, t: Any, delta: Any, n_hubs: int) -> None:
    place, bounds = _places(hub, n_hubs)
    buf = np.empty(hub.size)
    _scatter(t, place, buf)
    _scatter(delta, place, buf)
    _by_key(hub, bounds)
    none = np.zeros(0, dtype=np.int8)
    firsts, sizes, rows = _unsorted(hub, t, delta, none, none, t, False)
    if firsts.size:
        _apply(t, firsts, sizes, rows)
        _apply(delta, firsts, sizes, rows)


def sort_yard(hub: Any, time_h: Any, delta_teu: Any, n_hubs: int) -> None:
    """Put the yard changes (hub int32, time [h], change [TEU]) in their order
    (hub, time, change), in place."""
    if hub.size >= 2**31:
        raise ValueError("over 2**31 yard changes: beyond the sort's int32 row numbers")
    _yard(hub, time_h, delta_teu, n_hubs)


def run_records(tr: TerminalRun) -> TerminalRecords:
    """The records of ``tr``'s run: the compiled loop's record arrays (``tr.jobs``,
    ``tr.y_*``) sorted in place, or the Python loop's interleaved rows (``tr.j_int``,
    ``tr.j_t``: 6 int32 and 3 float64 per job) copied into such arrays first."""
    jobs = tr.jobs
    if jobs is None:
        ji = np.frombuffer(tr.j_int, dtype=np.int32).reshape(-1, 6)
        jt = np.frombuffer(tr.j_t, dtype=np.float64).reshape(-1, 3)
        types = list(JOB_FIELDS.values())
        jobs = (
            *(ji[:, c].astype(types[c]) for c in range(4)),
            *(jt[:, c].copy() for c in range(3)),
        )
        del ji, jt
    sort_jobs(jobs, len(tr.pools), tr.horizon)
    hub: Any = np.ascontiguousarray(tr.y_hub, dtype=np.int32)  # (int32: compact)
    y_h, y_teu = (np.ascontiguousarray(x, dtype=np.float64) for x in (tr.y_h, tr.y_teu))
    sort_yard(hub, y_h, y_teu, tr.e.net.n_hubs)
    pool, kind, klass, box, arrival, start, end = jobs
    return TerminalRecords(
        job_pool=pool,
        job_kind=kind,
        job_class=klass,
        job_box=box,
        job_arrival_h=arrival,
        job_start_h=start,
        job_end_h=end,
        yard_hub=hub,
        yard_h=y_h,
        yard_delta_teu=y_teu,
        truck_wait_h=tr.truck_wait,
        truck_turnaround_h=tr.turnaround,
    )
