"""The fast engine's state and result assembly (split from :mod:`freighthub.sim.engine`).

:class:`HubState` is the lazy state of one hub; :func:`eager_hubs` says which hubs
handle unloads at once; :class:`Records` holds the per-container records a run fills
in and :func:`engine_result` turns them into an :class:`EngineResult`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from freighthub.sim.arrays import BoolArray, FloatArray, Int8Array, IntArray
from freighthub.sim.background import BackgroundJobs
from freighthub.sim.cranes import HandlingPool
from freighthub.sim.network import (
    LEG_SERVICE,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    Trip,
    trip_arrays,
)
from freighthub.sim.plan import RoutePlan


@dataclass
class HubState:
    """Lazy state of one hub: arrival streams, yard, gate and handling pool."""

    index: int
    services: IntArray
    pool: HandlingPool
    gate: HandlingPool | None
    gate_time_h: float
    yard_capacity_teu: float
    exo_id: IntArray
    exo_t: FloatArray
    exo_next: int = 0
    road_pending: list[tuple[IntArray, FloatArray]] = field(default_factory=list)
    jobs_pending: list[tuple[IntArray, FloatArray]] = field(default_factory=list)
    held: deque[tuple[int, float]] = field(default_factory=deque)
    occupancy_teu: float = 0.0
    # Background jobs (:mod:`freighthub.sim.background`): the calls and lot loads of
    # this hub (arrival [h], handling [h], job index), and the unload jobs due here
    # (arrival [h], handling [h], ``~row`` of the unload table).
    bg_t: FloatArray = field(default_factory=lambda: np.empty(0))
    bg_s: FloatArray = field(default_factory=lambda: np.empty(0))
    bg_ref: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    bg_next: int = 0
    bg_pending: list[tuple[FloatArray, FloatArray, IntArray]] = field(default_factory=list)

    @property
    def unlimited(self) -> bool:
        return self.yard_capacity_teu == np.inf

    def admit(
        self, ids: IntArray, t: FloatArray, teu: Int8Array, road_alt: IntArray | None,
        route: IntArray,
    ) -> IntArray:  # fmt: skip
        """Yard admission of boxes arriving from outside, in time order, then the gate.

        ``teu`` and ``route`` are every box's TEU and route; ``road_alt`` the road
        alternative of each route under ``divert_road`` (``None`` under ``hold``).
        Returns the boxes to divert to their road alternative.
        """
        if ids.size == 0:
            return ids
        if self.unlimited:
            self.to_gate(ids, t)
            return ids[:0]
        box_teu = teu[ids]
        cap = self.yard_capacity_teu
        if not self.held and self.occupancy_teu + float(box_teu.sum()) <= cap:
            self.occupancy_teu += float(box_teu.sum())
            self.to_gate(ids, t)
            return ids[:0]
        keep_id: list[int] = []
        keep_t: list[float] = []
        alt: list[int] = []
        for i, ti, vi in zip(ids.tolist(), t.tolist(), box_teu.tolist(), strict=True):
            if not self.held and self.occupancy_teu + vi <= cap:
                self.occupancy_teu += vi
                keep_id.append(i)
                keep_t.append(ti)
            elif road_alt is not None and road_alt[route[i]] >= 0:
                alt.append(i)
            else:
                self.held.append((i, ti))
        if keep_id:
            self.to_gate(np.asarray(keep_id, dtype=np.int64), np.asarray(keep_t))
        return np.asarray(alt, dtype=np.int64)

    def release_held(self, teu: Int8Array, yard_hold_h: FloatArray, now: float) -> None:
        """Admit held boxes, first come first served, while the yard has room.

        ``teu`` is every box's TEU; each admitted box's hold [h] goes into
        ``yard_hold_h``.
        """
        ids: list[int] = []
        while self.held:
            i, planned = self.held[0]
            if self.occupancy_teu + teu[i] > self.yard_capacity_teu:
                break
            self.held.popleft()
            self.occupancy_teu += float(teu[i])
            yard_hold_h[i] = now - planned
            ids.append(i)
        if ids:
            self.to_gate(np.asarray(ids, dtype=np.int64), np.full(len(ids), now))

    def to_gate(self, ids: IntArray, t: FloatArray) -> None:
        """Boxes through the gate (if the hub has one) into the pending handling jobs."""
        if self.gate is not None:
            start = self.gate.serve(t, np.full(t.size, self.gate_time_h), check=False)
            t = start + self.gate_time_h
        self.jobs_pending.append((ids, t))

    def background_due(self, now: float) -> tuple[FloatArray, FloatArray, IntArray] | None:
        """The background jobs that reach the pool by ``now``, by arrival (calls and lot
        loads before unloads at a tie), or ``None``."""
        stop = int(self.bg_t.searchsorted(now, side="right")) if self.bg_t.size else 0
        a = self.bg_next
        self.bg_next = max(stop, a)
        pre = (self.bg_t[a:stop], self.bg_s[a:stop], self.bg_ref[a:stop]) if stop > a else None
        if self.bg_pending:
            t = np.concatenate([x[0] for x in self.bg_pending])
            due = t <= now
            if due.any():
                s = np.concatenate([x[1] for x in self.bg_pending])
                ref = np.concatenate([x[2] for x in self.bg_pending])
                self.bg_pending = [(t[~due], s[~due], ref[~due])] if not due.all() else []
                parts = ([pre] if pre is not None else []) + [(t[due], s[due], ref[due])]
                t = np.concatenate([x[0] for x in parts])
                order = t.argsort(kind="stable")
                return (
                    t[order],
                    np.concatenate([x[1] for x in parts])[order],
                    np.concatenate([x[2] for x in parts])[order],
                )
        return pre


@dataclass(frozen=True)
class Records:
    """The per-container records of one run [h], [-]: one row per container."""

    delivered_h: FloatArray
    leg_dep: FloatArray
    visit_start: FloatArray
    visit_wait: FloatArray
    handling: FloatArray
    yard_hold: FloatArray
    left_behind: IntArray
    diverted: BoolArray
    trips: list[Trip]


def eager_hubs(network: CompiledNetwork, plan: RoutePlan) -> set[int]:
    """Hubs whose unloads must be handled at the trip's arrival event.

    An unload normally waits, as a pending job with its arrival time, until the
    hub's pool is next advanced: nothing depends on it before then. That is not
    so where an unloaded box goes on by service from the same hub (it needs a
    load move in the same pool) or by road to another hub's service (that hub
    needs to know the box is coming): those hubs handle unloads at once.
    """
    routes = network.routes
    services = network.services
    eager: set[int] = set()
    for r in range(routes.n):
        n_legs = int(plan.n_legs[r])
        for p in range(n_legs - 1):
            g = int(routes.leg_start[r]) + p
            if routes.leg_kind[g] == LEG_SERVICE and plan.later_service[r, p + 1]:
                eager.add(int(services.destination[routes.leg_index[g]]))
    return eager


def engine_result(
    arrivals: Arrivals, plan: RoutePlan, route: IntArray, horizon_h: float, rec: Records
) -> EngineResult:
    """The engine's result from its records; events at or after the horizon become NaN.

    The record arrays are changed in place and handed on, not copied (memory).
    """
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
    if rec.visit_start.shape[1]:
        ready = rec.visit_start[:, 0] + rec.handling[:, 0]
        np.copyto(ready, nan, where=ready >= horizon)
    else:
        ready = np.full(arrivals.n, nan)
    first_leg = plan.first_service_leg.astype(np.int8)[route]  # (< max_legs; compact)
    common = int(np.bincount(first_leg).argmax()) if arrivals.n else 0
    departure = rec.leg_dep[:, common].copy() if rec.leg_dep.shape[1] else ready.copy()
    other = np.flatnonzero(first_leg != common)
    departure[other] = rec.leg_dep[other, first_leg[other]]
    road_only = plan.road_only[route]
    np.copyto(ready, arrival, where=road_only)
    np.copyto(departure, arrival, where=road_only)
    return EngineResult(
        arrival_h=arrival,
        route=route,
        ready_h=ready,
        departure_h=departure,
        delivered_h=rec.delivered_h,
        leg_departure_h=rec.leg_dep,
        visit_wait_h=rec.visit_wait,
        visit_handling_h=rec.handling,
        visit_start_h=rec.visit_start,
        yard_hold_h=rec.yard_hold,
        left_behind=rec.left_behind,
        diverted=rec.diverted,
        **trip_arrays(rec.trips),
    )


def attach_background(states: list[HubState], jobs: BackgroundJobs) -> None:
    """Give every hub its background calls and lot loads (sorted by arrival)."""
    for state in states:
        idx = np.flatnonzero(jobs.hub == state.index)
        state.bg_t = jobs.arrival_h[idx]
        state.bg_s = jobs.service_h[idx]
        state.bg_ref = idx


def hub_states(
    network: CompiledNetwork, parts: list[tuple[IntArray, FloatArray, IntArray]]
) -> list[HubState]:
    """Every hub's state with its exogenous stream.

    ``parts`` are chunks of ``(box ids, time [h], hub)`` of the boxes' first hub
    arrivals; each hub's stream is grouped by hub (stable sort), then by time.
    """
    hid = np.concatenate([x[0] for x in parts])
    ht = np.concatenate([x[1] for x in parts])
    hh = np.concatenate([x[2] for x in parts])
    parts.clear()  # free the chunks as the engine did
    # Group by hub (stable integer sort: a radix sort on int16), then by time within
    # each hub.
    key = hh.astype(np.int16) if network.n_hubs < 2**15 else hh
    order = key.argsort(kind="stable")
    cuts = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=network.n_hubs))])
    del key, hh
    hid, ht = hid[order], ht[order]
    del order
    for h in range(network.n_hubs):
        a, b = int(cuts[h]), int(cuts[h + 1])
        within = ht[a:b].argsort(kind="stable")
        hid[a:b] = hid[a:b][within]
        ht[a:b] = ht[a:b][within]
    hubs = network.hubs
    states: list[HubState] = []
    for h in range(network.n_hubs):
        lanes = int(hubs.gate_lanes[h])
        gate_time = float(hubs.gate_time_h[h])
        states.append(
            HubState(
                index=h,
                services=np.flatnonzero(network.services.origin == h),
                pool=HandlingPool(int(hubs.servers[h])),
                gate=HandlingPool(lanes) if lanes > 0 and gate_time > 0 else None,
                gate_time_h=gate_time,
                yard_capacity_teu=float(hubs.yard_capacity_teu[h]),
                exo_id=hid[cuts[h] : cuts[h + 1]],
                exo_t=ht[cuts[h] : cuts[h + 1]],
            )
        )
    return states
