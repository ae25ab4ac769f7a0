"""Building the PuLP model of a :class:`ModeSplitProblem` (shared by LP, elastic and MILP).

Rows (constraint names are short codes; ``_Model`` maps them back to ids):

- ``D<i>``: demand of OD i is carried in full, ``sum_r x_r = demand``.
- ``R<k>``: resource k, ``sum_r use_rk x_r <= capacity_k`` (``x y_c`` when the
  resource belongs to a MILP candidate c; ``+ s_k`` when elastic).
- ``TX<j>`` / ``TN<j>``: modal-share target j on TEU-km, upper / lower bound,
  ``sum_r x_r (km_group_r - max_share km_r) <= 0`` (``+ s`` when elastic), divided
  by its largest coefficient (``row_scale``).
- ``E<j>``: emission cap j, ``sum_r x_r e_r / 1000 <= cap`` (``+ s`` when elastic).
- Departure steps (one concept for ``--optimise-departures`` and for a selection
  candidate's ``integer_departures``): a service resource k whose departures are a
  decision runs an integer ``n_k`` departures per period, ``0 <= n_k <= N_k`` with
  ``N_k`` its timetable's (``Resource.steps_offered``; ``N_k y_c`` for a candidate's,
  row ``N<k>``); ``O<k>``: ``sum_r use_rk x_r - step_k n_k <= 0``. It costs
  ``step_cost_k n_k`` per period, plus, if it runs at all (binary ``z_k``,
  ``Z<k>``: ``n_k <= N_k z_k``), its fixed cost ``F_k z_k``, plus its fleet
  ``V_k v_k`` with the integer ``v_k >= cycle_k n_k / period`` (``F<k>``): the
  rotation's vehicles of :func:`~freighthub.model.operator_cost.fleet_vehicles`.
  The rows and variables of one resource are a :class:`_Departures`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulp

from freighthub.optimize._arrays import (
    ArrayModel,
    DirectHighs,
    LpRows,
    build_arrays,
    gc_paused,
)
from freighthub.optimize.problem import ModeSplitProblem
from freighthub.optimize.solvers import SolverChoice
from freighthub.units import KG_PER_T

__all__: list[str] = []


@dataclass
class _Departures:
    """The variables of one resource's departure steps (module docstring)."""

    resource: str
    n: Any
    most: int
    running: Any = None
    fleet: Any = None


@dataclass
class _Model(LpRows):
    problem: ModeSplitProblem
    prob: Any
    x: list[Any]
    route_cost_cny_per_teu: list[float]
    slack: dict[str, Any] = field(default_factory=dict)
    y: dict[str, Any] = field(default_factory=dict)
    departures_of: dict[str, _Departures] = field(default_factory=dict)

    def value(self, var: Any) -> float:
        v = var.varValue
        return 0.0 if v is None else float(v)

    def flows_teu(self) -> list[float]:
        return [max(0.0, self.value(v)) for v in self.x]

    def dual(self, name: str) -> float | None:
        """The dual of the row called ``name`` (``None`` when the solver gave none)."""
        pi = row(self, name).pi
        return None if pi is None else float(pi)

    def set_rhs(self, name: str, value: float) -> None:
        """Set the right-hand side of the row called ``name``."""
        row(self, name).changeRHS(value)

    def run(self, solver: Any) -> tuple[int, float]:
        """Solve with the PuLP solver ``solver``: see :func:`solve`."""
        return solve(self, solver)

    def departures(self) -> dict[str, int]:
        """Departures per period by resource id, of every resource with departure steps."""
        return {rid: round(max(0.0, self.value(d.n))) for rid, d in self.departures_of.items()}

    def departure_cost_cny(self, resource_id: str) -> float:
        """Operator's cost per period of the departures the model runs on a resource [CNY]."""
        n = self.departures()[resource_id]
        return self.problem.resource(resource_id).running_cost_cny(n, self.problem.period_h)

    def operator_cost_cny(self) -> float:
        """Cost of the departures the model runs on resources no candidate owns [CNY per
        period] (those of candidates are the candidates' spend)."""
        return float(
            sum(
                self.departure_cost_cny(rid)
                for rid in self.departures_of
                if rid not in self.candidate_of
            )
        )

    def departure_cost_expr(self, resource_id: str) -> Any:
        """The cost per period of a resource's departure steps as a PuLP expression."""
        d = self.departures_of[resource_id]
        res = self.problem.resource(resource_id)
        terms = [(d.n, res.step_cost_cny)]
        if d.running is not None:
            terms.append((d.running, res.fixed_cost_cny_per_period))
        if d.fleet is not None:
            terms.append((d.fleet, res.vehicle_cost_cny_per_period))
        return _expr(terms)

    def objective_cny(self) -> float:
        return float(
            sum(c * f for c, f in zip(self.route_cost_cny_per_teu, self.flows_teu(), strict=True))
            + self.operator_cost_cny()
        )

    def emissions_tco2e(self) -> float:
        return float(
            sum(
                r.emissions_kgco2e_per_teu_wtw * f
                for r, f in zip(self.problem.routes, self.flows_teu(), strict=True)
            )
            / KG_PER_T
        )


