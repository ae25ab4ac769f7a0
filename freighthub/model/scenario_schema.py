"""The schema of scenario files: zones, hub resources, road links, services, routes, demand.

Split from :mod:`freighthub.model.scenario` (which loads, cross-checks and
re-exports these types): the field types and per-field rules of a file, including
the simulation size caps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    model_validator,
)

from freighthub.model.background_schema import BackgroundHubFlow, BackgroundServiceFlow
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    Id,
    Latitude,
    Longitude,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
    exactly_one,
    size_cap,
)
from freighthub.model.operator_cost import OperatorCost
from freighthub.model.sourced import Sourced
from freighthub.model.terminal_schema import (
    ArrivalProfile,
    ShiftPattern,
    TerminalPool,
    loading_window_rule,
    pools_rule,
)
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import Confidence, Mode, scheduled_modes

#: Tolerance of "route shares sum to 1" [-].
SHARE_SUM_TOLERANCE = 1e-6

# Caps on the size of a simulation (software limits, not facts about freight): the
# simulation creates every box and every departure, so beyond these it would run for
# hours or exhaust memory instead of failing.
#: Longest simulated horizon [h]: 20 years of 8760 h.
MAX_HORIZON_H = 175_200.0
#: Largest yearly demand of one OD pair [TEU/year].
MAX_TEU_PER_YEAR = 10_000_000.0
#: Most departures of one service in a week [1/week]: one a minute.
MAX_DEPARTURES_PER_WEEK = 10_080.0


#: Why the simulation's inputs are capped (the ``size_cap`` message).
_SIMULATION_CAP = (
    "a simulation size cap (every box and departure is simulated; larger values would run"
    " for hours or exhaust memory)"
)


#: Departures of one service in a week, capped at :data:`MAX_DEPARTURES_PER_WEEK`
#: (a ``Service`` field and a variant's ``ServiceChange`` field, written once here).
DeparturesPerWeek = Annotated[PositiveFloat, size_cap(MAX_DEPARTURES_PER_WEEK, _SIMULATION_CAP)]

#: Yearly demand of one OD pair, capped at :data:`MAX_TEU_PER_YEAR`.
TeuPerYear = Annotated[
    float, Field(gt=0, allow_inf_nan=False), size_cap(MAX_TEU_PER_YEAR, _SIMULATION_CAP)
]
AtLeastOne = Annotated[float, Field(ge=1, allow_inf_nan=False)]
WeekHour = Annotated[float, Field(ge=0, lt=HOURS_PER_WEEK, allow_inf_nan=False)]


def _scheduled(mode: str) -> str:
    if mode not in scheduled_modes():
        raise ValueError(f"must be one of the scheduled modes: {', '.join(scheduled_modes())}")
    return mode


def _disruptable(mode: str) -> str:
    valid = (Mode.ROAD.value, *scheduled_modes())
    if mode not in valid:
        raise ValueError(f"must be one of: {', '.join(valid)}")
    return mode


#: Id of a mode that runs timetabled services (``ModeFacts.scheduled`` in
#: :data:`freighthub.vocabulary.MODE_FACTS`, read when a file is validated).
ScheduledMode = Annotated[str, AfterValidator(_scheduled)]
#: Mode a disruption may target: road (closes every road link) or a scheduled mode.
DisruptableMode = Annotated[str, AfterValidator(_disruptable)]
Seasonality = Annotated[
    tuple[PositiveFloat, ...], Field(min_length=12, max_length=12)
]  # one factor per calendar month


class Zone(Frozen):
    """A door-to-door origin or destination that is not a hub (a shipper district)."""

    id: Id
    name: Text
    lon_deg: Longitude
    lat_deg: Latitude
    location_source: Text


class HubResources(Frozen):
    """Handling pool, yard and gate of one hub; unset values come from the hub file.

    ``servers`` defaults to the total count of the hub file's
    ``handling.equipment`` and ``moves_per_h`` to their count-weighted mean;
    ``yard_capacity_teu`` to ``handling.yard_capacity_teu`` (unlimited if absent);
    ``gate_lanes`` to ``road.gate_lanes``. The gate is modelled only where
    ``gate_time_h`` is given. ``pools`` are equipment pools by task (the terminal
    model, ``docs/terminal-operations.md``); ``truck_wait_threshold_h`` is the truck
    waiting time whose exceedance share is reported.
    """

    hub: Id
    servers: Sourced[PositiveInt] | None = None
    moves_per_h: Sourced[PositiveFloat] | None = None
    service_distribution: Literal["exponential", "deterministic", "erlang"] = "exponential"
    service_shape: PositiveInt = 1
    yard_capacity_teu: Sourced[PositiveFloat] | None = None
    gate_lanes: Sourced[PositiveInt] | None = None
    gate_time_h: Sourced[PositiveFloat] | None = None
    handling_cost_cny_per_move: Sourced[NonNegativeFloat]
    handling_intensity_id: Text | None = None
    truck_wait_threshold_h: Sourced[PositiveFloat] | None = None
    pools: tuple[TerminalPool, ...] = ()

    @model_validator(mode="after")
    def _shape_only_for_erlang(self) -> HubResources:
        if self.service_shape != 1 and self.service_distribution != "erlang":
            raise FieldRule(
                "service_shape",
                "is used only with service_distribution = 'erlang'",
                self.service_shape,
            )
        pools_rule(self.pools, self.gate_time_h is not None)
        return self


class TrainType(Frozen):
    """A train formation; capacity = floor((length - locomotive) / wagon length) x TEU per wagon."""

    id: Id
    max_length_m: Sourced[PositiveFloat]
    locomotive_length_m: Sourced[NonNegativeFloat]
    wagon_length_m: Sourced[PositiveFloat]
    teu_per_wagon: Sourced[PositiveInt]

    @property
    def capacity_teu(self) -> float:
        """Capacity of one train [TEU]."""
        usable_m = self.max_length_m.value - self.locomotive_length_m.value
        wagons = math.floor(usable_m / self.wagon_length_m.value)
        return float(max(wagons, 0) * self.teu_per_wagon.value)


class VesselClass(Frozen):
    """A barge or vessel class with its container capacity."""

    id: Id
    name: Text | None = None
    capacity_teu: Sourced[PositiveFloat]


class RoadLink(Frozen):
    """A road link between two nodes (hubs or zones), served by trucks on demand."""

    id: Id
    from_: Annotated[Id, Field(alias="from")]
    to: Id
    two_way: bool = True
    distance_km: Sourced[PositiveFloat] | None = None
    circuity_factor: Sourced[AtLeastOne] | None = None
    network_route: Literal[True] | None = None
    speed_kmh: Sourced[PositiveFloat]
    truck_capacity_teu: Literal[1, 2] = 2
    intensity_id: Text
    cost_cny_per_teu_km: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_vehicle_km: Sourced[NonNegativeFloat] | None = None

    @model_validator(mode="after")
    def _one_distance_and_a_cost(self) -> RoadLink:
        exactly_one(self, ("distance_km", "circuity_factor", "network_route"), "distance")
        if self.cost_cny_per_teu_km is None and self.cost_cny_per_vehicle_km is None:
            raise FieldRule(
                "cost_cny_per_teu_km", "give cost_cny_per_teu_km and/or cost_cny_per_vehicle_km"
            )
        if self.from_ == self.to:
            raise FieldRule("to", "must differ from 'from'", self.to)
        return self


class DraughtLimit(Frozen):
    """Ids of the physics file (``standards/physics/``) behind a barge's payload limit."""

    section: Id
    vessel_class: Id


