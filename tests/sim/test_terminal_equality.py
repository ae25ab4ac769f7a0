"""The fast engine and the per-container reference agree box for box on the terminal
model's feature scenarios (issue #19; rules in ``docs/terminal-operations.md``)."""

from __future__ import annotations

import numpy as np
import pytest

from freighthub.sim import engine, reference
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
