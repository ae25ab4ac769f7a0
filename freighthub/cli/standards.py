"""``freighthub standards`` (list, show, validate) and ``freighthub score``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from freighthub.assessment import Assessment, score_hubs
from freighthub.cli import EXIT_BAD_INPUT
from freighthub.cli.output import (
    JsonOption,
    StandardsDirOption,
    comma_list,
    emit_json,
    natural_width,
    out_console,
    print_problems,
    samples_option,
    year_option,
)
from freighthub.cli.score_view import render_ranking
from freighthub.model.paths import data_dir
from freighthub.model.standard import (
    Standard,
    check_standard_files,
    find_standard,
    load_standards,
)
from freighthub.scoring.compliance import ComplianceStatus, CriterionResult
from freighthub.scoring.mcda import METHODS
from freighthub.scoring.robust import ASSESSMENT_METHOD, ASSESSMENT_POLICY, ROBUST_POLICIES

__all__ = ["app", "score"]

app = typer.Typer(
    help="Codified standards and profiles: list, show, validate.", no_args_is_help=True
)

_STYLE = {
    ComplianceStatus.PASS: ("pass", "green"),
    ComplianceStatus.PARTIAL: ("partial", "yellow"),
    ComplianceStatus.FAIL: ("FAIL", "bold red"),
    ComplianceStatus.NOT_APPLICABLE: ("n/a", "dim"),
    ComplianceStatus.NO_DATA: ("no data", "blue"),
}
_SYMBOL = {
    ComplianceStatus.PASS: "P",
    ComplianceStatus.PARTIAL: "p",
    ComplianceStatus.FAIL: "F",
    ComplianceStatus.NOT_APPLICABLE: "-",
    ComplianceStatus.NO_DATA: "?",
}


def _standards(folder: Path | None) -> dict[str, Standard]:
    return load_standards(folder or data_dir("standards"))


@app.command("list")
def list_standards(standards_dir: StandardsDirOption = None, json: JsonOption = False) -> None:
    """List the standards and profiles."""
    standards = _standards(standards_dir)
    rows = [
        {
            "id": s.id,
            "kind": s.info.kind,
            "title": s.info.title.en,
            "title_zh": s.info.title.zh,
            "edition": s.info.edition,
            "criteria": len(s.criteria),
            "values": len(s.values),
            "uncertain": sum(c.confidence.flagged for c in s.criteria),
            "example": s.info.example,
        }
        for s in standards.values()
    ]
    if json:
        emit_json(rows)
        return
    table = Table(title="Standards and profiles")
    for col in ("id", "kind", "title", "criteria", "values", "flagged"):
        numeric = col in {"criteria", "values", "flagged"}
        table.add_column(col, justify="right" if numeric else "left", no_wrap=col == "id")
    for r in rows:
        kind = str(r["kind"]) + (" (example)" if r["example"] else "")
        table.add_row(
            str(r["id"]),
            kind,
            str(r["title"]),
            str(r["criteria"]),
            str(r["values"]),
            str(r["uncertain"]),
        )
    out_console.print(table)


@app.command("show")
def show(
    standard_id: Annotated[str, typer.Argument(metavar="ID", help="Standard or profile id.")],
    standards_dir: StandardsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Show the criteria of a standard with thresholds, sources and confidence."""
    std = find_standard(standard_id, standards_dir or data_dir("standards"))
    if json:
        emit_json(
            {
                "standard": std.info.model_dump(mode="json"),
                "criteria": [
                    {**c.model_dump(mode="json"), "standard": std.origin[c.id]}
                    for c in std.criteria
                ],
                "values": [v.model_dump(mode="json") for v in std.values],
                "ranges": {k: r.model_dump(mode="json") for k, r in std.ranges.items()},
            }
        )
        return
    info = std.info
    out_console.print(f"[bold]{info.title.en}[/bold]")
    if info.title.zh:
        out_console.print(info.title.zh)
    out_console.print(f"{info.document}; {info.edition}")
    if info.url:
        out_console.print(info.url)
    out_console.print(f"licence: {info.licence}", markup=False)
    if info.example:
        out_console.print("[yellow]example profile: its weights are assumptions[/yellow]")
    if info.superseded_by:
        out_console.print(
            f"[magenta]superseded by {info.superseded_label()}[/magenta]", highlight=False
        )
    for item in info.not_found:
        out_console.print(f"not found (not codified): {item}", markup=False)
    for cid, r in std.ranges.items():
        out_console.print(
            f"plausible range of {cid}: {r.min:g} to {r.max:g} ({r.confidence.value}: {r.source})",
            markup=False,
        )
    if std.criteria:
        table = Table(title="Criteria")
        for col in ("id", "name", "reads", "pass if", "partial", "weight", "confidence", "source"):
            table.add_column(col)
        for c in std.criteria:
            spec = c.spec()
            partial = ""
            if c.partial is not None:
                partial = f"{c.partial.threshold:g} ({c.partial.basis})"
            elif c.partial_band is not None:
                partial = f"band {c.partial_band}"
            conf = c.confidence
            rule = spec.describe_threshold()
            if c.bands:
                op = ">" if c.direction.value == "benefit" else "<"
                rule += "".join(
                    f"\n  {b.id}: {op}{'' if b.strict else '='} {b.limit:g}" for b in c.bands
                )
            table.add_row(
                c.id,
                c.name.en + (f"\n{c.name.zh}" if c.name.zh else ""),
                c.attribute if c.per is None else f"{c.attribute} / {c.per}",
                rule,
                partial,
                "" if c.weight is None else f"{c.weight:g}",
                f"[red]{conf}[/red]" if conf.flagged else conf.value,
                c.source.one_line(),
            )
        out_console.print(table)
        for c in std.criteria:
            if c.note:
                out_console.print(f"{c.id}: {c.note}", markup=False)
    if std.values:
        table = Table(title="Reference values")
        for col in ("id", "name", "value", "unit", "confidence", "source"):
            table.add_column(col)
        for v in std.values:
            table.add_row(
                v.id, v.name.en, f"{v.value:g}", v.unit, v.confidence.value, v.source.one_line()
            )
        out_console.print(table)


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Standard/profile files or folders.")
    ],
    json: JsonOption = False,
) -> None:
    """Check standard and profile files; print one line per problem and exit 2 if any."""
    standards, errors = check_standard_files(paths)
    if json:
        emit_json(
            {"valid": not errors, "standards": list(standards), "errors": [str(e) for e in errors]}
        )
    else:
        print_problems(errors)
        if not errors:
            out_console.print(f"{len(standards)} standard(s)/profile(s) valid")
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def _hub_selection(hubs: str | None, hubs_dir: Path | None) -> tuple[Path | None, list[str] | None]:
    """``--hubs``: an existing folder or file (as before), else a comma-separated list of ids."""
    if hubs is None:
        return hubs_dir, None
    if hubs_dir is None and Path(hubs).exists():
        return Path(hubs), None
    ids = comma_list(hubs)
    if not ids:
        raise typer.BadParameter(f"{hubs!r}: give hub ids separated by commas", param_hint="--hubs")
    return hubs_dir, ids