class Service(Frozen):
    """A timetabled service (train, barge, ship) between two hubs.

    ``draught_limit`` (inland waterway only) names a waterway section and a vessel class
    of the physics file: each departure's capacity is multiplied by the payload share
    its month's controlling depth allows (:mod:`freighthub.sim.waterway`). ``locks``
    (inland waterway only) names locks of the physics file that each departure queues
    at among the river's other traffic; ``border_crossing`` (rail only) names a
    gauge-change crossing each departure queues at among the other trains. The waits
    add to the travel time. ``loading_window_h`` (at most ``cutoff_h``) and
    ``travel_time_cv`` belong to the terminal model (``docs/terminal-operations.md``).
    """

    id: Id
    mode: ScheduledMode
    from_: Annotated[Id, Field(alias="from")]
    to: Id
    departures_per_week: Sourced[DeparturesPerWeek] | None = None
    first_departure_h: NonNegativeFloat = 0.0
    weekly_departure_h: Annotated[tuple[WeekHour, ...], Field(min_length=1)] | None = None
    capacity_teu: Sourced[PositiveFloat] | None = None
    train_type: Id | None = None
    vessel_class: Id | None = None
    cutoff_h: Sourced[NonNegativeFloat]
    travel_time_h: Sourced[PositiveFloat] | None = None
    speed_kmh: Sourced[PositiveFloat] | None = None
    distance_km: Sourced[PositiveFloat] | None = None
    circuity_factor: Sourced[AtLeastOne] | None = None
    network_route: Literal[True] | None = None
    intensity_id: Text
    cost_cny_per_teu_km: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_teu: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_departure: Sourced[NonNegativeFloat] | None = None
    operator_cost: OperatorCost | None = None
    draught_limit: DraughtLimit | None = None
    locks: tuple[Id, ...] = ()
    border_crossing: Id | None = None
    border_direction: Literal["westbound", "eastbound"] | None = None
    loading_window_h: Sourced[NonNegativeFloat] | None = None
    travel_time_cv: Sourced[NonNegativeFloat] | None = None

    @model_validator(mode="after")
    def _one_of_each(self) -> Service:
        loading_window_rule(self.loading_window_h, self.cutoff_h)
        exactly_one(self, ("departures_per_week", "weekly_departure_h"), "timetable")
        exactly_one(self, ("capacity_teu", "train_type", "vessel_class"), "capacity")
        exactly_one(self, ("travel_time_h", "speed_kmh"), "travel time")
        exactly_one(self, ("distance_km", "circuity_factor", "network_route"), "distance")
        if self.from_ == self.to:
            raise FieldRule("to", "must differ from 'from'", self.to)
        if self.train_type is not None and self.mode != Mode.RAIL:
            raise FieldRule("train_type", "is for rail services only", self.train_type)
        if self.vessel_class is not None and self.mode != Mode.INLAND_WATERWAY:
            raise FieldRule(
                "vessel_class", "is for inland_waterway services only", self.vessel_class
            )
        if self.border_crossing is not None and self.mode != Mode.RAIL:
            raise FieldRule("border_crossing", "is for rail services only", self.border_crossing)
        if self.border_direction is not None and self.border_crossing is None:
            raise FieldRule(
                "border_direction",
                "needs border_crossing (the queue it picks)",
                self.border_direction,
            )
        if len(set(self.locks)) != len(self.locks):
            twice = next(x for x in self.locks if self.locks.count(x) > 1)
            raise FieldRule("locks", "lists a lock twice", twice)
        if self.locks and self.mode != Mode.INLAND_WATERWAY:
            raise FieldRule("locks", "is for inland_waterway services only", self.locks[0])
        if self.draught_limit is not None and self.mode != Mode.INLAND_WATERWAY:
            raise FieldRule(
                "draught_limit", "is for inland_waterway services only", self.draught_limit.section
            )
        if (
            self.cost_cny_per_teu_km is None
            and self.cost_cny_per_teu is None
            and self.cost_cny_per_departure is None
            and self.operator_cost is None
        ):
            raise FieldRule(
                "cost_cny_per_teu_km",
                "give cost_cny_per_teu_km, cost_cny_per_teu, cost_cny_per_departure"
                " and/or operator_cost",
            )
        return self

    def weekly_hours(self) -> tuple[float, ...]:
        """Departure times within the first week [h], sorted (``departures_per_week``
        services run evenly from ``first_departure_h``; a non-whole rate does not repeat
        weekly)."""
        if self.weekly_departure_h is not None:
            return tuple(sorted(self.weekly_departure_h))
        headway_h = self.even_spacing_h()
        assert headway_h is not None and self.departures_per_week is not None
        return tuple(
            t
            for j in range(math.ceil(self.departures_per_week.value) + 1)
            if (t := self.first_departure_h + j * headway_h) < HOURS_PER_WEEK
        )

    def even_spacing_h(self) -> float | None:
        """Spacing of a ``departures_per_week`` timetable, ``HOURS_PER_WEEK / rate`` [h];
        None for a ``weekly_departure_h`` timetable.

        This spaces the departures; the *headway* that waits are computed from is
        derived from the compiled departures, see
        :func:`freighthub.sim.network.service_headway_h`.
        """
        if self.departures_per_week is None:
            return None
        return HOURS_PER_WEEK / self.departures_per_week.value


