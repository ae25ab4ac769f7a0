"""The compiled event loop of the fast engine's terminal model (issues #19, #20).

The same rules and event order as :class:`freighthub.sim.engine_terminal.TerminalRun`
(read its docstring first), over flat numpy arrays in one
:class:`~freighthub.sim.terminal_state.KernelState`, compiled with numba (``cache=True``;
imported only when a run starts, so the CLI starts without numba). Jobs, hub entries,
trips, priority-pool wakes, departures and their selections
(:mod:`freighthub.sim.terminal_departures`) and background jobs, lots and fills
(:mod:`freighthub.sim.terminal_background`) are handled here; a road leg towards another
hub, a diversion and the work of a trip's background unload (drawn with scipy) return to
:mod:`freighthub.sim.terminal_loop` (Python). The heap orders events by (time, phase, creation time,
sequence number), a total order, as the Python heap. The clock is in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from freighthub.sim import terminal_heap as H
from freighthub.sim import terminal_state as S
from freighthub.sim.terminal_background import fill_select as _fill_select
from freighthub.sim.terminal_background import started as _bg_started
from freighthub.sim.terminal_background import trip as _bg_trip
from freighthub.sim.terminal_borrow import borrow, fetch_depart, fetch_entry, fetch_trip
from freighthub.sim.terminal_departures import departure_need as _departure_need
from freighthub.sim.terminal_departures import next_departure as _next_departure
from freighthub.sim.terminal_departures import queue as _queue
from freighthub.sim.terminal_departures import record_trip as _record_trip
from freighthub.sim.terminal_departures import room as _room
from freighthub.sim.terminal_units import available_h as _available_h
from freighthub.sim.terminal_units import earliest as _earliest
from freighthub.sim.terminal_units import fifo_heap as _fifo_heap
from freighthub.sim.terminal_units import finish_h as _finish_h

(DIVERT, DONE, ESC_A, GROW, N_BS, N_DEPS, N_ENT, N_HELD, N_JOBS, N_MARGIN, N_NEED, N_TAIL,
 N_UNITS, N_WBUF, N_WFREE, N_YARD, ROAD, UNLOAD_WORK, X_ESC_T, X_HORIZON, X_NOW) = (S.DIVERT,
    S.DONE, S.ESC_A, S.GROW, S.N_BS, S.N_DEPS, S.N_ENT, S.N_HELD, S.N_JOBS, S.N_MARGIN,
    S.N_NEED, S.N_TAIL, S.N_UNITS, S.N_WBUF, S.N_WFREE, S.N_YARD, S.ROAD, S.UNLOAD_WORK,
    S.X_ESC_T, S.X_HORIZON, S.X_NOW)  # fmt: skip
_BG, _DEPART, _ENTER, _JOB_DONE, _SELECT, _TRIP, _WAKE = (H.BG, H.DEPART_EVENT, H.ENTER,
    H.JOB_DONE, H.SELECT_EVENT, H.TRIP, H.WAKE)  # fmt: skip
_FROM_HEAP, _FROM_ENTRIES, _FROM_BG, _FROM_WAKES = H.HEAP, H.ENTRIES, H.BACKGROUND, H.WAKES
_pop, _pop_wake, _push_raw, push, _top = H.pop, H.pop_wake, H.push_raw, H.push, H.top

__all__ = ["depart", "readmit", "run_loop", "window_loads", "write_visits"]

# Job kinds, classes and tasks (freighthub.sim.terminal; checked by a test).
_LOAD, _UNLOAD, _TRUCK_IN, _TRUCK_OUT, _GATE, _BACKGROUND = range(6)
_SERVICE, _TRUCK = range(2)
_YARD, _TASK_GATE = 2, 3
_LEG_SERVICE, _INF = 1, math.inf


# -- pools (EnginePool) ---------------------------------------------------------
@njit(cache=True)
def _dispatch(s: Any, p: int, now: float) -> None:
    """EnginePool.dispatch, then the started jobs' consequences in start order."""
    qh, qt = s.p_qh, s.p_qt
    high = _SERVICE if s.p_prio[p] == 1 else _TRUCK
    low = 1 - high
    for u in range(s.p_uoff[p], s.p_uoff[p] + s.p_units[p]):
        if qh[p, high] < 0 and qh[p, low] < 0:
            break
        if s.u_free[u] > now:
            continue
        if s.u_lo[u] <= now < s.u_nd[u]:
            if s.u_a[u] > now:
                continue
        elif _available_h(s, u, now) != now:
            continue
        c = high if qh[p, high] >= 0 else low
        b = qh[p, c]  # (a waiting slot: its job, work, departure and the next slot; now free)
        j, work, dep = s.jn[b, 1], s.jw[b], s.jn[b, 2]
        qh[p, c] = s.jn[b, 0]
        if qh[p, c] < 0:
            qt[p, c] = -1
        s.jn[b, 0] = s.n[N_WFREE]
        s.n[N_WFREE] = b
        end = now + work
        if end > s.u_nd[u]:
            end = _finish_h(s, u, now, work)
        s.u_free[u] = end
        _started(s, j, s.j_kind[j], s.j_box[j], dep, s.j_col[j], s.j_arr[j], now, end)
    if qh[p, high] >= 0 or qh[p, low] >= 0:
        s.p_wake[p] = _earliest(s, p, now)[0]
    else:
        s.p_wake[p] = _INF


