"""The fast engine and the per-container reference agree box for box on the terminal
model's feature scenarios (issue #19; rules in ``docs/terminal-operations.md``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from freighthub.sim import engine, reference
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