class RouteLeg(Frozen):
    """One leg of a route: a road link (``road = "id"``) or a service (``service = "id"``)."""

    road: Id | None = None
    service: Id | None = None

    @model_validator(mode="after")
    def _one(self) -> RouteLeg:
        exactly_one(self, ("road", "service"), "leg")
        return self


class Route(Frozen):
    """A route option of an OD pair and the share of its containers that take it."""

    name: Id
    share: Sourced[Share]
    legs: Annotated[tuple[RouteLeg, ...], Field(min_length=1)]


class Demand(Frozen):
    """Container demand between two nodes and its route options."""

    id: Id
    from_: Annotated[Id, Field(alias="from")]
    to: Id
    teu_per_year: Sourced[TeuPerYear]
    box_40ft_share: Sourced[Share]
    loaded_share: Sourced[Share]
    cargo_t_per_teu: Sourced[NonNegativeFloat]
    tare_t_per_teu: Sourced[PositiveFloat]
    seasonality: Sourced[Seasonality] | None = None
    arrival_process: Literal["poisson", "deterministic"] = "poisson"
    promised_door_to_door_h: Sourced[PositiveFloat] | None = None
    reverse_of: Id | None = None
    segment: Id | None = None
    arrival_profile: Id | None = None
    routes: Annotated[tuple[Route, ...], Field(min_length=1)]


