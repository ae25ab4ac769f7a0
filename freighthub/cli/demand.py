"""``freighthub demand``: fit an origin-destination matrix to published totals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from freighthub.cli.output import (
    ForceOption,
    JsonOption,
    emit_json,
    err_console,
    new_table,
    out_console,
)

#: Exit code of a fit that did not converge (nothing written).
EXIT_NOT_CONVERGED = 3

app = typer.Typer(
    help="Demand inference: fit an OD matrix to published origin and destination totals.",
    no_args_is_help=True,
)


@app.command("fit")
def fit(
    spec: Annotated[
        Path,
        typer.Argument(metavar="SPEC.toml", help="Demand-fit spec (see docs/data-formats.md)."),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Write the fitted matrix here (TOML, with provenance)."),
    ],
    force: ForceOption = False,
    json: JsonOption = False,
) -> None:
    """Fit a doubly constrained gravity model (Furness IPF) to origin and destination totals.

    Exit 3, writing nothing, when the fit does not converge within max_iterations.
    """
    from freighthub.calibrate.demand_fit import FitNotConvergedError, fit_demand_file

    try:
        result = fit_demand_file(spec, out, force=force)
    except FitNotConvergedError as exc:
        if json:
            emit_json(exc.fit.to_json() | {"out": None})
        err_console.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_NOT_CONVERGED) from None
    if json:
        emit_json(result.to_json() | {"out": str(out)})
        return
    r = result.result
    out_console.print(
        f"[bold]{escape(result.spec.id)}[/bold]: {escape(result.spec.method)}; converged in "
        f"{r.iterations} iteration(s), largest residual {r.max_abs_residual:.3g} TEU/year "
        f"({r.max_rel_residual:.2g} relative)"
    )
    table = new_table(
        "Totals: published and fitted [TEU/year]",
        ("side", "id", "published", "fitted", "residual", "relative"),
        left={"side", "id"},
    )
    for row in result.residual_rows():
        table.add_row(
            row["side"],
            escape(row["id"]),
            f"{row['target_teu']:,.1f}",
            f"{row['fitted_teu']:,.1f}",
            f"{row['residual_teu']:.3g}",
            f"{row['residual_rel']:.2g}",
        )
    out_console.print(table)
    out_console.print(f"wrote {escape(str(out))}")
