"""Emission intensities: factor-pack types, default intensities and energy-based intensities.

Two ways lead to an intensity (GLEC Framework v3.0, 2023, ch. 2-3; ISO 14083:2023
§7-§12):

(a) a **default intensity** from a factor pack, in gCO2e per tkm (or per TEU-km for
    container shipping), for a mode, vehicle, region and energy carrier, built on its
    own load-factor and empty-running assumptions;
(b) an **energy-based intensity**: fuel litres, kg or kWh per vehicle-km of a
    vehicle's round trip, allocated to tonne-km by its payload, load factor and empty
    running; or the energy a hub used in a period, allocated to the tonnes or
    containers it handled.

A default intensity already contains its load factor and empty running: it is
never divided by a load factor again. The functions here therefore take no load
factor next to a default intensity; only :func:`vehicle_intensity_from_energy`
takes one, because it starts from energy per vehicle-km.

The factor-pack types are frozen dataclasses defined here; the loader
:func:`freighthub.model.factors.load_factor_pack` builds them from TOML files in
``standards/emissions/``. No factor from a standard appears in this module.

Scopes: TTW (tank-to-wheel, operational), WTT (well-to-tank, energy provision) and
WTW = WTT + TTW are kept apart throughout. A TTW value that the source does not
publish is ``None`` in the pack and NaN in results, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.vocabulary import Confidence, DistanceType, mode_facts, mode_ids

_T = TypeVar("_T")

__all__ = [
    "ContainerType",
    "DistanceAdjustment",
    "EmissionsInputError",
    "EmptyRunningConvention",
    "EnergyFactor",
    "FactorPack",
    "HubIntensity",
    "HubIntensityUnit",
    "Provenance",
    "TeuConvention",
    "TransportIntensity",
    "TransportIntensityUnit",
    "distance_adjustment_factor",
    "energy_factor",
    "hub_category_ids",
    "hub_intensity",
    "intensity_ids",
    "transport_intensity",
]


class EmissionsInputError(FreighthubError, ValueError):
    """An input to an emissions calculation is invalid, missing or conflicting."""


class TransportIntensityUnit(StrEnum):
    """Unit of a transport intensity: per tonne-km, or per TEU-km (container shipping)."""

    GCO2E_PER_TKM = "gco2e_per_tkm"
    GCO2E_PER_TEUKM = "gco2e_per_teukm"


class HubIntensityUnit(StrEnum):
    """Unit of a hub intensity: per outbound tonne, per TEU, or per container (box)."""

    KGCO2E_PER_T = "kgco2e_per_t"
    KGCO2E_PER_TEU = "kgco2e_per_teu"
    KGCO2E_PER_CONTAINER = "kgco2e_per_container"


class EmptyRunningConvention(StrEnum):
    """What an empty-running figure is relative to.

    ``share_of_total_km``: empty km / (loaded + empty) km, the iLEAP
    ``emptyDistanceFactor`` and GLEC Module 5 convention. ``per_loaded_km``: empty km
    / loaded km, EcoTransIT's empty trip factor ET. ``not_stated``: the source does
    not say (GLEC3 Tables 4 and 8); such a figure is descriptive only.
    """

    SHARE_OF_TOTAL_KM = "share_of_total_km"
    PER_LOADED_KM = "per_loaded_km"
    NOT_STATED = "not_stated"


@dataclass(frozen=True)
class Provenance:
    """Where a value comes from: document, table/page, edition, and how far to trust it."""

    source: str
    confidence: Confidence
    note: str | None = None


@dataclass(frozen=True)
class TransportIntensity:
    """An emission intensity of a transport operation category (TOC).

    Attributes
    ----------
    id
        Identifier within the pack (``rail-electric-container-eu``).
    mode
        Mode of transport.
    vehicle, region, energy_carrier
        What the intensity describes, in words.
    unit
        ``gco2e_per_tkm`` or ``gco2e_per_teukm``; the unit of both values below.
    intensity_wtw
        Well-to-wheel intensity [``unit``].
    intensity_ttw
        Tank-to-wheel intensity [``unit``]; ``None`` if the source gives only WTW.
    distance_basis
        The distance type(s) the intensity was built on; a leg of another type needs
        a distance adjustment factor.
    load_factor_share, empty_running_share, empty_running_convention
        The assumptions behind a default intensity [0-1]; descriptive only, never
        applied again.
    energy_factor_id, energy_per_activity
        The energy factor (pack ``energy`` id) behind the intensity and the energy per
        unit of activity in that factor's unit (l, kg or kWh per tkm or TEU-km), where
        known.
    derivation
        The formula of a derived intensity, in words, or ``None`` for a table value.
    provenance
        Source and confidence of the values.
    """

    id: str
    mode: str
    vehicle: str
    region: str
    energy_carrier: str
    unit: TransportIntensityUnit
    intensity_wtw: float
    intensity_ttw: float | None
    distance_basis: tuple[DistanceType, ...]
    provenance: Provenance
    load_factor_share: float | None = None
    empty_running_share: float | None = None
    empty_running_convention: EmptyRunningConvention = EmptyRunningConvention.NOT_STATED
    energy_factor_id: str | None = None
    energy_per_activity: float | None = None
    derivation: str | None = None

    @property
    def intensity_wtt(self) -> float | None:
        """Well-to-tank intensity = WTW - TTW [``unit``]; ``None`` if TTW is unknown."""
        return None if self.intensity_ttw is None else self.intensity_wtw - self.intensity_ttw


@dataclass(frozen=True)
class HubIntensity:
    """An emission intensity of a hub operation category (HOC).

    Attributes
    ----------
    id
        Identifier within the pack (``transshipment-ambient``).
    category
        Hub operation category in words (transshipment, warehouse, ...).
    temperature
        ``ambient``, ``mixed`` or ``temperature_controlled``.
    unit
        ``kgco2e_per_t`` (outbound tonnes), ``kgco2e_per_teu`` or
        ``kgco2e_per_container`` (boxes).
    intensity_wtw, intensity_ttw
        Intensities [``unit``]; TTW ``None`` where the source gives only the total.
    """

    id: str
    category: str
    temperature: str
    unit: HubIntensityUnit
    intensity_wtw: float
    intensity_ttw: float | None
    provenance: Provenance

    @property
    def intensity_wtt(self) -> float | None:
        """Well-to-tank part = WTW - TTW [``unit``]; ``None`` if TTW is unknown."""
        return None if self.intensity_ttw is None else self.intensity_wtw - self.intensity_ttw


@dataclass(frozen=True)
class DistanceAdjustment:
    """A distance adjustment factor (DAF) of a mode.

    ``factor`` converts a leg distance of type ``leg_distance_type`` into the distance
    type ``intensity_distance_type`` an intensity was built on:
    adjusted distance = factor x leg distance. The reverse direction uses 1/factor.
    """

    mode: str
    leg_distance_type: DistanceType
    intensity_distance_type: DistanceType
    factor: float
    provenance: Provenance


@dataclass(frozen=True)
class EnergyFactor:
    """Emission factor of an energy carrier (fuel or grid electricity).

    Attributes
    ----------
    unit
        ``kgco2e_per_l``, ``kgco2e_per_kg`` or ``kgco2e_per_kwh``.
    factor_wtw, factor_ttw
        Factors [``unit``]; TTW of electricity is 0.
    scope
        What the factor covers (``co2e_wtw``, ``co2_only_consumption_average``, ...).
    year
        Reference year, if the factor has one.
    """

    id: str
    carrier: str
    region: str
    unit: str
    factor_wtw: float
    factor_ttw: float
    scope: str
    provenance: Provenance
    year: int | None = None

    @property
    def factor_wtt(self) -> float:
        """Well-to-tank factor = WTW - TTW [``unit``]."""
        return self.factor_wtw - self.factor_ttw


@dataclass(frozen=True)
class TeuConvention:
    """A tonnes-per-TEU convention (cargo mass of one loaded TEU, or one empty TEU)."""

    id: str
    tonnes_per_teu: float
    provenance: Provenance


@dataclass(frozen=True)
class ContainerType:
    """A container type and its TEU factor (a 40' box is 2 TEU)."""

    id: str
    teu_per_container: float
    provenance: Provenance


@dataclass(frozen=True)
class FactorPack:
    """A set of default intensities with conversions and energy factors.

    Built by :func:`freighthub.model.factors.load_factor_pack`; every value carries
    its :class:`Provenance`.
    """

    id: str
    title: str
    edition: str
    licence: str
    transport: Mapping[str, TransportIntensity]
    hubs: Mapping[str, HubIntensity]
    distance_adjustments: tuple[DistanceAdjustment, ...] = ()
    energy: Mapping[str, EnergyFactor] = field(default_factory=dict)
    teu_conventions: Mapping[str, TeuConvention] = field(default_factory=dict)
    container_types: Mapping[str, ContainerType] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash((self.id, self.edition, self.files))


# --- look-ups ------------------------------------------------------------------------


def intensity_ids(pack: FactorPack, mode: str | None = None) -> list[str]:
    """Ids of the transport intensities in ``pack``, optionally of one mode, sorted.

    Raises
    ------
    UnknownIdentifierError
        If ``mode`` is not a mode name.
    """
    if mode is None:
        return sorted(pack.transport)
    wanted = _mode(mode)
    return sorted(k for k, v in pack.transport.items() if v.mode == wanted)


def hub_category_ids(pack: FactorPack) -> list[str]:
    """Ids of the hub intensities (hub operation categories) in ``pack``, sorted."""
    return sorted(pack.hubs)


def transport_intensity(pack: FactorPack, intensity_id: str) -> TransportIntensity:
    """The transport intensity ``intensity_id`` of ``pack``.

    Raises
    ------
    UnknownIdentifierError
        Listing the valid ids of the pack.
    """
    return _lookup(pack, pack.transport, intensity_id, "transport intensity")


def hub_intensity(pack: FactorPack, hub_category_id: str) -> HubIntensity:
    """The hub intensity ``hub_category_id`` of ``pack``.

    Raises
    ------
    UnknownIdentifierError
        Listing the valid ids of the pack.
    """
    return _lookup(pack, pack.hubs, hub_category_id, "hub operation category")


def energy_factor(pack: FactorPack, factor_id: str) -> EnergyFactor:
    """The energy (fuel or electricity) factor ``factor_id`` of ``pack``.

    Raises
    ------
    UnknownIdentifierError
        Listing the valid ids of the pack.
    """
    return _lookup(pack, pack.energy, factor_id, "energy factor")


def _lookup(pack: FactorPack, table: Mapping[str, _T], key: str, what: str) -> _T:
    """``table[key]``, or an error naming the pack and listing the valid ids."""
    try:
        return table[key]
    except KeyError:
        raise UnknownIdentifierError(f"{what} (pack {pack.id})", key, table) from None


def _positive(name: str, value: float) -> float:
    """``value`` as a float if it is a finite number > 0, else :class:`EmissionsInputError`."""
    if not (math.isfinite(value) and value > 0):
        raise EmissionsInputError(f"{name} = {value}: must be a finite number > 0")
    return float(value)


def _non_negative(name: str, value: float) -> float:
    """``value`` as a float if it is a finite number >= 0, else :class:`EmissionsInputError`."""
    if not (math.isfinite(value) and value >= 0):
        raise EmissionsInputError(f"{name} = {value}: must be a finite number >= 0")
    return float(value)


def _mode(mode: str) -> str:
    """``mode`` if it is a registered mode id (:data:`freighthub.vocabulary.MODE_FACTS`)."""
    if mode not in mode_ids():
        raise UnknownIdentifierError("mode", str(mode), mode_ids())
    return mode


def distance_adjustment_factor(
    pack: FactorPack,
    intensity: TransportIntensity,
    leg_distance_type: DistanceType | str,
    override: float | None = None,
) -> float:
    """The distance adjustment factor (DAF) for a leg of ``leg_distance_type``.

    GLEC3 p.21-22, 38-51 (ISO 14083 §3.3.4): a DAF is applied only where the leg's
    distance type differs from the type behind the intensity. It is then taken from
    ``override`` (the user's own, e.g. from analysis), else from the pack (direct, or
    1/factor of the reverse entry).

    Returns
    -------
    float
        1.0 if the types match, else the DAF [-].

    Raises
    ------
    EmissionsInputError
        If the types match but an override is given (it would be applied wrongly),
        the override is not > 0, or the types differ and neither the override nor
        the pack gives a DAF (GLEC gives no default DAF for rail, for example);
        or the leg is a great-circle distance on a mode whose
        ``ModeFacts.great_circle_needs_daf`` is set (rail, inland waterway) and neither
        an override (>= 1) nor a pack DAF for great-circle legs of the mode is given.
    """
    leg_type = DistanceType(leg_distance_type)
    if leg_type is DistanceType.GREAT_CIRCLE and mode_facts(intensity.mode).great_circle_needs_daf:
        return _great_circle_daf(pack, intensity, override)
    if leg_type in intensity.distance_basis:
        if override is not None:
            raise EmissionsInputError(
                f"distance_adjustment_factor = {override}: not applicable, the leg's "
                f"distance type {leg_type.value!r} is already the basis of intensity "
                f"{intensity.id!r}; remove it"
            )
        return 1.0
    if override is not None:
        if not (math.isfinite(override) and override > 0):
            raise EmissionsInputError(f"distance_adjustment_factor = {override}: must be > 0")
        return float(override)
    for daf in pack.distance_adjustments:
        if daf.mode != intensity.mode:
            continue
        if daf.leg_distance_type is leg_type and daf.intensity_distance_type in (
            intensity.distance_basis
        ):
            return daf.factor
        if daf.intensity_distance_type is leg_type and daf.leg_distance_type in (
            intensity.distance_basis
        ):
            return 1.0 / daf.factor
    basis = ", ".join(t.value for t in intensity.distance_basis)
    raise EmissionsInputError(
        f"no distance adjustment factor for a {intensity.mode} leg with distance type "
        f"{leg_type.value!r}: intensity {intensity.id!r} is built on {basis} and pack "
        f"{pack.id!r} has no DAF for it; give the leg's distance as {basis} or give "
        "distance_adjustment_factor"
    )


def _great_circle_daf(
    pack: FactorPack, intensity: TransportIntensity, override: float | None
) -> float:
    if override is not None:
        if not (math.isfinite(override) and override >= 1):
            raise EmissionsInputError(
                f"distance_adjustment_factor = {override}: must be >= 1 for a great_circle "
                f"{intensity.mode} leg (a route is never shorter than the straight line)"
            )
        return float(override)
    for daf in pack.distance_adjustments:
        if daf.mode == intensity.mode and daf.leg_distance_type is DistanceType.GREAT_CIRCLE:
            return daf.factor
    raise EmissionsInputError(
        f"a great_circle distance understates a {intensity.mode} route and pack "
        f"{pack.id!r} has no distance adjustment factor for it: give the leg as a network "
        "route (route = { from = ..., to = ... }), as a shortest_feasible or actual "
        "distance, or give your own distance_adjustment_factor"
    )
