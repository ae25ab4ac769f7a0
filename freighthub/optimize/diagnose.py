"""Infeasibility explained: which constraints conflict, and by how much, in their own units.

When the hard LP has no solution, three elastic versions are solved (each always
has one unless an OD has no route), minimising the relative relaxation
``sum_k s_k / scale_k`` (phase 1 of the two-phase method):

1. targets and caps hard, capacities elastic: how much more capacity, where,
   would make the targets reachable ("road share <= 40 % needs 1,200 TEU a week
   more on rail A–B");
2. capacities hard, targets and caps elastic: how far the targets must be relaxed
   with today's capacity;
3. only if neither alone works: everything elastic.

References
----------
Chinneck, J. W. (2008). Feasibility and Infeasibility in Optimization, ch. 6
(elastic programming), Springer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from freighthub.errors import InfeasibleError
from freighthub.optimize._arrays import ArrayModel
from freighthub.optimize._model import _Model, build_lp
from freighthub.optimize.problem import ModeSplitProblem, period_name
from freighthub.optimize.solvers import SolverChoice, SolverError

__all__ = ["explain_infeasibility"]

_OPTIMAL = 1
_TOL = 1e-6


@dataclass(frozen=True)
class _Relaxation:
    amounts: dict[str, float]  # constraint id -> relaxation in its own unit
    phrases: dict[str, str]  # constraint id -> words


def _phase1(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    elastic: frozenset[str],
) -> _Relaxation | None:
    model = build_lp(choice, problem, carbon_price_cny_per_tco2e, elastic=elastic, phase1=True)
    status, _ = model.run(choice.solver)
    if status != _OPTIMAL:
        return None
    return _read(model)


def _slack(model: _Model | ArrayModel, row: str) -> float:
    var = model.slack.get(row)
    return 0.0 if var is None else model.value(var)


def _read(model: _Model | ArrayModel) -> _Relaxation:
    problem = model.problem
    period = period_name(problem.period_h)
    amounts: dict[str, float] = {}
    phrases: dict[str, str] = {}
    for res in problem.resources:
        s = _slack(model, model.resource_rows[res.id])
        if s <= _TOL * max(1.0, res.capacity):
            continue
        amounts[res.id] = s
        text = f"{s:,.0f} {res.unit} a {period} more capacity on {res.label}"
        if res.increment is not None:
            n = math.ceil(s / res.increment - 1e-9)
            text += f" ({n} more {res.step_name}{'s' if n != 1 else ''} of {res.increment:,.0f} {res.unit}"
            if res.step_cost_cny > 0:
                # what the added departures cost their operator over a year
                yearly = n * res.step_cost_cny * problem.periods_per_year
                text += f", costing {yearly:,.0f} CNY a year to run"
            text += ")"
        phrases[res.id] = text
    flows = model.flows_teu()
    teu_km_total = sum(f * r.distance_km for r, f in zip(problem.routes, flows, strict=True))
    for t in problem.targets:
        for bound, row in model.target_rows[t.id]:
            s = _slack(model, row)
            if s <= _TOL * max(1.0, problem.total_demand_teu):
                continue
            group = sum(
                f * sum(r.distance_km_by_mode.get(m, 0.0) for m in t.modes)
                for r, f in zip(problem.routes, flows, strict=True)
            )
            achieved = group / teu_km_total if teu_km_total > 0 else 0.0
            limit = t.max_share if bound == "max" else t.min_share
            assert limit is not None
            gap = achieved - limit if bound == "max" else limit - achieved
            key = t.id if len(model.target_rows[t.id]) == 1 else f"{t.id}:{bound}"
            amounts[key] = gap
            phrases[key] = (
                f"{t.modes_label} share of TEU-km {'<=' if bound == 'max' else '>='} "
                f"{limit:.1%} relaxed to {achieved:.1%} ({gap * 100:+.1f} points)"
            )
    for c in problem.emission_caps:
        s = _slack(model, model.cap_rows[c.id])
        if s <= _TOL * max(1.0, c.max_tco2e_wtw):
            continue
        amounts[c.id] = s
        phrases[c.id] = (
            f"emission cap {c.max_tco2e_wtw:,.1f} tCO2e WTW a {period} raised by {s:,.1f} tCO2e"
        )
    return _Relaxation(amounts, phrases)


def _target_words(problem: ModeSplitProblem) -> str:
    parts = []
    for t in problem.targets:
        if t.max_share is not None:
            parts.append(f"{t.modes_label} share <= {t.max_share:.0%}")
        if t.min_share is not None:
            parts.append(f"{t.modes_label} share >= {t.min_share:.0%}")
    for c in problem.emission_caps:
        parts.append(
            f"emissions <= {c.max_tco2e_wtw:,.1f} tCO2e WTW a {period_name(problem.period_h)}"
        )
    return " and ".join(parts)


def explain_infeasibility(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    choice: SolverChoice,
    status: int,
) -> Exception:
    """Explain why ``problem`` has no solution (the caller raises the result).

    Returns
    -------
    InfeasibleError
        Message in decision terms; ``binding`` maps constraint ids (resource ids,
        target ids, cap ids) to the relaxation each needs: capacity [resource
        unit per period], share [0-1], emissions [tCO2e per period].
    SolverError
        If no relaxation is needed (the solver stopped for another reason).
    """
    has_targets = bool(problem.targets or problem.emission_caps)
    by_capacity = _phase1(problem, carbon_price_cny_per_tco2e, choice, frozenset({"capacity"}))
    by_target = (
        _phase1(problem, carbon_price_cny_per_tco2e, choice, frozenset({"target"}))
        if has_targets
        else None
    )
    binding: dict[str, float] = {}
    clauses: list[str] = []
    subject = _target_words(problem) if has_targets else "the demand"
    if by_capacity is not None and by_capacity.amounts:
        binding.update(by_capacity.amounts)
        clauses.append(f"{subject} needs " + "; ".join(by_capacity.phrases.values()))
    if has_targets and by_capacity is None:
        clauses.append(f"no added capacity reaches {subject}")
    if by_target is not None and by_target.amounts:
        binding.update(by_target.amounts)
        words = "; ".join(by_target.phrases.values())
        clauses.append(f"with today's capacity: {words}")
    if by_capacity is None and by_target is None:
        both = _phase1(
            problem, carbon_price_cny_per_tco2e, choice, frozenset({"capacity", "target"})
        )
        if both is not None and both.amounts:
            binding.update(both.amounts)
            clauses.append(
                f"{subject} conflict with capacity; it takes all of: "
                + "; ".join(both.phrases.values())
            )
    if not binding:
        return SolverError(
            f"{choice.description} stopped with status {status} (PuLP's codes) without an answer"
        )
    return InfeasibleError(
        f"infeasible plan for {problem.name!r}: "
        + ("; or " if by_capacity else "; ").join(clauses),
        binding,
    )
