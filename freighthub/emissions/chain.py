"""Transport chains per ISO 14083:2023 / GLEC Framework v3.0: legs, hub operations, totals.

A transport chain is a sequence of transport chain elements (TCEs): legs (freight on
one vehicle) and hub operations (freight passing one hub). This module holds the one
emissions formula of freighthub:

- leg:  emissions = transport activity x DAF x intensity, with transport activity =
  mass [t] x distance [km] (or TEU x km for a per-TEU-km intensity) and the distance
  adjustment factor DAF applied only where the leg's distance type differs from the
  one behind the intensity (GLEC3 p.20-22);
- hub:  emissions = hub activity (outbound t, TEU or boxes) x intensity (GLEC3 p.41).

The activity-unit choice lives only here: callers give the shipment (mass, TEU and,
for hubs, boxes) and the formula takes the quantity its intensity is in, converting
tonnes and TEU only with an explicit ``tonnes_per_teu`` and raising when the needed
quantity is missing. Both give WTW and TTW separately; WTT = WTW - TTW. A TTW the pack does not publish
(GLEC gives hub defaults only as totals) is NaN, never 0.

The vectorised entry points :func:`leg_emissions_kg` and :func:`hub_emissions_kg` take
numpy arrays (or scalars) and are what the simulation and the optimiser call for
every leg and hub visit; :func:`chain_emissions` uses them for each element.

Clock-free, file-free, print-free: this module only computes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from freighthub.emissions.intensity import (
    DistanceType,
    EmissionsInputError,
    FactorPack,
    HubIntensity,
    HubIntensityUnit,
    TransportIntensity,
    TransportIntensityUnit,
    hub_intensity,
    transport_intensity,
)
from freighthub.emissions.intensity import (
    distance_adjustment_factor as _daf,
)
from freighthub.units import G_PER_KG
from freighthub.vocabulary import Mode

__all__ = [
    "ChainEmissions",
    "ElementEmissions",
    "HubOperation",
    "Leg",
    "chain_emissions",
    "element_emissions",
    "hub_emissions_kg",
    "leg_emissions_kg",
]

FloatArray = npt.NDArray[np.float64]
ArrayInput = npt.NDArray[Any] | Sequence[float]


# --- the vectorised formula -------------------------------------------------------------


def _array(name: str, value: Any) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else arr.item()
        raise EmissionsInputError(f"{name} = {first}: must be a finite number >= 0")
    return arr


def _positive_scalar(name: str, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise EmissionsInputError(f"{name} = {value}: must be a finite number > 0")
    return float(value)


def _none_given(names_values: dict[str, Any], what: str) -> None:
    if all(v is None for v in names_values.values()):
        raise EmissionsInputError(f"{what}: give {' or '.join(names_values)}")


def _transport_activity_units(
    intensity: TransportIntensity,
    mass_t: Any,
    teu: Any,
    tonnes_per_teu: float | None,
) -> FloatArray:
    """The leg's activity in the intensity's unit: tonnes (per tkm) or TEU (per TEU-km).

    The quantity the intensity is in is used as given; the other one is converted
    only with an explicit ``tonnes_per_teu``, never by assumption.
    """
    _none_given({"mass_t": mass_t, "teu": teu}, f"leg with intensity {intensity.id!r}")
    wants_teu = intensity.unit is TransportIntensityUnit.GCO2E_PER_TEUKM
    needed, other = ("teu", "mass_t") if wants_teu else ("mass_t", "teu")
    given = {"mass_t": mass_t, "teu": teu}
    if given[needed] is not None:
        return _array(needed, given[needed])
    if tonnes_per_teu is None:
        raise EmissionsInputError(
            f"intensity {intensity.id!r} is {intensity.unit.value} but the leg gives "
            f"{other}, not {needed}: give {needed}, or give tonnes_per_teu (a convention "
            "of the pack's conversions) to convert"
        )
    tpt = _positive_scalar("tonnes_per_teu", tonnes_per_teu)
    amount = _array(other, given[other])
    return amount / tpt if wants_teu else amount * tpt


_HUB_QUANTITY = {
    HubIntensityUnit.KGCO2E_PER_T: "mass_t",
    HubIntensityUnit.KGCO2E_PER_TEU: "teu",
    HubIntensityUnit.KGCO2E_PER_CONTAINER: "boxes",
}
_HUB_ACTIVITY_UNIT = {"mass_t": "t", "teu": "TEU", "boxes": "boxes"}


def _hub_activity(
    intensity: HubIntensity,
    mass_t: Any,
    teu: Any,
    boxes: Any,
    tonnes_per_teu: float | None,
) -> tuple[str, FloatArray]:
    """The hub activity: (name of the quantity used, amount in the intensity's unit).

    Tonnes and TEU convert into each other only with an explicit ``tonnes_per_teu``;
    boxes never convert (the 20'/40' mix is not known here).
    """
    given = {"mass_t": mass_t, "teu": teu, "boxes": boxes}
    what = f"hub operation {intensity.id!r}"
    _none_given(given, what)
    needed = _HUB_QUANTITY[intensity.unit]
    if given[needed] is not None:
        return needed, _array(needed, given[needed])
    unit = intensity.unit.value
    other = {"mass_t": "teu", "teu": "mass_t"}.get(needed)
    if other is None or given[other] is None:
        names = " or ".join(k for k, v in given.items() if v is not None)
        raise EmissionsInputError(
            f"hub intensity {intensity.id!r} is {unit}: give {needed}, not {names}"
        )
    if tonnes_per_teu is None:
        raise EmissionsInputError(
            f"hub intensity {intensity.id!r} is {unit} but {other} is given, not {needed}: "
            f"give {needed}, or give tonnes_per_teu to convert"
        )
    tpt = _positive_scalar("tonnes_per_teu", tonnes_per_teu)
    amount = _array(other, given[other])
    return other, amount * tpt if needed == "mass_t" else amount / tpt


def _result(arr: FloatArray, scalar: bool) -> Any:
    return float(arr) if scalar else arr


@overload
def leg_emissions_kg(  # type: ignore[overload-overlap]
    pack: FactorPack,
    intensity_id: str,
    mass_t: float | None,
    distance_km: float,
    distance_type: DistanceType | str = ...,
    *,
    teu: float | None = ...,
    tonnes_per_teu: float | None = ...,
    distance_adjustment_factor: float | None = ...,
) -> tuple[float, float]: ...


@overload
def leg_emissions_kg(
    pack: FactorPack,
    intensity_id: str,
    mass_t: ArrayInput | float | None,
    distance_km: ArrayInput | float,
    distance_type: DistanceType | str = ...,
    *,
    teu: ArrayInput | float | None = ...,
    tonnes_per_teu: float | None = ...,
    distance_adjustment_factor: float | None = ...,
) -> tuple[FloatArray, FloatArray]: ...


def leg_emissions_kg(
    pack: FactorPack,
    intensity_id: str,
    mass_t: Any,
    distance_km: Any,
    distance_type: DistanceType | str = DistanceType.SHORTEST_FEASIBLE,
    *,
    teu: Any = None,
    tonnes_per_teu: float | None = None,
    distance_adjustment_factor: float | None = None,
) -> tuple[Any, Any]:
    """Emissions of legs with one intensity, vectorised over mass and distance.

    emissions [kg] = activity x distance_km x DAF x intensity / 1000, where activity is
    tonnes for a gCO2e/tkm intensity and TEU for a gCO2e/TEU-km intensity. The caller
    gives the shipment (``mass_t``, ``teu`` or both); the formula takes the quantity its
    intensity is in and converts the other only with an explicit ``tonnes_per_teu``.

    Parameters
    ----------
    pack
        The factor pack.
    intensity_id
        Transport intensity id in the pack (see :func:`~freighthub.emissions.intensity_ids`).
    mass_t
        Freight mass [t] (scalar or array), or ``None``. Never kg.
    distance_km
        Leg distance [km] (scalar or array, broadcast against the mass).
    distance_type
        Type of ``distance_km``: ``shortest_feasible`` (default; what a network model
        gives), ``great_circle`` or ``actual``. A DAF is applied only if it differs
        from the intensity's basis.
    teu
        Containers carried [TEU] (a 40' box is 2 TEU), or ``None``; at least one of
        ``mass_t`` and ``teu``, broadcast like ``mass_t``.
    tonnes_per_teu
        Convention [t/TEU] to convert the given quantity into the intensity's unit;
        needed only when that quantity is not given, never assumed.
    distance_adjustment_factor
        The user's own DAF [-] where the distance type differs from the basis.

    Returns
    -------
    tuple
        (WTW, TTW) emissions [kgCO2e]: floats for scalar inputs, else arrays of the
        broadcast shape. TTW is NaN where the pack gives no TTW for the intensity.

    Raises
    ------
    UnknownIdentifierError
        If ``intensity_id`` is not in the pack (the message lists the valid ids).
    EmissionsInputError
        For negative or non-finite inputs, neither of ``mass_t`` / ``teu``, the
        intensity's quantity missing without a ``tonnes_per_teu``, or a missing or
        misplaced DAF.

    References
    ----------
    GLEC Framework v3.0 (2023), p.20-22 (TCE emissions, DAF); ISO 14083:2023 §7-§12.
    """
    intensity = transport_intensity(pack, intensity_id)
    daf = _daf(pack, intensity, distance_type, distance_adjustment_factor)
    amount = _transport_activity_units(intensity, mass_t, teu, tonnes_per_teu)
    distance = _array("distance_km", distance_km)
    scalar = amount.ndim == 0 and distance.ndim == 0
    scale = amount * distance * (daf / G_PER_KG)
    wtw = scale * intensity.intensity_wtw
    ttw = (
        np.full_like(wtw, np.nan)
        if intensity.intensity_ttw is None
        else scale * intensity.intensity_ttw
    )
    return _result(wtw, scalar), _result(ttw, scalar)


@overload
def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: float | None = ...,
    *,
    teu: float | None = ...,
    boxes: float | None = ...,
    tonnes_per_teu: float | None = ...,
) -> tuple[float, float]: ...


@overload
def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: ArrayInput | float | None = ...,
    *,
    teu: ArrayInput | float | None = ...,
    boxes: ArrayInput | float | None = ...,
    tonnes_per_teu: float | None = ...,
) -> tuple[FloatArray, FloatArray]: ...


def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: Any = None,
    *,
    teu: Any = None,
    boxes: Any = None,
    tonnes_per_teu: float | None = None,
) -> tuple[Any, Any]:
    """Emissions of hub operations of one category, vectorised over the hub activity.

    emissions [kg] = outbound activity x intensity, the activity in the intensity's
    unit: tonnes, TEU or containers (boxes). The caller gives the shipment (any of
    ``mass_t``, ``teu``, ``boxes``); the formula takes the quantity its intensity is in.

    Parameters
    ----------
    pack
        The factor pack.
    hub_category_id
        Hub intensity id in the pack (see :func:`~freighthub.emissions.hub_category_ids`).
    mass_t
        Outbound freight [t] (scalar or array), or ``None``.
    teu
        Outbound containers [TEU], or ``None``.
    boxes
        Outbound containers [boxes], or ``None``; never converted from TEU.
    tonnes_per_teu
        Convention [t/TEU] to convert between ``mass_t`` and ``teu`` where the
        quantity the intensity is in is not given.

    Returns
    -------
    tuple
        (WTW, TTW) emissions [kgCO2e]; floats for scalar input. TTW is NaN where the
        pack gives only the total (as GLEC3 Table 3 does).

    Raises
    ------
    UnknownIdentifierError
        If ``hub_category_id`` is not in the pack.
    EmissionsInputError
        For negative inputs, no activity, the intensity's quantity missing and not
        convertible, or a missing ``tonnes_per_teu``.

    References
    ----------
    GLEC Framework v3.0 (2023), p.40-41 (hub activity = outbound tonnes), Table 3 p.87.
    """
    intensity = hub_intensity(pack, hub_category_id)
    _, amount = _hub_activity(intensity, mass_t, teu, boxes, tonnes_per_teu)
    scalar = amount.ndim == 0
    wtw = amount * intensity.intensity_wtw
    ttw = (
        np.full_like(wtw, np.nan)
        if intensity.intensity_ttw is None
        else amount * intensity.intensity_ttw
    )
    return _result(wtw, scalar), _result(ttw, scalar)


# --- chain elements --------------------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """A transport chain element: freight carried by one vehicle.

    Attributes
    ----------
    id
        Element id, unique in the chain.
    intensity_id
        Transport intensity id in the factor pack.
    distance_km
        Distance [km] of type ``distance_type``.
    distance_type
        ``actual``, ``shortest_feasible`` or ``great_circle``.
    mass_t
        Freight mass [t] (shipper's packaging included, carrier's containers excluded).
    teu
        Containers [TEU]. ``mass_t`` and ``teu`` may both be given; the one matching the
        intensity's unit is used, the other converted with ``tonnes_per_teu``.
    tonnes_per_teu
        Explicit convention [t/TEU] where mass and the intensity's unit differ.
    distance_adjustment_factor
        The user's DAF [-] where the distance type differs from the intensity's basis.
    mode
        If given, must equal the intensity's mode (a guard against a wrong id).
    """

    id: str
    intensity_id: str
    distance_km: float
    distance_type: DistanceType = DistanceType.SHORTEST_FEASIBLE
    mass_t: float | None = None
    teu: float | None = None
    tonnes_per_teu: float | None = None
    distance_adjustment_factor: float | None = None
    mode: Mode | None = None


@dataclass(frozen=True)
class HubOperation:
    """A transport chain element: freight passing one hub.

    Attributes
    ----------
    id
        Element id, unique in the chain.
    hub_category_id
        Hub intensity id (hub operation category) in the factor pack.
    mass_t, teu, boxes
        Outbound freight: tonnes [t], TEU, or containers [boxes]; at least one. The one
        matching the intensity's unit is used.
    tonnes_per_teu
        Explicit convention [t/TEU] where the activity and the intensity's unit differ.
    """

    id: str
    hub_category_id: str
    mass_t: float | None = None
    teu: float | None = None
    boxes: float | None = None
    tonnes_per_teu: float | None = None


@dataclass(frozen=True)
class ElementEmissions:
    """Emissions of one transport chain element.

    Attributes
    ----------
    kind
        ``leg`` or ``hub``.
    kgco2e_wtw, kgco2e_ttw
        Emissions [kgCO2e]; TTW NaN where the pack gives no TTW.
    intensity_id
        The intensity used; ``intensity_wtw``/``intensity_ttw`` in ``intensity_unit``.
    transport_activity_tkm
        Mass x distance [tkm] of a leg (unadjusted distance); ``None`` for a hub or if
        the leg gives TEU without a tonnes-per-TEU convention.
    transport_activity_teukm
        TEU x distance [TEU-km] of a leg, if TEU are known.
    hub_activity, hub_activity_unit
        Outbound activity of a hub operation and its unit (``t``, ``TEU``, ``boxes``).
    """

    kind: Literal["leg", "hub"]
    id: str
    kgco2e_wtw: float
    kgco2e_ttw: float
    intensity_id: str
    intensity_unit: str
    intensity_wtw: float
    intensity_ttw: float | None
    mode: Mode | None = None
    distance_km: float | None = None
    distance_type: DistanceType | None = None
    distance_adjustment_factor: float | None = None
    mass_t: float | None = None
    teu: float | None = None
    transport_activity_tkm: float | None = None
    transport_activity_teukm: float | None = None
    hub_activity: float | None = None
    hub_activity_unit: str | None = None

    @property
    def kgco2e_wtt(self) -> float:
        """Well-to-tank emissions = WTW - TTW [kgCO2e]; NaN if TTW is unknown."""
        return self.kgco2e_wtw - self.kgco2e_ttw


@dataclass(frozen=True)
class ChainEmissions:
    """Emissions of a transport chain: its elements and totals.

    Attributes
    ----------
    pack_id
        The factor pack used.
    elements
        One result per element, in chain order.
    total_kgco2e_wtw, total_kgco2e_ttw
        Sums over the elements [kgCO2e]; TTW NaN if any element's TTW is unknown.
    ttw_unknown
        Ids of the elements whose TTW the pack does not give.
    known_kgco2e_ttw
        Sum of the TTW that are known [kgCO2e]; a lower bound of the TTW total when
        ``ttw_unknown`` is not empty.
    transport_activity_tkm, transport_activity_teukm
        Sums over the legs [tkm], [TEU-km]; ``None`` if not known for every leg.
    intensity_gco2e_per_tkm_wtw, intensity_gco2e_per_tkm_ttw
        Chain emissions / transport activity [gCO2e/tkm], hubs included.
    intensity_gco2e_per_teukm_wtw, intensity_gco2e_per_teukm_ttw
        The same per TEU-km, where TEU are known for every leg.
    """

    pack_id: str
    elements: tuple[ElementEmissions, ...]
    total_kgco2e_wtw: float
    total_kgco2e_ttw: float
    ttw_unknown: tuple[str, ...]
    known_kgco2e_ttw: float
    transport_activity_tkm: float | None
    transport_activity_teukm: float | None
    intensity_gco2e_per_tkm_wtw: float | None
    intensity_gco2e_per_tkm_ttw: float | None
    intensity_gco2e_per_teukm_wtw: float | None
    intensity_gco2e_per_teukm_ttw: float | None

    @property
    def total_kgco2e_wtt(self) -> float:
        """Well-to-tank total = WTW - TTW [kgCO2e]; NaN if any TTW is unknown."""
        return self.total_kgco2e_wtw - self.total_kgco2e_ttw


def _leg_result(pack: FactorPack, leg: Leg) -> ElementEmissions:
    intensity = transport_intensity(pack, leg.intensity_id)
    if leg.mode is not None and leg.mode is not intensity.mode:
        raise EmissionsInputError(
            f"mode {leg.mode.value!r} differs from the mode "
            f"{intensity.mode.value!r} of intensity {intensity.id!r}"
        )
    wtw, ttw = leg_emissions_kg(
        pack,
        leg.intensity_id,
        leg.mass_t,
        leg.distance_km,
        leg.distance_type,
        teu=leg.teu,
        tonnes_per_teu=leg.tonnes_per_teu,
        distance_adjustment_factor=leg.distance_adjustment_factor,
    )
    mass_t = leg.mass_t
    teu = leg.teu
    if mass_t is None and teu is not None and leg.tonnes_per_teu is not None:
        mass_t = teu * leg.tonnes_per_teu
    if teu is None and mass_t is not None and leg.tonnes_per_teu is not None:
        teu = mass_t / leg.tonnes_per_teu
    return ElementEmissions(
        kind="leg",
        id=leg.id,
        kgco2e_wtw=wtw,
        kgco2e_ttw=ttw,
        intensity_id=intensity.id,
        intensity_unit=intensity.unit.value,
        intensity_wtw=intensity.intensity_wtw,
        intensity_ttw=intensity.intensity_ttw,
        mode=intensity.mode,
        distance_km=leg.distance_km,
        distance_type=DistanceType(leg.distance_type),
        distance_adjustment_factor=_daf(
            pack, intensity, leg.distance_type, leg.distance_adjustment_factor
        ),
        mass_t=mass_t,
        teu=teu,
        transport_activity_tkm=None if mass_t is None else mass_t * leg.distance_km,
        transport_activity_teukm=None if teu is None else teu * leg.distance_km,
    )


def _hub_result(pack: FactorPack, op: HubOperation) -> ElementEmissions:
    intensity = hub_intensity(pack, op.hub_category_id)
    quantity, _ = _hub_activity(intensity, op.mass_t, op.teu, op.boxes, op.tonnes_per_teu)
    wtw, ttw = hub_emissions_kg(
        pack,
        op.hub_category_id,
        op.mass_t,
        teu=op.teu,
        boxes=op.boxes,
        tonnes_per_teu=op.tonnes_per_teu,
    )
    return ElementEmissions(
        kind="hub",
        id=op.id,
        kgco2e_wtw=wtw,
        kgco2e_ttw=ttw,
        intensity_id=intensity.id,
        intensity_unit=intensity.unit.value,
        intensity_wtw=intensity.intensity_wtw,
        intensity_ttw=intensity.intensity_ttw,
        mass_t=op.mass_t,
        teu=op.teu,
        hub_activity={"mass_t": op.mass_t, "teu": op.teu, "boxes": op.boxes}[quantity],
        hub_activity_unit=_HUB_ACTIVITY_UNIT[quantity],
    )


def element_emissions(pack: FactorPack, element: Leg | HubOperation) -> ElementEmissions:
    """Emissions of one transport chain element (leg or hub operation).

    Raises
    ------
    UnknownIdentifierError
        If the element names an intensity the pack does not have.
    EmissionsInputError
        For invalid, missing or conflicting inputs (see :func:`leg_emissions_kg`).
    """
    try:
        if isinstance(element, Leg):
            return _leg_result(pack, element)
        return _hub_result(pack, element)
    except EmissionsInputError as exc:
        kind = "leg" if isinstance(element, Leg) else "hub operation"
        raise EmissionsInputError(f"{kind} {element.id!r}: {exc}") from None


def chain_emissions(pack: FactorPack, elements: Sequence[Leg | HubOperation]) -> ChainEmissions:
    """Emissions of a transport chain: every element, the totals and the intensities.

    Total = sum of all transport and hub TCEs, WTW and TTW each (GLEC3 p.15, 27).

    Raises
    ------
    EmissionsInputError
        If the chain is empty, two elements share an id, or an element is invalid.
    UnknownIdentifierError
        If an element names an intensity the pack does not have.

    References
    ----------
    GLEC Framework v3.0 (2023), ch. 1 p.15-34; ISO 14083:2023 §6.3, §12.
    """
    if not elements:
        raise EmissionsInputError("a transport chain needs at least one element")
    seen: set[str] = set()
    for element in elements:
        if element.id in seen:
            raise EmissionsInputError(f"element id {element.id!r} is used twice in the chain")
        seen.add(element.id)
    results = tuple(element_emissions(pack, e) for e in elements)
    legs = [r for r in results if r.kind == "leg"]
    total_wtw = sum((r.kgco2e_wtw for r in results), 0.0)
    total_ttw = sum((r.kgco2e_ttw for r in results), 0.0)
    tkm: float | None = None
    teukm: float | None = None
    if legs and all(r.transport_activity_tkm is not None for r in legs):
        tkm = sum((r.transport_activity_tkm or 0.0 for r in legs), 0.0)
    if legs and all(r.transport_activity_teukm is not None for r in legs):
        teukm = sum((r.transport_activity_teukm or 0.0 for r in legs), 0.0)

    def per(activity: float | None, kg: float) -> float | None:
        return None if not activity else kg * G_PER_KG / activity

    return ChainEmissions(
        pack_id=pack.id,
        elements=results,
        total_kgco2e_wtw=total_wtw,
        total_kgco2e_ttw=total_ttw,
        ttw_unknown=tuple(r.id for r in results if math.isnan(r.kgco2e_ttw)),
        known_kgco2e_ttw=sum((r.kgco2e_ttw for r in results if not math.isnan(r.kgco2e_ttw)), 0.0),
        transport_activity_tkm=tkm,
        transport_activity_teukm=teukm,
        intensity_gco2e_per_tkm_wtw=per(tkm, total_wtw),
        intensity_gco2e_per_tkm_ttw=per(tkm, total_ttw),
        intensity_gco2e_per_teukm_wtw=per(teukm, total_wtw),
        intensity_gco2e_per_teukm_ttw=per(teukm, total_ttw),
    )
