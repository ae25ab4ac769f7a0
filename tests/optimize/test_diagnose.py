"""Infeasible problems are explained with the right constraint and amount."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from freighthub.errors import InfeasibleError
from freighthub.optimize import (
    EmissionCap,
    ModeShareTarget,
    ModeSplitProblem,
    Resource,
    ResourceKind,
    ResourceUse,
    solve_mode_split,
)
from freighthub.vocabulary import Mode

Corridor = Callable[..., ModeSplitProblem]


def test_road_share_target_needs_more_rail(make_corridor: Corridor) -> None:
    # Road share of TEU-km <= 20 %: road TEU-km 1000 (1000 - x) + 50 x <= 0.2 x 1,000,000
    # -> x >= 800,000 / 950 = 842.105 TEU on rail, but rail offers 600: 242.105 TEU more,
    # i.e. 3 departures of 100 TEU. With today's rail (x = 600) road has
    # (400,000 + 30,000) / 1,000,000 = 43 % of the TEU-km: 23 points above the target.
    problem = make_corridor(targets=(ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.2),))
    with pytest.raises(
        InfeasibleError,
        match=r"road share <= 20% needs 242 TEU a week more capacity on rail Wuhan–Shanghai "
        r"\(3 more departures of 100 TEU\); or with today's capacity: road share of TEU-km "
        r"<= 20\.0% relaxed to 43\.0% \(\+23\.0 points\)",
    ) as info:
        solve_mode_split(problem)
    assert info.value.binding["rail-wh-sh"] == pytest.approx(800_000 / 950 - 600, rel=1e-6)
    assert info.value.binding["road-max"] == pytest.approx(0.23, rel=1e-6)
    assert set(info.value.binding) == {"rail-wh-sh", "road-max"}


def test_emission_cap_needs_more_rail(make_corridor: Corridor) -> None:
    # 0.8 (1000 - x) + 0.3 x <= 300 t -> x >= 1000: 400 TEU more rail (4 departures);
    # with x = 600 the plan emits 0.8 x 400 + 0.3 x 600 = 500 t: cap +200 t.
    problem = make_corridor(emission_caps=(EmissionCap("cap", 300.0),))
    with pytest.raises(InfeasibleError, match=r"4 more departures.*raised by 200\.0 tCO2e") as info:
        solve_mode_split(problem)
    assert info.value.binding == pytest.approx({"rail-wh-sh": 400.0, "cap": 200.0}, rel=1e-6)


def test_demand_beyond_all_capacity(make_corridor: Corridor) -> None:
    # Road limited to 300 TEU and rail to 600: 100 TEU of the 1,000 cannot go. The
    # relative relaxation is smaller on rail (100 / 600) than on road (100 / 300).
    base = make_corridor()
    road = dataclasses.replace(base.routes[0], uses=(ResourceUse("road-link"),))
    problem = dataclasses.replace(
        base,
        routes=(road, base.routes[1]),
        resources=(
            *base.resources,
            Resource("road-link", ResourceKind.LINK, 300.0, "TEU", "G50 expressway"),
        ),
    )
    with pytest.raises(
        InfeasibleError,
        match=r"'corridor': the demand needs 100 TEU a week more capacity on rail "
        r"Wuhan–Shanghai \(1 more departure of 100 TEU\)$",
    ) as info:
        solve_mode_split(problem)
    assert info.value.binding == pytest.approx({"rail-wh-sh": 100.0}, rel=1e-6)


def test_target_unreachable_whatever_the_capacity(make_corridor: Corridor) -> None:
    # Rail routes still run 50 km by road, so road can never drop below 5 % of TEU-km:
    # only relaxing the target helps (to 5 %, with 1,000 TEU on rail once capacity allows;
    # with today's 600 TEU it is 43 %).
    problem = make_corridor(
        targets=(ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.01),),
    )
    with pytest.raises(
        InfeasibleError,
        match=r"no added capacity reaches road share <= 1%; with today's capacity: .*relaxed to 43\.0%",
    ) as info:
        solve_mode_split(problem)
    assert "rail-wh-sh" not in info.value.binding
    assert info.value.binding["road-max"] == pytest.approx(0.42, rel=1e-6)


def test_departures_proposed_for_a_target_carry_their_cost(make_corridor: Corridor) -> None:
    # As test_road_share_target_needs_more_rail, with 50,000 CNY a departure: the 3
    # departures a week the target needs cost 3 x 50,000 x 52.14 weeks a year.
    rail = Resource(
        "rail-wh-sh", ResourceKind.SERVICE, 600.0, "TEU", "rail Wuhan–Shanghai", 100.0,
        "departure", step_cost_cny=50_000.0,
    )  # fmt: skip
    problem = make_corridor(
        resources=(rail,),
        targets=(ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.2),),
    )
    yearly = 3 * 50_000 * 8760 / 168
    with pytest.raises(
        InfeasibleError,
        match=rf"\(3 more departures of 100 TEU, costing {yearly:,.0f} CNY a year to run\)",
    ):
        solve_mode_split(problem)
