"""Unit conversions by definition (SI prefixes), in one place.

Definitional factors only: conventions that vary by source (tonnes per TEU, tare
mass, TEU per box type beyond the definition of the TEU) live in the factor packs
under ``standards/emissions/``.
"""

from __future__ import annotations

__all__ = [
    "G_PER_KG",
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "HOURS_PER_YEAR",
    "KG_PER_T",
    "M_PER_KM",
]

#: Grams per kilogram [g/kg].
G_PER_KG = 1000.0
#: Kilograms per tonne [kg/t].
KG_PER_T = 1000.0
#: Metres per kilometre [m/km].
M_PER_KM = 1000.0
#: Hours per day [h/d].
HOURS_PER_DAY = 24.0
#: Hours per week [h/week]; scenario timetables repeat weekly.
HOURS_PER_WEEK = 7 * HOURS_PER_DAY
#: Hours per year of 365 days [h/a] (demand in TEU/year is per 8760 h).
HOURS_PER_YEAR = 365 * HOURS_PER_DAY
