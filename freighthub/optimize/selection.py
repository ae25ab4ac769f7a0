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
    """

    id: str
    label: str
    resources: tuple[str, ...]
    fixed_cost_cny: float
    variable_cost_cny_per_teu: float = 0.0

    def __post_init__(self) -> None:
        if not self.resources:
            raise InvalidProblemError(f"candidate {self.id!r}: resources must not be empty")
        for name in ("fixed_cost_cny", "variable_cost_cny_per_teu"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise InvalidProblemError(
                    f"candidate {self.id!r}: {name} = {value!r}: must be a finite number >= 0"
                )


def select_candidates(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    budget_cny: float,
    carbon_price_cny_per_tco2e: float = 0.0,
    solver: str = "cbc",
    *,
    time_limit_s: float | None = None,
) -> SelectionPlan:
    """Choose which candidates to open, and route the demand over the result.

    Parameters
    ----------
    problem
        The mode-split problem with the resources of all candidates in it.
    candidates
        The candidates; each resource belongs to at most one.
    budget_cny
        Budget for fixed plus variable candidate costs [CNY/period].
    carbon_price_cny_per_tco2e
        Carbon price [CNY/tCO2e].
    solver
        ``"cbc"`` or ``"highs"``.
    time_limit_s
        Time limit [s].

    Returns
    -------
    SelectionPlan
        Opened and closed candidates, their costs and throughput, and the flows.

    Raises
    ------
    InvalidProblemError
        For unknown or shared resources, duplicate candidate ids, a negative budget.
    InfeasibleError
        If no choice within the budget carries the demand; ``binding`` holds
        ``{"budget": extra CNY per period needed}`` when more budget would do.
    """
    _check_price(carbon_price_cny_per_tco2e)
    if not (math.isfinite(budget_cny) and budget_cny >= 0):
        raise InvalidProblemError(f"budget_cny = {budget_cny!r}: must be a finite number >= 0")
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
    found = _select(problem, candidates, owner, budget_cny, carbon_price_cny_per_tco2e, choice)
    if found is None:
        raise _explain(problem, candidates, owner, budget_cny, carbon_price_cny_per_tco2e, choice)
    return found


def _select(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    owner: dict[str, str],
    budget_cny: float | None,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    *,
    spend_only: bool = False,
) -> SelectionPlan | None:
    """Solve the MILP; ``None`` if it has no solution.

    ``budget_cny=None`` drops the budget row; ``spend_only`` minimises the
    candidate spend alone (to find the least budget that carries the demand).
    """
    model = build_model(problem, carbon_price_cny_per_tco2e, candidate_of=owner)
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
        c.fixed_cost_cny * y[c.id] + c.variable_cost_cny_per_teu * pulp.lpSum(users[c.id])
        for c in candidates
        if c.id in y
    )
    if budget_cny is not None:
        model.prob.addConstraint(pulp.LpConstraint(spend, pulp.LpConstraintLE, "B", budget_cny))
    model.prob.setObjective(spend if spend_only else model.prob.objective + spend)
    status, solve_time_s = solve(model, choice.solver)
    if status != _OPTIMAL:
        return None

    opened = tuple(c.id for c in candidates if model.value(y[c.id]) > 0.5)
    closed = tuple(c.id for c in candidates if c.id not in opened)
    throughput = {cid: float(sum(model.value(v) for v in users[cid])) for cid in opened}
    fixed = sum(c.fixed_cost_cny for c in candidates if c.id in opened)
    variable = sum(
        c.variable_cost_cny_per_teu * throughput[c.id] for c in candidates if c.id in opened
    )
    plan = extract_plan(model, carbon_price_cny_per_tco2e, choice, solve_time_s, duals=False)
    return SelectionPlan(
        opened=opened,
        closed=closed,
        budget_cny=math.inf if budget_cny is None else budget_cny,
        fixed_cost_cny=fixed,
        variable_cost_cny=variable,
        throughput_teu_by_candidate=throughput,
        plan=plan,
        objective_cny=plan.objective_cny + fixed + variable,
    )


def _explain(
    problem: ModeSplitProblem,
    candidates: tuple[Candidate, ...],
    owner: dict[str, str],
    budget_cny: float,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
) -> Exception:
    """Find the least budget that would do; otherwise explain the LP with all candidates open."""
    period = period_name(problem.period_h)
    cheapest = _select(
        problem, candidates, owner, None, carbon_price_cny_per_tco2e, choice, spend_only=True
    )
    if cheapest is None:
        try:
            solve_mode_split(problem, carbon_price_cny_per_tco2e, choice.name)
        except InfeasibleError as exc:
            return InfeasibleError(
                f"no choice of candidates works, even with all of them open: {exc}", exc.binding
            )
        return SolverError(f"{choice.description} found no solution of the selection MILP")
    need = cheapest.fixed_cost_cny + cheapest.variable_cost_cny
    return InfeasibleError(
        f"infeasible plan for {problem.name!r}: a budget of {budget_cny:,.0f} CNY a {period} "
        f"cannot open enough candidates to carry the demand; the cheapest choice "
        f"({', '.join(cheapest.opened) or 'none'}) needs {need:,.0f} CNY a {period} "
        f"(+{need - budget_cny:,.0f})",
        {"budget": need - budget_cny},
    )
