"""Build the mode-split LP from a scenario, and turn its plan back into a scenario.

The adapter works on the compiled network (:func:`freighthub.sim.compiler.compile_network`),
so the LP and the simulation read the same numbers: distances, travel times,
costs, capacities per departure after disruptions, handling servers and rates,
yard capacities. Per period of ``period_h`` hours:

- demand = ``teu_per_year x period_h / 8760`` [TEU/period] (seasonality averages out);
- service capacity = the TEU offered by all departures over the horizon x
  ``period_h / horizon_h``; one decision step is one departure of the service's
  mean capacity, and costs ``cost_cny_per_departure``; given the scenario's
  operator costs (``operator_costs``), a service also has its fixed cost and the
  cost of each vehicle per period (yearly x ``period_h / 8760``) and its rotation
  cycle ``2 x travel_time_h + 2 x turnaround_h`` (the fleet rule of
  :mod:`freighthub.model.operator_cost`), which optimised departures pay for;
- hub handling capacity = ``servers / handling_time_h x period_h`` [moves/period];
  a service leg makes one move at each end, i.e. ``1 / (1 + box_40ft_share)``
  moves per TEU (a 40' box is 2 TEU, one move);
- yard: a box waits in the yard of a service's origin hub from its load move until
  its departure, on average ``handling_time_h + cutoff_h + headway_h / 2``; by
  Little's law that uses ``that time / period_h`` TEU of yard per TEU/period;
- route price = road ``cost_cny_per_teu + cost_cny_per_trip / truck_capacity_teu``
  + service ``cost_cny_per_teu`` + handling ``cost_cny_per_move`` x moves per TEU;
- route duration = road and service travel times + per service leg ``cutoff_h +
  headway_h / 2`` + the mean handling time of each move;
- emissions per TEU from :func:`freighthub.emissions.leg_emissions_kg` for every leg
  and :func:`freighthub.emissions.hub_emissions_kg` for every hub passage (the same
  calls, activity units and freight mass as :mod:`freighthub.sim.legs`: GLEC
  freight mass, i.e. cargo for a loaded box and tare for an empty one), WTW.

Value of time, carbon price, targets and caps are inputs: the CLI takes them from
the mode-choice parameter file or the command line, never from this code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from freighthub.emissions import (
    FactorPack,
    hub_emissions_kg,
    leg_emissions_kg,
)
from freighthub.model.operator_cost import OperatorCost
from freighthub.model.scenario import LoadedScenario
from freighthub.model.sourced import Sourced
from freighthub.optimize.problem import (
    EmissionCap,
    InvalidProblemError,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
)
from freighthub.optimize.results import ModeSplitPlan
from freighthub.optimize.selection import Candidate
from freighthub.sim.network import LEG_ROAD, CompiledNetwork, mode_codes
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR
from freighthub.vocabulary import Confidence, Mode

__all__ = [
    "apply_plan",
    "hub_candidate",
    "operator_costs_of",
    "problem_from_network",
    "route_shares_toml",
    "service_resource_id",
]


def service_resource_id(service_id: str) -> str:
    """Resource id of a timetabled service."""
    return f"service:{service_id}"


def handling_resource_id(hub_id: str) -> str:
    """Resource id of a hub's handling pool."""
    return f"handling:{hub_id}"


def yard_resource_id(hub_id: str) -> str:
    """Resource id of a hub's yard."""
    return f"yard:{hub_id}"


