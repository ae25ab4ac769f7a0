"""One headway for the LP, the mode choice and the simulation (docs/gotchas.md).

The test scenario ``tests/optimize/data/tiny.toml`` runs ``rail-ab`` daily from
h 10 (departures at 10 + 24 j, j = 0..83 within the 2016 h horizon); its disruption
``rail-closure`` (h 1200-1250) cancels the departures at h 1210 and 1234.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from freighthub.emissions import FactorPack
from freighthub.model.scenario import LoadedScenario, load_scenario_with_pack
from freighthub.optimize.from_scenario import problem_from_network
from freighthub.shift.attributes import Levers, route_attributes
from freighthub.sim.compiler import compile_network
from freighthub.sim.network import CompiledNetwork, service_headway_h

DATA = Path(__file__).parents[1] / "optimize" / "data"
VOT = 10.0


@pytest.fixture(scope="module")
def both() -> tuple[LoadedScenario, FactorPack]:
    return load_scenario_with_pack(DATA / "tiny.toml", DATA / "hubs")


@pytest.fixture(scope="module")
def loaded(both: tuple[LoadedScenario, FactorPack]) -> LoadedScenario:
    return both[0]


@pytest.fixture(scope="module")
def pack(both: tuple[LoadedScenario, FactorPack]) -> FactorPack:
    return both[1]


def _without_closure(loaded: LoadedScenario) -> LoadedScenario:
    s = loaded.scenario
    kept = tuple(x for x in s.disruptions if x.id != "rail-closure")
    return dataclasses.replace(loaded, scenario=s.model_copy(update={"disruptions": kept}))


def _durations(network: CompiledNetwork, pack: FactorPack) -> tuple[dict[str, float], ...]:
    lp = problem_from_network(network, pack, value_of_time_cny_per_teu_h=VOT)
    choice = route_attributes(network, pack, Levers(), VOT)
    return (
        {r.id: r.duration_h for r in lp.routes},
        dict(zip(choice.route_ids, choice.duration_h.tolist(), strict=True)),
    )


def test_simulated_timetable_has_the_headway(loaded: LoadedScenario) -> None:
    closed = compile_network(loaded)
    k = closed.services.ids.index("rail-ab")
    dep, cap = closed.services.departures_h[k], closed.services.capacity_teu[k]
    assert dep.size == 84 and dep[cap == 0].tolist() == [1210.0, 1234.0]
    # cancelled departures do not count: 81 gaps between 82 running departures
    assert closed.headway_h(k) == pytest.approx((2002.0 - 10.0) / 81)
    assert closed.headway_h(k) == pytest.approx(float(np.mean(np.diff(dep[cap > 0]))))
    open_ = compile_network(_without_closure(loaded))
    assert open_.headway_h(k) == pytest.approx(24.0)  # = HOURS_PER_WEEK / 7
    spacing = next(v for v in loaded.scenario.services if v.id == "rail-ab").even_spacing_h()
    assert open_.headway_h(k) == pytest.approx(spacing)


def test_lp_and_mode_choice_wait_half_the_same_headway(
    loaded: LoadedScenario, pack: FactorPack
) -> None:
    closed, open_ = compile_network(loaded), compile_network(_without_closure(loaded))
    k = closed.services.ids.index("rail-ab")
    extra_wait_h = (closed.headway_h(k) - open_.headway_h(k)) / 2.0
    assert extra_wait_h > 0.1
    for with_closure, without in zip(
        _durations(closed, pack), _durations(open_, pack), strict=True
    ):
        # every route through rail-ab waits longer by half the headway change; others not
        for route, duration_h in with_closure.items():
            expected = extra_wait_h if route.endswith("rail") else 0.0
            assert duration_h - without[route] == pytest.approx(expected, abs=1e-9), route


def test_headway_edge_cases() -> None:
    dep = np.array([0.0, 10.0, 20.0, 30.0])
    assert service_headway_h(dep, np.array([5.0, 0.0, 5.0, 5.0]), 100.0) == 15.0
    assert service_headway_h(dep, np.array([0.0, 0.0, 5.0, 0.0]), 100.0) == 100.0  # < 2 run
    assert service_headway_h(dep[:0], dep[:0], 100.0) == 100.0
    assert service_headway_h(dep, np.array([1.0, 0.5, 1.0, 1.0]), 100.0) == 10.0  # reduced runs