def new_var(prob: Any, name: str, cat: str = "Continuous") -> Any:
    """A variable >= 0 of ``prob`` (PuLP >= 3.3 API when there, else the older one)."""
    low = 0
    if hasattr(prob, "add_variable"):
        return prob.add_variable(
            name, lowBound=low, upBound=1 if cat == "Binary" else None, cat=cat
        )
    return pulp.LpVariable(name, lowBound=low, cat=cat)  # pragma: no cover - PuLP < 3.3


def _integer_var(prob: Any, name: str, most: int | None) -> Any:
    """An integer variable in [0, most] of ``prob`` (``None``: no upper bound)."""
    if hasattr(prob, "add_variable"):
        return prob.add_variable(name, lowBound=0, upBound=most, cat="Integer")
    return pulp.LpVariable(name, lowBound=0, upBound=most, cat="Integer")  # pragma: no cover


def departure_resources(problem: ModeSplitProblem) -> frozenset[str]:
    """Resources whose departures are a decision with ``problem.departures_optimised``:
    every service with a running cost and a step."""
    if not problem.departures_optimised:
        return frozenset()
    return frozenset(
        r.id for r in problem.resources if r.has_running_cost and r.increment is not None
    )


def _add_departures(model: _Model, k: int, resource_id: str, flow: Any, y: Any) -> None:
    """The departure steps of resource ``k`` (module docstring); ``y``: its candidate's
    binary or ``None``."""
    prob, res = model.prob, model.problem.resource(resource_id)
    most = res.steps_offered
    n = _integer_var(prob, f"n{k}", most)
    d = _Departures(resource_id, n, most)
    prob.addConstraint(pulp.LpConstraint(flow - res.step * n, pulp.LpConstraintLE, f"O{k}", 0.0))
    if y is not None:
        prob.addConstraint(pulp.LpConstraint(n - most * y, pulp.LpConstraintLE, f"N{k}", 0.0))
    if res.fixed_cost_cny_per_period > 0:
        d.running = new_var(prob, f"z{k}", "Binary")
        prob.addConstraint(
            pulp.LpConstraint(n - most * d.running, pulp.LpConstraintLE, f"Z{k}", 0.0)
        )
    if res.cycle_h is not None and res.vehicle_cost_cny_per_period > 0:
        d.fleet = _integer_var(prob, f"v{k}", None)
        ratio = res.cycle_h / model.problem.period_h
        prob.addConstraint(
            pulp.LpConstraint(ratio * n - d.fleet, pulp.LpConstraintLE, f"F{k}", 0.0)
        )
    model.departures_of[resource_id] = d


def row(model: _Model, name: str) -> Any:
    """The constraint called ``name``."""
    prob = model.prob
    if hasattr(prob, "get_constraint_by_name"):
        return prob.get_constraint_by_name(name)
    return prob.constraints[name]  # pragma: no cover - PuLP < 3.3


def _expr(pairs: list[tuple[Any, float]]) -> Any:
    """The sum of ``c v`` over the pairs (a variable given twice counts twice: a route
    that uses a resource twice; PuLP's constructor would keep only the last)."""
    terms: dict[Any, float] = {}
    for v, c in pairs:
        terms[v] = terms.get(v, 0.0) + c
    return pulp.LpAffineExpression([(v, c) for v, c in terms.items() if c != 0.0])


def build_model(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    *,
    elastic: frozenset[str] = frozenset(),
    phase1: bool = False,
    candidate_of: Mapping[str, str] | None = None,
    departure_steps: frozenset[str] = frozenset(),
) -> _Model:
    """Build the model.

    Parameters
    ----------
    elastic
        Constraint groups that get a slack variable: ``"capacity"``, ``"target"``.
    phase1
        Minimise the weighted slack instead of the cost.
    candidate_of
        Resource id -> id of the MILP candidate that owns it; a binary ``y`` per
        candidate (``model.y``) multiplies the resource's capacity.
    departure_steps
        Resources (besides those of :func:`departure_resources`) whose departures
        are an integer decision (``model.departures_of``; a selection candidate's
        ``integer_departures``): ``n <= N y_c`` for a candidate's.
    """
    with gc_paused():
        return _build(
            problem,
            carbon_price_cny_per_tco2e,
            elastic=elastic,
            phase1=phase1,
            candidate_of=candidate_of,
            departure_steps=departure_steps,
        )


def build_lp(
    choice: SolverChoice,
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    *,
    elastic: frozenset[str] = frozenset(),
    phase1: bool = False,
) -> _Model | ArrayModel:
    """The LP of ``problem`` for the solver ``choice``: as arrays straight into HiGHS
    when the choice is direct, else a PuLP model (arguments of :func:`build_model`)."""
    if choice.direct:
        assert isinstance(choice.solver, DirectHighs)
        return build_arrays(
            problem, carbon_price_cny_per_tco2e, choice.solver, elastic=elastic, phase1=phase1
        )
    return build_model(problem, carbon_price_cny_per_tco2e, elastic=elastic, phase1=phase1)


