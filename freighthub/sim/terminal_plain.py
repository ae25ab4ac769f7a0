"""A scenario without a terminal model as an empty terminal model (issue #20: one engine).

Without pools, loading windows or travel-time spread the terminal model's rules are the
batched engine's: every move in its hub's one FIFO handling pool, the hub's gate lanes
as its gate (``tests/sim/test_terminal_engine.py`` checks both agree box for box). So
:func:`plain_model` lets a scenario without ``network.terminal`` run in the compiled
event loop (:mod:`freighthub.sim.terminal_loop`); its result has no terminal records.
:data:`PLAIN_COMPILED` chooses that path in :func:`freighthub.sim.engine.run`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.terminal import TASKS, PoolArrays, ShiftPatterns, TerminalArrays, TerminalDraws

__all__ = ["PLAIN_COMPILED", "compiled_path", "plain_model"]

#: Scenarios without a terminal model run in the compiled loop too (False: the batched
#: SimPy engine of :mod:`freighthub.sim.engine`).
PLAIN_COMPILED = True


def compiled_path(network: CompiledNetwork) -> bool:
    """Whether :func:`freighthub.sim.engine.run` runs ``network`` in the terminal loop."""
    return network.terminal is not None or PLAIN_COMPILED


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
