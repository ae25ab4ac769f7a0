"""Problem validation: every error path names the item, field and rule."""

from __future__ import annotations

import math

import pytest

from freighthub.optimize import (
    EmissionCap,
    InvalidProblemError,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    solve_mode_split,
)
from freighthub.optimize.problem import period_name
from freighthub.vocabulary import Mode

ROAD = Mode.ROAD


def _route(route_id: str = "r", od: str = "od", uses: tuple[ResourceUse, ...] = ()) -> RouteOption:
    return RouteOption(route_id, od, ROAD, 10.0, 1.0, 1.0, {ROAD: 10.0}, uses)


def test_valid_problem_basics() -> None:
    p = ModeSplitProblem((OdDemand("od", 5.0),), (_route(),), value_of_time_cny_per_teu_h=2.0)
    assert p.generalised_cost_cny_per_teu(p.routes[0]) == 12.0  # 10 + 2 x 1 h
    assert p.periods_per_year == pytest.approx(8760 / 168)
    assert p.total_demand_teu == 5.0
    assert period_name(168) == "week" and period_name(24) == "day" and period_name(12) == "12 h"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ModeSplitProblem((OdDemand("od", 1.0),), (_route(od="x"),)),
            r"route 'r': od = 'x': not an OD of the problem; valid: od",
        ),
        (
            lambda: ModeSplitProblem((OdDemand("od", 1.0),), (_route(uses=(ResourceUse("cap"),)),)),
            r"route 'r': resource = 'cap': unknown resource; valid: \(none\)",
        ),
        (
            lambda: ModeSplitProblem((OdDemand("od", 1.0), OdDemand("o2", 3.0)), (_route(),)),
            r"od 'o2': volume_teu = 3: has no route option",
        ),
        (
            lambda: ModeSplitProblem((OdDemand("od", 1.0),), (_route(), _route())),
            r"route id 'r' is given twice",
        ),
        (lambda: ModeSplitProblem((), ()), r"problem: demands must not be empty"),
        (
            lambda: ModeSplitProblem((OdDemand("od", 1.0),), (_route(),), period_h=0.0),
            r"problem: period_h = 0\.0: must be > 0",
        ),
        (
            lambda: ModeSplitProblem(
                (OdDemand("od", 1.0),),
                (_route(),),
                resources=(Resource("od", ResourceKind.LINK, 1.0, "TEU", "x"),),
                targets=(ModeShareTarget("od", (ROAD,), 0.5),),
            ),
            r"constraint id 'od' is given twice",
        ),
        (
            lambda: OdDemand("od", -1.0),
            r"od 'od': volume_teu = -1\.0: must be a finite number >= 0",
        ),
        (lambda: OdDemand("od", math.nan), r"od 'od': volume_teu = nan"),
        (
            lambda: Resource("", ResourceKind.LINK, 1.0, "TEU", "x"),
            "resource: id must not be empty",
        ),
        (
            lambda: Resource("a", ResourceKind.LINK, -1.0, "TEU", "x"),
            r"resource 'a': capacity = -1\.0",
        ),
        (
            lambda: Resource("a", ResourceKind.SERVICE, 1.0, "TEU", "x", 0.0),
            r"resource 'a': increment = 0\.0: must be > 0",
        ),
        (
            lambda: Resource("a", ResourceKind.SERVICE, 1.0, "TEU", "x", step_cost_cny=-2.0),
            r"resource 'a': step_cost_cny = -2\.0",
        ),
        (lambda: ResourceUse("a", -0.5), r"use of resource 'a': per_teu = -0\.5"),
        (
            lambda: RouteOption("r", "od", ROAD, -1.0, 1.0, 1.0, {}),
            r"route 'r': price_cny_per_teu = -1\.0",
        ),
        (
            lambda: RouteOption("r", "od", ROAD, 1.0, 1.0, 1.0, {ROAD: math.inf}),
            r"route 'r': distance_km_by_mode\[road\] = inf",
        ),
        (lambda: ModeShareTarget("t", ()), "target 't': modes must not be empty"),
        (lambda: ModeShareTarget("t", (ROAD,)), "target 't': give max_share, min_share or both"),
        (
            lambda: ModeShareTarget("t", (ROAD,), max_share=1.5),
            r"target 't': max_share = 1\.5: must be in \[0, 1\]",
        ),
        (
            lambda: ModeShareTarget("t", (ROAD,), max_share=0.2, min_share=0.3),
            r"target 't': min_share = 0\.3: must be <= max_share = 0\.2",
        ),
        (lambda: EmissionCap("c", -3.0), r"emission cap 'c': max_tco2e_wtw = -3\.0"),
    ],
)
def test_invalid_input(build: object, message: str) -> None:
    with pytest.raises(InvalidProblemError, match=message):
        build()  # type: ignore[operator]


@pytest.mark.parametrize("price", [-1.0, math.nan, math.inf])
def test_bad_carbon_price(price: float) -> None:
    p = ModeSplitProblem((OdDemand("od", 5.0),), (_route(),))
    with pytest.raises(
        InvalidProblemError, match=r"carbon_price_cny_per_tco2e = .*: must be a finite number >= 0"
    ):
        solve_mode_split(p, carbon_price_cny_per_tco2e=price)


def test_min_share_target_binds() -> None:
    # two routes, rail-heavy one dearer; rail share >= 30 % forces 30 % of TEU-km to rail
    rail = Mode.RAIL
    p = ModeSplitProblem(
        (OdDemand("od", 100.0),),
        (
            RouteOption("road", "od", ROAD, 10.0, 0.0, 0.0, {ROAD: 100.0}),
            RouteOption("rail", "od", rail, 20.0, 0.0, 0.0, {rail: 100.0}),
        ),
        targets=(ModeShareTarget("rail-min", (rail,), min_share=0.3),),
    )
    plan = solve_mode_split(p)
    assert plan.flow("rail") == pytest.approx(30.0, rel=1e-6)
    assert plan.targets[0].description == "rail share of TEU-km >= 30.0%"
    # one point less target = 100 TEU-km = 1 TEU back to road, saving 10 CNY
    assert plan.targets[0].dual_cny_per_unit == pytest.approx(10.0, rel=1e-6)
