"""Export of a chain footprint in the shape of the iLEAP v1.0.0 data model.

iLEAP (Smart Freight Centre and SINE Foundation, "iLEAP Technical Specifications
(Version 1.0.0)", repository ``sine-fdn/ileap-extension``,
``TR/2025/ileap-extension-20250527/index.html``) models a shipment footprint as transport
chain elements (TCE, §6.2) that point to a transport operation category (TOC, §6.3, for
legs) or a hub operation category (HOC, §6.4, for hub operations). This module builds
that shape as plain JSON-ready dicts:

``{"shipmentFootprint": {"shipmentId", "mass", "tces": [...]}, "tocs": [...], "hocs": [...]}``

What follows the v1.0.0 text:

- numbers are ``Decimal`` strings (§6.6.5); TCE ``mass`` in kg, ``transportActivity``
  in tkm (tkm = km x kg / 1000, §6.2.1), ``distance`` one of
  ``{"actual"|"gcd"|"sfd": "<km>"}`` (GLECDistance, §6.6.1); hub TCEs get distance 0 and
  activity 0 (GLEC3 p.22); TCE ``co2eWTW`` / ``co2eTTW`` in kgCO2e (§6.2.1);
- TOC ``co2eIntensityWTW`` / ``co2eIntensityTTW`` in **kgCO2e per**
  ``transportActivityUnit`` (``tkm``, or ``TEUkm`` for sea and inland waterway; §6.3.1):
  the pack's gCO2e values are divided by 1000;
- HOC ``co2eIntensityWTW`` / ``co2eIntensityTTW`` in kgCO2e per ``hubActivityUnit``
  (``tonnes`` or ``TEU``; §6.4.1); ``hubType`` from the HubType enumeration (§6.6.4);
  ``temperatureControl`` ``ambient`` / ``refrigerated`` / ``mixed``;
- ``energyCarriers`` (§6.3.1, §6.6.6): one carrier with ``relativeShare`` 1; where the
  pack names the energy factor behind the intensity, ``emissionFactorWTW`` / ``TTW`` are
  that factor in kgCO2e per ``energyConsumptionUnit`` (``l``, ``kg`` or ``kWh``) and
  ``energyConsumption`` the energy per activity unit where known;
- v1.0.0 has no ``isVerified`` / ``isAccredited`` and renamed ``co2eIntensityThroughput``
  to ``transportActivityUnit`` (TOC) and ``hubActivityUnit`` (HOC); the optional
  ``certifications`` is left out: a default value is not a certified calculation.

Where freighthub cannot fill the shape (said here, not hidden):

- ``co2eTTW`` / ``co2eIntensityTTW`` are ``null`` where the pack gives no TTW (GLEC prints
  hub defaults as totals); iLEAP requires them, so such a record does not validate
  until the TTW is known;
- a TOC whose pack entry names no energy factor gets ``emissionFactorWTW`` / ``TTW``
  ``null`` (required in a TOC); a HOC's ``energyCarriers`` is empty (GLEC hub defaults
  do not split by carrier);
- a per-container (box) hub intensity has no iLEAP activity unit; it is exported with
  ``hubActivityUnit = null`` and the unit in ``description``.

This module is pure: it returns dicts; the CLI writes the file atomically.
"""

from __future__ import annotations

import math
from typing import Any

from freighthub.emissions.chain import ChainEmissions, ElementEmissions
from freighthub.emissions.intensity import (
    EmptyRunningConvention,
    FactorPack,
    HubIntensityUnit,
    TransportIntensityUnit,
)
from freighthub.units import G_PER_KG, KG_PER_T
from freighthub.vocabulary import DistanceType, mode_facts

__all__ = ["ILEAP_SCHEMA_REFERENCE", "chain_to_ileap"]

ILEAP_SCHEMA_REFERENCE = (
    "iLEAP Technical Specifications (Version 1.0.0), SFC / SINE Foundation, "
    "sine-fdn/ileap-extension TR/2025/ileap-extension-20250527, sections 6.2-6.6; shape "
    "followed as far as freighthub can fill it, see freighthub.emissions.ileap"
)

