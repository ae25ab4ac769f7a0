"""Turning data values into report parameters: the unit follows the field name."""

from __future__ import annotations

from enum import Enum
from typing import Any

from freighthub.report.content import Param, Quantity, SourceEntry, Text
from freighthub.units import UNITS_BY_SYMBOL, unit_of_field

__all__ = [
    "VALUE_OF_TIME_DECIMALS",
    "measured",
    "unit_key",
    "unit_of",
    "value_of_time",
    "value_of_time_source",
    "value_param",
]

#: Decimals of a value of time [CNY/(TEU·h)] in the report.
VALUE_OF_TIME_DECIMALS = 1


def unit_of(field: str) -> str:
    """The unit key of a field, read from its name (``""`` for none).

    See :func:`freighthub.units.unit_of_field`: ``line_speed_kmh`` -> ``kmh``,
    ``annual_throughput_teu`` -> ``teu_per_year``.
    """
    unit = unit_of_field(field)
    return "" if unit is None or not unit.shown else unit.key


def unit_key(symbol: str) -> str:
    """The unit key of a unit as a data file writes it (``km/h`` -> ``kmh``: a
    criterion's unit, a published statistic's ``TEU/year``).

    ``""`` for the markers ``bool``, ``class`` and ``count`` (no unit is shown); a
    symbol the unit table does not know is kept as written.
    """
    unit = UNITS_BY_SYMBOL.get(symbol)
    if unit is None:
        return symbol
    return unit.key if unit.shown else ""


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

    ``unit`` is the criterion's unit as the standard file writes it (``km/h``).

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
        return Quantity(float(value), unit_key(unit), _decimals(value))
    return str(value)


def value_of_time(cny_per_teu_h: float) -> Quantity:
    """A value of time [CNY/(TEU·h)] as the report shows it."""
    return Quantity(cny_per_teu_h, "cny_per_teu_h", VALUE_OF_TIME_DECIMALS)


def value_of_time_source(subject: str, cny_per_teu_h: float, source: str) -> SourceEntry:
    """The cited value of time of a run (LP or selection) whose subject is ``subject``."""
    return SourceEntry(
        subject, "value_of_time_cny_per_teu_h", value_of_time(cny_per_teu_h), source, None
    )
