"""``select_file``: the budgeted hub/service selection of a candidates file.

Loads the candidates file and its scenario, builds the mode-split problem (one
week), turns each candidate into a :class:`~freighthub.optimize.selection.Candidate`
(capex annualised over its life at the discount rate, plus the fixed cost, per
week), solves :func:`~freighthub.optimize.selection.select_candidates` under the
capex budget and values each candidate: its benefit is the change of the
network's weekly generalised + carbon cost when it alone is added to (or, if
chosen, removed from) the chosen plan, per year. ``verify`` runs the chosen plan
in the simulation as ``freighthub optimize --verify`` does, with the departures
per week the MILP chose for integer-departure services.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from freighthub.appraisal.candidates import CandidatesFile, load_candidates
from freighthub.errors import DataFileError, InfeasibleError
from freighthub.model.scenario import LoadedScenario, load_scenario_with_pack
from freighthub.model.sourced import Sourced
from freighthub.optimize.from_scenario import (
    hub_candidate,
    operator_costs_of,
    problem_from_network,
    service_resource_id,
)
from freighthub.optimize.lp import solve_mode_split
from freighthub.optimize.problem import InvalidProblemError, ModeShareTarget, ModeSplitProblem
from freighthub.optimize.results import SelectionPlan
from freighthub.optimize.selection import Candidate, select_candidates
from freighthub.optimize.verify import Verification, verify_plan
from freighthub.sim.compiler import compile_network
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR
from freighthub.vocabulary import Confidence, Mode

__all__ = ["CandidateRow", "CandidateSelection", "capital_recovery_factor", "select_file"]

WEEKS_PER_YEAR = HOURS_PER_YEAR / HOURS_PER_WEEK


def capital_recovery_factor(rate: float, life_years: int) -> float:
    """Annuity per unit of capex over ``life_years`` at ``rate`` [1/year].

    ``r / (1 - (1 + r)**-n)``; ``1 / n`` at ``r = 0``.
    """
    if rate == 0.0:
        return 1.0 / life_years
    return rate / (1.0 - (1.0 + rate) ** -life_years)


@dataclass(frozen=True)
class CandidateRow:
    """One candidate of the selection.

    Attributes
    ----------
    annual_cost_cny
        Annualised capex plus fixed cost [CNY/year].
    benefit_cny_per_year
        Saving of network generalised + carbon cost it brings to the chosen plan
        [CNY/year]; ``None`` if the chosen plan cannot carry the demand without it.
    departures_per_week
        Departures chosen (integer decision) [1/week], else ``None``.
    """

    id: str
    kind: str
    label: str
    capex_cny: float
    annual_cost_cny: float
    benefit_cny_per_year: float | None
    chosen: bool
    departures_per_week: int | None


@dataclass(frozen=True)
class CandidateSelection:
    """Result of :func:`select_file`."""

    id: str
    name: str
    scenario_path: Path
    budget_cny: float
    candidates: tuple[CandidateRow, ...]
    objective_cny_per_week: float
    gap_share: float | None
    solver: str
    selection: SelectionPlan
    verification: Verification | None
    value_of_time_cny_per_teu_h: float
    value_of_time_source: str


def _value_of_time(spec: CandidatesFile, path: Path) -> tuple[float, str]:
    if spec.value_of_time_cny_per_teu_h is not None:
        v = spec.value_of_time_cny_per_teu_h
        return float(v.value), f"{path} ({v.confidence}): {v.source}"
    from freighthub.model.mode_choice import load_mode_choice_parameters

    assert spec.mode_choice is not None
    params, mc_path = load_mode_choice_parameters(spec.mode_choice)
    vot = params.value_of_time_cny_per_teu_h
    return float(vot.value), f"{mc_path} ({vot.confidence}): {vot.source}"


def _candidates(
    spec: CandidatesFile, problem: ModeSplitProblem, path: Path
) -> tuple[Candidate, ...]:
    rate = spec.discount_rate.value
    out = []
    for i, c in enumerate(spec.candidates):
        annual = (
            c.capex_cny.value * capital_recovery_factor(rate, c.life_years.value)
            + c.fixed_cost_cny_per_year.value
        )
        per_week = annual / WEEKS_PER_YEAR
        variable = c.variable_cost_cny_per_teu.value if c.variable_cost_cny_per_teu else 0.0
        try:
            if c.kind == "hub":
                base = hub_candidate(problem, c.id, per_week, variable)
                resources = base.resources
            else:
                resources = (service_resource_id(c.id),)
                problem.resource(resources[0])
        except (InvalidProblemError, KeyError):
            raise DataFileError(
                path, f"no {c.kind} of that id in the scenario", f"candidates.{i}.id", c.id
            ) from None
        out.append(
            Candidate(
                c.id,
                c.label,
                resources,
                per_week,
                variable,
                capex_cny=c.capex_cny.value,
                integer_departures=c.integer_departures,
            )
        )
    return tuple(out)


def _routing_cost(
    problem: ModeSplitProblem, closed: set[str], carbon: float, solver: str
) -> float | None:
    """Weekly generalised + carbon cost with the ``closed`` resources shut; ``None`` if infeasible."""
    routes = tuple(r for r in problem.routes if not {u.resource for u in r.uses} & closed)
    resources = tuple(r for r in problem.resources if r.id not in closed)
    try:  # an OD left without any route is refused when the problem is built
        sub = dataclasses.replace(problem, routes=routes, resources=resources)
        return solve_mode_split(sub, carbon, solver, max_decisions=0).objective_cny
    except (InfeasibleError, InvalidProblemError):
        return None


def _with_departures(loaded: LoadedScenario, departures: dict[str, int]) -> LoadedScenario:
    """The scenario with the chosen departures per week of integer-departure services.

    A service chosen with 0 departures, or not chosen, keeps its timetable: the plan
    routes nothing over it (its departures run empty in the simulation).
    """
    services = []
    for svc in loaded.scenario.services:
        n = departures.get(svc.id, 0)
        if n > 0 and svc.departures_per_week is not None and n != svc.departures_per_week.value:
            svc = svc.model_copy(
                update={
                    "departures_per_week": Sourced[float](
                        value=float(n),
                        source="freighthub select: departures per week chosen by the MILP",
                        confidence=Confidence.ASSUMPTION,
                    )
                }
            )
        services.append(svc)
    scenario = loaded.scenario.model_copy(update={"services": tuple(services)})
    return dataclasses.replace(loaded, scenario=scenario)


def _check_budget(spec: CandidatesFile, budget_cny: float, path: Path) -> None:
    """A budget must open at least one candidate: one line naming the file and the cheapest."""
    if not spec.candidates:
        return
    cheapest = min(spec.candidates, key=lambda c: c.capex_cny.value)
    if budget_cny < cheapest.capex_cny.value:
        raise DataFileError(
            path,
            f"{budget_cny:,.0f} CNY is below every candidate's capex: the cheapest, "
            f"{cheapest.id!r}, needs {cheapest.capex_cny.value:,.0f} CNY",
            "--budget",
            budget_cny,
        )


def select_file(
    path: str | Path,
    budget_cny: float,
    *,
    solver: str = "cbc",
    verify: bool = False,
    seed: int | None = None,
    replications: int | None = None,
    hubs_dir: str | Path | None = None,
) -> CandidateSelection:
    """Choose candidates within a capex budget (see the module docstring).

    Parameters
    ----------
    path
        Candidates file.
    budget_cny
        Capex budget [CNY].
    solver
        ``"cbc"`` or ``"highs"``.
    verify, seed, replications
        Simulate the chosen plan (seed and replications default to the scenario's).
    hubs_dir
        Hub folder (default: the shipped hubs).

    Raises
    ------
    DataFileError
        For a bad candidates, scenario or hub file.
    DataFileError
        Also for a budget below every candidate's capex (one line naming the file and
        the cheapest candidate).
    InfeasibleError
        If no choice within the budget carries the demand (names the capex needed).
    """
    p = Path(path)
    spec, scenario_path = load_candidates(p)
    _check_budget(spec, budget_cny, p)
    vot, vot_source = _value_of_time(spec, p)
    loaded, pack = load_scenario_with_pack(scenario_path, hubs_dir)
    network = compile_network(loaded)
    targets: tuple[ModeShareTarget, ...] = ()
    if spec.road_share_max is not None:
        targets = (
            ModeShareTarget("road-share-max", (Mode.ROAD,), max_share=spec.road_share_max.value),
        )
    problem = problem_from_network(
        network,
        pack,
        value_of_time_cny_per_teu_h=vot,
        period_h=HOURS_PER_WEEK,
        targets=targets,
        operator_costs=operator_costs_of(loaded),
    )
    candidates = _candidates(spec, problem, p)
    carbon = spec.carbon_price_cny_per_tco2e.value
    sel = select_candidates(problem, candidates, None, carbon, solver, capex_budget_cny=budget_cny)
    closed_resources = {r for c in candidates if c.id not in sel.opened for r in c.resources}
    chosen_cost = _routing_cost(problem, closed_resources, carbon, solver)
    rows = []
    for c, s in zip(candidates, spec.candidates, strict=True):
        chosen = c.id in sel.opened
        other = (
            closed_resources | set(c.resources) if chosen else closed_resources - set(c.resources)
        )
        other_cost = _routing_cost(problem, other, carbon, solver)
        benefit = None
        if chosen_cost is not None and other_cost is not None:
            delta = other_cost - chosen_cost if chosen else chosen_cost - other_cost
            benefit = delta * WEEKS_PER_YEAR
        departures = None
        if c.integer_departures:
            departures = sel.departures_by_resource.get(c.resources[0], 0) if chosen else 0
        rows.append(
            CandidateRow(
                c.id,
                s.kind,
                c.label,
                c.capex_cny,
                c.fixed_cost_cny * WEEKS_PER_YEAR,
                benefit,
                chosen,
                departures,
            )
        )
    verification = None
    if verify:
        chosen_departures = {
            row.id: row.departures_per_week
            for row in rows
            if row.chosen and row.departures_per_week is not None
        }
        verification = verify_plan(
            _with_departures(loaded, chosen_departures),
            sel.plan,
            pack,
            seed=seed,
            replications=replications,
            durations_h={r.id: r.duration_h for r in problem.routes},
        )
    return CandidateSelection(
        id=spec.id,
        name=spec.name,
        scenario_path=scenario_path,
        budget_cny=budget_cny,
        candidates=tuple(rows),
        objective_cny_per_week=sel.objective_cny,
        gap_share=sel.gap_share,
        solver=sel.plan.solver,
        selection=sel,
        verification=verification,
        value_of_time_cny_per_teu_h=vot,
        value_of_time_source=vot_source,
    )
