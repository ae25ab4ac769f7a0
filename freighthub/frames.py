"""Typed results as pandas data frames (``to_pandas()``), with pandas loaded on first use.

Every ``to_pandas()`` of a result type builds its rows here, so that pandas is imported
only when a frame is asked for and enums become their plain values in one place. The
rows written as JSON take their numbers through :func:`finite_or_none` (JSON has no NaN).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ESTIMATE_COLUMNS",
    "data_frame",
    "estimate_columns",
    "estimate_record",
    "finite_or_none",
    "plain",
    "record",
]

#: The columns of one estimate (mean over replications and its 95 % t-interval).
ESTIMATE_COLUMNS = ("mean", "ci95_low", "ci95_high", "n", "unit")


def plain(value: Any) -> Any:
    """An enum as its value; anything else unchanged."""
    return value.value if isinstance(value, Enum) else value


def finite_or_none(x: float) -> float | None:
    """A number as a JSON row holds it: NaN (no value) and infinities become None."""
    return x if math.isfinite(x) else None


def record(item: Any, skip: Sequence[str] = ()) -> dict[str, Any]:
    """The scalar fields of a dataclass instance as one row (enums as values)."""
    return {f.name: plain(getattr(item, f.name)) for f in fields(item) if f.name not in skip}


def estimate_columns(estimate: Any, prefix: str = "") -> dict[str, Any]:
    """The columns of one :class:`~freighthub.sim.estimates.Estimate`, names prefixed."""
    return {f"{prefix}{name}": getattr(estimate, name) for name in ESTIMATE_COLUMNS}


def estimate_record(estimate: Any) -> dict[str, Any]:
    """One :class:`~freighthub.sim.estimates.Estimate` as a JSON record: its
    :data:`ESTIMATE_COLUMNS`, a NaN (no value, no interval) as None."""
    return {
        name: finite_or_none(value) if isinstance(value, float) else value
        for name, value in estimate_columns(estimate).items()
    }


def data_frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A data frame of ``rows`` with exactly ``columns`` (an empty frame keeps them)."""
    import pandas as pd

    return pd.DataFrame([dict(r) for r in rows], columns=list(columns))
