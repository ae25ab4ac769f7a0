"""The mode-split LP: minimise generalised cost plus carbon cost subject to capacities.

.. math::

    \\min \\sum_r x_r (p_r + v t_r + c e_r / 1000)

subject to demand ``sum_{r in od} x_r = D_od``, resources ``sum_r u_rk x_r <= C_k``,
modal-share targets on TEU-km, emission caps, ``x >= 0``; ``x_r`` in TEU per
period, ``p`` price [CNY/TEU], ``v`` value of time [CNY/TEU-h], ``t`` duration [h],
``c`` carbon price [CNY/tCO2e], ``e`` WTW emissions [kgCO2e/TEU].

Binding capacities are stated in decision terms: the shadow price (dual) x one
step (a departure, a server) predicts the saving; the saving and the change of
emissions are then measured by re-solving with the capacity one step larger,
because a dual prices only the objective and only locally.
"""

from __future__ import annotations

import math
from itertools import chain
from operator import attrgetter

import numpy as np

from freighthub.optimize._arrays import ArrayModel, gc_paused, km_arrays, route_arrays
from freighthub.optimize._model import _Model, build_lp, departure_resources
from freighthub.optimize.diagnose import explain_infeasibility
from freighthub.optimize.problem import (
    InvalidProblemError,
    ModeSplitProblem,
    ResourceKind,
    period_name,
)
from freighthub.optimize.results import (
    DecisionTerm,
    ModeSplitPlan,
    ResourceUsage,
    RouteFlow,
    TargetUsage,
)
from freighthub.optimize.solvers import SolverChoice, SolverError, make_solver

__all__ = ["solve_mode_split"]

_OPTIMAL = 1
_BINDING_REL = 1e-6
_BINDING_ABS = 1e-6


def solve_mode_split(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float = 0.0,
    solver: str = "cbc",
    *,
    max_decisions: int = 10,
    time_limit_s: float | None = None,
    direct: bool = True,
) -> ModeSplitPlan:
    """Solve the mode-split LP.

    Parameters
    ----------
    problem
        Demand, route options, resources, targets and caps.
    carbon_price_cny_per_tco2e
        Carbon price added to the objective [CNY/tCO2e WTW], >= 0.
    solver
        ``"cbc"`` (PuLP's bundled CBC) or ``"highs"``.
    max_decisions
        At most this many binding capacities are re-solved for decision terms.
    time_limit_s
        Solver time limit [s] per solve.
    direct
        With ``"highs"`` and a pure LP (no optimised departures): build the matrix as
        sparse arrays and solve it in ``highspy`` without PuLP (about ten times faster
        to build at national scale; same optimum and duals). ``False``: through PuLP,
        the reference path. CBC and the MILP always go through PuLP.

    Returns
    -------
    ModeSplitPlan
        Flows, costs, emissions, capacity use with duals, decision terms.

    Raises
    ------
    InvalidProblemError
        If the carbon price is negative or not finite.
    InfeasibleError
        If no plan meets demand, capacities, targets and caps; its ``binding``
        names the conflicting constraints and the relaxation each needs.
    SolverUnavailableError, UnknownIdentifierError
        If the solver is not installed or unknown.
    SolverError
        If the solver stops without an answer.

    References
    ----------
    Bertsimas, D. and Tsitsiklis, J. N. (1997). Introduction to Linear
    Optimization, ch. 4 (duality, shadow prices) and ch. 5 (sensitivity).
    """
    _check_price(carbon_price_cny_per_tco2e)
    # Optimised departures are whole numbers: a MILP, solved to a proven optimum, whose
    # rows have no duals (decision terms are then measured by re-solving only).
    mip = bool(departure_resources(problem))
    choice = make_solver(solver, time_limit_s=time_limit_s, mip=mip, direct=direct)
    model = build_lp(choice, problem, carbon_price_cny_per_tco2e)
    status, solve_time_s = model.run(choice.solver)
    if status != _OPTIMAL:
        lp_choice = make_solver(solver, time_limit_s=time_limit_s, mip=False) if mip else choice
        raise explain_infeasibility(problem, carbon_price_cny_per_tco2e, lp_choice, status)
    return extract_plan(
        model,
        carbon_price_cny_per_tco2e,
        choice,
        solve_time_s,
        duals=choice.gives_duals and not mip,
        max_decisions=max_decisions,
    )


