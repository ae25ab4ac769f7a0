"""A sweep's stored rows as typed summaries: the inverse of the row a task writes.

A task stores one replication as a flat row, every number of its
:class:`~freighthub.sim.summary.Summary` by dotted path
(:func:`freighthub.sim.summary.flatten`) plus the flag ``emissions_ttw_complete``
(1 or 0), one Parquet column each (:mod:`freighthub.sweep.store`). :func:`summary_of_row`
reads such a row back into a :class:`~freighthub.sim.summary.Summary`, walking the
figures classes' fields and types (:mod:`freighthub.sim.figures`), so a sweep cell's estimates are built by the same
typed code as ``simulate`` and ``compare``
(:func:`freighthub.sim.run_estimate.run_estimate`).
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar, Union, get_args, get_origin

from freighthub.sim.figures import field_types, figures_class
from freighthub.sim.summary import Summary, flatten

__all__ = ["TTW_COMPLETE", "row_of_summary", "summary_of_row"]

#: The column of the summary's one flag (``flatten`` keeps numbers only).
TTW_COMPLETE = "emissions_ttw_complete"

Row = Mapping[str, float | None]


def row_of_summary(summary: Summary) -> dict[str, float]:
    """One replication as the row a task stores: its numbers by dotted path, and the flag."""
    return flatten(summary) | {TTW_COMPLETE: 1.0 if summary.emissions_ttw_complete else 0.0}


def summary_of_row(row: Row) -> Summary:
    """The summary a stored row holds.

    A figure the row does not hold (a null: a column of another cell) is NaN; a
    mapping (by mode, hub, service, route, leg) holds the keys the row has columns of;
    the terminal part is ``None`` unless the row has one of its figures. A row without
    ``emissions_ttw_complete`` (written before the flag was stored) counts as
    incomplete.
    """
    summary: Summary = _value(Summary, "", row)
    return summary


def _has(row: Row, key: str) -> bool:
    """The row holds the column (a null: the column of another cell's task)."""
    return row.get(key) is not None


def _value(kind: Any, path: str, row: Row) -> Any:
    """The value of type ``kind`` at ``path``; ``row`` holds the columns at or under it."""
    if kind is bool:
        value = row.get(path)
        return value is not None and not math.isnan(value) and bool(value)
    if isinstance(kind, TypeVar) or kind in (int, float):  # one figure (``F``)
        value = row.get(path)
        return math.nan if value is None else float(value)
    origin = get_origin(kind)
    head = f"{path}."
    if origin is dict:
        inner = get_args(kind)[1]
        if figures_class(inner) is None:  # a mapping of figures
            return {k[len(head) :]: _value(inner, k, row) for k in row if _has(row, k)}
        # a summary class in a mapping holds numbers only: its field is the last part
        by_key: dict[str, dict[str, float | None]] = {}
        for k, v in row.items():
            if v is not None:
                by_key.setdefault(k[len(head) :].rsplit(".", 1)[0], {})[k] = v
        return {key: _value(inner, f"{head}{key}", cols) for key, cols in by_key.items()}
    if origin in (Union, types.UnionType):  # an optional part: ``X | None``
        inner = next(a for a in get_args(kind) if a is not type(None))
        if not any(_has(row, k) for k in row):
            return None
        return _value(inner, path, row)
    cls: Any = figures_class(kind)
    if cls is None:
        raise TypeError(f"{path}: {kind!r} is not a figure type of the summary")
    hints = field_types(cls)
    prefix = head if path else ""
    by_field: dict[str, dict[str, float | None]] = {}
    for k, v in row.items():
        by_field.setdefault(k[len(prefix) :].split(".", 1)[0], {})[k] = v
    return cls(
        **{
            f.name: _value(hints[f.name], f"{prefix}{f.name}", by_field.get(f.name, {}))
            for f in fields(cls)
        }
    )
