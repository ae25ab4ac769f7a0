"""Reading and writing the questionnaire table: an ``.xlsx`` workbook or a ``.csv`` file.

The workbook has the sheet ``questionnaire`` (the table, with data validation on
the cells a respondent fills in: a list for confidence, status, yes/no and class
names, numbers and whole numbers where the attribute is one, dates in the date
column) and a sheet ``instructions``. The CSV file is the same table as UTF-8 with
a byte-order mark, so that Excel opens Chinese names correctly. Files are written
atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from freighthub.atomic import write_bytes_atomic
from freighthub.errors import DataFileError
from freighthub.questionnaire.layout import (
    COLUMNS,
    CONFIDENCE_LABELS,
    METADATA,
    SHEET,
    TENT,
    TENT_SOURCED,
    FieldKind,
    QuestionRow,
    attribute_kind,
)

__all__ = ["CellRow", "cell_position", "read_table", "write_table"]

_FORMATS = (".xlsx", ".csv")
_INSTRUCTIONS = (
    "How to fill in this questionnaire",
    "",
    "Each row asks for one value. Fill in the columns value, source, confidence and date;",
    "leave a value empty when it is not known (never write 0 for 'unknown').",
    "source: the document, page or person the value comes from (required with a value).",
    "confidence: verified (read in the primary document), secondary (a secondary source),",
    "uncertain (one weak source) or assumption (no source: say why in the source column).",
    "date: the date the value was observed or published (YYYY-MM-DD); old values are flagged.",
    "unit: the unit the value is given in; do not change it, convert the value instead.",
    "rule: the criterion the value is checked against (threshold and the standard's clause).",
    "Rows 'planned.<attribute>' ask for the planned value of a candidate hub; give the",
    "year the plans apply from in the row planned_year.",
    "Rows 'tent.<field>' (EU hubs) give the hub's TEN-T tier (Annex II of Reg. (EU) 2024/1679)",
    "and the facts exemptions depend on; source and confidence go on the row tent.tier only.",
    "Send the file back as it is; 'freighthub hubs import FILE --out hubs/' reads it.",
)


@dataclass(frozen=True)
class CellRow:
    """A row read from a questionnaire, with where it stands (for error messages).

    Attributes
    ----------
    row
        The row read (cells as read: numbers, text, dates, booleans or ``None``).
    number
        Row number in the sheet or file (1 = the header).
    """

    row: QuestionRow
    number: int


def cell_position(path: Path, number: int, column: str) -> str:
    """Where a cell stands: ``FILE: sheet 'questionnaire', row 7, column E (value)``.

    A CSV file has no sheet and numbers its rows like a spreadsheet (header = row 1).
    """
    letter = chr(ord("A") + COLUMNS.index(column)) if column in COLUMNS else "?"
    sheet = f"sheet {SHEET!r}, " if path.suffix.lower() == ".xlsx" else ""
    return f"{path}: {sheet}row {number}, column {letter} ({column})"


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise DataFileError(path, "must end in .xlsx or .csv", "file name", path.name)
    return suffix


def _cells(row: QuestionRow) -> list[Any]:
    return [getattr(row, c) for c in COLUMNS]


def _kind_of(field: str) -> FieldKind | None:
    for name, kind, _ in METADATA:
        if name == field:
            return kind
    for name, kind, _, _ in TENT:
        if name == field:
            return kind
    try:
        return attribute_kind(field.removeprefix("planned."))
    except (KeyError, ValueError):
        return None


def _csv_bytes(rows: list[QuestionRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            ["" if v is None else _csv_text(v) for v in _cells(row)]  # floats exactly
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_bytes(rows: list[QuestionRow]) -> bytes:
    from openpyxl import Workbook  # imported here: only the questionnaire needs it
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    letters = {c: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    validations: dict[str, DataValidation] = {}

    def validation(key: str, **kwargs: Any) -> DataValidation:
        if key not in validations:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)
            ws.add_data_validation(dv)
            validations[key] = dv
        return validations[key]

    confidence = validation(
        "confidence",
        type="list",
        formula1='"' + ",".join(CONFIDENCE_LABELS) + '"',
        error="confidence: verified, secondary, uncertain or assumption",
    )
    dates = validation(
        "date",
        type="date",
        operator="between",
        formula1="DATE(1900,1,1)",
        formula2="DATE(2100,12,31)",
        error="a date (YYYY-MM-DD)",
    )
    for i, row in enumerate(rows, start=2):
        ws.append(_cells(row))
        for col in ("definition", "unit", "rule"):
            ws[f"{letters[col]}{i}"].fill = grey
        value_cell = f"{letters['value']}{i}"
        kind = _kind_of(row.field)
        if kind is not None and kind.kind == "number":
            key = "whole" if kind.integer else "decimal"
            validation(
                key,
                type=key,
                operator="between",
                formula1="-1000000000000000",
                formula2="1000000000000000",
                error="a whole number" if kind.integer else "a number",
            ).add(value_cell)
        elif kind is not None and kind.kind == "bool":
            validation("bool", type="list", formula1='"TRUE,FALSE"', error="true or false").add(
                value_cell
            )
        elif kind is not None and kind.kind == "text" and kind.choices:
            choices = ",".join(kind.choices)
            validation(
                "choices:" + choices,
                type="list",
                formula1=f'"{choices}"',
                error="one of " + choices,
            ).add(value_cell)
        value_only = {name for name, _, _ in METADATA} | {name for name, *_ in TENT}
        if row.field not in value_only or row.field == TENT_SOURCED:
            confidence.add(f"{letters['confidence']}{i}")
        if row.field not in value_only:
            dates.add(f"{letters['date']}{i}")
        ws[f"{letters['date']}{i}"].number_format = "yyyy-mm-dd"
    for col, width in zip(COLUMNS, (42, 50, 10, 60, 18, 50, 12, 12), strict=True):
        ws.column_dimensions[letters[col]].width = width
    ws.freeze_panes = "B2"
    info = wb.create_sheet("instructions")
    for line in _INSTRUCTIONS:
        info.append([line])
    info.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_table(path: str | Path, rows: list[QuestionRow], *, overwrite: bool = False) -> Path:
    """Write the questionnaire rows as ``.xlsx`` or ``.csv`` (by the file's suffix), atomically.

    Raises
    ------
    DataFileError
        If the file name ends in neither ``.xlsx`` nor ``.csv``.
    ExistingResultError
        If the file exists and ``overwrite`` is false.
    OutputError
        If the file cannot be written.
    """
    p = Path(path)
    data = _xlsx_bytes(rows) if _format(p) == ".xlsx" else _csv_bytes(rows)
    return write_bytes_atomic(p, data, overwrite=overwrite)


def _header_error(path: Path, header: list[Any]) -> DataFileError | None:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    for i, column in enumerate(COLUMNS):
        if i >= len(names) or names[i] != column:
            found = names[i] if i < len(names) else "(none)"
            return DataFileError(
                cell_position(path, 1, column),
                f"the header must read {', '.join(COLUMNS)}; column {i + 1} reads {found!r}",
            )
    return None


def _rows_from(path: Path, raw: Iterator[list[Any]]) -> list[CellRow]:
    header = next(raw, None)
    if header is None:
        raise DataFileError(path, "is empty: no header row")
    error = _header_error(path, header)
    if error is not None:
        raise error
    out: list[CellRow] = []
    for number, cells in enumerate(raw, start=2):
        values = [None if _blank(v) else v for v in list(cells)[: len(COLUMNS)]]
        values += [None] * (len(COLUMNS) - len(values))
        if all(v is None for v in values):
            continue
        extra = [v for v in list(cells)[len(COLUMNS) :] if not _blank(v)]
        if extra:
            sheet = f"sheet {SHEET!r}, " if path.suffix.lower() == ".xlsx" else ""
            raise DataFileError(
                f"{path}: {sheet}row {number}",
                "cells right of the 'date' column are not read: delete them",
                "extra cell",
                extra[0],
            )
        out.append(CellRow(_question(values), number))
    if not out:
        raise DataFileError(path, "holds no rows below the header")
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _question(values: list[Any]) -> QuestionRow:
    field, definition, unit, rule, value, source, confidence, date = values
    return QuestionRow(
        field=str(field).strip() if field is not None else "",
        definition=str(definition or ""),
        unit=str(unit).strip() if unit is not None else "",
        rule=str(rule or ""),
        value=value.strip() if isinstance(value, str) else value,
        source=str(source).strip() if source is not None else None,
        confidence=str(confidence).strip() if confidence is not None else None,
        date=date,
    )


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise DataFileError(path, f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        if SHEET not in wb.sheetnames:
            raise DataFileError(
                path,
                f"has no sheet {SHEET!r}; sheets: {', '.join(wb.sheetnames)}",
            )
        for name in wb.sheetnames:
            first = next(wb[name].iter_rows(max_row=1, max_col=1, values_only=True), (None,))
            if name != SHEET and str(first[0]).strip().lower() == COLUMNS[0]:
                # a copy of the questionnaire (a second hub?) would be lost silently
                raise DataFileError(
                    path,
                    f"sheet {name!r} looks like a questionnaire but only the sheet {SHEET!r} "
                    "is read: put each further hub below the first in that sheet, starting "
                    "with its row 'id' (as hubs export writes them), or delete the sheet",
                )
        rows = [list(r) for r in wb[SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    _refuse_uncomputed_formulas(path, rows)
    return iter(rows)


def _refuse_uncomputed_formulas(path: Path, rows: list[list[Any]]) -> None:
    """A formula whose result the file does not hold reads as an empty cell: refuse it.

    A workbook saved by Excel or LibreOffice stores each formula's last result, which
    is what is read; one written by a script (openpyxl) stores the formula only.
    """
    from openpyxl import load_workbook

    empty = {
        (i, j) for i, row in enumerate(rows) for j, v in enumerate(row[: len(COLUMNS)]) if v is None
    }
    if not empty:
        return
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        for i, row in enumerate(wb[SHEET].iter_rows(values_only=True)):
            for j, v in enumerate(row[: len(COLUMNS)]):
                if (i, j) in empty and isinstance(v, str) and v.startswith("="):
                    raise DataFileError(
                        cell_position(path, i + 1, COLUMNS[j]),
                        "a formula whose result the file does not hold (written by a "
                        "script, never computed): type the value, or open and save the "
                        "workbook in Excel or LibreOffice",
                        str(rows[i][0] or "formula").strip(),
                        v,
                    )
    finally:
        wb.close()


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text (byte {exc.start}); save as CSV UTF-8") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataFileError(path, f"CSV syntax error: {exc}") from None
    if rows and not text.endswith(("\n", "\r")) and len(rows[-1]) < len(COLUMNS):
        # a row cut short with no line break after it: the file was cut off (a partial
        # copy or download), and the rows after the cut are lost - never import that
        raise DataFileError(
            path,
            f"row {len(rows)} has {len(rows[-1])} of {len(COLUMNS)} columns and no line "
            "break ends the file: it looks cut off; save or copy the whole questionnaire "
            "again",
        )
    return iter([[c if c != "" else None for c in r] for r in rows])


def read_table(path: str | Path) -> list[CellRow]:
    """Read the rows of a questionnaire (``.xlsx`` or ``.csv``), skipping empty rows.

    Raises
    ------
    DataFileError
        If the file does not exist, has the wrong suffix, is not a workbook / UTF-8
        CSV, has no ``questionnaire`` sheet, a wrong header or no rows.
    """
    p = Path(path)
    suffix = _format(p)
    if not p.exists():
        raise DataFileError(p, "does not exist")
    if p.is_dir():
        raise DataFileError(p, "is a folder, expected a .xlsx or .csv file")
    return _rows_from(p, _xlsx_rows(p) if suffix == ".xlsx" else _csv_rows(p))
