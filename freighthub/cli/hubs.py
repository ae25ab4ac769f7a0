"""``freighthub hubs``: list, show, validate hub files, measure distances, and collect hub
data with a questionnaire (template, import, export)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from freighthub.cli import EXIT_BAD_INPUT
from freighthub.cli.output import (
    ForceOption,
    HubsDirOption,
    JsonOption,
    StandardsDirOption,
    comma_list,
    emit_json,
    err_console,
    out_console,
    print_problems,
    year_option,
)
from freighthub.errors import UnknownIdentifierError
from freighthub.model.hub import Hub, HubStatus, check_hub_files, load_hubs
from freighthub.model.paths import data_dir

if TYPE_CHECKING:
    from freighthub.completeness import HubCompleteness
    from freighthub.model.standard import Standard

app = typer.Typer(
    help="Hub data: list, show, validate, distances; questionnaire template, import, export.",
    no_args_is_help=True,
)

ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", help="Standard or profile id whose attributes are asked/checked."),
]


def _load(hubs_dir: Path | None) -> dict[str, Hub]:
    return load_hubs(hubs_dir or data_dir("hubs"))


def _get(hubs: dict[str, Hub], hub_id: str) -> Hub:
    if hub_id not in hubs:
        raise UnknownIdentifierError("hub", hub_id, hubs)
    return hubs[hub_id]


def hub_table(hubs: dict[str, Hub], title: str = "Hubs") -> Table:
    """A rich table with one row per hub."""
    table = Table(title=title)
    for col in ("id", "name", "名称", "country", "types", "modes", "lon_deg", "lat_deg"):
        table.add_column(
            col,
            justify="right" if col.endswith("_deg") else "left",
            overflow="fold" if col == "id" else "ellipsis",
        )
    for hub in hubs.values():
        table.add_row(
            hub.id,
            hub.names.en,
            hub.names.zh or "",
            hub.country,
            ", ".join(t.value for t in hub.hub_types),
            ", ".join(m.value for m in hub.modes),
            f"{hub.lon_deg:.4f}",
            f"{hub.lat_deg:.4f}",
        )
    return table


@app.command("list")
def list_hubs(hubs_dir: HubsDirOption = None, json: JsonOption = False) -> None:
    """List the hubs in a folder."""
    hubs = _load(hubs_dir)
    if json:
        emit_json(
            [
                hub.model_dump(
                    mode="json",
                    include={"id", "names", "country", "hub_types", "modes", "lon_deg", "lat_deg"},
                )
                for hub in hubs.values()
            ]
        )
        return
    out_console.print(hub_table(hubs))


@app.command("show")
def show(
    hub_id: Annotated[str, typer.Argument(metavar="ID", help="Hub id (file name without .toml).")],
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Show every attribute of one hub, with its source and confidence."""
    hub = _get(_load(hubs_dir), hub_id)
    if json:
        emit_json(hub)
        return
    out_console.print(
        f"[bold]{hub.names.en}[/bold] {hub.names.zh or ''}  ({hub.id}, {hub.country})"
    )
    out_console.print(
        f"types: {', '.join(t.value for t in hub.hub_types)}; modes: "
        f"{', '.join(m.value for m in hub.modes)}; lon_deg {hub.lon_deg}, lat_deg {hub.lat_deg}"
    )
    if hub.status is not HubStatus.EXISTING:
        out_console.print(
            f"status: {hub.status.value}; planned values apply from {hub.planned_year}",
            markup=False,
        )
    if hub.tent is not None:
        tiers = hub.tent.tiers()
        facts = "; ".join(f"{k} = {str(v).lower()}" for k, v in hub.tent.facts().items())
        out_console.print(
            f"TEN-T tier: {tiers['node']} (rail {tiers['rail']}, waterway {tiers['waterway']})"
            + (f"; {facts}" if facts else "")
            + f"; {hub.tent.confidence.value}: {hub.tent.source}",
            markup=False,
        )
    tables = [("Attributes", list(hub.iter_sourced()))]
    if hub.planned is not None:
        tables.append((f"Planned values (plans for {hub.planned_year})", list(hub.iter_planned())))
    for title, values in tables:
        table = Table(title=title)
        for col in ("attribute", "value", "confidence", "date", "source"):
            table.add_column(col)
        for path, value in values:
            table.add_row(
                path,
                str(value.value),
                value.confidence.value if value.confidence else "",
                value.date.isoformat() if value.date else "",
                value.source or "",
            )
        out_console.print(table)


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH...]", help="Hub files or folders (default: shipped hubs/)."),
    ] = None,
    profile: ProfileOption = None,
    standards_dir: StandardsDirOption = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date ages are counted to, YYYY-MM-DD (default: today)."),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy", help="Data-age policy file (default: standards/policy/data-age.toml)."
        ),
    ] = None,
    year: Annotated[
        int | None,
        year_option(
            "Assessment year: candidates' plans count from their planned_year on, as "
            "in score (default: the profile's assessment_year; none: the hubs as planned)."
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Check hub files; print one line per problem and exit 2 if any.

    With --profile, also report per hub which attributes the profile needs and which
    are observed, assumed, missing or stale (older than the data-age policy allows).
    """
    hubs, errors = check_hub_files(paths or [data_dir("hubs")])
    report = None
    if profile is not None and not errors:
        report = _completeness(hubs, profile, standards_dir, as_of, policy, year)
    if json:
        out: dict[str, object] = {
            "valid": not errors,
            "hubs": list(hubs),
            "errors": [str(e) for e in errors],
        }
        if report is not None:
            out["profile"] = profile
            out["as_of"] = report[1].isoformat()
            out["assessment_year"] = report[2]
            out["completeness"] = [c.to_dict() for c in report[0]]
        emit_json(out)
    else:
        print_problems(errors)
        if not errors:
            out_console.print(f"{len(hubs)} hub(s) valid")
        if report is not None:
            _print_completeness(report[0], str(profile), report[1], report[2])
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def _completeness(
    hubs: dict[str, Hub],
    profile: str,
    standards_dir: Path | None,
    as_of: str | None,
    policy_path: Path | None,
    year: int | None,
) -> tuple[list[HubCompleteness], dt.date, int | None]:
    from freighthub.completeness import check_completeness
    from freighthub.model.data_age import load_data_age_policy
    from freighthub.model.standard import find_standard

    date = _date_option("--as-of", as_of) if as_of else dt.date.today()
    standard = find_standard(profile, standards_dir or data_dir("standards"))
    policy = load_data_age_policy(policy_path)
    year = standard.info.assessment_year if year is None else year
    return check_completeness(standard, hubs.values(), policy, date, year), date, year


def _date_option(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: must be a date YYYY-MM-DD", param_hint=option
        ) from None


def _print_completeness(
    report: list[HubCompleteness], profile: str, as_of: dt.date, year: int | None
) -> None:
    when = "candidates as planned" if year is None else f"assessment year {year}"
    table = Table(
        title=f"Data the profile {profile} reads, per hub ({when}; ages counted to {as_of})"
    )
    for col in ("hub", "status", "needed", "observed", "assumed", "missing", "stale", "plans"):
        table.add_column(col, justify="left" if col in {"hub", "status"} else "right")
    for item in report:
        table.add_row(
            item.hub_id,
            item.status,
            *(
                str(len(x))
                for x in (
                    item.needed,
                    item.observed,
                    item.assumed,
                    item.missing,
                    item.stale,
                    item.planned,
                )
            ),
        )
    out_console.print(table)
    for item in report:
        lines = [
            f"  planned site, built from {item.planned_year}: not scored in {year} (no "
            "values yet; its plans count from its planned_year)"
            if item.not_built
            else "",
            f"  missing: {', '.join(item.missing)}" if item.missing and not item.not_built else "",
            f"  assumed: {', '.join(item.assumed)}" if item.assumed else "",
            *(
                f"  stale: {c.cell.attribute}: {c.stale_reason}"
                for c in item.checks
                if c.stale_reason is not None
            ),
            f"  undated: {', '.join(item.undated)}" if item.undated else "",
            f"  plans: {', '.join(item.planned)}" if item.planned else "",
            f"  TEN-T tier not given (rows tent.*, [tent]): core network assumed for "
            f"{', '.join(item.tier_assumed)}"
            if item.tier_assumed
            else "",
        ]
        shown = [line for line in lines if line]
        if shown:
            out_console.print(f"{item.hub_id}:", markup=False, soft_wrap=True)
            for line in shown:
                out_console.print(line, markup=False, soft_wrap=True)


def _profile(profile: str, standards_dir: Path | None) -> Standard:
    from freighthub.model.standard import find_standard

    return find_standard(profile, standards_dir or data_dir("standards"))


@app.command("template")
def template(
    profile: Annotated[
        str, typer.Option("--profile", help="Standard or profile id whose attributes are asked.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Questionnaire to write: FILE.xlsx or FILE.csv.")
    ],
    status: Annotated[
        HubStatus,
        typer.Option("--status", help="Ask for current values, planned values, or both."),
    ] = HubStatus.EXISTING,
    standards_dir: StandardsDirOption = None,
    force: ForceOption = False,
) -> None:
    """Write a questionnaire: one row per attribute the profile reads, to fill in and import."""
    from freighthub.questionnaire import write_template

    path = write_template(_profile(profile, standards_dir), out, status=status, overwrite=force)
    out_console.print(f"wrote {path}", markup=False, soft_wrap=True)


@app.command("import")
def import_(
    questionnaire: Annotated[
        Path, typer.Argument(metavar="FILE", help="Filled-in questionnaire (.xlsx or .csv).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the hub files into.")],
    force: ForceOption = False,
    json: JsonOption = False,
) -> None:
    """Read a questionnaire and write one hub file per hub; nothing is written if a row is bad."""
    from freighthub.questionnaire import QuestionnaireError, import_questionnaire

    try:
        written = import_questionnaire(
            questionnaire, out, imported=dt.date.today(), overwrite=force
        )
    except QuestionnaireError as exc:
        if json:
            emit_json({"written": [], "errors": [str(e) for e in exc.problems]})
        else:
            print_problems(exc.problems)
            if len(exc.problems) > 1:
                err_console.print(
                    f"{len(exc.problems)} problems; nothing was imported", markup=False
                )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if json:
        emit_json({"written": [str(p) for p in written], "errors": []})
        return
    for path in written:
        out_console.print(f"wrote {path}", markup=False, soft_wrap=True)


@app.command("export")
def export(
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Workbook to write.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="CSV file to write.")] = None,
    hubs_dir: HubsDirOption = None,
    ids: Annotated[
        str | None, typer.Option("--ids", help="Comma-separated hub ids (default: all).")
    ] = None,
    profile: ProfileOption = None,
    standards_dir: StandardsDirOption = None,
    force: ForceOption = False,
) -> None:
    """Write hubs as a questionnaire (same layout as the template; import reads it back).

    With --profile, the attributes the profile reads and a hub does not give are
    added as empty rows, so the file can go back to the hubs for completion.
    """
    from freighthub.questionnaire import export_questionnaire

    target = xlsx if csv is None else csv
    if target is None or (xlsx is not None and csv is not None):
        raise typer.BadParameter("give exactly one of --xlsx FILE or --csv FILE")
    hubs = _load(hubs_dir)
    chosen = list(hubs.values())
    if ids is not None:
        chosen = [_get(hubs, i) for i in comma_list(ids)]
    std = None if profile is None else _profile(profile, standards_dir)
    path = export_questionnaire(chosen, target, profile=std, overwrite=force)
    out_console.print(f"wrote {path} ({len(chosen)} hub(s))", markup=False, soft_wrap=True)


@app.command("distance")
def distance(
    a: Annotated[str, typer.Argument(metavar="A", help="First hub id.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Second hub id.")],
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Geodesic distance between two hubs on the WGS84 ellipsoid [km]."""
    from freighthub.geo import distance_between_km  # pyproj: only this command needs it

    hubs = _load(hubs_dir)
    hub_a, hub_b = _get(hubs, a), _get(hubs, b)
    distance_km = distance_between_km(hub_a, hub_b)
    if json:
        emit_json({"a": a, "b": b, "distance_km": distance_km, "distance_type": "geodesic_wgs84"})
        return
    out_console.print(
        f"{hub_a.names.en} – {hub_b.names.en}: {distance_km:,.1f} km (geodesic, WGS84)"
    )