def problem_from_network(
    network: CompiledNetwork,
    pack: FactorPack,
    *,
    value_of_time_cny_per_teu_h: float,
    period_h: float = HOURS_PER_WEEK,
    targets: tuple[ModeShareTarget, ...] = (),
    emission_caps: tuple[EmissionCap, ...] = (),
    departures_optimised: bool = False,
    operator_costs: Mapping[str, OperatorCost] | None = None,
) -> ModeSplitProblem:
    """The mode-split problem of a compiled network (see the module docstring).

    Parameters
    ----------
    network
        The compiled scenario.
    pack
        Emission factor pack holding every intensity id of the network.
    value_of_time_cny_per_teu_h
        Value of time of the cargo [CNY per TEU-hour].
    period_h
        Length of one LP period [h].
    targets, emission_caps
        Modal-share targets and emission caps [tCO2e WTW per period].
    departures_optimised
        Departures as decisions that cost ``cost_cny_per_departure`` each (the
        scenario's per-departure cost plus its operator cost components).
    operator_costs
        Service id -> its ``[services.operator_cost]`` (:func:`operator_costs_of`):
        the fixed and fleet costs of a service (module docstring); ``None``: none.

    Returns
    -------
    ModeSplitProblem
        One OD per scenario demand, one route option per scenario route
        (``"<od id>/<route name>"``), resources for services, handling pools and
        finite yards.

    Raises
    ------
    UnknownIdentifierError
        If an intensity or hub-category id is not in ``pack``.
    InvalidProblemError
        For a negative value of time or a bad period.
    """
    svc, road, hubs, routes, demand = (
        network.services,
        network.road,
        network.hubs,
        network.routes,
        network.demand,
    )
    resources: list[Resource] = []
    per_period = period_h / HOURS_PER_YEAR
    for s in range(svc.n):
        oc = (operator_costs or {}).get(svc.ids[s])
        fixed, vehicle, cycle_h = 0.0, 0.0, None
        if oc is not None:
            fixed = oc.fixed_cny_per_year.value * per_period if oc.fixed_cny_per_year else 0.0
            if oc.turnaround_h is not None:
                cycle_h = 2.0 * float(svc.travel_time_h[s]) + 2.0 * oc.turnaround_h.value
                if oc.vehicle_cny_per_year is not None:
                    vehicle = oc.vehicle_cny_per_year.value * per_period
        caps = svc.capacity_teu[s]
        offered = float(np.sum(caps)) * period_h / network.horizon_h
        positive = caps[caps > 0]
        step = float(np.mean(positive)) if positive.size else 1.0
        mode = mode_codes()[int(svc.mode[s])]
        a, b = network.node_ids[int(svc.origin[s])], network.node_ids[int(svc.destination[s])]
        resources.append(
            Resource(
                service_resource_id(svc.ids[s]),
                ResourceKind.SERVICE,
                offered,
                "TEU",
                f"{mode} {a} → {b} ({svc.ids[s]})",
                step,
                "departure",
                step_cost_cny=float(svc.cost_cny_per_departure[s]),
                fixed_cost_cny_per_period=fixed,
                vehicle_cost_cny_per_period=vehicle,
                cycle_h=cycle_h,
            )
        )
    for h in range(hubs.n):
        moves_per_h = float(hubs.servers[h]) / float(hubs.handling_time_h[h])
        resources.append(
            Resource(
                handling_resource_id(hubs.ids[h]),
                ResourceKind.HANDLING,
                moves_per_h * period_h,
                "moves",
                f"handling at {hubs.ids[h]}",
                period_h / float(hubs.handling_time_h[h]),
                "server",
            )
        )
        if math.isfinite(float(hubs.yard_capacity_teu[h])):
            resources.append(
                Resource(
                    yard_resource_id(hubs.ids[h]),
                    ResourceKind.YARD,
                    float(hubs.yard_capacity_teu[h]),
                    "TEU",
                    f"yard at {hubs.ids[h]}",
                )
            )
    yards = {r.id for r in resources if r.kind is ResourceKind.YARD}

    ods = [
        OdDemand(demand.ids[o], float(demand.teu_per_year[o]) * period_h / HOURS_PER_YEAR)
        for o in range(demand.n)
    ]
    options: list[RouteOption] = []
    for r in range(routes.n):
        o = int(routes.od[r])
        s40 = float(demand.box_40ft_share[o])
        moves_per_teu = 1.0 / (1.0 + s40)
        loaded = float(demand.loaded_share[o])
        mass_t_per_teu = loaded * float(demand.cargo_t_per_teu[o]) + (1.0 - loaded) * float(
            demand.tare_t_per_teu[o]
        )
        price = 0.0
        duration = 0.0
        emissions = 0.0
        km: dict[str, float] = {}
        uses: list[ResourceUse] = []
        for g in range(int(routes.leg_start[r]), int(routes.leg_start[r + 1])):
            i = int(routes.leg_index[g])
            if int(routes.leg_kind[g]) == LEG_ROAD:
                price += float(road.cost_cny_per_teu[i]) + float(road.cost_cny_per_trip[i]) / float(
                    road.truck_capacity_teu[i]
                )
                duration += float(road.travel_time_h[i])
                d_km, mode, intensity = float(road.distance_km[i]), Mode.ROAD, road.intensity_id[i]
            else:
                price += float(svc.cost_cny_per_teu[i])
                origin = int(svc.origin[i])
                wait_h = float(svc.cutoff_h[i]) + network.headway_h(i) / 2.0
                duration += wait_h + float(svc.travel_time_h[i])
                d_km, mode = float(svc.distance_km[i]), mode_codes()[int(svc.mode[i])]
                intensity = svc.intensity_id[i]
                uses.append(ResourceUse(service_resource_id(svc.ids[i])))
                yard = yard_resource_id(hubs.ids[origin])
                if yard in yards:
                    in_yard_h = float(hubs.handling_time_h[origin]) + wait_h
                    uses.append(ResourceUse(yard, in_yard_h / period_h))
            km[mode] = km.get(mode, 0.0) + d_km
            # one TEU's shipment; the formula takes the quantity its intensity is in
            emissions += float(leg_emissions_kg(pack, intensity, mass_t_per_teu, d_km, teu=1.0)[0])
        previous = -1
        for v in range(int(routes.visit_start[r]), int(routes.visit_start[r + 1])):
            h = int(routes.visit_hub[v])
            uses.append(ResourceUse(handling_resource_id(hubs.ids[h]), moves_per_teu))
            price += float(hubs.handling_cost_cny_per_move[h]) * moves_per_teu
            duration += float(hubs.handling_time_h[h])
            if h != previous and hubs.handling_intensity_id[h]:
                emissions += float(
                    hub_emissions_kg(
                        pack,
                        hubs.handling_intensity_id[h],
                        mass_t_per_teu,
                        teu=1.0,
                        boxes=moves_per_teu,
                    )[0]
                )
            previous = h
        options.append(
            RouteOption(
                routes.ids[r],
                demand.ids[o],
                mode_codes()[int(routes.main_mode[r])],
                price,
                duration,
                emissions,
                km,
                _merge(uses),
            )
        )
    return ModeSplitProblem(
        demands=tuple(ods),
        routes=tuple(options),
        resources=tuple(resources),
        period_h=period_h,
        value_of_time_cny_per_teu_h=value_of_time_cny_per_teu_h,
        targets=targets,
        emission_caps=emission_caps,
        name=network.scenario_id,
        departures_optimised=departures_optimised,
    )


