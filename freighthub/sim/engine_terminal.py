"""The fast engine with a terminal model (issue #19; rules in ``docs/terminal-operations.md``).

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario.

With ``CompiledNetwork.terminal`` set, a box's stay at a hub is a chain of moves in
several pools (gate, yard truck-in, load in the quay, rail or general pool; unload,
then a truck-out or a transshipment load), pools have unit calendars (shifts,
breakdowns) and may be priority pools, and a loading window makes a departure wait
for its load moves. The lazy batch advance of :mod:`freighthub.sim.engine` is exact
only because each hub has one FIFO pool whose jobs are known before it is advanced;
with chains of pools inside a hub and across hubs (a box unloaded at A, trucked out,
driven to B) that no longer holds. So this part of the engine handles pool jobs as
events in time order on one light heap (no SimPy processes, no per-container
generators): a FIFO pool commits a job's start when the job arrives, which is exact
because every earlier arrival has been handled by then; a priority pool decides at an
instant after every job reaching it at that instant has arrived (a *wake* event after
the instant's job events), which is the deferred commit non-pre-emptive priority needs.

It reuses the fast engine's journeys (road legs, closures, diversion, result
assembly) through the engine object it is given, and records every pool job, the
yard occupancy and the trucks' waiting (:class:`~freighthub.sim.terminal.TerminalRecords`).
"""

from __future__ import annotations

import heapq
import math
from typing import Any

import numpy as np

from freighthub.sim.engine_pools import (
    EnginePool,
    FastEngine,
    service_task,
    service_time_h,
    terminal_handling,
    terminal_records,
    visit_pools,
)
from freighthub.sim.network import LEG_SERVICE
from freighthub.sim.terminal import (
    CLASS_SERVICE,
    CLASS_TRUCK,
    KIND_GATE,
    KIND_LOAD,
    KIND_TRUCK_IN,
    KIND_TRUCK_OUT,
    KIND_UNLOAD,
    TASK_GATE,
    TASK_YARD,
    TerminalRecords,
)

__all__ = ["TerminalRun"]

# Event kinds, in the order handled at one instant (phase), then by creation order.
# Jobs, hub entries and trip arrivals first; then departures (which take what is
# ready at the instant); then the priority pools decide (after every job of the instant).
_JOB_DONE, _ENTER, _TRIP, _SELECT, _DEPART, _WAKE = range(6)
_PHASE = {_JOB_DONE: 0, _ENTER: 0, _TRIP: 0, _SELECT: 1, _DEPART: 1, _WAKE: 2}


