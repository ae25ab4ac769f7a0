"""Write a report folder: ``report.html``, ``report.pdf`` and ``report.json``.

The folder is built in a hidden sibling and moved into place at the end
(:func:`freighthub.atomic.atomic_directory`): a failed or interrupted report leaves
no partial folder, and an existing report is kept unless ``force``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from freighthub.atomic import atomic_directory, check_output, probe_output, write_staged
from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.model.paths import data_dir
from freighthub.report.build import ReportContent, build_report, localise_report
from freighthub.report.content import Param
from freighthub.report.html import render_html
from freighthub.report.i18n import LANGUAGES, Translations, translations
from freighthub.report.inputs import gather_inputs
from freighthub.report.pdf import chromium_version, print_report_pdf, require_chromium
from freighthub.report.spec import load_report_spec, spec_field_error

__all__ = [
    "REPORT_FORMATS",
    "ReportFiles",
    "parse_formats",
    "report_json",
    "write_report",
    "write_reports",
]

REPORT_FORMATS = ("html", "pdf", "json")


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    folder
        The report folder.
    files
        Written files by format (``html``, ``pdf``, ``json``).
    lang
        Language of the report.
    sections
        Ids of the sections present, in order.
    not_run
        Ids of the sections left out (stated in the methodology).
    """

    folder: Path
    files: dict[str, Path]
    lang: str
    sections: tuple[str, ...]
    not_run: tuple[str, ...]


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """Formats from ``"html,pdf"`` or a sequence, validated, in canonical order.

    Raises
    ------
    UnknownIdentifierError
        For a format that does not exist.
    ValueError
        If no format is given.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = {item.strip().lower() for item in items if item.strip()}
    for item in wanted:
        if item not in REPORT_FORMATS:
            raise UnknownIdentifierError("report format", item, REPORT_FORMATS)
    if not wanted:
        raise UnknownIdentifierError("report format", "", REPORT_FORMATS)
    return tuple(f for f in REPORT_FORMATS if f in wanted)


def write_report(
    spec_path: str | Path,
    out: str | Path | None = None,
    *,
    lang: str = "en",
    formats: str | Sequence[str] = REPORT_FORMATS,
    force: bool = False,
    workers: int = 1,
) -> ReportFiles:
    """Build the report a spec describes and write it atomically.

    Parameters
    ----------
    spec_path
        The report spec (TOML).
    out
        The report folder (default ``reports/<spec name>``).
    lang
        ``en`` or ``zh``.
    formats
        Any of ``html``, ``pdf``, ``json`` (a comma-separated string or a sequence).
    force
        Replace an existing report folder.
    workers
        Processes the simulations run their replications in (same report for any
        number).

    Raises
    ------
    DataFileError
        If the spec or an input file is invalid.
    UnknownIdentifierError
        For an unknown language, format, hub, standard or method.
    ExistingResultError
        If the folder exists and ``force`` is false.
    OutputError
        If the folder cannot be written (read-only, full disk, a file in the way).
    MissingToolError
        If ``pdf`` is asked for and Chromium is not installed.
    """
    return write_reports(spec_path, {lang: out}, formats=formats, force=force, workers=workers)[
        lang
    ]


def write_reports(
    spec_path: str | Path,
    outs: Mapping[str, str | Path | None],
    *,
    formats: str | Sequence[str] = REPORT_FORMATS,
    force: bool = False,
    workers: int = 1,
) -> dict[str, ReportFiles]:
    """Build a report once and write it in several languages, one folder each.

    The analyses (assessment, simulation, comparisons, LP) run once; only the
    rendering is repeated per language.

    Parameters
    ----------
    spec_path
        The report spec (TOML).
    outs
        Folder per language (``{"en": "reports/demo", "zh": "reports/demo-zh"}``); a
        ``None`` folder defaults to ``reports/<name>`` for the first language and
        ``reports/<name>-<lang>`` for the others.
    formats, force, workers
        As in :func:`write_report`.

    Raises
    ------
    FreighthubError
        As :func:`write_report`, and if two languages would share a folder.
    """
    if not outs:
        raise UnknownIdentifierError("report language", "", LANGUAGES)
    wanted = parse_formats(formats)
    trs = {lang: translations(lang) for lang in outs}
    binary = require_chromium() if "pdf" in wanted else None
    spec, resolved_spec = load_report_spec(spec_path)
    folders: dict[str, Path] = {}
    for i, (lang, out) in enumerate(outs.items()):
        default = spec.name if i == 0 else f"{spec.name}-{lang}"
        folders[lang] = Path(out) if out is not None else data_dir("reports") / default
    if len({f.resolve() for f in folders.values()}) != len(folders):
        raise FreighthubError("two report languages would be written to the same folder")
    for folder in folders.values():
        check_output(folder, folder=True, overwrite=force)
        probe_output(folder)
    run_parameters: list[tuple[str, Param]] = [("formats", ", ".join(wanted))]
    if binary is not None:
        run_parameters.append(("pdf_engine", chromium_version(binary)))
    try:
        inputs = gather_inputs(spec, resolved_spec, workers=workers)
        content = build_report(inputs, run_parameters)
    except UnknownIdentifierError as exc:
        raise spec_field_error(exc, spec, resolved_spec) from None
    return {
        lang: _write_folder(content, trs[lang], folders[lang], wanted, binary, force)
        for lang in outs
    }


def _write_folder(
    content: ReportContent,
    tr: Translations,
    folder: Path,
    wanted: tuple[str, ...],
    binary: Path | None,
    force: bool,
) -> ReportFiles:
    doc = localise_report(content, tr)
    html = render_html(doc)
    files: dict[str, Path] = {}
    with atomic_directory(folder, overwrite=force) as staging:
        write_staged(staging / "report.html", html)
        if "json" in wanted:
            write_staged(staging / "report.json", report_json(doc))
            files["json"] = folder / "report.json"
        if binary is not None:
            print_report_pdf(doc, staging / "report.html", staging / "report.pdf", binary)
            files["pdf"] = folder / "report.pdf"
        if "html" in wanted:
            files["html"] = folder / "report.html"
        else:
            (staging / "report.html").unlink()
    return ReportFiles(
        folder=folder,
        files=dict(sorted(files.items(), key=lambda kv: REPORT_FORMATS.index(kv[0]))),
        lang=tr.lang,
        sections=content.section_ids,
        not_run=tuple(sid for sid, _ in content.not_run),
    )


def report_json(doc: dict[str, Any]) -> str:
    """The JSON text of a localised report document (every figure the HTML shows)."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
