"""``freighthub network``: route, show, validate and export the transport network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

if TYPE_CHECKING:
    from freighthub.model.network import Network
    from freighthub.network.routing import Route
    from freighthub.network.scenario import CircuityAssumption

from freighthub.cli import EXIT_BAD_INPUT
from freighthub.cli.output import (
    ForceOption,
    HubsDirOption,
    JsonOption,
    comma_list,
    emit_json,
    out_console,
    print_problems,
)
from freighthub.vocabulary import mode_names

app = typer.Typer(help="Transport network: route, show, validate, export.", no_args_is_help=True)

#: The names ``--mode`` and ``--modes`` accept, for their help (the registry's ids and
#: aliases, :func:`freighthub.vocabulary.mode_names`; an unknown name's error lists them
#: as they are at run time).
_MODE_NAMES = ", ".join(mode_names())

#: The formats of ``network export``.
EXPORT_FORMATS = ("geojson", "geoparquet")

NetworksDirOption = Annotated[
    Path | None,
    typer.Option("--networks", help="Folder of network files (default: the shipped networks/)."),
]


@app.command("route")
def route(
    a: Annotated[str, typer.Argument(metavar="A", help="Origin node (hub id or junction).")],
    b: Annotated[str, typer.Argument(metavar="B", help="Destination node.")],
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help=f"A mode ({_MODE_NAMES}); a chain such as road,iww changes mode only at "
            "hubs serving both.",
        ),
    ] = "rail",
    k: Annotated[
        int, typer.Option("--k", min=1, max=20, help="Also list the k shortest paths.")
    ] = 1,
    via: Annotated[
        list[str] | None,
        typer.Option("--via", help="Pass through this node (repeatable, in order)."),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Join this scenario's zones to the road network, so A or B may be a zone.",
        ),
    ] = None,
    networks_dir: NetworksDirOption = None,
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Shortest path between two nodes by one mode, with each link's length and source."""
    from freighthub.model.network import load_shipped_network
    from freighthub.network.routing import (
        k_shortest_routes,
        mode_from_name,
        multimodal_route,
        route_via,
    )

    chain = [mode_from_name(x.strip()) for x in mode.split(",")]
    network = load_shipped_network(networks_dir, hubs_dir)
    if scenario is not None:
        from freighthub.model.scenario import load_scenario
        from freighthub.network.zones import with_zones

        zones = load_scenario(scenario, hubs_dir).scenario.zones
        network = with_zones(network, ((z.id, z.lon_deg, z.lat_deg) for z in zones))
    if len(chain) > 1:
        if via or k != 1:
            raise typer.BadParameter(
                "a mode chain takes neither --via nor --k", param_hint="--mode"
            )
        _print_chain(multimodal_route(network, a, b, chain), json)
        return
    m = chain[0]
    if via:
        if k != 1:
            raise typer.BadParameter("--via and --k cannot be combined", param_hint="--via")
        routes = [route_via(network, [a, *via, b], m)]
    else:
        routes = k_shortest_routes(network, a, b, m, k)
    if json:
        emit_json(routes[0].to_dict() if k == 1 else [r.to_dict() for r in routes])
        return
    for rank, r in enumerate(routes, start=1):
        title = f"{a} → {b} by {m}: {r.distance_km:,.1f} km"
        if k > 1:
            title = f"#{rank} " + title
        out_console.print(_route_table(r, title))


def _route_table(r: Route, title: str) -> Table:
    table = Table(title=title)
    for col in ("link", "from", "to", "length_km", "confidence", "source"):
        table.add_column(col, justify="right" if col == "length_km" else "left")
    for link, u, v in zip(r.links, r.path[:-1], r.path[1:], strict=True):
        conf = link.length_km.confidence
        table.add_row(
            link.id, u, v, f"{link.length_km.value:,.1f}", conf.value if conf else "", link.source
        )
    return table


