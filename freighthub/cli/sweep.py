"""``freighthub sweep``: scenario sweeps and replications on a local pool or Dask.

Exit codes: 0 every task finished; 3 the sweep ran but some tasks failed (each is
listed with its cell and reason; a rerun retries them); 2 bad input; 130 interrupted
(finished tasks are kept, a rerun resumes).
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS, figure_rows
from freighthub.cli.output import (
    MAX_WORKERS,
    HubsDirOption,
    JsonOption,
    PackOption,
    emit_json,
    err_console,
    interval,
    new_table,
    number,
    out_console,
    to_jsonable,
    workers_option,
)
from freighthub.cli.progress import progress_wanted
from freighthub.sim.estimates import estimate
from freighthub.sim.run_estimate import (
    ROUTE_READERS,
    RUN_FIGURES,
    Figure,
    RouteFigure,
    teu_share,
)
from freighthub.sweep.run import SweepResult, run_sweep
from freighthub.sweep.summary import HEADLINE, SweepSummary

#: Exit code of a sweep in which some tasks failed.
EXIT_TASKS_FAILED = 3


class ExecutorName(StrEnum):
    """Where the tasks run."""

    local = "local"
    dask = "dask"


def sweep(
    sweep_file: Annotated[
        Path,
        typer.Argument(metavar="SWEEP.toml", help="Sweep file (see docs/data-formats.md)."),
    ],
    executor: Annotated[
        ExecutorName,
        typer.Option("--executor", help="local: a process pool; dask: Dask distributed."),
    ] = ExecutorName.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Address of a running Dask scheduler (tcp://host:8786); with --executor dask.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        workers_option(
            f"Worker processes, 1-{MAX_WORKERS} (local pool or Dask LocalCluster; default: CPUs)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: reports/sweeps/<sweep id>)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Start over in an --out folder that holds other results."),
    ] = False,
    hubs_dir: HubsDirOption = None,
    pack: PackOption = None,
    json: JsonOption = False,
) -> None:
    """Run every cell x replication of a sweep; resume where an earlier run stopped."""
    bar = Progress(
        TextColumn("[bold]sweep[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    task: list[TaskID] = []

    enabled = progress_wanted(json)

    def progress(finished: int, failed: int, total: int) -> None:
        if not enabled:
            return
        note = f"[red]{failed} failed[/red]" if failed else ""
        if not task:  # started only once the sweep is planned, so errors print cleanly
            bar.start()
            task.append(bar.add_task(sweep_file.name, total=total, completed=finished, failed=note))
        bar.update(task[0], completed=finished + failed, failed=note)

    try:
        result = run_sweep(
            sweep_file,
            executor="dask" if executor is ExecutorName.dask else "local",
            workers=workers,
            scheduler=scheduler,
            out=out,
            force=force,
            hubs_dir=hubs_dir,
            pack=pack,
            progress=progress,
        )
    finally:
        if task:  # Progress.stop() prints a newline on a non-terminal even if never started
            bar.stop()
    if json:
        emit_json({**to_jsonable(result), "ok": result.ok})
    else:
        _render(result)
    if result.failures:
        raise typer.Exit(EXIT_TASKS_FAILED)


#: The route table's columns: every route figure with a label
#: (:data:`~freighthub.cli.figures.ROUTE_FIGURE_LABELS`, label and decimals), read by
#: attribute. A route shows where it delivered.
_ROUTE_FIGURES: tuple[tuple[str, RouteFigure], ...] = tuple(
    (name, ROUTE_READERS[name]) for name in ROUTE_FIGURE_LABELS
)
_ROUTE_COLUMNS = figure_rows(tuple(name for name, _ in _ROUTE_FIGURES), ROUTE_FIGURE_LABELS)

#: A figure no row of the cell has: no value.
_NO_VALUE = estimate([])


def _render_routes(s: SweepSummary) -> None:
    """Per cell and route: delivered TEU, door-to-door, price and kgCO2e per TEU, on time."""
    routes = list(dict.fromkeys(m.split(".")[1] for m in s.metrics if m.startswith("routes.")))
    if not routes:
        return
    table = new_table(
        "Per cell and route (mean over replications)",
        ("cell", "route", *(label for label, _, _ in _ROUTE_COLUMNS)),
        left={"cell", "route"},
    )
    for c in s.cells:
        first = True
        for rid in routes:
            route = c.figures.routes.get(rid)
            means = [math.nan if route is None else f(route).mean for _, f in _ROUTE_FIGURES]
            if not means[0] > 0:  # delivered_teu
                continue
            cells = (
                number(mean, digits)
                for mean, (_, _, digits) in zip(means, _ROUTE_COLUMNS, strict=True)
            )
            table.add_row(escape(c.id) if first else "", escape(rid), *cells)
            first = False
        table.add_section()
    out_console.print(table)


#: The per-cell rows: the summary's headline figures (label, figure read by attribute,
#: decimals), then the TEU share of every mode.
_CELL_ROWS: tuple[tuple[str, Figure, int], ...] = tuple(
    (FIGURES[name][0], RUN_FIGURES[name], FIGURES[name][1]) for name in HEADLINE
)


def _render(r: SweepResult) -> None:
    out_console.print(
        f"[bold]{escape(r.sweep_id)}[/bold]: {r.tasks_total} tasks "
        f"({r.tasks_run} run now, {r.tasks_skipped} finished earlier, {len(r.failures)} failed) "
        f"on {r.executor} with {r.workers} worker(s)"
    )
    s = r.summary
    if s is not None:
        table = new_table(
            "Per cell: mean over replications, 95 % t-interval",
            ("cell", "figure", "mean", "95 % CI"),
            left={"cell", "figure"},
        )
        split = [m for m in s.metrics if m.startswith("modal_split_teu_share.")]
        modes = [m.rsplit(".", 1)[1] for m in split]
        rows = [*_CELL_ROWS, *((f"TEU share {mode}", teu_share(mode), 3) for mode in modes)]
        for c in s.cells:
            first = True
            for label, figure, digits in rows:
                e = figure(c.figures) or _NO_VALUE
                name = f"{c.id} (n = {c.replications})" if first else ""
                table.add_row(
                    escape(name), escape(label), number(e.mean, digits), interval(e, digits)
                )
                first = False
            table.add_section()
        out_console.print(table)
        _render_routes(s)
    for f in r.failures:
        out_console.print(
            f"[bold red]failed[/bold red]: cell {escape(f.cell)} replication {f.replication} "
            f"(seed {f.seed}): {escape(f.reason)}",
            soft_wrap=True,  # one line per failure, however long its path: grep-able
        )
    out_console.print(f"results in {escape(str(r.out))}")