def score(
    standard: Annotated[str, typer.Option("--standard", help="Standard or profile id.")],
    hubs: Annotated[
        str | None,
        typer.Option(
            "--hubs",
            help="Hub ids to score, comma-separated (ID,ID); an existing folder or file "
            "is read as the hub folder, as before.",
        ),
    ] = None,
    hubs_dir: Annotated[
        Path | None,
        typer.Option("--hubs-dir", help="Folder of hub files (default: the shipped hubs/)."),
    ] = None,
    method: Annotated[str, typer.Option("--method", help=" | ".join(METHODS))] = ASSESSMENT_METHOD,
    weights: Annotated[
        Path | None,
        typer.Option("--weights", help="TOML file with a [weights] table: criterion-id = weight."),
    ] = None,
    ahp: Annotated[
        Path | None,
        typer.Option(
            "--ahp",
            help="AHP pairwise-comparison file (TOML) over the profile's criteria; "
            "weights from it, CR shown, an inconsistent matrix refused.",
        ),
    ] = None,
    missing: Annotated[
        str,
        typer.Option(
            "--missing",
            help=f"{' | '.join(ROBUST_POLICIES)}; default sample: missing values drawn over "
            "their plausible range, assumed ones within theirs, in every stability sample.",
        ),
    ] = ASSESSMENT_POLICY,
    uncertainty: Annotated[
        Path | None,
        typer.Option(
            "--uncertainty",
            help="Ranking-uncertainty policy file (default: "
            "standards/methods/ranking-uncertainty.toml).",
        ),
    ] = None,
    samples: Annotated[
        int, samples_option(0, "Monte Carlo weight and data samples for stability", " (0: none)")
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed of the stability analysis, >= 0.")
    ] = 0,
    standards_dir: StandardsDirOption = None,
    json: JsonOption = False,
    year: Annotated[
        int | None,
        year_option(
            "Assessment year: picks the stage (deadline, threshold) of staged criteria "
            "by the hub's TEN-T tier, and candidates' plans from their planned_year on (a "
            "planned hub before it is not ranked); default: the profile's assessment_year.",
        ),
    ] = None,
) -> None:
    """Score hubs against a standard: compliance, coverage, consensus ranking and its stability."""
    folder, hub_ids = _hub_selection(hubs, hubs_dir)
    result = score_hubs(
        standard,
        folder,
        method=method,
        weights_path=weights,
        missing=missing,
        n_samples=samples,
        seed=seed,
        standards_dir=standards_dir,
        hub_ids=hub_ids,
        ahp_path=ahp,
        uncertainty_path=uncertainty,
        year=year,
    )
    if json:
        emit_json(result.to_dict())
        return
    _render(result)