class TerminalRun:
    """One run's terminal model on the fast engine's journeys."""

    def __init__(self, engine: FastEngine) -> None:
        net = engine.net
        term = net.terminal
        draws = engine.arr.terminal
        if term is None or draws is None:
            raise ValueError("a terminal run needs network.terminal and arrivals.terminal")
        if engine.arr.background is not None:
            raise ValueError("the fast engine's terminal model does not yet take background flows")
        self.e = engine
        self.term = term
        self.draws = draws
        pools = term.pools
        n_pools = pools.n
        n_hubs = net.n_hubs
        self.n_pools = n_pools
        self.pools: list[EnginePool] = []
        for p in range(n_pools):
            units = int(pools.units[p])
            ds = [draws.down_start_h[p][i].tolist() for i in range(units)]
            de = [draws.down_end_h[p][i].tolist() for i in range(units)]
            self.pools.append(EnginePool(units, ds, de, int(pools.priority[p])))
        hubs = net.hubs
        for h in range(n_hubs):  # the general pools
            c = int(hubs.servers[h])
            self.pools.append(EnginePool(c, [[] for _ in range(c)], [[] for _ in range(c)]))
        self.gate_time_h = hubs.gate_time_h.tolist()
        for h in range(n_hubs):  # the existing gates (used only without a gate pool)
            lanes = int(hubs.gate_lanes[h]) if hubs.gate_time_h[h] > 0 else 0
            lanes = max(lanes, 1)
            self.pools.append(
                EnginePool(lanes, [[] for _ in range(lanes)], [[] for _ in range(lanes)])
            )
        self.pool_of = term.pool_of.tolist()
        self.has_gate = [
            self.pool_of[h][TASK_GATE] >= 0
            or (int(hubs.gate_lanes[h]) > 0 and float(hubs.gate_time_h[h]) > 0)
            for h in range(n_hubs)
        ]
        self.task = service_task(net)
        services = net.services
        self.window = term.loading_window_h.tolist()
        self.cutoff = services.cutoff_h.tolist()
        self.origin = services.origin.tolist()
        self.dest = services.destination.tolist()
        self.travel = services.travel_time_h.tolist()
        self.qwait = [w.tolist() for w in services.queue_wait_h] if services.queue_wait_h else None
        self.extra = [x.tolist() for x in draws.travel_extra_h]
        self.yard_cap = hubs.yard_capacity_teu.tolist()
        self.occupancy = [0.0] * n_hubs
        self.held: list[list[tuple[int, float]]] = [[] for _ in range(n_hubs)]
        self.queue: list[list[tuple[float, int, int]]] = [[] for _ in range(services.n)]
        self.q_seq = 0
        self.heap: list[tuple[float, int, int, int, int, int]] = []
        self.seq = 0
        self.now = -math.inf
        # Jobs: pool, kind, class, box, arrival, start, end, and what follows (a
        # departure index for a loading-window load, else -1).
        self.j_pool: list[int] = []
        self.j_kind: list[int] = []
        self.j_class: list[int] = []
        self.j_box: list[int] = []
        self.j_arr: list[float] = []
        self.j_start: list[float] = []
        self.j_end: list[float] = []
        self.j_work: list[float] = []
        self.j_dep: list[int] = []
        self.y_hub: list[int] = []
        self.y_h: list[float] = []
        self.y_teu: list[float] = []
        n = engine.n
        self.gate_u = draws.gate_u.tolist()
        self.yard_u = draws.yard_u.tolist()
        self.teu = engine.teu.tolist()
        self.truck_wait = np.full(n, np.nan)
        self.turnaround = np.full(n, np.nan)
        self.entry_h = [math.nan] * n  # gate arrival of the truck being tracked
        self.entry_wait = [0.0] * n
        self.tracked = np.zeros(n, dtype=np.bool_)  # a truck of its first road entry
        # Departures with a loading window: [service, T, loads left, last end, boxes].
        self.deps: list[list[Any]] = []
        self.horizon = engine.horizon_h
        self.trip_boxes: list[tuple[int, list[int]]] = []
        self.visit_pool = visit_pools(engine, self.pool_of, self.task)
        terminal_handling(engine, self.visit_pool, term.pools)

    # -- set-up ---------------------------------------------------------------
    # -- events ---------------------------------------------------------------
    def at(self, t: float, kind: int, a: int, b: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, _PHASE[kind], self.seq, kind, a, b))

    def job(self, pool: int, kind: int, klass: int, box: int, t: float, work: float,
            dep: int = -1) -> None:  # fmt: skip
        """A job reaches ``pool`` at ``t`` (= now): FIFO commits, priority queues."""
        j = len(self.j_pool)
        self.j_pool.append(pool)
        self.j_kind.append(kind)
        self.j_class.append(klass)
        self.j_box.append(box)
        self.j_arr.append(t)
        self.j_start.append(math.nan)
        self.j_end.append(math.nan)
        self.j_work.append(work)
        self.j_dep.append(dep)
        state = self.pools[pool]
        if state.priority == 0:
            start, end = state.fifo(t, work)
            self.started(j, start, end)
            return
        state.submit(j, klass, work)
        wake = state.next_start_h(t)
        if wake < state.wake_h:
            state.wake_h = wake
            self.at(wake, _WAKE, pool)

    def started(self, j: int, start: float, end: float) -> None:
        """Job ``j`` starts at ``start`` and ends at ``end``: record, and what follows."""
        self.j_start[j] = start
        self.j_end[j] = end
        kind = self.j_kind[j]
        i = self.j_box[j]
        if kind in (KIND_LOAD, KIND_UNLOAD):
            e = self.e
            col = int(e.nvis[i])
            e.visit_start[i, col] = start
            e.visit_wait[i, col] = start - self.j_arr[j]
            e.nvis[i] = col + 1
            if kind == KIND_LOAD:
                d = self.j_dep[j]
                if d < 0:  # waits in the yard for its departure, ready at ``end``
                    k = int(e.leg_index[int(e.leg_start[int(e.route[i])]) + int(e.pos[i])])
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
            self.entry_wait[i] += start - self.j_arr[j]
        self.at(end, _JOB_DONE, j)

    def done(self, j: int) -> None:
        """Job ``j`` ended now: the box's next step."""
        kind = self.j_kind[j]
        i = self.j_box[j]
        t = self.now
        if kind == KIND_GATE:
            self.after_gate(i, t)
        elif kind == KIND_TRUCK_IN:
            self.in_yard(i, t, road=True)
        elif kind == KIND_UNLOAD:
            self.after_unload(i, t)
        elif kind == KIND_TRUCK_OUT:
            self.road(i, t)

    # -- a box's steps --------------------------------------------------------
    def service_of(self, i: int) -> int:
        e = self.e
        return int(e.leg_index[int(e.leg_start[int(e.route[i])]) + int(e.pos[i])])

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
        self.yard(h, t, self.teu[i])
        if not self.has_gate[h] and self.pool_of[h][TASK_YARD] < 0:
            self.after_gate(i, t)
            return
        if math.isnan(self.entry_h[i]):
            self.tracked[i] = True
            self.entry_h[i] = t
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
        h = int(self.e.leg_from[int(self.e.leg_start[int(self.e.route[i])]) + int(self.e.pos[i])])
        y = self.pool_of[h][TASK_YARD]
        if y >= 0:
            work = service_time_h(self.term.pools, y, self.yard_u[i][0])
            self.job(y, KIND_TRUCK_IN, CLASS_TRUCK, i, t, work)
        else:
            self.in_yard(i, t, road=True)

    def in_yard(self, i: int, t: float, road: bool) -> None:
        """Box ``i`` is in the yard at ``t`` for its next service leg."""
        if road and self.tracked[i]:
            self.tracked[i] = False
            self.truck_wait[i] = self.entry_wait[i]
            self.turnaround[i] = t - self.entry_h[i]
        k = self.service_of(i)
        if self.window[k] > 0:
            self.q_seq += 1
            self.queue[k].append((t, self.q_seq, i))
            return
        e = self.e
        col = int(e.nvis[i])
        pool = int(self.visit_pool[int(e.route[i]), col])
        klass = CLASS_TRUCK if road else CLASS_SERVICE
        self.job(pool, KIND_LOAD, klass, i, t, float(e.handling[i, col]))

    def after_unload(self, i: int, t: float) -> None:
        """Box ``i`` unloaded at ``t``: transshipment, or a truck-out and road."""
        e = self.e
        r = int(e.route[i])
        p = int(e.pos[i])  # already the leg after the service leg
        n_legs = int(e.plan.n_legs[r])
        if p < n_legs and e.leg_kind[int(e.leg_start[r]) + p] == LEG_SERVICE:
            self.in_yard(i, t, road=False)
            return
        if p < n_legs:  # the next leg is by road
            h = int(e.plan.visit_hub[r, int(e.nvis[i]) - 1])
            y = self.pool_of[h][TASK_YARD]
            if y >= 0:
                work = service_time_h(self.term.pools, y, self.yard_u[i][1])
                self.job(y, KIND_TRUCK_OUT, CLASS_TRUCK, i, t, work)
                return
        self.road(i, t)

    def road(self, i: int, t: float) -> None:
        """Road legs from ``t`` to the next hub (an event) or to delivery."""
        e = self.e
        ids, ts, hs = e.road_until_hub(np.asarray([i], dtype=np.int64), np.asarray([t]))
        if ids.size:
            self.at(float(ts[0]), _ENTER, i, int(hs[0]))

    def yard(self, h: int, t: float, delta: float) -> None:
        self.y_hub.append(h)
        self.y_h.append(t)
        self.y_teu.append(delta)

    # -- departures -----------------------------------------------------------
    def select(self, k: int, now: float, due_h: float, capacity: float) -> list[int]:
        """The boxes departure ``due_h`` of ``k`` takes, chosen at ``now``."""
        cutoff = self.cutoff[k]
        q = self.queue[k]
        q.sort()
        loaded: list[int] = []
        rest: list[tuple[float, int, int]] = []
        total = 0.0
        full = False
        for entry in q:
            ready, _, i = entry
            if ready + cutoff > due_h:
                rest.append(entry)
                continue
            if not full and total + self.teu[i] <= capacity:
                total += self.teu[i]
                loaded.append(i)
            else:
                full = True
                self.e.left_behind[i] += 1
                rest.append(entry)
        self.queue[k] = rest
        return loaded

    def depart(self, k: int, j: int, t: float, loaded: list[int]) -> None:
        """Departure ``j`` of ``k`` leaves at ``t`` with ``loaded``."""
        e = self.e
        h = self.origin[k]
        ids = np.asarray(loaded, dtype=np.int64)
        load_teu = 0.0
        if ids.size:
            e.leg_dep[ids, e.pos[ids]] = t
            load_teu = float(e.teu[ids].sum())
            self.occupancy[h] -= load_teu
            self.yard(h, t, -load_teu)
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

    def trip(self, n: int) -> None:
        """A trip arrives now: its boxes' unload moves, in load order."""
        e = self.e
        k, loaded = self.trip_boxes[n]
        self.trip_boxes[n] = (k, [])
        d = self.dest[k]
        t = self.now
        for i in loaded:
            r = int(e.route[i])
            p = int(e.pos[i]) + 1
            e.pos[i] = p
            if p < int(e.plan.n_legs[r]) and e.leg_kind[int(e.leg_start[r]) + p] == LEG_SERVICE:
                self.occupancy[d] += self.teu[i]  # transshipment: into the yard
                self.yard(d, t, self.teu[i])
            col = int(e.nvis[i])
            pool = int(self.visit_pool[r, col])
            self.job(pool, KIND_UNLOAD, CLASS_SERVICE, i, t, float(e.handling[i, col]))

    # -- the run --------------------------------------------------------------
    def run(self) -> None:
        e = self.e
        n = e.n
        ids, t, hub = e.road_until_hub(np.arange(n, dtype=np.int64), e.arr.time_h.astype(float))
        order = np.lexsort((ids, t))
        for i, ti, h in zip(
            ids[order].tolist(), t[order].tolist(), hub[order].tolist(), strict=True
        ):
            self.at(ti, _ENTER, i, h)
        services = e.net.services
        for k in range(services.n):
            w = self.window[k]
            for j, dep in enumerate(services.departures_h[k].tolist()):
                if dep >= self.horizon:
                    break
                if w > 0:
                    self.at(dep - w, _SELECT, k, j)
                else:
                    self.at(dep, _DEPART, ~k, j)
        heap = self.heap
        pop = heapq.heappop
        while heap and heap[0][0] < self.horizon:
            now, _, _, kind, a, b = pop(heap)
            self.now = now
            if kind == _JOB_DONE:
                self.done(a)
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
                self.window_select(a, b, now)
            elif kind == _DEPART:
                if a < 0:  # a departure without a window
                    k = ~a
                    cap = float(services.capacity_teu[k][b])
                    self.depart(k, b, now, self.select(k, now, now, cap))
                else:
                    dep = self.deps[a]
                    self.depart(dep[0], dep[5], now, dep[4])
            elif kind == _TRIP:
                self.trip(a)
        for held in self.held:
            for i, planned in held:
                e.yard_hold[i] = self.horizon - planned

    def window_select(self, k: int, j: int, now: float) -> None:
        """Departure ``j`` of ``k`` chooses its boxes at ``T - w``; their load moves."""
        e = self.e
        due = float(e.net.services.departures_h[k][j])
        cap = float(e.net.services.capacity_teu[k][j])
        loaded = self.select(k, now, due, cap)
        d = len(self.deps)
        self.deps.append([k, due, len(loaded), -math.inf, loaded, j])
        if not loaded:
            self.at(due, _DEPART, d)
            return
        for i in loaded:
            col = int(e.nvis[i])
            pool = int(self.visit_pool[int(e.route[i]), col])
            self.job(pool, KIND_LOAD, CLASS_SERVICE, i, now, float(e.handling[i, col]), d)

    def records(self) -> TerminalRecords:
        """Every job, sorted by (pool, arrival, start, box, kind); the yard changes."""
        jobs = (self.j_pool, self.j_kind, self.j_class, self.j_box)
        times = (self.j_arr, self.j_start, self.j_end)
        yard = (self.y_hub, self.y_h, self.y_teu)
        return terminal_records(self.horizon, jobs, times, yard, self.truck_wait, self.turnaround)
