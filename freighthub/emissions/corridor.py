"""A rail corridor intensity composed section by section from each country's traction mix.

A long rail route (China-Europe) crosses countries with different grids and different
shares of electric traction. Its intensity is the distance-weighted mean of the section
intensities, each a mix of the country's electric and diesel train intensity:

    EI_section = s x EI_electric + (1 - s) x EI_diesel
    EI_corridor = sum(d_i x EI_section_i) / sum(d_i)

with ``s`` the electric share of the section's traction [0-1] and ``d_i`` its length
[km]. The same rule gives the WTW and the TTW intensity. :func:`corridor_bounds` gives
the all-electric and all-diesel values of the same sections, the sensitivity band of
the traction shares. Pure functions; the data come from a factor pack
(:mod:`freighthub.model.factors_corridor`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from freighthub.emissions.intensity import EmissionsInputError

__all__ = ["CorridorSection", "corridor_bounds", "corridor_intensity", "section_intensity"]


@dataclass(frozen=True)
class CorridorSection:
    """One section of a corridor: its country, length [km], electric traction share [0-1]
    and the electric and diesel train intensities [gCO2e/tkm] (WTW and TTW)."""

    country: str
    distance_km: float
    electric_share: float
    electric_wtw: float
    electric_ttw: float
    diesel_wtw: float
    diesel_ttw: float


def _check(section: CorridorSection) -> None:
    if not (math.isfinite(section.distance_km) and section.distance_km > 0):
        raise EmissionsInputError(
            f"section {section.country}: distance_km = {section.distance_km:g}: must be > 0"
        )
    if not 0.0 <= section.electric_share <= 1.0:
        raise EmissionsInputError(
            f"section {section.country}: electric_share = {section.electric_share:g}: "
            "must be in 0-1"
        )


def section_intensity(section: CorridorSection, share: float | None = None) -> tuple[float, float]:
    """(WTW, TTW) intensity of one section [gCO2e/tkm] at its electric share (or ``share``)."""
    _check(section)
    s = section.electric_share if share is None else share
    wtw = s * section.electric_wtw + (1.0 - s) * section.diesel_wtw
    ttw = s * section.electric_ttw + (1.0 - s) * section.diesel_ttw
    return wtw, ttw


def _weighted(sections: Sequence[CorridorSection], share: float | None) -> tuple[float, float]:
    if not sections:
        raise EmissionsInputError("a corridor needs at least one section")
    total_km = math.fsum(s.distance_km for s in sections)
    parts = [(s.distance_km, *section_intensity(s, share)) for s in sections]
    wtw = math.fsum(d * w for d, w, _ in parts) / total_km
    ttw = math.fsum(d * t for d, _, t in parts) / total_km
    return wtw, ttw


def corridor_intensity(sections: Sequence[CorridorSection]) -> tuple[float, float]:
    """(WTW, TTW) intensity of the whole corridor [gCO2e/tkm], distance-weighted.

    Raises
    ------
    EmissionsInputError
        If there is no section, a length is not > 0 or a share is outside 0-1.

    References
    ----------
    GLEC Framework v3.0 (2023), Module 2 (rail: electricity per country, traction
    type per leg) and Annex 2 p.145 (a route intensity as the distance-share-weighted
    sum of its parts).
    """
    return _weighted(sections, None)


def corridor_bounds(sections: Sequence[CorridorSection]) -> tuple[float, float]:
    """WTW intensity [gCO2e/tkm] of the same sections all electric and all diesel: the
    band the unknown traction shares can move the corridor value in."""
    return _weighted(sections, 1.0)[0], _weighted(sections, 0.0)[0]
