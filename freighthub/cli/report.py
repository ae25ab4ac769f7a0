"""``freighthub report``: write a report (HTML, PDF, JSON) from a report spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
from freighthub.report import REPORT_FORMATS, write_report, write_reports
from freighthub.report.i18n import LANGUAGES


def report(
    spec: Annotated[Path, typer.Argument(metavar="SPEC.toml", help="Report spec (TOML).")],
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help=f"Report language: {' or '.join(LANGUAGES)}; {','.join(LANGUAGES)} writes "
            f"both (the second to <out>-{LANGUAGES[1]}).",
        ),
    ] = LANGUAGES[0],
    formats: Annotated[
        str, typer.Option("--format", help=f"Comma-separated formats: {','.join(REPORT_FORMATS)}.")
    ] = ",".join(REPORT_FORMATS),
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: reports/<spec name>)."),
    ] = None,
    force: ForceOption = False,
    workers: ReplicationWorkersOption = None,
    json: JsonOption = False,
) -> None:
    """Write a standardised assessment report to reports/<name>/."""
    langs = comma_list(lang) or ["en"]
    processes = replication_workers(workers)
    with working("writing the report", spec.name, enabled=progress_wanted(json)):
        if len(langs) == 1:
            results = [
                write_report(
                    spec, out, lang=langs[0], formats=formats, force=force, workers=processes
                )
            ]
        else:
            outs: dict[str, Path | None] = {
                code: out if i == 0 or out is None else out.with_name(f"{out.name}-{code}")
                for i, code in enumerate(langs)
            }
            results = list(
                write_reports(spec, outs, formats=formats, force=force, workers=processes).values()
            )
    if json:
        emit_json(results[0] if len(results) == 1 else results)
        return
    for result in results:
        out_console.print(f"Report ({result.lang}) written to {result.folder}", markup=False)
        for fmt, path in result.files.items():
            out_console.print(f"  {fmt}: {path}", markup=False)
    if results[0].not_run:
        out_console.print(
            "Sections not run (see the methodology section): " + ", ".join(results[0].not_run),
            markup=False,
        )
