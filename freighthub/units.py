"""Unit conversions by definition (SI prefixes), in one place.

Definitional factors only: conventions that vary by source (tonnes per TEU, tare
mass, TEU per box type beyond the definition of the TEU) live in the factor packs
under ``standards/emissions/``.
"""

from __future__ import annotations

__all__ = ["G_PER_KG", "KG_PER_T", "M_PER_KM"]

#: Grams per kilogram [g/kg].
G_PER_KG = 1000.0
#: Kilograms per tonne [kg/t].
KG_PER_T = 1000.0
#: Metres per kilometre [m/km].
M_PER_KM = 1000.0
