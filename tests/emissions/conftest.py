"""A small hand-made factor pack for unit tests (numbers are test inputs, not claims)."""

from __future__ import annotations

import pytest

from freighthub.emissions.intensity import (
    DistanceAdjustment,
    FactorPack,
    HubIntensity,
    HubIntensityUnit,
    Provenance,
    TransportIntensity,
    TransportIntensityUnit,
)
from freighthub.vocabulary import Confidence, DistanceType, Mode

_TEST = Provenance(source="unit-test input", confidence=Confidence.ASSUMPTION, note="test")


def _t(
    id_: str,
    mode: Mode,
    wtw: float,
    ttw: float | None,
    basis: tuple[DistanceType, ...] = (DistanceType.SHORTEST_FEASIBLE,),
    unit: TransportIntensityUnit = TransportIntensityUnit.GCO2E_PER_TKM,
) -> TransportIntensity:
    return TransportIntensity(
        id=id_,
        mode=mode,
        vehicle="test",
        region="test",
        energy_carrier="diesel",
        unit=unit,
        intensity_wtw=wtw,
        intensity_ttw=ttw,
        distance_basis=basis,
        provenance=_TEST,
    )


@pytest.fixture()
def tiny_pack() -> FactorPack:
    """Road on actual distance with a DAF 1.1, rail on SFD, a per-TEU-km ship, hubs."""
    transport = {
        t.id: t
        for t in (
            _t("road", Mode.ROAD, 100.0, 80.0, (DistanceType.ACTUAL,)),
            _t("rail", Mode.RAIL, 10.0, 0.0),
            _t("rail-wtw-only", Mode.RAIL, 20.0, None),
            _t(
                "ship",
                Mode.SEA,
                50.0,
                40.0,
                (DistanceType.SHORTEST_FEASIBLE, DistanceType.GREAT_CIRCLE),
                TransportIntensityUnit.GCO2E_PER_TEUKM,
            ),
        )
    }
    hubs = {
        "per-t": HubIntensity(
            "per-t", "transshipment", "ambient", HubIntensityUnit.KGCO2E_PER_T, 0.5, None, _TEST
        ),
        "per-t-split": HubIntensity(
            "per-t-split",
            "transshipment",
            "ambient",
            HubIntensityUnit.KGCO2E_PER_T,
            2.0,
            1.5,
            _TEST,
        ),
        "per-box": HubIntensity(
            "per-box",
            "terminal",
            "ambient",
            HubIntensityUnit.KGCO2E_PER_CONTAINER,
            10.0,
            None,
            _TEST,
        ),
    }
    dafs = (
        DistanceAdjustment(
            Mode.ROAD, DistanceType.SHORTEST_FEASIBLE, DistanceType.ACTUAL, 1.1, _TEST
        ),
    )
    return FactorPack(
        id="tiny",
        title="tiny test pack",
        edition="test",
        licence="test",
        transport=transport,
        hubs=hubs,
        distance_adjustments=dafs,
    )
