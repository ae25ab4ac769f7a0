"""From questionnaire rows to validated hubs: every cell checked, every error located.

Each row is checked on its own (known field, listed once per hub, unit, value type,
source and confidence given with a value, date), then each hub block goes through
the same validation as a hub file (:func:`freighthub.model.files.validate`); an
error found there is reported on the row of the field it names. All errors are
collected, so that a respondent sees every bad cell at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from freighthub.errors import DataFileError, FreighthubError
from freighthub.model.files import sha256_of, validate
from freighthub.model.hub import Hub, attribute_paths
from freighthub.model.hub_sections import EquipmentType
from freighthub.questionnaire.layout import (
    CONFIDENCE_LABELS,
    METADATA,
    TENT,
    TENT_SOURCED,
    FieldKind,
    QuestionRow,
    attribute_kind,
    unit_symbol,
)
from freighthub.questionnaire.sheets import CellRow, cell_position, read_table

__all__ = ["QuestionnaireError", "read_hubs"]

_METADATA = {name: kind for name, kind, _ in METADATA}
_TENT = {name: (kind, unit) for name, kind, unit, _ in TENT}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class QuestionnaireError(FreighthubError):
    """A questionnaire has bad cells: one :class:`DataFileError` per problem, in row order."""

    def __init__(self, problems: list[DataFileError]) -> None:
        self.problems = tuple(problems)
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{problems[0]}{tail}")


class _CellError(Exception):
    def __init__(self, column: str, rule: str, value: Any = None) -> None:
        self.column = column
        self.rule = rule
        self.value = value


def _known_fields() -> list[str]:
    equipment = [
        f"handling.equipment.{t.value}.{what}"
        for t in EquipmentType
        for what in ("count", "moves_per_h")
    ]
    attributes = attribute_paths() + equipment
    return list(_METADATA) + list(_TENT) + attributes + ["planned." + a for a in attributes]


def _kind(field: str) -> FieldKind:
    if field in _METADATA:
        return _METADATA[field]
    if field in _TENT:
        return _TENT[field][0]
    try:
        return attribute_kind(field.removeprefix("planned."))
    except (KeyError, ValueError):
        close = difflib.get_close_matches(field, _known_fields(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _CellError("field", "unknown field" + hint, field) from None


def _convert(kind: FieldKind, value: Any) -> Any:
    if kind.kind == "number":
        return _number(kind, value)
    if kind.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise _CellError("value", "must be true or false", value)
    if isinstance(value, (dt.date, bool)):
        raise _CellError("value", "must be text", value)
    text = _text(value)
    if kind.kind == "list":
        items = [t.strip() for t in text.split(",") if t.strip()]
        bad = [t for t in items if t not in kind.choices]
        if bad or not items:
            raise _CellError(
                "value", "must list names from: " + ", ".join(kind.choices), bad[0] if bad else text
            )
        return items
    if kind.choices and text not in kind.choices:
        raise _CellError("value", "must be one of " + ", ".join(kind.choices), text)
    return text


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a class or code typed as a number in a spreadsheet
    return str(value)


def _number(kind: FieldKind, value: Any) -> int | float:
    if isinstance(value, (bool, dt.date)):
        raise _CellError("value", "must be a number", value)
    if isinstance(value, str):
        try:
            number: float = float(value.replace(" ", ""))
        except ValueError:
            rule = "must be a number"
            if "," in value:
                rule += " (no thousands separators; a decimal point, not a comma)"
            raise _CellError("value", rule, value) from None
    else:
        number = float(value)
    if kind.integer:
        if not number.is_integer():
            raise _CellError("value", "must be a whole number", value)
        return int(number)
    return number


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _CellError("date", "must be a date YYYY-MM-DD", value) from None


def _sourced(row: QuestionRow, kind: FieldKind, path: str) -> dict[str, Any]:
    """A value row as a sourced value; ``path`` is the attribute whose unit the row's
    unit must fit (empty: the unit was checked already)."""
    if path and row.unit and row.unit != unit_symbol(path):
        raise _CellError(
            "unit",
            f"does not fit {path}, which is in {unit_symbol(path)}: convert the value "
            "and keep the unit",
            row.unit,
        )
    if row.value is None:
        given = [c for c in ("source", "confidence", "date") if getattr(row, c) is not None]
        if given:
            raise _CellError(given[0], "given without a value: give the value or clear the cell")
        return {}
    out: dict[str, Any] = {"value": _convert(kind, row.value)}
    if not row.source:
        raise _CellError("source", "missing source: every value needs its source", row.source)
    if row.confidence not in CONFIDENCE_LABELS:
        raise _CellError(
            "confidence", "must be one of " + ", ".join(CONFIDENCE_LABELS), row.confidence
        )
    out["source"] = row.source
    out["confidence"] = row.confidence
    date = _date(row.date)
    if date is not None:
        out["date"] = date
    return out


def _tent(row: QuestionRow, kind: FieldKind) -> dict[str, Any]:
    """A ``tent.*`` row as ``[tent]`` keys: the value, and on the row ``tent.tier`` the
    section's source and confidence (other rows take a value only; no row takes a date)."""
    unit = _TENT[row.field][1]
    if row.unit and row.unit != unit:
        raise _CellError("unit", f"does not fit {row.field}, which is a {unit}", row.unit)
    if row.date is not None:
        raise _CellError(
            "date", "the [tent] section takes no date: name the listing's edition in the source"
        )
    name = row.field.removeprefix("tent.")
    if row.field != TENT_SOURCED:
        for column in ("source", "confidence"):
            if getattr(row, column) is not None:
                raise _CellError(
                    column,
                    f"the row {row.field!r} takes a value only: the [tent] section's source "
                    f"and confidence go on the row {TENT_SOURCED!r}",
                    getattr(row, column),
                )
        return {} if row.value is None else {name: _convert(kind, row.value)}
    sourced = _sourced(row, kind, "")
    if not sourced:
        return {}
    return {
        name: sourced["value"],
        "source": sourced["source"],
        "confidence": sourced["confidence"],
    }


