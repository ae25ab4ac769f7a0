"""The reference engine: one SimPy process per container (the oracle).

The simulation clock is in hours [h].

This is the textbook way to write the model, kept simple on purpose so that it can
be read against the rules and trusted: every container is a SimPy process that
walks its route leg by leg; every hub has a ``simpy.Resource`` for its handling
pool and one for its gate; departures of trains and barges are processes that take
the waiting containers FIFO by ready time, respecting the cut-off (which may exceed
the headway: a box then waits for a later departure) and the capacity in TEU. Yard admission, holding and diversion follow the same rules as
:mod:`freighthub.sim.engine` (see its module docstring), and the handling times
come from the same :func:`~freighthub.sim.plan.handling_matrix_h`.

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

from freighthub.sim.background import BackgroundResult, batch_service_h
from freighthub.sim.network import (
    LEG_ROAD,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    Trip,
    trip_arrays,
)
from freighthub.sim.plan import RoutePlan, handling_matrix_h, road_departure_h

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
        self.handling = handling_matrix_h(network, arrivals, self.plan)
        max_legs = self.plan.load_col.shape[1]
        max_visits = self.plan.visit_hub.shape[1]
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
        self.unloads: list[tuple[int, int, int, float, float, float, float]] = []
        self.unload_start: list[float] = []
        self.bg_left_behind = np.zeros(network.services.n)

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
        env = self.env
        routes = self.net.routes
        services = self.net.services
        teu = float(self.arr.teu[i])
        yield env.timeout(float(self.arr.time_h[i]))
        r = int(self.route[i])
        p = 0
        n_legs = int(self.plan.n_legs[r])
        while p < n_legs:
            g = int(routes.leg_start[r]) + p
            if routes.leg_kind[g] == LEG_ROAD:
                link = int(routes.leg_index[g])
                start = self.road_time(link, env.now)
                if start > env.now:
                    yield env.timeout(start - env.now)
                self.leg_dep[i, p] = env.now
                yield env.timeout(float(self.net.road.travel_time_h[link]))
                p += 1
                continue
            k = int(routes.leg_index[g])
            h = int(services.origin[k])
            from_outside = p == 0 or routes.leg_kind[g - 1] == LEG_ROAD
            if from_outside:
                cap = float(self.net.hubs.yard_capacity_teu[h])
                if self.held[h] or self.occupancy[h] + teu > cap:
                    alt = int(routes.road_alternative[r])
                    if self.net.yard_full_policy == "divert_road" and alt >= 0:
                        self.divert(i, alt)
                        return
                    planned = env.now
                    released = env.event()
                    self.held[h].append((i, planned, released))
                    yield released
                    self.yard_hold[i] = env.now - planned
                else:
                    self.occupancy[h] += teu
                gate = self.gates[h]
                if gate is not None:
                    with gate.request() as request:
                        yield request
                        yield env.timeout(float(self.net.hubs.gate_time_h[h]))
            col = int(self.plan.load_col[r, p])
            arrived = env.now
            with self.pools[h].request() as request:  # load move
                yield request
                self.visit_start[i, col] = env.now
                self.visit_wait[i, col] = env.now - arrived
                self.visit_done[i, col] = True
                yield env.timeout(float(self.handling[i, col]))
            if np.isnan(self.ready_h[i]):
                self.ready_h[i] = env.now
            loaded = env.event()
            self.queues[k].append((env.now, i, loaded))
            yield loaded
            self.leg_dep[i, p] = env.now
            if np.isnan(self.departure_h[i]):
                self.departure_h[i] = env.now
            yield env.timeout(services.trip_time_h(k, env.now))
            d = int(services.destination[k])
            p += 1
            onward = p < n_legs and routes.leg_kind[g + 1] != LEG_ROAD
            if onward:
                self.occupancy[d] += teu  # transshipment: into the yard for the next leg
            col = int(self.plan.unload_col[r, p - 1])
            arrived = env.now
            with self.pools[d].request() as request:  # unload move
                yield request
                self.visit_start[i, col] = env.now
                self.visit_wait[i, col] = env.now - arrived
                self.visit_done[i, col] = True
                yield env.timeout(float(self.handling[i, col]))
        self.delivered_h[i] = env.now

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
        h = int(services.origin[k])
        cutoff = float(services.cutoff_h[k])
        cap_yard = float(self.net.hubs.yard_capacity_teu[h])
        for j, (dep, cap) in enumerate(
            zip(services.departures_h[k].tolist(), services.capacity_teu[k].tolist(), strict=True)
        ):
            if dep >= self.horizon_h:
                break
            if dep > env.now:
                yield env.timeout(dep - env.now)
            # Traced boxes and background lots by ready time, traced first at a tie.
            queue = sorted(
                [(e[0], e) for e in self.queues[k]] + [(lot[0], lot) for lot in self.lots[k]],
                key=lambda entry: entry[0],
            )
            load_teu = 0.0  # traced
            total_teu = 0.0  # traced and background
            bg_teu = 0.0
            loaded: list[int] = []
            rest: list[tuple[float, int, simpy.Event]] = []
            full = False
            for ready, entry in queue:
                if isinstance(entry, list):  # a background lot [ready_h, teu]
                    if ready + cutoff > env.now or full:
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
                if ready + cutoff > env.now:
                    rest.append(entry)
                    continue
                teu = float(self.arr.teu[i])
                if not full and total_teu + teu <= cap:
                    load_teu += teu
                    total_teu += teu
                    loaded.append(i)
                    event.succeed()
                else:
                    full = True
                    self.left_behind[i] += 1
                    rest.append(entry)
            self.queues[k] = rest
            self.bg_left_behind[k] += sum(
                lot[1] for lot in self.lots[k] if lot[0] + cutoff <= env.now
            )
            self.lots[k] = [lot for lot in self.lots[k] if lot[1] > 0]
            self.occupancy[h] -= load_teu
            held = self.held[h]
            while held and self.occupancy[h] + float(self.arr.teu[held[0][0]]) <= cap_yard:
                i, _, released = held.popleft()
                self.occupancy[h] += float(self.arr.teu[i])
                released.succeed()
            arrival = env.now + services.trip_time_h(k, env.now)
            self.trips.append(
                (
                    k,
                    env.now,
                    arrival if arrival < self.horizon_h else np.nan,
                    load_teu,
                    float(self.arr.mass_t[loaded].sum()),
                    int(self.arr.boxes[loaded].sum()),
                    float(cap),
                )
            )
            if self.bg is not None:
                self.bg_trip_teu.append(bg_teu)
                if bg_teu > 0:
                    self.unload(k, j, services.trip_time_h(k, env.now), bg_teu)

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
        self.env.process(self.background_unload(len(self.unloads) - 1, travel_h))

    def run(self) -> EngineResult:
        env = self.env
        generators = [self.service(k) for k in range(self.net.services.n)]
        generators += [self.container(i) for i in range(self.arr.n)]
        if self.bg is not None:
            generators += [self.background_job(j) for j in range(self.bg.n)]
        for generator in generators:
            env.process(generator)
        env.run(until=self.horizon_h)
        for generator in generators:  # break the environment <-> process cycles
            generator.close()
        del generators
        for hub in self.held:
            for i, planned, _ in hub:
                self.yard_hold[i] = self.horizon_h - planned
        horizon = self.horizon_h
        self.handling[~self.visit_done] = np.nan
        self.leg_dep[~(self.leg_dep < horizon)] = np.nan
        self.delivered_h[~(self.delivered_h < horizon)] = np.nan
        arrival = self.arr.time_h.astype(np.float64, copy=True)
        road_only = self.plan.road_only[self.route]
        self.ready_h[road_only] = arrival[road_only]
        self.departure_h[road_only] = arrival[road_only]
        return EngineResult(
            arrival_h=arrival,
            route=self.route,
            ready_h=self.ready_h,
            departure_h=self.departure_h,
            delivered_h=self.delivered_h,
            leg_departure_h=self.leg_dep,
            visit_wait_h=self.visit_wait,
            visit_handling_h=self.handling,
            visit_start_h=self.visit_start,
            yard_hold_h=self.yard_hold,
            left_behind=self.left_behind,
            diverted=self.diverted,
            **trip_arrays(self.trips),
            background=self.background_result(),
        )

    def background_result(self) -> BackgroundResult | None:
        if self.bg is None:
            return None
        rows = np.asarray(self.unloads, dtype=np.float64).reshape(-1, 7)
        order = np.lexsort((rows[:, 1], rows[:, 0]))
        rows = rows[order]
        return BackgroundResult(
            job_start_h=self.bg_start,
            trip_teu=np.asarray(self.bg_trip_teu, dtype=np.float64),
            unload_service=rows[:, 0].astype(np.int64),
            unload_departure=rows[:, 1].astype(np.int64),
            unload_hub=rows[:, 2].astype(np.int64),
            unload_arrival_h=rows[:, 3].copy(),
            unload_service_h=rows[:, 4].copy(),
            unload_teu=rows[:, 5].copy(),
            unload_moves=rows[:, 6].copy(),
            unload_start_h=np.asarray(self.unload_start, dtype=np.float64)[order],
            left_behind_teu=self.bg_left_behind,
            waiting_teu=np.array([sum(lot[1] for lot in lots) for lots in self.lots]),
        )


def run(network: CompiledNetwork, arrivals: Arrivals) -> EngineResult:
    """Simulate with one SimPy process per container (the reference; clock in hours [h]).

    Same signature and result as :func:`freighthub.sim.engine.run`, same rules;
    use it to check the fast engine, not for studies (it is ~30× slower).

    Parameters
    ----------
    network
        The compiled network.
    arrivals
        The containers, sorted by arrival time [h].

    Returns
    -------
    EngineResult
        Per-container and per-trip arrays; events at or after ``horizon_h`` are NaN.

    Raises
    ------
    ValueError
        If the routes are inconsistent or ``arrivals.handling_u`` has too few columns.
    """
    if arrivals.n > 1 and bool(np.any(np.diff(arrivals.time_h) < 0)):
        raise ValueError("arrivals.time_h must be sorted ascending")
    return _Reference(network, arrivals).run()
