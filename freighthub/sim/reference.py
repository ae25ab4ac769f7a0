"""The reference engine: one SimPy process per container (the oracle).

The simulation clock is in hours [h].

This is the textbook way to write the model, kept simple on purpose so that it can
be read against the rules and trusted: every container is a SimPy process that
walks its route leg by leg; every hub has a ``simpy.Resource`` for its handling
pool and one for its gate; departures of trains and barges are processes that take
the waiting containers FIFO by ready time, respecting the cut-off (which may exceed
the headway: a box then waits for a later departure) and the capacity in TEU. Yard admission, holding and diversion follow the same rules as
:mod:`freighthub.sim.engine` (see its module docstring), and the handling times
come from the same :func:`~freighthub.sim.plan.handling_rows_h`.

It is about 30 times slower than the fast engine at national scale and exists to
check it: on the same inputs both give the same per-container times (up to
rounding of about 1e-9 h) wherever no two events fall on exactly the same instant.

References
----------
``../shared/research/performance.md`` of the project, section 3 (``simpy_naive``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from freighthub.sim.background import (
    BackgroundResult,
    Unload,
    background_result,
    batch_service_h,
)
from freighthub.sim.network import (
    LEG_ROAD,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    Trip,
    trip_arrays,
    visit_column,
    visit_offsets,
    visit_rows,
)
from freighthub.sim.plan import RoutePlan, handling_rows_h, leg_offsets, road_departure_h
from freighthub.sim.reference_terminal import Taken, Terminal

__all__ = ["run"]

_Process = Generator[simpy.events.Event, Any, None]


class _Reference:
    def __init__(self, network: CompiledNetwork, arrivals: Arrivals) -> None:
        self.net = network
        self.arr = arrivals
        self.plan = RoutePlan.of(network)
        self.env = simpy.Environment()
        n = arrivals.n
        hubs = network.hubs
        self.horizon_h = float(network.horizon_h)
        self.pools = [simpy.Resource(self.env, int(c)) for c in hubs.servers.tolist()]
        self.gates: list[simpy.Resource | None] = [
            simpy.Resource(self.env, int(lanes)) if lanes > 0 and time_h > 0 else None
            for lanes, time_h in zip(
                hubs.gate_lanes.tolist(), hubs.gate_time_h.tolist(), strict=True
            )
        ]
        self.occupancy = [0.0] * hubs.n
        self.held: list[deque[tuple[int, float, simpy.Event]]] = [deque() for _ in range(hubs.n)]
        self.queues: list[list[tuple[float, int, simpy.Event]]] = [
            [] for _ in range(network.services.n)
        ]
        self.route = arrivals.route.astype(np.int64, copy=True)
        max_legs = self.plan.load_col.shape[1]
        max_visits = self.plan.visit_hub.shape[1]
        # The visits as rows of the assigned routes' visits (EngineResult.visit_offset);
        # the reference works on (n, max_visits) matrices (NaN where a route has none).
        self.voff = visit_offsets((self.plan.visit_hub >= 0).sum(axis=1), arrivals.route)
        self.loff = leg_offsets(network, arrivals.route)  # (the legs too: EngineResult.leg_offset)
        rows = handling_rows_h(network, arrivals, self.plan, self.voff)
        self.handling = np.full((n, max_visits), np.nan)
        for k in range(max_visits):
            self.handling[:, k] = visit_column(rows, self.voff, k)
        self.ready_h = np.full(n, np.nan)
        self.departure_h = np.full(n, np.nan)
        self.delivered_h = np.full(n, np.nan)
        self.leg_dep = np.full((n, max_legs), np.nan)
        self.visit_start = np.full((n, max_visits), np.nan)
        self.visit_wait = np.full((n, max_visits), np.nan)
        self.visit_done = np.zeros((n, max_visits), dtype=np.bool_)
        self.yard_hold = np.zeros(n)
        self.left_behind = np.zeros(n, dtype=np.int64)
        self.diverted = np.zeros(n, dtype=np.bool_)
        self.trips: list[Trip] = []
        # Background (rules in freighthub.sim.background): job starts, lots waiting
        # per service as [ready_h, teu], per-trip TEU, unload jobs.
        self.bg = arrivals.background
        self.bg_start = np.full(self.bg.n if self.bg is not None else 0, np.nan)
        self.lots: list[list[list[float]]] = [[] for _ in range(network.services.n)]
        self.bg_trip_teu: list[float] = []
        self.unloads: list[Unload] = []
        self.unload_start: list[float] = []
        self.bg_left_behind = np.zeros(network.services.n)
        # The terminal model (docs/terminal-operations.md), in its own module.
        self.terminal: Terminal | None = None
        if network.terminal is not None:
            if arrivals.terminal is None:
                raise ValueError("the network has a terminal model: arrivals.terminal is needed")
            self.terminal = Terminal(self, network.terminal, arrivals.terminal)

    def background_job(self, j: int) -> _Process:
        """A call or a lot's load: one job of the hub's pool; a lot then waits."""
        assert self.bg is not None
        env = self.env
        yield env.timeout(float(self.bg.arrival_h[j]))
        with self.pools[int(self.bg.hub[j])].request() as request:
            yield request
            self.bg_start[j] = env.now
            yield env.timeout(float(self.bg.service_h[j]))
        k = int(self.bg.service[j])
        if k >= 0:
            self.lots[k].append([env.now, float(self.bg.teu[j])])

    def background_unload(self, row: int, travel_h: float) -> _Process:
        """A trip's background TEU: one unload job at the destination on arrival."""
        env = self.env
        yield env.timeout(0.0)  # after the trip's boxes, which start their travel now
        yield env.timeout(travel_h)
        hub, service_h = self.unloads[row][2], self.unloads[row][4]
        with self.pools[hub].request() as request:
            yield request
            self.unload_start[row] = env.now
            yield env.timeout(service_h)

    def road_time(self, link: int, now: float) -> float:
        return float(road_departure_h(self.net, np.asarray([link]), np.asarray([now]))[0])

    def container(self, i: int) -> _Process:
        """Box ``i`` walks its route. The moves at hubs (entering from outside, load,
        unload) are the plain ones below, or the terminal model's when there is one."""
        env = self.env
        routes = self.net.routes
        services = self.net.services
        moves: _Reference | Terminal = self if self.terminal is None else self.terminal
        yield env.timeout(float(self.arr.time_h[i]))
        r = int(self.route[i])
        p = 0
        n_legs = int(self.plan.n_legs[r])
        while p < n_legs:
            g = int(routes.leg_start[r]) + p
            if routes.leg_kind[g] == LEG_ROAD:
                yield from self.road_leg(i, p, g)
                p += 1
                continue
            k = int(routes.leg_index[g])
            h = int(services.origin[k])
            from_outside = p == 0 or routes.leg_kind[g - 1] == LEG_ROAD
            if from_outside:
                if (yield from self.admit(i, h, r)):
                    return  # diverted to the road alternative
                yield from moves.enter_hub(i, h)
            yield from moves.load_move(i, int(self.plan.load_col[r, p]), h, k, from_outside)
            if np.isnan(self.ready_h[i]):  # in the yard (a loading window), or loaded
                self.ready_h[i] = env.now
            loaded = env.event()
            self.queues[k].append((env.now, i, loaded))
            travel_h = yield loaded  # succeeds at the departure, with the trip time
            self.leg_dep[i, p] = env.now
            if np.isnan(self.departure_h[i]):
                self.departure_h[i] = env.now
            yield env.timeout(travel_h)
            d = int(services.destination[k])
            p += 1
            onward = p < n_legs and routes.leg_kind[g + 1] != LEG_ROAD
            if onward:  # transshipment: into the yard for the next leg
                self.occupancy[d] += float(self.arr.teu[i])
            col = int(self.plan.unload_col[r, p - 1])
            yield from moves.unload_move(i, col, d, k, onward, p < n_legs and not onward)
        self.delivered_h[i] = env.now

    def enter_hub(self, i: int, h: int) -> _Process:
        """Box ``i`` enters hub ``h`` from outside: the gate, where modelled."""
        gate = self.gates[h]
        if gate is not None:
            with gate.request() as request:
                yield request
                yield self.env.timeout(float(self.net.hubs.gate_time_h[h]))

    def load_move(self, i: int, col: int, h: int, k: int, from_outside: bool) -> _Process:
        """Box ``i``'s load move (visit column ``col``) at hub ``h`` for service ``k``."""
        yield from self.move(i, col, h)

    def unload_move(
        self, i: int, col: int, d: int, k: int, onward: bool, by_road: bool
    ) -> _Process:
        """Box ``i``'s unload move at hub ``d`` off service ``k``; ``onward``: it takes
        another service from ``d``; ``by_road``: it leaves ``d`` by road."""
        yield from self.move(i, col, d)

    def move(self, i: int, col: int, h: int) -> _Process:
        """Box ``i``'s handling move ``col`` (a load or an unload) at hub ``h``: queue, work."""
        env = self.env
        arrived = env.now
        with self.pools[h].request() as request:
            yield request
            self.visit_start[i, col] = env.now
            self.visit_wait[i, col] = env.now - arrived
            self.visit_done[i, col] = True
            yield env.timeout(float(self.handling[i, col]))

    def road_leg(self, i: int, p: int, g: int) -> _Process:
        """Road leg ``p`` (global leg ``g``) of box ``i``: wait out closures, drive."""
        env = self.env
        link = int(self.net.routes.leg_index[g])
        start = self.road_time(link, env.now)
        if start > env.now:
            yield env.timeout(start - env.now)
        self.leg_dep[i, p] = env.now
        yield env.timeout(float(self.net.road.travel_time_h[link]))

    def admit(self, i: int, h: int, r: int) -> Generator[simpy.events.Event, Any, bool]:
        """Yard admission of box ``i`` arriving from outside at hub ``h``: a place in
        the yard, or held until a departure frees one, or diverted (returns True)."""
        env = self.env
        teu = float(self.arr.teu[i])
        cap = float(self.net.hubs.yard_capacity_teu[h])
        if self.held[h] or self.occupancy[h] + teu > cap:
            alt = int(self.net.routes.road_alternative[r])
            if self.net.yard_full_policy == "divert_road" and alt >= 0:
                self.divert(i, alt)
                return True
            planned = env.now
            released = env.event()
            self.held[h].append((i, planned, released))
            yield released
            self.yard_hold[i] = env.now - planned
        else:
            self.occupancy[h] += teu
        return False

    def divert(self, i: int, alt: int) -> None:
        """Road alternative from the origin arrival time; no event needed after this."""
        routes = self.net.routes
        self.diverted[i] = True
        self.route[i] = alt
        self.handling[i] = np.nan
        self.visit_start[i] = np.nan
        self.visit_wait[i] = np.nan
        self.visit_done[i] = False
        self.leg_dep[i] = np.nan
        t = float(self.arr.time_h[i])
        for p, g in enumerate(range(int(routes.leg_start[alt]), int(routes.leg_start[alt + 1]))):
            if routes.leg_kind[g] != LEG_ROAD:
                raise ValueError("a road alternative route contains a service leg")
            link = int(routes.leg_index[g])
            t = self.road_time(link, t)
            self.leg_dep[i, p] = t
            t += float(self.net.road.travel_time_h[link])
        self.delivered_h[i] = t

    def service(self, k: int) -> _Process:
        env = self.env
        services = self.net.services
        for j, (dep, cap) in enumerate(
            zip(services.departures_h[k].tolist(), services.capacity_teu[k].tolist(), strict=True)
        ):
            if dep >= self.horizon_h:
                break
            if dep > env.now:
                yield env.timeout(dep - env.now)
            taken = self.select(k, env.now, cap)
            self.depart(k, j, env.now, services.trip_time_h(k, env.now), cap, taken)

    def select(self, k: int, due_h: float, cap: float) -> Taken:
        """The boxes (with their events) and background TEU the departure of service
        ``k`` at ``due_h`` takes: ready ``cutoff_h`` before it, FIFO by ready time, up
        to its capacity ``cap``; also the traced TEU taken. Counts those left behind."""
        cutoff = float(self.net.services.cutoff_h[k])
        # Traced boxes and background lots by ready time, traced first at a tie.
        queue = sorted(
            [(e[0], e) for e in self.queues[k]] + [(lot[0], lot) for lot in self.lots[k]],
            key=lambda entry: entry[0],
        )
        load_teu = 0.0  # traced
        total_teu = 0.0  # traced and background
        bg_teu = 0.0
        loaded: list[tuple[int, simpy.Event]] = []
        rest: list[tuple[float, int, simpy.Event]] = []
        full = False
        for ready, entry in queue:
            if isinstance(entry, list):  # a background lot [ready_h, teu]
                if ready + cutoff > due_h or full:
                    continue
                if total_teu + entry[1] <= cap:
                    take = entry[1]
                else:
                    take = float(math.floor(cap - total_teu))
                    full = True
                if take > 0:
                    entry[1] -= take
                    total_teu += take
                    bg_teu += take
                continue
            _, i, event = entry
            if ready + cutoff > due_h:
                rest.append(entry)
                continue
            teu = float(self.arr.teu[i])
            if not full and total_teu + teu <= cap:
                load_teu += teu
                total_teu += teu
                loaded.append((i, event))
            else:
                full = True
                self.left_behind[i] += 1
                rest.append(entry)
        self.queues[k] = rest
        self.bg_left_behind[k] += sum(lot[1] for lot in self.lots[k] if lot[0] + cutoff <= due_h)
        self.lots[k] = [lot for lot in self.lots[k] if lot[1] > 0]
        return Taken(loaded, load_teu, bg_teu)

    def depart(self, k: int, j: int, now: float, travel_h: float, cap: float, taken: Taken) -> None:
        """Departure ``j`` of service ``k`` leaves at ``now`` with ``taken``: its boxes
        start their trip of ``travel_h``, the yard admits held boxes, the trip is recorded."""
        for _, event in taken.loaded:
            event.succeed(travel_h)
        self.free_yard(int(self.net.services.origin[k]), taken.load_teu)
        ids = [i for i, _ in taken.loaded]
        self.trip(k, j, now, travel_h, ids, taken.load_teu, cap, taken.bg_teu)

    def free_yard(self, h: int, teu: float) -> None:
        """Boxes of ``teu`` left hub ``h``'s yard: admit held boxes while they fit."""
        self.occupancy[h] -= teu
        held = self.held[h]
        cap_yard = float(self.net.hubs.yard_capacity_teu[h])
        while held and self.occupancy[h] + float(self.arr.teu[held[0][0]]) <= cap_yard:
            i, _, released = held.popleft()
            self.occupancy[h] += float(self.arr.teu[i])
            released.succeed()

    def trip(
        self,
        k: int,
        j: int,
        departure_h: float,
        travel_h: float,
        ids: list[int],
        load_teu: float,
        cap: float,
        bg_teu: float,
    ) -> None:
        """Record departure ``j`` of service ``k`` and start its background unload."""
        arrival = departure_h + travel_h
        self.trips.append(
            (
                k,
                departure_h,
                arrival if arrival < self.horizon_h else np.nan,
                load_teu,
                float(self.arr.mass_t[ids].sum()),
                int(self.arr.boxes[ids].sum()),
                float(cap),
            )
        )
        if self.bg is not None:
            self.bg_trip_teu.append(bg_teu)
            if bg_teu > 0:
                self.unload(k, j, travel_h, bg_teu)

    def unload(self, k: int, j: int, travel_h: float, teu: float) -> None:
        """Record a trip's background unload job and start its process."""
        assert self.bg is not None
        hub = int(self.net.services.destination[k])
        moves = teu * float(self.bg.moves_per_teu[k])
        u = np.asarray([self.bg.unload_u[k][j]])
        service_h = float(
            batch_service_h(self.net.hubs, np.asarray([hub]), np.asarray([moves]), u)[0]
        )
        self.unloads.append((k, j, hub, self.env.now + travel_h, service_h, teu, moves))
        self.unload_start.append(math.nan)
        row = len(self.unloads) - 1
        if self.terminal is not None:
            self.env.process(self.terminal.background_unload(row, travel_h))
        else:
            self.env.process(self.background_unload(row, travel_h))

    def run(self) -> EngineResult:
        env = self.env
        term = self.terminal
        process = self if term is None else term
        generators = [process.service(k) for k in range(self.net.services.n)]
        generators += [self.container(i) for i in range(self.arr.n)]
        if self.bg is not None:
            generators += [process.background_job(j) for j in range(self.bg.n)]
        for generator in generators:
            env.process(generator)
        env.run(until=self.horizon_h)
        for generator in generators:  # break the environment <-> process cycles
            generator.close()
        del generators
        for hub in self.held:
            for i, planned, _ in hub:
                self.yard_hold[i] = self.horizon_h - planned
        records = term.finish() if term is not None else None
        horizon = self.horizon_h
        self.handling[~self.visit_done] = np.nan
        self.leg_dep[~(self.leg_dep < horizon)] = np.nan
        self.delivered_h[~(self.delivered_h < horizon)] = np.nan
        arrival = self.arr.time_h.astype(np.float64, copy=True)
        road_only = self.plan.road_only[self.route]
        self.ready_h[road_only] = arrival[road_only]
        self.departure_h[road_only] = arrival[road_only]
        voff = self.voff
        return EngineResult(
            arrival_h=arrival,
            route=self.route,
            ready_h=self.ready_h,
            departure_h=self.departure_h,
            delivered_h=self.delivered_h,
            leg_departure_h=visit_rows(self.leg_dep, self.loff),
            leg_offset=self.loff,
            visit_wait_h=visit_rows(self.visit_wait, voff),
            visit_handling_h=visit_rows(self.handling, voff),
            visit_start_h=visit_rows(self.visit_start, voff),
            visit_offset=voff,
            yard_hold_h=self.yard_hold,
            left_behind=self.left_behind,
            diverted=self.diverted,
            **trip_arrays(self.trips),
            background=self.background_result(),
            terminal=records,
        )

    def background_result(self) -> BackgroundResult | None:
        if self.bg is None:
            return None
        waiting = np.array([sum(lot[1] for lot in lots) for lots in self.lots])
        return background_result(
            self.bg_start,
            self.bg_trip_teu,
            self.unloads,
            self.unload_start,
            self.bg_left_behind,
            waiting,
        )


def run(network: CompiledNetwork, arrivals: Arrivals) -> EngineResult:
    """Simulate with one SimPy process per container (the reference; clock in hours [h]).

    Same rules, parameters, result and errors as :func:`freighthub.sim.engine.run`
    (there documented; here ``arrival_h`` is a copy of ``arrivals.time_h``); use it to
    check the fast engine, not for studies (it is ~30× slower).
    """
    if arrivals.n > 1 and bool(np.any(np.diff(arrivals.time_h) < 0)):
        raise ValueError("arrivals.time_h must be sorted ascending")
    return _Reference(network, arrivals).run()
