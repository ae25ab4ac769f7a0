"""Typed results of the mode-split LP and of the hub/service selection MILP.

All amounts are per period of ``period_h`` hours unless the name says ``_per_year``.
The report and CLI layers render these; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from freighthub.frames import data_frame, record
from freighthub.optimize.problem import ResourceKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DecisionTerm",
    "ModeSplitPlan",
    "ResourceUsage",
    "RouteFlow",
    "SelectionPlan",
    "TargetUsage",
]


@dataclass(frozen=True)
class RouteFlow:
    """Optimal flow on one route option.

    Attributes
    ----------
    route, od
        Route id and its OD id.
    main_mode
        Mode of the main leg.
    volume_teu
        Flow [TEU/period].
    od_share
        Share of the OD's demand on this route [0-1].
    generalised_cost_cny_per_teu
        Price + value of time x duration [CNY/TEU].
    emissions_kgco2e_per_teu_wtw
        WTW emissions per TEU [kgCO2e/TEU].
    """

    route: str
    od: str
    main_mode: str
    volume_teu: float
    od_share: float
    generalised_cost_cny_per_teu: float
    emissions_kgco2e_per_teu_wtw: float


@dataclass(frozen=True)
class ResourceUsage:
    """Use of one capacity in the optimal plan.

    Attributes
    ----------
    resource, label, kind, unit
        Identity of the resource and the unit of ``capacity`` and ``used``.
    capacity, used
        Capacity and use per period [unit].
    utilisation_share
        ``used / capacity`` [0-1]; ``nan`` when the capacity is 0.
    binding
        True if the use equals the capacity (within 1e-6 relative).
    dual_cny_per_unit
        Shadow price: fall of the objective (generalised cost + carbon cost) per
        extra unit of capacity [CNY per unit per period], >= 0; ``None`` when the
        solver gives no duals (HiGHS_CMD, MILP).
    """

    resource: str
    label: str
    kind: ResourceKind
    unit: str
    capacity: float
    used: float
    utilisation_share: float
    binding: bool
    dual_cny_per_unit: float | None


@dataclass(frozen=True)
class TargetUsage:
    """A modal-share target or an emission cap in the optimal plan.

    Attributes
    ----------
    constraint
        Target or cap id.
    description
        E.g. ``"road share of TEU-km <= 50 %"`` or ``"emissions <= 120 tCO2e/week"``.
    limit, achieved
        The bound and the plan's value: a share [0-1] for targets, tCO2e per period
        for caps.
    binding
        True if the plan sits on the bound.
    dual_cny_per_unit
        Fall of the objective per unit of relaxation [CNY per share point (0.01)
        per period for targets, CNY per tCO2e for caps]; ``None`` without duals.
    """

    constraint: str
    description: str
    limit: float
    achieved: float
    binding: bool
    dual_cny_per_unit: float | None


@dataclass(frozen=True)
class DecisionTerm:
    """A binding capacity stated as a decision: one more step of it is worth this much.

    Attributes
    ----------
    resource, label
        The resource.
    step, step_name, unit
        One decision step (e.g. 100 TEU = one departure) [unit].
    dual_saving_cny
        ``dual x step``: the saving predicted by the shadow price [CNY/period];
        ``None`` without duals.
    saving_cny
        Saving found by re-solving with the capacity raised by one step, in
        generalised cost plus carbon cost [CNY/period] (with optimised departures
        the objective already pays for the departures run, so this is net of them).
    emissions_change_tco2e_wtw
        Change of WTW emissions found by the same re-solve [tCO2e/period]; negative
        means a saving.
    step_cost_cny
        Cost of the extra step (e.g. the fixed cost of one departure) [CNY/period].
    net_saving_cny_per_year
        The saving net of the step's cost, scaled to a year [CNY/year]:
        ``saving_cny - step_cost_cny`` with a fixed timetable, ``saving_cny`` with
        optimised departures (the re-solve paid for the departure if it ran it).
    saving_cny_per_year, emissions_change_tco2e_wtw_per_year
        The saving and the emissions change scaled to a 365-day year.
    text
        The decision in words.
    recommended
        True if the step pays for itself: ``net_saving_cny_per_year > 0``. A
        departure whose running cost exceeds its saving is not recommended.
    """

    resource: str
    label: str
    step: float
    step_name: str
    unit: str
    dual_saving_cny: float | None
    saving_cny: float
    emissions_change_tco2e_wtw: float
    saving_cny_per_year: float
    emissions_change_tco2e_wtw_per_year: float
    step_cost_cny: float
    net_saving_cny_per_year: float
    text: str
    recommended: bool = True


@dataclass(frozen=True)
class ModeSplitPlan:
    """The optimal mode split.

    Attributes
    ----------
    problem_name
        Name of the problem (scenario id).
    solver
        The solver that ran, e.g. ``"cbc (PULP_CBC_CMD, PuLP 3.3.2)"``.
    period_h
        Length of one period [h].
    carbon_price_cny_per_tco2e
        Carbon price in the objective [CNY/tCO2e].
    flows
        One entry per route option (zero flows included).
    volume_teu_by_mode
        Flow by main mode [TEU/period].
    teu_km_by_mode
        Transport work by mode, all legs [TEU-km/period].
    teu_km_share_by_mode
        Share of all TEU-km by mode [0-1].
    price_cost_cny, time_cost_cny, carbon_cost_cny
        Price, value-of-time and carbon parts of the objective [CNY/period].
    objective_cny
        Their sum [CNY/period].
    emissions_tco2e_wtw
        Total WTW emissions [tCO2e/period].
    resources
        Use of every capacity.
    targets
        Modal-share targets and emission caps.
    decisions
        Binding capacities in decision terms, largest saving first.
    duals_available
        Whether the solver returned dual values.
    build_time_s, solve_time_s
        Wall-clock time to build the model and to solve it [s].
    operator_cost_cny
        Operator's cost of the services [CNY/period]: per departure, plus the fixed
        cost and the fleet of each service that runs; of the departures the plan
        runs (``departures_optimised``; part of ``objective_cny``), else of the
        timetable (a constant, not in ``objective_cny``).
    departures_by_resource
        Departures per period the plan runs, a whole number, by service resource id
        (optimised departures only) [1/period].
    fleet_by_resource
        Vehicles the rotation of those departures needs, by service resource id with a
        rotation cycle (optimised departures only) [vehicles].
    """

    problem_name: str
    solver: str
    period_h: float
    carbon_price_cny_per_tco2e: float
    flows: tuple[RouteFlow, ...]
    volume_teu_by_mode: Mapping[str, float]
    teu_km_by_mode: Mapping[str, float]
    teu_km_share_by_mode: Mapping[str, float]
    price_cost_cny: float
    time_cost_cny: float
    carbon_cost_cny: float
    objective_cny: float
    emissions_tco2e_wtw: float
    resources: tuple[ResourceUsage, ...]
    targets: tuple[TargetUsage, ...]
    decisions: tuple[DecisionTerm, ...]
    duals_available: bool
    build_time_s: float
    solve_time_s: float
    operator_cost_cny: float = 0.0
    departures_by_resource: Mapping[str, int] = field(default_factory=dict)
    fleet_by_resource: Mapping[str, int] = field(default_factory=dict)

    def flow(self, route_id: str) -> float:
        """Flow on a route [TEU/period] (``KeyError`` if the route is unknown)."""
        for f in self.flows:
            if f.route == route_id:
                return f.volume_teu
        raise KeyError(route_id)

    def to_pandas(self) -> pd.DataFrame:
        """One row per route option (zero flows included), the columns of
        :class:`RouteFlow` (``main_mode`` a mode id)."""
        columns = [f.name for f in fields(RouteFlow)]
        return data_frame((record(f) for f in self.flows), columns)

    def usage(self, resource_id: str) -> ResourceUsage:
        """Use of a resource (``KeyError`` if unknown)."""
        for u in self.resources:
            if u.resource == resource_id:
                return u
        raise KeyError(resource_id)

    def route_shares(self) -> dict[str, dict[str, float]]:
        """Share of each OD's demand per route: ``{od: {route: share}}`` [0-1]."""
        out: dict[str, dict[str, float]] = {}
        for f in self.flows:
            out.setdefault(f.od, {})[f.route] = f.od_share
        return out


