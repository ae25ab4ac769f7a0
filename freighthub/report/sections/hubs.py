"""The hubs section: a map of hubs and corridors, and a table of the hubs."""

from __future__ import annotations

from freighthub.errors import UnknownIdentifierError
from freighthub.geo import distance_between_km
from freighthub.model.hub import Hub, HubStatus
from freighthub.observation import plan_source
from freighthub.report.content import (
    Cell,
    Contribution,
    Heading,
    HubMap,
    Localised,
    MapLine,
    MapPoint,
    Quantity,
    Section,
    SourceEntry,
    Table,
    Text,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.values import value_param
from freighthub.vocabulary import is_flagged

__all__ = ["build_hubs", "hub_name"]

_COORD_DECIMALS = 4
_DISTANCE_DECIMALS = 0


def hub_name(hub: Hub) -> Localised:
    """The hub's name in English and, where given, Chinese."""
    return Localised(hub.names.en, hub.names.zh)


def _types(hub: Hub) -> Text:
    return _joined([Text(f"hub_type.{t.value}") for t in hub.hub_types])


def _modes(hub: Hub) -> Text:
    return _joined([Text(f"mode.{m.value}") for m in hub.modes])


def _joined(items: list[Text]) -> Text:
    """Items joined with the language's list separator."""
    if len(items) == 1:
        return items[0]
    head = _joined(items[:-1])
    return Text("list.pair", {"a": head, "b": items[-1]})


def build_hubs(inputs: ReportInputs) -> Contribution:
    """The hubs section; always built (a report covers at least one hub)."""
    hubs = inputs.hubs
    points = tuple(MapPoint(h.id, hub_name(h), h.lon_deg, h.lat_deg) for h in hubs.values())
    lines: list[MapLine] = []
    for corridor in inputs.spec.map.corridors:
        for end in (corridor.from_hub, corridor.to_hub):
            if end not in hubs:
                raise UnknownIdentifierError("hub in map.corridors", end, hubs)
        a, b = hubs[corridor.from_hub], hubs[corridor.to_hub]
        lines.append(
            MapLine(
                a.id,
                b.id,
                corridor.mode.value,
                Quantity(distance_between_km(a, b), "km", _DISTANCE_DECIMALS),
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
                ),
                tuple(
                    (
                        Cell(hub_name(hubs[line.from_id])),
                        Cell(hub_name(hubs[line.to_id])),
                        Cell(Text(f"mode.{line.mode}")),
                        Cell(line.distance),
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
        inputs=inputs.hub_files,
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
