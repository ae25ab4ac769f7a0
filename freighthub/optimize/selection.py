"""Hub and service selection (MILP): which candidates to open under a budget.

A candidate (a new hub, a new or extended service) owns some resources of the
problem; they have capacity only if the candidate is opened (binary ``y_c``).
Opening costs a fixed amount per period plus a variable cost per TEU through it:

.. math::

    \\min \\sum_r x_r g_r + \\sum_c (F_c y_c + v_c T_c)
    \\quad \\text{s.t. LP rows}, \\; \\sum_r u_{rk} x_r \\le C_k y_c,
    \\; x_r \\le D_{od(r)} y_c, \\; \\sum_c (F_c y_c + v_c T_c) \\le B

with ``T_c`` the TEU per period on routes that use any resource of ``c``. This is
how the scorer's candidate hubs meet the network: a candidate's capacity comes
from its hub file through the scenario adapter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pulp

from freighthub.errors import InfeasibleError
from freighthub.optimize._model import build_model, solve
from freighthub.optimize.lp import _check_price, extract_plan, solve_mode_split
from freighthub.optimize.problem import InvalidProblemError, ModeSplitProblem, period_name
from freighthub.optimize.results import SelectionPlan
from freighthub.optimize.solvers import SolverChoice, SolverError, make_solver

__all__ = ["Candidate", "select_candidates"]

_OPTIMAL = 1


@dataclass(frozen=True)
class Candidate:
    """A hub or service that may be opened.

    Parameters
    ----------
    id
        Candidate id (hub id or service id).
    label
        Human-readable name.
    resources
        Ids of the problem's resources that exist only if the candidate opens.
    fixed_cost_cny
        Fixed cost per period when open (annuity of the investment plus fixed
        operating cost) [CNY/period].
    variable_cost_cny_per_teu
        Cost per TEU through the candidate [CNY/TEU].
    capex_cny
        Investment if opened [CNY], counted against ``capex_budget_cny``.
    integer_departures
        The candidate's service resources run a whole number of departures per
        period, 0 up to the scenario's (an integer decision); each departure costs
        the resource's ``step_cost_cny``.
    """

    id: str
    label: str
    resources: tuple[str, ...]
    fixed_cost_cny: float
    variable_cost_cny_per_teu: float = 0.0
    capex_cny: float = 0.0
    integer_departures: bool = False

    def __post_init__(self) -> None:
        if not self.resources:
            raise InvalidProblemError(f"candidate {self.id!r}: resources must not be empty")
        for name in ("fixed_cost_cny", "variable_cost_cny_per_teu", "capex_cny"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise InvalidProblemError(
                    f"candidate {self.id!r}: {name} = {value!r}: must be a finite number >= 0"
                )


def select_candidates(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    budget_cny: float | None,
    carbon_price_cny_per_tco2e: float = 0.0,
    solver: str = "cbc",
    *,
    time_limit_s: float | None = None,
    capex_budget_cny: float | None = None,
) -> SelectionPlan:
    """Choose which candidates to open, and route the demand over the result.

    Parameters
    ----------
    problem
        The mode-split problem with the resources of all candidates in it.
    candidates
        The candidates; each resource belongs to at most one.
    budget_cny
        Budget for fixed plus variable candidate costs [CNY/period]; ``None``: none.
    carbon_price_cny_per_tco2e
        Carbon price [CNY/tCO2e].
    solver
        ``"cbc"`` or ``"highs"``.
    time_limit_s
        Time limit [s].
    capex_budget_cny
        Budget for the candidates' capex [CNY] (``sum capex_c y_c <= B``); ``None``: none.

    Returns
    -------
    SelectionPlan
        Opened and closed candidates, their costs and throughput, and the flows.

    Raises
    ------
    InvalidProblemError
        For unknown or shared resources, duplicate candidate ids, a negative budget,
        a capex budget below every candidate's capex.
    InfeasibleError
        If no choice within the budget carries the demand; ``binding`` holds
        ``{"budget": extra CNY per period needed}`` when more budget would do.
    """
    _check_price(carbon_price_cny_per_tco2e)
    for name, value in (("budget_cny", budget_cny), ("capex_budget_cny", capex_budget_cny)):
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise InvalidProblemError(f"{name} = {value!r}: must be a finite number >= 0")
    if capex_budget_cny is not None and candidates:
        cheapest = min(candidates, key=lambda c: c.capex_cny)
        if capex_budget_cny < cheapest.capex_cny:
            raise InvalidProblemError(
                f"budget = {capex_budget_cny:,.0f} CNY: below every candidate's capex "
                f"(the cheapest, {cheapest.id!r}, needs {cheapest.capex_cny:,.0f} CNY)"
            )
    owner: dict[str, str] = {}
    seen: set[str] = set()
    for c in candidates:
        if c.id in seen:
            raise InvalidProblemError(f"candidate id {c.id!r} is given twice")
        seen.add(c.id)
        for res_id in c.resources:
            try:
                problem.resource(res_id)
            except KeyError:
                raise InvalidProblemError(
                    f"candidate {c.id!r}: resource = {res_id!r}: unknown resource"
                ) from None
            if res_id in owner:
                raise InvalidProblemError(
                    f"candidate {c.id!r}: resource {res_id!r} already belongs to "
                    f"candidate {owner[res_id]!r}"
                )
            owner[res_id] = c.id

    choice = make_solver(solver, time_limit_s=time_limit_s, mip=True)
    budgets = _Budgets(budget_cny, capex_budget_cny)
    found = _select(problem, candidates, owner, budgets, carbon_price_cny_per_tco2e, choice)
    if found is None:
        raise _explain(problem, candidates, owner, budgets, carbon_price_cny_per_tco2e, choice)
    return found


@dataclass(frozen=True)
class _Budgets:
    per_period_cny: float | None
    capex_cny: float | None


def _select(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    owner: dict[str, str],
    budgets: _Budgets | None,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    *,
    spend_only: str | None = None,
) -> SelectionPlan | None:
    """Solve the MILP; ``None`` if it has no solution.

    ``budgets=None`` drops the budget rows; ``spend_only`` (``"period"`` or
    ``"capex"``) minimises that candidate spend alone (to find the least budget
    that carries the demand).
    """
    stepped = frozenset(
        r
        for c in candidates
        if c.integer_departures
        for r in c.resources
        if problem.resource(r).increment is not None
    )
    model = build_model(
        problem, carbon_price_cny_per_tco2e, candidate_of=owner, departure_steps=stepped
    )
    y = model.y
    demand = {d.id: d.volume_teu for d in problem.demands}
    users: dict[str, list[Any]] = {c.id: [] for c in candidates}
    for i, route in enumerate(problem.routes):
        for cid in sorted({owner[u.resource] for u in route.uses if u.resource in owner}):
            users[cid].append(model.x[i])
            model.prob.addConstraint(
                pulp.LpConstraint(
                    model.x[i] - demand[route.od] * y[cid], pulp.LpConstraintLE, f"L{i}_{cid}", 0.0
                )
            )
    spend = pulp.lpSum(
        c.fixed_cost_cny * y[c.id]
        + c.variable_cost_cny_per_teu * pulp.lpSum(users[c.id])
        + pulp.lpSum(model.departure_cost_expr(r) for r in c.resources if r in model.departures_of)
        for c in candidates
        if c.id in y
    )
    capex = pulp.lpSum(c.capex_cny * y[c.id] for c in candidates if c.id in y)
    if budgets is not None and budgets.per_period_cny is not None:
        model.prob.addConstraint(
            pulp.LpConstraint(spend, pulp.LpConstraintLE, "B", budgets.per_period_cny)
        )
    if budgets is not None and budgets.capex_cny is not None:
        model.prob.addConstraint(
            pulp.LpConstraint(capex, pulp.LpConstraintLE, "BK", budgets.capex_cny)
        )
    objective = {"period": spend, "capex": capex}.get(spend_only or "")
    model.prob.setObjective(model.prob.objective + spend if objective is None else objective)
    status, solve_time_s = solve(model, choice.solver)
    if status != _OPTIMAL:
        return None
    # sol_status 1: optimal within the solver's gap tolerance (0 for CBC, see
    # solvers.make_solver); 2: an integer solution found, stopped early (time limit).
    proven = getattr(model.prob, "sol_status", 1) == 1

    opened = tuple(c.id for c in candidates if model.value(y[c.id]) > 0.5)
    closed = tuple(c.id for c in candidates if c.id not in opened)
    throughput = {cid: float(sum(model.value(v) for v in users[cid])) for cid in opened}
    departures = {r: n for r, n in model.departures().items() if r in owner}
    fixed = sum(c.fixed_cost_cny for c in candidates if c.id in opened) + sum(
        model.departure_cost_cny(r) for r in departures
    )
    variable = sum(
        c.variable_cost_cny_per_teu * throughput[c.id] for c in candidates if c.id in opened
    )
    plan = extract_plan(model, carbon_price_cny_per_tco2e, choice, solve_time_s, duals=False)
    per_period = None if budgets is None else budgets.per_period_cny
    return SelectionPlan(
        opened=opened,
        closed=closed,
        budget_cny=math.inf if per_period is None else per_period,
        fixed_cost_cny=fixed,
        variable_cost_cny=variable,
        throughput_teu_by_candidate=throughput,
        plan=plan,
        objective_cny=plan.objective_cny + fixed + variable,
        capex_cny=sum(c.capex_cny for c in candidates if c.id in opened),
        capex_budget_cny=None if budgets is None else budgets.capex_cny,
        departures_by_resource=departures,
        gap_share=0.0 if proven else None,
    )


def _explain(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    owner: dict[str, str],
    budgets: _Budgets,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
) -> Exception:
    """Find the least budget that would do; otherwise explain the LP with all candidates open."""
    period = period_name(problem.period_h)
    kind = "period" if budgets.per_period_cny is not None else "capex"
    cheapest = _select(
        problem, candidates, owner, None, carbon_price_cny_per_tco2e, choice, spend_only=kind
    )
    if cheapest is None:
        try:
            solve_mode_split(problem, carbon_price_cny_per_tco2e, choice.name)
        except InfeasibleError as exc:
            return InfeasibleError(
                f"no choice of candidates works, even with all of them open: {exc}", exc.binding
            )
        return SolverError(f"{choice.description} found no solution of the selection MILP")
    if kind == "capex":
        need = cheapest.capex_cny
        given = budgets.capex_cny or 0.0
        return InfeasibleError(
            f"infeasible plan for {problem.name!r}: a capex budget of {given:,.0f} CNY "
            f"cannot open enough candidates to carry the demand; the cheapest choice "
            f"({', '.join(cheapest.opened) or 'none'}) needs {need:,.0f} CNY "
            f"(+{need - given:,.0f})",
            {"capex_budget": need - given},
        )
    budget_cny = budgets.per_period_cny or 0.0
    need = cheapest.fixed_cost_cny + cheapest.variable_cost_cny
    return InfeasibleError(
        f"infeasible plan for {problem.name!r}: a budget of {budget_cny:,.0f} CNY a {period} "
        f"cannot open enough candidates to carry the demand; the cheapest choice "
        f"({', '.join(cheapest.opened) or 'none'}) needs {need:,.0f} CNY a {period} "
        f"(+{need - budget_cny:,.0f})",
        {"budget": need - budget_cny},
    )
