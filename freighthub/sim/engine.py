"""The fast simulation engine: vehicles as SimPy processes, containers as arrays.

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario.

SimPy schedules only what really is a discrete event: the departures of timetabled
trains and barges (one process per service) and, where a decision depends on it, their
arrivals (one process per trip into a transshipment hub or a hub from which boxes go
on by road to another service). Elsewhere an arriving trip needs no event: its unload
moves wait in the destination's pool as jobs due at the arrival time and are served
when that pool is next advanced. Containers never become SimPy processes. They are
rows of numpy arrays that move between *lazy* resources:

- each hub has one FIFO handling pool (:class:`~freighthub.sim.cranes.HandlingPool`)
  and, if modelled, a FIFO gate pool. A pool is advanced with the exact
  Kiefer–Wolfowitz recursion whenever a vehicle event at the hub needs to know what
  has been handled by "now" — never by per-container events;
- road legs are travel times (trucks on demand), delayed by road closures;
- a departure takes the containers that are ready ``cutoff_h`` before it, FIFO by
  ready time, up to its capacity in TEU; the rest wait for the next departure
  (``left_behind`` counts the full departures a container was ready for). A cut-off
  as long as the headway or longer needs nothing special: a box simply catches the
  first departure at least ``cutoff_h`` after it is ready, a later one;
- the yard of a hub only fills between vehicle events (boxes arriving) and only
  empties at departures, so the yard test "is there room for this box" is exact when
  the arrivals since the last event are admitted in time order at the next event:
  boxes that do not fit are held at the origin until a departure frees room, or
  take their road alternative (``yard_full_policy``).

This is exact, not an approximation: every pool is FIFO and is only ever advanced
forward in time, and every job that reaches a pool by time ``t`` is known when the
pool is advanced to ``t`` (it was created by an earlier event, because travel and
handling take positive time). :mod:`freighthub.sim.reference` is the one-process-
per-container SimPy model of the same rules, and the tests check that both agree.

Modelling choices (see ``docs/gotchas.md``):

- One handling move per service leg at each end (load at the origin hub, unload at
  the destination hub), in the hub's single handling pool; a transshipment (rail to
  barge) is an unload followed by a load at the same hub.
- The yard holds the boxes that entered the hub for a departure: from admission
  (arrival at the hub by road) or unloading (transshipment) until they leave on a
  departure. Import boxes leave by road right after unloading and do not use yard
  space. Transshipment boxes are never refused (they are already in the hub), so the
  yard can exceed its capacity through them.
- A held box waits just outside the hub (``yard_hold_h``); the first road leg is not
  repeated. A diverted box is re-planned at its origin onto the road alternative,
  from its arrival time.
- Every box that enters a hub from outside passes the gate pool (if modelled)
  before its load move; unloaded boxes leave without a gate move.
- With ``network.terminal`` set, and for every scenario while
  ``terminal_plain.PLAIN_COMPILED`` is on (the default: an empty terminal model), the
  run goes to :mod:`freighthub.sim.engine_terminal`'s compiled loop; the batched path
  below runs with it off and is the tests' independent check of that loop.

References
----------
``../shared/research/performance.md`` of the project: the batched, lazy-resource
design (26–37× faster than one SimPy process per container, identical outputs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.engine_background import BackgroundBook
from freighthub.sim.engine_state import (
    HubState,
    Records,
    attach_background,
    eager_hubs,
    engine_result,
    hub_states,
)
from freighthub.sim.engine_terminal import TerminalRun
from freighthub.sim.network import LEG_SERVICE, Arrivals, CompiledNetwork, EngineResult, Trip
from freighthub.sim.plan import RoutePlan, handling_matrix_h, road_departure_h
from freighthub.sim.terminal_plain import compiled_path

__all__ = ["RoutePlan", "handling_matrix_h", "road_departure_h", "run"]  # re-exported from plan

_EMPTY_I = np.empty(0, dtype=np.int64)
_CHUNK = 500_000  # boxes per vectorised pass over many boxes (bounds temporaries)
_EMPTY_F = np.empty(0, dtype=np.float64)


class _Engine:
    """One run of the fast engine; all state lives here."""

    def __init__(self, network: CompiledNetwork, arrivals: Arrivals) -> None:
        self.net, self.arr = network, arrivals
        self.plan = RoutePlan.of(network)
        routes = network.routes
        self.n = n = arrivals.n
        self.horizon_h = float(network.horizon_h)
        self.divert = network.yard_full_policy == "divert_road"
        self.leg_start = routes.leg_start.astype(np.int64)
        self.leg_kind, self.leg_index = routes.leg_kind, routes.leg_index
        self.leg_from = routes.leg_from
        self.road_time_h = network.road.travel_time_h
        self.road_alt = routes.road_alternative
        self.teu = arrivals.teu
        max_visits = self.plan.visit_hub.shape[1]
        self.route = arrivals.route.astype(np.int64, copy=True)
        self.pos = np.zeros(n, dtype=np.int16)
        self.nvis = np.zeros(n, dtype=np.int16)  # visits done = column of the next visit
        self.delivered_h = np.full(n, np.nan)
        self.leg_dep = np.full((n, self.plan.load_col.shape[1]), np.nan)
        self.visit_start = np.full((n, max_visits), np.nan)
        self.visit_wait = np.full((n, max_visits), np.nan)
        self.yard_hold = np.zeros(n)
        self.left_behind = np.zeros(n, dtype=np.int64)
        self.diverted = np.zeros(n, dtype=np.bool_)
        self.handling = handling_matrix_h(network, arrivals, self.plan)  # (checks handling_u)
        self.tails: list[tuple[IntArray, FloatArray]] = []
        self.tail_boxes = 0  # boxes in ``tails``
        # Per service, the boxes waiting for a departure and their ready times [h].
        self.buffers: list[list[tuple[IntArray, FloatArray]]] = [
            [] for _ in range(network.services.n)
        ]
        self.trips: list[Trip] = []
        self.eager = eager_hubs(network, self.plan)
        services = network.services
        self.svc_origin: list[int] = services.origin.tolist()
        self.svc_cutoff: list[float] = services.cutoff_h.tolist()
        self.mass_t = arrivals.mass_t
        self.one_box = bool(np.all(arrivals.boxes == 1))
        bg = arrivals.background
        self.bg = BackgroundBook(network, bg) if bg is not None else None

    # -- journeys -------------------------------------------------------------
    def road_until_hub(self, ids: IntArray, t: FloatArray) -> tuple[IntArray, FloatArray, IntArray]:
        """Move boxes along road legs from their current position.

        Boxes that finish their route are delivered; the others stop at the hub where
        their next (service) leg starts. Returns (ids, time, hub) of those.
        """
        if ids.size > _CHUNK:  # (in passes: bounded temporaries; each box's legs are its own)
            parts = [
                self.road_until_hub(ids[a : a + _CHUNK], t[a : a + _CHUNK])
                for a in range(0, ids.size, _CHUNK)
            ]
            return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]
        out_id: list[IntArray] = []
        out_t: list[FloatArray] = []
        out_h: list[IntArray] = []
        n_legs = self.plan.n_legs
        while ids.size:
            r, p = self.route[ids], self.pos[ids]
            done = p >= n_legs[r]
            if done.any():
                self.delivered_h[ids[done]] = t[done]
                keep = ~done
                ids, t, r, p = ids[keep], t[keep], r[keep], p[keep]
            g = self.leg_start[r] + p
            service = self.leg_kind[g] == LEG_SERVICE
            if service.any():
                out_id.append(ids[service])
                out_t.append(t[service])
                out_h.append(self.leg_from[g[service]])
                road = ~service
                ids, t, p, g = ids[road], t[road], p[road], g[road]
            link = self.leg_index[g]
            dep = road_departure_h(self.net, link, t)
            self.leg_dep[ids, p] = dep
            t = dep + self.road_time_h[link]
            self.pos[ids] = p + 1
        if not out_id:
            return _EMPTY_I, _EMPTY_F, _EMPTY_I
        return np.concatenate(out_id), np.concatenate(out_t), np.concatenate(out_h)

    def finish_by_road(self, ids: IntArray, t: FloatArray) -> None:
        """Run the final road legs of boxes that need no more hubs."""
        if self.net.road_closures.link.size == 0:
            r, p = self.route[ids], self.pos[ids]
            if bool((p == self.plan.n_legs[r] - 1).all()):
                # The common case: one last-mile road leg, no closures.
                link = self.leg_index[self.leg_start[r] + p]
                self.leg_dep[ids, p] = t
                self.delivered_h[ids] = t + self.road_time_h[link]
                return
        self.road_until_hub(ids, t)

    def build_hubs(self) -> None:
        """Start every box; collect the first hub arrivals per hub (exogenous streams)."""
        parts = [
            self.road_until_hub(ids, self.arr.time_h[ids])
            for ids in np.array_split(np.arange(self.n, dtype=np.int64), self.n // _CHUNK + 1)
        ]
        self.hubs: list[HubState] = hub_states(self.net, parts)
        if self.bg is not None:
            attach_background(self.hubs, self.bg.jobs)

    # -- hubs -----------------------------------------------------------------
    def admit(self, hub: HubState, ids: IntArray, t: FloatArray) -> None:
        """Yard admission of boxes arriving from outside, in time order, then the gate."""
        alt = hub.admit(ids, t, self.teu, self.road_alt if self.divert else None, self.route)
        if alt.size:
            self.divert_to_road(alt)

    def divert_to_road(self, ids: IntArray) -> None:
        """Re-plan boxes onto their road alternative from their origin arrival time."""
        self.diverted[ids] = True
        self.route[ids] = self.road_alt[self.route[ids]]
        self.pos[ids] = 0
        self.leg_dep[ids] = np.nan
        self.visit_start[ids] = np.nan
        self.handling[ids] = np.nan
        self.visit_wait[ids] = np.nan
        self.nvis[ids] = 0
        rest, _, _ = self.road_until_hub(ids, self.arr.time_h[ids].astype(np.float64))
        if rest.size:
            raise ValueError("a road alternative route contains a service leg")

    def advance(self, hub: HubState, now: float) -> None:
        """Bring the hub up to ``now``: admissions, gate and handling of jobs <= now."""
        stop = int(hub.exo_t.searchsorted(now, side="right"))
        if hub.road_pending:
            ids = np.concatenate(
                [hub.exo_id[hub.exo_next : stop], *[a for a, _ in hub.road_pending]]
            )
            t = np.concatenate([hub.exo_t[hub.exo_next : stop], *[b for _, b in hub.road_pending]])
            due = t <= now
            hub.road_pending = [(ids[~due], t[~due])] if not due.all() else []
            ids, t = ids[due], t[due]
            order = np.argsort(t, kind="stable")
            self.admit(hub, ids[order], t[order])
        elif stop > hub.exo_next:
            self.admit(hub, hub.exo_id[hub.exo_next : stop], hub.exo_t[hub.exo_next : stop])
        hub.exo_next = stop
        bg = hub.background_due(now) if self.bg is not None else None
        if not hub.jobs_pending:
            if bg is not None:
                self.handle_jobs(hub, _EMPTY_I, _EMPTY_F, bg)
            return
        if len(hub.jobs_pending) == 1:
            ids, t = hub.jobs_pending[0]
        else:
            ids = np.concatenate([a for a, _ in hub.jobs_pending])
            t = np.concatenate([b for _, b in hub.jobs_pending])
        order = t.argsort(kind="stable")
        ids, t = ids[order], t[order]
        cut = int(t.searchsorted(now, side="right"))
        hub.jobs_pending = [(ids[cut:], t[cut:])] if cut < ids.size else []
        if cut or bg is not None:
            self.handle_jobs(hub, ids[:cut], t[:cut], bg)

    def handle_jobs(
        self,
        hub: HubState,
        jobs: IntArray,
        t: FloatArray,
        bg: tuple[FloatArray, FloatArray, IntArray] | None = None,
    ) -> None:
        """Serve load and unload moves (in arrival order) in the hub's pool.

        ``jobs`` holds box ids for load moves and ``~id`` (negative) for unload moves;
        ``bg`` the background jobs due (arrival, handling, reference), served FIFO
        among them (traced first at a tie).
        """
        unload = jobs < 0
        any_unload = bool(unload.any())
        ids = np.where(unload, ~jobs, jobs) if any_unload else jobs
        col = self.nvis[ids]
        handling = self.handling[ids, col]
        if bg is None or self.bg is None:
            start = hub.pool.serve(t, handling, check=False)
        else:
            start = self.bg.serve(hub, t, handling, bg)
            if not t.size:
                return
        self.visit_start[ids, col] = start
        self.visit_wait[ids, col] = start - t
        self.nvis[ids] = col + 1
        end = start + handling
        if any_unload:
            if unload.all():
                self.after_unload(hub, ids, end)
                return
            self.after_unload(hub, ids[unload], end[unload])
            load = ~unload
            ids, end = ids[load], end[load]
        self.load_moves(hub, ids, end)

    def load_moves(self, hub: HubState, ids: IntArray, ready: FloatArray) -> None:
        """Boxes whose load move ends at ``ready`` wait in the yard for their departure."""
        if hub.services.size == 1:
            self.buffers[int(hub.services[0])].append((ids, ready))
            return
        k = self.leg_index[self.leg_start[self.route[ids]] + self.pos[ids]]
        for svc in hub.services.tolist():
            mine = k == svc
            if mine.any():
                self.buffers[svc].append((ids[mine], ready[mine]))

    # -- vehicles -------------------------------------------------------------
    def depart(self, k: int, now: float, capacity_teu: float, j: int) -> IntArray:
        """Load departure ``j`` of service ``k`` at ``now``; return the boxes in load order."""
        hub = self.hubs[self.svc_origin[k]]
        self.advance(hub, now)
        chunks = self.buffers[k]
        loaded = _EMPTY_I
        bg_teu = 0.0
        lots = self.bg is not None and bool(self.bg.lots[k])
        if chunks or lots:
            if len(chunks) == 1:
                ids, ready = chunks[0]
            else:
                ids = np.concatenate([a for a, _ in chunks]) if chunks else _EMPTY_I
                ready = np.concatenate([b for _, b in chunks]) if chunks else _EMPTY_F
            order = ready.argsort(kind="stable")
            ids, ready = ids[order], ready[order]
            eligible = int((ready + self.svc_cutoff[k]).searchsorted(now, "right"))
            if lots:
                assert self.bg is not None
                teu_f = self.teu[ids].astype(np.float64)
                n_load, bg_teu = self.bg.fill(k, now, capacity_teu, ready, teu_f)
            else:
                teu = self.teu[ids[:eligible]].cumsum()
                n_load = int(teu.searchsorted(capacity_teu, "right"))
            loaded = ids[:n_load]
            if eligible > n_load:
                self.left_behind[ids[n_load:eligible]] += 1
            self.buffers[k] = [(ids[n_load:], ready[n_load:])] if n_load < ids.size else []
        load_teu = 0.0
        if loaded.size:
            self.leg_dep[loaded, self.pos[loaded]] = now
            load_teu = float(self.teu[loaded].sum())
            if not hub.unlimited:
                hub.occupancy_teu -= load_teu
        if hub.held:
            hub.release_held(self.teu, self.yard_hold, now)
        arrival = now + self.net.services.trip_time_h(k, now)
        mass_t = float(self.mass_t[loaded].sum()) if loaded.size else 0.0
        boxes = loaded.size if self.one_box else int(self.arr.boxes[loaded].sum())
        shown_h = arrival if arrival < self.horizon_h else np.nan
        self.trips.append((k, now, shown_h, load_teu, mass_t, boxes, capacity_teu))
        if self.bg is not None:
            destination = self.hubs[int(self.net.services.destination[k])]
            self.bg.trip(k, j, arrival, bg_teu, destination)
        return loaded

    def arrive(self, k: int, now: float, ids: IntArray) -> None:
        """Unload a trip of service ``k`` at an eager hub at ``now`` (its arrival event)."""
        hub = self.hubs[int(self.net.services.destination[k])]
        if ids.size:
            hub.jobs_pending.append((~ids, np.full(ids.size, now)))
        self.advance(hub, now)

    def after_unload(self, hub: HubState, ids: IntArray, end: FloatArray) -> None:
        """Boxes unloaded at ``end`` go on: by road (delivered later) or by service."""
        r = self.route[ids]
        p = self.pos[ids] + 1
        self.pos[ids] = p
        later = self.plan.later_service[r, p]
        if not later.any():
            # Only road legs left: they need no event, so run them in batches.
            self.tail(ids, end)
            return
        g = self.leg_start[r] + np.minimum(p, self.plan.n_legs[r] - 1)
        onward = later & (self.leg_kind[g] == LEG_SERVICE)
        if onward.any():
            # Transshipment: the box stays in the hub's yard for its next departure.
            tid = ids[onward]
            if not hub.unlimited:
                hub.occupancy_teu += float(self.teu[tid].sum())
            hub.jobs_pending.append((tid, end[onward]))
        if not later.all():
            self.tail(ids[~later], end[~later])
        by_road = later & ~onward
        if by_road.any():
            hid, ht, hh = self.road_until_hub(ids[by_road], end[by_road])
            for h in np.unique(hh).tolist():
                m = hh == h
                self.hubs[h].road_pending.append((hid[m], ht[m]))

    def spawn(
        self, env: simpy.Environment, generator: Generator[simpy.events.Event, Any, None]
    ) -> None:
        """Start a SimPy process and remember its generator (closed after the run)."""
        self.generators.append(generator)
        env.process(generator)

    def service_process(
        self, env: simpy.Environment, k: int
    ) -> Generator[simpy.events.Event, Any, None]:
        """One SimPy process per service: its departures in timetable order."""
        services = self.net.services
        eager = int(services.destination[k]) in self.eager
        destination = self.hubs[int(services.destination[k])]
        for j, (dep, cap) in enumerate(
            zip(services.departures_h[k].tolist(), services.capacity_teu[k].tolist(), strict=True)
        ):
            if dep >= self.horizon_h:
                break
            if dep > env.now:
                yield env.timeout(dep - env.now)
            loaded = self.depart(k, env.now, cap, j)
            travel = services.trip_time_h(k, env.now)
            if eager:
                self.spawn(env, self.trip_process(env, k, travel, loaded))
            elif loaded.size:
                # The unload waits in the destination pool as a job due at the arrival.
                destination.jobs_pending.append((~loaded, np.full(loaded.size, env.now + travel)))

    def trip_process(
        self, env: simpy.Environment, k: int, travel_h: float, ids: IntArray
    ) -> Generator[simpy.events.Event, Any, None]:
        """One SimPy process per trip: travel, then unload at the destination."""
        yield env.timeout(travel_h)
        self.arrive(k, env.now, ids)

    # -- the run --------------------------------------------------------------
    def run(self) -> EngineResult:
        if compiled_path(self.net):  # pool jobs as events in time order (terminal_plain)
            (terminal := TerminalRun(self)).run()
            return terminal.finish(self.result())
        self.build_hubs()
        env = simpy.Environment()
        self.generators: list[Generator[simpy.events.Event, Any, None]] = []
        for k in range(self.net.services.n):
            self.spawn(env, self.service_process(env, k))
        env.run(until=self.horizon_h)
        # Close the processes still suspended at the horizon: this breaks the reference
        # cycle environment <-> process, so the run's arrays are freed without waiting
        # for the garbage collector.
        for generator in self.generators:
            generator.close()
        self.generators = []
        # Flush: everything that reached a hub before the horizon is handled.
        for hub in self.hubs:
            self.advance(hub, np.nextafter(self.horizon_h, -np.inf))
            for i, planned in hub.held:
                self.yard_hold[i] = self.horizon_h - planned
        self.tail(_EMPTY_I, _EMPTY_F, flush=True)
        return self.result()

    def tail(self, ids: IntArray, t: FloatArray, flush: bool = False) -> None:
        """Boxes with only road legs left from ``t`` [h], run in batches (no event waits)."""
        if ids.size:
            self.tails.append((ids, t))
            self.tail_boxes += ids.size
        if self.tails and (flush or self.tail_boxes >= _CHUNK):
            ids, t = (np.concatenate(x) for x in zip(*self.tails, strict=True))
            self.tails, self.tail_boxes = [], 0
            self.finish_by_road(ids, t)

    def result(self) -> EngineResult:
        """Assemble the result; events at or after the horizon become NaN (in place)."""
        records = Records(
            *(self.delivered_h, self.leg_dep, self.visit_start, self.visit_wait, self.handling),
            *(self.yard_hold, self.left_behind, self.diverted, self.trips),
        )
        result = engine_result(self.arr, self.plan, self.route, self.horizon_h, records)
        if self.bg is None:
            return result
        return dataclasses.replace(result, background=self.bg.result())


def run(network: CompiledNetwork, arrivals: Arrivals) -> EngineResult:
    """Simulate the network with the fast batched engine (clock in hours [h]).

    Deterministic: the same network and arrivals give the same result, bit for bit.
    All randomness comes in with ``arrivals`` (arrival times, routes, masses and the
    uniform draws ``handling_u`` that become handling times), so two variants run
    on the same arrivals differ only by their change (common random numbers).

    Parameters
    ----------
    network
        The compiled network (hubs, services with departures and capacities after
        disruptions, road links and closures, routes, horizon).
    arrivals
        The containers, sorted by arrival time [h].

    Returns
    -------
    EngineResult
        Per-container and per-trip arrays; events at or after ``horizon_h`` are NaN.
        ``arrival_h`` is ``arrivals.time_h`` itself (not a copy, to save memory).

    Raises
    ------
    ValueError
        If the routes are inconsistent (a service leg without its two visits),
        ``arrivals.handling_u`` has too few columns, or the network has a terminal
        model and ``arrivals.terminal`` is None.

    References
    ----------
    See the module docstring.
    """
    if arrivals.n > 1 and bool(np.any(np.diff(arrivals.time_h) < 0)):
        raise ValueError("arrivals.time_h must be sorted ascending")
    return _Engine(network, arrivals).run()
