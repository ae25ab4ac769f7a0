"""The fast engine and the per-container reference agree box for box on the terminal
model's feature scenarios (issue #19; rules in ``docs/terminal-operations.md``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from freighthub.model.scenario import load_scenario
from freighthub.sim import engine, reference
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.terminal import KIND_BACKGROUND
from tests.sim.background_cases import with_background
from tests.sim.terminal_cases import FEATURES, terminal_case
from tests.sim.test_reference import assert_same


@pytest.mark.parametrize("name", list(FEATURES))
def test_fast_engine_equals_reference_on_terminal_features(name: str) -> None:
    network, arrivals = terminal_case(name)
    fast = engine.run(network, arrivals)
    slow = reference.run(network, arrivals)
    assert_same(fast, slow)
    assert fast.terminal is not None
    # The case exercises the terminal model: jobs in terminal pools, trucks waiting.
    assert network.terminal is not None
    assert (fast.terminal.job_pool < network.terminal.pools.n).sum() > 1000
    assert np.isfinite(fast.terminal.truck_wait_h).sum() > 0


@pytest.mark.parametrize("name", ["pools", "windows", "all"])
def test_fast_engine_equals_reference_with_background(name: str) -> None:
    # Background calls in the general pool; lot loads and trip unloads in the pool of
    # the service's task (test parameters: hub and service flows, TEU per year).
    network, arrivals = terminal_case(name)
    network = with_background(network, 2e5, 3e4, moves_per_call=7, lot_teu=3)
    with_bg = generate_arrivals(network, 5)
    assert with_bg.n == arrivals.n and with_bg.background is not None
    with_bg = dataclasses.replace(with_bg, terminal=arrivals.terminal)
    fast = engine.run(network, with_bg)
    assert_same(fast, reference.run(network, with_bg))
    assert fast.background is not None and fast.terminal is not None
    assert (fast.terminal.job_kind == KIND_BACKGROUND).sum() > 100


def test_fast_engine_equals_reference_on_yangtze_baseline(repo_root: Path) -> None:
    # The shipped baseline with its terminal data (yard and gate pools) and background
    # flows, cut to 10 days; services leaving at the same instant keep their order.
    scenario = load_scenario(repo_root / "scenarios" / "yangtze-baseline.toml")
    network = compile_network(scenario)
    assert network.terminal is not None
    network = dataclasses.replace(network, horizon_h=10 * 24.0, warmup_h=0.0)
    arrivals = generate_arrivals(network, 7)
    fast = engine.run(network, arrivals)
    assert_same(fast, reference.run(network, arrivals))
    assert fast.terminal is not None and np.isfinite(fast.terminal.truck_wait_h).any()


@pytest.mark.parametrize(("name", "policy"), [("all", "hold"), ("windows", "divert_road")])
def test_fast_engine_equals_reference_with_full_yards(name: str, policy: str) -> None:
    # Yards of 60 TEU (a test parameter): boxes are held until a departure frees room
    # (then pass the gate and yard pools) or take their road alternative.
    network, arrivals = terminal_case(name)
    hubs = dataclasses.replace(network.hubs, yard_capacity_teu=np.full(network.n_hubs, 60.0))
    network = dataclasses.replace(network, hubs=hubs, yard_full_policy=policy)
    fast = engine.run(network, arrivals)
    assert_same(fast, reference.run(network, arrivals))
    assert (fast.yard_hold_h > 0).any() if policy == "hold" else fast.diverted.any()
