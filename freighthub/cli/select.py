"""``freighthub select``: which candidate hubs and services a capex budget should fund (MILP)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from freighthub.cli.output import (
    MISSING,
    HubsDirOption,
    JsonOption,
    ReplicationsOption,
    SeedOption,
    emit_json,
    finite,
    new_table,
    number,
    out_console,
    solver_option,
    verify_option,
)
from freighthub.cli.progress import progress_wanted, working
from freighthub.cli.verification import render_verification

if TYPE_CHECKING:
    from freighthub.appraisal.select import CandidateSelection


def select(
    candidates: Annotated[
        Path,
        typer.Argument(
            metavar="CANDIDATES.toml",
            help="Candidates file (see README, 'Hub and service selection').",
        ),
    ],
    budget: Annotated[
        float,
        typer.Option(
            "--budget", min=0.0, callback=finite, metavar="CNY", help="Capex budget [CNY]."
        ),
    ],
    solver: Annotated[str, solver_option("MILP")] = "cbc",
    verify: Annotated[bool, verify_option("the chosen plan")] = False,
    seed: SeedOption = None,
    replications: ReplicationsOption = None,
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Budgeted hub and service selection (MILP): which candidates to fund, and what each brings."""
    from freighthub.appraisal.select import select_file

    with working("selecting", candidates.name, enabled=progress_wanted(json)):
        result = select_file(
            candidates,
            budget,
            solver=solver,
            verify=verify,
            seed=seed,
            replications=replications,
            hubs_dir=hubs_dir,
        )
    if json:
        emit_json(_as_json(result))
        return
    _render(result)


def _as_json(r: CandidateSelection) -> dict[str, Any]:
    return {
        "id": r.id,
        "scenario_path": r.scenario_path,
        "budget_cny": r.budget_cny,
        "candidates": [
            {
                "id": c.id,
                "kind": c.kind,
                "label": c.label,
                "capex_cny": c.capex_cny,
                "annual_cost_cny": c.annual_cost_cny,
                "benefit_cny_per_year": c.benefit_cny_per_year,
                "chosen": c.chosen,
                "departures_per_week": c.departures_per_week,
            }
            for c in r.candidates
        ],
        "objective_cny_per_week": r.objective_cny_per_week,
        "capex_cny": r.selection.capex_cny,
        "gap": r.gap_share,
        "solver": r.solver,
        "value_of_time_cny_per_teu_h": r.value_of_time_cny_per_teu_h,
        "value_of_time_source": r.value_of_time_source,
        "plan": r.selection.plan,
        "verification": r.verification,
    }


def _render(r: CandidateSelection) -> None:
    gap = "proven optimal" if r.gap_share == 0.0 else "stopped early, gap unknown"
    out_console.print(
        f"[bold]{escape(r.name)}[/bold]: capex budget {number(r.budget_cny)} CNY; solver "
        f"{escape(r.solver)} ({gap})"
    )
    table = new_table(
        "Candidates",
        ("candidate", "kind", "capex CNY", "annual cost CNY", "benefit CNY/yr", "chosen",
         "departures/wk"),
        left={"candidate", "kind"},
    )  # fmt: skip
    for c in r.candidates:
        benefit = "needed" if c.benefit_cny_per_year is None else number(c.benefit_cny_per_year)
        table.add_row(
            escape(c.label),
            c.kind,
            number(c.capex_cny),
            number(c.annual_cost_cny),
            benefit,
            "yes" if c.chosen else "no",
            MISSING if c.departures_per_week is None else str(c.departures_per_week),
        )
    out_console.print(table)
    out_console.print(
        f"capex of the chosen {number(r.selection.capex_cny)} CNY; objective (generalised + carbon "
        f"cost + annualised candidate costs) {number(r.objective_cny_per_week)} CNY a week. "
        "'needed': the demand (and targets) cannot be met without it."
    )
    if r.verification is not None:
        render_verification(r.verification, tables=False)
