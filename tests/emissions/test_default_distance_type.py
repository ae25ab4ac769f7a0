"""A leg without a distance type takes its mode's ``ModeFacts.default_distance_type``.

The registry row is the one place the default lives: changing it for one mode changes
what the formula and a chain's ``Leg`` assume for that mode, and nothing else.
"""

from __future__ import annotations

import dataclasses

import pytest

from freighthub.emissions import FactorPack, Leg, chain_emissions, leg_emissions_kg
from freighthub.model.factors import load_factor_pack
from freighthub.vocabulary import MODE_FACTS, DistanceType, Mode

#: GLEC v3.0 road intensity on an actual-distance basis; the pack's road DAF converts a
#: shortest-feasible leg distance to it (x 1.05, GLEC3 p.21-22).
ROAD = "road-artic-34t-container-diesel-eu"


@pytest.fixture(scope="module")
def glec() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


def test_the_default_is_the_modes(glec: FactorPack) -> None:
    assert MODE_FACTS[Mode.ROAD].default_distance_type is DistanceType.SHORTEST_FEASIBLE
    default = leg_emissions_kg(glec, ROAD, 10.0, 100.0)
    assert default == leg_emissions_kg(glec, ROAD, 10.0, 100.0, DistanceType.SHORTEST_FEASIBLE)
    actual = leg_emissions_kg(glec, ROAD, 10.0, 100.0, DistanceType.ACTUAL)
    # The shortest-feasible default carries the pack's road DAF; the actual basis does not.
    daf = next(d.factor for d in glec.distance_adjustments if d.mode is Mode.ROAD)
    assert default[0] == pytest.approx(actual[0] * daf)
    assert daf != 1.0


def test_changing_the_row_changes_the_default(
    glec: FactorPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = dataclasses.replace(MODE_FACTS[Mode.ROAD], default_distance_type=DistanceType.ACTUAL)
    monkeypatch.setitem(MODE_FACTS, Mode.ROAD, row)
    actual = leg_emissions_kg(glec, ROAD, 10.0, 100.0, DistanceType.ACTUAL)
    assert leg_emissions_kg(glec, ROAD, 10.0, 100.0) == actual
    chain = chain_emissions(glec, [Leg("a", ROAD, 100.0, mass_t=10.0)])
    (leg,) = chain.elements
    assert leg.distance_type is DistanceType.ACTUAL
    assert leg.distance_adjustment_factor == 1.0
    assert leg.kgco2e_wtw == pytest.approx(actual[0])