@njit(cache=True)
def _job(s: Any, pool: int, kind: int, klass: int, box: int, t: float, work: float,
         dep: int) -> None:  # fmt: skip
    """TerminalRun.job: a job reaches ``pool`` at ``t`` (= now)."""
    n = s.n
    j = n[N_JOBS]
    n[N_JOBS] = j + 1
    col = s.nvis[box] if kind <= _UNLOAD else -1
    s.j_pool[j], s.j_kind[j], s.j_class[j], s.j_box[j], s.j_col[j] = pool, kind, klass, box, col
    s.j_arr[j] = t
    if s.p_prio[pool] == 0:
        if s.p_cal[pool]:
            start, u = _earliest(s, pool, t)
            end = _finish_h(s, u, start, work)
            s.u_free[u] = end
        else:
            start, end = _fifo_heap(s, pool, t, work)
        _started(s, j, kind, box, dep, col, t, start, end)
        if s.flags[2]:  # no records: the visit now (write_visits), and the row is free
            if col >= 0:
                v = s.voff[box] + col
                s.v_start[v], s.v_wait[v] = start, start - t
            n[N_JOBS] = j
        return
    s.j_start[j], s.j_end[j] = np.nan, np.nan  # (until it starts)
    b = n[N_WFREE]  # a waiting slot (a free one, else the next unused one)
    if b >= 0:
        n[N_WFREE] = s.jn[b, 0]
    else:
        b = n[N_WBUF]
        n[N_WBUF] = b + 1
    s.jw[b], s.jn[b, 0], s.jn[b, 1], s.jn[b, 2] = work, -1, j, dep
    if s.p_qt[pool, klass] >= 0:
        s.jn[s.p_qt[pool, klass], 0] = b
    else:
        s.p_qh[pool, klass] = b
    s.p_qt[pool, klass] = b
    if s.p_wake[pool] == _INF:
        s.p_wake[pool] = _earliest(s, pool, t)[0]
        push(s, s.p_wake[pool], _WAKE, pool, 0)


@njit(cache=True)
def _service_of(s: Any, i: int) -> Any:  # int
    return s.leg_index[s.leg_start[s.route[i]] + s.pos[i]]


@njit(cache=True)
def _started(s: Any, j: int, kind: int, i: int, dep: int, col: int, arrival: float,
             start: float, end: float) -> None:  # fmt: skip
    """TerminalRun.started: job ``j`` (of ``kind``, box ``i``, departure or background
    ref ``dep``, visit column ``col``, arrived at ``arrival``) starts."""
    s.j_start[j] = start
    s.j_end[j] = end
    if kind == _BACKGROUND:
        _bg_started(s, dep, start, end)
        return
    if kind == _LOAD or kind == _UNLOAD:  # noqa: SIM109 (numba)
        s.nvis[i] = col + 1
        if kind == _LOAD:
            if col == 0 and not s.flags[2]:  # (no records: ready = start + work)
                s.first_ready[i] = end
            d = dep
            if d < 0:
                _queue(s, _service_of(s, i), end, i)
                return
            s.dep_left[d] -= 1
            if end > s.dep_last[d]:
                s.dep_last[d] = end
            if s.dep_left[d] == 0:
                due = s.dep_due[d]
                push(s, due if due >= s.dep_last[d] else s.dep_last[d], _DEPART, d, 0)
            return
    elif not s.flags[2] and s.tracked[i]:  # (no records: nothing tracked)
        s.entry_wait[i] += start - arrival
        if kind == _TRUCK_IN or (kind == _GATE and s.pool_of[s.entry_hub[i], _YARD] < 0):
            s.tracked[i] = False
            if start < s.x[X_HORIZON]:
                s.truck_wait[i] = s.entry_wait[i]
                s.turnaround[i] = end - s.entry_h[i]
    if (kind == _TRUCK_OUT or kind == _UNLOAD) and _road_only(s, i, kind):  # noqa: SIM109
        if end < s.x[X_HORIZON]:  # what its end event would do: a road tail from ``end``
            b = s.n[N_TAIL]
            s.n[N_TAIL] = b + 1
            s.tail_i[b], s.tail_t[b] = i, end
        return  # (no event: the other events keep their order, and nothing waits on it)
    _push_raw(s, end, 0, start, _JOB_DONE, i, kind)


