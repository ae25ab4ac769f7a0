"""The hubs section: a map of hubs and corridors, and a table of the hubs.

A corridor of the report spec follows the shortest path of its mode on the shipped
network (``networks/``) where both its hubs are network nodes, and is labelled with
that path's length; elsewhere it is a straight line labelled with the geodesic
distance. The network files a corridor walks are hashed in the report's manifest.
"""

from __future__ import annotations

from pathlib import Path

from freighthub.errors import UnknownIdentifierError
from freighthub.geo import distance_between_km
from freighthub.model.hub import Hub, HubStatus, load_hubs
from freighthub.model.network import Network, load_network
from freighthub.model.paths import data_dir
from freighthub.network.geojson import route_coordinates
from freighthub.network.routing import Route, route_if_any
from freighthub.observation import plan_source
from freighthub.report.content import (
    Cell,
    Contribution,
    Heading,
    HubMap,
    Localised,
    MapLine,
    MapPoint,
    Param,
    Quantity,
    Section,
    SourceEntry,
    Table,
    Text,
    listed,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.values import value_param
from freighthub.vocabulary import Mode, is_flagged

__all__ = ["build_hubs", "hub_name"]

_COORD_DECIMALS = 4
_DISTANCE_DECIMALS = 0


def hub_name(hub: Hub) -> Localised:
    """The hub's name in English and, where given, Chinese."""
    return Localised(hub.names.en, hub.names.zh)


def _types(hub: Hub) -> Param:
    return listed([Text(f"hub_type.{t.value}") for t in hub.hub_types])


def _modes(hub: Hub) -> Param:
    return listed([Text(f"mode.{m.value}") for m in hub.modes])


def _shipped_network(hubs: dict[str, Hub]) -> Network:
    """The network of ``networks/`` with the shipped hubs, the report's hubs replacing
    those of the same id (a report on its own hub folder still gets the network)."""
    return load_network(data_dir("networks"), {**load_hubs(data_dir("hubs")), **hubs})


def _network_route(
    inputs: ReportInputs, a: str, b: str, mode: Mode
) -> tuple[Network, Route] | None:
    """The shortest path of ``mode`` from hub ``a`` to hub ``b`` on the shipped network
    (``networks/``), or None where either hub is not a network node or no path of that
    mode joins them."""
    network = inputs.shared("network", lambda: _shipped_network(inputs.hubs))
    route = route_if_any(network, a, b, mode)
    return None if route is None else (network, route)


def build_hubs(inputs: ReportInputs) -> Contribution:
    """The hubs section; always built (a report covers at least one hub)."""
    hubs = inputs.hubs
    points = tuple(MapPoint(h.id, hub_name(h), h.lon_deg, h.lat_deg) for h in hubs.values())
    lines: list[MapLine] = []
    network_files: set[Path] = set()
    for corridor in inputs.spec.map.corridors:
        for end in (corridor.from_hub, corridor.to_hub):
            if end not in hubs:
                raise UnknownIdentifierError("hub in map.corridors", end, hubs)
        a, b = hubs[corridor.from_hub], hubs[corridor.to_hub]
        route = _network_route(inputs, a.id, b.id, corridor.mode)
        if route is None:  # not on the network: a straight line, the geodesic distance
            lines.append(
                MapLine(
                    a.id,
                    b.id,
                    corridor.mode.value,
                    Quantity(distance_between_km(a, b), "km", _DISTANCE_DECIMALS),
                    Text("hubs.basis.geodesic", {"mode": Text(f"mode.{corridor.mode.value}")}),
                )
            )
            continue
        network, walked = route
        network_files.update(link.file.resolve() for link in walked.links)
        lines.append(
            MapLine(
                a.id,
                b.id,
                corridor.mode.value,
                Quantity(walked.distance_km, "km", _DISTANCE_DECIMALS),
                Text("hubs.basis.network", {"path": " → ".join(walked.path)}),
                tuple(route_coordinates(network, walked)),
            )
        )

    rows = []
    sources: list[SourceEntry] = []
    n_values = 0
    n_flagged = 0
    for hub in hubs.values():
        sourced = list(hub.iter_sourced())
        flagged = sum(1 for _, v in sourced if is_flagged(v.confidence))
        n_values += len(sourced)
        n_flagged += flagged
        rows.append(
            (
                Cell(hub_name(hub)),
                Cell(Localised(hub.names.zh or "—", hub.names.en)),
                Cell(hub.country),
                Cell(_types(hub)),
                Cell(_modes(hub)),
                Cell(Quantity(hub.lon_deg, "deg", _COORD_DECIMALS)),
                Cell(Quantity(hub.lat_deg, "deg", _COORD_DECIMALS)),
                Cell(Quantity(len(sourced))),
                Cell(Quantity(flagged)),
            )
        )
        name = hub_name(hub)
        sources.append(
            SourceEntry(
                name,
                "lon_deg, lat_deg",
                f"{hub.lon_deg}, {hub.lat_deg}",
                hub.location_source,
                None,
            )
        )
        for path, value in sourced:
            sources.append(
                SourceEntry(
                    name, path, value_param(path, value.value), value.source, value.confidence
                )
            )

    # Candidate hubs (planned, expansion): their plan values, marked as plans.
    candidates = [h for h in hubs.values() if h.status is not HubStatus.EXISTING]
    for hub in candidates:
        for path, value in hub.iter_planned():
            sources.append(
                SourceEntry(
                    hub_name(hub),
                    f"planned.{path}",
                    value_param(path, value.value),
                    plan_source(value.source, hub.planned_year),
                    value.confidence,
                )
            )

    blocks: list[Heading | HubMap | Table] = [
        HubMap("hub-map", Text("hubs.map_caption"), points, tuple(lines)),
        Table(
            "hub-table",
            Text("hubs.table_caption"),
            tuple(
                Text(f"hubs.col.{c}")
                for c in (
                    "name",
                    "other_name",
                    "country",
                    "types",
                    "modes",
                    "lon_deg",
                    "lat_deg",
                    "values",
                    "flagged",
                )
            ),
            tuple(rows),
        ),
    ]
    if lines:
        blocks.append(Heading("corridors", Text("hubs.corridors_heading")))
        blocks.append(
            Table(
                "corridor-table",
                Text("hubs.corridors_caption"),
                (
                    Text("hubs.col.from"),
                    Text("hubs.col.to"),
                    Text("hubs.col.mode"),
                    Text("hubs.col.distance_km"),
                    Text("hubs.col.distance_basis"),
                ),
                tuple(
                    (
                        Cell(hub_name(hubs[line.from_id])),
                        Cell(hub_name(hubs[line.to_id])),
                        Cell(Text(f"mode.{line.mode}")),
                        Cell(line.distance),
                        Cell(line.basis if line.basis is not None else "—"),
                    )
                    for line in lines
                ),
            )
        )

    if candidates:
        blocks.extend(_candidate_blocks(candidates))

    findings: tuple[Text, ...] = (
        Text("hubs.finding_count", {"n": Quantity(len(hubs))}),
        Text(
            "hubs.finding_values",
            {"values": Quantity(n_values), "flagged": Quantity(n_flagged)},
        ),
    )
    if candidates:
        findings += (Text("hubs.finding_candidates", {"n": Quantity(len(candidates))}),)
    return Contribution(
        section=Section("hubs", Text("section.hubs.title"), tuple(blocks)),
        findings=findings,
        method_notes=(Text("hubs.method_map"), Text("hubs.method_distance")),
        sources=tuple(sources),
        inputs=(*inputs.hub_files, *sorted(network_files)),
    )


def _candidate_blocks(candidates: list[Hub]) -> list[Heading | HubMap | Table]:
    """Candidate hubs: status, the year their plans apply from, and their plan values."""
    return [
        Heading("candidates", Text("hubs.candidates_heading")),
        Table(
            "candidate-table",
            Text("hubs.candidates_caption"),
            tuple(
                Text(f"hubs.col.{c}")
                for c in ("name", "status", "planned_year", "plan_values", "planned_attributes")
            ),
            tuple(
                (
                    Cell(hub_name(hub)),
                    Cell(Text(f"hub_status.{hub.status.value}")),
                    Cell(str(hub.planned_year)),
                    Cell(Quantity(len(list(hub.iter_planned())))),
                    Cell(", ".join(path for path, _ in hub.iter_planned()) or "—"),
                )
                for hub in candidates
            ),
        ),
    ]
