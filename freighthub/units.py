"""Units in one place: conversions by definition, and the one table of known units.

Definitional factors only: conventions that vary by source (tonnes per TEU, tare
mass, TEU per box type beyond the definition of the TEU) live in the factor packs
under ``standards/emissions/``.

:data:`UNITS` is the one unit vocabulary. Each :class:`Unit` has a ``key`` (the unit
of a report quantity and its entry in the ``[units]`` table of the translation
files), a ``symbol`` (how a standard file writes it), and where it applies the
field-name ``suffix`` that carries it (``_kmh``). The standards loader accepts the
symbols of the units marked ``standard``; the report reads a field's unit from its
name (:func:`unit_of_field`) and names every unit through its key.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "G_PER_KG",
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "HOURS_PER_YEAR",
    "KG_PER_T",
    "MINUTES_PER_HOUR",
    "MONTH_DAYS",
    "M_PER_KM",
    "STANDARD_UNITS",
    "UNITS",
    "UNITS_BY_SYMBOL",
    "Unit",
    "unit_by_key",
    "unit_of_field",
]

#: Grams per kilogram [g/kg].
G_PER_KG = 1000.0
#: Kilograms per tonne [kg/t].
KG_PER_T = 1000.0
#: Metres per kilometre [m/km].
M_PER_KM = 1000.0
#: Minutes per hour [min/h].
MINUTES_PER_HOUR = 60.0
#: Hours per day [h/d].
HOURS_PER_DAY = 24.0
# Days of each month of the simulation's 365-day calendar year, January first.
MONTH_DAYS: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: Hours per week [h/week]; scenario timetables repeat weekly.
HOURS_PER_WEEK = 7 * HOURS_PER_DAY
#: Hours per year of 365 days [h/a] (demand in TEU/year is per 8760 h).
HOURS_PER_YEAR = 365 * HOURS_PER_DAY


@dataclass(frozen=True)
class Unit:
    """One known unit.

    Attributes
    ----------
    key
        Identifier: the unit of a report quantity and its key in the translation
        files' ``[units]`` table (``kmh``).
    symbol
        How a data file writes it (``km/h``).
    meaning
        What it measures, in words.
    standard
        A criterion or reference value of a standard file may use it.
    shown
        A value shows its unit (``False`` for the markers ``bool``, ``class`` and
        ``count``). The translation files name every shown unit but ``share``,
        which the report shows as a percentage.
    suffix
        The field-name suffix that carries this unit (``_kmh``), ``""`` if none.
    base
        Key of the quantity a rate or specific unit counts (``t`` for ``t/year``
        and ``t/axle``); the key itself otherwise.
    per_year
        An annual rate (a field of this unit starts with ``annual_``).
    """

    key: str
    symbol: str
    meaning: str
    standard: bool = False
    shown: bool = True
    suffix: str = ""
    base: str = ""
    per_year: bool = False

    @property
    def quantity(self) -> str:
        """Key of the counted quantity (:attr:`base`, or the key itself)."""
        return self.base or self.key


#: Every unit the project knows (standard files, hub fields, report quantities).
UNITS: tuple[Unit, ...] = (
    # markers (no unit is shown) and shares (shown as a percentage)
    Unit("bool", "bool", "yes/no", standard=True, shown=False),
    Unit("class", "class", "a class or grade name (ECMT class, gauge ...)", True, False),
    Unit("count", "count", "a number of items", standard=True, shown=False),
    Unit("share", "share", "share 0-1", standard=True, suffix="_share"),
    # lengths, masses, areas, times, speeds, power
    Unit("m", "m", "metre", standard=True, suffix="_m"),
    Unit("km", "km", "kilometre", standard=True, suffix="_km"),
    Unit("kg", "kg", "kilogram", standard=True),
    Unit("t", "t", "tonne", standard=True, suffix="_t"),
    Unit("t_per_axle", "t/axle", "tonne per axle", standard=True, base="t"),
    Unit("ha", "ha", "hectare", standard=True, suffix="_ha"),
    Unit("min", "min", "minute", standard=True, suffix="_min"),
    Unit("h", "h", "hour", standard=True, suffix="_h"),
    Unit("d", "d", "day", suffix="_days"),
    Unit("h_per_week", "h/week", "hour per week", standard=True, suffix="_per_week"),
    Unit("kmh", "km/h", "kilometre per hour", standard=True, suffix="_kmh"),
    Unit("kw", "kW", "kilowatt", standard=True),
    Unit("deg", "°", "degree (WGS84 longitude or latitude)", suffix="_deg"),
    # containers, throughput, handling
    Unit("teu", "TEU", "twenty-foot equivalent units", standard=True, suffix="_teu"),
    Unit("boxes", "boxes", "containers of any size", suffix="_boxes"),
    Unit("t_per_year", "t/year", "tonne per year", standard=True, base="t", per_year=True),
    Unit(
        "teu_per_year",
        "TEU/year",
        "twenty-foot equivalent units per year",
        standard=True,
        base="teu",
        per_year=True,
    ),
    Unit("t_per_ha_year", "t/(ha*year)", "tonne per hectare and year", standard=True),
    Unit(
        "wagons_per_day",
        "wagons/day",
        "wagons loaded plus unloaded per day",
        standard=True,
        suffix="wagons_handled_per_day",
    ),
    Unit("moves", "moves", "container moves"),
    Unit("moves_per_h", "moves/h", "container moves per hour", True, suffix="moves_per_h"),
    # transport work, emissions, money
    Unit("tkm", "tkm", "tonne-kilometre"),
    Unit("kgco2e", "kg CO2e", "kilogram CO2 equivalent"),
    Unit("tco2e", "t CO2e", "tonne CO2 equivalent"),
    Unit("gco2e_per_tkm", "g CO2e/tkm", "gram CO2e per tonne-kilometre"),
    Unit("gco2e_per_teukm", "g CO2e/TEU-km", "gram CO2e per TEU-kilometre"),
    Unit("kgco2e_per_t", "kg CO2e/t", "kilogram CO2e per tonne"),
    Unit("kgco2e_per_teu", "kg CO2e/TEU", "kilogram CO2e per TEU"),
    Unit("kgco2e_per_container", "kg CO2e/box", "kilogram CO2e per container"),
    Unit("cny", "CNY", "yuan renminbi"),
    Unit("eur", "EUR", "euro"),
    Unit("cny_per_teu", "CNY/TEU", "yuan per TEU"),
    Unit("cny_per_teu_h", "CNY/(TEU*h)", "yuan per TEU and hour"),
    Unit("cny_per_tco2e", "CNY/t CO2e", "yuan per tonne CO2e"),
    Unit("cny_per_move", "CNY/move", "yuan per container move"),
    Unit("share_pp", "pp", "percentage points (a change of a share)"),
    # published statistics (model validation)
    Unit("departures_per_year", "departures/year", "departures (trains or sailings) per year"),
)

_BY_KEY = {u.key: u for u in UNITS}
#: Every unit by the symbol a data file writes (``km/h``, ``TEU/year``).
UNITS_BY_SYMBOL: dict[str, Unit] = {u.symbol: u for u in UNITS}
#: The units a standard file may use, by symbol (``km/h``).
STANDARD_UNITS: dict[str, Unit] = {s: u for s, u in UNITS_BY_SYMBOL.items() if u.standard}
# Suffix matching tries the longest suffix first (``_per_week`` before ``_h``...).
_BY_SUFFIX = sorted((u for u in UNITS if u.suffix), key=lambda u: -len(u.suffix))


def unit_by_key(key: str) -> Unit:
    """The unit with this key.

    Raises
    ------
    KeyError
        If no unit has this key.
    """
    return _BY_KEY[key]


def unit_of_field(field: str) -> Unit | None:
    """The unit a field's name carries (``None``: the name carries none).

    The last dotted part is read: its suffix gives the unit (``line_speed_kmh`` ->
    ``km/h``), and a name starting with ``annual_`` makes it the annual rate
    (``annual_throughput_teu`` -> ``TEU/year``).
    """
    name = field.rsplit(".", 1)[-1]
    unit = next((u for u in _BY_SUFFIX if name.endswith(u.suffix)), None)
    if unit is None or not name.startswith("annual_"):
        return unit
    return next((u for u in UNITS if u.per_year and u.base == unit.key), unit)
