"""The schema of emission factor pack files: sourced entries, derivations, sections by kind.

Split from :mod:`freighthub.model.factors` (which loads, merges and builds packs from
these types); import them from here, their one home.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from freighthub.emissions.intensity import (
    EmptyRunningConvention,
    HubIntensityUnit,
    Provenance,
    TransportIntensityUnit,
)
from freighthub.errors import DataFileError
from freighthub.model.fields import (
    Frozen,
    HubId,
    ModeId,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Share,
    SourceBlock,
    SourcedEntry,
    Text,
    listed_once,
)
from freighthub.model.files import unique_ids
from freighthub.vocabulary import Confidence, DistanceType

# A load factor of 0 would carry no cargo (an intensity per tkm would be infinite).
_LoadShare = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]

# Printed GLEC values are rounded to the last digit, so wtt + ttw may miss wtw by one unit
# of that digit; a larger gap is a transcription error.
_ROUNDING_ABS = 0.15
_ROUNDING_REL = 0.01


class _Sourced(SourcedEntry):
    note: str | None = None

    def provenance(self) -> Provenance:
        return Provenance(source=self.source, confidence=self.confidence, note=self.note)


def _split_error(wtw: float, ttw: float | None, wtt: float | None) -> tuple[str, str] | None:
    """(field, rule) of the first inconsistency of a WTW/TTW/WTT triple, if any."""
    if wtt is not None and ttw is None:
        return "wtt", "given without ttw; give ttw (and wtw) or only wtw"
    if ttw is not None and ttw > wtw + _ROUNDING_ABS:
        return "ttw", f"exceeds wtw = {wtw:g}; WTW = WTT + TTW >= TTW"
    if wtt is not None and ttw is not None:
        gap = abs(wtt + ttw - wtw)
        if gap > max(_ROUNDING_ABS, _ROUNDING_REL * wtw):
            return "wtt", f"wtt + ttw = {wtt + ttw:g} differs from wtw = {wtw:g} beyond rounding"
    return None


def _check(pack_file: PackFile, path: Path) -> None:
    """Rules across fields, raised with the exact field (pydantic would name the entry)."""
    kind = pack_file.kind
    allowed = _SECTIONS_BY_KIND[kind]
    for section in _SECTIONS_BY_KIND["factor_pack"] - allowed:
        if getattr(pack_file, section):
            raise DataFileError(
                path, f"a file of kind {kind!r} may not hold [[{section}]]", section
            )
    if pack_file.includes and kind != "factor_pack":
        raise DataFileError(path, f"a file of kind {kind!r} may not have includes", "includes")
    if pack_file.extends is not None and kind != "factor_pack":
        raise DataFileError(
            path, f"a file of kind {kind!r} may not extend a pack", "extends", pack_file.extends
        )
    for i, entry in enumerate(pack_file.transport):
        _check_derivation_fields(entry, i, path)
    for section in (
        "transport",
        "hub",
        "energy",
        "tonnes_per_teu",
        "container_type",
        "traction_share",
    ):
        entries = enumerate(getattr(pack_file, section))
        unique_ids(
            path, ((f"{section}[{i}].id", e.id) for i, e in entries), rule="id is given twice"
        )
    for section in ("transport", "hub", "energy"):
        for i, entry in enumerate(getattr(pack_file, section)):
            problem = _split_error(entry.wtw, entry.ttw, entry.wtt)
            if problem is not None:
                name, rule = problem
                raise DataFileError(path, rule, f"{section}[{i}].{name}", getattr(entry, name))
    for i, daf in enumerate(pack_file.distance_adjustment):
        if daf.leg_distance_type is daf.intensity_distance_type:
            raise DataFileError(
                path,
                "equals leg_distance_type; a DAF converts between two distance types",
                f"distance_adjustment[{i}].intensity_distance_type",
                daf.intensity_distance_type.value,
            )


class CorridorSectionEntry(Frozen):
    """One ``[[transport.derivation.section]]`` of a ``corridor_mix`` derivation: a part of
    the route in one country, its length [km] and the traction share and train
    intensities it takes."""

    country: Text
    distance_km: PositiveFloat
    distance_source: Text
    distance_confidence: Confidence
    traction_share_id: HubId
    electric_intensity_id: HubId | None = None
    diesel_intensity_id: HubId | None = None


def _check_derivation_fields(entry: TransportEntry, i: int, path: Path) -> None:
    d = entry.derivation
    if d is None:
        return
    where = f"transport[{i}].derivation"
    if d.method == "energy_x_factor":
        if entry.energy_factor_id is None or entry.energy_per_activity is None:
            raise DataFileError(
                path,
                "a derived intensity needs energy_factor_id and energy_per_activity",
                where,
                d.method,
            )
        if d.section:
            raise DataFileError(
                path, "sections belong to method 'corridor_mix'", f"{where}.section", d.method
            )
        return
    if not d.section:
        raise DataFileError(path, "a corridor_mix needs at least one section", where, d.method)


class DerivationEntry(Frozen):
    """How a derived ``[[transport]]`` intensity follows from its inputs.

    ``method = "energy_x_factor"``: wtw = ``energy_per_activity`` x the WTW factor of
    ``energy_factor_id`` x 1000 g/kg, and ttw likewise with the TTW factor.
    ``method = "corridor_mix"``: the distance-weighted mean over ``section`` of
    ``share x electric + (1 - share) x diesel`` intensity
    (:func:`freighthub.emissions.corridor.corridor_intensity`). The loader recomputes
    both and refuses a stated ``wtw``/``ttw`` that differs beyond rounding.
    """

    method: Literal["energy_x_factor", "corridor_mix"]
    formula: Text
    energy_per_activity_source: Text | None = None
    energy_per_activity_confidence: Confidence | None = None
    section: tuple[CorridorSectionEntry, ...] = ()


class TractionShareEntry(_Sourced):
    """One ``[[traction_share]]``: the electric share of rail traction [0-1] on a route in
    one country (of tkm or train-km, as the source gives it)."""

    id: HubId
    country: Text
    route: Text
    electric_share: Share


class TransportEntry(_Sourced):
    """One ``[[transport]]`` intensity [``unit``].

    ``energy_factor_id`` names the ``[[energy]]`` factor behind the intensity and
    ``energy_per_activity`` the energy per unit of activity, in that factor's unit (l, kg
    or kWh per tkm or TEU-km), where known; ``derivation`` makes the intensity a derived
    one, checked against its inputs.
    """

    id: HubId
    mode: ModeId
    vehicle: Text
    region: Text
    energy_carrier: Text
    unit: TransportIntensityUnit
    wtw: NonNegativeFloat
    ttw: NonNegativeFloat | None = None
    wtt: NonNegativeFloat | None = None
    load_factor_share: _LoadShare | None = None
    empty_running_share: Share | None = None
    empty_running_convention: EmptyRunningConvention = EmptyRunningConvention.NOT_STATED
    distance_basis: Annotated[
        tuple[DistanceType, ...], Field(min_length=1), listed_once("a distance type")
    ]
    distance_basis_confidence: Confidence
    distance_basis_note: str | None = None
    energy_factor_id: HubId | None = None
    energy_per_activity: PositiveFloat | None = None
    derivation: DerivationEntry | None = None


class HubEntry(_Sourced):
    """One ``[[hub]]`` intensity [``unit``]."""

    id: HubId
    category: Text
    temperature: Literal["ambient", "mixed", "temperature_controlled"]
    unit: HubIntensityUnit
    wtw: NonNegativeFloat
    ttw: NonNegativeFloat | None = None
    wtt: NonNegativeFloat | None = None
    sample_size: PositiveInt | None = None


class DistanceAdjustmentEntry(_Sourced):
    """One ``[[distance_adjustment]]``: leg distance x factor = intensity's distance type."""

    mode: ModeId
    leg_distance_type: DistanceType
    intensity_distance_type: DistanceType
    factor: PositiveFloat


