"""The input of the mode-split LP: demand, route options, resources, targets and caps.

Everything here is plain, frozen and typed; nothing imports PuLP, the scenario
loader or the emissions module. The adapter :mod:`freighthub.optimize.from_scenario`
builds a :class:`ModeSplitProblem` from a scenario; tests and benchmarks build one
directly.

All flows are per *period* of ``period_h`` hours (for example a week, 168 h):
demand in TEU per period, service capacity in TEU per period (departures per
period x TEU per departure), handling capacity in moves per period. Yard capacity
is a stock [TEU in the yard]; a hub visit uses ``dwell_h / period_h`` TEU of yard
per TEU per period of flow (Little's law).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from freighthub.errors import FreighthubError
from freighthub.model.operator_cost import fleet_vehicles
from freighthub.units import HOURS_PER_DAY, HOURS_PER_WEEK, HOURS_PER_YEAR

__all__ = [
    "PERIOD_NAMES",
    "EmissionCap",
    "InvalidProblemError",
    "ModeShareTarget",
    "ModeSplitProblem",
    "OdDemand",
    "Resource",
    "ResourceKind",
    "ResourceUse",
    "RouteOption",
    "period_name",
]


#: Names of the periods that have one [h -> name]; other periods are shown in hours.
PERIOD_NAMES = {HOURS_PER_DAY: "day", HOURS_PER_WEEK: "week", HOURS_PER_YEAR: "year"}


class InvalidProblemError(FreighthubError):
    """A mode-split problem is inconsistent (unknown ids, negative values ...)."""


class ResourceKind(StrEnum):
    """What a capacity constraint limits."""

    SERVICE = "service"
    """Timetabled train or barge service [TEU per period]."""
    HANDLING = "handling"
    """Handling equipment of a hub [moves per period]."""
    YARD = "yard"
    """Yard of a hub [TEU in the yard]."""
    LINK = "link"
    """Road, rail or waterway link [TEU per period]."""


def _check_finite(owner: str, name: str, value: float, *, minimum: float = 0.0) -> None:
    if not math.isfinite(value) or value < minimum:
        raise InvalidProblemError(
            f"{owner}: {name} = {value!r}: must be a finite number >= {minimum:g}"
        )


@dataclass(frozen=True)
class Resource:
    """A capacity the routes share.

    Parameters
    ----------
    id
        Unique id, also the name of its constraint.
    kind
        What is limited (service, hub handling, yard, link).
    capacity
        Capacity per period in ``unit`` (a stock for yards).
    unit
        Unit of ``capacity`` and of every use of it, e.g. ``"TEU"`` or ``"moves"``.
    label
        Human-readable name, e.g. ``"rail Wuhan–Shanghai"``.
    increment
        Size of one decision step in ``unit``: TEU per departure for a service,
        moves per period of one more server for handling. ``None``: one ``unit``.
    increment_name
        Name of one step, e.g. ``"departure"`` or ``"server"``.
    step_cost_cny
        Cost of one more step per period, e.g. the fixed cost of one departure
        [CNY/period]; decision terms report the saving net of it.
    fixed_cost_cny_per_period
        A service's own fixed cost [CNY/period], paid if it runs at all (a departure
        step of the model, see :meth:`running_cost_cny`).
    vehicle_cost_cny_per_period
        Cost of one vehicle of the service's fleet [CNY/period].
    cycle_h
        Round trip plus turnarounds of one vehicle [h]; the fleet of ``n`` evenly spaced
        departures per period is :func:`~freighthub.model.operator_cost.fleet_vehicles`
        at the headway ``period_h / n``. ``None``: no fleet is counted.
    """

    id: str
    kind: ResourceKind
    capacity: float
    unit: str
    label: str
    increment: float | None = None
    increment_name: str | None = None
    step_cost_cny: float = 0.0
    fixed_cost_cny_per_period: float = 0.0
    vehicle_cost_cny_per_period: float = 0.0
    cycle_h: float | None = None

    def __post_init__(self) -> None:
        for name in ("step_cost_cny", "fixed_cost_cny_per_period", "vehicle_cost_cny_per_period"):
            _check_finite(f"resource {self.id!r}", name, getattr(self, name))
        if self.cycle_h is not None and not (math.isfinite(self.cycle_h) and self.cycle_h > 0):
            raise InvalidProblemError(
                f"resource {self.id!r}: cycle_h = {self.cycle_h!r}: must be a finite number > 0"
            )
        if not self.id:
            raise InvalidProblemError("resource: id must not be empty")
        _check_finite(f"resource {self.id!r}", "capacity", self.capacity)
        if self.increment is not None and not (
            math.isfinite(self.increment) and self.increment > 0
        ):
            raise InvalidProblemError(
                f"resource {self.id!r}: increment = {self.increment!r}: must be > 0"
            )

    @property
    def step(self) -> float:
        """One decision step [``unit``]: ``increment`` or 1."""
        return 1.0 if self.increment is None else self.increment

    @property
    def step_name(self) -> str:
        """Name of one decision step."""
        return self.increment_name or self.unit

    @property
    def steps_offered(self) -> int:
        """Whole steps in the capacity, ``round(capacity / step)``, at least 1 (the
        timetable's departures per period of a service)."""
        return max(1, round(self.capacity / self.step))

    @property
    def has_running_cost(self) -> bool:
        """Whether running it costs anything (per step, per period or per vehicle)."""
        return (
            self.step_cost_cny > 0
            or self.fixed_cost_cny_per_period > 0
            or (self.vehicle_cost_cny_per_period > 0 and self.cycle_h is not None)
        )

    def fleet(self, steps: int, period_h: float) -> int:
        """Vehicles ``steps`` evenly spaced departures per period need (0 without a
        ``cycle_h`` or without departures)."""
        if self.cycle_h is None or steps <= 0:
            return 0
        return fleet_vehicles(self.cycle_h / 2.0, 0.0, period_h / steps)

    def running_cost_cny(self, steps: int, period_h: float) -> float:
        """Operator's cost per period of ``steps`` departures [CNY/period]: the cost per
        departure, and if it runs at all its fixed cost and its fleet's."""
        if steps <= 0:
            return 0.0
        return (
            self.step_cost_cny * steps
            + self.fixed_cost_cny_per_period
            + self.vehicle_cost_cny_per_period * self.fleet(steps, period_h)
        )


@dataclass(frozen=True)
class ResourceUse:
    """How much of a resource one TEU on a route uses.

    Parameters
    ----------
    resource
        Resource id.
    per_teu
        Amount of the resource's unit used per TEU of route flow: 1 for a service
        leg [TEU/TEU], moves per TEU for a hub visit [moves/TEU], ``dwell_h /
        period_h`` for a yard [TEU in yard per TEU/period].
    """

    resource: str
    per_teu: float = 1.0

    def __post_init__(self) -> None:
        _check_finite(f"use of resource {self.resource!r}", "per_teu", self.per_teu)


@dataclass(frozen=True)
class OdDemand:
    """Demand of one origin-destination pair.

    Parameters
    ----------
    id
        OD id.
    volume_teu
        Demand per period [TEU/period]; it must be carried in full.
    """

    id: str
    volume_teu: float

    def __post_init__(self) -> None:
        _check_finite(f"od {self.id!r}", "volume_teu", self.volume_teu)


@dataclass(frozen=True)
class RouteOption:
    """One way to carry an OD's containers.

    Parameters
    ----------
    id
        Unique route id.
    od
        OD id the route serves.
    main_mode
        Mode of the main leg (flows per mode are reported by it).
    price_cny_per_teu
        Door-to-door price (haulage, handling, tolls) [CNY/TEU].
    duration_h
        Door-to-door time including waits [h]; costed at the problem's value of time.
    emissions_kgco2e_per_teu_wtw
        Well-to-wheel emissions per TEU carried door to door, legs and hub
        operations [kgCO2e/TEU], from the emissions module.
    distance_km_by_mode
        Distance travelled in each mode [km], i.e. TEU-km per TEU; used for
        modal-share targets on TEU-km.
    uses
        Resources the route uses, in journey order.
    """

    id: str
    od: str
    main_mode: str
    price_cny_per_teu: float
    duration_h: float
    emissions_kgco2e_per_teu_wtw: float
    distance_km_by_mode: Mapping[str, float]
    uses: tuple[ResourceUse, ...] = ()

    def __post_init__(self) -> None:
        owner = f"route {self.id!r}"
        _check_finite(owner, "price_cny_per_teu", self.price_cny_per_teu)
        _check_finite(owner, "duration_h", self.duration_h)
        _check_finite(owner, "emissions_kgco2e_per_teu_wtw", self.emissions_kgco2e_per_teu_wtw)
        for mode, km in self.distance_km_by_mode.items():
            _check_finite(owner, f"distance_km_by_mode[{mode}]", km)

    @property
    def distance_km(self) -> float:
        """Total distance over all modes [km]."""
        return float(sum(self.distance_km_by_mode.values()))


@dataclass(frozen=True)
class ModeShareTarget:
    """A bound on the share of TEU-km carried by a group of modes.

    For example ``ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.5)``: road
    carries at most 50 % of all TEU-km.

    Parameters
    ----------
    id
        Unique id, also the name of its constraint.
    modes
        The modes whose TEU-km are summed.
    max_share, min_share
        Upper and/or lower bound on their share of all TEU-km [0-1].
    """

    id: str
    modes: tuple[str, ...]
    max_share: float | None = None
    min_share: float | None = None

    def __post_init__(self) -> None:
        owner = f"target {self.id!r}"
        if not self.modes:
            raise InvalidProblemError(f"{owner}: modes must not be empty")
        if self.max_share is None and self.min_share is None:
            raise InvalidProblemError(f"{owner}: give max_share, min_share or both")
        for name in ("max_share", "min_share"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise InvalidProblemError(f"{owner}: {name} = {value!r}: must be in [0, 1]")
        if (
            self.max_share is not None
            and self.min_share is not None
            and self.min_share > self.max_share
        ):
            raise InvalidProblemError(
                f"{owner}: min_share = {self.min_share!r}: must be <= max_share = {self.max_share!r}"
            )

    @property
    def modes_label(self) -> str:
        """The modes as text, e.g. ``"road"`` or ``"rail+inland_waterway"``."""
        return "+".join(map(str, self.modes))


@dataclass(frozen=True)
class EmissionCap:
    """A cap on total well-to-wheel emissions.

    Parameters
    ----------
    id
        Unique id, also the name of its constraint.
    max_tco2e_wtw
        Cap per period [tCO2e/period, WTW].
    """

    id: str
    max_tco2e_wtw: float

    def __post_init__(self) -> None:
        _check_finite(f"emission cap {self.id!r}", "max_tco2e_wtw", self.max_tco2e_wtw)


@dataclass(frozen=True)
class ModeSplitProblem:
    """The whole mode-split LP input.

    Parameters
    ----------
    demands
        One entry per OD pair.
    routes
        Route options; every OD with demand > 0 needs at least one.
    resources
        Capacities the routes use.
    period_h
        Length of one period [h] (168 = one week); flows are per period.
    value_of_time_cny_per_teu_h
        Value of time of the cargo [CNY per TEU-hour]; the generalised cost of a
        route is ``price + value_of_time x duration``.
    targets
        Modal-share targets on TEU-km.
    emission_caps
        Caps on total WTW emissions per period.
    name
        Name of the problem (scenario id).
    departures_optimised
        If true, each service with a cost per departure (``step_cost_cny``) runs as
        many departures as the plan needs, up to its timetable, and pays for each:
        the objective then includes the operator's departure costs. If false, the
        timetable is fixed: departures cost the same whatever the flows, so they do
        not change the optimum (decision terms still net them out).
    """

    demands: tuple[OdDemand, ...]
    routes: tuple[RouteOption, ...]
    resources: tuple[Resource, ...] = ()
    period_h: float = HOURS_PER_WEEK
    value_of_time_cny_per_teu_h: float = 0.0
    targets: tuple[ModeShareTarget, ...] = ()
    emission_caps: tuple[EmissionCap, ...] = ()
    name: str = "problem"
    departures_optimised: bool = False
    _resource_by_id: dict[str, Resource] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.period_h) and self.period_h > 0):
            raise InvalidProblemError(f"problem: period_h = {self.period_h!r}: must be > 0")
        _check_finite("problem", "value_of_time_cny_per_teu_h", self.value_of_time_cny_per_teu_h)
        if not self.demands:
            raise InvalidProblemError("problem: demands must not be empty")
        _unique("od", [d.id for d in self.demands])
        _unique("route", [r.id for r in self.routes])
        _unique(
            "constraint",
            [r.id for r in self.resources]
            + [t.id for t in self.targets]
            + [c.id for c in self.emission_caps]
            + [f"demand:{d.id}" for d in self.demands],
        )
        resources = {r.id: r for r in self.resources}
        object.__setattr__(self, "_resource_by_id", resources)
        ods = {d.id for d in self.demands}
        served: set[str] = set()
        for route in self.routes:
            if route.od not in ods:
                raise InvalidProblemError(
                    f"route {route.id!r}: od = {route.od!r}: not an OD of the problem; "
                    f"valid: {', '.join(sorted(ods))}"
                )
            served.add(route.od)
            for use in route.uses:
                if use.resource not in resources:
                    raise InvalidProblemError(
                        f"route {route.id!r}: resource = {use.resource!r}: unknown resource; "
                        f"valid: {', '.join(sorted(resources)) or '(none)'}"
                    )
        for demand in self.demands:
            if demand.volume_teu > 0 and demand.id not in served:
                raise InvalidProblemError(
                    f"od {demand.id!r}: volume_teu = {demand.volume_teu:g}: has no route option"
                )

    def resource(self, resource_id: str) -> Resource:
        """The resource with this id (``KeyError`` if unknown)."""
        return self._resource_by_id[resource_id]

    def generalised_cost_cny_per_teu(self, route: RouteOption) -> float:
        """Price plus value of time x duration of a route [CNY/TEU]."""
        return route.price_cny_per_teu + self.value_of_time_cny_per_teu_h * route.duration_h

    @property
    def periods_per_year(self) -> float:
        """Periods in a 365-day year (``HOURS_PER_YEAR``) [-]."""
        return HOURS_PER_YEAR / self.period_h

    @property
    def total_demand_teu(self) -> float:
        """Total demand per period [TEU/period]."""
        return float(sum(d.volume_teu for d in self.demands))


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise InvalidProblemError(f"{kind} id {item!r} is given twice")
        seen.add(item)


def period_name(period_h: float) -> str:
    """``"day"``, ``"week"``, ``"year"`` for 24, 168, 8760 h; otherwise ``"<n> h"``."""
    return PERIOD_NAMES.get(float(period_h), f"{period_h:g} h")
