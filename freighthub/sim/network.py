"""The compiled network: the contract between scenario loading and the simulation engines.

CHANGES (additive only; the engine helper polls this header)
-------------------------------------------------------------
- v1 (first commit): CompiledNetwork (HubArrays, ServiceArrays, RoadLinkArrays,
  RouteArrays, DemandArrays, RoadClosures), Arrivals, EngineResult,
  handling_time_h(), mode codes, leg/visit kinds, Engine protocol.
- v1.1: no field changes. The scenario compiler lives in ``freighthub.sim.compiler``
  (``compile_network(loaded)``), not here, so this module imports nothing from
  ``freighthub.model``. Demand: ``freighthub.sim.demand.generate_arrivals(network,
  seed, replication)``.
- v1.3: background traffic (:mod:`freighthub.sim.background`), all optional and
  ``None`` without it: ``CompiledNetwork.background``, ``Arrivals.background``,
  ``EngineResult.background``.
- v1.4: terminal operations (:mod:`freighthub.sim.terminal`), all optional and
  ``None`` without it: ``CompiledNetwork.terminal``, ``Arrivals.terminal``,
  ``EngineResult.terminal``.
- v1.2: ``RoadLinkArrays.ids`` (optional, default ``()``): scenario id per directed
  link, for per-leg results. (sim-inputs apologises: a ``ruff format freighthub/sim/`` at
  01:57 UTC also reformatted engine.py; formatting only, no code change.)
- v1.5 (issue #20, memory; not additive): ``EngineResult.visit_wait_h``,
  ``visit_handling_h`` and ``visit_start_h`` are ragged visit rows (only the visits a
  route has) located by the new ``EngineResult.visit_offset``; ``visit_column`` /
  ``visit_matrix`` give a column or the old ``(n, max_visits)`` matrix.
- v1.6 (issue #20, memory; not additive): ``Arrivals.handling_u`` (``(n, max_visits)``)
  is replaced by the ragged ``Arrivals.visit_handling_u`` (same values where a route
  has the visit) and ``Arrivals.visits_per_route``; ``Arrivals.visit_offset`` locates it.
- v1.7 (issue #20, memory; not additive): ``EngineResult.leg_departure_h`` is ragged leg
  rows located by the new ``EngineResult.leg_offset``; ``leg_column`` / ``leg_matrix``.
  ``handling_time_h`` moved to :mod:`freighthub.sim.plan` (module size).

Everything here is plain numbers in numpy arrays, built once by
:func:`freighthub.sim.compiler.compile_network` (from a validated scenario and its
hubs) or directly by a test or benchmark. The engines (``freighthub.sim.engine``
and ``freighthub.sim.reference``) consume a :class:`CompiledNetwork` and an
:class:`Arrivals` table and return an :class:`EngineResult`; they never see TOML,
pydantic models or file paths.

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario
(00:00 on 1 January of a 365-day year, so month ``m`` starts at the sum of the
lengths of the months before it in hours). Statistics exclude ``t < warmup_h``.

Conventions
-----------
- Nodes are hubs and zones (door-to-door origins and destinations). Node indices
  ``0 .. n_hubs-1`` are the hubs in the order of :attr:`HubArrays.ids`; indices
  ``n_hubs ..`` are the zones. So ``node < n_hubs`` means "this node is a hub".
- A *container* (row of :class:`Arrivals`) is one box: ``teu`` is 1 (20') or 2 (40').
- A *route* is a sequence of legs. A leg is either a road leg (truck on demand over
  a road link) or a service leg (a departure of a timetabled train or barge
  service). Every service leg has one handling move (*visit*) at its origin hub
  (load) and one at its destination hub (unload); road legs have none. The visits
  of a route are numbered ``k = 0, 1, ...`` in journey order.
- Randomness: the engine draws nothing itself. Demand (``freighthub.sim.demand``)
  pre-draws ``Arrivals.visit_handling_u`` ~ U(0, 1) for the k-th visit of container
  i (ragged visit rows); the engine turns it into a handling time with
  :func:`freighthub.sim.plan.handling_time_h`. So
  a baseline and a variant with the same seed see the same random numbers
  (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

import numpy as np

from freighthub.sim.arrays import (
    LEG_ROAD,
    LEG_SERVICE,
    SERVICE_DISTRIBUTIONS,
    VISIT_LOAD,
    VISIT_UNLOAD,
    BoolArray,
    DemandArrays,
    FloatArray,
    HubArrays,
    Int8Array,
    Int32Array,
    IntArray,
    RoadClosures,
    RoadLinkArrays,
    RouteArrays,
    ServiceArrays,
    _check_len,
    mode_code,
    mode_codes,
)
from freighthub.sim.background import BackgroundArrays, BackgroundJobs, BackgroundResult
from freighthub.sim.terminal import TerminalArrays, TerminalDraws, TerminalRecords

__all__ = [
    "LEG_ROAD",
    "LEG_SERVICE",
    "SERVICE_DISTRIBUTIONS",
    "VISIT_LOAD",
    "VISIT_UNLOAD",
    "Arrivals",
    "CompiledNetwork",
    "DemandArrays",
    "Engine",
    "EngineResult",
    "HubArrays",
    "RoadClosures",
    "RoadLinkArrays",
    "RouteArrays",
    "ServiceArrays",
    "Trip",
    "mode_code",
    "mode_codes",
    "service_headway_h",
    "trip_arrays",
    "visit_column",
    "visit_offsets",
    "visit_rows",
]


def service_headway_h(
    departures_h: FloatArray, capacity_teu: FloatArray, horizon_h: float
) -> float:
    """The headway of a service: the mean time between its running departures [h].

    The one definition used by the LP (:mod:`freighthub.optimize.from_scenario`), the
    mode choice (:mod:`freighthub.shift.attributes`) and the simulation compiler
    (:meth:`CompiledNetwork.headway_h`): ``(last - first) / (n - 1)`` over the ``n``
    departures in the horizon that run, i.e. have capacity > 0. A cancelled departure
    (closed by a disruption, capacity 0) carries no box, so it does not count: a
    closure lengthens the headway. A departure with reduced capacity still runs.
    With fewer than two running departures the headway is the horizon. For an
    evenly spaced timetable without cancellations this is the spacing
    ``HOURS_PER_WEEK / departures_per_week`` (see ``docs/gotchas.md``).

    Parameters
    ----------
    departures_h
        Sorted departure times in the horizon [h].
    capacity_teu
        Capacity of each departure [TEU], same length.
    horizon_h
        Simulated time [h].
    """
    running = departures_h[capacity_teu > 0]
    if running.size >= 2:
        return float((running[-1] - running[0]) / (running.size - 1))
    return float(horizon_h)


@dataclass(frozen=True)
class CompiledNetwork:
    """Everything an engine needs, as arrays (see the module docstring for conventions).

    Attributes
    ----------
    scenario_id
        Id of the scenario it was compiled from.
    horizon_h
        Simulated time [h]; arrivals fall in ``[0, horizon_h)``.
    warmup_h
        Statistics exclude containers that arrive before ``warmup_h`` [h].
    yard_full_policy
        What happens when the origin hub's yard is full: ``"hold"`` (the container
        waits at the origin until there is room) or ``"divert_road"`` (it takes the
        route's ``road_alternative``, flagged ``diverted``; held if there is none).
    node_ids
        Ids of all nodes: hubs, then zones.
    node_lon_deg, node_lat_deg
        Node positions [deg, WGS84].
    hubs, services, road, routes, demand, road_closures
        The parts, see their classes.
    input_sha256
        Input file path -> SHA-256 hex digest (scenario and hub files), for the
        reproducibility manifest.
    background
        Background flows (not traced), or ``None`` without any.
    terminal
        The terminal model (:mod:`freighthub.sim.terminal`: equipment pools by task,
        shifts, breakdowns, loading windows), or ``None`` without one.
    """

    scenario_id: str
    horizon_h: float
    warmup_h: float
    yard_full_policy: str
    node_ids: tuple[str, ...]
    node_lon_deg: FloatArray
    node_lat_deg: FloatArray
    hubs: HubArrays
    services: ServiceArrays
    road: RoadLinkArrays
    routes: RouteArrays
    demand: DemandArrays
    road_closures: RoadClosures
    input_sha256: Mapping[str, str] = field(default_factory=dict)
    background: BackgroundArrays | None = None
    terminal: TerminalArrays | None = None

    @property
    def n_hubs(self) -> int:
        """Number of hubs (= the first node index that is a zone)."""
        return self.hubs.n

    def headway_h(self, k: int) -> float:
        """Headway of service ``k`` [h] (:func:`service_headway_h`)."""
        return service_headway_h(
            self.services.departures_h[k], self.services.capacity_teu[k], self.horizon_h
        )

    def __post_init__(self) -> None:
        if not 0 <= self.warmup_h < self.horizon_h:
            raise ValueError(
                f"warmup_h = {self.warmup_h}: must be >= 0 and < horizon_h = {self.horizon_h}"
            )
        if self.yard_full_policy not in ("hold", "divert_road"):
            raise ValueError(
                f"yard_full_policy = {self.yard_full_policy!r}: must be hold or divert_road"
            )
        if tuple(self.node_ids[: self.hubs.n]) != self.hubs.ids:
            raise ValueError("node_ids must start with the hub ids in hub order")


@dataclass(frozen=True)
class Arrivals:
    """Containers entering the network, one row per box, sorted by ``time_h``.

    Produced by ``freighthub.sim.demand.generate_arrivals``; every engine consumes it
    unchanged.

    Attributes
    ----------
    time_h
        Arrival at the door-to-door origin [h], sorted ascending.
    od
        OD index.
    route
        Assigned route index (by the route shares).
    boxes
        Boxes in the row [-]; always 1 from ``demand.py`` (kept for batch inputs).
    teu
        TEU of the row [TEU]: 1 (20') or 2 (40').
    mass_t
        Gross mass carried: cargo plus tare [t].
    loaded
        True if the box carries cargo.
    visit_handling_u
        Visit rows (ragged, see :attr:`visit_offset`): the U(0, 1) draw of each handling
        visit of the container's assigned route, in journey order; container ``i``'s
        visit ``k`` is row ``visit_offset[i] + k``. Only the visits a route has are
        stored (memory, issue #20; :mod:`freighthub.sim.arrival_rows`).
    visits_per_route
        Shape ``(n_routes,)``: handling visits of each route [-] (the layout of
        ``visit_handling_u``; ``diff(RouteArrays.visit_start)`` of the network drawn for).
    background
        The replication's background jobs, or ``None`` without background.
    terminal
        The replication's terminal draws (:class:`~freighthub.sim.terminal.TerminalDraws`),
        or ``None`` without a terminal model.
    """

    time_h: FloatArray
    od: Int32Array
    route: Int32Array
    boxes: Int8Array
    teu: Int8Array
    mass_t: FloatArray
    loaded: BoolArray
    visit_handling_u: FloatArray
    visits_per_route: IntArray
    background: BackgroundJobs | None = None
    terminal: TerminalDraws | None = None

    @property
    def n(self) -> int:
        """Number of rows (containers)."""
        return int(self.time_h.shape[0])

    @property
    def visit_offset(self) -> IntArray:
        """Shape ``(n + 1,)``: where each container's rows of ``visit_handling_u`` start
        (:func:`visit_offsets`; computed on each call, not stored)."""
        return visit_offsets(self.visits_per_route, self.route)

    def __post_init__(self) -> None:
        n = self.n
        for name in ("od", "route", "boxes", "teu", "mass_t", "loaded"):
            _check_len(f"arrivals.{name}", getattr(self, name), n)
        rows = int(np.sum(self.visits_per_route[self.route], dtype=np.int64))
        _check_len("arrivals.visit_handling_u", self.visit_handling_u, rows)


@dataclass(frozen=True)
class EngineResult:
    """What an engine returns: per-container and per-trip arrays (times in [h]).

    Per-container arrays are aligned with the :class:`Arrivals` rows. ``NaN`` marks
    an event that did not happen before ``horizon_h`` (the container is still in
    the system). Nothing here is filtered by warm-up; ``freighthub.sim.summary``
    does that.

    Attributes
    ----------
    arrival_h
        Arrival at the origin (``Arrivals.time_h``; the fast engine shares it, not a copy).
    route
        Route actually travelled (differs from ``Arrivals.route`` when diverted). The
        fast engine gives int32, ``Arrivals.route`` itself (not a copy, memory) when the
        network cannot divert (``yard_full_policy`` other than ``"divert_road"``).
    ready_h
        When the container was ready for its first service departure (after the
        first road leg and the load move at the first hub); equal to ``arrival_h``
        for road-only routes.
    departure_h
        Departure of the first service leg (``arrival_h`` for road-only routes).
    delivered_h
        Arrival at the destination door; ``NaN`` if not delivered by the horizon.
    leg_departure_h
        Leg rows (ragged, see ``leg_offset``): departure time of each leg of the route
        travelled [h]; ``NaN`` for legs not started and unused rows.
    leg_offset
        Shape ``(n + 1,)``: container ``i``'s leg ``k`` is row ``leg_offset[i] + k`` of
        ``leg_departure_h``; the rows are fixed by the *assigned* route: its legs, or
        those of its road alternative if more and the network can divert (a diverted
        container's road legs are written from row 0). :meth:`leg_column` and
        :meth:`leg_matrix` give one leg or the old ``(n, max_legs)`` layout.
    visit_wait_h
        Visit rows (ragged, see ``visit_offset``): queueing wait before each handling
        visit (FIFO pool of the visit's hub), ``NaN`` where not reached.
    visit_handling_h
        Visit rows: handling (service) time of each visit.
    visit_start_h
        Visit rows: start of service of each visit.
    visit_offset
        Shape ``(n + 1,)``: container ``i``'s visit ``k`` is row ``visit_offset[i] + k``
        of the three ``visit_*_h`` arrays, for ``k`` below the number of visits of its
        *assigned* route (``Arrivals.route``; a diverted container keeps its rows, all
        ``NaN``). Only the visits a route has are stored (memory, issue #20); use
        :meth:`visit_column` or :meth:`visit_matrix` for one column or the old
        ``(n, max_visits)`` layout.
    yard_hold_h
        Time held at the origin because the yard was full [h] (0 if never held).
    left_behind
        Number of departures that were full when the container was ready for them
        (int32 from the fast engine).
    diverted
        True if the container was moved to its road alternative.
    trip_service
        Per service trip (departure), its service index.
    trip_departure_h, trip_arrival_h
        Departure and arrival of each trip.
    trip_teu, trip_mass_t, trip_boxes
        Load of each trip [TEU], [t], [-].
    trip_capacity_teu
        Capacity offered by each departure [TEU] (after disruptions).
    background
        Background jobs' starts and per-trip background TEU, or ``None`` without
        background (``trip_teu`` and ``trip_boxes`` count traced boxes only).
    terminal
        Every pool job and yard change (:class:`~freighthub.sim.terminal.TerminalRecords`),
        or ``None`` without a terminal model.
    """

    arrival_h: FloatArray
    route: IntArray | Int32Array
    ready_h: FloatArray
    departure_h: FloatArray
    delivered_h: FloatArray
    leg_departure_h: FloatArray
    leg_offset: IntArray
    visit_wait_h: FloatArray
    visit_handling_h: FloatArray
    visit_start_h: FloatArray
    visit_offset: IntArray
    yard_hold_h: FloatArray
    left_behind: IntArray | Int32Array
    diverted: BoolArray
    trip_service: IntArray
    trip_departure_h: FloatArray
    trip_arrival_h: FloatArray
    trip_teu: FloatArray
    trip_mass_t: FloatArray
    trip_boxes: IntArray
    trip_capacity_teu: FloatArray
    background: BackgroundResult | None = None
    terminal: TerminalRecords | None = None

    @property
    def max_visits(self) -> int:
        """The most visits any container's row holds [-]."""
        return int(np.diff(self.visit_offset).max()) if self.visit_offset.size > 1 else 0

    def visit_column(self, rows: FloatArray, k: int) -> FloatArray:
        """Visit ``k`` of every container from visit rows (``visit_*_h``), shape ``(n,)``;
        ``NaN`` where the container's row has no visit ``k``."""
        return visit_column(rows, self.visit_offset, k)

    def visit_matrix(self, rows: FloatArray) -> FloatArray:
        """Visit rows as a ``(n, max_visits)`` matrix, ``NaN`` where there is no visit."""
        return _matrix(rows, self.visit_offset)

    @property
    def max_legs(self) -> int:
        """The most legs any container's row holds [-]."""
        return int(np.diff(self.leg_offset).max()) if self.leg_offset.size > 1 else 0

    def leg_column(self, k: int) -> FloatArray:
        """Departure of leg ``k`` of every container [h], shape ``(n,)``; ``NaN`` where
        the container's row has no leg ``k`` or the leg was not started."""
        return visit_column(self.leg_departure_h, self.leg_offset, k)

    def leg_matrix(self) -> FloatArray:
        """``leg_departure_h`` as a ``(n, max_legs)`` matrix [h], ``NaN`` where no leg."""
        return _matrix(self.leg_departure_h, self.leg_offset)


def _matrix(rows: FloatArray, offset: IntArray) -> FloatArray:
    """Ragged ``rows`` laid out by ``offset`` as a matrix, ``NaN`` where a row has no cell."""
    width = int(np.diff(offset).max()) if offset.size > 1 else 0
    out = np.full((offset.size - 1, width), np.nan)
    for k in range(width):
        out[:, k] = visit_column(rows, offset, k)
    return out


def visit_offsets(visits_per_route: IntArray, route: IntArray | Int32Array) -> IntArray:
    """Where each container's visit rows start: ``(n + 1,)`` int64 offsets.

    Container ``i`` gets ``visits_per_route[route[i]]`` rows (its assigned route's
    handling visits), in container order. Both engines use this one layout.
    """
    out = np.zeros(route.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.asarray(visits_per_route, dtype=np.int64)[route], out=out[1:])
    return out


def visit_column(rows: FloatArray, offset: IntArray, k: int) -> FloatArray:
    """Visit ``k`` of every container from visit ``rows`` laid out by ``offset``
    (:func:`visit_offsets`): shape ``(n,)``, ``NaN`` where a row has no visit ``k``."""
    first = offset[:-1]
    has = np.flatnonzero(offset[1:] - first > k)
    out = np.full(first.shape[0], np.nan)
    out[has] = rows[first[has] + k]
    return out


def visit_rows(matrix: FloatArray, offset: IntArray) -> FloatArray:
    """A ``(n, max_visits)`` matrix as visit rows laid out by ``offset`` (the cells a
    container's row has; the others are dropped)."""
    counts = np.diff(offset)
    box = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    col = np.arange(box.size, dtype=np.int64) - offset[box]
    return np.ascontiguousarray(matrix[box, col], dtype=np.float64)


#: One service trip as an engine records it: ``(service, departure_h, arrival_h, teu,
#: mass_t, boxes, capacity_teu)`` in [-], [h], [h], [TEU], [t], [-], [TEU].
Trip = tuple[int, float, float, float, float, int, float]


class TripArrays(TypedDict):
    """The ``trip_*`` fields of an :class:`EngineResult`, by name."""

    trip_service: IntArray
    trip_departure_h: FloatArray
    trip_arrival_h: FloatArray
    trip_teu: FloatArray
    trip_mass_t: FloatArray
    trip_boxes: IntArray
    trip_capacity_teu: FloatArray


def trip_arrays(trips: Sequence[Trip]) -> TripArrays:
    """The ``trip_*`` fields of an :class:`EngineResult` from the trips an engine recorded."""
    return {
        "trip_service": np.asarray([x[0] for x in trips], dtype=np.int64),
        "trip_departure_h": np.asarray([x[1] for x in trips], dtype=np.float64),
        "trip_arrival_h": np.asarray([x[2] for x in trips], dtype=np.float64),
        "trip_teu": np.asarray([x[3] for x in trips], dtype=np.float64),
        "trip_mass_t": np.asarray([x[4] for x in trips], dtype=np.float64),
        "trip_boxes": np.asarray([x[5] for x in trips], dtype=np.int64),
        "trip_capacity_teu": np.asarray([x[6] for x in trips], dtype=np.float64),
    }


class Engine(Protocol):
    """The call signature every engine offers.

    ``freighthub.sim.engine.run`` and ``freighthub.sim.reference.run`` both match it.
    """

    def __call__(self, network: CompiledNetwork, arrivals: Arrivals) -> EngineResult: ...
