"""``freighthub validate-model``: a scenario's simulation against published statistics."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from freighthub.calibrate.validation import (
    ValidationResult,
    check_statistics,
    validate_model,
)
from freighthub.calibrate.validation_checks import Check
from freighthub.cli.output import (
    HubsDirOption,
    JsonOption,
    ReplicationsOption,
    SeedOption,
    emit_json,
    out_console,
)
from freighthub.cli.progress import progress_wanted, replication_bar

#: Exit code when some check fails (the table is still printed).
EXIT_CHECKS_FAILED = 3


def _value(x: float, unit: str) -> str:
    if math.isnan(x):
        return "–"
    if unit == "share":
        return f"{x:.3f}"
    if unit == "d":
        return f"{x:.2f}"
    return f"{x:,.0f}"


def _tolerance(c: Check) -> str:
    if c.tolerance_rel is not None:
        return f"±{c.tolerance_rel:.0%}"
    if c.tolerance_abs is not None:
        return f"±{c.tolerance_abs:g}"
    return "within range"


def _published(c: Check) -> str:
    if c.published_range is not None:
        low, high = c.published_range
        return f"{_value(low, c.unit)}–{_value(high, c.unit)}"
    return _value(c.published, c.unit)


def _render(result: ValidationResult) -> None:
    table = Table(title=f"{result.scenario_id}: model against published statistics")
    columns = (
        "quantity", "subject", "model", "95 % CI", "published", "unit", "tolerance",
        "source", "pass",
    )  # fmt: skip
    for col in columns:
        table.add_column(col, justify="right" if col in ("model", "published") else "left")
    for c in result.checks:
        low, high = c.model_ci
        ci = "" if math.isnan(low) else f"{_value(low, c.unit)} – {_value(high, c.unit)}"
        table.add_row(
            c.quantity,
            escape(c.subject),
            _value(c.model, c.unit),
            ci,
            _published(c),
            c.unit,
            _tolerance(c),
            escape(c.source or "(no source)"),
            "[green]pass[/green]" if c.passed else "[red]FAIL[/red]",
        )
    out_console.print(table)
    out_console.print(f"{result.passed} of {result.total} checks pass")


def validate_model_command(
    scenario: Annotated[
        Path,
        typer.Argument(
            metavar="SCENARIO.toml", help="Scenario with a [validation] table naming statistics."
        ),
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    hubs_dir: HubsDirOption = None,
    statistics_dir: Annotated[
        Path | None,
        typer.Option(
            "--statistics",
            help="Folder of statistics files (default: the shipped statistics/).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only check the scenario and its statistics against each other; no simulation.",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Compare a scenario's simulation with the published statistics it names.

    Exit 0 when every check passes, 3 when some fail (the table is still printed).
    """
    if check:
        checked = check_statistics(scenario, hubs_dir=hubs_dir, statistics_dir=statistics_dir)
        files = [str(p) for _, p in checked.statistics]
        if json:
            emit_json(
                {
                    "scenario": checked.loaded.scenario.id,
                    "statistics": files,
                    "figures": checked.figures,
                    "tolerances": checked.tolerances.id,
                }
            )
        else:
            out_console.print(
                f"{escape(checked.loaded.scenario.id)}: {checked.figures} published figure(s) in "
                f"{len(files)} statistics file(s), consistent with the scenario "
                f"(tolerances {escape(checked.tolerances.id)})"
            )
        return
    with replication_bar("simulating", scenario.name, enabled=progress_wanted(json)) as progress:
        result = validate_model(
            scenario,
            seed=seed,
            replications=replications,
            hubs_dir=hubs_dir,
            statistics_dir=statistics_dir,
            progress=progress,
        )
    if json:
        emit_json(result.to_json())
    else:
        _render(result)
    if not result.all_passed:
        raise typer.Exit(EXIT_CHECKS_FAILED)
