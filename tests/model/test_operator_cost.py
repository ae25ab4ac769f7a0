"""Operator economics of services: cost per departure by component, yearly cost, fleet from rotation."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.operator_cost import fleet_for_departures, fleet_vehicles
from freighthub.model.scenario import load_scenario_with_pack
from freighthub.sim.compiler import compile_network
from freighthub.sim.experiment import run_network
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR

DATA = Path(__file__).resolve().parents[1] / "optimize" / "data"

OPERATOR = """operator_cost = { cny_per_km = 10, energy_cny_per_km = 5, cny_per_h = 100, crew_cny_per_h = 50, dues_cny_per_departure = 2000, fixed_cny_per_year = 1000000, vehicle_cny_per_year = 200000, turnaround_h = { value = 6, source = "assumption: terminal turnaround of a block train", confidence = "assumption" } }
"""


def _scenario(tmp_path: Path, line: str = OPERATOR) -> Path:
    text = (DATA / "tiny.toml").read_text()
    marker = "cost_cny_per_departure = 5000\n"
    assert marker in text
    path = tmp_path / "tiny.toml"
    path.write_text(text.replace(marker, marker + line, 1))
    shutil.copytree(DATA / "hubs", tmp_path / "hubs")
    return path


def test_fleet_hand_example() -> None:
    # Barge 60 h each way, 12 h turnaround at each end: cycle 144 h; 3 a week = every
    # 56 h: 144 / 56 = 2.57 -> 3 barges.
    assert fleet_vehicles(60.0, 12.0, 56.0) == 3
    # A cycle of exactly 3 headways needs 3 vehicles, not 4.
    assert fleet_vehicles(42.0, 0.0, 28.0) == 3
    # Even timetable: the timetable rule gives the same fleet.
    week = np.arange(3) * 56.0
    deps = (np.arange(10)[:, None] * HOURS_PER_WEEK + week[None, :]).ravel()
    assert fleet_for_departures(deps, 144.0) == 3
    # Uneven: departures at 0 h and 10 h, then none for 158 h; a 20 h cycle needs 2
    # vehicles although the mean headway (84 h) would say 1.
    uneven = (np.arange(4)[:, None] * HOURS_PER_WEEK + np.array([0.0, 10.0])[None, :]).ravel()
    assert fleet_for_departures(uneven, 20.0) == 2
    assert fleet_for_departures([], 20.0) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((60.0, -1.0, 56.0), r"turnaround_h = -1\.0: must be a finite number >= 0"),
        ((0.0, 1.0, 56.0), r"travel_time_h = 0\.0: must be a finite number > 0"),
        ((60.0, 1.0, math.inf), r"headway_h = inf: must be a finite number > 0"),
    ],
)
def test_fleet_bad_input(args: tuple[float, float, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fleet_vehicles(*args)


def test_operator_costs_compile_and_are_simulated(tmp_path: Path) -> None:
    loaded, pack = load_scenario_with_pack(_scenario(tmp_path), tmp_path / "hubs")
    net = compile_network(loaded)
    k = net.services.ids.index("rail-ab")
    km = float(net.services.distance_km[k])
    h = float(net.services.travel_time_h[k])
    per_departure = 5000 + (10 + 5) * km + (100 + 50) * h + 2000
    assert net.services.cost_cny_per_departure[k] == pytest.approx(per_departure)
    # 7 a week: headway 24 h; cycle 2 h + 2 x 6 h turnaround.
    fleet = math.ceil((2 * h + 12) / 24 - 1e-9)
    assert net.services.fleet_vehicles is not None
    assert net.services.fleet_vehicles[k] == fleet
    assert net.services.fleet_vehicles[net.services.ids.index("barge-ab")] == -1
    assert net.services.fixed_cost_cny_per_year is not None
    assert net.services.fixed_cost_cny_per_year[k] == pytest.approx(1e6 + fleet * 2e5)
    s = run_network(net, pack, seed=1, replications=1).summaries[0]
    window_h = net.horizon_h - net.warmup_h
    fixed = (1e6 + fleet * 2e5) * window_h / HOURS_PER_YEAR
    assert s.cost_cny_by_component["service_fixed"] == pytest.approx(fixed)
    in_window = (net.services.departures_h[k] >= net.warmup_h) & (
        net.services.departures_h[k] < net.horizon_h
    )
    departures = float(np.sum(net.services.cost_cny_per_departure[k] * in_window))
    barge = net.services.ids.index("barge-ab")
    assert net.services.cost_cny_per_departure[barge] == 0.0
    assert s.cost_cny_by_component["departures"] == pytest.approx(departures)
    assert s.cost_cny == pytest.approx(math.fsum(s.cost_cny_by_component.values()))
    assert s.cost_unallocated_cny == pytest.approx(fixed)  # every departure carried a box


def test_without_operator_costs_nothing_changes(tmp_path: Path) -> None:
    loaded, pack = load_scenario_with_pack(_scenario(tmp_path, ""), tmp_path / "hubs")
    net = compile_network(loaded)
    assert net.services.fixed_cost_cny_per_year is None and net.services.fleet_vehicles is None
    s = run_network(net, pack, seed=1, replications=1).summaries[0]
    assert "service_fixed" not in s.cost_cny_by_component


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("operator_cost = { turnaround_h = -1 }\n", "operator_cost.turnaround_h", "-1"),
        (
            "operator_cost = { energy_cny_per_km = -3.5 }\n",
            "operator_cost.energy_cny_per_km",
            "-3.5",
        ),
        ("operator_cost = { fuel_cny = 3 }\n", "operator_cost.fuel_cny", "3"),
    ],
)
def test_bad_operator_cost_is_one_line(tmp_path: Path, line: str, field: str, value: str) -> None:
    path = _scenario(tmp_path, line)
    with pytest.raises(DataFileError) as err:
        load_scenario_with_pack(path, tmp_path / "hubs")
    message = str(err.value)
    assert "\n" not in message
    assert "tiny.toml" in message and field in message and value in message


def test_service_operator_costs_per_year(tmp_path: Path) -> None:
    from freighthub.sim.operator_costs import service_operator_costs

    loaded, _ = load_scenario_with_pack(_scenario(tmp_path), tmp_path / "hubs")
    net = compile_network(loaded)
    by_id = {o.service: o for o in service_operator_costs(net)}
    rail, barge = by_id["rail-ab"], by_id["barge-ab"]
    k = net.services.ids.index("rail-ab")
    assert rail.departures_per_week == pytest.approx(7.0)
    assert rail.cost_cny_per_departure == pytest.approx(net.services.cost_cny_per_departure[k])
    assert rail.fleet_vehicles == net.services.fleet_vehicles[k]  # type: ignore[index]
    weeks = HOURS_PER_YEAR / HOURS_PER_WEEK
    assert rail.operator_cost_cny_per_year == pytest.approx(
        rail.cost_cny_per_departure * 7.0 * weeks + rail.fixed_cost_cny_per_year
    )
    assert barge.fleet_vehicles is None and barge.operator_cost_cny_per_year == 0.0
