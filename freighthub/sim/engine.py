"""The fast simulation engine: containers as arrays, pool jobs as compiled events.

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario.

:func:`run` is the one fast engine (issue #20). Containers are rows of numpy arrays,
never processes. Their road legs (trucks on demand, delayed by road closures) run
vectorised here (:meth:`_Engine.road_until_hub`, :meth:`_Engine.finish_by_road`,
:meth:`_Engine.divert_to_road`; with the compiled loop, the passes over all boxes run
compiled, :mod:`freighthub.sim.engine_boxes`, with these as their specification); everything at the hubs and on the services runs as
events in time order in :mod:`freighthub.sim.engine_terminal`, whose compiled loop
(:mod:`freighthub.sim.terminal_loop`) is what runs and whose Python loop is its
specification. A scenario without a terminal model runs there as an empty terminal
model (:func:`freighthub.sim.terminal_plain.plain_model`: every move in its hub's one
FIFO handling pool, the hub's gate lanes as its gate, no records kept). This module
also assembles the result (:class:`Records`, :func:`engine_result`).

The rules of a scenario without a terminal model:

- each hub has one FIFO handling pool and, if modelled, a FIFO gate pool;
- a departure takes the containers that are ready ``cutoff_h`` before it, FIFO by
  ready time, up to its capacity in TEU; the rest wait for the next departure
  (``left_behind`` counts the full departures a container was ready for). A cut-off
  as long as the headway or longer needs nothing special: a box simply catches the
  first departure at least ``cutoff_h`` after it is ready, a later one;
- a box arriving from outside is admitted to the yard if it fits; boxes that do not
  fit are held at the origin until a departure frees room, or take their road
  alternative (``yard_full_policy``).

:mod:`freighthub.sim.reference` is the one-process-per-container SimPy model of the
same rules, and the tests check that both agree box for box.

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

References
----------
``../shared/research/performance.md`` of the project: containers as array rows
instead of one SimPy process each, and the measured speed of that design.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from freighthub.sim import engine_terminal
from freighthub.sim.arrays import BoolArray, FloatArray, Int32Array, IntArray
from freighthub.sim.engine_background import BackgroundBook
from freighthub.sim.engine_terminal import TerminalRun
from freighthub.sim.network import (
    LEG_SERVICE,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    Trip,
    TripArrays,
    trip_arrays,
    visit_offsets,
)
from freighthub.sim.plan import RoutePlan, handling_rows_h, leg_offsets, road_departure_h

__all__ = ["RoutePlan", "handling_rows_h", "road_departure_h", "run"]  # re-exported from plan

_EMPTY_I = np.empty(0, dtype=np.int64)
_CHUNK = 500_000  # boxes per vectorised pass over many boxes (bounds temporaries)
_EMPTY_F = np.empty(0, dtype=np.float64)


@dataclass(frozen=True)
class Records:
    """The per-container records of one run [h], [-]: one row per container, and visit
    rows (``visit_start``, ``visit_wait``, ``handling``) laid out by ``voff``
    (:attr:`~freighthub.sim.network.EngineResult.visit_offset`), leg rows (``leg_dep``)
    by ``loff`` (:attr:`~freighthub.sim.network.EngineResult.leg_offset`)."""

    delivered_h: FloatArray
    leg_dep: FloatArray
    loff: IntArray
    visit_start: FloatArray
    visit_wait: FloatArray
    handling: FloatArray
    voff: IntArray
    yard_hold: FloatArray
    left_behind: IntArray | Int32Array
    diverted: BoolArray
    trips: list[Trip] | TripArrays


def engine_result(
    arrivals: Arrivals,
    plan: RoutePlan,
    route: IntArray | Int32Array,
    horizon_h: float,
    rec: Records,
    compiled: bool = False,
) -> EngineResult:
    """The engine's result from its records; events at or after the horizon become NaN.

    The record arrays are changed in place and handed on, not copied (memory). With
    ``compiled``, :func:`freighthub.sim.engine_boxes.result_pass` does the same in one
    compiled pass (these numpy passes are its specification).
    """
    trips = rec.trips if isinstance(rec.trips, dict) else trip_arrays(rec.trips)
    if compiled:
        from freighthub.sim.engine_boxes import result_pass  # (numba: only when compiled)

        ready, departure = np.empty(arrivals.n), np.empty(arrivals.n)
        result_pass(
            *(horizon_h, rec.voff, (rec.visit_start, rec.visit_wait, rec.handling)),
            *(rec.leg_dep, rec.loff, rec.delivered_h, route),
            (plan.first_service_leg, plan.road_only),
            *(arrivals.time_h, ready, departure),
        )
        return _result(arrivals, route, rec, ready, departure, trips)
    horizon = horizon_h
    nan = np.nan
    # Visits that started at or after the horizon did not happen; handling times
    # exist for every visit of the route, so blank those not started too.
    # (A visit's wait is NaN wherever its start is: both are written together.)
    # (np.putmask: the same as np.copyto(..., where=...), faster on these arrays.)
    late = ~(rec.visit_start < horizon)
    np.putmask(rec.visit_start, late, nan)
    np.putmask(rec.visit_wait, late, nan)
    np.putmask(rec.handling, late, nan)
    del late
    np.putmask(rec.leg_dep, rec.leg_dep >= horizon, nan)
    np.putmask(rec.delivered_h, rec.delivered_h >= horizon, nan)
    arrival = arrivals.time_h  # shared with the input, not copied (memory)
    # Ready = end of the first visit (the load move of the first service leg);
    # departure = departure of the first service leg.
    first = rec.voff[:-1]
    has = np.flatnonzero(rec.voff[1:] != first)
    ready = np.full(arrivals.n, nan)
    at = first[has]
    ready[has] = rec.visit_start[at] + rec.handling[at]
    del has, at
    np.copyto(ready, nan, where=ready >= horizon)
    first_leg = plan.first_service_leg[route]
    has = np.flatnonzero(rec.loff[1:] - rec.loff[:-1] > first_leg)
    departure = np.full(arrivals.n, nan) if rec.leg_dep.size else ready.copy()
    departure[has] = rec.leg_dep[rec.loff[has] + first_leg[has]]
    del has, first_leg
    road_only = plan.road_only[route]
    np.copyto(ready, arrival, where=road_only)
    np.copyto(departure, arrival, where=road_only)
    return _result(arrivals, route, rec, ready, departure, trips)


def _result(
    arrivals: Arrivals,
    route: IntArray | Int32Array,
    rec: Records,
    ready: FloatArray,
    departure: FloatArray,
    trips: TripArrays,
) -> EngineResult:
    return EngineResult(
        arrival_h=arrivals.time_h,  # shared with the input, not copied (memory)
        route=route,
        ready_h=ready,
        departure_h=departure,
        delivered_h=rec.delivered_h,
        leg_departure_h=rec.leg_dep,
        leg_offset=rec.loff,
        visit_wait_h=rec.visit_wait,
        visit_handling_h=rec.handling,
        visit_start_h=rec.visit_start,
        visit_offset=rec.voff,
        yard_hold_h=rec.yard_hold,
        left_behind=rec.left_behind,
        diverted=rec.diverted,
        **trips,
    )


class _Engine:
    """One run of the fast engine: the boxes' records and road legs (hubs and services:
    :class:`~freighthub.sim.engine_terminal.TerminalRun`)."""

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
        visits = (self.plan.visit_hub >= 0).sum(axis=1)  # per route
        self.voff = voff = visit_offsets(visits, arrivals.route)  # (visit rows, ragged)
        # The route travelled: the assigned one (int32), shared with the input unless a
        # diversion can change it (memory: 4 B/box; diverted boxes get their road
        # alternative in a copy).
        self.route = arrivals.route.astype(np.int32, copy=self.divert)
        self.pos = np.zeros(n, dtype=np.int16)
        self.nvis = np.zeros(n, dtype=np.int16)  # visits done = column of the next visit
        self.delivered_h = np.full(n, np.nan)
        self.loff = leg_offsets(network, arrivals.route)  # (leg rows, ragged)
        self.leg_dep = np.full(int(self.loff[-1]), np.nan)
        self.visit_start = np.full(int(voff[-1]), np.nan)
        self.visit_wait = np.full(int(voff[-1]), np.nan)
        self.yard_hold = np.zeros(n)
        # Full departures a box was ready for: at most one per departure of a timetable.
        self.left_behind = np.zeros(n, dtype=np.int32)
        n_deps = sum(int(d.size) for d in network.services.departures_h)
        if n_deps >= 2**31:
            raise ValueError(f"{n_deps} departures: at most 2**31 - 1 (int32 left_behind)")
        self.diverted = np.zeros(n, dtype=np.bool_)
        self.handling = handling_rows_h(network, arrivals, self.plan, voff)  # (visit rows)
        self.trips: list[Trip] = []
        self.trip_cols: TripArrays | None = None  # (the compiled loop's trips, as arrays)
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
            self.leg_dep[self.loff[ids] + p] = dep
            t = dep + self.road_time_h[link]
            self.pos[ids] = p + 1
        if not out_id:
            return _EMPTY_I, _EMPTY_F, _EMPTY_I
        return np.concatenate(out_id), np.concatenate(out_t), np.concatenate(out_h)

    def road_walk(self, ids: IntArray, t: FloatArray) -> tuple[IntArray, FloatArray, IntArray]:
        """:meth:`road_until_hub` in one compiled pass
        (:func:`freighthub.sim.engine_boxes.road_legs`): the same records; the boxes
        stopped at a hub in the order of ``ids``. ``ids`` and ``t`` are overwritten
        (pass arrays of your own)."""
        from freighthub.sim.engine_boxes import road_legs  # (numba: the compiled loop's)

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        t = np.ascontiguousarray(t, dtype=np.float64)
        hub = np.empty(ids.size, dtype=np.int64)
        c = self.net.road_closures
        closures = (c.link, c.start_h, c.end_h)
        m = road_legs(
            *(ids, t, self.route, self.pos, self._legs(), self.road_time_h, closures),
            *(self.leg_dep, self.delivered_h, t, hub),
        )
        return ids[:m], t[:m], hub[:m]

    def first_entries(self) -> tuple[FloatArray, IntArray, IntArray]:
        """Every box's road legs to its first hub (:meth:`road_walk` from the arrivals,
        :func:`~freighthub.sim.engine_boxes.first_legs`); the hub entries in the
        compiled loop's order, by time then box: (time [h], box, hub), box and hub int32."""
        from freighthub.sim.engine_boxes import entry_stream, first_legs  # (numba)

        if self.n >= 2**31:
            raise ValueError(f"{self.n} boxes: at most 2**31 - 1 (int32 box ids)")
        c = self.net.road_closures
        t, ids, hub = first_legs(
            *(self.arr.time_h, self.route, self.pos, self._legs(), self.road_time_h),
            *((c.link, c.start_h, c.end_h), self.leg_dep, self.delivered_h, self.plan.road_only),
        )
        return entry_stream(ids, t, hub)  # (ids ascend: by time, then box)

    def _legs(self) -> tuple[IntArray, ...]:
        """The routes' legs as the compiled passes take them."""
        return (
            *(self.leg_start, self.plan.n_legs, self.leg_kind, self.leg_index, self.leg_from),
            self.loff,
        )

    def finish_by_road(self, ids: IntArray, t: FloatArray) -> None:
        """Run the final road legs of boxes that need no more hubs."""
        if ids.size > _CHUNK:  # (in passes: bounded temporaries; each box's legs are its own)
            for a in range(0, ids.size, _CHUNK):
                self.finish_by_road(ids[a : a + _CHUNK], t[a : a + _CHUNK])
            return
        if self.net.road_closures.link.size == 0:
            r, p = self.route[ids], self.pos[ids]
            if bool((p == self.plan.n_legs[r] - 1).all()):
                # The common case: one last-mile road leg, no closures.
                link = self.leg_index[self.leg_start[r] + p]
                self.leg_dep[self.loff[ids] + p] = t
                self.delivered_h[ids] = t + self.road_time_h[link]
                return
        self.road_until_hub(ids, t)

    def divert_to_road(self, ids: IntArray) -> None:
        """Re-plan boxes onto their road alternative from their origin arrival time."""
        if self.route is self.arr.route:  # (shared with the input when not diverting)
            raise ValueError("divert_to_road: the network's yard_full_policy is not divert_road")
        self.diverted[ids] = True
        self.route[ids] = self.road_alt[self.route[ids]]
        self.pos[ids] = 0
        for i in ids.tolist():  # (their leg and visit rows; few boxes at a time)
            self.leg_dep[int(self.loff[i]) : int(self.loff[i + 1])] = np.nan
            a, b = int(self.voff[i]), int(self.voff[i + 1])
            self.visit_start[a:b] = self.handling[a:b] = self.visit_wait[a:b] = np.nan
        self.nvis[ids] = 0
        rest, _, _ = self.road_until_hub(ids, self.arr.time_h[ids].astype(np.float64))
        if rest.size:
            raise ValueError("a road alternative route contains a service leg")

    # -- the run --------------------------------------------------------------
    def run(self) -> EngineResult:
        """Pool jobs as events in time order in the compiled loop (engine_terminal)."""
        (terminal := TerminalRun(self)).run()
        return terminal.finish(self.result())

    def result(self) -> EngineResult:
        """Assemble the result; events at or after the horizon become NaN (in place)."""
        records = Records(
            self.delivered_h,
            self.leg_dep,
            self.loff,
            *(self.visit_start, self.visit_wait, self.handling),
            self.voff,
            *(self.yard_hold, self.left_behind, self.diverted),
            self.trips if self.trip_cols is None else self.trip_cols,
        )
        compiled = engine_terminal.COMPILED
        result = engine_result(self.arr, self.plan, self.route, self.horizon_h, records, compiled)
        if self.bg is None:
            return result
        return dataclasses.replace(result, background=self.bg.result())


def run(network: CompiledNetwork, arrivals: Arrivals) -> EngineResult:
    """Simulate the network with the fast engine (clock in hours [h]).

    Deterministic: the same network and arrivals give the same result, bit for bit.
    All randomness comes in with ``arrivals`` (arrival times, routes, masses and the
    uniform draws ``visit_handling_u`` that become handling times), so two variants run
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
        ``arrivals.visit_handling_u`` is laid out for other routes, or the network has a terminal
        model and ``arrivals.terminal`` is None.

    References
    ----------
    See the module docstring.
    """
    if arrivals.n > 1 and bool(np.any(np.diff(arrivals.time_h) < 0)):
        raise ValueError("arrivals.time_h must be sorted ascending")
    return _Engine(network, arrivals).run()
