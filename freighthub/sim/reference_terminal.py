"""The reference engine's terminal model (issue #19): one SimPy process per container.

The simulation clock is in hours [h].

The rules are those of ``docs/terminal-operations.md``; this module writes them the
plain way, independent of the fast engine's recursions, so that the two can check each
other box for box. Every pool of the records (terminal pools by task, each hub's
general handling pool and its existing gate) is a :class:`~freighthub.sim.reference_pools.UnitPool`:
a waiting list and units with calendars. A container is the host's process that walks
its route (road legs, yard admission as without a terminal, the departures); this
module gives it the moves at hubs: where it arrives from outside, the gate and the
truck-in move; its load move (at once, or in the loading window of its departure); the
unload at the destination; a truck-out move when it leaves that hub by road.

:class:`Terminal` holds the terminal's pools and records and runs the processes for a
host, the reference engine's state (:class:`Host`, implemented by
``freighthub.sim.reference._Reference``), without importing it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, NamedTuple, Protocol

import numpy as np
import simpy

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.background import BackgroundJobs
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.reference_pools import Job, UnitCalendar, UnitPool
from freighthub.sim.service_times import pool_service_time_h as pool_service_h
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
    TASK_QUAY,
    TASK_RAIL,
    TASK_YARD,
    TerminalArrays,
    TerminalDraws,
    TerminalRecords,
)
from freighthub.vocabulary import Mode, mode_facts, mode_ids

__all__ = ["Host", "Taken", "Terminal"]

_Process = Generator[simpy.events.Event, Any, None]


class Taken(NamedTuple):
    """What a departure takes (the host's selection): the traced boxes with their
    events, their TEU and the background TEU."""

    loaded: list[tuple[int, simpy.Event]]
    load_teu: float
    bg_teu: float


class Host(Protocol):
    """What the terminal processes use of the reference engine's state."""

    env: simpy.Environment
    net: CompiledNetwork
    arr: Arrivals
    horizon_h: float
    handling: FloatArray
    voff: IntArray
    visit_start: FloatArray
    visit_wait: FloatArray
    visit_done: Any
    bg: BackgroundJobs | None
    bg_start: FloatArray
    lots: list[list[list[float]]]
    unloads: list[tuple[int, int, int, float, float, float, float]]
    unload_start: list[float]

    def select(self, k: int, due_h: float, cap: float) -> Taken: ...

    def depart(
        self, k: int, j: int, now: float, travel_h: float, cap: float, taken: Taken
    ) -> None: ...


class Terminal:
    """The terminal model of one reference run: pools, records and processes."""

    def __init__(self, host: Host, terminal: TerminalArrays, draws: TerminalDraws) -> None:
        self.host = host
        self.term = terminal
        self.draws = draws
        net = host.net
        env = host.env
        hubs = net.hubs
        n_pools = terminal.pools.n
        self.n_pools = n_pools
        self.jobs: list[Job] = []
        self.pools: list[UnitPool | None] = []
        for p in range(n_pools):
            calendars: list[UnitCalendar | None] = [
                UnitCalendar(s, e)
                for s, e in zip(draws.down_start_h[p], draws.down_end_h[p], strict=True)
            ]
            calendars += [None] * (int(terminal.pools.units[p]) - len(calendars))
            prio = int(terminal.pools.priority[p])
            self.pools.append(UnitPool(env, p, calendars, prio, self.jobs))
        for h in range(hubs.n):  # the general handling pools (fifo, always available)
            units: list[UnitCalendar | None] = [None] * int(hubs.servers[h])
            self.pools.append(UnitPool(env, n_pools + h, units, 0, self.jobs))
        for h in range(hubs.n):  # the existing gates, where modelled
            lanes, gate_h = int(hubs.gate_lanes[h]), float(hubs.gate_time_h[h])
            index = n_pools + hubs.n + h
            gate = UnitPool(env, index, [None] * lanes, 0, self.jobs) if lanes and gate_h else None
            self.pools.append(gate)
        # Per service, the task of its load and unload moves (by its mode).
        modes = mode_ids()
        self.svc_task = [
            TASK_QUAY
            if mode_facts(modes[int(m)]).waterborne
            else TASK_RAIL
            if modes[int(m)] == Mode.RAIL
            else -1
            for m in net.services.mode.tolist()
        ]
        n = host.arr.n
        self.truck_wait = np.full(n, np.nan)
        self.truck_turnaround = np.full(n, np.nan)
        # Per box, its truck's moves at the first hub it enters by road (and how many).
        self.truck_jobs: dict[int, tuple[int, list[Job]]] = {}
        self.load_col: dict[int, int] = {}  # visit column of a box's next load move
        self.visits: list[tuple[int, int, Job]] = []  # (box, visit column, its load/unload job)
        self.yard: list[tuple[int, float, float]] = []  # (hub, time, delta TEU)
        self.bg_jobs: list[tuple[int, Job]] = []
        self.unload_jobs: list[tuple[int, Job]] = []

    # -- pools ----------------------------------------------------------------
    def task_pool(self, h: int, task: int) -> int:
        """Pool index of a task at hub ``h``: its terminal pool, else -1."""
        return int(self.term.pool_of[h, task]) if task >= 0 else -1

    def move_pool(self, h: int, k: int) -> int:
        """Pool of the load or unload move of service ``k`` at hub ``h``."""
        p = self.task_pool(h, self.svc_task[k])
        return p if p >= 0 else self.n_pools + h

    def visit_job(self, i: int, col: int, h: int, k: int, kind: int, cls: int) -> Job:
        """Box ``i``'s load or unload move (visit column ``col``) reaches its pool now."""
        host = self.host
        p = self.move_pool(h, k)
        if p < self.n_pools:
            u = host.arr.visit_handling_u[host.voff[i] + col]  # (visit rows)
            work = pool_service_h(self.term.pools, p, float(u))
            host.handling[i, col] = work
        else:
            work = float(host.handling[i, col])
        pool = self.pools[p]
        assert pool is not None
        job = pool.request(kind, cls, i, work)
        self.visits.append((i, col, job))
        return job

    # -- containers (the moves at hubs of the host's walk) ----------------------
    def enter_hub(self, i: int, h: int) -> _Process:
        """Gate and truck-in move of box ``i`` entering hub ``h`` from outside (after
        yard admission); then it is in the yard."""
        draws = self.draws
        gate = self.task_pool(h, TASK_GATE)
        if gate < 0 and self.pools[self.n_pools + self.host.net.hubs.n + h] is not None:
            gate = self.n_pools + self.host.net.hubs.n + h  # the existing gate
        yard = self.task_pool(h, TASK_YARD)
        jobs: list[Job] = []
        if i not in self.truck_jobs:  # its truck at the first hub it enters by road
            self.truck_jobs[i] = (int(gate >= 0) + int(yard >= 0), jobs)
        if gate >= 0:
            if gate < self.n_pools:
                work = pool_service_h(self.term.pools, gate, float(draws.gate_u[i]))
            else:
                work = float(self.host.net.hubs.gate_time_h[h])
            jobs.append(self.request(gate, KIND_GATE, CLASS_TRUCK, i, work))
            yield jobs[-1].done
        if yard >= 0:
            work = pool_service_h(self.term.pools, yard, float(draws.yard_u[i, 0]))
            jobs.append(self.request(yard, KIND_TRUCK_IN, CLASS_TRUCK, i, work))
            yield jobs[-1].done
        self.yard.append((h, self.host.env.now, float(self.host.arr.teu[i])))

    def request(self, p: int, kind: int, cls: int, box: int, work_h: float) -> Job:
        pool = self.pools[p]
        assert pool is not None
        return pool.request(kind, cls, box, work_h)

    def load_move(self, i: int, col: int, h: int, k: int, from_outside: bool) -> _Process:
        """Box ``i``'s load move (visit column ``col``) at hub ``h`` for service ``k``:
        now (class truck when it came from outside), or in the departure's loading
        window (then the window process moves it)."""
        if self.term.loading_window_h[k] > 0:
            self.load_col[i] = col
        else:
            cls = CLASS_TRUCK if from_outside else CLASS_SERVICE
            yield self.visit_job(i, col, h, k, KIND_LOAD, cls).done

    def unload_move(
        self, i: int, col: int, d: int, k: int, onward: bool, by_road: bool
    ) -> _Process:
        """Box ``i``'s unload move at hub ``d`` off service ``k``; then into the yard
        for its next service (``onward``), or its truck-out move where it leaves by
        road (``by_road``) and ``d`` has a yard pool."""
        yield self.visit_job(i, col, d, k, KIND_UNLOAD, CLASS_SERVICE).done
        teu = float(self.host.arr.teu[i])
        if onward:
            self.yard.append((d, self.host.env.now, teu))
        elif by_road and (y := self.task_pool(d, TASK_YARD)) >= 0:
            work = pool_service_h(self.term.pools, y, float(self.draws.yard_u[i, 1]))
            yield self.request(y, KIND_TRUCK_OUT, CLASS_TRUCK, i, work).done

    # -- services -------------------------------------------------------------
    def service(self, k: int) -> _Process:
        """Departures of service ``k``: selection at ``T - w``, departure at ``T`` or
        when the window's last load move ends, whichever is later."""
        host = self.host
        env = host.env
        services = host.net.services
        w = float(self.term.loading_window_h[k])
        for j, (dep, cap) in enumerate(
            zip(services.departures_h[k].tolist(), services.capacity_teu[k].tolist(), strict=True)
        ):
            if dep >= host.horizon_h:
                break
            due = dep - w if w > 0 else dep
            if due > env.now:
                yield env.timeout(due - env.now)
            taken = host.select(k, dep, cap)
            if w > 0:
                env.process(self.window(k, j, dep, cap, taken))
            else:
                self.depart(k, j, env.now, cap, taken)

    def window(self, k: int, j: int, dep: float, cap: float, taken: Taken) -> _Process:
        """A departure's loading window: load moves of its boxes now, in selection
        order; it leaves at ``dep`` or at the end of the last of them, whichever is
        later. Its event at ``dep`` is scheduled now, at the selection (so departures
        at one instant keep the order in which they were scheduled)."""
        host = self.host
        env = host.env
        h = int(host.net.services.origin[k])
        jobs: list[Job] = []
        for i, _ in taken.loaded:
            col = self.load_col.pop(i)
            jobs.append(self.visit_job(i, col, h, k, KIND_LOAD, CLASS_SERVICE))
        yield env.timeout(dep - env.now)
        waiting = [job.done for job in jobs if not job.done.processed]
        if waiting:  # the window was too short: it leaves when its last move ends
            yield simpy.AllOf(env, waiting)
        leave = max([dep] + [job.end_h for job in jobs])
        if leave < host.horizon_h:
            self.depart(k, j, leave, cap, taken)

    def depart(self, k: int, j: int, now: float, cap: float, taken: Taken) -> None:
        """Departure ``j`` of service ``k`` leaves at ``now`` with ``taken``: its boxes
        leave the yard; its trip time includes the drawn extra travel time."""
        host = self.host
        services = host.net.services
        travel = services.trip_time_h(k, float(services.departures_h[k][j]))
        travel += float(self.draws.travel_extra_h[k][j])
        h = int(services.origin[k])
        for i, _ in taken.loaded:
            self.yard.append((h, now, -float(host.arr.teu[i])))
        host.depart(k, j, now, travel, cap, taken)

    # -- background -----------------------------------------------------------
    def background_pool(self, h: int, k: int) -> UnitPool:
        """A background job's pool: its service's task pool, else the general pool."""
        pool = self.pools[self.move_pool(h, k) if k >= 0 else self.n_pools + h]
        assert pool is not None
        return pool

    def truck_pool(self, h: int, task: int) -> UnitPool:
        """A background truck job's pool: the hub's pool of its task; a gate job at a
        hub without a gate pool, the existing gate."""
        p = self.task_pool(h, task)
        pool = self.pools[p if p >= 0 else self.n_pools + self.host.net.hubs.n + h]
        assert pool is not None
        return pool

    def background_job(self, j: int) -> _Process:
        """A call or a lot's load: one job (class service); a lot then waits. A
        background truck job (gate or yard): one job of class truck."""
        host = self.host
        bg = host.bg
        assert bg is not None
        env = host.env
        yield env.timeout(float(bg.arrival_h[j]))
        k = int(bg.service[j])
        task = -1 if bg.task is None else int(bg.task[j])
        if task >= 0:
            truck = self.truck_pool(int(bg.hub[j]), task)
            job = truck.request(KIND_BACKGROUND, CLASS_TRUCK, -1, float(bg.service_h[j]))
            self.bg_jobs.append((j, job))
            return
        pool = self.background_pool(int(bg.hub[j]), k)
        job = pool.request(KIND_BACKGROUND, CLASS_SERVICE, -1, float(bg.service_h[j]))
        self.bg_jobs.append((j, job))
        yield job.done
        if k >= 0:
            host.lots[k].append([env.now, float(bg.teu[j])])

    def background_unload(self, row: int, travel_h: float) -> _Process:
        """A trip's background TEU: one unload job at the destination on arrival."""
        host = self.host
        env = host.env
        yield env.timeout(0.0)  # after the trip's boxes, which start their travel now
        yield env.timeout(travel_h)
        k, hub, service_h = host.unloads[row][0], host.unloads[row][2], host.unloads[row][4]
        job = self.background_pool(hub, k).request(KIND_BACKGROUND, CLASS_SERVICE, -1, service_h)
        self.unload_jobs.append((row, job))

    # -- results --------------------------------------------------------------
    def finish(self) -> TerminalRecords:
        """Fill the host's visit arrays from the jobs and assemble the records."""
        host = self.host
        horizon = host.horizon_h
        for i, col, job in self.visits:
            if job.start_h < horizon:
                host.visit_start[i, col] = job.start_h
                host.visit_wait[i, col] = job.start_h - job.arrival_h
                host.visit_done[i, col] = True
        for j, job in self.bg_jobs:
            host.bg_start[j] = job.start_h
        for row, job in self.unload_jobs:
            host.unload_start[row] = job.start_h
        for i, (expected, jobs) in self.truck_jobs.items():
            if jobs and len(jobs) == expected and all(job.start_h < horizon for job in jobs):
                self.truck_wait[i] = sum(job.start_h - job.arrival_h for job in jobs)
                self.truck_turnaround[i] = jobs[-1].end_h - jobs[0].arrival_h
        jobs = self.jobs
        rec = np.asarray(
            [(j.pool, j.kind, j.job_class, j.box, j.arrival_h, j.start_h, j.end_h) for j in jobs],
            dtype=np.float64,
        ).reshape(-1, 7)
        order = np.lexsort((rec[:, 6], rec[:, 3], rec[:, 1], rec[:, 5], rec[:, 4], rec[:, 0]))
        rec = rec[order]
        yard = np.asarray(self.yard, dtype=np.float64).reshape(-1, 3)
        yard = yard[np.lexsort((yard[:, 2], yard[:, 1], yard[:, 0]))]
        return TerminalRecords(
            job_pool=rec[:, 0].astype(np.int64),
            job_kind=rec[:, 1].astype(np.int64),
            job_class=rec[:, 2].astype(np.int64),
            job_box=rec[:, 3].astype(np.int64),
            job_arrival_h=rec[:, 4].copy(),
            job_start_h=rec[:, 5].copy(),
            job_end_h=rec[:, 6].copy(),
            yard_hub=yard[:, 0].astype(np.int64),
            yard_h=yard[:, 1].copy(),
            yard_delta_teu=yard[:, 2].copy(),
            truck_wait_h=self.truck_wait,
            truck_turnaround_h=self.truck_turnaround,
        )
