"""``freighthub demo``: run the main job on the shipped data and show the results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from freighthub.cli.emissions import evaluation_json, render_evaluation
from freighthub.cli.hubs import hub_table
from freighthub.cli.output import (
    ForceOption,
    JsonOption,
    ReplicationWorkersOption,
    comma_list,
    emit_json,
    out_console,
    replication_workers,
)
from freighthub.cli.progress import progress_wanted, working
from freighthub.demo import DemoResult, run_demo
from freighthub.report import REPORT_FORMATS
from freighthub.report.i18n import LANGUAGES


def _distance_table(result: DemoResult) -> Table:
    ids = list(result.data.hubs)
    table = Table(title="Geodesic distance between hubs [km] (WGS84); columns numbered as rows")
    table.add_column("#", justify="right")
    table.add_column("hub")
    for i in range(len(ids)):
        table.add_column(str(i + 1), justify="right")
    for i, hub_id in enumerate(ids):
        cells = ("–" if i == j else f"{d:,.0f}" for j, d in enumerate(result.distance_matrix_km[i]))
        table.add_row(str(i + 1), hub_id, *cells)
    return table


def demo(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the demo reports (default: reports/)."),
    ] = None,
    force: ForceOption = False,
    lang: Annotated[
        str,
        typer.Option("--lang", help=f"Report languages, comma-separated ({', '.join(LANGUAGES)})."),
    ] = ",".join(LANGUAGES),
    formats: Annotated[
        str, typer.Option("--format", help=f"Report formats: {', '.join(REPORT_FORMATS)}.")
    ] = ",".join(REPORT_FORMATS),
    workers: ReplicationWorkersOption = None,
    json: JsonOption = False,
) -> None:
    """Validate the shipped data, score, simulate, compare, optimise and write the report."""
    languages = comma_list(lang)
    with working("running the demo", "shipped data", enabled=progress_wanted(json)):
        result = run_demo(
            out,
            languages=languages,
            formats=formats,
            force=force,
            workers=replication_workers(workers),
        )
    ids = list(result.data.hubs)
    if json:
        emit_json(
            {
                "validated": result.data.checked,
                "distance_matrix_km": {
                    a: {b: result.distance_matrix_km[i][j] for j, b in enumerate(ids)}
                    for i, a in enumerate(ids)
                },
                "chain": evaluation_json(result.chain),
                "findings": result.findings,
                "reports": {
                    language: {fmt: str(path) for fmt, path in files.files.items()}
                    for language, files in result.reports.items()
                },
            }
        )
        return
    out_console.rule("Shipped data")
    for kind, names in result.data.checked.items():
        out_console.print(f"validated {len(names):>3} {kind}")
    out_console.print(hub_table(result.data.hubs))
    out_console.print(_distance_table(result))
    out_console.rule("Emissions of the example transport chain (ISO 14083 / GLEC)")
    render_evaluation(result.chain)
    out_console.rule("Yangtze corridor assessment: summary of findings")
    for line in result.findings:
        out_console.print(f"• {escape(line)}")
    out_console.rule("Reports written")
    for language, files in result.reports.items():
        for fmt, path in files.files.items():
            out_console.print(f"{language} {fmt:>4}: {path}")
