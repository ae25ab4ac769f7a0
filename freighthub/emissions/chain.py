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
from typing import Literal

from freighthub.emissions.formula import (
    _HUB_ACTIVITY_UNIT,
    _hub_activity,
    hub_emissions_kg,
    leg_emissions_kg,
)
from freighthub.emissions.intensity import (
    EmissionsInputError,
    FactorPack,
    hub_intensity,
    transport_intensity,
)
from freighthub.emissions.intensity import distance_adjustment_factor as _daf
from freighthub.units import G_PER_KG
from freighthub.vocabulary import DistanceType, mode_facts

__all__ = [
    "ChainEmissions",
    "ElementEmissions",
    "HubOperation",
    "Leg",
    "chain_emissions",
    "element_emissions",
]


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
        ``actual``, ``shortest_feasible`` or ``great_circle``; ``None`` (default) for
        the intensity's mode's :attr:`~freighthub.vocabulary.ModeFacts.default_distance_type`.
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
    distance_type: DistanceType | None = None
    mass_t: float | None = None
    teu: float | None = None
    tonnes_per_teu: float | None = None
    distance_adjustment_factor: float | None = None
    mode: str | None = None


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
    mode: str | None = None
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
    if leg.mode is not None and leg.mode != intensity.mode:
        raise EmissionsInputError(
            f"mode {str(leg.mode)!r} differs from the mode "
            f"{str(intensity.mode)!r} of intensity {intensity.id!r}"
        )
    distance_type = leg.distance_type or mode_facts(intensity.mode).default_distance_type
    wtw, ttw = leg_emissions_kg(
        pack,
        leg.intensity_id,
        leg.mass_t,
        leg.distance_km,
        distance_type,
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
        distance_type=DistanceType(distance_type),
        distance_adjustment_factor=_daf(
            pack, intensity, distance_type, leg.distance_adjustment_factor
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


def _over_legs(activities: Sequence[float | None]) -> float | None:
    """Sum of the legs' transport activity [tkm or TEU-km]; ``None`` without legs or
    if a leg does not give it."""
    if not activities or any(a is None for a in activities):
        return None
    return sum((a or 0.0 for a in activities), 0.0)


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
    tkm = _over_legs([r.transport_activity_tkm for r in legs])
    teukm = _over_legs([r.transport_activity_teukm for r in legs])

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
