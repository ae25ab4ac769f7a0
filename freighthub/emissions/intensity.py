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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.units import G_PER_KG
from freighthub.vocabulary import Confidence, DistanceType, Mode

_T = TypeVar("_T")

__all__ = [
    "GREAT_CIRCLE_NEEDS_DAF",
    "ContainerType",
    "DistanceAdjustment",
    "DistanceType",
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
    "allocate_by_notional_tkm",
    "blended_intensity",
    "custom_hub_intensity",
    "custom_transport_intensity",
    "distance_adjustment_factor",
    "energy_factor",
    "hub_category_ids",
    "hub_intensity",
    "hub_intensity_from_energy",
    "intensity_from_energy_per_tkm",
    "intensity_ids",
    "toc_intensity_from_energy",
    "transport_intensity",
    "vehicle_intensity_from_energy",
    "with_intensities",
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
    mode: Mode
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

    mode: Mode
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


def intensity_ids(pack: FactorPack, mode: Mode | str | None = None) -> list[str]:
    """Ids of the transport intensities in ``pack``, optionally of one mode, sorted.

    Raises
    ------
    UnknownIdentifierError
        If ``mode`` is not a mode name.
    """
    if mode is None:
        return sorted(pack.transport)
    wanted = _mode(mode)
    return sorted(k for k, v in pack.transport.items() if v.mode is wanted)


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


def _mode(mode: Mode | str) -> Mode:
    try:
        return Mode(mode)
    except ValueError:
        raise UnknownIdentifierError("mode", str(mode), [m.value for m in Mode]) from None


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
        or the leg is a great-circle distance on a mode of
        :data:`GREAT_CIRCLE_NEEDS_DAF` and neither an override (>= 1) nor a pack
        DAF for great-circle legs of the mode is given.
    """
    leg_type = DistanceType(leg_distance_type)
    if leg_type is DistanceType.GREAT_CIRCLE and intensity.mode in GREAT_CIRCLE_NEEDS_DAF:
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
        if daf.mode is not intensity.mode:
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
        f"no distance adjustment factor for a {intensity.mode.value} leg with distance type "
        f"{leg_type.value!r}: intensity {intensity.id!r} is built on {basis} and pack "
        f"{pack.id!r} has no DAF for it; give the leg's distance as {basis} or give "
        "distance_adjustment_factor"
    )


#: Modes whose routes run far longer than the straight line (a river's bends, a railway's
#: detours): a great-circle distance on them is never taken at face value, even where
#: the intensity accepts great-circle legs (GLEC3 p.43 does for inland waterways). The
#: leg needs a DAF, or is refused (issue #14: the README's barge leg was 40 % short).
GREAT_CIRCLE_NEEDS_DAF = frozenset({Mode.INLAND_WATERWAY, Mode.RAIL})


def _great_circle_daf(
    pack: FactorPack, intensity: TransportIntensity, override: float | None
) -> float:
    if override is not None:
        if not (math.isfinite(override) and override >= 1):
            raise EmissionsInputError(
                f"distance_adjustment_factor = {override}: must be >= 1 for a great_circle "
                f"{intensity.mode.value} leg (a route is never shorter than the straight line)"
            )
        return float(override)
    for daf in pack.distance_adjustments:
        if daf.mode is intensity.mode and daf.leg_distance_type is DistanceType.GREAT_CIRCLE:
            return daf.factor
    raise EmissionsInputError(
        f"a great_circle distance understates a {intensity.mode.value} route and pack "
        f"{pack.id!r} has no distance adjustment factor for it: give the leg as a network "
        "route (route = { from = ..., to = ... }), as a shortest_feasible or actual "
        "distance, or give your own distance_adjustment_factor"
    )


# --- energy-based intensities (way b) ------------------------------------------------


def _positive(name: str, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise EmissionsInputError(f"{name} = {value}: must be a finite number > 0")
    return float(value)


def _non_negative(name: str, value: float) -> float:
    if not (math.isfinite(value) and value >= 0):
        raise EmissionsInputError(f"{name} = {value}: must be a finite number >= 0")
    return float(value)


def intensity_from_energy_per_tkm(
    energy_per_tkm: float, factor: EnergyFactor
) -> tuple[float, float]:
    """Transport intensity from energy use per tonne-km.

    Parameters
    ----------
    energy_per_tkm
        Energy use per tkm [l/tkm, kg/tkm or kWh/tkm, matching ``factor.unit``].
    factor
        Emission factor of the energy carrier.

    Returns
    -------
    tuple of float
        (WTW, TTW) intensity [gCO2e/tkm].

    Raises
    ------
    EmissionsInputError
        If ``energy_per_tkm`` is negative or not finite.

    References
    ----------
    GLEC Framework v3.0 (2023), Module 2 road example, p.104.
    """
    e = _non_negative("energy_per_tkm", energy_per_tkm)
    return e * factor.factor_wtw * G_PER_KG, e * factor.factor_ttw * G_PER_KG


def toc_intensity_from_energy(
    energy_used: Sequence[tuple[float, EnergyFactor]],
    transport_activity_tkm: float,
    extra_kgco2e_wtw: float = 0.0,
    extra_kgco2e_ttw: float = 0.0,
) -> tuple[float, float]:
    """Intensity of a transport operation category from its energy use in a period.

    TOC intensity = total TOC emissions / total TOC transport activity (GLEC3 p.32).

    Parameters
    ----------
    energy_used
        Pairs (amount [unit of the factor], factor) of every energy carrier used.
    transport_activity_tkm
        Total transport activity of the TOC in the same period [tkm].
    extra_kgco2e_wtw, extra_kgco2e_ttw
        Further emissions allocated to the TOC, e.g. hubs of a groupage network [kgCO2e].

    Returns
    -------
    tuple of float
        (WTW, TTW) intensity [gCO2e/tkm].

    Raises
    ------
    EmissionsInputError
        If the activity is not > 0 or an amount is negative.

    References
    ----------
    GLEC Framework v3.0 (2023), Annex 2, p.149-150 (multi-drop and hub-and-spoke examples).
    """
    tkm = _positive("transport_activity_tkm", transport_activity_tkm)
    wtw = _non_negative("extra_kgco2e_wtw", extra_kgco2e_wtw)
    ttw = _non_negative("extra_kgco2e_ttw", extra_kgco2e_ttw)
    for amount, factor in energy_used:
        a = _non_negative(f"energy of {factor.id}", amount)
        wtw += a * factor.factor_wtw
        ttw += a * factor.factor_ttw
    return wtw * G_PER_KG / tkm, ttw * G_PER_KG / tkm


def vehicle_intensity_from_energy(
    energy_per_vkm: float,
    factor: EnergyFactor,
    payload_capacity_t: float,
    load_factor_share: float,
    empty_running_share: float,
    convention: EmptyRunningConvention | str,
) -> tuple[float, float]:
    """Intensity of a vehicle's round trip from its energy use per vehicle-km.

    The emissions of every km driven, loaded or empty, are allocated to the tonne-km
    carried on the loaded km: intensity = energy_per_vkm x factor x (total km per
    loaded km) / (payload_capacity_t x load_factor_share).

    Parameters
    ----------
    energy_per_vkm
        Mean energy use per vehicle-km over the round trip [l, kg or kWh per vkm].
    factor
        Emission factor of the energy carrier.
    payload_capacity_t
        Maximum payload [t].
    load_factor_share
        Load on loaded km / maximum payload [0-1], > 0 (iLEAP ``loadFactor``).
    empty_running_share
        Empty running, in the ``convention`` given [-].
    convention
        ``share_of_total_km`` (empty km / total km, iLEAP ``emptyDistanceFactor``,
        must be < 1) or ``per_loaded_km`` (empty km / loaded km, EcoTransIT ET).

    Returns
    -------
    tuple of float
        (WTW, TTW) intensity [gCO2e/tkm].

    Raises
    ------
    EmissionsInputError
        If a value is out of range or the convention is ``not_stated``.

    References
    ----------
    iLEAP Technical Specifications (2025), TOC ``loadFactor``, ``emptyDistanceFactor``;
    EcoTransIT World Methodology (2010), Table 11 (CU = LF / (1 + ET)).
    """
    e = _non_negative("energy_per_vkm", energy_per_vkm)
    capacity = _positive("payload_capacity_t", payload_capacity_t)
    lf = _positive("load_factor_share", load_factor_share)
    if lf > 1:
        raise EmissionsInputError(f"load_factor_share = {lf}: must be <= 1")
    er = _non_negative("empty_running_share", empty_running_share)
    conv = EmptyRunningConvention(convention)
    if conv is EmptyRunningConvention.SHARE_OF_TOTAL_KM:
        if er >= 1:
            raise EmissionsInputError(
                f"empty_running_share = {er}: must be < 1 as a share of total km"
            )
        km_per_loaded_km = 1.0 / (1.0 - er)
    elif conv is EmptyRunningConvention.PER_LOADED_KM:
        km_per_loaded_km = 1.0 + er
    else:
        raise EmissionsInputError(
            "convention = 'not_stated': say whether empty running is a share of total km "
            "or per loaded km"
        )
    per_tkm = e * km_per_loaded_km / (capacity * lf)
    return intensity_from_energy_per_tkm(per_tkm, factor)


def hub_intensity_from_energy(
    energy_used: Sequence[tuple[float, EnergyFactor]], hub_activity: float
) -> tuple[float, float]:
    """Intensity of a hub operation category from its energy use in a period.

    HOC intensity = total HOC emissions / total hub activity (GLEC3 p.32, 41).

    Parameters
    ----------
    energy_used
        Pairs (amount [unit of the factor], factor): electricity, diesel, heating gas.
    hub_activity
        Outbound tonnes [t] or containers (TEU or boxes) handled in the same period.

    Returns
    -------
    tuple of float
        (WTW, TTW) intensity [kgCO2e per unit of ``hub_activity``].

    Raises
    ------
    EmissionsInputError
        If the activity is not > 0 or an amount is negative.
    """
    activity = _positive("hub_activity", hub_activity)
    g_wtw, g_ttw = toc_intensity_from_energy(energy_used, activity)
    return g_wtw / G_PER_KG, g_ttw / G_PER_KG


def blended_intensity(
    parts: Sequence[tuple[float, float]],
    hub_intensities_kgco2e_per_t: Sequence[float],
    total_distance_km: float,
) -> float:
    """A door-to-door intermodal intensity from mode shares and hub visits.

    intensity = sum(share_i x EI_i) + sum(hub_j) x 1000 / total_distance_km, the
    blending rule of GLEC3 Annex 2 (p.145) behind its intermodal defaults.

    Parameters
    ----------
    parts
        Pairs (share of the total distance [0-1], intensity [gCO2e/tkm]); shares sum to 1.
    hub_intensities_kgco2e_per_t
        Intensity of every hub visit on the way [kgCO2e/t].
    total_distance_km
        Door-to-door distance [km].

    Returns
    -------
    float
        Intensity [gCO2e/tkm], in the scope (WTW or TTW) of the inputs.

    Raises
    ------
    EmissionsInputError
        If shares do not sum to 1 or a value is out of range.

    References
    ----------
    GLEC Framework v3.0 (2023), Annex 2 p.145; Module 5 worked example p.151-152.
    """
    distance = _positive("total_distance_km", total_distance_km)
    total_share = 0.0
    g_per_tkm = 0.0
    for share, intensity in parts:
        s = _non_negative("share", share)
        total_share += s
        g_per_tkm += s * _non_negative("intensity", intensity)
    if abs(total_share - 1.0) > 1e-9:
        raise EmissionsInputError(f"distance shares sum to {total_share:g}: must sum to 1")
    for hub in hub_intensities_kgco2e_per_t:
        g_per_tkm += _non_negative("hub intensity", hub) * G_PER_KG / distance
    return g_per_tkm


def custom_transport_intensity(
    intensity_id: str,
    mode: Mode | str,
    intensity_wtw: float,
    intensity_ttw: float | None,
    distance_basis: Sequence[DistanceType | str],
    provenance: Provenance,
    *,
    unit: TransportIntensityUnit | str = TransportIntensityUnit.GCO2E_PER_TKM,
    vehicle: str = "user-defined",
    region: str = "user-defined",
    energy_carrier: str = "user-defined",
) -> TransportIntensity:
    """A transport intensity from the user's own data (e.g. an energy-based one).

    Raises
    ------
    EmissionsInputError
        If a value is negative, TTW exceeds WTW, or no distance basis is given.
    """
    wtw = _non_negative("intensity_wtw", intensity_wtw)
    ttw = None if intensity_ttw is None else _non_negative("intensity_ttw", intensity_ttw)
    if ttw is not None and ttw > wtw:
        raise EmissionsInputError(f"intensity_ttw = {ttw}: must not exceed intensity_wtw = {wtw}")
    if not distance_basis:
        raise EmissionsInputError("distance_basis: give at least one distance type")
    return TransportIntensity(
        id=intensity_id,
        mode=_mode(mode),
        vehicle=vehicle,
        region=region,
        energy_carrier=energy_carrier,
        unit=TransportIntensityUnit(unit),
        intensity_wtw=wtw,
        intensity_ttw=ttw,
        distance_basis=tuple(DistanceType(d) for d in distance_basis),
        provenance=provenance,
    )


def with_intensities(
    pack: FactorPack,
    transport: Sequence[TransportIntensity] = (),
    hubs: Sequence[HubIntensity] = (),
) -> FactorPack:
    """A copy of ``pack`` with further (user) intensities.

    Raises
    ------
    EmissionsInputError
        If an id is already in the pack (a user intensity never silently replaces one).
    """
    new_transport = dict(pack.transport)
    for t in transport:
        if t.id in new_transport:
            raise EmissionsInputError(f"intensity id {t.id!r} is already in pack {pack.id!r}")
        new_transport[t.id] = t
    new_hubs = dict(pack.hubs)
    for h in hubs:
        if h.id in new_hubs:
            raise EmissionsInputError(f"hub intensity id {h.id!r} is already in pack {pack.id!r}")
        new_hubs[h.id] = h
    return replace(pack, transport=new_transport, hubs=new_hubs)


def allocate_by_notional_tkm(
    mass_t: Sequence[float], shortest_feasible_km: Sequence[float]
) -> list[float]:
    """Shares of a collection or delivery round's emissions, one per consignment.

    GLEC allocates a round trip's emissions by each consignment's notional
    point-to-point transport activity (mass x shortest feasible distance from the
    depot), not by the route actually driven.

    Parameters
    ----------
    mass_t
        Mass of each consignment [t].
    shortest_feasible_km
        Shortest feasible distance depot -> consignee of each consignment [km].

    Returns
    -------
    list of float
        Shares [0-1] summing to 1.

    Raises
    ------
    EmissionsInputError
        If the lists differ in length, a value is negative, or all activity is 0.

    References
    ----------
    GLEC Framework v3.0 (2023), Module 2 road, p.48 and example p.107.
    """
    if len(mass_t) != len(shortest_feasible_km):
        raise EmissionsInputError(
            f"mass_t has {len(mass_t)} entries but shortest_feasible_km has "
            f"{len(shortest_feasible_km)}"
        )
    tkm = [
        _non_negative("mass_t", m) * _non_negative("shortest_feasible_km", d)
        for m, d in zip(mass_t, shortest_feasible_km, strict=True)
    ]
    total = sum(tkm)
    if total <= 0:
        raise EmissionsInputError("the round's notional transport activity is 0 tkm")
    return [x / total for x in tkm]


def custom_hub_intensity(
    hub_category_id: str,
    category: str,
    unit: HubIntensityUnit | str,
    intensity_wtw: float,
    intensity_ttw: float | None,
    provenance: Provenance,
    *,
    temperature: str = "ambient",
) -> HubIntensity:
    """A hub intensity from the user's own data (e.g. :func:`hub_intensity_from_energy`).

    Raises
    ------
    EmissionsInputError
        If a value is negative or TTW exceeds WTW.
    """
    wtw = _non_negative("intensity_wtw", intensity_wtw)
    ttw = None if intensity_ttw is None else _non_negative("intensity_ttw", intensity_ttw)
    if ttw is not None and ttw > wtw:
        raise EmissionsInputError(f"intensity_ttw = {ttw}: must not exceed intensity_wtw = {wtw}")
    return HubIntensity(
        id=hub_category_id,
        category=category,
        temperature=temperature,
        unit=HubIntensityUnit(unit),
        intensity_wtw=wtw,
        intensity_ttw=ttw,
        provenance=provenance,
    )
