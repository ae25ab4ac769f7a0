"""The engines' invariants on a window of each real-scale baseline, background included.

A full simulated year of a baseline is a benchmark (``benchmarks/baselines.py``); here
each baseline is cut to a few weeks so that the suite stays fast, and on that window
the fast engine equals the per-container SimPy reference, TEU are conserved, and
Little's law holds at every hub pool for traced visits and background jobs together.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from freighthub.calibrate.validation import compare_with_statistics, tolerances_for
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.model.statistics import load_scenario_statistics
from freighthub.sim import engine, reference
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.experiment import run_network
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.units import HOURS_PER_WEEK
from tests.sim.test_background import _pool_jobs as pool_jobs
from tests.sim.test_engine import assert_littles_law
from tests.sim.test_reference import assert_same

REPO = Path(__file__).resolve().parents[2]
#: Weeks simulated per baseline: long enough for every service to run several times.
WINDOW_WEEKS = {"yangtze-baseline": 2, "china-europe-baseline": 3}


@cache
def _window(name: str) -> CompiledNetwork:
    network = compile_network(load_scenario(REPO / "scenarios" / f"{name}.toml", REPO / "hubs"))
    return dataclasses.replace(network, horizon_h=WINDOW_WEEKS[name] * HOURS_PER_WEEK, warmup_h=0.0)


@cache
def _run(name: str) -> tuple[Arrivals, EngineResult]:
    network = _window(name)
    arrivals = generate_arrivals(network, 3)
    return arrivals, engine.run(network, arrivals)


@pytest.mark.parametrize("name", list(WINDOW_WEEKS))
def test_engine_equals_reference_on_a_window(name: str) -> None:
    arrivals, fast = _run(name)
    assert arrivals.background is not None and arrivals.background.n > 0
    slow = reference.run(_window(name), arrivals)
    assert_same(fast, slow)
    assert fast.background is not None and slow.background is not None
    assert_same(fast.background, slow.background)


@pytest.mark.parametrize("name", list(WINDOW_WEEKS))
def test_teu_are_conserved_on_a_window(name: str) -> None:
    network = _window(name)
    pack = load_factor_pack("cn-derived-2026")
    s = run_network(network, pack, seed=3, replications=1).summaries[0]
    assert s.arrived_teu > 0
    assert s.arrived_teu == pytest.approx(s.delivered_teu + s.in_system_teu)
    for hub, h in s.hubs.items():
        assert h.handled_teu == pytest.approx(h.traced_teu + h.background_teu), hub


@pytest.mark.parametrize("name", list(WINDOW_WEEKS))
def test_littles_law_at_every_hub_with_background(name: str) -> None:
    # Per hub, over every job of its pool (traced moves, background calls and unloads).
    network = _window(name)
    arrivals, result = _run(name)
    hub, arrived, start, _ = pool_jobs(network, arrivals, result)
    assert set(np.unique(hub).tolist()) == set(range(network.n_hubs))
    for h in range(network.n_hubs):
        assert_littles_law(arrived[hub == h], start[hub == h])


#: Validation window: warm-up and statistics weeks; the China-Europe trains take about
#: 17 days door to door, so its window is longer than a train's journey.
VALIDATION_WEEKS = {"yangtze-baseline": (1, 5), "china-europe-baseline": (3, 6)}


@pytest.mark.parametrize("name", list(VALIDATION_WEEKS))
def test_a_window_of_the_baseline_passes_its_published_statistics(name: str) -> None:
    # The annualised figures of a few weeks already meet every published statistic; the
    # full year is what `freighthub validate-model` runs (README: Real-scale baselines).
    loaded = load_scenario(REPO / "scenarios" / f"{name}.toml", REPO / "hubs")
    warmup, weeks = VALIDATION_WEEKS[name]
    network = dataclasses.replace(
        compile_network(loaded),
        horizon_h=(warmup + weeks) * HOURS_PER_WEEK,
        warmup_h=warmup * HOURS_PER_WEEK,
    )
    result = run_network(network, load_factor_pack("cn-derived-2026"), seed=5, replications=1)
    statistics = load_scenario_statistics(loaded)
    assert loaded.scenario.validation is not None
    assert [s.id for s, _ in statistics] == list(loaded.scenario.validation.statistics)
    checks = compare_with_statistics(result, loaded, statistics, tolerances_for(None)).checks
    assert checks and all(c.passed for c in checks), [
        (c.quantity, c.subject, c.model, c.published) for c in checks if not c.passed
    ]
