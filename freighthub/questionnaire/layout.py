"""The questionnaire layout: its columns, its rows, and what each row asks.

One table (sheet ``questionnaire`` of a workbook, or a CSV file) with the columns of
:data:`COLUMNS`. It holds one block of rows per hub. A block starts with the row
``id``; the hub's metadata rows follow (names, country, location, types, modes,
status, planned year, respondent ...), then one row per attribute: the dotted path
of the hub format (``rail.handling_track_length_m``), ``planned.<path>`` for the
planned value of a candidate hub, and ``handling.equipment.<type>.count`` /
``.moves_per_h`` for handling equipment. The rows ``tent.<field>`` carry the hub's
``[tent]`` section (its TEN-T tier and the facts exemptions and stages name; see
:mod:`freighthub.model.tent`): the row ``tent.tier`` holds the section's source and
confidence, the others a value only. The columns ``definition``, ``unit`` and
``rule`` tell the respondent what is asked; ``value``, ``source``, ``confidence`` and
``date`` are filled in. An empty value cell means "not known".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from freighthub.model.hub import Hub, HubStatus, attribute_paths, attribute_value_type
from freighthub.model.hub_sections import Equipment, EquipmentType, Handling
from freighthub.model.sourced import Sourced, sourced_value_type
from freighthub.model.standard import Criterion, Standard
from freighthub.units import unit_of_field
from freighthub.vocabulary import Confidence, HubType, Mode, NetworkTier

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "INPUT_COLUMNS",
    "METADATA",
    "SHEET",
    "TENT",
    "TENT_SOURCED",
    "FieldKind",
    "QuestionRow",
    "attribute_kind",
    "hub_rows",
    "profile_attributes",
    "rule_text",
    "template_rows",
    "tent_rows",
    "unit_symbol",
]

#: Name of the questionnaire sheet of a workbook.
SHEET = "questionnaire"
#: The columns, in order.
COLUMNS = ("field", "definition", "unit", "rule", "value", "source", "confidence", "date")
#: The columns a respondent fills in.
INPUT_COLUMNS = ("value", "source", "confidence", "date")


@dataclass(frozen=True)
class FieldKind:
    """What a value cell holds: ``number`` (``integer`` when whole), ``bool``, ``text``,
    ``list`` (comma-separated names) or ``date``; ``choices`` for names from a list."""

    kind: str
    integer: bool = False
    choices: tuple[str, ...] = ()


_TEXT = FieldKind("text")

#: Metadata rows of a hub block: field, kind, definition.
METADATA: tuple[tuple[str, FieldKind, str], ...] = (
    ("id", _TEXT, "hub id: lower-case words joined by '-'; the hub file is named <id>.toml"),
    ("names.en", _TEXT, "English name of the hub"),
    ("names.zh", _TEXT, "Chinese name of the hub (optional)"),
    ("country", _TEXT, "ISO 3166-1 alpha-2 country code (CN, DE ...)"),
    ("lon_deg", FieldKind("number"), "longitude of the hub [deg, WGS84]"),
    ("lat_deg", FieldKind("number"), "latitude of the hub [deg, WGS84]"),
    ("location_source", _TEXT, "where the coordinates come from (map, survey, document)"),
    (
        "hub_types",
        FieldKind("list", choices=tuple(t.value for t in HubType)),
        "kinds of hub, comma-separated",
    ),
    ("modes", FieldKind("list", choices=tuple(m.value for m in Mode)), "modes, comma-separated"),
    (
        "status",
        FieldKind("text", choices=tuple(s.value for s in HubStatus)),
        "existing; planned (a candidate site); expansion (an existing hub with a planned expansion)",
    ),
    (
        "planned_year",
        FieldKind("number", integer=True),
        "year the planned values apply from (planned and expansion only)",
    ),
    ("respondent", _TEXT, "who filled in this questionnaire (name, organisation, contact)"),
    ("description", _TEXT, "short description of the hub (optional)"),
    ("operations.year", FieldKind("number", integer=True), "reference year of operating figures"),
    (
        "planned.operations.year",
        FieldKind("number", integer=True),
        "reference year of planned operating figures (optional)",
    ),
)

_TIER = FieldKind("text", choices=tuple(t.value for t in NetworkTier))
_TIERS = ", ".join(t.value for t in NetworkTier)

#: Rows of the hub's ``[tent]`` section: field, kind, unit, definition. Only
#: :data:`TENT_SOURCED` carries a source and confidence (the section's own).
TENT: tuple[tuple[str, FieldKind, str, str], ...] = (
    (
        "tent.tier",
        _TIER,
        "class",
        f"TEN-T tier of the hub ({_TIERS}): its listing in Annex II of Reg. (EU) "
        "2024/1679; EU hubs only. Its source and confidence are those of the whole [tent] section",
    ),
    (
        "tent.rail_tier",
        _TIER,
        "class",
        "TEN-T tier of the rail line the rail values describe, where it differs from tent.tier",
    ),
    (
        "tent.waterway_tier",
        _TIER,
        "class",
        "TEN-T tier of the waterway the waterway values describe, where it differs from tent.tier",
    ),
    (
        "tent.rail_access_connection",
        FieldKind("bool"),
        "bool",
        "the rail values describe the terminal's access connection (Art. 14(1)(d): "
        "exempt from the line requirements of Arts 15-16) (true/false)",
    ),
    (
        "tent.rail_art15_3_line",
        FieldKind("bool"),
        "bool",
        "the comprehensive-network rail line is an Art. 15(3) line (terminal or port link, "
        "re-routing line, > 10 freight trains a day) (true/false)",
    ),
)
#: The ``[tent]`` row that holds the section's source and confidence.
TENT_SOURCED = "tent.tier"

#: What each attribute of the hub format means (the questionnaire's definition column).
DEFINITIONS: dict[str, str] = {
    "rail.handling_track_length_m": "usable length of a handling (loading) track",
    "rail.handling_tracks": "number of handling tracks",
    "rail.electrified": "rail access line electrified (true/false)",
    "rail.axle_load_t": "permitted axle load of the rail access line [t per axle]",
    "rail.loading_gauge": "loading gauge name of the access line (P/C 400, GC ...)",
    "rail.line_speed_kmh": "design speed of the rail access line for freight trains",
    "rail.max_train_length_m": "longest train the hub can receive without splitting",
    "rail.wagons_handled_per_day": "average wagons loaded plus unloaded per day",
    "waterway.ecmt_class": "ECMT 1992 class of the fairway (I, II, III, IV, Va, Vb, VIa ...)",
    "waterway.cn_waterway_class": "Chinese inland waterway grade of GB 50139 (I ... VII)",
    "waterway.berth_length_m": "total quay length for container vessels",
    "waterway.berths": "number of container berths",
    "waterway.draught_m": "maximum draught at the berths",
    "waterway.bridge_clearance_m": "lowest bridge clearance on the access fairway",
    "road.gate_lanes": "truck gate lanes",
    "road.truck_parking_places": "truck parking places",
    "road.hdv_charging": "charging for heavy-duty electric vehicles (true/false)",
    "road.hdv_charging_distance_km": "distance to the nearest heavy-duty-vehicle charging; 0 inside",
    "handling.yard_capacity_teu": "static container yard capacity",
    "handling.area_ha": "terminal area",
    "operations.opening_hours_per_week": "opening hours per week (168 = round the clock)",
    "operations.annual_throughput_teu": "containers handled per year",
    "operations.annual_throughput_t": "cargo handled per year",
    "operations.annual_non_bulk_throughput_t": "non-bulk cargo (containers, swap bodies, "
    "semi-trailers, general cargo) transhipped per year",
    "operations.mean_dwell_days": "mean container dwell time",
    "operations.mean_truck_wait_min": "mean truck turn/wait time at the gate",
    "operations.open_access": "open to all operators without discrimination (true/false)",
    "energy.shore_power": "shore power for vessels (true/false)",
    "energy.electric_handling_share": "share of handling equipment that is electric, 0-1",
    "equipment.count": "units of this type of handling equipment",
    "equipment.moves_per_h": "container moves per hour of one unit",
}


@dataclass(frozen=True)
class QuestionRow:
    """One row of the questionnaire, as written or read.

    Attributes
    ----------
    field
        ``id``, a metadata field or an attribute path (see the module docstring).
    definition, unit, rule
        What is asked (written by the template, ignored on import but ``unit``,
        which must fit the attribute).
    value, source, confidence, date
        The answer; ``None`` for an empty cell.
    """

    field: str
    definition: str = ""
    unit: str = ""
    rule: str = ""
    value: Any = None
    source: str | None = None
    confidence: str | None = None
    date: dt.date | None = None


def _value_kind(inner: Any) -> FieldKind:
    if inner is bool:
        return FieldKind("bool")
    if isinstance(inner, type) and issubclass(inner, Enum):
        return FieldKind("text", choices=tuple(str(m.value) for m in inner))
    if isinstance(inner, type) and issubclass(inner, int):
        return FieldKind("number", integer=True)
    if isinstance(inner, type) and issubclass(inner, float):
        return FieldKind("number")
    return _TEXT


def attribute_kind(path: str) -> FieldKind:
    """The kind of value an attribute path holds (without ``planned.``).

    Raises
    ------
    KeyError
        If the path is not an attribute of the hub format or an equipment row.
    """
    parts = path.split(".")
    if len(parts) == 4 and parts[:2] == ["handling", "equipment"]:
        EquipmentType(parts[2])  # ValueError for an unknown type
        if parts[3] not in {"count", "moves_per_h"}:
            raise KeyError(path)
        return _value_kind(sourced_value_type(Equipment.model_fields[parts[3]].annotation))
    return _value_kind(attribute_value_type(path))


def unit_symbol(path: str) -> str:
    """The unit an attribute is given in (``m``, ``TEU/year``; ``count``, ``bool``, ``class``)."""
    unit = unit_of_field(path)
    if unit is not None:
        return unit.symbol
    kind = attribute_kind(path)
    if kind.kind == "bool":
        return "bool"
    return "count" if kind.integer else "class"


def definition(path: str) -> str:
    """The definition of an attribute path (equipment rows: of the count or productivity)."""
    if path.startswith("handling.equipment."):
        _, _, kind, what = path.split(".")
        return f"{kind.replace('_', ' ')}: {DEFINITIONS['equipment.' + what]}"
    return DEFINITIONS[path]


def profile_attributes(profile: Standard) -> list[str]:
    """The attributes a profile's criteria read (``attribute`` and ``per``), in order."""
    seen: dict[str, None] = {}
    for c in profile.criteria:
        seen[c.attribute] = None
        if c.per is not None:
            seen[c.per] = None
    return list(seen)