def _print_chain(legs: list[Route], json: bool) -> None:
    total_km = sum(leg.distance_km for leg in legs)
    if json:
        path = [legs[0].path[0]]
        for leg in legs:
            path.extend(leg.path[1:])
        emit_json(
            {
                "from": legs[0].from_node,
                "to": legs[-1].to_node,
                "mode": "+".join(leg.mode for leg in legs),
                "distance_km": total_km,
                "path": path,
                "links": [x for leg in legs for x in leg.to_dict()["links"]],
                "legs": [leg.to_dict() for leg in legs],
            }
        )
        return
    out_console.print(
        f"{legs[0].from_node} → {legs[-1].to_node}: {total_km:,.1f} km in {len(legs)} legs"
    )
    for leg in legs:
        title = f"{leg.mode}: {leg.from_node} → {leg.to_node}, {leg.distance_km:,.1f} km"
        out_console.print(_route_table(leg, title))


@app.command("show")
def show(
    networks_dir: NetworksDirOption = None,
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """List the network's links with their lengths, sources and confidence."""
    from freighthub.model.network import load_shipped_network
    from freighthub.network.geojson import network_geojson

    network = load_shipped_network(networks_dir, hubs_dir)
    if json:
        emit_json(network_geojson(network))
        return
    table = Table(title=f"Network: {len(network.nodes)} nodes, {len(network.links)} links")
    for col in ("link", "mode", "from", "to", "length_km", "confidence", "file"):
        table.add_column(col, justify="right" if col == "length_km" else "left")
    for link in network.links.values():
        conf = link.length_km.confidence
        table.add_row(
            link.id,
            link.mode,
            link.from_node,
            link.to_node,
            f"{link.length_km.value:,.1f}",
            conf.value if conf else "",
            link.file.name,
        )
    out_console.print(table)


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH...]", help="Network files or folders (default: networks/)."),
    ] = None,
    scenarios: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario",
            help="Also list this scenario's services and road links whose length is a "
            "circuity assumption (geodesic x factor), not network-routed (repeatable).",
        ),
    ] = None,
    hubs_dir: HubsDirOption = None,
    json: JsonOption = False,
) -> None:
    """Check network files; print one line per problem and exit 2 if any.

    With --scenario, list the scenario's lengths that rest on a circuity factor and why
    the network does not route them (a note, not an error).
    """
    from freighthub.model.hub import load_hubs
    from freighthub.model.network import check_network_files
    from freighthub.model.paths import data_dir

    hubs = load_hubs(hubs_dir or data_dir("hubs"))
    network, errors = check_network_files(paths or [data_dir("networks")], hubs)
    circuity = _circuity_by_scenario(scenarios, network, hubs_dir) if scenarios and network else {}
    if json:
        doc: dict[str, object] = {
            "valid": not errors,
            "links": len(network.links) if network else 0,
            "errors": [str(e) for e in errors],
        }
        if scenarios:
            doc["circuity"] = {
                str(path): [x.to_dict() for x in items] for path, items in circuity.items()
            }
        emit_json(doc)
    else:
        print_problems(errors)
        if not errors and network is not None:
            out_console.print(
                f"{len(network.files)} network file(s) valid: "
                f"{len(network.nodes)} nodes, {len(network.links)} links"
            )
        for path, items in circuity.items():
            out_console.print(
                f"{path}: {len(items)} length(s) from a circuity factor "
                "(geodesic x factor, not network-routed)",
                markup=False,
                soft_wrap=True,
            )
            for x in items:
                conf = x.factor_confidence.value if x.factor_confidence else "unlabelled"
                out_console.print(
                    f"  {x.where} {x.id} ({x.mode}, {x.from_} -> {x.to}): "
                    f"{x.geodesic_km:,.1f} km x {x.circuity_factor:g} ({conf}) = "
                    f"{x.distance_km:,.1f} km; {x.reason}",
                    markup=False,
                    soft_wrap=True,
                )
    if errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def _circuity_by_scenario(
    scenarios: list[Path], network: Network, hubs_dir: Path | None
) -> dict[Path, list[CircuityAssumption]]:
    from freighthub.model.scenario import load_scenario
    from freighthub.network.scenario import circuity_assumptions

    return {p: circuity_assumptions(load_scenario(p, hubs_dir), network) for p in scenarios}


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write (GeoJSON or GeoParquet).")],
    fmt: Annotated[
        str, typer.Option("--format", help="Output format: geojson or geoparquet (1.1.0).")
    ] = "geojson",
    networks_dir: NetworksDirOption = None,
    hubs_dir: HubsDirOption = None,
    force: ForceOption = False,
) -> None:
    """Write the network as GeoJSON or GeoParquet (lon/lat, WGS84) for QGIS or geopandas."""
    from freighthub.atomic import write_bytes_atomic, write_text_atomic
    from freighthub.errors import UnknownIdentifierError
    from freighthub.model.network import load_shipped_network
    from freighthub.network.geojson import network_geojson, network_geojson_text

    if fmt not in EXPORT_FORMATS:
        raise UnknownIdentifierError("export format", fmt, list(EXPORT_FORMATS))
    network = load_shipped_network(networks_dir, hubs_dir)
    if fmt == "geoparquet":
        from freighthub.network.geoparquet import geoparquet_bytes

        path = write_bytes_atomic(out, geoparquet_bytes(network_geojson(network)), overwrite=force)
    else:
        path = write_text_atomic(out, network_geojson_text(network), overwrite=force)
    out_console.print(f"wrote {path} ({len(network.nodes)} nodes, {len(network.links)} links)")