class EnergyEntry(_Sourced):
    """One ``[[energy]]`` factor of a fuel or a grid [``unit``]."""

    id: HubId
    carrier: Text
    region: Text
    unit: Literal["kgco2e_per_l", "kgco2e_per_kg", "kgco2e_per_kwh"]
    wtw: NonNegativeFloat
    ttw: NonNegativeFloat
    wtt: NonNegativeFloat | None = None
    scope: Literal["co2e_wtw", "co2e_lifecycle", "co2_only_consumption_average"]
    year: Annotated[int, Field(ge=1990, le=2100)] | None = None


class TeuConventionEntry(_Sourced):
    """One ``[[tonnes_per_teu]]`` convention [t/TEU]."""

    id: HubId
    tonnes_per_teu: PositiveFloat


class ContainerTypeEntry(_Sourced):
    """One ``[[container_type]]`` [TEU per container]."""

    id: HubId
    teu_per_container: PositiveFloat


_SECTIONS_BY_KIND: dict[str, set[str]] = {
    "factor_pack": {
        "transport",
        "hub",
        "distance_adjustment",
        "energy",
        "tonnes_per_teu",
        "container_type",
        "traction_share",
    },
    "energy_factors": {"energy"},
    "conversions": {"tonnes_per_teu", "container_type"},
}


class PackFile(Frozen):
    """One file of ``standards/emissions/``, validated."""

    kind: Literal["factor_pack", "energy_factors", "conversions"]
    id: HubId
    title: Text
    edition: Text
    extends: HubId | None = None
    includes: tuple[HubId, ...] = ()
    source: SourceBlock
    transport: tuple[TransportEntry, ...] = ()
    hub: tuple[HubEntry, ...] = ()
    distance_adjustment: tuple[DistanceAdjustmentEntry, ...] = ()
    energy: tuple[EnergyEntry, ...] = ()
    tonnes_per_teu: tuple[TeuConventionEntry, ...] = ()
    container_type: tuple[ContainerTypeEntry, ...] = ()
    traction_share: tuple[TractionShareEntry, ...] = ()

    @field_validator("includes")
    @classmethod
    def _includes_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({x for x in value if value.count(x) > 1})
        if repeated:
            raise ValueError(f"lists {repeated[0]!r} twice")
        return value