def _check_price(carbon_price_cny_per_tco2e: float) -> None:
    if not (math.isfinite(carbon_price_cny_per_tco2e) and carbon_price_cny_per_tco2e >= 0):
        raise InvalidProblemError(
            f"carbon_price_cny_per_tco2e = {carbon_price_cny_per_tco2e!r}: must be a finite number >= 0"
        )


def _pi(model: _Model | ArrayModel, name: str, duals: bool) -> float | None:
    return model.dual(name) if duals else None


def extract_plan(
    model: _Model | ArrayModel,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    solve_time_s: float,
    *,
    duals: bool,
    max_decisions: int = 0,
) -> ModeSplitPlan:
    """Turn a solved model into a :class:`ModeSplitPlan` (re-solving for decisions)."""
    with gc_paused():  # 100,000s of result objects, no cycles
        return _extract_plan(
            model, carbon_price_cny_per_tco2e, choice, solve_time_s, duals, max_decisions
        )


def _extract_plan(
    model: _Model | ArrayModel,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    solve_time_s: float,
    duals: bool,
    max_decisions: int,
) -> ModeSplitPlan:
    problem = model.problem
    if isinstance(model, ArrayModel):
        a, f = model.arrays, model.flow_array()
    else:
        a, f = route_arrays(problem, 0.0), np.asarray(model.flows_teu(), dtype=np.float64)
    demand = np.fromiter((d.volume_teu for d in problem.demands), np.float64)[a["od"]]
    od_share = np.divide(f, demand, out=np.zeros_like(f), where=demand > 0)
    generalised = a["price"] + problem.value_of_time_cny_per_teu_h * a["duration"]
    flows = tuple(
        RouteFlow(r.id, r.od, r.main_mode, v, s, g, e)
        for r, v, s, g, e in zip(
            problem.routes,
            f.tolist(),
            od_share.tolist(),
            generalised.tolist(),
            a["emissions_kg"].tolist(),
            strict=True,
        )
    )
    main = list(map(attrgetter("main_mode"), problem.routes))
    modes = {m: i for i, m in enumerate(dict.fromkeys(main))}  # first-seen order
    by_main = np.bincount(
        np.fromiter(map(modes.__getitem__, main), np.int64, len(main)),
        weights=f,
        minlength=len(modes),
    )
    volume_by_mode: dict[str, float] = {m: float(by_main[i]) for m, i in modes.items()}
    dists = map(attrgetter("distance_km_by_mode"), problem.routes)
    _, km = km_arrays(problem, dict.fromkeys(chain.from_iterable(dists)))
    teu_km: dict[str, float] = {m: float(k @ f) for m, k in km.items()}
    total_teu_km = sum(teu_km.values())
    share = {m: (v / total_teu_km if total_teu_km > 0 else 0.0) for m, v in teu_km.items()}
    price = float(a["price"] @ f)
    time_cost = float((problem.value_of_time_cny_per_teu_h * a["duration"]) @ f)
    emissions = model.emissions_tco2e()
    carbon = carbon_price_cny_per_tco2e * emissions

    use = np.bincount(
        a["use_res"], weights=a["use_per"] * f[a["use_route"]], minlength=len(problem.resources)
    )
    used_by = {res.id: float(use[k]) for k, res in enumerate(problem.resources)}
    usages = []
    for res in problem.resources:
        used = used_by[res.id]
        pi = _pi(model, model.resource_rows[res.id], duals)
        usages.append(
            ResourceUsage(
                resource=res.id,
                label=res.label,
                kind=res.kind,
                unit=res.unit,
                capacity=res.capacity,
                used=used,
                utilisation_share=used / res.capacity if res.capacity > 0 else math.nan,
                binding=used >= res.capacity * (1 - _BINDING_REL) - _BINDING_ABS,
                dual_cny_per_unit=None if pi is None else max(0.0, -pi),
            )
        )

    targets = []
    for t in problem.targets:
        group = sum(teu_km.get(m, 0.0) for m in t.modes)
        achieved = group / total_teu_km if total_teu_km > 0 else 0.0
        for bound, row_name in model.target_rows[t.id]:
            limit = t.max_share if bound == "max" else t.min_share
            assert limit is not None
            pi = _pi(model, row_name, duals)
            targets.append(
                TargetUsage(
                    constraint=t.id,
                    description=f"{t.modes_label} share of TEU-km {'<=' if bound == 'max' else '>='} {limit:.1%}",
                    limit=limit,
                    achieved=achieved,
                    binding=abs(achieved - limit) <= 1e-6,
                    dual_cny_per_unit=None
                    if pi is None
                    else max(0.0, -pi) / model.row_scale[row_name] * 0.01 * total_teu_km,
                )
            )
    for c in problem.emission_caps:
        pi = _pi(model, model.cap_rows[c.id], duals)
        targets.append(
            TargetUsage(
                constraint=c.id,
                description=f"emissions <= {c.max_tco2e_wtw:,.1f} tCO2e WTW per {period_name(problem.period_h)}",
                limit=c.max_tco2e_wtw,
                achieved=emissions,
                binding=emissions >= c.max_tco2e_wtw * (1 - _BINDING_REL) - _BINDING_ABS,
                dual_cny_per_unit=None if pi is None else max(0.0, -pi),
            )
        )

    optimised = problem.departures_optimised
    if optimised:
        operator = model.operator_cost_cny()
        departures = {r: n for r, n in model.departures().items() if r not in model.candidate_of}
        fleet = {
            r: problem.resource(r).fleet(n, problem.period_h)
            for r, n in departures.items()
            if problem.resource(r).cycle_h is not None
        }
    else:
        operator = sum(
            res.step_cost_cny * res.capacity / res.step
            + res.fixed_cost_cny_per_period
            + res.vehicle_cost_cny_per_period * res.fleet(res.steps_offered, problem.period_h)
            for res in problem.resources
            if res.kind is ResourceKind.SERVICE and res.has_running_cost
        )
        departures, fleet = {}, {}
    objective = price + time_cost + carbon + (operator if optimised else 0.0)
    decisions = _decisions(model, usages, objective, emissions, choice, max_decisions)
    return ModeSplitPlan(
        problem_name=problem.name,
        solver=choice.description,
        period_h=problem.period_h,
        carbon_price_cny_per_tco2e=carbon_price_cny_per_tco2e,
        flows=flows,
        volume_teu_by_mode=volume_by_mode,
        teu_km_by_mode=teu_km,
        teu_km_share_by_mode=share,
        price_cost_cny=price,
        time_cost_cny=time_cost,
        carbon_cost_cny=carbon,
        objective_cny=objective,
        emissions_tco2e_wtw=emissions,
        resources=tuple(usages),
        targets=tuple(targets),
        decisions=decisions,
        duals_available=duals,
        build_time_s=model.build_time_s,
        solve_time_s=solve_time_s,
        operator_cost_cny=operator,
        departures_by_resource=departures,
        fleet_by_resource=fleet,
    )


