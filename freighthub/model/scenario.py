"""Simulation scenarios: ``scenarios/*.toml`` loaded into a frozen, validated :class:`Scenario`.

A scenario uses hubs from ``hubs/`` and adds door-to-door zones, hub resources,
road links, timetabled services (trains, barges), demand per origin-destination
pair with its route options, and disruptions. Every number that is a fact (speed,
capacity, cost, demand ...) is a :class:`~freighthub.model.sourced.Sourced` value
so it can carry its source and confidence. The format is documented in
``docs/data-formats.md``; times are in hours [h] from the start of the scenario.

:func:`load_scenario` validates the file, then checks every reference (hub ids,
zone ids, link and service ids, route continuity, route shares, emission-intensity
ids) and raises :class:`DataFileError` naming the
file, the field, the value and the rule.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationError,
    model_validator,
)

from freighthub.emissions import FactorPack, hub_category_ids, intensity_ids
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.factors import load_factor_pack
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    Id,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
    exactly_one,
)
from freighthub.model.files import check_magnitudes, read_toml, unknown_in_file, validate
from freighthub.model.hub import Hub, load_hub
from freighthub.model.paths import data_dir
from freighthub.model.physics import load_physics
from freighthub.model.sourced import Sourced
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import Confidence, Mode, scheduled_modes

__all__ = [
    "MAX_DEPARTURES_PER_WEEK",
    "MAX_HORIZON_H",
    "MAX_TEU_PER_YEAR",
    "Demand",
    "DisruptableMode",
    "Disruption",
    "HubResources",
    "LoadedScenario",
    "RoadLink",
    "Route",
    "RouteLeg",
    "Scenario",
    "ScheduledMode",
    "Service",
    "TeuPerYear",
    "TrainType",
    "VesselClass",
    "Zone",
    "load_scenario",
    "load_scenario_with_pack",
    "pack_reference_ids",
]

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


def _at_most(limit: float) -> AfterValidator:
    def check(value: float) -> float:
        if value > limit:
            raise ValueError(
                f"must be <= {limit:.0f}: a simulation size cap (every box and departure is"
                " simulated; larger values would run for hours or exhaust memory)"
            )
        return value

    return AfterValidator(check)


#: Yearly demand of one OD pair, capped at :data:`MAX_TEU_PER_YEAR`.
TeuPerYear = Annotated[float, Field(gt=0, allow_inf_nan=False), _at_most(MAX_TEU_PER_YEAR)]
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
    lon_deg: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    lat_deg: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    location_source: Text


class HubResources(Frozen):
    """Handling pool, yard and gate of one hub; unset values come from the hub file.

    ``servers`` defaults to the total count of the hub file's
    ``handling.equipment`` and ``moves_per_h`` to their count-weighted mean;
    ``yard_capacity_teu`` to ``handling.yard_capacity_teu`` (unlimited if absent);
    ``gate_lanes`` to ``road.gate_lanes``. The gate is modelled only where
    ``gate_time_h`` is given.
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

    @model_validator(mode="after")
    def _shape_only_for_erlang(self) -> HubResources:
        if self.service_shape != 1 and self.service_distribution != "erlang":
            raise FieldRule(
                "service_shape",
                "is used only with service_distribution = 'erlang'",
                self.service_shape,
            )
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
    add to the travel time.
    """

    id: Id
    mode: ScheduledMode
    from_: Annotated[Id, Field(alias="from")]
    to: Id
    departures_per_week: (
        Sourced[Annotated[PositiveFloat, _at_most(MAX_DEPARTURES_PER_WEEK)]] | None
    ) = None
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
    draught_limit: DraughtLimit | None = None
    locks: tuple[Id, ...] = ()
    border_crossing: Id | None = None

    @model_validator(mode="after")
    def _one_of_each(self) -> Service:
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
        ):
            raise FieldRule(
                "cost_cny_per_teu_km",
                "give cost_cny_per_teu_km, cost_cny_per_teu and/or cost_cny_per_departure",
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


class Scenario(Frozen):
    """A simulation scenario (see the module docstring and ``docs/data-formats.md``)."""

    id: Id
    name: Text
    description: Text | None = None
    hubs: Annotated[tuple[Id, ...], Field(min_length=1)]
    horizon_h: Annotated[PositiveFloat, _at_most(MAX_HORIZON_H)]
    warmup_h: NonNegativeFloat = 0.0
    yard_full_policy: Literal["hold", "divert_road"] = "hold"
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


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario together with its hubs and the files it came from.

    Attributes
    ----------
    scenario
        The validated scenario.
    hubs
        The hubs the scenario uses, by id, in the scenario's order.
    path
        The scenario file.
    hub_paths
        The hub files read, by hub id.
    """

    scenario: Scenario
    hubs: dict[str, Hub]
    path: Path
    hub_paths: dict[str, Path]

    @property
    def input_files(self) -> list[Path]:
        """Every file read (scenario first, then hubs), for the reproducibility manifest."""
        return [self.path, *self.hub_paths.values()]


