"""The mode-split LP against hand-computed optima, duals checked by perturbation."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import pytest

from freighthub.errors import UnknownIdentifierError
from freighthub.optimize import (
    EmissionCap,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    SolverUnavailableError,
    available_solvers,
    solve_mode_split,
)
from freighthub.optimize.solvers import make_solver
from freighthub.vocabulary import Mode

ROAD, RAIL = Mode.ROAD, Mode.RAIL
Corridor = Callable[..., ModeSplitProblem]

# CBC's default primal/dual tolerance is 1e-7 relative; 1e-6 relative covers it.
REL = 1e-6


def test_corridor_hand_optimum(corridor_problem: ModeSplitProblem) -> None:
    # Rail (2,000 + 10 x 48 = 2,480 CNY/TEU) beats road (3,000 + 10 x 20 = 3,200), so
    # rail is filled to its 600 TEU and road takes the other 400.
    plan = solve_mode_split(corridor_problem)
    assert plan.flow("rail") == pytest.approx(600.0, rel=REL)
    assert plan.flow("road") == pytest.approx(400.0, rel=REL)
    # 400 x 3,200 + 600 x 2,480 = 1,280,000 + 1,488,000
    assert plan.objective_cny == pytest.approx(2_768_000.0, rel=REL)
    assert plan.price_cost_cny == pytest.approx(400 * 3000 + 600 * 2000, rel=REL)
    assert plan.time_cost_cny == pytest.approx(10 * (400 * 20 + 600 * 48), rel=REL)
    # 400 x 0.8 + 600 x 0.3 tCO2e
    assert plan.emissions_tco2e_wtw == pytest.approx(500.0, rel=REL)
    # TEU-km: road 400 x 1000 + 600 x 50 = 430,000; rail 600 x 950 = 570,000
    assert plan.teu_km_by_mode[ROAD] == pytest.approx(430_000.0, rel=REL)
    assert plan.teu_km_share_by_mode[RAIL] == pytest.approx(0.57, rel=REL)
    assert plan.volume_teu_by_mode[RAIL] == pytest.approx(600.0, rel=REL)
    assert plan.route_shares() == {"wh-sh": pytest.approx({"road": 0.4, "rail": 0.6})}
    assert plan.solver.startswith("cbc (PULP_CBC_CMD")


def test_binding_service_in_decision_terms(corridor_problem: ModeSplitProblem) -> None:
    plan = solve_mode_split(corridor_problem)
    usage = plan.usage("rail-wh-sh")
    assert usage.binding and usage.utilisation_share == pytest.approx(1.0)
    # one more TEU of rail saves 3,200 - 2,480 = 720 CNY
    assert usage.dual_cny_per_unit == pytest.approx(720.0, rel=REL)
    (term,) = plan.decisions
    assert term.dual_saving_cny == pytest.approx(72_000.0, rel=REL)  # 720 x 100 TEU
    assert term.saving_cny == pytest.approx(72_000.0, rel=REL)  # re-solved
    assert term.emissions_change_tco2e_wtw == pytest.approx(-50.0, rel=REL)  # 100 x -0.5 t
    weeks = 8760 / 168
    assert term.saving_cny_per_year == pytest.approx(72_000.0 * weeks, rel=REL)
    assert term.text == (
        "one more departure per week on rail Wuhan–Shanghai (+100 TEU) saves "
        f"{72_000 * weeks:,.0f} CNY and {50 * weeks:,.1f} tCO2e WTW a year"
    )


def test_slack_capacity_is_not_binding(make_corridor: Corridor) -> None:
    plan = solve_mode_split(make_corridor(rail_capacity_teu=1500.0))
    assert plan.flow("rail") == pytest.approx(1000.0, rel=REL)
    assert not plan.usage("rail-wh-sh").binding
    assert plan.usage("rail-wh-sh").dual_cny_per_unit == pytest.approx(0.0, abs=1e-6)
    assert plan.decisions == ()


def test_carbon_price_switches_mode(make_corridor: Corridor) -> None:
    # Without a capacity limit: generalised costs road 3,200, rail 2,480 - rail wins at
    # any carbon price. Make road cheaper: road price 2,000 -> 2,200 CNY/TEU vs 2,480.
    # Break-even carbon price: (2,480 - 2,200) / (0.8 - 0.3 t) = 560 CNY/tCO2e.
    base = make_corridor(rail_capacity_teu=5000.0)
    road = dataclasses.replace(base.routes[0], price_cny_per_teu=2000.0)
    problem = dataclasses.replace(base, routes=(road, base.routes[1]))
    low = solve_mode_split(problem, carbon_price_cny_per_tco2e=550.0)
    high = solve_mode_split(problem, carbon_price_cny_per_tco2e=570.0)
    assert low.flow("road") == pytest.approx(1000.0, rel=REL)
    assert high.flow("rail") == pytest.approx(1000.0, rel=REL)
    assert high.carbon_cost_cny == pytest.approx(570.0 * 300.0, rel=REL)  # 1000 x 0.3 t
    assert high.carbon_price_cny_per_tco2e == 570.0


def _two_od_shared_service(capacity_teu: float) -> ModeSplitProblem:
    # OD1: road 100 vs rail 60 CNY/TEU (rail saves 40); OD2: road 200 vs rail 120 (saves 80).
    # Shared service of 150 TEU: OD2 takes 100 (higher saving), OD1 the other 50.
    # Non-degenerate: OD1 is split strictly inside (0, 100), so the dual is 40 CNY/TEU.
    uses = (ResourceUse("svc"),)
    return ModeSplitProblem(
        demands=(OdDemand("od1", 100.0), OdDemand("od2", 100.0)),
        routes=(
            RouteOption("od1-road", "od1", ROAD, 100.0, 0.0, 10.0, {ROAD: 100.0}),
            RouteOption("od1-rail", "od1", RAIL, 60.0, 0.0, 5.0, {RAIL: 100.0}, uses),
            RouteOption("od2-road", "od2", ROAD, 200.0, 0.0, 20.0, {ROAD: 200.0}),
            RouteOption("od2-rail", "od2", RAIL, 120.0, 0.0, 8.0, {RAIL: 200.0}, uses),
        ),
        resources=(Resource("svc", ResourceKind.SERVICE, capacity_teu, "TEU", "shared train"),),
    )


def test_dual_equals_objective_change_of_one_unit_of_capacity() -> None:
    plan = solve_mode_split(_two_od_shared_service(150.0))
    dual = plan.usage("svc").dual_cny_per_unit
    assert dual == pytest.approx(40.0, rel=REL)
    up = solve_mode_split(_two_od_shared_service(151.0))
    down = solve_mode_split(_two_od_shared_service(149.0))
    assert plan.objective_cny - up.objective_cny == pytest.approx(dual, rel=REL)
    assert down.objective_cny - plan.objective_cny == pytest.approx(dual, rel=REL)
    # hand: 50 x 100 + 50 x 60 + 100 x 120 = 20,000
    assert plan.objective_cny == pytest.approx(20_000.0, rel=REL)


def test_hub_handling_and_yard_limits(make_corridor: Corridor) -> None:
    # Rail needs two handling moves per TEU at the hub (unload + load) and keeps the box
    # 84 h in the yard: 84 / 168 = 0.5 TEU of yard per TEU/week. Handling 1,000 moves a
    # week allows 500 TEU; the yard of 200 TEU allows 400 TEU: the yard binds.
    base = make_corridor(rail_capacity_teu=5000.0)
    rail = dataclasses.replace(
        base.routes[1],
        uses=(*base.routes[1].uses, ResourceUse("hub-moves", 2.0), ResourceUse("hub-yard", 0.5)),
    )
    problem = dataclasses.replace(
        base,
        routes=(base.routes[0], rail),
        resources=(
            *base.resources,
            Resource(
                "hub-moves", ResourceKind.HANDLING, 1000.0, "moves", "hub cranes", 300.0, "server"
            ),
            Resource("hub-yard", ResourceKind.YARD, 200.0, "TEU", "hub yard"),
        ),
    )
    plan = solve_mode_split(problem)
    assert plan.flow("rail") == pytest.approx(400.0, rel=REL)
    assert plan.usage("hub-yard").binding
    assert not plan.usage("hub-moves").binding
    assert plan.usage("hub-moves").used == pytest.approx(800.0, rel=REL)
    # one more TEU of yard lets 2 TEU more onto rail: 2 x 720 CNY
    assert plan.usage("hub-yard").dual_cny_per_unit == pytest.approx(1440.0, rel=REL)
    assert plan.decisions[0].text.startswith("1 TEU more capacity per week on hub yard saves")


def test_modal_share_target_binds(make_corridor: Corridor) -> None:
    # Road share of TEU-km <= 40 %: with x TEU on rail, road TEU-km = 1000 (1000 - x) + 50 x
    # and all TEU-km = 1,000,000, so x >= 600,000 / 950 = 631.58 TEU; rail may carry 1,000.
    problem = make_corridor(
        rail_capacity_teu=1000.0,
        targets=(ModeShareTarget("road-max", (ROAD,), max_share=0.4),),
    )
    # make road the cheaper route so that the target, not cost, pulls TEU to rail
    road = dataclasses.replace(problem.routes[0], price_cny_per_teu=1000.0)
    problem = dataclasses.replace(problem, routes=(road, problem.routes[1]))
    plan = solve_mode_split(problem)
    assert plan.flow("rail") == pytest.approx(600_000 / 950, rel=REL)
    (target,) = plan.targets
    assert target.binding and target.achieved == pytest.approx(0.4, rel=REL)
    assert target.description == "road share of TEU-km <= 40.0%"
    # one share point = 10,000 TEU-km = 10,000 / 950 TEU moved from rail back to road,
    # each saving 2,480 - 1,200 = 1,280 CNY
    assert target.dual_cny_per_unit == pytest.approx(10_000 / 950 * 1280, rel=REL)


def test_emission_cap_binds(make_corridor: Corridor) -> None:
    # Cap 400 t a week: 0.8 (1000 - x) + 0.3 x <= 400 -> x >= 800 TEU on rail.
    problem = make_corridor(rail_capacity_teu=1000.0, emission_caps=(EmissionCap("cap", 400.0),))
    road = dataclasses.replace(problem.routes[0], price_cny_per_teu=1000.0)
    plan = solve_mode_split(dataclasses.replace(problem, routes=(road, problem.routes[1])))
    assert plan.flow("rail") == pytest.approx(800.0, rel=REL)
    assert plan.emissions_tco2e_wtw == pytest.approx(400.0, rel=REL)
    (cap,) = plan.targets
    # one more tCO2e lets 2 TEU back to road: 2 x 1,280 CNY
    assert cap.binding and cap.dual_cny_per_unit == pytest.approx(2560.0, rel=REL)


def test_zero_demand_od_has_zero_shares(make_corridor: Corridor) -> None:
    problem = make_corridor(demands=(OdDemand("wh-sh", 0.0),))
    plan = solve_mode_split(problem)
    assert all(f.volume_teu == 0.0 and f.od_share == 0.0 for f in plan.flows)
    assert math.isclose(plan.objective_cny, 0.0, abs_tol=1e-9)


def test_unknown_solver(corridor_problem: ModeSplitProblem) -> None:
    with pytest.raises(UnknownIdentifierError, match="unknown solver 'gurobi'; valid: cbc, highs"):
        solve_mode_split(corridor_problem, solver="gurobi")


@pytest.mark.skipif("highs" in available_solvers(), reason="HiGHS is installed here")
def test_highs_missing_is_explained(corridor_problem: ModeSplitProblem) -> None:
    with pytest.raises(
        SolverUnavailableError, match=r"solver 'highs' is not installed.*installed: cbc"
    ):
        solve_mode_split(corridor_problem, solver="highs")


@pytest.mark.skipif("highs" not in available_solvers(), reason="HiGHS is not installed")
def test_highs_agrees_with_cbc(corridor_problem: ModeSplitProblem) -> None:
    cbc = solve_mode_split(corridor_problem, solver="cbc")
    highs = solve_mode_split(corridor_problem, solver="highs")
    assert highs.objective_cny == pytest.approx(cbc.objective_cny, rel=REL)
    assert highs.solver.startswith("highs")


def test_make_solver_reports_cbc() -> None:
    choice = make_solver("cbc")
    assert choice.gives_duals and choice.name == "cbc"
    assert "cbc" in available_solvers()


def test_decisions_without_duals(corridor_problem: ModeSplitProblem) -> None:
    # HiGHS_CMD returns no duals: the decision terms then come from the re-solve alone.
    from freighthub.optimize._model import build_model, solve
    from freighthub.optimize.lp import extract_plan

    choice = make_solver("cbc", mip=False)
    model = build_model(corridor_problem, 0.0)
    _, seconds = solve(model, choice.solver)
    plan = extract_plan(model, 0.0, choice, seconds, duals=False, max_decisions=5)
    assert not plan.duals_available
    assert plan.usage("rail-wh-sh").dual_cny_per_unit is None
    (term,) = plan.decisions
    assert term.dual_saving_cny is None
    assert term.saving_cny == pytest.approx(72_000.0, rel=REL)  # 100 TEU x 720 CNY
