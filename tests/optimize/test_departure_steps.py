"""Departure steps: whole departures per period that pay their cost, fixed cost and fleet.

One concept for ``--optimise-departures`` (every costed service) and for a selection
candidate's ``integer_departures``. The MILP is checked against closed forms and
against brute-force enumeration of every departure count: for each count, the
fixed-timetable LP with that many departures' capacity plus the operator's cost of
those departures (``Resource.running_cost_cny``).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import InfeasibleError
from freighthub.model.operator_cost import fleet_vehicles
from freighthub.model.scenario import load_scenario_with_pack
from freighthub.optimize import (
    InvalidProblemError,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    solve_mode_split,
)
from freighthub.optimize.run import optimize_scenario
from freighthub.sim.compiler import compile_network
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR
from freighthub.vocabulary import Mode

DATA = Path(__file__).parent / "data"
REL = 1e-6  # CBC's tolerance (see test_lp.py)
WEEKS_PER_YEAR = HOURS_PER_YEAR / HOURS_PER_WEEK


def brute_force(
    problem: ModeSplitProblem, carbon_price: float = 0.0
) -> tuple[float, dict[str, int]]:
    """Cheapest total over every departure count of the costed services, and its counts."""
    stepped = [r for r in problem.resources if r.has_running_cost and r.increment is not None]
    best, best_counts = math.inf, {}
    for counts in itertools.product(*(range(r.steps_offered + 1) for r in stepped)):
        n = {r.id: c for r, c in zip(stepped, counts, strict=True)}
        dead = {rid for rid, c in n.items() if c == 0}
        routes = tuple(rt for rt in problem.routes if not {u.resource for u in rt.uses} & dead)
        resources = tuple(
            dataclasses.replace(r, capacity=min(r.capacity, r.step * n[r.id])) if r.id in n else r
            for r in problem.resources
            if r.id not in dead
        )
        try:
            sub = dataclasses.replace(
                problem, routes=routes, resources=resources, departures_optimised=False
            )
            lp = solve_mode_split(sub, carbon_price, "cbc", max_decisions=0)
        except (InfeasibleError, InvalidProblemError):
            continue
        total = lp.objective_cny + sum(
            r.running_cost_cny(n[r.id], problem.period_h) for r in stepped
        )
        if total < best - 1e-9 * max(1.0, abs(total)):
            best, best_counts = total, n
    return best, best_counts


def _one_service(
    demand_teu: float,
    departures: int,
    per_departure_cny: float,
    *,
    fixed_cny: float = 0.0,
    vehicle_cny: float = 0.0,
    cycle_h: float | None = None,
    optimised: bool = True,
) -> ModeSplitProblem:
    """One OD, road at 1,000 CNY/TEU, rail at 500 CNY/TEU on 100-TEU departures (per week)."""
    return ModeSplitProblem(
        demands=(OdDemand("a-b", demand_teu),),
        routes=(
            RouteOption("road", "a-b", Mode.ROAD, 1000.0, 0.0, 100.0, {Mode.ROAD: 500.0}),
            RouteOption(
                "rail", "a-b", Mode.RAIL, 500.0, 0.0, 40.0, {Mode.RAIL: 500.0}, (ResourceUse("t"),)
            ),
        ),
        resources=(
            Resource(
                "t",
                ResourceKind.SERVICE,
                100.0 * departures,
                "TEU",
                "rail a → b",
                100.0,
                "departure",
                step_cost_cny=per_departure_cny,
                fixed_cost_cny_per_period=fixed_cny,
                vehicle_cost_cny_per_period=vehicle_cny,
                cycle_h=cycle_h,
            ),
        ),
        departures_optimised=optimised,
    )


def test_fleet_is_the_rotation_rule() -> None:
    # operator_cost.fleet_vehicles' example: 60 h each way, 12 h turnarounds (cycle
    # 144 h), 3 departures a week (headway 56 h): 3 barges; 0 departures need none.
    res = _one_service(100.0, 7, 1.0, cycle_h=144.0).resources[0]
    assert res.fleet(3, HOURS_PER_WEEK) == fleet_vehicles(60.0, 12.0, 56.0) == 3
    assert [res.fleet(n, HOURS_PER_WEEK) for n in range(8)] == [
        0 if n == 0 else math.ceil(144.0 * n / 168.0 - 1e-9) for n in range(8)
    ]
    assert res.running_cost_cny(0, HOURS_PER_WEEK) == 0.0


def test_fixed_cost_is_paid_once_a_service_runs() -> None:
    # 150 TEU, 20,000 CNY a departure: without a fixed cost rail (2 departures,
    # 75,000 + 40,000 = 115,000) beats road (150,000); a fixed cost of 40,000 a week
    # makes rail 155,000: no train runs.
    assert solve_mode_split(_one_service(150.0, 10, 20_000.0)).departures_by_resource["t"] == 2
    plan = solve_mode_split(_one_service(150.0, 10, 20_000.0, fixed_cny=40_000.0))
    assert plan.departures_by_resource["t"] == 0
    assert plan.objective_cny == pytest.approx(150_000.0, rel=REL)
    # At 30,000 a week it pays: 115,000 + 30,000 = 145,000, and is in the operator cost.
    paid = solve_mode_split(_one_service(150.0, 10, 20_000.0, fixed_cny=30_000.0))
    assert paid.departures_by_resource["t"] == 2
    assert paid.operator_cost_cny == pytest.approx(70_000.0, rel=REL)
    assert paid.objective_cny == pytest.approx(145_000.0, rel=REL)


def test_one_more_departure_is_net_of_the_vehicle_it_adds() -> None:
    # 300 TEU, one 100-TEU departure a week, 40,000 CNY a departure, a 100-h cycle:
    # one departure needs 1 vehicle, two (headway 84 h) need 2. One more departure
    # moves 100 TEU from road to rail, saving 50,000 a week, and costs 40,000 plus a
    # vehicle. At 5,000 a vehicle: net 5,000 a week, the same in the fixed timetable
    # (charged after the re-solve) and with optimised departures (paid in the re-solve).
    for optimised in (False, True):
        plan = solve_mode_split(
            _one_service(
                300.0, 1, 40_000.0, vehicle_cny=5_000.0, cycle_h=100.0, optimised=optimised
            )
        )
        (d,) = plan.decisions
        assert d.net_saving_cny_per_year == pytest.approx(5_000.0 * WEEKS_PER_YEAR, rel=REL)
        assert d.recommended
    optimised_plan = solve_mode_split(
        _one_service(300.0, 1, 40_000.0, vehicle_cny=5_000.0, cycle_h=100.0)
    )
    assert optimised_plan.fleet_by_resource == {"t": 1}
    # At 15,000 a vehicle the second departure loses 5,000 a week: not recommended
    # (without the fleet it would net +10,000).
    (d,) = solve_mode_split(
        _one_service(300.0, 1, 40_000.0, vehicle_cny=15_000.0, cycle_h=100.0, optimised=False)
    ).decisions
    assert d.net_saving_cny_per_year == pytest.approx(-5_000.0 * WEEKS_PER_YEAR, rel=REL)
    assert not d.recommended and "not recommended" in d.text


def _random_problem(seed: int) -> ModeSplitProblem:
    """Two ODs, road, rail and barge; rail and barge with random operator costs."""
    rng = np.random.default_rng(seed)
    demands = tuple(OdDemand(f"od{i}", float(rng.integers(40, 160))) for i in range(2))
    services = []
    for sid, step in (("rail", 40.0), ("barge", 100.0)):
        services.append(
            Resource(
                sid,
                ResourceKind.SERVICE,
                step * int(rng.integers(1, 4)),
                "TEU",
                sid,
                step,
                "departure",
                step_cost_cny=float(rng.integers(0, 12_000)),
                fixed_cost_cny_per_period=float(rng.choice([0, rng.integers(0, 20_000)])),
                vehicle_cost_cny_per_period=float(rng.integers(0, 8_000)),
                cycle_h=float(rng.integers(20, 400)) if rng.random() < 0.8 else None,
            )
        )
    routes = []
    for d in demands:
        routes.append(
            RouteOption(
                f"{d.id}-road", d.id, Mode.ROAD, float(rng.integers(600, 1200)), 0.0, 90.0, {}
            )
        )
        for sid in ("rail", "barge"):
            routes.append(
                RouteOption(
                    f"{d.id}-{sid}",
                    d.id,
                    Mode.RAIL if sid == "rail" else Mode.INLAND_WATERWAY,
                    float(rng.integers(100, 700)),
                    float(rng.integers(10, 100)),
                    30.0,
                    {},
                    (ResourceUse(sid),),
                )
            )
    return ModeSplitProblem(
        demands=demands,
        routes=tuple(routes),
        resources=tuple(services),
        value_of_time_cny_per_teu_h=float(rng.integers(0, 5)),
        departures_optimised=True,
    )


@pytest.mark.parametrize("seed", range(12))
def test_milp_equals_brute_force_on_random_problems(seed: int) -> None:
    problem = _random_problem(seed)
    best, counts = brute_force(problem)
    plan = solve_mode_split(problem, max_decisions=0)
    assert plan.objective_cny == pytest.approx(best, rel=1e-7, abs=1e-6)
    # the MILP's choice costs the same as the brute-force optimum (ties aside)
    stepped = {r.id: r for r in problem.resources}
    assert plan.operator_cost_cny == pytest.approx(
        sum(r.running_cost_cny(plan.departures_by_resource[i], 168.0) for i, r in stepped.items()),
        rel=1e-9,
    )
    assert set(plan.departures_by_resource) == set(counts)
    for rid, n in plan.departures_by_resource.items():
        assert 0 <= n <= stepped[rid].steps_offered
        if stepped[rid].cycle_h is not None:
            assert plan.fleet_by_resource[rid] == stepped[rid].fleet(n, 168.0)


def _sourced(value: float) -> str:
    return f'{{ value = {value}, source = "test fixture", confidence = "assumption" }}'


def test_tiny_corridor_departures_equal_brute_force(tmp_path: Path) -> None:
    """The tiny corridor with operator costs (test numbers, not data) on rail and barge:
    ``optimize --optimise-departures`` picks the departures brute force picks, and pays
    for their fleet (the rotation rule on the compiled travel time) and fixed cost."""
    rail = (
        f"operator_cost = {{ dues_cny_per_departure = {_sourced(33000)}, "
        f"fixed_cny_per_year = {_sourced(1000000)}, vehicle_cny_per_year = {_sourced(1500000)}, "
        f"turnaround_h = {_sourced(12)} }}\n"
    )
    barge = (
        f"operator_cost = {{ cny_per_h = {_sourced(200)}, fixed_cny_per_year = {_sourced(800000)}, "
        f"vehicle_cny_per_year = {_sourced(1000000)}, turnaround_h = {_sourced(24)} }}\n"
    )
    text = (DATA / "tiny.toml").read_text(encoding="utf-8")
    for anchor, table in (
        ("cost_cny_per_departure = 5000\n", rail),
        ("cost_cny_per_teu = 900\n", barge),
    ):
        assert anchor in text, f"test setup: {anchor!r} not in tiny.toml"
        text = text.replace(anchor, anchor + table)
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    shutil.copytree(DATA / "hubs", tmp_path / "hubs")
    result = optimize_scenario(
        tmp_path / "tiny.toml",
        value_of_time_cny_per_teu_h=10.0,
        hubs_dir=tmp_path / "hubs",
        departures_optimised=True,
    )
    problem, plan = result.problem, result.plan
    best, counts = brute_force(problem)
    assert plan.objective_cny == pytest.approx(best, rel=1e-7)
    assert dict(plan.departures_by_resource) == counts
    # rail runs fewer than its timetable's 7 departures, so the choice is a real one
    assert 0 < counts["service:rail-ab"] < problem.resource("service:rail-ab").steps_offered
    loaded, _ = load_scenario_with_pack(tmp_path / "tiny.toml", tmp_path / "hubs")
    travel = compile_network(loaded).services.travel_time_h
    per_year = HOURS_PER_WEEK / HOURS_PER_YEAR
    operator = 0.0
    for k, (sid, turnaround, vehicle, fixed) in enumerate(
        (("rail-ab", 12.0, 1.5e6, 1.0e6), ("barge-ab", 24.0, 1.0e6, 0.8e6))
    ):
        rid, n = f"service:{sid}", counts[f"service:{sid}"]
        fleet = fleet_vehicles(float(travel[k]), turnaround, HOURS_PER_WEEK / n) if n else 0
        assert plan.fleet_by_resource[rid] == fleet
        res = problem.resource(rid)
        operator += res.step_cost_cny * n + ((fixed + vehicle * fleet) * per_year if n else 0.0)
    assert plan.operator_cost_cny == pytest.approx(operator, rel=1e-9)