def rule_text(profile: Standard, path: str) -> str:
    """The criteria of ``profile`` that read ``path``: id, rule and threshold, source."""
    parts = []
    for c in profile.criteria:
        if path not in {c.attribute, c.per}:
            continue
        spec = c.spec()
        where = []
        if c.hub_types:
            where.append("hub types " + ", ".join(t.value for t in c.hub_types))
        if c.modes:
            where.append("modes " + ", ".join(m.value for m in c.modes))
        applies = f" [applies to {'; '.join(where)}]" if where else ""
        per = f" (read as {c.attribute} / {c.per})" if c.per else ""
        parts.append(f"{c.id}: {spec.describe_threshold()}{per}{applies} - {c.source.one_line()}")
    return "; ".join(parts)


def _tent_reasons(c: Criterion, field: str) -> list[str]:
    """Why criterion ``c`` reads the ``[tent]`` field (empty: it does not)."""
    name = field.removeprefix("tent.")
    tiered = any(s.tiers for s in c.stages)
    network = {"tier": "node", "rail_tier": "rail", "waterway_tier": "waterway"}.get(name)
    out = []
    if tiered and (network == c.tier_network or name == "tier"):
        clauses = ", ".join(
            f"{'/'.join(t.value for t in s.tiers) or 'all'} {s.deadline or 'no deadline'} ({s.clause})"
            for s in c.stages
        )
        via = ""
        if name == "tier" and c.tier_network != "node":
            via = f" (as the {c.tier_network} tier unless tent.{c.tier_network}_tier is given)"
        out.append(f"{c.id}: the tier selects the stage{via}: {clauses}")
    for e in c.exemptions:
        if e.condition == name:
            out.append(f"{c.id}: exempt where true ({e.clause})")
    for s in c.stages:
        if s.condition == name:
            out.append(f"{c.id}: the stage {s.deadline or ''} ({s.clause}) applies only where true")
    return out