class Disruption(Frozen):
    """A period in which a service, a mode or a road link loses capacity or closes."""

    id: Id
    description: Text
    start_h: NonNegativeFloat
    end_h: PositiveFloat
    service: Id | None = None
    mode: DisruptableMode | None = None
    road_link: Id | None = None
    capacity_factor: Sourced[Share] | None = None
    closed: bool = False
    source: Text | None = None
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Disruption:
        if self.end_h <= self.start_h:
            raise FieldRule("end_h", f"must be after start_h = {self.start_h:g}", self.end_h)
        exactly_one(self, ("service", "mode", "road_link"), "target")
        if self.closed == (self.capacity_factor is not None):
            raise FieldRule("capacity_factor", "give either capacity_factor or closed = true")
        road = self.road_link is not None or self.mode == Mode.ROAD
        if road and not self.closed:
            raise FieldRule(
                "capacity_factor", "road links can only be closed (closed = true)",
                self.capacity_factor,
            )  # fmt: skip
        return self


class Experiment(Frozen):
    """Default seed and replications (the CLI may override them)."""

    seed: Annotated[int, Field(ge=0)] = 0
    replications: PositiveInt = 1


class Validation(Frozen):
    """Published statistics the scenario is validated against (``freighthub validate-model``).

    ``year`` is the year the scenario represents; ``statistics`` names files of
    ``data_dir("statistics")`` by id, whose ``year`` must equal it
    (:mod:`freighthub.model.statistics`).
    """

    year: Annotated[int, Field(ge=1900, le=2100)]
    statistics: Annotated[tuple[Id, ...], Field(min_length=1)]


class Scenario(Frozen):
    """A simulation scenario (see the module docstring and ``docs/data-formats.md``)."""

    id: Id
    name: Text
    description: Text | None = None
    hubs: Annotated[tuple[Id, ...], Field(min_length=1)]
    horizon_h: Annotated[PositiveFloat, size_cap(MAX_HORIZON_H, _SIMULATION_CAP)]
    warmup_h: NonNegativeFloat = 0.0
    yard_full_policy: Literal["hold", "divert_road"] = "hold"
    empty_repositioning: Literal["none", "balance"] = "none"
    emission_pack: Text | None = None
    experiment: Experiment = Experiment()
    zones: tuple[Zone, ...] = ()
    hub_resources: tuple[HubResources, ...] = ()
    train_types: tuple[TrainType, ...] = ()
    vessel_classes: tuple[VesselClass, ...] = ()
    road_links: tuple[RoadLink, ...] = ()
    services: tuple[Service, ...] = ()
    demand: Annotated[tuple[Demand, ...], Field(min_length=1)]
    disruptions: tuple[Disruption, ...] = ()
    background_hub_flows: tuple[BackgroundHubFlow, ...] = ()
    background_service_flows: tuple[BackgroundServiceFlow, ...] = ()
    shift_patterns: tuple[ShiftPattern, ...] = ()
    arrival_profiles: tuple[ArrivalProfile, ...] = ()
    validation: Validation | None = None

    @model_validator(mode="after")
    def _warmup_before_horizon(self) -> Scenario:
        if self.warmup_h >= self.horizon_h:
            raise FieldRule(
                "warmup_h", f"must be shorter than horizon_h = {self.horizon_h:g}", self.warmup_h
            )
        return self

    def iter_sourced(self) -> Iterable[tuple[str, Sourced[object]]]:
        """Every sourced value in the scenario as ``(dotted path, value)`` pairs."""
        yield from _walk_sourced(self, "")


def _walk_sourced(obj: object, prefix: str) -> Iterable[tuple[str, Sourced[object]]]:
    if isinstance(obj, Sourced):
        yield prefix, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk_sourced(getattr(obj, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _walk_sourced(item, f"{prefix}[{i}]")
