"""``optimize_scenario``: the one call behind ``freighthub optimize``.

Load and check the scenario (with the emission pack's ids), compile it, build the
LP (:func:`~freighthub.optimize.from_scenario.problem_from_network`), solve it,
optionally export the plan as a scenario file and verify it in the simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from freighthub.model.scenario import load_scenario_with_pack
from freighthub.optimize.export import write_plan_scenario
from freighthub.optimize.from_scenario import operator_costs_of, problem_from_network
from freighthub.optimize.lp import solve_mode_split
from freighthub.optimize.problem import (
    EmissionCap,
    InvalidProblemError,
    ModeShareTarget,
    ModeSplitProblem,
)
from freighthub.optimize.results import ModeSplitPlan
from freighthub.optimize.verify import Verification, verify_plan
from freighthub.sim.compiler import compile_network
from freighthub.sim.network import Engine
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import Mode

__all__ = ["ScenarioOptimization", "optimize_scenario"]


@dataclass(frozen=True)
class ScenarioOptimization:
    """Result of :func:`optimize_scenario`.

    Attributes
    ----------
    scenario_id, scenario_path
        The scenario optimised.
    pack_id
        Emission factor pack the route emissions came from.
    value_of_time_cny_per_teu_h, value_of_time_source
        Value of time used [CNY/(TEU·h)] and where it comes from.
    problem
        The LP input built from the scenario.
    plan
        The optimal plan.
    verification
        The plan run through the simulation, if asked for.
    exported
        The scenario file written with the plan's route shares, if asked for.
    """

    scenario_id: str
    scenario_path: Path
    pack_id: str
    value_of_time_cny_per_teu_h: float
    value_of_time_source: str
    problem: ModeSplitProblem
    plan: ModeSplitPlan
    verification: Verification | None
    exported: Path | None


def _value_of_time(value: float | None, mode_choice: str | Path | None) -> tuple[float, str]:
    if (value is None) == (mode_choice is None):
        raise InvalidProblemError(
            "value of time: give exactly one of --value-of-time CNY_PER_TEU_H or "
            "--mode-choice ID (a file in standards/mode-choice/ with its source)"
        )
    if value is not None:
        return value, "given on the command line"
    from freighthub.model.mode_choice import load_mode_choice_parameters

    assert mode_choice is not None
    params, path = load_mode_choice_parameters(mode_choice)
    vot = params.value_of_time_cny_per_teu_h
    first = " ".join((vot.source or "").split())
    confidence = vot.confidence.value if vot.confidence else "unlabelled"
    return float(vot.value), f"{path} ({confidence}): {first}"


def optimize_scenario(
    path: str | Path,
    *,
    carbon_price_cny_per_tco2e: float = 0.0,
    road_share_max: float | None = None,
    emission_cap_tco2e_per_week: float | None = None,
    solver: str = "cbc",
    value_of_time_cny_per_teu_h: float | None = None,
    mode_choice: str | Path | None = None,
    hubs_dir: str | Path | None = None,
    pack: str | Path | None = None,
    verify: bool = False,
    seed: int | None = None,
    replications: int | None = None,
    export_dir: str | Path | None = None,
    overwrite: bool = False,
    max_decisions: int = 10,
    engine: Engine | None = None,
    departures_optimised: bool = False,
) -> ScenarioOptimization:
    """Optimise the mode split of a scenario; optionally export and verify the plan.

    The LP period is one week (168 h, the timetable period of scenarios).

    Parameters
    ----------
    path
        Scenario TOML file.
    carbon_price_cny_per_tco2e
        Carbon price in the objective [CNY/tCO2e WTW].
    road_share_max
        Upper bound on road's share of all TEU-km [0-1], or ``None``.
    emission_cap_tco2e_per_week
        Cap on WTW emissions [tCO2e/week], or ``None``.
    solver
        ``"cbc"`` or ``"highs"``.
    value_of_time_cny_per_teu_h, mode_choice
        Exactly one: the value of time [CNY/(TEU·h)] or the id/path of the
        mode-choice parameter file that holds it with its source.
    hubs_dir, pack
        Hub folder and emission factor pack (default: shipped hubs, scenario's pack).
    verify, seed, replications
        Simulate the plan (seed and replications default to the scenario's).
    export_dir, overwrite
        Write ``<export_dir>/<id>-lp.toml`` with the plan's route shares.
    max_decisions
        Binding capacities re-solved for decision terms.
    engine
        Simulation engine for ``verify`` (default: the fast engine).
    departures_optimised
        Services with a cost per departure run only the departures the plan needs
        (up to the timetable) and pay for each (see
        :class:`~freighthub.optimize.problem.ModeSplitProblem`).

    Raises
    ------
    DataFileError, UnknownIdentifierError
        For bad scenario, hub, pack or mode-choice files.
    InvalidProblemError
        For bad parameters (both or neither value-of-time inputs, a share outside [0, 1]).
    InfeasibleError
        If the targets or caps cannot be met; names the conflicting constraints.
    ExistingResultError
        If the export file exists and ``overwrite`` is false.
    """
    vot, vot_source = _value_of_time(value_of_time_cny_per_teu_h, mode_choice)
    scenario_path = Path(path)
    loaded, factor_pack = load_scenario_with_pack(scenario_path, hubs_dir, pack)
    network = compile_network(loaded)
    targets: tuple[ModeShareTarget, ...] = ()
    if road_share_max is not None:
        targets = (ModeShareTarget("road-share-max", (Mode.ROAD,), max_share=road_share_max),)
    caps: tuple[EmissionCap, ...] = ()
    if emission_cap_tco2e_per_week is not None:
        caps = (EmissionCap("emission-cap", emission_cap_tco2e_per_week),)
    problem = problem_from_network(
        network,
        factor_pack,
        value_of_time_cny_per_teu_h=vot,
        period_h=HOURS_PER_WEEK,
        targets=targets,
        emission_caps=caps,
        departures_optimised=departures_optimised,
        operator_costs=operator_costs_of(loaded),
    )
    plan = solve_mode_split(
        problem, carbon_price_cny_per_tco2e, solver, max_decisions=max_decisions
    )
    exported = (
        write_plan_scenario(loaded, plan, export_dir, overwrite=overwrite)
        if export_dir is not None
        else None
    )
    verification = None
    if verify:
        verification = verify_plan(
            loaded,
            plan,
            factor_pack,
            seed=seed,
            replications=replications,
            durations_h={r.id: r.duration_h for r in problem.routes},
            engine=engine,
        )
    return ScenarioOptimization(
        scenario_id=loaded.scenario.id,
        scenario_path=scenario_path,
        pack_id=factor_pack.id,
        value_of_time_cny_per_teu_h=vot,
        value_of_time_source=vot_source,
        problem=problem,
        plan=plan,
        verification=verification,
        exported=exported,
    )