def _decisions(
    model: _Model | ArrayModel,
    usages: list[ResourceUsage],
    objective_cny: float,
    emissions_tco2e: float,
    choice: SolverChoice,
    max_decisions: int,
) -> tuple[DecisionTerm, ...]:
    problem = model.problem
    binding = [u for u in usages if u.binding]
    if not binding or max_decisions <= 0:
        return ()

    def predicted(u: ResourceUsage) -> float:
        return (u.dual_cny_per_unit or 0.0) * problem.resource(u.resource).step

    if any(u.dual_cny_per_unit is not None for u in binding):
        binding = [u for u in binding if predicted(u) > 1e-9 or u.dual_cny_per_unit is None]
    binding.sort(key=lambda u: (-predicted(u), -u.used, u.resource))
    terms: list[DecisionTerm] = []
    for u in binding[:max_decisions]:
        res = problem.resource(u.resource)
        name = model.resource_rows[res.id]
        stepped = model.departures_of.get(res.id)
        model.set_rhs(name, res.capacity + res.step)
        if stepped is not None:
            stepped.n.upBound = stepped.most + 1
        try:
            status, _ = model.run(choice.solver)
            if status != _OPTIMAL:
                raise SolverError(
                    f"re-solve with resource {res.id!r} one {res.step_name} larger ended with "
                    f"status {status}"
                )
            saving = objective_cny - model.objective_cny()
            d_emissions = model.emissions_tco2e() - emissions_tco2e
        finally:
            model.set_rhs(name, res.capacity)
            if stepped is not None:
                stepped.n.upBound = stepped.most
        per_year = problem.periods_per_year
        # With optimised departures the re-solve already pays for a departure it runs
        # (its cost, its fleet, its fixed cost); with a fixed timetable the extra
        # departure costs its own cost and the vehicles it adds to the rotation.
        offered = res.steps_offered
        charged = (
            0.0
            if stepped is not None
            else res.running_cost_cny(offered + 1, problem.period_h)
            - res.running_cost_cny(offered, problem.period_h)
            if res.has_running_cost
            else 0.0
        )
        net = (saving - charged) * per_year
        text = _text(
            res.label,
            res.step,
            res.step_name,
            res.unit,
            problem.period_h,
            net if res.has_running_cost else saving * per_year,
            d_emissions * per_year,
            net_of=res.step_name if res.has_running_cost else None,
        )
        if res.has_running_cost and net <= 0:
            text += ": not recommended, its running cost exceeds its saving"
        terms.append(
            DecisionTerm(
                resource=res.id,
                label=res.label,
                step=res.step,
                step_name=res.step_name,
                unit=res.unit,
                dual_saving_cny=None if u.dual_cny_per_unit is None else predicted(u),
                saving_cny=saving,
                emissions_change_tco2e_wtw=d_emissions,
                saving_cny_per_year=saving * per_year,
                emissions_change_tco2e_wtw_per_year=d_emissions * per_year,
                step_cost_cny=res.step_cost_cny,
                net_saving_cny_per_year=net,
                text=text,
                recommended=net > 0,
            )
        )
    terms.sort(key=lambda t: (-t.net_saving_cny_per_year, t.resource))
    return tuple(terms)


def _text(
    label: str,
    step: float,
    step_name: str,
    unit: str,
    period_h: float,
    saving_cny_per_year: float,
    d_tco2e_per_year: float,
    net_of: str | None = None,
) -> str:
    period = period_name(period_h)
    if step_name == unit:
        what = f"{step:,.0f} {unit} more capacity per {period} on {label}"
    else:
        what = f"one more {step_name} per {period} on {label} (+{step:,.0f} {unit})"
    cost = (
        f"saves {saving_cny_per_year:,.0f} CNY"
        if saving_cny_per_year >= 0
        else f"costs {-saving_cny_per_year:,.0f} CNY"
    )
    if net_of is not None:
        cost += f" net of the {net_of}'s running cost"
    if d_tco2e_per_year <= 0:
        return f"{what} {cost} and {-d_tco2e_per_year:,.1f} tCO2e WTW a year"
    return f"{what} {cost} a year but adds {d_tco2e_per_year:,.1f} tCO2e WTW a year"
