"""The fast engine with a terminal model (issue #19; rules in ``docs/terminal-operations.md``).

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario.

With ``CompiledNetwork.terminal`` set, a box's stay at a hub is a chain of moves in
several pools (gate, yard truck-in, load in the quay, rail or general pool; unload,
then a truck-out or a transshipment load), pools have unit calendars (shifts,
breakdowns) and may be priority pools, and a loading window makes a departure wait
for its load moves. A scenario without a terminal model runs here too, as an empty
one (:mod:`freighthub.sim.terminal_plain`). With chains of pools in and across hubs
(unloaded at A, trucked to B) a pool cannot be advanced lazily in batches, so pool
jobs are events in time order on one light heap: a FIFO pool commits a job's start
when the job arrives, exact because every earlier arrival has been handled by then; a
priority pool decides at an instant after every job reaching it at that instant has
arrived (a *wake* event after the instant's job events), the deferred commit that
non-pre-emptive priority needs.

It reuses the fast engine's journeys (road legs, diversion, result assembly) and
records every pool job, the yard occupancy and the trucks' waiting. With ``COMPILED``
(the default) the same events run in :mod:`freighthub.sim.terminal_loop`'s compiled
loop; this module's Python loop is its specification and the tests' comparison.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from array import array
from typing import Any

import numpy as np

from freighthub.sim.engine_background import TerminalBackground
from freighthub.sim.engine_pools import (
    FastEngine,
    build_pools,
    compact,
    entry_stream,
    job_columns,
    service_task,
    terminal_handling,
    terminal_ready,
    visit_pools,
    write_visits,
)
from freighthub.sim.network import LEG_SERVICE, EngineResult
from freighthub.sim.service_times import pool_service_time_h as service_time_h
from freighthub.sim.terminal import (
    CLASS_SERVICE,
    CLASS_TRUCK,
    KIND_BACKGROUND,
    KIND_GATE,
    KIND_LOAD,
    KIND_TRUCK_IN,
    KIND_TRUCK_OUT,
    KIND_UNLOAD,
    TASK_GATE,
    TASK_YARD,
    TerminalRecords,
)
from freighthub.sim.terminal_plain import plain_model

__all__ = ["TerminalRun"]

# Event kinds, in the order handled at one instant (phase), then by creation order.
# Jobs, hub entries and trip arrivals first; then departures (which take what is
# ready at the instant); then the priority pools decide (after every job of the instant).
_JOB_DONE, _ENTER, _TRIP, _BG, _SELECT, _DEPART, _WAKE = range(7)
COMPILED = True  # run with the compiled loop (False: this module's Python loop)
_PHASE = {_JOB_DONE: 0, _ENTER: 0, _TRIP: 0, _BG: 0, _SELECT: 1, _DEPART: 1, _WAKE: 2}


class TerminalRun:
    """One run's terminal model on the fast engine's journeys."""

    def __init__(self, engine: FastEngine) -> None:
        self.plain = engine.net.terminal is None  # no terminal model: no records
        if self.plain:
            engine.net, engine.arr = plain_model(engine.net, engine.arr)
        net, term, draws = engine.net, engine.net.terminal, engine.arr.terminal
        if term is None or draws is None:
            raise ValueError("a terminal run needs network.terminal and arrivals.terminal")
        self.e, self.term, n_hubs = engine, term, net.n_hubs
        self.n_pools = n_pools = term.pools.n
        self.pools = build_pools(net, draws)
        hubs = net.hubs
        self.gate_time_h, self.pool_of = hubs.gate_time_h.tolist(), term.pool_of.tolist()
        lanes = (hubs.gate_lanes > 0) & (hubs.gate_time_h > 0)
        self.has_gate = [self.pool_of[h][TASK_GATE] >= 0 or bool(lanes[h]) for h in range(n_hubs)]
        self.task = service_task(net)
        services = net.services
        self.window, self.cutoff = term.loading_window_h.tolist(), services.cutoff_h.tolist()
        self.origin, self.dest = services.origin.tolist(), services.destination.tolist()
        self.qwait = [w.tolist() for w in services.queue_wait_h] if services.queue_wait_h else None
        self.travel = services.travel_time_h.tolist()
        self.extra = [x.tolist() for x in draws.travel_extra_h]
        self.yard_cap = hubs.yard_capacity_teu.tolist()
        self.held: list[list[tuple[int, float]]] = [[] for _ in range(n_hubs)]
        self.queue: list[list[tuple[float, int, int]]] = [[] for _ in range(services.n)]
        self.q_seq, self.seq, self.now, self.occupancy = 0, 0, -math.inf, [0.0] * n_hubs
        self.heap: list[tuple[float, int, float, int, int, int, int]] = []
        # Jobs: 6 int32 (pool, kind, class, box, departure of a window's load or -1, visit
        # column of a load or unload or -1) and 3 float64 (arrival, start, end [h]) each.
        self.j_int, self.j_t = array("i"), array("d")
        self.jobs: tuple[Any, ...] | None = None  # (the compiled loop's record arrays)
        self.y_hub, self.y_h, self.y_teu = array("q"), array("d"), array("d")  # yard changes
        m = 0 if self.plain and COMPILED else engine.n  # (no records: no truck waits)
        self.truck_wait, self.turnaround = np.full(m, np.nan), np.full(m, np.nan)
        self.leg_start: list[int] = engine.leg_start.tolist()
        self.leg_index: list[int] = engine.leg_index.tolist()
        self.leg_kind, self.n_legs = engine.leg_kind.tolist(), engine.plan.n_legs.tolist()
        self.later, self.horizon = engine.plan.later_service, engine.horizon_h
        self.tail_id, self.tail_t = array("q"), array("d")  # only road legs left, from when
        nr = m if self.plain else engine.n  # (plain: ready = the first load's start + work)
        self.ready_yard, self.first_ready = np.full(nr, np.nan), np.full(nr, np.nan)
        self.deps: list[list[Any]] = []  # windowed: [service, T, loads left, last end, boxes]
        self.trip_boxes: list[tuple[int, list[int]]] = []
        general = [n_pools + h for h in range(n_hubs)]
        self.bgt = TerminalBackground(engine.bg, general, self.move_pool) if engine.bg else None
        self.bg_unloads: list[tuple[int, int, float]] = []  # (row, pool, work [h])
        self.visit_pool = visit_pools(engine, self.pool_of, self.task)
        if term.pools.n:  # (else every move is in a hub's general pool: nothing to do)
            terminal_handling(engine, self.visit_pool, term.pools)
        self.vpool: list[list[int]] = self.visit_pool.tolist()  # per route, per column

    def per_box(self) -> None:
        """The Python loop's per-box state (compact arrays; the compiled loop has its own)."""
        e, n, draws = self.e, self.e.n, self.e.arr.terminal
        self.gate_u, self.yard_u = compact(draws.gate_u, "d"), compact(draws.yard_u, "d")
        self.teu, self.tracked = compact(e.teu, "d"), bytearray(n)  # tracked: a first entry
        self.entry_h = array("d", [math.nan]) * n  # gate arrival of the truck being tracked
        self.entry_wait, self.entry_hub = array("d", [0.0]) * n, array("i", [0]) * n
        self.nvis = array("i", [0]) * n  # visits started = column of the next visit
        self.route: array[int] = compact(e.route, "i")  # (diverted: no more events)

    def at(self, t: float, kind: int, a: int, b: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, _PHASE[kind], self.now, self.seq, kind, a, b))

    def job(self, pool: int, kind: int, klass: int, box: int, t: float, work: float,
            dep: int = -1) -> None:  # fmt: skip
        """A job reaches ``pool`` at ``t`` (= now): FIFO commits, priority queues."""
        j = len(self.j_t) // 3
        col = self.nvis[box] if kind <= KIND_UNLOAD else -1
        self.j_int.extend((pool, kind, klass, box, dep, col))
        self.j_t.extend((t, math.nan, math.nan))
        state = self.pools[pool]
        if state.priority == 0:
            if state.calendar:
                start, end = state.fifo(t, work)
            else:  # EnginePool.fifo without calendars, inline (most moves)
                f, u = state.free_heap[0]
                start = t if t > f else f
                end = start + work
                heapq.heapreplace(state.free_heap, (end, u))
            self.started(j, start, end)
            return
        state.submit(j, klass, work)
        if state.wake_h == math.inf:  # none was waiting (else the next start stays)
            state.wake_h = state.next_start_h(t)
            self.at(state.wake_h, _WAKE, pool)

    def move_pool(self, h: int, k: int) -> int:
        """The pool of service ``k``'s moves at hub ``h``."""
        q = self.pool_of[h][self.task[k]]
        return q if q >= 0 else self.n_pools + h

    def started(self, j: int, start: float, end: float) -> None:
        """Job ``j`` starts at ``start`` and ends at ``end``: record, and what follows."""
        jt, ji, c = self.j_t, self.j_int, 6 * j
        jt[3 * j + 1] = start
        jt[3 * j + 2] = end
        kind = ji[c + 1]
        if kind == KIND_BACKGROUND:
            assert self.bgt is not None
            self.bgt.started(ji[c + 4], start, end)
            return
        i = ji[c + 3]
        if kind in (KIND_LOAD, KIND_UNLOAD):
            col = ji[c + 5]
            self.nvis[i] = col + 1
            if kind == KIND_LOAD and col == 0:
                self.first_ready[i] = end
            if kind == KIND_LOAD:
                d = ji[c + 4]
                if d < 0:  # waits in the yard for its departure, ready at ``end``
                    k = self.service_of(i)
                    self.q_seq += 1
                    self.queue[k].append((end, self.q_seq, i))
                    return
                dep = self.deps[d]
                dep[2] -= 1
                dep[3] = max(dep[3], end)
                if dep[2] == 0:
                    self.at(max(dep[1], dep[3]), _DEPART, d)
                return
        elif self.tracked[i]:
            self.entry_wait[i] += start - jt[3 * j]
            if kind == KIND_TRUCK_IN or (
                kind == KIND_GATE and self.pool_of[self.entry_hub[i]][TASK_YARD] < 0
            ):  # the truck's last move at the hub
                self.tracked[i] = 0
                if start < self.horizon:
                    self.truck_wait[i] = self.entry_wait[i]
                    self.turnaround[i] = end - self.entry_h[i]
        self.seq += 1  # scheduled when it starts, as a process's timeout would be
        heapq.heappush(self.heap, (end, 0, start, self.seq, _JOB_DONE, i, kind))

    def done(self, i: int, kind: int) -> None:
        """Box ``i``'s job of ``kind`` ended now: the box's next step."""
        t = self.now
        if kind == KIND_GATE:
            self.after_gate(i, t)
        elif kind == KIND_TRUCK_IN:
            self.in_yard(i, t, road=True)
        elif kind == KIND_UNLOAD:
            self.after_unload(i, t)
        else:  # a truck-out
            self.road(i, t)

    # -- a box's steps --------------------------------------------------------
    def service_of(self, i: int) -> int:
        return self.leg_index[self.leg_start[self.route[i]] + int(self.e.pos[i])]

    def enter(self, i: int, h: int, t: float) -> None:
        """Box ``i`` reaches hub ``h`` from outside at ``t``: yard admission, then gate."""
        e = self.e
        teu = self.teu[i]
        if self.held[h] or self.occupancy[h] + teu > self.yard_cap[h]:
            if e.divert and e.road_alt[e.route[i]] >= 0:
                e.divert_to_road(np.asarray([i], dtype=np.int64))
                return
            self.held[h].append((i, t))
            return
        self.admitted(i, h, t)

    def admitted(self, i: int, h: int, t: float) -> None:
        self.occupancy[h] += self.teu[i]
        if not self.has_gate[h] and self.pool_of[h][TASK_YARD] < 0:
            self.after_gate(i, t)
            return
        if math.isnan(self.entry_h[i]):
            self.tracked[i] = 1
            self.entry_h[i] = t
            self.entry_hub[i] = h
        g = self.pool_of[h][TASK_GATE]
        if g >= 0:
            work = service_time_h(self.term.pools, g, self.gate_u[i])
            self.job(g, KIND_GATE, CLASS_TRUCK, i, t, work)
        elif self.has_gate[h]:
            pool = self.n_pools + self.e.net.n_hubs + h
            self.job(pool, KIND_GATE, CLASS_TRUCK, i, t, self.gate_time_h[h])
        else:
            self.after_gate(i, t)

    def after_gate(self, i: int, t: float) -> None:
        h = self.origin[self.service_of(i)]
        y = self.pool_of[h][TASK_YARD]
        if y >= 0:
            work = service_time_h(self.term.pools, y, self.yard_u[2 * i])
            self.job(y, KIND_TRUCK_IN, CLASS_TRUCK, i, t, work)
        else:
            self.in_yard(i, t, road=True)

    def in_yard(self, i: int, t: float, road: bool) -> None:
        """Box ``i`` is in the yard at ``t`` for its next service leg."""
        k = self.service_of(i)
        self.yard(self.origin[k], t, self.teu[i])
        if math.isnan(self.ready_yard[i]):
            self.ready_yard[i] = t
        if self.window[k] > 0:
            self.q_seq += 1
            self.queue[k].append((t, self.q_seq, i))
            return
        e = self.e
        col = self.nvis[i]
        pool = self.vpool[self.route[i]][col]
        klass = CLASS_TRUCK if road else CLASS_SERVICE
        self.job(pool, KIND_LOAD, klass, i, t, float(e.handling[e.voff[i] + col]))

    def after_unload(self, i: int, t: float) -> None:
        """Box ``i`` unloaded at ``t``: transshipment, or a truck-out and road."""
        e = self.e
        r = self.route[i]
        p = int(e.pos[i])  # already the leg after the service leg
        n_legs = self.n_legs[r]
        if p < n_legs and self.leg_kind[self.leg_start[r] + p] == LEG_SERVICE:
            self.in_yard(i, t, road=False)
            return
        if p < n_legs:  # the next leg is by road
            h = int(e.plan.visit_hub[r, self.nvis[i] - 1])
            y = self.pool_of[h][TASK_YARD]
            if y >= 0:
                work = service_time_h(self.term.pools, y, self.yard_u[2 * i + 1])
                self.job(y, KIND_TRUCK_OUT, CLASS_TRUCK, i, t, work)
                return
        self.road(i, t)

    def road(self, i: int, t: float) -> None:
        """Road legs from ``t`` to the next hub (an event) or to delivery (after the run)."""
        e = self.e
        if not self.later[self.route[i], int(e.pos[i])]:
            self.tail_id.append(i)
            self.tail_t.append(t)
            return
        ids, ts, hs = e.road_until_hub(np.asarray([i], dtype=np.int64), np.asarray([t]))
        if ids.size:
            self.at(float(ts[0]), _ENTER, i, int(hs[0]))

    def yard(self, h: int, t: float, delta: float) -> None:
        self.y_hub.append(h)
        self.y_h.append(t)
        self.y_teu.append(delta)

    # -- departures -----------------------------------------------------------
    def select(self, k: int, due_h: float, capacity: float) -> tuple[list[int], float]:
        """The boxes departure ``due_h`` of ``k`` takes (FIFO by ready time, past the
        cut-off, up to its capacity), and the background TEU it loads."""
        q = sorted(self.queue[k])
        ready, ids = np.asarray([x[0] for x in q], dtype=np.float64), [x[2] for x in q]
        teu = np.asarray([self.teu[i] for i in ids], dtype=np.float64)
        eligible = int((ready + self.cutoff[k]).searchsorted(due_h, "right"))
        bg_teu = 0.0
        if self.bgt is not None and self.bgt.book.lots[k]:
            n_load, bg_teu = self.bgt.book.fill(k, due_h, capacity, ready, teu)
        else:
            n_load = int(teu[:eligible].cumsum().searchsorted(capacity, "right"))
        for i in ids[n_load:eligible]:
            self.e.left_behind[i] += 1
        self.queue[k] = q[n_load:]
        return ids[:n_load], bg_teu

    def depart(self, k: int, j: int, t: float, loaded: list[int], bg_teu: float) -> None:
        """Departure ``j`` of ``k`` leaves at ``t`` with ``loaded`` and ``bg_teu``."""
        e = self.e
        h = self.origin[k]
        ids = np.asarray(loaded, dtype=np.int64)
        load_teu = 0.0
        if ids.size:
            e.leg_dep[e.loff[ids] + e.pos[ids]] = t
            load_teu = float(e.teu[ids].sum())
            self.occupancy[h] -= load_teu
            for i in loaded:
                self.yard(h, t, -self.teu[i])
        held = self.held[h]
        while held and self.occupancy[h] + self.teu[held[0][0]] <= self.yard_cap[h]:
            i, planned = held.pop(0)
            e.yard_hold[i] = t - planned
            self.admitted(i, h, t)
        trip_h = self.travel[k] + (self.qwait[k][j] if self.qwait else 0.0) + self.extra[k][j]
        arrival = t + trip_h
        mass = float(e.arr.mass_t[ids].sum()) if ids.size else 0.0
        boxes = int(e.arr.boxes[ids].sum()) if ids.size else 0
        cap = float(e.net.services.capacity_teu[k][j])
        shown = arrival if arrival < self.horizon else math.nan
        e.trips.append((k, t, shown, load_teu, mass, boxes, cap))
        if ids.size and arrival < self.horizon:
            self.trip_boxes.append((k, loaded))
            self.at(arrival, _TRIP, len(self.trip_boxes) - 1)
        unload = self.bgt.trip(k, j, arrival, bg_teu) if self.bgt is not None else None
        if unload is not None:  # after the trip's boxes at the same instant
            self.bg_unloads.append(unload)
            self.at(arrival, _BG, ~(len(self.bg_unloads) - 1))

    def trip(self, n: int) -> None:
        """A trip arrives now: its boxes' unload moves, in load order."""
        e = self.e
        k, loaded = self.trip_boxes[n]
        self.trip_boxes[n] = (k, [])
        d = self.dest[k]
        t = self.now
        for i in loaded:
            r = self.route[i]
            p = int(e.pos[i]) + 1
            e.pos[i] = p
            if p < self.n_legs[r] and self.leg_kind[self.leg_start[r] + p] == LEG_SERVICE:
                self.occupancy[d] += self.teu[i]  # transshipment: into the yard
            col = self.nvis[i]
            pool = self.vpool[r][col]
            self.job(pool, KIND_UNLOAD, CLASS_SERVICE, i, t, float(e.handling[e.voff[i] + col]))

    def run(self) -> None:
        if COMPILED:  # numba is imported here, only when a terminal run starts
            from freighthub.sim.terminal_loop import run_compiled

            return run_compiled(self)
        self.per_box()
        e, n = self.e, self.e.n
        ids, t, hub = e.road_until_hub(np.arange(n, dtype=np.int64), e.arr.time_h.astype(float))
        ent_t, ent_i, ent_h = entry_stream(ids, t, hub)  # merged with the heap, see there
        n_ent, k_ent = len(ent_t), 0
        next_ent = ent_t[0] if n_ent else math.inf
        services = e.net.services
        self.timetable = [d.tolist() for d in services.departures_h]
        for k in range(services.n):
            self.next_departure(k, 0)
        if self.bgt is not None:
            for j, t_bg in enumerate(self.bgt.book.jobs.arrival_h.tolist()):
                self.at(t_bg, _BG, j)
        heap = self.heap
        pop = heapq.heappop
        horizon = self.horizon
        while True:
            if heap and heap[0][0] < next_ent:
                if heap[0][0] >= horizon:
                    break
                now, _, _, _, kind, a, b = pop(heap)
            elif next_ent < horizon:
                now, kind, a, b = next_ent, _ENTER, ent_i[k_ent], ent_h[k_ent]
                k_ent += 1
                next_ent = ent_t[k_ent] if k_ent < n_ent else math.inf
            else:
                break
            self.now = now
            if kind == _JOB_DONE:
                self.done(a, b)
            elif kind == _ENTER:
                self.enter(a, b, now)
            elif kind == _WAKE:
                state = self.pools[a]
                if now == state.wake_h:
                    for j, start, end in state.dispatch(now):
                        self.started(j, start, end)
                    if state.wake_h < math.inf:
                        self.at(state.wake_h, _WAKE, a)
            elif kind == _SELECT:
                self.next_departure(a, b + 1)
                self.window_select(a, b, now)
            elif kind == _DEPART:
                if a < 0:  # a departure without a window
                    k = ~a
                    self.next_departure(k, b + 1)
                    cap = float(services.capacity_teu[k][b])
                    self.depart(k, b, now, *self.select(k, now, cap))
                else:
                    dep = self.deps[a]
                    self.depart(dep[0], dep[5], now, dep[4], dep[6])
                    dep[4] = []  # (its boxes are on the trip)
            elif kind == _TRIP:
                self.trip(a)
            elif kind == _BG:
                self.background(a, now)
        for held in self.held:
            for i, planned in held:
                e.yard_hold[i] = self.horizon - planned
        if self.tail_id:
            e.finish_by_road(np.asarray(self.tail_id, dtype=np.int64), np.asarray(self.tail_t))
        ji, jt = job_columns(self.j_int, self.j_t)
        write_visits(e, ji[:, 5], ji[:, 3], jt[:, 0], jt[:, 1])

    def next_departure(self, k: int, j: int) -> None:
        """Schedule departure ``j`` of ``k`` (its selection under a window) when the
        previous one is handled, as a service's timetable process does."""
        if j < len(self.timetable[k]) and (t := self.timetable[k][j]) < self.horizon:
            if self.window[k] > 0:
                self.at(t - self.window[k], _SELECT, k, j)
            else:
                self.at(t, _DEPART, ~k, j)

    def background(self, ref: int, now: float) -> None:
        """A background job reaches its pool: a call or lot load (job index ``ref``), or
        a trip's background unload (``~ref`` into :attr:`bg_unloads`)."""
        assert self.bgt is not None
        if ref >= 0:  # (a background truck job is class truck)
            (pool, work), klass = self.bgt.call(ref), self.bgt.job_class(ref)
        else:
            row, pool, work = self.bg_unloads[~ref]
            ref, klass = ~row, CLASS_SERVICE
        self.job(pool, KIND_BACKGROUND, klass, -1, now, work, ref)

    def window_select(self, k: int, j: int, now: float) -> None:
        """Departure ``j`` of ``k`` chooses its boxes at ``T - w``; their load moves."""
        e = self.e
        due = float(e.net.services.departures_h[k][j])
        cap = float(e.net.services.capacity_teu[k][j])
        loaded, bg_teu = self.select(k, due, cap)
        d = len(self.deps)
        self.deps.append([k, due, len(loaded), -math.inf, loaded, j, bg_teu])
        if not loaded:
            self.at(due, _DEPART, d)
            return
        for i in loaded:
            col = self.nvis[i]
            pool = self.vpool[self.route[i]][col]
            self.job(pool, KIND_LOAD, CLASS_SERVICE, i, now, float(e.handling[e.voff[i] + col]), d)

    def finish(self, result: EngineResult) -> EngineResult:
        """The engine's result with the records and the terminal's ``ready_h``."""
        ready = (self.first_ready, self.ready_yard, self.window)
        has = self.window and self.first_ready.size
        out = terminal_ready(self.e, result, ready, self.horizon) if has else result
        return dataclasses.replace(out, terminal=None if self.plain else self.records())

    def records(self) -> TerminalRecords:
        """Every job and yard change (see :func:`~freighthub.sim.terminal_records.run_records`)."""
        from freighthub.sim.terminal_records import run_records  # (numba)

        return run_records(self)
