"""The shipped scenarios' services carry operator costs: "one more departure" is net of them.

On the shipped China-Europe baseline the LP proposes one more departure on every
binding service; each proposal is charged that service's running cost (energy by
the km plus crew by the hour, from ``[services.operator_cost]``), and a departure
whose running cost exceeds its saving is not recommended.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from freighthub.model.operator_cost import departure_cost_by_component_cny
from freighthub.model.scenario import load_scenario
from freighthub.optimize.run import optimize_scenario
from freighthub.sim.compiler import compile_network
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR

REPO = Path(__file__).parents[2]
SHIPPED = REPO / "scenarios" / "china-europe-baseline.toml"
WEEKS_PER_YEAR = HOURS_PER_YEAR / HOURS_PER_WEEK


def test_every_shipped_service_has_a_sourced_running_cost() -> None:
    for name in (
        "china-europe-baseline",
        "china-europe-rail",
        "yangtze-baseline",
        "yangtze-corridor",
    ):
        loaded = load_scenario(REPO / "scenarios" / f"{name}.toml", REPO / "hubs")
        for service in loaded.scenario.services:
            cost = service.operator_cost
            assert cost is not None, (name, service.id)
            for part in (cost.energy_cny_per_km, cost.crew_cny_per_h):
                assert part is not None and part.value > 0 and part.is_sourced, (name, service.id)


def test_a_shipped_departure_whose_running_cost_exceeds_its_saving_is_not_recommended() -> None:
    loaded = load_scenario(SHIPPED, REPO / "hubs")
    network = compile_network(loaded)
    svc = network.services
    per_departure = {}
    for service in loaded.scenario.services:
        k = svc.ids.index(service.id)
        assert service.operator_cost is not None
        parts = departure_cost_by_component_cny(
            service.operator_cost, float(svc.distance_km[k]), float(svc.travel_time_h[k])
        )
        per_departure[f"service:{service.id}"] = sum(parts.values())
    result = optimize_scenario(SHIPPED, mode_choice="yangtze-container-v2", max_decisions=100)
    decisions = [d for d in result.plan.decisions if d.step_name == "departure"]
    assert decisions, "the shipped baseline has binding services"
    for d in decisions:
        # each proposal pays exactly its service's running cost, and is judged net of it
        assert d.step_cost_cny == pytest.approx(per_departure[d.resource], rel=1e-9)
        assert d.step_cost_cny > 0
        assert d.net_saving_cny_per_year == pytest.approx(
            (d.saving_cny - d.step_cost_cny) * WEEKS_PER_YEAR, rel=1e-9
        )
        assert d.recommended == (d.net_saving_cny_per_year > 0)
        if not d.recommended:
            assert "not recommended, its running cost exceeds its saving" in d.text
    losing = [d for d in decisions if 0 < d.saving_cny < d.step_cost_cny]
    winning = [d for d in decisions if d.saving_cny > d.step_cost_cny]
    # both kinds occur on the shipped data: a gross saving is not enough
    assert losing and not any(d.recommended for d in losing)
    assert winning and all(d.recommended for d in winning)


def test_optimised_departures_on_the_shipped_baseline_pay_their_running_cost() -> None:
    loaded = load_scenario(SHIPPED, REPO / "hubs")
    svc = compile_network(loaded).services
    per_departure = {}
    for service in loaded.scenario.services:
        k = svc.ids.index(service.id)
        assert service.operator_cost is not None
        parts = departure_cost_by_component_cny(
            service.operator_cost, float(svc.distance_km[k]), float(svc.travel_time_h[k])
        )
        per_departure[f"service:{service.id}"] = sum(parts.values())
    result = optimize_scenario(
        SHIPPED, mode_choice="yangtze-container-v2", departures_optimised=True
    )
    plan = result.plan
    runs = plan.departures_by_resource
    assert set(runs) == set(per_departure)
    # no fixed or vehicle cost is shipped: the operators' bill is the departures run
    assert plan.operator_cost_cny == pytest.approx(
        sum(n * per_departure[r] for r, n in runs.items()), rel=1e-9
    )
    timetable = {r.id: r.capacity / r.step for r in result.problem.resources if r.id in runs}
    # whole departures, at most the timetable's (rounded up: a week may hold one more)
    assert all(n == int(n) and n <= math.ceil(timetable[r] - 1e-9) for r, n in runs.items())
    # some timetabled departures do not pay their running cost and are not run
    assert any(n <= timetable[r] - 1 for r, n in runs.items())
