"""``freighthub report``: write a report (HTML, PDF, JSON) from a report spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from freighthub.cli.output import JsonOption, emit_json, out_console
from freighthub.report import write_report


def report(
    spec: Annotated[Path, typer.Argument(metavar="SPEC.toml", help="Report spec (TOML).")],
    lang: Annotated[str, typer.Option("--lang", help="Report language: en or zh.")] = "en",
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated formats: html,pdf,json.")
    ] = "html,pdf,json",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report folder (default: reports/<spec name>)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing report.")] = False,
    json: JsonOption = False,
) -> None:
    """Write a standardised assessment report to reports/<name>/."""
    result = write_report(spec, out, lang=lang, formats=formats, force=force)
    if json:
        emit_json(result)
        return
    out_console.print(f"Report written to {result.folder}", markup=False)
    for fmt, path in result.files.items():
        out_console.print(f"  {fmt}: {path}", markup=False)
    if result.not_run:
        out_console.print(
            "Sections not run (see the methodology section): " + ", ".join(result.not_run),
            markup=False,
        )