class _Block:
    """One hub's rows while they are read: the raw data and where each field stood."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.data: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        self.respondent: str | None = None
        self.bad = False
        self.failed: set[str] = set()  # fields whose own row was reported bad

    def put(self, keys: list[str], value: Any) -> None:
        target = self.data
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value

    def add(self, row: QuestionRow, number: int) -> None:
        field = row.field
        kind = _kind(field)
        if field in self.rows:
            raise _CellError(
                "field", f"listed twice for this hub (first in row {self.rows[field]})", field
            )
        self.rows[field] = number
        if field in _METADATA:
            for column in ("source", "confidence", "date"):
                if getattr(row, column) is not None:
                    raise _CellError(
                        column, f"the row {field!r} takes a value only", getattr(row, column)
                    )
            if row.value is None:
                return
            value = _convert(kind, row.value)
            if field == "respondent":
                self.respondent = value
            else:
                self.put(field.split("."), value)
            return
        if field in _TENT:
            for key, value in _tent(row, kind).items():
                self.put(["tent", key], value)
            return
        planned = field.startswith("planned.")
        path = field.removeprefix("planned.")
        sourced = _sourced(row, kind, path)
        if not sourced:
            return
        root = ["planned"] if planned else []
        parts = path.split(".")
        if parts[:2] != ["handling", "equipment"]:
            self.put(root + parts, sourced)
            return
        handling = self.data
        for key in [*root, "handling"]:
            handling = handling.setdefault(key, {})
        equipment: list[dict[str, Any]] = handling.setdefault("equipment", [])
        entry = next((e for e in equipment if e["type"] == parts[2]), None)
        if entry is None:
            entry = {"type": parts[2]}
            equipment.append(entry)
        entry[parts[3]] = sourced
        index = equipment.index(entry)
        self.rows[f"{'planned.' if planned else ''}handling.equipment[{index}].{parts[3]}"] = number

    def row_of(self, field: str | None, rule: str) -> int:
        """The row of the field an error names (its longest known prefix)."""
        if field and field != "(top level)":
            parts = field.split(".")
            for n in range(len(parts), 0, -1):
                prefix = ".".join(parts[:n])
                near = [
                    r for f, r in self.rows.items() if f == prefix or f.startswith(prefix + ".")
                ]
                if near:
                    return min(near)
        for word in ("modes", "status", "planned_year"):
            if word in rule and word in self.rows:
                return self.rows[word]
        return self.start


def read_hubs(path: str | Path, *, imported: dt.date) -> list[Hub]:
    """Read a questionnaire into validated hubs, each with its import record.

    Parameters
    ----------
    path
        The questionnaire (``.xlsx`` or ``.csv``).
    imported
        The import date written into each hub's ``imported_from``.

    Raises
    ------
    DataFileError
        If the file cannot be read as a questionnaire at all.
    QuestionnaireError
        Listing every bad cell (file, sheet, row, column, field, value and rule).
    """
    p = Path(path)
    rows = read_table(p)
    record = {"questionnaire": p.name, "sha256": sha256_of(p), "imported": imported}
    problems: list[DataFileError] = []
    blocks: list[_Block] = []
    for cell_row in rows:
        _read_row(p, cell_row, blocks, problems)
    hubs: list[Hub] = []
    seen: dict[str, int] = {}
    for block in blocks:
        _check_required(p, block, problems)
        _check_tent(p, block, problems)
        if block.bad:
            continue
        data = {**block.data, "imported_from": {**record, "respondent": block.respondent}}
        try:
            hub = validate(Hub, data, p)
        except DataFileError as exc:
            number = block.row_of(exc.field, exc.rule)
            position = cell_position(p, number, "value")
            if exc.field is None or exc.field == "(top level)":
                problems.append(DataFileError(position, exc.rule))
            elif exc.value is None:
                problems.append(DataFileError(position, exc.rule, exc.field))
            else:
                problems.append(DataFileError(position, exc.rule, exc.field, exc.value))
            continue
        if hub.id in seen:
            problems.append(
                DataFileError(
                    cell_position(p, block.start, "value"),
                    f"hub id given twice (first in row {seen[hub.id]})",
                    "id",
                    hub.id,
                )
            )
            continue
        seen[hub.id] = block.start
        hubs.append(hub)
    if problems:
        problems.sort(key=lambda e: _row_number(e.path))
        raise QuestionnaireError(problems)
    return hubs


#: Metadata a hub cannot do without (the hub format requires them).
_REQUIRED = ("id", "names.en", "country", "lon_deg", "lat_deg", "hub_types", "modes")


def _check_required(p: Path, block: _Block, problems: list[DataFileError]) -> None:
    """One problem per required metadata row left empty (or missing), on its row; a row
    already reported bad is not reported again as empty."""
    for field in _REQUIRED:
        if field in block.failed:
            continue
        target: Any = block.data
        for key in field.split("."):
            target = target.get(key) if isinstance(target, dict) else None
        if target is None:
            block.bad = True
            number = block.rows.get(field, block.start)
            problems.append(
                DataFileError(cell_position(p, number, "value"), "required: fill in", field)
            )


def _check_tent(p: Path, block: _Block, problems: list[DataFileError]) -> None:
    """A ``[tent]`` row given without the hub's tier (which carries the section's source)."""
    tent = block.data.get("tent")
    if tent is None or "tier" in tent:
        return
    block.bad = True
    given = [f for f in _TENT if f.removeprefix("tent.") in tent]
    number = block.rows.get(TENT_SOURCED, block.rows[given[0]])
    problems.append(
        DataFileError(
            cell_position(p, number, "value"),
            f"required with {given[0]}: fill in the hub's TEN-T tier with the [tent] "
            "section's source and confidence",
            TENT_SOURCED,
        )
    )


def _row_number(position: str) -> int:
    _, _, tail = position.partition(", row " if ", row " in position else ": row ")
    digits = tail.split(",", 1)[0]
    return int(digits) if digits.isdigit() else 0


def _read_row(
    p: Path, cell_row: CellRow, blocks: list[_Block], problems: list[DataFileError]
) -> None:
    row, number = cell_row.row, cell_row.number
    if row.field == "id":
        blocks.append(_Block(number))
    elif not blocks:
        if not problems:  # one message for all the rows before the first 'id'
            problems.append(
                DataFileError(
                    cell_position(p, number, "field"),
                    "a hub's rows start with the row 'id'",
                    "field",
                    row.field,
                )
            )
        return
    block = blocks[-1]
    try:
        if not row.field:
            raise _CellError("field", "empty field name in a row with values")
        block.add(row, number)
    except _CellError as exc:
        block.bad = True
        block.failed.add(row.field)
        field = "field" if exc.column == "field" else row.field
        value = exc.value if exc.value is not None else row.value
        position = cell_position(p, number, exc.column)
        problems.append(
            DataFileError(position, exc.rule, field)
            if value is None
            else DataFileError(position, exc.rule, field, value)
        )
