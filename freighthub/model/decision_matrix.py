"""A user's decision matrix (CSV) and AHP pairwise-comparison matrix (TOML).

Decision matrix CSV: one row per alternative, an ``id`` column and one column per
criterion; an empty cell is a missing value (never zero)::

    id,capacity_teu_per_year,handling_cost_eur_per_teu,rail_access
    wuhan-yangluo,1200000,55,1
    nanjing-longtan,3000000,,1

AHP pairwise TOML: the criteria and the square matrix of judgements on Saaty's
1-9 scale, numbers or fractions written as text (``"1/3"``)::

    criteria = ["capacity_teu_per_year", "handling_cost_eur_per_teu", "rail_access"]
    matrix = [
      [1,     3,   5],
      ["1/3", 1,   2],
      ["1/5", "1/2", 1],
    ]

The formats are documented in ``docs/data-formats.md``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import Frozen, Text
from freighthub.model.files import read_toml, validate
from freighthub.model.methods import AhpReference, load_ahp_reference
from freighthub.scoring.mcda import DecisionMatrix, DecisionMatrixError
from freighthub.scoring.weights import (
    AhpResult,
    InconsistentJudgementsError,
    WeightsError,
    ahp_weights,
)

__all__ = [
    "CRITERION_TYPES",
    "PairwiseMatrix",
    "ahp_weights_from_file",
    "ahp_weights_matching",
    "load_decision_matrix",
    "load_pairwise",
    "parse_types",
]

#: Words accepted for a criterion's direction.
CRITERION_TYPES = {"benefit": True, "cost": False}
ID_COLUMN = "id"


def parse_types(
    types: Sequence[str], criteria: Sequence[str], where: str | Path
) -> tuple[bool, ...]:
    """Turn ``benefit``/``cost`` words into flags, one per criterion.

    Raises
    ------
    DataFileError
        If the number of types differs from the number of criteria or a word is unknown.
    """
    if len(types) != len(criteria):
        raise DataFileError(
            where,
            f"{len(types)} type(s) given for {len(criteria)} criteria "
            f"({', '.join(criteria)}); give one of benefit|cost per criterion, in column order",
        )
    flags = []
    for name, word in zip(criteria, types, strict=True):
        key = word.strip().lower()
        if key not in CRITERION_TYPES:
            raise DataFileError(where, "must be benefit or cost", f"type of {name!r}", word)
        flags.append(CRITERION_TYPES[key])
    return tuple(flags)


def _read_raw(p: Path) -> pd.DataFrame:
    if not p.exists():
        raise DataFileError(p, "file does not exist")
    if p.is_dir():
        raise DataFileError(p, "is a folder, expected a .csv file")
    _check_row_widths(p)
    try:
        raw = pd.read_csv(
            p,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            encoding="utf-8",
        )
    except pd.errors.EmptyDataError:
        raise DataFileError(p, "file is empty") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(p, f"not UTF-8 text (byte {exc.start})") from None
    except pd.errors.ParserError as exc:
        raise DataFileError(p, f"CSV syntax error: {exc}".strip()) from None
    return raw


def _check_row_widths(p: Path) -> None:
    """Every non-blank row has as many cells as the header (a ragged, truncated or
    stray line is refused rather than read as an alternative with missing values)."""
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(p, f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text))
    width: int | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise DataFileError(
                    p,
                    f"row has {len(row)} cells, the header has {width}",
                    f"line {reader.line_num}",
                    ",".join(row),
                )
    except csv.Error as exc:
        raise DataFileError(p, f"CSV syntax error: {exc}", f"line {reader.line_num}") from None


def _cell(text: Any) -> str:
    return (
        "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text).strip()
    )


def load_decision_matrix(path: str | Path, types: Sequence[str]) -> DecisionMatrix:
    """Read a decision matrix from a CSV file.

    Parameters
    ----------
    path
        The CSV file (UTF-8, comma-separated, first line = header).
    types
        ``benefit`` or ``cost`` for each criterion column, in column order.

    Raises
    ------
    DataFileError
        Naming the file, the line and column and the value: file missing or empty,
        no ``id`` column, no criteria columns, a duplicate column or id, an empty id,
        a non-numeric or non-finite cell, a row with too many cells, or types that do
        not match the columns.
    """
    p = Path(path)
    raw = _read_raw(p)
    header = [_cell(x) for x in raw.iloc[0].tolist()]
    if ID_COLUMN not in header:
        raise DataFileError(p, f"header has no {ID_COLUMN!r} column (found: {', '.join(header)})")
    seen: set[str] = set()
    for k, name in enumerate(header):
        if not name:
            raise DataFileError(p, "column has no name", f"line 1, column {k + 1}")
        if name in seen:
            raise DataFileError(p, "duplicate column", "line 1", name)
        seen.add(name)
    id_col = header.index(ID_COLUMN)
    criteria = [h for k, h in enumerate(header) if k != id_col]
    if not criteria:
        raise DataFileError(p, "no criteria columns besides 'id'")
    body = raw.iloc[1:]
    if body.empty:
        raise DataFileError(p, "no alternatives (rows) below the header")
    alternatives: list[str] = []
    values = np.full((len(body), len(criteria)), np.nan)
    for r, (_, row) in enumerate(body.iterrows()):
        line = r + 2
        cells = [_cell(x) for x in row.tolist()]
        alt = cells[id_col]
        if not alt:
            raise DataFileError(p, "id must not be empty", f"line {line}, column 'id'", alt)
        if alt in alternatives:
            raise DataFileError(p, "duplicate id", f"line {line}, column 'id'", alt)
        alternatives.append(alt)
        c = 0
        for k, text in enumerate(cells):
            if k == id_col:
                continue
            if text:
                try:
                    number = float(text)
                except ValueError:
                    number = math.nan
                if not math.isfinite(number):
                    raise DataFileError(
                        p,
                        "must be a finite number (leave the cell empty for a missing value)",
                        f"line {line} ({alt}), column {criteria[c]!r}",
                        text,
                    )
                values[r, c] = number
            c += 1
    benefit = parse_types(types, criteria, p)
    try:
        return DecisionMatrix(tuple(alternatives), tuple(criteria), values, benefit)
    except DecisionMatrixError as exc:  # pragma: no cover - all cases checked above
        raise DataFileError(p, str(exc)) from None


# --------------------------------------------------------------------------- AHP


def _judgement(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("must be a number or a fraction like '1/3'")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError("must be a number or a fraction like '1/3'") from None
    raise ValueError("must be a number or a fraction like '1/3'")


class PairwiseMatrix(Frozen):
    """Criteria and their pairwise-comparison judgements."""

    criteria: Annotated[list[Text], Field(min_length=1)]
    matrix: list[list[float]]

    @field_validator("matrix", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        if not isinstance(v, list) or not all(isinstance(row, list) for row in v):
            raise ValueError("must be a list of rows (lists)")
        return [[_judgement(x) for x in row] for row in v]

    @field_validator("criteria")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        dup = sorted({c for c in v if v.count(c) > 1})
        if dup:
            raise ValueError(f"duplicate criterion {dup[0]!r}")
        return v

    @model_validator(mode="after")
    def _square(self) -> PairwiseMatrix:
        n = len(self.criteria)
        if len(self.matrix) != n or any(len(row) != n for row in self.matrix):
            raise ValueError(f"matrix must be {n} x {n} (one row and column per criterion)")
        for i, row in enumerate(self.matrix):
            for j, x in enumerate(row):
                if not math.isfinite(x) or x <= 0:
                    raise ValueError(f"matrix[{i}][{j}] = {x}: must be a finite number > 0")
        return self


def load_pairwise(path: str | Path) -> PairwiseMatrix:
    """Read an AHP pairwise-comparison matrix from TOML.

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, or the matrix is not square and positive.
    """
    p = Path(path)
    return validate(PairwiseMatrix, read_toml(p), p)


def ahp_weights_from_file(
    path: str | Path, force: bool = False, reference: AhpReference | None = None
) -> tuple[tuple[str, ...], AhpResult]:
    """Criteria and AHP weights of a pairwise TOML file.

    Parameters
    ----------
    path
        The pairwise TOML file.
    force
        Accept judgements whose consistency ratio exceeds Saaty's threshold.
    reference
        Saaty's random index table and threshold; default: the shipped
        ``standards/methods/saaty-ahp.toml``.

    Raises
    ------
    DataFileError
        If the file is invalid or the matrix is not reciprocal.
    InconsistentJudgementsError
        If CR exceeds the threshold and ``force`` is false (message names the file).
    """
    p = Path(path)
    pairwise = load_pairwise(p)
    ref = reference if reference is not None else load_ahp_reference()
    try:
        result = ahp_weights(
            pairwise.matrix,
            ref.random_index.values,
            force,
            max_consistency_ratio=ref.max_consistency_ratio.value,
        )
    except WeightsError as exc:
        raise DataFileError(p, str(exc)) from None
    except InconsistentJudgementsError as exc:
        raise InconsistentJudgementsError(exc.consistency_ratio, exc.threshold, str(p)) from None
    return tuple(pairwise.criteria), result


def ahp_weights_matching(
    path: str | Path, criteria: Sequence[str], owner: str
) -> tuple[dict[str, float], AhpResult]:
    """AHP weights of a pairwise file that must compare exactly ``criteria``.

    Parameters
    ----------
    path
        The pairwise TOML file.
    criteria
        The criteria it must compare (any order).
    owner
        What the criteria belong to (a standard or profile id), for the message.

    Raises
    ------
    DataFileError
        If the file is invalid or compares other criteria (naming the difference).
    InconsistentJudgementsError
        If the consistency ratio exceeds Saaty's threshold.
    """
    names, result = ahp_weights_from_file(path)
    if set(names) != set(criteria):
        extra = sorted(set(names) - set(criteria))
        absent = [c for c in criteria if c not in names]
        parts = [f"not criteria of {owner}: {', '.join(extra)}"] if extra else []
        parts += [f"no judgement for {', '.join(absent)}"] if absent else []
        raise DataFileError(
            path, f"must compare exactly the criteria of {owner} ({'; '.join(parts)})", "criteria"
        )
    return dict(zip(names, result.weights, strict=True)), result
