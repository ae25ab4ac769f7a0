"""Compile a scenario's terminal model (#19) into :class:`freighthub.sim.terminal.TerminalArrays`.

Called by :func:`freighthub.sim.compiler.compile_network` (split from it to keep the
compiler short). A scenario without pools, loading windows and stochastic travel
compiles to ``None``: it runs exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from freighthub.model.hub import Hub
from freighthub.model.scenario_schema import Scenario
from freighthub.model.terminal_checks import pool_units
from freighthub.sim.terminal import (
    PRIORITIES,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
)

__all__ = ["compile_terminal", "has_terminal_model"]


def has_terminal_model(s: Scenario) -> bool:
    """True if the scenario gives any pool, a loading window > 0 or a travel-time CV > 0."""
    return (
        any(r.pools for r in s.hub_resources)
        or any(v.loading_window_h is not None and v.loading_window_h.value > 0 for v in s.services)
        or any(v.travel_time_cv is not None and v.travel_time_cv.value > 0 for v in s.services)
    )


def compile_terminal(s: Scenario, hubs: Mapping[str, Hub]) -> TerminalArrays | None:
    """The terminal arrays of a validated scenario, or ``None`` without a terminal model.

    Pools are numbered hub by hub in the scenario's hub order, in each hub's file order;
    shift patterns in file order. ``mean_service_h`` is ``1 / moves_per_h`` (the
    samples' mean for an empirical distribution).
    """
    if not has_terminal_model(s):
        return None
    res = {r.hub: r for r in s.hub_resources}
    pattern_index = {p.id: k for k, p in enumerate(s.shift_patterns)}
    pool_of = np.full((len(s.hubs), len(TASKS)), -1, dtype=np.int64)
    ids: list[str] = []
    hub: list[int] = []
    task: list[int] = []
    units: list[int] = []
    mean_h: list[float] = []
    dist: list[str] = []
    shape: list[int] = []
    cv: list[float] = []
    samples: list[np.ndarray] = []
    priority: list[int] = []
    shift: list[int] = []
    mtbf: list[float] = []
    mttr: list[float] = []
    threshold: list[float] = []
    for h, hub_id in enumerate(s.hubs):
        r = res[hub_id]
        threshold.append(
            r.truck_wait_threshold_h.value if r.truck_wait_threshold_h is not None else math.nan
        )
        for pool in r.pools:
            code = TASKS.index(pool.task)
            pool_of[h, code] = len(ids)
            ids.append(f"{hub_id}/{pool.task}")
            hub.append(h)
            task.append(code)
            count = pool_units(pool, hubs[hub_id])
            assert count is not None  # model.terminal_checks refuses a pool without units
            units.append(count)
            mean_h.append(pool.mean_service_h())
            dist.append(pool.service_distribution)
            shape.append(pool.shape)
            cv.append(pool.service_cv.value if pool.service_cv is not None else math.nan)
            samples.append(
                np.sort(np.asarray(pool.service_samples_h.value, dtype=np.float64))
                if pool.service_samples_h is not None
                else np.empty(0, dtype=np.float64)
            )
            priority.append(PRIORITIES.index(pool.priority))
            shift.append(pattern_index[pool.shift_pattern] if pool.shift_pattern else -1)
            mtbf.append(pool.mtbf_h.value if pool.mtbf_h is not None else math.inf)
            mttr.append(pool.mttr_h.value if pool.mttr_h is not None else 0.0)
    pools = PoolArrays(
        ids=tuple(ids),
        hub=np.asarray(hub, dtype=np.int64),
        task=np.asarray(task, dtype=np.int64),
        units=np.asarray(units, dtype=np.int64),
        mean_service_h=np.asarray(mean_h, dtype=np.float64),
        distribution=tuple(dist),
        shape=np.asarray(shape, dtype=np.int64),
        cv=np.asarray(cv, dtype=np.float64),
        samples_h=tuple(samples),
        priority=np.asarray(priority, dtype=np.int64),
        shift=np.asarray(shift, dtype=np.int64),
        mtbf_h=np.asarray(mtbf, dtype=np.float64),
        mttr_h=np.asarray(mttr, dtype=np.float64),
    )
    shifts = ShiftPatterns(
        ids=tuple(p.id for p in s.shift_patterns),
        start_h=tuple(np.asarray(p.start_h(), dtype=np.float64) for p in s.shift_patterns),
        on_duty_share=tuple(
            np.asarray([x.on_duty_share for x in p.periods], dtype=np.float64)
            for p in s.shift_patterns
        ),
    )
    return TerminalArrays(
        pools=pools,
        shifts=shifts,
        pool_of=pool_of,
        loading_window_h=np.asarray(
            [v.loading_window_h.value if v.loading_window_h else 0.0 for v in s.services],
            dtype=np.float64,
        ),
        travel_time_cv=np.asarray(
            [v.travel_time_cv.value if v.travel_time_cv else 0.0 for v in s.services],
            dtype=np.float64,
        ),
        truck_wait_threshold_h=np.asarray(threshold, dtype=np.float64),
    )