# --- rendering -------------------------------------------------------------------------


def _render_editions(a: Assessment) -> None:
    """The assessment year and the superseded editions the criteria come from."""
    if a.year is not None:
        out_console.print(f"assessment year: {a.year} (deadlines due by then are marked due)")
    old = sorted(
        {(a.standard.origin[c.id], c.superseded_by) for c in a.standard.criteria if c.superseded_by}
    )
    for origin, by in old:
        out_console.print(
            f"[magenta]superseded edition: {origin} is replaced by {by}; its criteria are flagged[/magenta]"
        )


def _cell(r: CriterionResult) -> str:
    _, style = _STYLE[r.status]
    text = f"[{style}]{_SYMBOL[r.status]}[/{style}]"
    if r.flagged and r.status not in {ComplianceStatus.NOT_APPLICABLE, ComplianceStatus.NO_DATA}:
        text += "[magenta]![/magenta]"
    return text


_CAPTION = (
    "P pass, p partial, F fail, - not applicable, ? no data; "
    "! uncertain threshold or weakly sourced hub value"
)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    return str(v)


def _matrix(a: Assessment, *, compact: bool) -> Table:
    """The compliance matrix; ``compact``: no vertical rules, hub ids folded, marks whole."""
    matrix = Table(title="Compliance", caption=_CAPTION)
    if compact:
        matrix.box = box.SIMPLE_HEAD
    matrix.add_column("hub", no_wrap=not compact, overflow="fold")
    for i in range(1, len(a.standard.criteria) + 1):
        matrix.add_column(f"C{i}", justify="center", no_wrap=True, min_width=len(f"C{i}"))
    matrix.add_column("P/p/F/-/?", justify="right", no_wrap=True)
    for hc in a.compliance:
        counts = "/".join(str(hc.counts[s]) for s in ComplianceStatus)
        matrix.add_row(hc.hub_id, *(_cell(r) for r in hc.results), counts)
    return matrix


def _render(a: Assessment) -> None:
    std = a.standard
    out_console.print(f"[bold]{std.info.title.en}[/bold] ({std.id})")
    if std.info.example:
        out_console.print("[yellow]example profile: its weights are assumptions[/yellow]")
    _render_editions(a)
    criteria = std.criteria
    legend = Table(title="Criteria")
    for col in ("#", "criterion", "pass if", "weight", "confidence"):
        legend.add_column(col)
    for i, c in enumerate(criteria, 1):
        conf = c.confidence
        legend.add_row(
            f"C{i}",
            c.id,
            c.spec().describe_threshold(),
            f"{a.weights[c.id]:.3f}",
            f"[magenta]{conf} ![/magenta]" if conf.flagged else conf.value,
        )
    out_console.print(legend)
    out_console.print(f"weights: {a.weights_basis}")

    matrix = _matrix(a, compact=False)
    if out_console.is_terminal and natural_width(out_console, matrix) > out_console.width:
        matrix = _matrix(a, compact=True)  # a narrow terminal: the marks keep their columns
    out_console.print(matrix)
    graded = [i for i, c in enumerate(criteria) if c.rule.value == "graded"]
    if graded:
        bands = Table(title="Band reached (graded criteria)")
        bands.add_column("hub", no_wrap=True)
        for i in graded:
            bands.add_column(f"C{i + 1}")
        for hc in a.compliance:
            row = [hc.results[i] for i in graded]
            if all(x.value is None for x in row):
                continue
            bands.add_row(
                hc.hub_id,
                *("" if x.value is None else (x.band or "below lowest band") for x in row),
            )
        out_console.print(bands)

    gaps = Table(title="Gaps to close, most important first (weight, then relative gap)")
    for col in ("hub", "criterion", "status", "value", "pass if", "gap", "band"):
        gaps.add_column(col)
    any_gap = False
    for hc in a.compliance:
        for r in hc.gaps:
            any_gap = True
            gap = "" if r.gap is None else f"{_value(r.gap)} {r.unit}"
            label, style = _STYLE[r.status]
            gaps.add_row(
                hc.hub_id,
                r.criterion_id,
                f"[{style}]{label}[/{style}]",
                _value(r.value),
                r.threshold,
                gap,
                r.band or "",
            )
    if any_gap:
        out_console.print(gaps)
    else:
        out_console.print("No gaps: no hub fails a criterion for which it gives data.")

    for note in a.matrix_notes:
        out_console.print(f"note: {note}", markup=False)
    render_ranking(a)
