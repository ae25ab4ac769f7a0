"""Turning data values into report parameters: the unit follows the field name."""

from __future__ import annotations

from enum import Enum
from typing import Any

from freighthub.report.content import Param, Quantity, Text

__all__ = ["unit_of", "value_param"]

# Field-name suffix -> unit key of the translation files (longest suffix first).
_SUFFIX_UNITS = (
    ("_per_week", "h_per_week"),
    ("moves_per_h", "moves_per_h"),
    ("_share", "share"),
    ("_kmh", "kmh"),
    ("_teu", "teu"),
    ("_days", "d"),
    ("_min", "min"),
    ("_km", "km"),
    ("_ha", "ha"),
    ("_m", "m"),
    ("_t", "t"),
    ("_h", "h"),
)


def unit_of(field: str) -> str:
    """The unit key of a field, read from its name's suffix (``""`` for none)."""
    name = field.rsplit(".", 1)[-1]
    for suffix, unit in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return ""


def _decimals(number: float) -> int:
    if float(number).is_integer():
        return 0
    text = repr(float(number))
    if "e" in text:
        return 3
    return min(3, len(text.split(".", 1)[1]))


def value_param(field: str, value: Any) -> Param:
    """A report parameter for the value of ``field``.

    Numbers become :class:`Quantity` with the unit of the field name and as many
    decimals as the value has (at most 3; a share shows its percentage with at most
    1); booleans and enums become text.
    """
    if isinstance(value, bool):
        return Text("value.yes" if value else "value.no")
    if isinstance(value, int | float):
        unit = unit_of(field)
        if unit == "share":
            return Quantity(float(value), "share", min(1, _decimals(value * 100.0)))
        return Quantity(float(value), unit, _decimals(value))
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def measured(value: float | bool | str | None, unit: str) -> Param:
    """A hub's measured value in a criterion's unit (numbers as :class:`Quantity`).

    Raises
    ------
    ValueError
        If ``value`` is None (a missing value is never shown as a number).
    """
    if value is None:
        raise ValueError("a missing value has no display")
    if isinstance(value, bool):
        return Text("value.yes" if value else "value.no")
    if isinstance(value, int | float):
        return Quantity(
            float(value), unit if unit not in {"bool", "class"} else "", _decimals(value)
        )
    return str(value)