_DISTANCE = {
    DistanceType.ACTUAL: "actual",
    DistanceType.GREAT_CIRCLE: "gcd",
    DistanceType.SHORTEST_FEASIBLE: "sfd",
}
_CARRIERS = {
    "diesel": "Diesel",
    "hvo": "HVO",
    "petrol": "Petrol",
    "cng": "CNG",
    "lng": "LNG",
    "lpg": "LPG",
    "hfo": "HFO",
    "mgo": "MGO",
    "hydrogen": "Hydrogen",
    "methanol": "Methanol",
    "electricity": "Electric",
}
_HUB_TYPES = (  # iLEAP v1.0.0 §6.6.4 HubType
    ("storage", "StorageAndTransshipment"),
    ("transshipment", "Transshipment"),
    ("warehouse", "Warehouse"),
    ("liquid bulk", "LiquidBulkTerminal"),
    ("maritime container terminal", "MaritimeContainerTerminal"),
)
_CONSUMPTION_UNITS = {  # iLEAP v1.0.0 §6.6.6 energyConsumptionUnit, by pack energy unit
    "kgco2e_per_l": "l",
    "kgco2e_per_kg": "kg",
    "kgco2e_per_kwh": "kWh",
}


def _kg(value_g: float | None) -> float | None:
    """A gram value in kilograms, or None."""
    return None if value_g is None else value_g / G_PER_KG


def _dec(value: float | None) -> str | None:
    """An iLEAP Decimal string (no exponent), or None for unknown values."""
    if value is None or not math.isfinite(value):
        return None
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _carrier(text: str) -> str | None:
    lowered = text.lower()
    for key, name in _CARRIERS.items():
        if lowered.startswith(key) or lowered == key:
            return name
    return None


def _hub_type(category: str) -> str | None:
    lowered = category.lower()
    for key, name in _HUB_TYPES:
        if lowered.startswith(key):
            return name
    return None


def _tce(element: ElementEmissions, shipment_id: str, previous: str | None) -> dict[str, Any]:
    tce: dict[str, Any] = {"tceId": element.id}
    if previous is not None:
        tce["prevTceIds"] = [previous]
    if element.kind == "leg":
        tce["tocId"] = element.intensity_id
    else:
        tce["hocId"] = element.intensity_id
    tce["shipmentId"] = shipment_id
    tce["mass"] = _dec(None if element.mass_t is None else element.mass_t * KG_PER_T)
    if element.kind == "leg" and element.distance_type is not None:
        tce["distance"] = {_DISTANCE[element.distance_type]: _dec(element.distance_km)}
        tce["transportActivity"] = _dec(element.transport_activity_tkm)
    else:
        tce["distance"] = {"actual": "0"}
        tce["transportActivity"] = "0"
    tce["co2eWTW"] = _dec(element.kgco2e_wtw)
    tce["co2eTTW"] = _dec(element.kgco2e_ttw)
    return tce


def _energy_carrier(
    pack: FactorPack, carrier: str | None, factor_id: str | None, per_activity: float | None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"energyCarrier": carrier, "relativeShare": "1"}
    factor = pack.energy.get(factor_id) if factor_id is not None else None
    if factor is None:
        entry["emissionFactorWTW"] = None
        entry["emissionFactorTTW"] = None
        return entry
    if per_activity is not None:
        entry["energyConsumption"] = _dec(per_activity)
    entry["energyConsumptionUnit"] = _CONSUMPTION_UNITS[factor.unit]
    entry["emissionFactorWTW"] = _dec(factor.factor_wtw)
    entry["emissionFactorTTW"] = _dec(factor.factor_ttw)
    return entry


