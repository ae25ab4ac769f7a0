"""The fast engine's passes over all boxes, compiled (issue #20: CPU of the plain year).

What :class:`freighthub.sim.engine._Engine` does with numpy passes over millions of
boxes, as one compiled pass each (numba, ``cache=True``; imported only when the
compiled loop runs, so the CLI starts without numba):

- :func:`road_legs`: the road legs of boxes from their current position to the next
  hub or to delivery (``_Engine.road_until_hub``, road closures as
  :func:`freighthub.sim.plan.road_departure_h`): the first legs of every box before the
  loop, the last ones of the boxes the loop left with road legs only;
- :func:`entry_stream`: the first hub entries in time order (the loop's stream);
- :func:`result_pass`: events at or after the horizon blanked, and the ready and
  departure times (:func:`freighthub.sim.engine.engine_result`);
- :func:`visit_hubs`: the hub of each visit row of each box's assigned route (for
  :func:`freighthub.sim.plan.handling_rows_h`).

The numpy methods stay the specification (the Python loop uses them, and the tests
compare both loops box for box). A box's legs are its own, so walking box by box gives
the same floats as the numpy passes leg by leg. The clock is in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from freighthub.sim.network import LEG_SERVICE

__all__ = ["entry_stream", "result_pass", "road_legs", "visit_hubs"]

_SERVICE = LEG_SERVICE


@njit(cache=True)
def _departure_h(link: int, t: float, c_link: Any, c_start: Any, c_end: Any) -> float:
    """road_departure_h for one truck: wait out closures of ``link`` (repeatedly)."""
    changed = c_link.size > 0
    while changed:
        changed = False
        for c in range(c_link.size):
            if c_link[c] == link and t >= c_start[c] and t < c_end[c]:
                t = c_end[c]
                changed = True
    return t


@njit(cache=True)
def road_legs(
    ids: Any, t: Any, route: Any, pos: Any, legs: Any, road: Any, closures: Any,
    leg_dep: Any, delivered: Any, out_t: Any, out_h: Any,
) -> Any:  # fmt: skip
    """Walk boxes ``ids`` (from times ``t`` [h]) along their road legs.

    ``legs`` is (leg_start, n_legs, leg_kind, leg_index, leg_from) of the routes,
    ``road`` the links' travel times [h], ``closures`` (link, start [h], end [h]).
    Boxes that finish their route get ``delivered`` [h]; the others stop where their
    next (service) leg starts. ``leg_dep`` and ``pos`` are written as
    ``_Engine.road_until_hub`` writes them. Returns the number ``m`` of boxes that
    stopped at a hub: ``ids[:m]`` (overwritten, in input order), ``out_t[:m]`` [h],
    ``out_h[:m]`` (hub).
    """
    leg_start, n_legs, leg_kind, leg_index, leg_from = legs
    c_link, c_start, c_end = closures
    m = 0
    for q in range(ids.size):
        i = ids[q]
        r = route[i]
        p = np.int64(pos[i])
        start, last = leg_start[r], n_legs[r]
        now = t[q]
        while True:
            if p >= last:
                delivered[i] = now
                break
            g = start + p
            if leg_kind[g] == _SERVICE:
                ids[m], out_t[m], out_h[m] = i, now, leg_from[g]
                m += 1
                break
            link = leg_index[g]
            dep = _departure_h(link, now, c_link, c_start, c_end)
            leg_dep[i, p] = dep
            now = dep + road[link]
            p += 1
        pos[i] = p
    return m


@njit(cache=True)
def result_pass(
    horizon: float, voff: Any, visits: Any, leg_dep: Any, delivered: Any, route: Any,
    routes: Any, arrival: Any, ready: Any, departure: Any,
) -> None:  # fmt: skip
    """engine_result's passes, box by box: visits (``visits``: start, wait, handling
    rows), leg departures and deliveries at or after ``horizon`` [h] become NaN; then
    ``ready`` and ``departure`` [h] of each box (``routes``: per route, its first
    service leg and whether it is road only)."""
    start, wait, handling = visits
    first_leg, road_only = routes
    nan = math.nan
    width = leg_dep.shape[1]
    for i in range(route.size):
        a, b = voff[i], voff[i + 1]
        for v in range(a, b):
            if not (start[v] < horizon):
                start[v] = nan
                wait[v] = nan
                handling[v] = nan
        for c in range(width):
            if leg_dep[i, c] >= horizon:
                leg_dep[i, c] = nan
        if delivered[i] >= horizon:
            delivered[i] = nan
        r = route[i]
        if road_only[r]:
            ready[i] = departure[i] = arrival[i]
            continue
        rd = start[a] + handling[a] if b > a else nan
        if rd >= horizon:
            rd = nan
        ready[i] = rd
        departure[i] = leg_dep[i, first_leg[r]] if width else rd


@njit(cache=True)
def entry_stream(ids: Any, t: Any, hub: Any) -> tuple[Any, Any, Any]:
    """Hub entries ``(t [h], ids, hub)`` ordered by time, ties in the order given: what
    ``np.argsort(t, kind="stable")`` orders, found faster for times that are nearly
    sorted (arrivals plus road legs).

    The entries go into time buckets (about one entry each, in the order given; the
    bucket is monotone in the time, so an entry never belongs before an earlier
    bucket); a crowded bucket is sorted by merging (stable), then one stable insertion
    pass sorts within the buckets. Returns new arrays.
    """
    m = t.size
    out_t, out_i, out_h = np.empty(m), np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    if m == 0:
        return out_t, out_i, out_h
    lo, hi = t.min(), t.max()
    n_b = m if hi > lo else 1
    scale = n_b / (hi - lo) if hi > lo else 0.0
    start = np.zeros(n_b + 2, dtype=np.int64)  # (bucket b: from start[b], once filled)
    for q in range(m):
        start[_bucket(t[q], lo, scale, n_b) + 2] += 1
    crowded = False
    for b in range(n_b):
        crowded |= start[b + 2] > _CROWDED
        start[b + 2] += start[b + 1]
    for q in range(m):  # (start[b + 1]: the next row of bucket b, then its end)
        b = _bucket(t[q], lo, scale, n_b)
        o = start[b + 1]
        start[b + 1] = o + 1
        out_t[o], out_i[o], out_h[o] = t[q], ids[q], hub[q]
    for b in range(n_b if crowded else 0):
        a, z = start[b], start[b + 1]
        if z - a > _CROWDED:
            order = np.argsort(out_t[a:z], kind="mergesort") + a
            out_t[a:z], out_i[a:z], out_h[a:z] = out_t[order], out_i[order], out_h[order]
    for q in range(1, m):  # (stops at its bucket's start: earlier buckets are earlier)
        x = out_t[q]
        if out_t[q - 1] <= x:
            continue
        i, h = out_i[q], out_h[q]
        r = q
        while r > 0 and out_t[r - 1] > x:
            out_t[r], out_i[r], out_h[r] = out_t[r - 1], out_i[r - 1], out_h[r - 1]
            r -= 1
        out_t[r], out_i[r], out_h[r] = x, i, h
    return out_t, out_i, out_h


_CROWDED = 32  # entries in a bucket above which it is sorted by merging


@njit(cache=True)
def _bucket(t: float, lo: float, scale: float, n_b: int) -> int:
    """The bucket of time ``t`` [h] (monotone in ``t``)."""
    b = int((t - lo) * scale)
    return b if b < n_b else n_b - 1


@njit(cache=True)
def visit_hubs(route: Any, offset: Any, visit_start: Any, visit_hub: Any) -> Any:
    """The hub of each visit row: row ``offset[i] + k`` of box ``i`` is visit
    ``visit_start[route[i]] + k`` of the routes' visit table (what ``np.repeat`` of the
    rows' starts and a gather give, in one pass). Returns a new int64 array of
    ``offset[-1]`` rows."""
    out = np.empty(offset[-1], dtype=np.int64)
    for i in range(route.size):
        v = visit_start[route[i]] - offset[i]
        for j in range(offset[i], offset[i + 1]):
            out[j] = visit_hub[v + j]
    return out
