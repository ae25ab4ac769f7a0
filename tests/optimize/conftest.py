"""Small hand-computable mode-split problems shared by the optimize tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from freighthub.optimize import (
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
)
from freighthub.vocabulary import Mode

ROAD, RAIL = Mode.ROAD, Mode.RAIL


def corridor(rail_capacity_teu: float = 600.0, **changes: object) -> ModeSplitProblem:
    """One OD, 1,000 TEU a week; road or rail (rail capped at 6 departures x 100 TEU).

    Test numbers, not data: road 3,000 CNY/TEU, 20 h, 800 kgCO2e/TEU, 1,000 km of
    road; rail 2,000 CNY/TEU, 48 h, 300 kgCO2e/TEU, 50 km road + 950 km rail.
    Value of time 10 CNY/TEU-h, so generalised costs are 3,200 and 2,480 CNY/TEU.
    """
    base: dict[str, object] = {
        "demands": (OdDemand("wh-sh", 1000.0),),
        "routes": (
            RouteOption("road", "wh-sh", ROAD, 3000.0, 20.0, 800.0, {ROAD: 1000.0}),
            RouteOption(
                "rail",
                "wh-sh",
                RAIL,
                2000.0,
                48.0,
                300.0,
                {ROAD: 50.0, RAIL: 950.0},
                (ResourceUse("rail-wh-sh"),),
            ),
        ),
        "resources": (
            Resource(
                "rail-wh-sh",
                ResourceKind.SERVICE,
                rail_capacity_teu,
                "TEU",
                "rail Wuhan–Shanghai",
                100.0,
                "departure",
            ),
        ),
        "value_of_time_cny_per_teu_h": 10.0,
        "name": "corridor",
    }
    base.update(changes)
    return ModeSplitProblem(**base)  # type: ignore[arg-type]


@pytest.fixture
def corridor_problem() -> ModeSplitProblem:
    return corridor()


@pytest.fixture
def make_corridor() -> Callable[..., ModeSplitProblem]:
    """The :func:`corridor` factory, for tests that change it."""
    return corridor