def _build(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    *,
    elastic: frozenset[str],
    phase1: bool,
    candidate_of: Mapping[str, str] | None,
    departure_steps: frozenset[str],
) -> _Model:
    start = time.perf_counter()
    sense = pulp.LpMinimize
    prob = pulp.LpProblem("mode_split", sense)
    routes = problem.routes
    x = [new_var(prob, f"x{i}") for i in range(len(routes))]
    cost = [
        problem.generalised_cost_cny_per_teu(r)
        + carbon_price_cny_per_tco2e * r.emissions_kgco2e_per_teu_wtw / KG_PER_T
        for r in routes
    ]
    owners = dict(candidate_of or {})
    model = _Model(problem, prob, x, cost, candidate_of=owners)
    stepped = departure_steps | departure_resources(problem)
    for j, cid in enumerate(sorted(set(owners.values()))):
        model.y[cid] = new_var(prob, f"y{j}", "Binary")

    by_od: dict[str, list[int]] = {}
    for i, r in enumerate(routes):
        by_od.setdefault(r.od, []).append(i)
    for j, d in enumerate(problem.demands):
        idx = by_od.get(d.id, [])
        prob.addConstraint(
            pulp.LpConstraint(
                _expr([(x[i], 1.0) for i in idx]), pulp.LpConstraintEQ, f"D{j}", d.volume_teu
            )
        )

    uses: dict[str, list[tuple[Any, float]]] = {res.id: [] for res in problem.resources}
    for i, r in enumerate(routes):
        for u in r.uses:
            uses[u.resource].append((x[i], u.per_teu))
    total_demand = max(problem.total_demand_teu, 1.0)
    for k, res in enumerate(problem.resources):
        name = f"R{k}"
        expr = _expr(uses[res.id])
        y = model.y.get(owners.get(res.id, ""))
        if y is not None:
            expr = expr - res.capacity * y
            rhs = 0.0
        else:
            rhs = res.capacity
        if "capacity" in elastic:
            s = new_var(prob, f"s_{name}")
            expr = expr - s
            model.slack[name] = s
            model.slack_weight[name] = 1.0 / max(res.capacity, 1.0)
        prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, name, rhs))
        model.resource_rows[res.id] = name
        if res.id in stepped:
            _add_departures(model, k, res.id, _expr(uses[res.id]), y)

    km_total = [r.distance_km for r in routes]
    for j, t in enumerate(problem.targets):
        group = [sum(r.distance_km_by_mode.get(m, 0.0) for m in t.modes) for r in routes]
        rows: list[tuple[str, str]] = []
        for bound, share, sign in (("max", t.max_share, 1.0), ("min", t.min_share, -1.0)):
            if share is None:
                continue
            name = f"T{'X' if bound == 'max' else 'N'}{j}"
            coef = [sign * (group[i] - share * km_total[i]) for i in range(len(routes))]
            # Scale the row so that its largest coefficient is 1: the solver's absolute
            # feasibility tolerance then means the same for 1 km and for 1,000 km.
            scale = max((abs(c) for c in coef), default=0.0) or 1.0
            expr = _expr([(x[i], coef[i] / scale) for i in range(len(routes))])
            model.row_scale[name] = scale
            if "target" in elastic:
                s = new_var(prob, f"s_{name}")
                expr = expr - s
                model.slack[name] = s
                model.slack_weight[name] = 1.0 / total_demand
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, name, 0.0))
            rows.append((bound, name))
        model.target_rows[t.id] = rows

    for j, c in enumerate(problem.emission_caps):
        name = f"E{j}"
        expr = _expr(
            [(x[i], r.emissions_kgco2e_per_teu_wtw / KG_PER_T) for i, r in enumerate(routes)]
        )
        if "target" in elastic:
            s = new_var(prob, f"s_{name}")
            expr = expr - s
            model.slack[name] = s
            model.slack_weight[name] = 1.0 / max(c.max_tco2e_wtw, 1.0)
        prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, name, c.max_tco2e_wtw))
        model.cap_rows[c.id] = name

    if phase1:
        prob.setObjective(_expr([(s, model.slack_weight[n]) for n, s in model.slack.items()]))
    else:
        prob.setObjective(
            _expr(list(zip(x, cost, strict=True)))
            + pulp.lpSum(
                model.departure_cost_expr(rid) for rid in model.departures_of if rid not in owners
            )
        )
    model.build_time_s = time.perf_counter() - start
    return model


def solve(model: _Model, solver: Any) -> tuple[int, float]:
    """Solve; return the PuLP status and the solve time [s]."""
    start = time.perf_counter()
    status = model.prob.solve(solver)
    return int(status), time.perf_counter() - start
