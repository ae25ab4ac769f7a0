"""A scenario without a terminal model as an empty terminal model (issue #20: one engine).

Without pools, loading windows or travel-time spread the terminal model's rules are
those of a scenario without one: every move in its hub's one FIFO handling pool, the
hub's gate lanes as its gate (``tests/sim/test_terminal_engine.py`` checks the compiled
loop against the per-container reference on such scenarios, box for box). So
:func:`plain_model` lets :func:`freighthub.sim.engine.run` run every scenario in the
compiled event loop (:mod:`freighthub.sim.terminal_loop`); a plain run's result has no
terminal records.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.terminal import TASKS, PoolArrays, ShiftPatterns, TerminalArrays, TerminalDraws

__all__ = ["plain_model"]


def plain_model(network: CompiledNetwork, arrivals: Arrivals) -> tuple[CompiledNetwork, Arrivals]:
    """``network`` and ``arrivals`` with a terminal model without pools, windows or
    travel spread, and its (unused, zero) draws."""
    z_i, z_f = np.zeros(0, dtype=np.int64), np.zeros(0)
    pools = PoolArrays(
        ids=(), hub=z_i, task=z_i, units=z_i, mean_service_h=z_f, distribution=(),
        shape=z_i, cv=z_f, samples_h=(), priority=z_i, shift=z_i, mtbf_h=z_f, mttr_h=z_f,
    )  # fmt: skip
    s = network.services
    term = TerminalArrays(
        pools=pools,
        shifts=ShiftPatterns((), (), ()),
        pool_of=np.full((network.n_hubs, len(TASKS)), -1, dtype=np.int64),
        loading_window_h=np.zeros(s.n),
        travel_time_cv=np.zeros(s.n),
        truck_wait_threshold_h=np.full(network.n_hubs, np.nan),
    )
    n = arrivals.n
    draws = TerminalDraws(
        gate_u=np.zeros(n),  # (zeros: pages untouched where no pool reads them)
        yard_u=np.zeros((n, 2)),
        down_start_h=(),
        down_end_h=(),
        travel_extra_h=tuple(np.zeros(d.size) for d in s.departures_h),
    )
    return (
        dataclasses.replace(network, terminal=term),
        dataclasses.replace(arrivals, terminal=draws),
    )
