"""Export of a chain footprint in the shape of the iLEAP / ISO 14083 data model.

iLEAP (Smart Freight Centre and SINE Foundation, "iLEAP Technical Specifications",
repository ``sine-fdn/ileap-extension``, ``specs/index.bs`` and ``gen/schemas/*.json``
as of 2025-05) models a shipment footprint as transport chain elements (TCE) that point
to a transport operation category (TOC, for legs) or a hub operation category (HOC, for
hub operations). This module builds that shape as plain JSON-ready dicts:

``{"shipmentFootprint": {"shipmentId", "mass", "tces": [...]}, "tocs": [...], "hocs": [...]}``

What follows the schema as read:

- numbers are decimal strings (iLEAP ``Decimal``); ``mass`` is in **kg** (iLEAP's rule
  tkm = km x kg / 1000), ``transportActivity`` in tkm, ``distance`` is one of
  ``{"actual"|"gcd"|"sfd": "<km>"}``; hub TCEs get distance 0 and activity 0 (GLEC3 p.22);
- TCE ``co2eWTW`` / ``co2eTTW``: taken to be kgCO2e;
- TOC/HOC ``co2eIntensityWTW``/``TTW`` with ``co2eIntensityThroughput`` ``tkm``/``TEUkm``
  (TOC) and ``tonnes``/``TEU`` (HOC); TOC intensities in gCO2e per unit, HOC in kgCO2e.

Where the shape is uncertain or freighthub cannot fill it (said here, not hidden):

- The unit of TCE ``co2eWTW`` and of TOC/HOC intensities is inferred from the spec's
  examples and prose, not from a normative unit field: **uncertain**.
- ``co2eTTW`` / ``co2eIntensityTTW`` are ``null`` where the factor pack gives no TTW
  (GLEC prints hub defaults as totals); iLEAP requires them, so such an export does not
  validate against the schema until the TTW is known.
- ``energyCarriers`` is required by iLEAP with the carriers' emission factors; a default
  intensity does not carry them, so only ``energyCarrier`` is given and the factors are
  ``null``.
- A per-container (box) hub intensity has no iLEAP throughput unit; it is exported with
  ``co2eIntensityThroughput = null`` and the unit in ``description``.
- ``isVerified`` and ``isAccredited`` are ``false``: these are default values, not
  verified primary data.

This module is pure: it returns dicts; the CLI writes the file atomically.
"""

from __future__ import annotations

import math
from typing import Any

from freighthub.emissions.chain import ChainEmissions, ElementEmissions
from freighthub.emissions.intensity import (
    DistanceType,
    EmptyRunningConvention,
    FactorPack,
    HubIntensityUnit,
    TransportIntensityUnit,
)
from freighthub.units import KG_PER_T
from freighthub.vocabulary import mode_facts

__all__ = ["ILEAP_SCHEMA_REFERENCE", "chain_to_ileap"]

ILEAP_SCHEMA_REFERENCE = (
    "iLEAP Technical Specifications (SFC / SINE Foundation), sine-fdn/ileap-extension "
    "gen/schemas/{shipment-footprint,toc,hoc}.json as of 2025-05; shape followed as far "
    "as freighthub can fill it, see freighthub.emissions.ileap"
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
_HUB_TYPES = (
    ("storage", "storageAndTransshipment"),
    ("transshipment", "transshipment"),
    ("warehouse", "warehouse"),
    ("liquid bulk", "liquidBulkTerminal"),
    ("maritime container terminal", "maritimeContainerterminal"),
)


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


def _toc(pack: FactorPack, intensity_id: str) -> dict[str, Any]:
    t = pack.transport[intensity_id]
    toc: dict[str, Any] = {
        "tocId": t.id,
        "isVerified": False,
        "isAccredited": False,
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
        {
            "energyCarrier": _carrier(t.energy_carrier),
            "emissionFactorWTW": None,
            "emissionFactorTTW": None,
        }
    ]
    toc["co2eIntensityWTW"] = _dec(t.intensity_wtw)
    toc["co2eIntensityTTW"] = _dec(t.intensity_ttw)
    toc["co2eIntensityThroughput"] = (
        "TEUkm" if t.unit is TransportIntensityUnit.GCO2E_PER_TEUKM else "tkm"
    )
    return toc


def _hoc(pack: FactorPack, hub_id: str) -> dict[str, Any]:
    h = pack.hubs[hub_id]
    throughput = {
        HubIntensityUnit.KGCO2E_PER_T: "tonnes",
        HubIntensityUnit.KGCO2E_PER_TEU: "TEU",
        HubIntensityUnit.KGCO2E_PER_CONTAINER: None,
    }[h.unit]
    temperature = {"ambient": "ambient", "mixed": "mixed"}.get(h.temperature, "refrigerated")
    return {
        "hocId": h.id,
        "description": f"{h.category}; {h.unit.value}; {h.provenance.source} "
        f"({h.provenance.confidence.value}); pack {pack.id}",
        "isVerified": False,
        "isAccredited": False,
        "hubType": _hub_type(h.category),
        "temperatureControl": temperature,
        "energyCarriers": [],
        "co2eIntensityWTW": _dec(h.intensity_wtw),
        "co2eIntensityTTW": _dec(h.intensity_ttw),
        "co2eIntensityThroughput": throughput,
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
    iLEAP Technical Specifications, sine-fdn/ileap-extension (2025); ISO 14083:2023
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
