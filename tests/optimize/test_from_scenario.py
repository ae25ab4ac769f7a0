"""The scenario adapter, the plan export and the verification in the simulation.

``tests/optimize/data/tiny.toml`` is a copy of the simulation's test scenario (not
real data): two test hubs, road / rail / barge routes.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from freighthub.atomic import ExistingResultError
from freighthub.emissions import (
    FactorPack,
    hub_category_ids,
    intensity_ids,
    leg_emissions_kg,
    transport_intensity,
)
from freighthub.errors import InfeasibleError
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import LoadedScenario, load_scenario
from freighthub.optimize import (
    InvalidProblemError,
    ModeSplitPlan,
    ModeSplitProblem,
    ResourceKind,
    select_candidates,
    solve_mode_split,
)
from freighthub.optimize.export import scenario_toml, write_plan_scenario
from freighthub.optimize.from_scenario import apply_plan, hub_candidate, problem_from_network
from freighthub.optimize.verify import Verification, verify_plan
from freighthub.sim.compiler import compile_network
from freighthub.vocabulary import Mode

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def pack() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


@pytest.fixture(scope="module")
def loaded(pack: FactorPack) -> LoadedScenario:
    ids = set(intensity_ids(pack)) | set(hub_category_ids(pack))
    return load_scenario(DATA / "tiny.toml", DATA / "hubs", intensity_ids=ids)


@pytest.fixture(scope="module")
def problem(loaded: LoadedScenario, pack: FactorPack) -> ModeSplitProblem:
    return problem_from_network(compile_network(loaded), pack, value_of_time_cny_per_teu_h=10.0)


@pytest.fixture(scope="module")
def plan(problem: ModeSplitProblem) -> ModeSplitPlan:
    return solve_mode_split(problem, carbon_price_cny_per_tco2e=200.0)


@pytest.fixture(scope="module")
def verification(
    loaded: LoadedScenario, plan: ModeSplitPlan, pack: FactorPack, problem: ModeSplitProblem
) -> Verification:
    return verify_plan(loaded, plan, pack, durations_h={r.id: r.duration_h for r in problem.routes})


def _route(problem: ModeSplitProblem, route_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in problem.routes if r.id == route_id)


def test_demand_and_service_capacity_by_hand(problem: ModeSplitProblem) -> None:
    # 20,000 TEU a year x 168 / 8,760 h
    assert problem.demands[0].volume_teu == pytest.approx(20_000 * 168 / 8760)
    # short-train: floor((400 - 20) / 19) = 20 wagons x 2 TEU = 40 TEU; departures at
    # 10 + 24 k h over 2,016 h = 84, of which 1,210 and 1,234 h fall in the closure
    # [1,200, 1,250): 82 x 40 TEU over 12 weeks = 273.33 TEU a week.
    rail = problem.resource("service:rail-ab")
    assert rail.capacity == pytest.approx(82 * 40 * 168 / 2016)
    assert rail.increment == pytest.approx(40.0) and rail.step_cost_cny == 5000.0
    # alpha: 2 RMG x 20 + 1 reach stacker x 10 = 50 moves/h x 168 h
    alpha = problem.resource("handling:alpha")
    assert alpha.kind is ResourceKind.HANDLING
    assert alpha.capacity == pytest.approx(50 * 168)


def test_road_route_by_hand(problem: ModeSplitProblem, pack: FactorPack) -> None:
    road = _route(problem, "west-east/road")
    d_km = road.distance_km_by_mode[Mode.ROAD]
    # 3 CNY/TEU-km + 1 CNY/vehicle-km over 2 TEU per truck; 60 km/h
    assert road.price_cny_per_teu == pytest.approx(3.5 * d_km)
    assert road.duration_h == pytest.approx(d_km / 60)
    # GLEC freight mass per TEU: 80 % loaded x 10 t + 20 % empty x 1.9 t tare = 8.38 t,
    # through the one emissions formula (which adds the pack's road DAF to the
    # shortest-feasible distance)
    road_id = "road-artic-40t-container-diesel-asia"
    wtw_kg, _ = leg_emissions_kg(pack, road_id, 8.38, d_km)
    assert road.emissions_kgco2e_per_teu_wtw == pytest.approx(wtw_kg)
    g_per_tkm = transport_intensity(pack, road_id).intensity_wtw
    assert wtw_kg >= g_per_tkm * 8.38 * d_km / 1000
    assert road.uses == ()


def test_rail_route_uses_service_and_both_hubs(problem: ModeSplitProblem) -> None:
    rail = _route(problem, "west-east/rail")
    uses = {u.resource: u.per_teu for u in rail.uses}
    # one move per box at each end; 60 % 40' boxes -> 1 / 1.6 moves per TEU
    assert uses == pytest.approx(
        {"service:rail-ab": 1.0, "handling:alpha": 0.625, "handling:beta": 0.625}
    )
    assert rail.main_mode is Mode.RAIL
    assert set(rail.distance_km_by_mode) == {Mode.ROAD, Mode.RAIL}


def test_plan_fills_the_cheap_rail(plan: ModeSplitPlan) -> None:
    assert plan.usage("service:rail-ab").binding
    assert plan.decisions[0].resource == "service:rail-ab"
    d = plan.decisions[0]
    assert "net of the departure's running cost" in d.text
    assert d.net_saving_cny_per_year == pytest.approx(
        d.saving_cny_per_year - d.step_cost_cny * 52.142857142857146
    )
    assert d.recommended
    assert sum(plan.route_shares()["west-east"].values()) == pytest.approx(1.0)


def test_apply_plan_sets_shares(loaded: LoadedScenario, plan: ModeSplitPlan) -> None:
    variant = apply_plan(loaded, plan)
    assert variant.scenario.id == "tiny-lp"
    shares = plan.route_shares()
    for d in variant.scenario.demand:
        assert math.fsum(r.share.value for r in d.routes) == pytest.approx(1.0, abs=1e-9)
        for r in d.routes:
            assert r.share.value == pytest.approx(shares[d.id][f"{d.id}/{r.name}"], abs=1e-6)
            assert r.share.source is not None and "LP plan" in r.share.source


def test_export_round_trip(loaded: LoadedScenario, plan: ModeSplitPlan, tmp_path: Path) -> None:
    path = write_plan_scenario(loaded, plan, tmp_path)
    assert path.name == "tiny-lp.toml"
    again = load_scenario(path, DATA / "hubs")
    assert again.scenario == apply_plan(loaded, plan).scenario
    with pytest.raises(ExistingResultError, match="already exists"):
        write_plan_scenario(loaded, plan, tmp_path)
    write_plan_scenario(loaded, plan, tmp_path, overwrite=True)


def test_scenario_toml_round_trip(loaded: LoadedScenario, tmp_path: Path) -> None:
    (tmp_path / "tiny.toml").write_text(scenario_toml(loaded.scenario, "header"), "utf-8")
    assert load_scenario(tmp_path / "tiny.toml", DATA / "hubs").scenario == loaded.scenario


def test_verification_names_the_shortfall(verification: Verification, plan: ModeSplitPlan) -> None:
    v = verification
    assert v.scenario_id == "tiny-lp" and v.seed == 7 and v.replications == 2
    # rail is planned full: in the timetable boxes miss full departures
    assert v.sim_left_behind_boxes_share > 0
    assert any("missed at least one full departure" in f for f in v.findings)
    assert {s.service for s in v.services} == {"rail-ab", "barge-ab"}
    rail = next(s for s in v.services if s.service == "rail-ab")
    assert rail.lp_utilisation_share == pytest.approx(1.0, abs=1e-6)
    assert rail.sim_utilisation_share <= 1.0
    # the LP's handling capacity (servers x moves/h) and moves per TEU reproduce the
    # simulated crane utilisation: ~4,800 TEU of Poisson demand in the window give a
    # relative standard error of ~2 %, seasonality a few % more: 15 % tolerance.
    for h in v.hubs:
        assert h.sim_utilisation_share == pytest.approx(h.lp_utilisation_share, rel=0.15)
    # the simulated modal split follows the plan's shares
    for mode, share in v.lp_teu_share_by_mode.items():
        assert v.sim_teu_share_by_mode.get(mode, 0.0) == pytest.approx(share, abs=0.05)
    assert v.sim_emissions_tco2e_wtw == pytest.approx(plan.emissions_tco2e_wtw, rel=0.15)
    # waits for departures and queues make the door-to-door time longer than the LP's mean
    assert v.sim_door_to_door_h > v.lp_door_to_door_h


def test_hub_candidate_meets_the_network(problem: ModeSplitProblem) -> None:
    # alpha-beta can only go by rail through hub alpha: alpha must open. Its fixed
    # cost (a test number) binds a budget 1,000 CNY short of it.
    alpha = hub_candidate(problem, "alpha", fixed_cost_cny=50_000.0)
    assert alpha.resources == ("handling:alpha",)  # alpha's yard is unlimited
    sel = select_candidates(problem, (alpha,), budget_cny=60_000.0)
    assert sel.opened == ("alpha",)
    assert sel.throughput_teu_by_candidate["alpha"] == pytest.approx(problem.total_demand_teu)
    with pytest.raises(InfeasibleError, match=r"needs 50,000 CNY a week \(\+1,000\)") as info:
        select_candidates(problem, (alpha,), budget_cny=49_000.0)
    assert info.value.binding == pytest.approx({"budget": 1000.0})


def test_hub_candidate_unknown_hub(problem: ModeSplitProblem) -> None:
    with pytest.raises(
        InvalidProblemError, match=r"hub_id = 'gamma': no handling pool.*valid: alpha, beta"
    ):
        hub_candidate(problem, "gamma", 1.0)