@njit(cache=True)
def _road_only(s: Any, i: int, kind: int) -> bool:
    """Whether only road legs to delivery follow box ``i``'s unload or truck-out (its
    end event would put it in the road tail: ``_after_unload``, ``_road``)."""
    r = s.route[i]
    p = s.pos[i]
    if kind == _UNLOAD and p < s.n_legs[r]:
        if s.leg_kind[s.leg_start[r] + p] == _LEG_SERVICE:
            return False
        if s.pool_of[s.visit_hub[r, s.nvis[i] - 1], _YARD] >= 0:
            return False
    return not s.later[r, p]


@njit(cache=True)
def _yard(s: Any, h: int, t: float, delta: float) -> None:
    if s.flags[2]:  # no records
        return
    b = s.n[N_YARD]
    s.n[N_YARD] = b + 1
    s.y_hub[b], s.y_h[b], s.y_teu[b] = h, t, delta


# -- a box's steps ----------------------------------------------------------------
@njit(cache=True)
def _enter(s: Any, i: int, h: int, t: float) -> int:
    if s.held_head[h] >= 0 or s.occupancy[h] + s.teu[i] > s.yard_cap[h]:
        if s.flags[0] and s.road_alt[s.route[i]] >= 0:
            s.n[ESC_A] = i
            return DIVERT
        b = s.n[N_HELD]
        s.n[N_HELD] = b + 1
        s.held_i[b], s.held_t[b], s.held_next[b] = i, t, -1
        s.held_n[h] += 1
        if s.held_tail[h] >= 0:
            s.held_next[s.held_tail[h]] = b
        else:
            s.held_head[h] = b
        s.held_tail[h] = b
        return 0
    _admitted(s, i, h, t)
    return 0


@njit(cache=True)
def _admitted(s: Any, i: int, h: int, t: float) -> None:
    s.occupancy[h] += s.teu[i]
    if not s.has_gate[h] and s.pool_of[h, _YARD] < 0:
        _after_gate(s, i, t)
        return
    if not s.flags[2] and math.isnan(s.entry_h[i]):  # (no records: no truck waits)
        s.tracked[i] = True
        s.entry_h[i] = t
        s.entry_hub[i] = h
    g = s.pool_of[h, _TASK_GATE]
    if g >= 0:
        _job(s, g, _GATE, _TRUCK, i, t, s.w_gate[i], -1)
    elif s.has_gate[h]:
        n_pools = s.p_units.size - 2 * s.occupancy.size
        _job(s, n_pools + s.occupancy.size + h, _GATE, _TRUCK, i, t, s.gate_time_h[h], -1)
    else:
        _after_gate(s, i, t)


@njit(cache=True)
def _after_gate(s: Any, i: int, t: float) -> None:
    h = s.origin[_service_of(s, i)]
    y = s.pool_of[h, _YARD]
    if y >= 0:
        _job(s, y, _TRUCK_IN, _TRUCK, i, t, s.w_in[i], -1)
    else:
        _in_yard(s, i, t, True)


@njit(cache=True)
def _in_yard(s: Any, i: int, t: float, road: bool) -> None:
    k = _service_of(s, i)
    _yard(s, s.origin[k], t, s.teu[i])
    if not s.flags[2] and math.isnan(s.ready_yard[i]):
        s.ready_yard[i] = t
    if s.window[k] > 0:
        _queue(s, k, t, i)
        return
    col = s.nvis[i]
    pool = s.vpool[s.route[i], col]
    _job(s, pool, _LOAD, _TRUCK if road else _SERVICE, i, t, s.handling[s.voff[i] + col], -1)


@njit(cache=True)
def _after_unload(s: Any, i: int, t: float) -> int:
    r = s.route[i]
    p = s.pos[i]
    n_legs = s.n_legs[r]
    if p < n_legs and s.leg_kind[s.leg_start[r] + p] == _LEG_SERVICE:
        _in_yard(s, i, t, False)
        return 0
    if p < n_legs:
        h = s.visit_hub[r, s.nvis[i] - 1]
        y = s.pool_of[h, _YARD]
        if y >= 0:
            _job(s, y, _TRUCK_OUT, _TRUCK, i, t, s.w_out[i], -1)
            return 0
    return _road(s, i, t)


