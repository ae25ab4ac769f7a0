"""Pool units of the compiled terminal loop (:class:`freighthub.sim.engine_pools.EnginePool`).

The same rules over the state's arrays (:mod:`freighthub.sim.terminal_state`): per
unit, the first available time from its down intervals (with the same cache), the end
of a move suspended by them, the unit that can start a job earliest (lowest index at a
tie), and the free heap of a FIFO pool without calendars. Times in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

__all__ = ["available_h", "earliest", "fifo_heap", "finish_h"]

_INF = math.inf


@njit(cache=True)
def available_h(s: Any, u: int, t: float) -> float:
    if s.u_lo[u] <= t < s.u_nd[u]:
        a = s.u_a[u]
        return t if t > a else a
    lo, hi = s.u_doff[u], s.u_doff[u + 1]
    if lo == hi:
        return t
    ds, de = s.d_s, s.d_e
    t0 = t
    k = lo + np.searchsorted(ds[lo:hi], t, side="right") - 1
    while lo <= k < hi and ds[k] <= t < de[k]:
        t = de[k]
        k += 1
    k = lo + np.searchsorted(ds[lo:hi], t, side="right")
    s.u_lo[u], s.u_a[u] = t0, t
    s.u_nd[u] = ds[k] if k < hi else _INF
    return t


@njit(cache=True)
def finish_h(s: Any, u: int, start: float, work: float) -> float:
    if s.u_a[u] <= start and start + work <= s.u_nd[u]:
        return start + work
    lo, hi = s.u_doff[u], s.u_doff[u + 1]
    if lo == hi:
        return start + work
    ds, de = s.d_s, s.d_e
    k = lo + np.searchsorted(ds[lo:hi], start, side="right")
    t = start
    while k < hi:
        if t + work <= ds[k]:
            return t + work
        work -= ds[k] - t
        t = de[k]
        k += 1
    return t + work


@njit(cache=True)
def earliest(s: Any, p: int, t0: float) -> tuple[float, int]:
    """(time, unit) at which pool ``p``'s units can start a job arriving at ``t0``."""
    best, best_u = _INF, s.p_uoff[p]
    for u in range(s.p_uoff[p], s.p_uoff[p] + s.p_units[p]):
        f = s.u_free[u]
        t = t0 if t0 > f else f
        if s.u_lo[u] <= t < s.u_nd[u]:
            a = s.u_a[u]
            if a > t:
                t = a
        else:
            t = available_h(s, u, t)
        if t < best:
            best, best_u = t, u
            if t <= t0:
                break
    return best, best_u


@njit(cache=True)
def fifo_heap(s: Any, p: int, t: float, work: float) -> tuple[float, float]:
    o = s.p_uoff[p]
    m = s.p_units[p]
    ht, hu = s.fh_t, s.fh_u
    f = ht[o]
    start = t if t > f else f
    end = start + work
    ht[o] = end  # heapreplace of (free, unit): sift the root down
    k = 0
    while True:
        c = 2 * k + 1
        if c >= m:
            break
        if c + 1 < m and (ht[o + c + 1] < ht[o + c] or (
            ht[o + c + 1] == ht[o + c] and hu[o + c + 1] < hu[o + c]
        )):  # fmt: skip
            c += 1
        if ht[o + c] < ht[o + k] or (ht[o + c] == ht[o + k] and hu[o + c] < hu[o + k]):
            ht[o + c], ht[o + k] = ht[o + k], ht[o + c]
            hu[o + c], hu[o + k] = hu[o + k], hu[o + c]
            k = c
        else:
            break
    return start, end
