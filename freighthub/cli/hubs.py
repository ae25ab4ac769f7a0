"""``freighthub hubs``: list, show, validate hub files and measure distances."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from freighthub.cli.output import HubsDirOption, JsonOption, emit_json, err_console, out_console
from freighthub.errors import UnknownIdentifierError
from freighthub.model.hub import Hub, check_hub_files, load_hubs
from freighthub.model.paths import data_dir

app = typer.Typer(help="Hub data: list, show, validate, distances.", no_args_is_help=True)


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
    table = Table(title="Attributes")
    for col in ("attribute", "value", "confidence", "source"):
        table.add_column(col)
    for path, value in hub.iter_sourced():
        table.add_row(
            path,
            str(value.value),
            value.confidence.value if value.confidence else "",
            value.source or "",
        )
    out_console.print(table)


@app.command("validate")
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Hub files or folders.")],
    json: JsonOption = False,
) -> None:
    """Check hub files; print one line per problem and exit 2 if any."""
    hubs, errors = check_hub_files(paths)
    if json:
        emit_json({"valid": not errors, "hubs": list(hubs), "errors": [str(e) for e in errors]})
    else:
        for exc in errors:
            err_console.print(f"error: {exc}", markup=False)
        if not errors:
            out_console.print(f"{len(hubs)} hub(s) valid")
    if errors:
        raise typer.Exit(2)


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
