"""The fast engine's passes over all boxes, compiled (issue #20: CPU of the plain year).

What :class:`freighthub.sim.engine._Engine` does with numpy passes over millions of
boxes, as one compiled pass each (numba, ``cache=True``; imported only when the
compiled loop runs, so the CLI starts without numba):

- :func:`road_legs`: the road legs of boxes from their current position to the next
  hub or to delivery (``_Engine.road_until_hub``, road closures as
  :func:`freighthub.sim.plan.road_departure_h`): the first legs of every box before the
  loop, the last ones of the boxes the loop left with road legs only;
- :func:`first_legs`: the same for every box from its arrival, and
  :func:`entry_stream`: those first hub entries in time order (the loop's stream);
- :func:`result_pass`: events at or after the horizon blanked, and the ready and
  departure times (:func:`freighthub.sim.engine.engine_result`);
- :func:`visit_hubs`: the hub of each visit row of each box's assigned route, and
  :func:`scale_rows`: each visit row times a per-hub factor (both for
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
from freighthub.sim.terminal_borrow import AHEAD as _AHEAD
from freighthub.sim.terminal_borrow import prefetch

__all__ = ["entry_stream", "first_legs", "result_pass", "road_legs", "scale_rows", "visit_hubs"]

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


@njit(cache=True, inline="always")  # (IR inlined: a call per box costs 3x)
def _walk(
    i: int, now: float, route: Any, pos: Any, legs: Any, road: Any, closures: Any,
    leg_dep: Any, delivered: Any,
) -> tuple[int, float]:  # fmt: skip
    """Walk box ``i`` from ``now`` [h] along its road legs (:func:`road_legs`); returns
    (hub where its next service leg starts, or -1 if delivered; time [h])."""
    leg_start, n_legs, leg_kind, leg_index, leg_from, loff = legs
    c_link, c_start, c_end = closures
    r = route[i]
    p = np.int64(pos[i])
    start, last = leg_start[r], n_legs[r]
    hub = -1
    while True:
        if p >= last:
            delivered[i] = now
            break
        g = start + p
        if leg_kind[g] == _SERVICE:
            hub = leg_from[g]
            break
        link = leg_index[g]
        dep = _departure_h(link, now, c_link, c_start, c_end)
        leg_dep[loff[i] + p] = dep
        now = dep + road[link]
        p += 1
    pos[i] = p
    return hub, now


@njit(cache=True)
def road_legs(
    ids: Any, t: Any, route: Any, pos: Any, legs: Any, road: Any, closures: Any,
    leg_dep: Any, delivered: Any, out_t: Any, out_h: Any,
) -> Any:  # fmt: skip
    """Walk boxes ``ids`` (from times ``t`` [h]) along their road legs.

    ``legs`` is (leg_start, n_legs, leg_kind, leg_index, leg_from) of the routes and
    the boxes' leg offsets (``leg_dep``: leg ``p`` of box ``i`` is row ``loff[i] + p``),
    ``road`` the links' travel times [h], ``closures`` (link, start [h], end [h]).
    Boxes that finish their route get ``delivered`` [h]; the others stop where their
    next (service) leg starts. ``leg_dep`` and ``pos`` are written as
    ``_Engine.road_until_hub`` writes them. Returns the number ``m`` of boxes that
    stopped at a hub: ``ids[:m]`` (overwritten, in input order), ``out_t[:m]`` [h],
    ``out_h[:m]`` (hub).
    """
    m = 0
    loff = legs[5]
    for q in range(ids.size):
        if q + _AHEAD < ids.size:  # (boxes in time order: their rows are apart)
            ahead = ids[q + _AHEAD]
            prefetch(loff, ahead)
            prefetch(route, ahead)
            prefetch(pos, ahead)
            prefetch(delivered, ahead)
        i = ids[q]
        hub, now = _walk(i, t[q], route, pos, legs, road, closures, leg_dep, delivered)
        if hub >= 0:
            ids[m], out_t[m], out_h[m] = i, now, hub
            m += 1
    return m


@njit(cache=True)
def first_legs(
    time_h: Any, route: Any, pos: Any, legs: Any, road: Any, closures: Any,
    leg_dep: Any, delivered: Any, road_only: Any,
) -> tuple[Any, Any, Any]:  # fmt: skip
    """:func:`road_legs` of every box from its arrival ``time_h`` [h] (all at position
    0): the boxes that stop at a hub, in box order, as new arrays of their number (the
    boxes of routes not ``road_only``, counted first): (time [h], box, hub), box and
    hub int32 (memory: no arrays of every box)."""
    m = 0
    for i in range(route.size):
        m += not road_only[route[i]]
    out_t = np.empty(m)
    out_i = np.empty(m, dtype=np.int32)
    out_h = np.empty(m, dtype=np.int32)
    q = 0
    for i in range(route.size):
        hub, now = _walk(i, time_h[i], route, pos, legs, road, closures, leg_dep, delivered)
        if hub >= 0:
            if q >= m:
                raise ValueError("first_legs: a road-only route has a service leg")
            out_t[q], out_i[q], out_h[q] = now, i, hub
            q += 1
    if q != m:
        raise ValueError("first_legs: a route with a service leg was delivered by road")
    return out_t, out_i, out_h


@njit(cache=True)
def result_pass(
    horizon: float, voff: Any, visits: Any, leg_dep: Any, loff: Any, delivered: Any,
    route: Any, routes: Any, arrival: Any, ready: Any, departure: Any,
) -> None:  # fmt: skip
    """engine_result's passes, box by box: visits (``visits``: start, wait, handling
    rows), leg departures (rows by ``loff``) and deliveries at or after ``horizon`` [h] become NaN; then
    ``ready`` and ``departure`` [h] of each box (``routes``: per route, its first
    service leg and whether it is road only)."""
    start, wait, handling = visits
    first_leg, road_only = routes
    nan = math.nan
    width = leg_dep.size
    for i in range(route.size):
        a, b = voff[i], voff[i + 1]
        for v in range(a, b):
            if not (start[v] < horizon):
                start[v] = nan
                wait[v] = nan
                handling[v] = nan
        la, lb = loff[i], loff[i + 1]
        for c in range(la, lb):
            if leg_dep[c] >= horizon:
                leg_dep[c] = nan
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
        c = la + first_leg[r]
        departure[i] = (leg_dep[c] if c < lb else nan) if width else rd


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
    out_t, out_i, out_h = np.empty(m), np.empty_like(ids), np.empty_like(hub)
    if m == 0:
        return out_t, out_i, out_h
    lo, hi = t.min(), t.max()
    n_b = m if hi > lo else 1
    scale = n_b / (hi - lo) if hi > lo else 0.0
    start = np.zeros(n_b + 2, dtype=np.int32)  # (bucket b: from start[b], once filled)
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


@njit(cache=True)
def scale_rows(
    rows: Any, route: Any, offset: Any, visit_start: Any, visit_hub: Any, factor: Any
) -> None:
    """Multiply each visit row by its hub's ``factor`` in place: ``rows[j] = factor[h] *
    rows[j]`` with ``h`` the hub :func:`visit_hubs` gives row ``j`` (one IEEE product
    each, the same floats as numpy's)."""
    for i in range(route.size):
        v = visit_start[route[i]] - offset[i]
        for j in range(offset[i], offset[i + 1]):
            rows[j] = factor[visit_hub[v + j]] * rows[j]