def operator_costs_of(loaded: LoadedScenario) -> dict[str, OperatorCost]:
    """Service id -> operator cost of every service of the scenario that declares one."""
    return {
        svc.id: svc.operator_cost
        for svc in loaded.scenario.services
        if svc.operator_cost is not None
    }


def _merge(uses: list[ResourceUse]) -> tuple[ResourceUse, ...]:
    total: dict[str, float] = {}
    for u in uses:
        total[u.resource] = total.get(u.resource, 0.0) + u.per_teu
    return tuple(ResourceUse(k, v) for k, v in total.items())


def hub_candidate(
    problem: ModeSplitProblem,
    hub_id: str,
    fixed_cost_cny: float,
    variable_cost_cny_per_teu: float = 0.0,
) -> Candidate:
    """A scenario hub as a candidate of :func:`~freighthub.optimize.select_candidates`.

    The candidate owns the hub's handling pool and yard: closed, no route that
    handles a box at the hub can run. The costs are inputs (from the caller's data,
    with their source), never defaults.

    Parameters
    ----------
    problem
        A problem built by :func:`problem_from_network`.
    hub_id
        Hub id in the scenario.
    fixed_cost_cny
        Fixed cost per period of opening the hub [CNY/period].
    variable_cost_cny_per_teu
        Cost per TEU through the hub [CNY/TEU].

    Raises
    ------
    InvalidProblemError
        If the problem has no handling pool for ``hub_id``.
    """
    ids = [handling_resource_id(hub_id), yard_resource_id(hub_id)]
    owned = tuple(r.id for r in problem.resources if r.id in ids)
    if handling_resource_id(hub_id) not in owned:
        hubs = sorted(
            r.id.split(":", 1)[1] for r in problem.resources if r.kind is ResourceKind.HANDLING
        )
        raise InvalidProblemError(
            f"hub_id = {hub_id!r}: no handling pool in problem {problem.name!r}; valid: "
            f"{', '.join(hubs) or '(none)'}"
        )
    return Candidate(hub_id, f"hub {hub_id}", owned, fixed_cost_cny, variable_cost_cny_per_teu)


def apply_plan(loaded: LoadedScenario, plan: ModeSplitPlan) -> LoadedScenario:
    """The scenario with the route shares of the LP plan (a variant of it).

    Each OD's route shares become the plan's shares (normalised to sum to 1),
    with the source ``"freighthub optimize: LP plan ..."``. Nothing else changes.

    Raises
    ------
    KeyError
        If the plan does not come from this scenario (a route is missing).
    """
    shares = plan.route_shares()
    new_demand = []
    for d in loaded.scenario.demand:
        od = shares[d.id]
        total = math.fsum(od[f"{d.id}/{r.name}"] for r in d.routes)
        new_routes = []
        for r in d.routes:
            value = od[f"{d.id}/{r.name}"] / total if total > 0 else r.share.value
            value = min(1.0, max(0.0, value))
            new_routes.append(
                r.model_copy(
                    update={
                        "share": Sourced[float](
                            value=value,
                            source=(
                                f"freighthub optimize: LP plan, {plan.solver}, carbon price "
                                f"{plan.carbon_price_cny_per_tco2e:g} CNY/tCO2e"
                            ),
                            confidence=Confidence.ASSUMPTION,
                        )
                    }
                )
            )
        new_demand.append(d.model_copy(update={"routes": tuple(new_routes)}))
    scenario = loaded.scenario.model_copy(
        update={"id": f"{loaded.scenario.id}-lp", "demand": tuple(new_demand)}
    )
    return LoadedScenario(
        scenario=scenario, hubs=loaded.hubs, path=loaded.path, hub_paths=loaded.hub_paths
    )


def route_shares_toml(plan: ModeSplitPlan) -> str:
    """The plan's route shares as TOML text (``[shares.<od>] <route> = share``)."""
    lines = [
        "# Route shares of the LP plan (freighthub optimize).",
        f"# solver: {plan.solver}; carbon price {plan.carbon_price_cny_per_tco2e:g} CNY/tCO2e",
    ]
    for od, routes in plan.route_shares().items():
        lines.append(f'\n[shares."{od}"]')
        for route, share in routes.items():
            name = route.split("/", 1)[1] if "/" in route else route
            lines.append(f'"{name}" = {share:.6f}')
    return "\n".join(lines) + "\n"