def load_scenario(
    path: str | Path,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """Load, validate and cross-check a scenario file.

    Parameters
    ----------
    path
        The scenario TOML file; its ``id`` must equal the file name without ``.toml``.
    hubs_dir
        Folder of hub files (default: ``data_dir("hubs")``).
    intensity_ids
        The emission-intensity and hub-operation ids of the emission factor pack;
        when given, every ``intensity_id`` and ``handling_intensity_id`` must be
        one of them.

    Raises
    ------
    DataFileError
        For an invalid file or any broken reference: unknown hub, zone, road link,
        service, train type or vessel class; duplicate ids; a route whose legs do
        not connect its origin to its destination; route shares of an OD that do not
        sum to 1; a disruption outside the horizon; an unknown intensity id. A cut-off
        as long as the headway or longer is allowed: a box then catches a later
        departure (``docs/gotchas.md``).
    """
    p = Path(path)
    scenario = _validate_scenario(read_toml(p), p)
    if scenario.id != p.stem:
        raise DataFileError(p, f"must equal the file name {p.stem!r}", "id", scenario.id)
    return check_scenario(scenario, p, hubs_dir, intensity_ids)


def _validate_scenario(data: dict[str, Any], p: Path) -> Scenario:
    """Validate; a rule across fields is reported on the field it names."""
    check_magnitudes(data, p)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        rule = (first.get("ctx") or {}).get("error")
        if isinstance(rule, FieldRule):
            where = "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
            ).lstrip(".")
            field = f"{where}.{rule.field}" if where else rule.field
            if rule.value is FieldRule.NO_VALUE:
                raise DataFileError(p, rule.rule, field) from None
            raise DataFileError(p, rule.rule, field, rule.value) from None
    return validate(Scenario, data, p)  # raises the standard one-line error


