"""Corridor intensities of a factor pack: ``method = "corridor_mix"`` derivations resolved.

A ``corridor_mix`` entry lists its route's sections (country, length, a
``[[traction_share]]`` and the electric and diesel train intensities of the pack); the
loader recomputes the entry from them with
:func:`freighthub.emissions.corridor.corridor_intensity` and refuses a stated value that
differs. :func:`corridor_breakdown` gives the sections, the value and the all-electric /
all-diesel bounds of a shipped or user pack, for reports and sensitivity runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from freighthub.emissions.corridor import CorridorSection, corridor_bounds, corridor_intensity
from freighthub.emissions.intensity import TransportIntensity
from freighthub.errors import DataFileError
from freighthub.model.factors_schema import (
    _ROUNDING_ABS,
    _ROUNDING_REL,
    PackFile,
    TractionShareEntry,
    TransportEntry,
)

__all__ = ["CorridorBreakdown", "check_corridor", "corridor_sections", "traction_shares"]


@dataclass(frozen=True)
class CorridorBreakdown:
    """A corridor intensity with its sections and its sensitivity band [gCO2e/tkm]."""

    intensity_id: str
    sections: tuple[CorridorSection, ...]
    wtw: float
    ttw: float
    all_electric_wtw: float
    all_diesel_wtw: float


def traction_shares(parts: list[tuple[Path, PackFile]]) -> dict[str, TractionShareEntry]:
    """Every ``[[traction_share]]`` of a pack's files, by id.

    Raises
    ------
    DataFileError
        If two files define the same id.
    """
    shares: dict[str, TractionShareEntry] = {}
    for path, part in parts:
        for i, entry in enumerate(part.traction_share):
            if entry.id in shares:
                raise DataFileError(
                    path, "duplicate id in the pack's files", f"traction_share[{i}].id", entry.id
                )
            shares[entry.id] = entry
    return shares


def corridor_sections(
    entry: TransportEntry,
    index: int,
    shares: Mapping[str, TractionShareEntry],
    transport: Mapping[str, TransportIntensity],
    path: Path,
) -> tuple[CorridorSection, ...]:
    """The sections of a ``corridor_mix`` entry with their shares and intensities resolved.

    Raises
    ------
    DataFileError
        If a section names an unknown traction share or intensity, needs an intensity it
        does not name (electric when the share is > 0, diesel when < 1) or names one in
        another unit than the entry.
    """
    assert entry.derivation is not None
    out: list[CorridorSection] = []
    for j, sec in enumerate(entry.derivation.section):
        where = f"transport[{index}].derivation.section[{j}]"
        if sec.traction_share_id not in shares:
            raise DataFileError(
                path,
                "names no [[traction_share]] of the pack",
                f"{where}.traction_share_id",
                sec.traction_share_id,
            )
        share = shares[sec.traction_share_id].electric_share
        values: dict[str, tuple[float, float]] = {}
        for name, needed in (
            ("electric_intensity_id", share > 0),
            ("diesel_intensity_id", share < 1),
        ):
            ident = getattr(sec, name)
            if ident is None:
                if needed:
                    raise DataFileError(
                        path, f"is required: the electric share is {share:g}", f"{where}.{name}"
                    )
                values[name] = (0.0, 0.0)
                continue
            if ident not in transport:
                raise DataFileError(
                    path, "names no [[transport]] intensity of the pack", f"{where}.{name}", ident
                )
            t = transport[ident]
            if t.unit != entry.unit:
                raise DataFileError(
                    path, f"is in {t.unit}, the corridor in {entry.unit}", f"{where}.{name}", ident
                )
            values[name] = (t.intensity_wtw, t.intensity_ttw or 0.0)
        e_wtw, e_ttw = values["electric_intensity_id"]
        d_wtw, d_ttw = values["diesel_intensity_id"]
        out.append(CorridorSection(sec.country, sec.distance_km, share, e_wtw, e_ttw, d_wtw, d_ttw))
    return tuple(out)


def check_corridor(
    entry: TransportEntry,
    index: int,
    shares: Mapping[str, TractionShareEntry],
    transport: Mapping[str, TransportIntensity],
    path: Path,
) -> CorridorBreakdown:
    """Recompute a ``corridor_mix`` entry and refuse a stated wtw/ttw that differs.

    Raises
    ------
    DataFileError
        As :func:`corridor_sections`, or if ``wtw`` or ``ttw`` differs from the
        recomputed value beyond rounding.
    """
    sections = corridor_sections(entry, index, shares, transport, path)
    wtw, ttw = corridor_intensity(sections)
    for name, stated, expected in (("wtw", entry.wtw, wtw), ("ttw", entry.ttw, ttw)):
        if stated is not None and abs(stated - expected) > max(
            _ROUNDING_ABS, _ROUNDING_REL * expected
        ):
            raise DataFileError(
                path,
                f"differs from the corridor mix of its sections = {expected:.4g} beyond rounding",
                f"transport[{index}].{name}",
                stated,
            )
    all_electric, all_diesel = corridor_bounds(sections)
    return CorridorBreakdown(entry.id, sections, wtw, ttw, all_electric, all_diesel)
