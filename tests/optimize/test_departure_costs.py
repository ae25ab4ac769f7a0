"""Departures cost money: the LP with optimised departures, and "one more departure" net of its cost."""

from __future__ import annotations

import pytest

from freighthub.optimize import (
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    solve_mode_split,
)
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR
from freighthub.vocabulary import Mode

REL = 1e-6  # CBC's tolerance (see test_lp.py)
WEEKS_PER_YEAR = HOURS_PER_YEAR / HOURS_PER_WEEK


def _problem(
    demand_teu: float,
    rail_capacity_teu: float,
    cost_per_departure_cny: float,
    *,
    optimised: bool = False,
) -> ModeSplitProblem:
    """One OD, road at 1,000 CNY/TEU, rail at 500 CNY/TEU on a 100-TEU-a-departure service."""
    return ModeSplitProblem(
        demands=(OdDemand("a-b", demand_teu),),
        routes=(
            RouteOption("road", "a-b", Mode.ROAD, 1000.0, 0.0, 100.0, {Mode.ROAD: 500.0}),
            RouteOption(
                "rail",
                "a-b",
                Mode.RAIL,
                500.0,
                0.0,
                40.0,
                {Mode.RAIL: 500.0},
                (ResourceUse("train"),),
            ),
        ),
        resources=(
            Resource(
                "train",
                ResourceKind.SERVICE,
                rail_capacity_teu,
                "TEU",
                "rail a → b",
                100.0,
                "departure",
                step_cost_cny=cost_per_departure_cny,
            ),
        ),
        departures_optimised=optimised,
    )


def test_departure_cost_changes_the_optimum() -> None:
    # 150 TEU, 10 departures of 100 TEU on offer, 80,000 CNY a departure (800 CNY/TEU
    # when full). Fixed timetable: the departures run anyway, rail (500) beats road
    # (1,000) and takes all 150 TEU. Optimised: a TEU on rail costs 500 + 800 = 1,300
    # > 1,000, so every TEU goes by road and no train runs.
    fixed = solve_mode_split(_problem(150.0, 1000.0, 80_000.0))
    assert fixed.flow("rail") == pytest.approx(150.0, rel=REL)
    assert fixed.operator_cost_cny == pytest.approx(10 * 80_000.0, rel=REL)  # not in objective
    assert fixed.objective_cny == pytest.approx(150 * 500.0, rel=REL)
    optimised = solve_mode_split(_problem(150.0, 1000.0, 80_000.0, optimised=True))
    assert optimised.flow("road") == pytest.approx(150.0, rel=REL)
    assert optimised.flow("rail") == pytest.approx(0.0, abs=1e-6)
    assert optimised.departures_by_resource["train"] == pytest.approx(0.0, abs=1e-9)
    assert optimised.objective_cny == pytest.approx(150 * 1000.0, rel=REL)
    # At 20,000 CNY a departure rail wins again: departures are whole, so 150 TEU need
    # 2 (not 1.5): 150 x 500 + 2 x 20,000 = 115,000 < 150 x 1,000 by road.
    cheap = solve_mode_split(_problem(150.0, 1000.0, 20_000.0, optimised=True))
    assert cheap.flow("rail") == pytest.approx(150.0, rel=REL)
    assert cheap.departures_by_resource["train"] == 2
    assert cheap.operator_cost_cny == pytest.approx(40_000.0, rel=REL)
    assert cheap.objective_cny == pytest.approx(150 * 500.0 + 40_000.0, rel=REL)
    # At 60,000 CNY a departure, one full train (100 x 500 + 60,000 = 110,000 for 100
    # TEU vs 100,000 by road) does not pay; the whole-train MILP puts all on road,
    # where the LP relaxation had rail at 500 + 600 = 1,100 > 1,000 anyway.
    dear = solve_mode_split(_problem(150.0, 1000.0, 60_000.0, optimised=True))
    assert dear.departures_by_resource["train"] == 0
    assert dear.flow("road") == pytest.approx(150.0, rel=REL)
    # At 45,000 CNY: one full train pays (50,000 + 45,000 < 100,000), a second for the
    # last 50 TEU does not (25,000 + 45,000 > 50,000): 1 train, 100 TEU by rail.
    mixed = solve_mode_split(_problem(150.0, 1000.0, 45_000.0, optimised=True))
    assert mixed.departures_by_resource["train"] == 1
    assert mixed.flow("rail") == pytest.approx(100.0, rel=REL)
    assert mixed.objective_cny == pytest.approx(100 * 500.0 + 45_000.0 + 50 * 1000.0, rel=REL)


def test_a_departure_that_costs_more_than_it_saves_is_not_recommended() -> None:
    # Rail full (1 departure, 100 TEU) with 300 TEU demand: one more departure moves 100
    # TEU from road to rail and saves 100 x (1,000 - 500) = 50,000 CNY a week. At 60,000
    # CNY a departure that is a net cost of 10,000 CNY a week.
    plan = solve_mode_split(_problem(300.0, 100.0, 60_000.0))
    (d,) = plan.decisions
    assert d.saving_cny == pytest.approx(50_000.0, rel=REL)
    assert d.net_saving_cny_per_year == pytest.approx(-10_000.0 * WEEKS_PER_YEAR, rel=REL)
    assert not d.recommended
    assert "not recommended" in d.text and "net of the departure's running cost" in d.text
    assert d.text.startswith(
        "one more departure per week on rail a → b (+100 TEU) costs 521,429 CNY"
    )
    # At 40,000 CNY a departure it pays: net saving 10,000 CNY a week.
    (good,) = solve_mode_split(_problem(300.0, 100.0, 40_000.0)).decisions
    assert good.recommended
    assert good.net_saving_cny_per_year == pytest.approx(10_000.0 * WEEKS_PER_YEAR, rel=REL)
    assert "saves 521,429 CNY net" in good.text


def test_optimised_departures_decision_is_net_by_the_resolve() -> None:
    # Optimised: rail at 500 + 400 (40,000 / 100 TEU) = 900 < 1,000 fills the one
    # departure; one more saves 100 x (1,000 - 900) = 10,000 CNY a week, already net.
    plan = solve_mode_split(_problem(300.0, 100.0, 40_000.0, optimised=True))
    (d,) = plan.decisions
    assert d.saving_cny == pytest.approx(10_000.0, rel=REL)
    assert d.net_saving_cny_per_year == pytest.approx(10_000.0 * WEEKS_PER_YEAR, rel=REL)
    assert d.recommended
    # At 60,000 CNY (1,100 CNY/TEU on rail) no train runs: nothing binds, nothing proposed.
    assert solve_mode_split(_problem(300.0, 100.0, 60_000.0, optimised=True)).decisions == ()
