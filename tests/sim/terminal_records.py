"""Hand-made terminal records for output tests (issue #19), before the engines fill them.

:func:`tiny_terminal_network` gives the tiny test network (hubs ``alpha``, ``beta``) a
terminal model: a gate pool and a yard pool at ``alpha``. :func:`engine_with_records`
runs the fast engine and adds records built here from the arrivals: every box's truck
passes alpha's gate (an M/M/1 FIFO pool fed at the box's arrival time), then a yard
move; the box sits in alpha's yard from the end of its gate move for a fixed dwell.
All numbers are test parameters, not facts; the records follow the contract
(``TerminalRecords``), not the engines' rules.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from freighthub.model.scenario import load_scenario
from freighthub.sim import engine
from freighthub.sim.compiler import compile_network
from freighthub.sim.cranes import fifo_start_times
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.terminal import (
    KIND_GATE,
    KIND_TRUCK_IN,
    TASK_GATE,
    TASK_YARD,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
    TerminalRecords,
)

TINY = Path(__file__).resolve().parent / "tiny"
GATE_H = 0.05  # test parameter: mean gate transaction [h]
YARD_H = 0.04  # test parameter: mean yard move [h]
DWELL_H = 30.0  # test parameter: yard dwell [h]
THRESHOLD_H = 1.0 / 3.0  # test parameter


def tiny_terminal_network() -> CompiledNetwork:
    net = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    n_hubs = net.hubs.n
    pool_of = np.full((n_hubs, len(TASKS)), -1, dtype=np.int64)
    pool_of[0, TASK_GATE] = 0
    pool_of[0, TASK_YARD] = 1
    pools = PoolArrays(
        ids=(f"{net.hubs.ids[0]}/gate", f"{net.hubs.ids[0]}/yard"),
        hub=np.asarray([0, 0], dtype=np.int64),
        task=np.asarray([TASK_GATE, TASK_YARD], dtype=np.int64),
        units=np.asarray([1, 1], dtype=np.int64),
        mean_service_h=np.asarray([GATE_H, YARD_H]),
        distribution=("exponential", "exponential"),
        shape=np.ones(2, dtype=np.int64),
        cv=np.full(2, np.nan),
        samples_h=(np.empty(0), np.empty(0)),
        priority=np.zeros(2, dtype=np.int64),
        shift=np.full(2, -1, dtype=np.int64),
        mtbf_h=np.full(2, np.inf),
        mttr_h=np.zeros(2),
    )
    terminal = TerminalArrays(
        pools=pools,
        shifts=ShiftPatterns(ids=(), start_h=(), on_duty_share=()),
        pool_of=pool_of,
        loading_window_h=np.zeros(net.services.n),
        travel_time_cv=np.zeros(net.services.n),
        truck_wait_threshold_h=np.asarray([THRESHOLD_H] + [np.nan] * (n_hubs - 1)),
    )
    return dataclasses.replace(net, terminal=terminal)


def make_records(arrivals: Arrivals) -> TerminalRecords:
    rng = np.random.default_rng(int(arrivals.n))
    order = np.argsort(arrivals.time_h, kind="stable")
    t = arrivals.time_h[order]
    gate_s = rng.exponential(GATE_H, t.size)
    gate_start, _ = fifo_start_times(t, gate_s, 1)
    gate_end = gate_start + gate_s
    yard_order = np.argsort(gate_end, kind="stable")
    yard_s = rng.exponential(YARD_H, t.size)
    yard_start_sorted, _ = fifo_start_times(gate_end[yard_order], yard_s[yard_order], 1)
    yard_start = np.empty(t.size)
    yard_start[yard_order] = yard_start_sorted
    yard_end = yard_start + yard_s
    n = arrivals.n
    wait = np.full(n, np.nan)
    turn = np.full(n, np.nan)
    wait[order] = (gate_start - t) + (yard_start - gate_end)
    turn[order] = yard_end - t
    jobs_pool = np.r_[np.zeros(t.size), np.ones(t.size)].astype(np.int64)
    job_arrival = np.r_[t, gate_end]
    job_start = np.r_[gate_start, yard_start]
    job_end = np.r_[gate_end, yard_end]
    job_kind = np.r_[np.full(t.size, KIND_GATE), np.full(t.size, KIND_TRUCK_IN)]
    job_box = np.r_[order, order].astype(np.int64)
    jsort = np.lexsort((job_start, job_arrival, jobs_pool))
    teu = arrivals.teu[order].astype(np.float64)
    yard_t = np.r_[yard_end, yard_end + DWELL_H]
    yard_d = np.r_[teu, -teu]
    ysort = np.lexsort((yard_d, yard_t))
    return TerminalRecords(
        job_pool=jobs_pool[jsort],
        job_kind=job_kind[jsort].astype(np.int64),
        job_class=np.ones(2 * t.size, dtype=np.int64),
        job_box=job_box[jsort],
        job_arrival_h=job_arrival[jsort],
        job_start_h=job_start[jsort],
        job_end_h=job_end[jsort],
        yard_hub=np.zeros(yard_t.size, dtype=np.int64),
        yard_h=yard_t[ysort],
        yard_delta_teu=yard_d[ysort],
        truck_wait_h=wait,
        truck_turnaround_h=turn,
    )


def engine_with_records(network: CompiledNetwork, arrivals: Arrivals) -> EngineResult:
    """The fast engine's result with hand-made terminal records (module level: picklable)."""
    plain = dataclasses.replace(network, terminal=None)  # the engine's own model left out
    return dataclasses.replace(engine.run(plain, arrivals), terminal=make_records(arrivals))