@app.command("map")
def map_command(
    out: Annotated[Path, typer.Option("--out", help="SVG file to write.")],
    modes: Annotated[
        str, typer.Option("--modes", help=f"Comma-separated modes to draw ({_MODE_NAMES}).")
    ] = "iww,rail,road",
    route: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--route", metavar="A B", help="Highlight the shortest path A-B (first mode)."
        ),
    ] = None,
    resolution: Annotated[
        str,
        typer.Option("--resolution", help="Basemap detail: c (crude), l (low), i (intermediate)."),
    ] = "l",
    flows: Annotated[
        Path | None,
        typer.Option(
            "--flows",
            help="flows.geojson of a simulation (or its simulate --out folder): line width "
            "by mean TEU per network link, zones joined to the roads.",
        ),
    ] = None,
    networks_dir: NetworksDirOption = None,
    hubs_dir: HubsDirOption = None,
    force: ForceOption = False,
) -> None:
    """Draw the network on a basemap (coastline, lakes, rivers, borders) as SVG."""
    from freighthub.atomic import write_text_atomic
    from freighthub.errors import UnknownIdentifierError
    from freighthub.model.network import load_shipped_network
    from freighthub.network.routing import mode_from_name, shortest_route

    if resolution not in ("c", "l", "i"):
        raise UnknownIdentifierError("basemap resolution", resolution, ["c", "l", "i"])
    wanted = [mode_from_name(m) for m in comma_list(modes)]
    if not wanted:
        raise UnknownIdentifierError("mode", modes, mode_names())
    from freighthub.network.flowmap import LinkFlows, flow_map_svg, read_link_flows

    network = load_shipped_network(networks_dir, hubs_dir)
    link_flows = LinkFlows({}, []) if flows is None else read_link_flows(flows)
    highlight: list[str] = []
    if route is not None:
        from freighthub.network.zones import with_zones

        routed = with_zones(network, link_flows.points)
        highlight = [link.id for link in shortest_route(routed, *route, wanted[0]).links]
    svg = flow_map_svg(
        network, link_flows, modes=wanted, highlight_links=highlight, resolution=resolution
    )
    path = write_text_atomic(out, svg, overwrite=force)
    out_console.print(f"wrote {path}")