@njit(cache=True)
def _road(s: Any, i: int, t: float) -> int:
    if not s.later[s.route[i], s.pos[i]]:
        b = s.n[N_TAIL]
        s.n[N_TAIL] = b + 1
        s.tail_i[b], s.tail_t[b] = i, t
        return 0
    s.n[ESC_A] = i
    s.x[X_ESC_T] = t
    return ROAD


@njit(cache=True)
def _trip(s: Any, m: int, t: float) -> None:
    """TerminalRun.trip: trip ``m`` arrives at ``t``; its boxes' unload moves."""
    d = s.dest[s.trip_k[m]]
    lo, hi = s.trip_off[m], s.trip_off[m + 1]
    fetch_trip(s, lo, hi)
    for q in range(lo, hi):
        i = s.trip_box[q]
        r = s.route[i]
        p = s.pos[i] + 1
        s.pos[i] = p
        if p < s.n_legs[r] and s.leg_kind[s.leg_start[r] + p] == _LEG_SERVICE:
            s.occupancy[d] += s.teu[i]
        col = s.nvis[i]
        _job(s, s.vpool[r, col], _UNLOAD, _SERVICE, i, t, s.handling[s.voff[i] + col], -1)


@njit(cache=True)
def readmit(s: Any, h: int, t: float) -> None:
    """Admit held boxes at hub ``h`` at ``t`` while the yard has room (a departure)."""
    while s.held_head[h] >= 0:
        b = s.held_head[h]
        i = s.held_i[b]
        if not (s.occupancy[h] + s.teu[i] <= s.yard_cap[h]):
            break
        s.held_head[h] = s.held_next[b]
        if s.held_head[h] < 0:
            s.held_tail[h] = -1
        s.held_i[b] = -1
        s.held_n[h] -= 1
        s.yard_hold[i] = t - s.held_t[b]
        _admitted(s, i, h, t)


@njit(cache=True)
def window_loads(s: Any, k: int, j: int, now: float, m: int, bg_teu: float) -> None:
    """Windowed departure ``j`` of ``k`` chose slot ``m``'s boxes and ``bg_teu`` now."""
    d = s.n[N_DEPS]
    s.n[N_DEPS] = d + 1
    due = s.tt_h[s.tt_off[k] + j]
    lo, hi = s.trip_off[m], s.trip_off[m + 1]
    s.dep_due[d], s.dep_left[d], s.dep_last[d] = due, hi - lo, -_INF
    s.dep_k[d], s.dep_j[d], s.dep_trip[d], s.dep_bg[d] = k, j, m, bg_teu
    if hi == lo:
        push(s, due, _DEPART, d, 0)
        return
    for q in range(lo, hi):
        i = s.trip_box[q]
        col = s.nvis[i]
        _job(s, s.vpool[s.route[i], col], _LOAD, _SERVICE, i, now, s.handling[s.voff[i] + col], d)


@njit(cache=True)
def depart(s: Any, k: int, j: int, t: float, m: int) -> Any:  # float
    """TerminalRun.depart: ``j`` of ``k`` leaves at ``t`` with slot ``m``; its arrival [h]."""
    h = s.origin[k]
    lo, hi = s.trip_off[m], s.trip_off[m + 1]
    teu, mass, boxes = 0.0, 0.0, 0
    fetch_depart(s, lo, hi)
    for q in range(lo, hi):
        i = s.trip_box[q]
        s.leg_dep[s.loff[i] + s.pos[i]] = t
        teu += s.teu[i]
        mass += s.mass_t[i]
        boxes += s.boxes[i]
    if hi > lo:
        s.occupancy[h] -= teu
        for q in range(lo, hi):
            _yard(s, h, t, -s.teu[s.trip_box[q]])
    if s.held_head[h] >= 0:
        readmit(s, h, t)
    o = s.tt_off[k] + j
    arrival = t + s.tt_trip[o]
    _record_trip(s, k, t, arrival, teu, mass, boxes, s.tt_cap[o])
    if hi > lo and arrival < s.x[X_HORIZON]:
        s.trip_k[m] = k
        need = hi - lo + s.n[N_UNITS] + 8  # room for the trip's unloads (run_loop)
        if need > s.n[N_MARGIN]:
            s.n[N_MARGIN] = need
        push(s, arrival, _TRIP, m, 0)
    return arrival


