"""The iLEAP-shaped export (shape as read from sine-fdn/ileap-extension schemas, 2025)."""

from __future__ import annotations

import re

import pytest

from freighthub.emissions import FactorPack, HubOperation, Leg, chain_emissions
from freighthub.emissions.ileap import chain_to_ileap
from freighthub.emissions.intensity import DistanceType
from freighthub.model.factors import load_factor_pack

DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")  # iLEAP Decimal pattern (gen/schemas/*.json)


@pytest.fixture(scope="module")
def glec() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


def test_shape_units_and_links(glec: FactorPack) -> None:
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
    doc = chain_to_ileap(result, glec, "S-1")
    sf = doc["shipmentFootprint"]
    assert sf["shipmentId"] == "S-1"
    assert sf["mass"] == "230"  # iLEAP mass is in kg
    road, hub, rail = sf["tces"]
    # iLEAP spec example: 700 km x 230 kg -> 161 tkm
    assert rail["transportActivity"] == "161"
    assert rail["distance"] == {"sfd": "700"}
    assert road["distance"] == {"actual": "40"}
    assert hub["hocId"] == "transshipment-ambient" and hub["transportActivity"] == "0"
    assert hub["prevTceIds"] == ["road"] and rail["prevTceIds"] == ["hub"]
    assert hub["co2eTTW"] is None  # not published by GLEC: null, not 0
    for tce in sf["tces"]:
        assert DECIMAL.match(tce["co2eWTW"])
    assert [t["tocId"] for t in doc["tocs"]] == [
        "road-artic-40t-container-diesel-eu",
        "rail-electric-container-eu",
    ]
    assert doc["tocs"][0]["mode"] == "Road"
    assert doc["tocs"][0]["co2eIntensityThroughput"] == "tkm"
    assert doc["tocs"][1]["energyCarriers"][0]["energyCarrier"] == "Electric"
    assert doc["hocs"][0]["hubType"] == "transshipment"
    assert doc["hocs"][0]["co2eIntensityThroughput"] == "tonnes"


def test_sea_teu_km_throughput(glec: FactorPack) -> None:
    result = chain_emissions(
        glec, [Leg("sea", "sea-container-asia-north-europe-dry", 21000.0, teu=10)]
    )
    doc = chain_to_ileap(result, glec, "S-2")
    assert doc["tocs"][0]["co2eIntensityThroughput"] == "TEUkm"
    assert doc["shipmentFootprint"]["mass"] is None  # TEU only, mass unknown
    assert doc["shipmentFootprint"]["tces"][0]["co2eWTW"] == "10479"
