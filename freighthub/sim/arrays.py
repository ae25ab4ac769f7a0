"""The arrays of a compiled network: hubs, services, road links, closures, routes, demand.

Split from :mod:`freighthub.sim.network` (the data contract, which re-exports them):
the array types and their codes (leg kinds, visit kinds, mode codes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import mode_ids

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
#: Compact per-box integers (memory): ids and indices int32, small counts int8.
Int32Array = npt.NDArray[np.int32]
Int8Array = npt.NDArray[np.int8]


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
    fixed_cost_cny_per_year
        Operator's yearly fixed cost of each service, its own plus the fleet's
        (:mod:`freighthub.model.operator_cost`) [CNY/year]; ``None``: 0.
    fleet_vehicles
        Vehicles each service's rotation needs over the compiled timetable
        [vehicles]; -1 where the service gives no ``operator_cost.turnaround_h``;
        ``None``: not computed.
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
    fixed_cost_cny_per_year: FloatArray | None = None
    fleet_vehicles: IntArray | None = None

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
        for name in ("fixed_cost_cny_per_year", "fleet_vehicles"):
            if getattr(self, name) is not None:
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
        """Largest number of handling visits of any route (the width of a visit matrix)."""
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
    segment
        Commodity segment of each OD (``""``: none), for the mode choice's value of
        time by segment; empty tuple: no OD names one.
    promised_door_to_door_h
        Door-to-door time promised to the shipper per OD [h], NaN where the scenario
        gives none; ``None`` when no OD has one.
    arrival_weight
        Shape ``(n_od, 168)``: relative arrival intensity per hour of the week [-]
        (hour ``floor(t) mod 168``), mean 1 per row; rows of 1 for ODs without an
        arrival profile; ``None`` when no OD has one (``docs/terminal-operations.md``).
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
    segment: tuple[str, ...] = ()
    arrival_weight: FloatArray | None = None

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
        week = int(HOURS_PER_WEEK)
        if self.arrival_weight is not None and self.arrival_weight.shape != (n, week):
            raise ValueError(f"demand.arrival_weight must have shape (n_od, {week})")