def tent_rows(profile: Standard | None, hub: Hub | None = None) -> list[QuestionRow]:
    """The ``[tent]`` rows: those the hub gives and those the profile's criteria read.

    A profile reads ``tent.tier`` when a criterion has stages by tier (the rail or
    waterway tier defaults to it) and a hub fact when an exemption or stage
    condition names it. The row ``tent.tier`` is written whenever another is.
    """
    tent = None if hub is None else hub.tent
    rows = []
    for field, _, unit, text in TENT:
        name = field.removeprefix("tent.")
        reasons = (
            []
            if profile is None
            else [r for c in profile.criteria for r in _tent_reasons(c, field)]
        )
        value = None if tent is None else getattr(tent, name)
        if value is None and not reasons and not (field == TENT_SOURCED and tent is not None):
            continue
        carries = tent if field == TENT_SOURCED else None  # the section's provenance
        rows.append(
            QuestionRow(
                field,
                text,
                unit,
                "; ".join(reasons),
                value=value.value if isinstance(value, Enum) else value,
                source=None if carries is None else carries.source,
                confidence=None if carries is None else carries.confidence.value,
            )
        )
    if rows and rows[0].field != TENT_SOURCED:
        _, _, unit, text = TENT[0]
        rows.insert(0, QuestionRow(TENT_SOURCED, text, unit))
    return rows