@njit(cache=True)
def _departure(s: Any, kind: int, a: int, j: int, now: float) -> None:
    """A selection (loading window) or a departure, as the Python loop's run."""
    if kind == _SELECT:
        _next_departure(s, a, j + 1)
        o = s.tt_off[a] + j
        m, bg_teu = _fill_select(s, a, s.tt_h[o], s.tt_cap[o])
        window_loads(s, a, j, now, m, bg_teu)
        return
    if a < 0:
        k = ~a
        _next_departure(s, k, j + 1)
        m, bg_teu = _fill_select(s, k, now, s.tt_cap[s.tt_off[k] + j])
    else:
        k, j, m, bg_teu = s.dep_k[a], s.dep_j[a], s.dep_trip[a], s.dep_bg[a]
    arrival = depart(s, k, j, now, m)
    if s.flags[1]:  # background traffic: the trip's TEU and unload
        _bg_trip(s, k, j, arrival, bg_teu)


@njit(cache=True)
def run_loop(state: Any) -> int:
    """Handle events in order until one for Python, a need for room, or the end."""
    return _run(borrow(state))  # (terminal_borrow: no reference counting in the loop)


@njit(cache=True)
def _run(s: Any) -> int:
    n, x = s.n, s.x
    hi = s.hi
    budget = 0  # events that surely fit (each adds at most ``margin`` rows to an array)
    while True:
        margin = n[N_MARGIN]
        if budget == 0:
            free = _room(s)
            if free < margin:
                return GROW
            budget = free // margin
        budget -= 1
        source, now = _top(s)
        if source == _FROM_HEAP:
            kind, a, b = hi[0, 0], hi[0, 1], hi[0, 2]
            if kind == _BG and a < 0 and math.isnan(s.bu_work[~a]):
                return UNLOAD_WORK  # (Python draws the unloads' work, then this event)
            if kind == _SELECT or kind == _DEPART:  # noqa: SIM109 (numba)
                need = _departure_need(s, kind, a)
                if _room(s) < margin + need:
                    n[N_NEED] = need
                    return GROW
                budget = 0  # (its trip may raise the margin)
            _pop(s)
        elif source == _FROM_WAKES:  # (a wake due now, beside the heap)
            kind, a, b = _WAKE, _pop_wake(s), 0
        elif source == _FROM_ENTRIES:
            k_ent = n[N_ENT]
            fetch_entry(s, k_ent)
            kind, a, b = _ENTER, s.ent_i[k_ent], s.ent_h[k_ent]
            n[N_ENT] = k_ent + 1
        elif source == _FROM_BG:  # (a job's arrival at its pool, from the stream)
            kind, a, b = _BG, s.bs_j[n[N_BS]], 0
            n[N_BS] += 1
        else:  # (none before the horizon)
            return DONE
        x[X_NOW] = now
        if kind == _JOB_DONE:
            if b == _GATE:
                _after_gate(s, a, now)
            elif b == _TRUCK_IN:
                _in_yard(s, a, now, True)
            elif b == _UNLOAD:
                code = _after_unload(s, a, now)
                if code:
                    return code
            else:
                code = _road(s, a, now)
                if code:
                    return code
        elif kind == _ENTER:
            code = _enter(s, a, b, now)
            if code:
                return code
        elif kind == _WAKE:
            if now == s.p_wake[a]:
                _dispatch(s, a, now)
                if s.p_wake[a] < _INF:
                    push(s, s.p_wake[a], _WAKE, a, 0)
        elif kind == _TRIP:
            _trip(s, a, now)
        elif kind == _BG:
            if a >= 0:
                _job(s, s.bg_pool[a], _BACKGROUND, s.bg_class[a], -1, now, s.bg_work[a], a)
            else:
                u = ~a
                _job(s, s.bu_pool[u], _BACKGROUND, _SERVICE, -1, now, s.bu_work[u], s.bu_ref[u])
        else:
            _departure(s, kind, a, b, now)


@njit(cache=True)
def write_visits(box: Any, col: Any, arrival: Any, start: Any, voff: Any, v_start: Any,
                 v_wait: Any) -> None:  # fmt: skip
    """engine_pools.write_visits over the job records (started load and unload jobs)."""
    for j in range(box.size):
        c = col[j]
        t0 = start[j]
        if c >= 0 and math.isfinite(t0):
            v = voff[box[j]] + c
            v_start[v] = t0
            v_wait[v] = t0 - arrival[j]
