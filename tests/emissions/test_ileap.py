"""The iLEAP export against iLEAP Technical Specifications v1.0.0 (2025-05-27), §6.2-6.6.

Worked example, computed by hand (GLEC v3.0 pack):

- road 40 km actual, 230 kg, ``road-artic-40t-container-diesel-eu`` (95 / 73 gCO2e/tkm,
  built on actual distance, so no DAF): activity 40 x 230 / 1000 = 9.2 tkm;
  WTW 9.2 x 0.095 = 0.874 kg, TTW 9.2 x 0.073 = 0.6716 kg;
- transshipment hub, 0.23 t x 0.6 kgCO2e/t = 0.138 kg (TTW not published: null);
- rail 700 km SFD, 230 kg, ``rail-electric-container-eu`` (6.4 / 0 g/tkm, SFD basis):
  activity 161 tkm (the spec's own example); WTW 161 x 0.0064 = 1.0304 kg, TTW 0.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from freighthub.emissions import FactorPack, HubOperation, Leg, chain_emissions
from freighthub.emissions.ileap import chain_to_ileap
from freighthub.model.factors import load_factor_pack
from freighthub.vocabulary import DistanceType

DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")  # iLEAP v1.0.0 §6.6.5 Decimal
# iLEAP v1.0.0 §6.3.1 / §6.4.1: mandatory properties, and properties removed or renamed
TOC_REQUIRED = {
    "tocId",
    "mode",
    "energyCarriers",
    "co2eIntensityWTW",
    "co2eIntensityTTW",
    "transportActivityUnit",
}
HOC_REQUIRED = {
    "hocId",
    "hubType",
    "energyCarriers",
    "co2eIntensityWTW",
    "co2eIntensityTTW",
    "hubActivityUnit",
}
NOT_IN_V1 = {"co2eIntensityThroughput", "isVerified", "isAccredited"}
HUB_TYPES = {
    "Transshipment",
    "StorageAndTransshipment",
    "Warehouse",
    "LiquidBulkTerminal",
    "MaritimeContainerTerminal",
}


@pytest.fixture(scope="module")
def glec() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


@pytest.fixture(scope="module")
def doc(glec: FactorPack) -> dict[str, Any]:
    result = chain_emissions(
        glec,
        [
            Leg(
                "road", "road-artic-40t-container-diesel-eu", 40.0, DistanceType.ACTUAL, mass_t=0.23
            ),
            HubOperation("hub", "transshipment-ambient", mass_t=0.23),
            Leg("rail", "rail-electric-container-eu", 700.0, mass_t=0.23),
        ],
    )
    return chain_to_ileap(result, glec, "S-1")


def test_worked_example_tces_in_kg_and_tkm(doc: dict[str, Any]) -> None:
    sf = doc["shipmentFootprint"]
    assert sf["shipmentId"] == "S-1"
    assert sf["mass"] == "230"  # kg
    road, hub, rail = sf["tces"]
    assert road["distance"] == {"actual": "40"} and road["transportActivity"] == "9.2"
    assert float(road["co2eWTW"]) == pytest.approx(9.2 * 0.095)  # 0.874 kg
    assert float(road["co2eTTW"]) == pytest.approx(9.2 * 0.073)  # 0.6716 kg
    assert hub["hocId"] == "transshipment-ambient" and hub["transportActivity"] == "0"
    assert float(hub["co2eWTW"]) == pytest.approx(0.138)
    assert hub["co2eTTW"] is None  # not published by GLEC: null, not 0
    assert rail["distance"] == {"sfd": "700"} and rail["transportActivity"] == "161"
    assert float(rail["co2eWTW"]) == pytest.approx(1.0304)
    assert rail["co2eTTW"] == "0"
    assert hub["prevTceIds"] == ["road"] and rail["prevTceIds"] == ["hub"]
    for tce in sf["tces"]:
        assert DECIMAL.match(tce["co2eWTW"])


def test_toc_intensity_is_kg_per_activity_unit(doc: dict[str, Any]) -> None:
    road, rail = doc["tocs"]
    assert road["tocId"] == "road-artic-40t-container-diesel-eu"
    # 95 gCO2e/tkm = 0.095 kgCO2e/tkm (v1.0.0 §6.3.1: kgCO2e per transportActivityUnit)
    assert road["co2eIntensityWTW"] == "0.095" and road["co2eIntensityTTW"] == "0.073"
    assert road["transportActivityUnit"] == "tkm" and road["mode"] == "Road"
    assert rail["co2eIntensityWTW"] == "0.0064" and rail["co2eIntensityTTW"] == "0"
    # the TOC intensity times the TCE activity gives the TCE emissions
    road_tce = doc["shipmentFootprint"]["tces"][0]
    assert float(road["co2eIntensityWTW"]) * float(road_tce["transportActivity"]) == (
        pytest.approx(float(road_tce["co2eWTW"]))
    )


def test_field_names_are_v1(doc: dict[str, Any]) -> None:
    for toc in doc["tocs"]:
        assert toc.keys() >= TOC_REQUIRED
        assert not NOT_IN_V1 & toc.keys()
        assert sum(float(c["relativeShare"]) for c in toc["energyCarriers"]) == 1
    for hoc in doc["hocs"]:
        assert hoc.keys() >= HOC_REQUIRED
        assert not NOT_IN_V1 & hoc.keys()
        assert hoc["hubType"] in HUB_TYPES
    assert doc["hocs"][0]["hubType"] == "Transshipment"
    assert doc["hocs"][0]["hubActivityUnit"] == "tonnes"
    assert doc["hocs"][0]["co2eIntensityWTW"] == "0.6"  # already kgCO2e per tonne


def test_known_emission_factor_is_filled(doc: dict[str, Any]) -> None:
    # road diesel: 0.023 kg fuel per tkm x 4.13 kgCO2e/kg WTW (GLEC3 Table 8, Module 1)
    carrier = doc["tocs"][0]["energyCarriers"][0]
    assert carrier == {
        "energyCarrier": "Diesel",
        "relativeShare": "1",
        "energyConsumption": "0.023",
        "energyConsumptionUnit": "kg",
        "emissionFactorWTW": "4.13",
        "emissionFactorTTW": "3.17",
    }
    assert float(carrier["energyConsumption"]) * float(carrier["emissionFactorWTW"]) == (
        pytest.approx(float(doc["tocs"][0]["co2eIntensityWTW"]), rel=1e-3)
    )
    # the EU electric default names no grid factor: left null, said in the module docstring
    rail_carrier = doc["tocs"][1]["energyCarriers"][0]
    assert rail_carrier["energyCarrier"] == "Electric"
    assert rail_carrier["emissionFactorWTW"] is None


def test_sea_teu_km_unit(glec: FactorPack) -> None:
    result = chain_emissions(
        glec, [Leg("sea", "sea-container-asia-north-europe-dry", 21000.0, teu=10)]
    )
    doc = chain_to_ileap(result, glec, "S-2")
    assert doc["tocs"][0]["transportActivityUnit"] == "TEUkm"
    assert doc["tocs"][0]["co2eIntensityWTW"] == "0.0499"  # 49.9 g/TEU-km
    assert doc["shipmentFootprint"]["mass"] is None  # TEU only, mass unknown
    # GLEC3 worked example p.118: 10 TEU x 21,000 km x 49.9 g = 10,479 kg
    assert doc["shipmentFootprint"]["tces"][0]["co2eWTW"] == "10479"


def test_relabelled_terminal_is_refrigerated(glec: FactorPack) -> None:
    result = chain_emissions(
        glec,
        [HubOperation("t", "maritime-container-terminal-temperature-controlled", boxes=1)],
    )
    hoc = chain_to_ileap(result, glec, "S-3")["hocs"][0]
    assert hoc["temperatureControl"] == "refrigerated"
    assert hoc["hubType"] == "MaritimeContainerTerminal"
    assert hoc["hubActivityUnit"] is None  # per box: no iLEAP unit