def _unique(p: Path, items: Iterable[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for field, value in items:
        if value in seen:
            raise DataFileError(p, f"duplicate {what} id", field, value)
        seen.add(value)


def _check_references(
    s: Scenario,
    p: Path,
    hubs: dict[str, Hub],
    intensity_ids: Collection[str] | None,
) -> None:
    def unknown(field: str, value: str, kind: str, valid: Iterable[str]) -> DataFileError:
        shown = ", ".join(sorted(valid)) or "(none)"
        return DataFileError(p, f"unknown {kind}; valid: {shown}", field, value)

    hub_ids = set(hubs)
    for i, z in enumerate(s.zones):
        if z.id in hub_ids:
            raise DataFileError(p, "zone id equals a hub id", f"zones[{i}].id", z.id)
    _unique(p, ((f"zones[{i}].id", z.id) for i, z in enumerate(s.zones)), "zone")
    nodes = hub_ids | {z.id for z in s.zones}
    _unique(p, ((f"road_links[{i}].id", r.id) for i, r in enumerate(s.road_links)), "road link")
    _unique(p, ((f"services[{i}].id", v.id) for i, v in enumerate(s.services)), "service")
    _unique(p, ((f"demand[{i}].id", d.id) for i, d in enumerate(s.demand)), "demand")
    _unique(p, ((f"train_types[{i}].id", t.id) for i, t in enumerate(s.train_types)), "train")
    _unique(
        p, ((f"vessel_classes[{i}].id", v.id) for i, v in enumerate(s.vessel_classes)), "vessel"
    )
    _unique(p, ((f"disruptions[{i}].id", d.id) for i, d in enumerate(s.disruptions)), "disruption")
    _unique(p, ((f"hub_resources[{i}].hub", r.hub) for i, r in enumerate(s.hub_resources)), "hub")

    resources = {r.hub for r in s.hub_resources}
    for i, r in enumerate(s.hub_resources):
        if r.hub not in hub_ids:
            raise unknown(f"hub_resources[{i}].hub", r.hub, "hub of this scenario", hub_ids)
    for hub_id in s.hubs:
        if hub_id not in resources:
            raise DataFileError(
                p, f"no [[hub_resources]] entry for hub {hub_id!r}", "hub_resources"
            )

    for i, link in enumerate(s.road_links):
        for end, node in (("from", link.from_), ("to", link.to)):
            if node not in nodes:
                raise unknown(f"road_links[{i}].{end}", node, "hub or zone", nodes)
    trains = {t.id: t for t in s.train_types}
    vessels = {v.id for v in s.vessel_classes}
    for i, t in enumerate(s.train_types):
        if t.capacity_teu <= 0:
            raise DataFileError(
                p, "leaves no room for a wagon after the locomotive", f"train_types[{i}]", t.id
            )
    for i, v in enumerate(s.services):
        for end, node in (("from", v.from_), ("to", v.to)):
            if node not in hub_ids:
                raise unknown(f"services[{i}].{end}", node, "hub of this scenario", hub_ids)
        if v.train_type is not None and v.train_type not in trains:
            raise unknown(f"services[{i}].train_type", v.train_type, "train type", trains)
        if v.vessel_class is not None and v.vessel_class not in vessels:
            raise unknown(f"services[{i}].vessel_class", v.vessel_class, "vessel class", vessels)
        if v.draught_limit is not None or v.locks or v.border_crossing is not None:
            physics = load_physics()
            lock_ids = {e.id for e in physics.lock}
            physics_refs: list[tuple[str, str, set[str], str]] = [
                (f"locks[{j}]", lock, lock_ids, "lock") for j, lock in enumerate(v.locks)
            ]
            if v.border_crossing is not None:
                physics_refs.append(
                    (
                        "border_crossing",
                        v.border_crossing,
                        {e.id for e in physics.border_crossing},
                        "border crossing",
                    )
                )
            if v.draught_limit is not None:
                physics_refs += [
                    (
                        "draught_limit.section",
                        v.draught_limit.section,
                        {e.id for e in physics.waterway_section},
                        "waterway section",
                    ),
                    (
                        "draught_limit.vessel_class",
                        v.draught_limit.vessel_class,
                        {e.id for e in physics.vessel_class},
                        "vessel class",
                    ),
                ]
            for name, value, known, what in physics_refs:
                if value not in known:
                    raise unknown(
                        f"services[{i}].{name}", value, f"{what} of the physics file", known
                    )

    links = {r.id: r for r in s.road_links}
    services = {v.id: v for v in s.services}
    for i, d in enumerate(s.demand):
        for end, node in (("from", d.from_), ("to", d.to)):
            if node not in nodes:
                raise unknown(f"demand[{i}].{end}", node, "hub or zone", nodes)
        if d.from_ == d.to:
            raise DataFileError(p, "origin and destination must differ", f"demand[{i}].to", d.to)
        _unique(
            p, ((f"demand[{i}].routes[{j}].name", r.name) for j, r in enumerate(d.routes)), "route"
        )
        total = math.fsum(r.share.value for r in d.routes)
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise DataFileError(
                p, "route shares must sum to 1", f"demand[{i}].routes.share", round(total, 9)
            )
        for j, route in enumerate(d.routes):
            at = d.from_
            for k, leg in enumerate(route.legs):
                field = f"demand[{i}].routes[{j}].legs[{k}]"
                if leg.road is not None:
                    road = links.get(leg.road)
                    if road is None:
                        raise unknown(f"{field}.road", leg.road, "road link", links)
                    if road.from_ == at:
                        at = road.to
                    elif road.two_way and road.to == at:
                        at = road.from_
                    else:
                        raise DataFileError(
                            p, f"does not start at {at!r}, where the previous leg ends",
                            f"{field}.road", leg.road,
                        )  # fmt: skip
                    if road.truck_capacity_teu == 1 and d.box_40ft_share.value > 0:
                        raise DataFileError(
                            p, "a 1-TEU truck cannot carry the OD's 40' boxes",
                            f"{field}.road", leg.road,
                        )  # fmt: skip
                else:
                    assert leg.service is not None
                    svc = services.get(leg.service)
                    if svc is None:
                        raise unknown(f"{field}.service", leg.service, "service", services)
                    if svc.from_ != at:
                        raise DataFileError(
                            p, f"does not start at {at!r}, where the previous leg ends",
                            f"{field}.service", leg.service,
                        )  # fmt: skip
                    at = svc.to
            if at != d.to:
                raise DataFileError(
                    p, f"route ends at {at!r}, not at the destination {d.to!r}",
                    f"demand[{i}].routes[{j}].legs", route.name,
                )  # fmt: skip

    for i, x in enumerate(s.disruptions):
        if x.start_h >= s.horizon_h:
            raise DataFileError(
                p, f"starts after the horizon ({s.horizon_h:g} h)", f"disruptions[{i}].start_h",
                x.start_h,
            )  # fmt: skip
        if x.service is not None and x.service not in services:
            raise unknown(f"disruptions[{i}].service", x.service, "service", services)
        if x.road_link is not None and x.road_link not in links:
            raise unknown(f"disruptions[{i}].road_link", x.road_link, "road link", links)

    if intensity_ids is not None:
        checks = [
            (f"road_links[{i}].intensity_id", r.intensity_id) for i, r in enumerate(s.road_links)
        ]
        checks += [
            (f"services[{i}].intensity_id", v.intensity_id) for i, v in enumerate(s.services)
        ]
        checks += [
            (f"hub_resources[{i}].handling_intensity_id", r.handling_intensity_id)
            for i, r in enumerate(s.hub_resources)
            if r.handling_intensity_id is not None
        ]
        for field, value in checks:
            if value not in intensity_ids:
                raise unknown(
                    field,
                    value,
                    f"emission intensity id of pack {s.emission_pack!r}",
                    intensity_ids,
                )


def check_scenario(
    scenario: Scenario,
    path: str | Path,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """Load the hubs of an already validated scenario and run the cross-reference checks.

    The same checks as :func:`load_scenario` except the ``id`` = file name rule, for a
    scenario built in memory (a resolved variant, see :mod:`freighthub.model.variant`).

    Parameters
    ----------
    scenario
        The validated scenario.
    path
        The file errors are reported against (the variant file).
    hubs_dir, intensity_ids
        As for :func:`load_scenario`.

    Raises
    ------
    DataFileError
        For an unknown hub or any broken reference (see :func:`load_scenario`).
    """
    p = Path(path)
    folder = Path(hubs_dir) if hubs_dir is not None else data_dir("hubs")
    available = sorted(f.stem for f in folder.glob("*.toml")) if folder.is_dir() else []
    hubs: dict[str, Hub] = {}
    hub_paths: dict[str, Path] = {}
    for i, hub_id in enumerate(scenario.hubs):
        if hub_id in hubs:
            raise DataFileError(p, "lists a hub twice", f"hubs[{i}]", hub_id)
        hub_file = folder / f"{hub_id}.toml"
        if not hub_file.is_file():
            raise DataFileError(
                p,
                f"unknown hub (no {hub_file}); valid: {', '.join(available) or '(none)'}",
                f"hubs[{i}]",
                hub_id,
            )
        hubs[hub_id] = load_hub(hub_file)
        hub_paths[hub_id] = hub_file
    if any(x.network_route for x in scenario.services) or any(
        x.network_route for x in scenario.road_links
    ):
        from freighthub.network.scenario import distances_from_network

        scenario = distances_from_network(scenario, p, folder)
    _check_references(scenario, p, hubs, intensity_ids)
    return LoadedScenario(scenario=scenario, hubs=hubs, path=p, hub_paths=hub_paths)


def pack_reference_ids(pack: FactorPack) -> set[str]:
    """Every id a scenario may reference in a factor pack: intensities and hub operations."""
    return set(intensity_ids(pack)) | set(hub_category_ids(pack))


def load_scenario_with_pack(
    path: str | Path,
    hubs_dir: str | Path | None = None,
    pack: str | Path | FactorPack | None = None,
) -> tuple[LoadedScenario, FactorPack]:
    """Load a scenario with its emission factor pack, checking its intensity ids against it.

    Parameters
    ----------
    path, hubs_dir
        As for :func:`load_scenario`.
    pack
        Emission factor pack (id, path or loaded pack); default: the scenario's
        ``emission_pack``.

    Raises
    ------
    DataFileError
        For an invalid scenario or hub file (see :func:`load_scenario`), or a scenario
        without ``emission_pack`` when no ``pack`` is given.
    UnknownIdentifierError
        For an unknown factor pack.
    """
    p = Path(path)
    if isinstance(pack, FactorPack):
        factor_pack = pack
    else:
        ref = pack
        if ref is None:
            ref = load_scenario(p, hubs_dir).scenario.emission_pack
            if ref is None:
                raise DataFileError(
                    p,
                    "required to compute emissions (or give a factor pack with the command)",
                    "emission_pack",
                )
            try:
                factor_pack = load_factor_pack(ref)
            except UnknownIdentifierError as exc:
                raise unknown_in_file(exc, p, "emission_pack") from None
        else:
            factor_pack = load_factor_pack(ref)
    loaded = load_scenario(p, hubs_dir, intensity_ids=pack_reference_ids(factor_pack))
    return loaded, factor_pack
