"""Intensities built from energy (way b), blended and custom intensities, allocation.

Way b of GLEC v3.0 ch. 3 / ISO 14083: an intensity from energy use and an energy
factor; blends of several intensities; a chain file's own intensities; allocation by
notional tonne-km. The factor-pack types and the look-ups they build on live in
:mod:`freighthub.emissions.intensity` (split from it along that seam); everything here
returns those types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from freighthub.emissions.intensity import (
    EmissionsInputError,
    EmptyRunningConvention,
    EnergyFactor,
    FactorPack,
    HubIntensity,
    HubIntensityUnit,
    Provenance,
    TransportIntensity,
    TransportIntensityUnit,
    _mode,
    _non_negative,
    _positive,
)
from freighthub.units import G_PER_KG
from freighthub.vocabulary import DistanceType

__all__ = [
    "allocate_by_notional_tkm",
    "blended_intensity",
    "custom_hub_intensity",
    "custom_transport_intensity",
    "hub_intensity_from_energy",
    "intensity_from_energy_per_tkm",
    "toc_intensity_from_energy",
    "vehicle_intensity_from_energy",
    "with_intensities",
]


# --- energy-based intensities (way b) ------------------------------------------------


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
    mode: str,
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