def _metadata_rows(values: dict[str, Any]) -> list[QuestionRow]:
    return [
        QuestionRow(field, definition=text, value=values.get(field)) for field, _, text in METADATA
    ]


def _attribute_row(
    path: str, value: Sourced[Any] | None, profile: Standard | None, planned: bool
) -> QuestionRow:
    rule = "" if profile is None else rule_text(profile, path)
    prefix = "planned." if planned else ""
    text = definition(path) + (" (planned value)" if planned else "")
    if value is None:
        return QuestionRow(prefix + path, text, unit_symbol(path), rule)
    raw = value.value
    return QuestionRow(
        prefix + path,
        text,
        unit_symbol(path),
        rule,
        value=raw.value if isinstance(raw, Enum) else raw,
        source=value.source,
        confidence=None if value.confidence is None else value.confidence.value,
        date=value.date,
    )


def template_rows(profile: Standard, status: HubStatus = HubStatus.EXISTING) -> list[QuestionRow]:
    """The rows of an empty questionnaire for ``profile``: metadata and one row per attribute.

    An existing hub is asked for current values, a planned hub for planned values, an
    expansion for both.
    """
    rows = _metadata_rows({"status": status.value}) + tent_rows(profile)
    for planned in _plan_kinds(status):
        rows.extend(_attribute_row(p, None, profile, planned) for p in profile_attributes(profile))
    return rows


def _plan_kinds(status: HubStatus) -> tuple[bool, ...]:
    if status is HubStatus.EXISTING:
        return (False,)
    if status is HubStatus.PLANNED:
        return (True,)
    return (False, True)


def _equipment_rows(handling: Handling | None, planned: bool) -> Iterable[QuestionRow]:
    if handling is None:
        return
    for item in handling.equipment:
        base = f"handling.equipment.{item.type.value}"
        yield _attribute_row(base + ".count", item.count, None, planned)
        if item.moves_per_h is not None:
            yield _attribute_row(base + ".moves_per_h", item.moves_per_h, None, planned)


def hub_rows(hub: Hub, profile: Standard | None = None) -> list[QuestionRow]:
    """The rows of one hub: its metadata and every value it gives (export).

    With a ``profile``, the attributes the profile reads and the hub does not give
    are added as empty rows, and the rule column is filled in.
    """
    ops = hub.operations
    planned_ops = None if hub.planned is None else hub.planned.operations
    rows = _metadata_rows(
        {
            "id": hub.id,
            "names.en": hub.names.en,
            "names.zh": hub.names.zh,
            "country": hub.country,
            "lon_deg": hub.lon_deg,
            "lat_deg": hub.lat_deg,
            "location_source": hub.location_source,
            "hub_types": ", ".join(t.value for t in hub.hub_types),
            "modes": ", ".join(m.value for m in hub.modes),
            "status": hub.status.value,
            "planned_year": hub.planned_year,
            "respondent": None if hub.imported_from is None else hub.imported_from.respondent,
            "description": hub.description,
            "operations.year": None if ops is None else ops.year,
            "planned.operations.year": None if planned_ops is None else planned_ops.year,
        }
    )
    rows.extend(tent_rows(profile, hub))
    wanted = [] if profile is None else profile_attributes(profile)
    for planned in _plan_kinds(hub.status):
        given = dict(hub.iter_planned() if planned else hub.iter_sourced())
        paths = [p for p in attribute_paths() if p in given or p in wanted]
        rows.extend(_attribute_row(p, given.get(p), profile, planned) for p in paths)
        owner = hub.planned if planned else hub
        rows.extend(_equipment_rows(None if owner is None else owner.handling, planned))
    return rows


#: The confidence labels a value may carry, most trusted first.
CONFIDENCE_LABELS = tuple(c.value for c in Confidence)