def _toc(pack: FactorPack, intensity_id: str) -> dict[str, Any]:
    t = pack.transport[intensity_id]
    toc: dict[str, Any] = {
        "tocId": t.id,
        "description": f"{t.vehicle}; {t.region}; {t.provenance.source} "
        f"({t.provenance.confidence.value}); pack {pack.id}",
        "mode": mode_facts(t.mode).ileap_mode,
    }
    if t.load_factor_share is not None:
        toc["loadFactor"] = _dec(t.load_factor_share)
    if (
        t.empty_running_share is not None
        and t.empty_running_convention is EmptyRunningConvention.SHARE_OF_TOTAL_KM
    ):
        toc["emptyDistanceFactor"] = _dec(t.empty_running_share)
    toc["energyCarriers"] = [
        _energy_carrier(pack, _carrier(t.energy_carrier), t.energy_factor_id, t.energy_per_activity)
    ]
    toc["co2eIntensityWTW"] = _dec(_kg(t.intensity_wtw))
    toc["co2eIntensityTTW"] = _dec(_kg(t.intensity_ttw))
    toc["transportActivityUnit"] = (
        "TEUkm" if t.unit is TransportIntensityUnit.GCO2E_PER_TEUKM else "tkm"
    )
    return toc


def _hoc(pack: FactorPack, hub_id: str) -> dict[str, Any]:
    h = pack.hubs[hub_id]
    activity_unit = {
        HubIntensityUnit.KGCO2E_PER_T: "tonnes",
        HubIntensityUnit.KGCO2E_PER_TEU: "TEU",
        HubIntensityUnit.KGCO2E_PER_CONTAINER: None,
    }[h.unit]
    temperature = {"ambient": "ambient", "mixed": "mixed"}.get(h.temperature, "refrigerated")
    return {
        "hocId": h.id,
        "description": f"{h.category}; {h.unit.value}; {h.provenance.source} "
        f"({h.provenance.confidence.value}); pack {pack.id}",
        "hubType": _hub_type(h.category),
        "temperatureControl": temperature,
        "energyCarriers": [],
        "co2eIntensityWTW": _dec(h.intensity_wtw),
        "co2eIntensityTTW": _dec(h.intensity_ttw),
        "hubActivityUnit": activity_unit,
    }


def chain_to_ileap(result: ChainEmissions, pack: FactorPack, shipment_id: str) -> dict[str, Any]:
    """A chain footprint in the shape of the iLEAP data model (TCE, TOC, HOC).

    Parameters
    ----------
    result
        The chain's emissions (from :func:`~freighthub.emissions.chain_emissions`).
    pack
        The pack the result was computed with (for the TOC and HOC records).
    shipment_id
        Identifier of the shipment.

    Returns
    -------
    dict
        ``{"schemaReference", "packId", "shipmentFootprint", "tocs", "hocs"}``, JSON-ready.
        See the module docstring for what is uncertain.

    Raises
    ------
    KeyError
        If ``result`` names an intensity that is not in ``pack`` (a programming error:
        pass the pack the result was computed with).

    References
    ----------
    iLEAP Technical Specifications v1.0.0, sine-fdn/ileap-extension (2025-05-27),
    §6.2-6.6; ISO 14083:2023
    §6.3; GLEC Framework v3.0 (2023) p.15, 22.
    """
    tces: list[dict[str, Any]] = []
    previous: str | None = None
    for element in result.elements:
        tces.append(_tce(element, shipment_id, previous))
        previous = element.id
    toc_ids = list(dict.fromkeys(e.intensity_id for e in result.elements if e.kind == "leg"))
    hoc_ids = list(dict.fromkeys(e.intensity_id for e in result.elements if e.kind == "hub"))
    masses = [e.mass_t for e in result.elements if e.mass_t is not None]
    return {
        "schemaReference": ILEAP_SCHEMA_REFERENCE,
        "packId": result.pack_id,
        "shipmentFootprint": {
            "shipmentId": shipment_id,
            "mass": _dec(max(masses) * KG_PER_T) if masses else None,
            "tces": tces,
        },
        "tocs": [_toc(pack, i) for i in toc_ids],
        "hocs": [_hoc(pack, i) for i in hoc_ids],
    }