@dataclass(frozen=True)
class SelectionPlan:
    """Which candidate hubs or services to open, and the flows that follow.

    Attributes
    ----------
    opened, closed
        Candidate ids opened and left closed.
    budget_cny
        Budget per period [CNY/period].
    fixed_cost_cny
        Fixed cost of the opened candidates [CNY/period].
    variable_cost_cny
        Variable cost of the TEU through the opened candidates [CNY/period].
    throughput_teu_by_candidate
        TEU per period through each opened candidate [TEU/period].
    plan
        The flows, costs and emissions of the chosen network (no duals: MILP).
    objective_cny
        Routing objective plus fixed and variable candidate costs [CNY/period].
    capex_cny, capex_budget_cny
        Capex of the opened candidates and the capex budget [CNY] (``None``: none).
    departures_by_resource
        Departures per period chosen for each service resource whose departures
        are an integer decision [-].
    gap_share
        Relative MIP gap of the solution: 0 when the solver proved it optimal
        (run with a zero gap tolerance), ``None`` when it stopped early [-].
    """

    opened: tuple[str, ...]
    closed: tuple[str, ...]
    budget_cny: float
    fixed_cost_cny: float
    variable_cost_cny: float
    throughput_teu_by_candidate: Mapping[str, float]
    plan: ModeSplitPlan
    objective_cny: float
    capex_cny: float = 0.0
    capex_budget_cny: float | None = None
    departures_by_resource: Mapping[str, int] = field(default_factory=dict)
    gap_share: float | None = None
