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
- v1.2: ``RoadLinkArrays.ids`` (optional, default ``()``): scenario id per directed
  link, for per-leg results. (sim-inputs apologises: a ``ruff format freighthub/sim/`` at
  01:57 UTC also reformatted engine.py; formatting only, no code change.)

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
  pre-draws ``Arrivals.handling_u[i, k]`` ~ U(0, 1) for the k-th visit of container
  i; the engine turns it into a handling time with :func:`handling_time_h`. So
  a baseline and a variant with the same seed see the same random numbers
  (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy import special

from freighthub.vocabulary import mode_ids

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
    "handling_time_h",
    "mode_code",
    "mode_codes",
    "service_headway_h",
    "trip_arrays",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


#: ``RouteArrays.leg_kind`` values.
LEG_ROAD = 0
LEG_SERVICE = 1

#: Kinds of handling visit (``RouteArrays.visit_kind``).
VISIT_LOAD = 0
VISIT_UNLOAD = 1

#: Service-time distributions a hub's handling pool may use (``HubArrays.service_distribution``).
#: ``exponential``: mean ``handling_time_h``; ``deterministic``: always the mean;
#: ``erlang``: Erlang-k with ``k = service_shape`` and the same mean.
SERVICE_DISTRIBUTIONS: tuple[str, ...] = ("exponential", "deterministic", "erlang")


def mode_codes() -> tuple[str, ...]:
    """Mode ids by integer code: the mode of a service, road link or route is stored as
    a small integer ``code`` with ``mode_codes()[code]`` its id (registry order of
    :data:`freighthub.vocabulary.MODE_FACTS`, read at each call)."""
    return mode_ids()


def mode_code(mode: str) -> int:
    """Integer code of a mode id (its position in :func:`mode_codes`)."""
    return mode_ids().index(mode)


def _check_len(name: str, array: npt.NDArray[np.generic], n: int) -> None:
    if array.shape[0] != n:
        raise ValueError(f"{name} has {array.shape[0]} rows, expected {n}")


@dataclass(frozen=True)
class HubArrays:
    """Hub resources, one entry per hub (index = hub index = node index).

    Attributes
    ----------
    ids
        Hub ids (file names in ``hubs/``).
    servers
        Number of handling servers (cranes, reach stackers ...) in the hub's one
        FIFO handling pool [-], >= 1.
    handling_time_h
        Mean time of one handling move (load or unload of one box) [h].
    service_distribution
        Name of the service-time distribution, one of :data:`SERVICE_DISTRIBUTIONS`.
    service_shape
        Shape k of the Erlang distribution [-]; 1 for the other distributions.
    yard_capacity_teu
        Yard capacity [TEU]; ``inf`` when not limited.
    gate_lanes
        Truck gate lanes [-] (a FIFO pool); 0 means the gate is not modelled.
    gate_time_h
        Deterministic time of one truck's gate transaction [h]; 0 when not modelled.
    handling_cost_cny_per_move
        Cost of one handling move [CNY per move].
    handling_intensity_id
        Emission-intensity id of a handling move at this hub (an id of the
        emissions module), or ``""`` when none is given.
    """

    ids: tuple[str, ...]
    servers: IntArray
    handling_time_h: FloatArray
    service_distribution: tuple[str, ...]
    service_shape: IntArray
    yard_capacity_teu: FloatArray
    gate_lanes: IntArray
    gate_time_h: FloatArray
    handling_cost_cny_per_move: FloatArray
    handling_intensity_id: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of hubs."""
        return len(self.ids)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in (
            "servers",
            "handling_time_h",
            "service_shape",
            "yard_capacity_teu",
            "gate_lanes",
            "gate_time_h",
            "handling_cost_cny_per_move",
        ):
            _check_len(f"hubs.{name}", getattr(self, name), n)
        for name in ("service_distribution", "handling_intensity_id"):
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"hubs.{name} has {len(getattr(self, name))} entries, expected {n}"
                )


@dataclass(frozen=True)
class ServiceArrays:
    """Timetabled services (trains, barges), one entry per service.

    The timetable is already expanded over ``[0, horizon_h)`` and disruptions are
    already applied: a cancelled departure keeps its time and has capacity 0.

    Attributes
    ----------
    ids
        Service ids from the scenario.
    mode
        Mode code per service (see :func:`mode_codes`).
    origin, destination
        Hub index of the origin and destination hub.
    departures_h
        Per service, the sorted departure times over the horizon [h].
    capacity_teu
        Per service, the capacity of each departure [TEU] (same length as its
        ``departures_h``), after disruptions.
    cutoff_h
        Cut-off: a container must be ready at the origin hub this long before a
        departure to be loaded on it [h].
    travel_time_h
        Departure to arrival at the destination hub [h].
    distance_km
        Leg distance [km] (network distance, for tkm and emissions).
    intensity_id
        Emission-intensity id of the service (an id of the emissions module).
    cost_cny_per_teu
        Variable cost per TEU carried over the whole leg [CNY/TEU].
    cost_cny_per_departure
        Fixed cost per departure (whether full or empty) [CNY].
    queue_wait_h
        Per service, the wait of each departure at locks or a border crossing [h], added
        to its travel time (empty tuple: none). Both engines read a departure's trip time
        through :meth:`trip_time_h`.
    """

    ids: tuple[str, ...]
    mode: IntArray
    origin: IntArray
    destination: IntArray
    departures_h: tuple[FloatArray, ...]
    capacity_teu: tuple[FloatArray, ...]
    cutoff_h: FloatArray
    travel_time_h: FloatArray
    distance_km: FloatArray
    intensity_id: tuple[str, ...]
    cost_cny_per_teu: FloatArray
    cost_cny_per_departure: FloatArray
    queue_wait_h: tuple[FloatArray, ...] = ()

    @property
    def n(self) -> int:
        """Number of services."""
        return len(self.ids)

    def trip_time_h(self, k: int, departure_h: float) -> float:
        """Departure to arrival of service ``k``'s departure at ``departure_h`` [h].

        The travel time plus that departure's wait at locks or a border crossing.
        """
        travel = float(self.travel_time_h[k])
        if not self.queue_wait_h:
            return travel
        j = int(np.searchsorted(self.departures_h[k], departure_h))
        return travel + float(self.queue_wait_h[k][j])

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in (
            "mode",
            "origin",
            "destination",
            "cutoff_h",
            "travel_time_h",
            "distance_km",
            "cost_cny_per_teu",
            "cost_cny_per_departure",
        ):
            _check_len(f"services.{name}", getattr(self, name), n)
        if (
            len(self.departures_h) != n
            or len(self.capacity_teu) != n
            or len(self.intensity_id) != n
        ):
            raise ValueError(
                "services: departures_h, capacity_teu, intensity_id need one entry per service"
            )
        for s, (dep, cap) in enumerate(zip(self.departures_h, self.capacity_teu, strict=True)):
            if dep.shape != cap.shape:
                raise ValueError(f"services[{s}]: departures_h and capacity_teu differ in length")
            if dep.size > 1 and np.any(np.diff(dep) < 0):
                raise ValueError(f"services[{s}]: departures_h must be sorted")
        if self.queue_wait_h and (
            len(self.queue_wait_h) != n
            or any(
                w.shape != d.shape
                for w, d in zip(self.queue_wait_h, self.departures_h, strict=True)
            )
        ):
            raise ValueError("services: queue_wait_h needs one wait per departure of each service")


@dataclass(frozen=True)
class RoadLinkArrays:
    """Road links between nodes (hubs or zones), served by trucks on demand.

    Attributes
    ----------
    origin, destination
        Node index of each end (a link is directed; the compiler adds both
        directions when the scenario says the link is two-way).
    distance_km
        Network distance [km].
    speed_kmh
        Mean truck speed [km/h].
    travel_time_h
        ``distance_km / speed_kmh`` [h].
    truck_capacity_teu
        TEU per truck [TEU]: 2 (one 40' or two 20') or 1.
    intensity_id
        Emission-intensity id of trucks on this link.
    cost_cny_per_teu
        Variable cost per TEU over the whole link [CNY/TEU].
    cost_cny_per_trip
        Cost per truck trip over the whole link [CNY].
    ids
        Scenario id of each directed link (both directions of a two-way link share
        it); may be empty when the arrays are built without names (benchmarks).
    """

    origin: IntArray
    destination: IntArray
    distance_km: FloatArray
    speed_kmh: FloatArray
    travel_time_h: FloatArray
    truck_capacity_teu: IntArray
    intensity_id: tuple[str, ...]
    cost_cny_per_teu: FloatArray
    cost_cny_per_trip: FloatArray
    ids: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of (directed) road links."""
        return int(self.origin.shape[0])

    def __post_init__(self) -> None:
        n = self.n
        for name in (
            "destination",
            "distance_km",
            "speed_kmh",
            "travel_time_h",
            "truck_capacity_teu",
            "cost_cny_per_teu",
            "cost_cny_per_trip",
        ):
            _check_len(f"road.{name}", getattr(self, name), n)
        if len(self.intensity_id) != n:
            raise ValueError("road.intensity_id needs one entry per link")
        if self.ids and len(self.ids) != n:
            raise ValueError("road.ids must be empty or have one entry per link")


@dataclass(frozen=True)
class RoadClosures:
    """Time windows in which a road link is closed (trucks wait for it to reopen).

    Attributes
    ----------
    link
        Road link index.
    start_h, end_h
        The closure lasts ``[start_h, end_h)`` [h].
    """

    link: IntArray
    start_h: FloatArray
    end_h: FloatArray


@dataclass(frozen=True)
class RouteArrays:
    """Route options per OD pair, their legs and their handling visits (flat, CSR).

    Legs of route ``r`` are ``leg_*[leg_start[r]:leg_start[r + 1]]`` in journey
    order; its handling visits are ``visit_*[visit_start[r]:visit_start[r + 1]]``.

    Attributes
    ----------
    ids
        Route ids (``"<od id>/<route name>"``).
    od
        OD index of each route.
    share
        Share of the OD's containers assigned to this route [0-1]; the shares of one
        OD sum to 1.
    main_mode
        Mode code of the main leg (the longest leg by distance).
    leg_start
        Offsets into the leg arrays, length ``n_routes + 1``.
    leg_kind
        :data:`LEG_ROAD` or :data:`LEG_SERVICE`.
    leg_index
        Road link index (road leg) or service index (service leg).
    leg_from, leg_to
        Node index at each end of the leg.
    visit_start
        Offsets into the visit arrays, length ``n_routes + 1``.
    visit_hub
        Hub index of the visit.
    visit_kind
        :data:`VISIT_LOAD` (before the service leg) or :data:`VISIT_UNLOAD` (after).
    visit_leg
        Position of the service leg within its route (0-based, like ``leg_*``).
    road_alternative
        Per route, the index of a road-only route of the same OD used when a
        container is diverted (full yard, closed service), or -1 if there is none.
    """

    ids: tuple[str, ...]
    od: IntArray
    share: FloatArray
    main_mode: IntArray
    leg_start: IntArray
    leg_kind: IntArray
    leg_index: IntArray
    leg_from: IntArray
    leg_to: IntArray
    visit_start: IntArray
    visit_hub: IntArray
    visit_kind: IntArray
    visit_leg: IntArray
    road_alternative: IntArray

    @property
    def n(self) -> int:
        """Number of routes."""
        return len(self.ids)

    @property
    def max_legs(self) -> int:
        """Largest number of legs of any route."""
        return int(np.max(np.diff(self.leg_start))) if self.n else 0

    @property
    def max_visits(self) -> int:
        """Largest number of handling visits of any route (columns of ``handling_u``)."""
        return int(np.max(np.diff(self.visit_start))) if self.n else 0

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("od", "share", "main_mode", "road_alternative"):
            _check_len(f"routes.{name}", getattr(self, name), n)
        _check_len("routes.leg_start", self.leg_start, n + 1)
        _check_len("routes.visit_start", self.visit_start, n + 1)
        n_legs = int(self.leg_start[-1]) if n else 0
        for name in ("leg_kind", "leg_index", "leg_from", "leg_to"):
            _check_len(f"routes.{name}", getattr(self, name), n_legs)
        n_visits = int(self.visit_start[-1]) if n else 0
        for name in ("visit_hub", "visit_kind", "visit_leg"):
            _check_len(f"routes.{name}", getattr(self, name), n_visits)


@dataclass(frozen=True)
class DemandArrays:
    """Demand per origin-destination (OD) pair.

    Attributes
    ----------
    ids
        OD ids from the scenario.
    origin, destination
        Node index of the door-to-door origin and destination.
    teu_per_year
        Demand [TEU/year] (365 days = 8760 h).
    box_40ft_share
        Share of boxes that are 40' (2 TEU) [0-1]; the rest are 20' (1 TEU).
    loaded_share
        Share of boxes that are loaded [0-1]; the rest travel empty.
    cargo_t_per_teu
        Mean cargo mass per loaded TEU, without tare [t/TEU].
    tare_t_per_teu
        Tare (empty box) mass per TEU [t/TEU].
    seasonality
        Shape ``(n_od, 12)``: relative demand per calendar month [-]; mean 1 per row.
    arrival_process
        ``"poisson"`` or ``"deterministic"`` (evenly spaced) per OD.
    promised_door_to_door_h
        Door-to-door time promised to the shipper per OD [h], NaN where the scenario
        gives none; ``None`` when no OD has one.
    """

    ids: tuple[str, ...]
    origin: IntArray
    destination: IntArray
    teu_per_year: FloatArray
    box_40ft_share: FloatArray
    loaded_share: FloatArray
    cargo_t_per_teu: FloatArray
    tare_t_per_teu: FloatArray
    seasonality: FloatArray
    arrival_process: tuple[str, ...]
    promised_door_to_door_h: FloatArray | None = None

    @property
    def n(self) -> int:
        """Number of OD pairs."""
        return len(self.ids)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in (
            "origin",
            "destination",
            "teu_per_year",
            "box_40ft_share",
            "loaded_share",
            "cargo_t_per_teu",
            "tare_t_per_teu",
            "seasonality",
        ):
            _check_len(f"demand.{name}", getattr(self, name), n)
        if self.seasonality.ndim != 2 or (n and self.seasonality.shape[1] != 12):
            raise ValueError("demand.seasonality must have shape (n_od, 12)")
        if len(self.arrival_process) != n:
            raise ValueError("demand.arrival_process needs one entry per OD")
        if self.promised_door_to_door_h is not None:
            _check_len("demand.promised_door_to_door_h", self.promised_door_to_door_h, n)


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
    handling_u
        Shape ``(n, max_visits)``: U(0, 1) draws, one per handling visit of the
        container's route in journey order (unused columns hold draws too).
    """

    time_h: FloatArray
    od: IntArray
    route: IntArray
    boxes: IntArray
    teu: IntArray
    mass_t: FloatArray
    loaded: BoolArray
    handling_u: FloatArray

    @property
    def n(self) -> int:
        """Number of rows (containers)."""
        return int(self.time_h.shape[0])

    def __post_init__(self) -> None:
        n = self.n
        for name in ("od", "route", "boxes", "teu", "mass_t", "loaded", "handling_u"):
            _check_len(f"arrivals.{name}", getattr(self, name), n)


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
        Arrival at the origin (copy of ``Arrivals.time_h``).
    route
        Route actually travelled (differs from ``Arrivals.route`` when diverted).
    ready_h
        When the container was ready for its first service departure (after the
        first road leg and the load move at the first hub); equal to ``arrival_h``
        for road-only routes.
    departure_h
        Departure of the first service leg (``arrival_h`` for road-only routes).
    delivered_h
        Arrival at the destination door; ``NaN`` if not delivered by the horizon.
    leg_departure_h
        Shape ``(n, max_legs)``: departure time of each leg of the route travelled;
        ``NaN`` for legs not started and unused columns.
    visit_wait_h
        Shape ``(n, max_visits)``: queueing wait before each handling visit (FIFO
        pool of the visit's hub), ``NaN`` where not reached.
    visit_handling_h
        Shape ``(n, max_visits)``: handling (service) time of each visit.
    visit_start_h
        Shape ``(n, max_visits)``: start of service of each visit.
    yard_hold_h
        Time held at the origin because the yard was full [h] (0 if never held).
    left_behind
        Number of departures that were full when the container was ready for them.
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
    """

    arrival_h: FloatArray
    route: IntArray
    ready_h: FloatArray
    departure_h: FloatArray
    delivered_h: FloatArray
    leg_departure_h: FloatArray
    visit_wait_h: FloatArray
    visit_handling_h: FloatArray
    visit_start_h: FloatArray
    yard_hold_h: FloatArray
    left_behind: IntArray
    diverted: BoolArray
    trip_service: IntArray
    trip_departure_h: FloatArray
    trip_arrival_h: FloatArray
    trip_teu: FloatArray
    trip_mass_t: FloatArray
    trip_boxes: IntArray
    trip_capacity_teu: FloatArray


#: One service trip as an engine records it: ``(service, departure_h, arrival_h, teu,
#: mass_t, boxes, capacity_teu)`` in [-], [h], [h], [TEU], [t], [-], [TEU].
Trip = tuple[int, float, float, float, float, int, float]


def trip_arrays(trips: Sequence[Trip]) -> dict[str, npt.NDArray[Any]]:
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


def handling_time_h(hubs: HubArrays, hub: IntArray, u: FloatArray) -> FloatArray:
    """Handling times from uniform draws by inverse transform (vectorised).

    Parameters
    ----------
    hubs
        The hub arrays.
    hub
        Hub index of each move.
    u
        U(0, 1) draws, same shape as ``hub``.

    Returns
    -------
    numpy.ndarray
        Handling time of each move [h]: exponential ``-mean * ln(1 - u)``,
        deterministic ``mean``, Erlang-k ``mean / k * P^-1(k, u)`` with ``P^-1`` the
        inverse regularised lower incomplete gamma function.
    """
    mean = hubs.handling_time_h[hub]
    codes = np.array(
        [SERVICE_DISTRIBUTIONS.index(d) for d in hubs.service_distribution], dtype=np.int64
    )[hub]
    out = np.empty(np.shape(u), dtype=np.float64)
    exp_mask = codes == 0
    out[exp_mask] = -mean[exp_mask] * np.log1p(-u[exp_mask])
    det_mask = codes == 1
    out[det_mask] = mean[det_mask]
    erl_mask = codes == 2
    if np.any(erl_mask):
        k = hubs.service_shape[hub][erl_mask].astype(np.float64)
        out[erl_mask] = mean[erl_mask] / k * special.gammaincinv(k, u[erl_mask])
    return out
