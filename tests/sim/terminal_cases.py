"""Feature scenarios of the terminal model (issue #19) for engine tests.

A generated network (:func:`freighthub.sim.synthetic.synthetic_network`) gets a
terminal model built by hand: pools by task at every hub, optionally shift patterns,
breakdowns (down intervals from the model's own :func:`freighthub.sim.pools.down_intervals`),
loading windows and stochastic travel times. Both engines
run the same ``(network, arrivals)`` pair; ``tests/sim/test_terminal_equality.py``
checks they agree box for box.

All numbers here are test parameters, not facts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.pools import down_intervals
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network
from freighthub.sim.terminal import (
    PRIORITIES,
    TASK_GATE,
    TASK_QUAY,
    TASK_RAIL,
    TASK_YARD,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
    TerminalDraws,
)

__all__ = ["FEATURES", "TerminalCase", "terminal_case"]

BASE = SyntheticParameters(
    n_hubs=6, n_od=12, teu_per_year=1.5e5, horizon_h=24 * 21.0, seed=3, box_40ft_share=0.3
)


@dataclass(frozen=True)
class TerminalCase:
    """Which features a case switches on (test parameters)."""

    tasks: tuple[int, ...] = (TASK_QUAY, TASK_RAIL, TASK_YARD, TASK_GATE)
    units: int = 2
    service_h: float = 0.06
    distribution: str = "exponential"
    cv: float = float("nan")
    priority: str = "fifo"
    shifts: bool = False
    breakdowns: bool = False
    loading_window_h: float = 0.0
    travel_time_cv: float = 0.0
    truck_wait_threshold_h: float = 1.0 / 3.0


#: Named cases: each feature alone, then all together.
FEATURES: dict[str, TerminalCase] = {
    "pools": TerminalCase(),
    "lognormal": TerminalCase(distribution="lognormal", cv=0.6),
    "deterministic": TerminalCase(distribution="deterministic"),
    "shifts": TerminalCase(shifts=True),
    "breakdowns": TerminalCase(breakdowns=True),
    "windows": TerminalCase(loading_window_h=1.5),
    "travel": TerminalCase(travel_time_cv=0.2),
    "service_first": TerminalCase(priority="service_first", tasks=(TASK_YARD, TASK_GATE)),
    "all": TerminalCase(
        distribution="lognormal",
        cv=0.5,
        shifts=True,
        breakdowns=True,
        loading_window_h=1.5,
        travel_time_cv=0.2,
        priority="service_first",
    ),
}


def _shift_patterns() -> ShiftPatterns:
    """Night shift with half the units Monday to Friday, none at the weekend nights."""
    starts: list[float] = []
    shares: list[float] = []
    for day in range(7):
        base = 24.0 * day
        starts += [base, base + 6.0, base + 22.0]
        night = 0.5 if day < 5 else 0.0
        shares += [night, 1.0, night]
    return ShiftPatterns(
        ids=("test-shifts",),
        start_h=(np.asarray(starts),),
        on_duty_share=(np.asarray(shares),),
    )


def terminal_case(name: str, seed: int = 5) -> tuple[CompiledNetwork, Arrivals]:
    """The generated network with the case's terminal model, and one replication's
    arrivals with its terminal draws."""
    case = FEATURES[name]
    net = synthetic_network(BASE)
    n_hubs = net.n_hubs
    services = net.services
    pool_of = np.full((n_hubs, len(TASKS)), -1, dtype=np.int64)
    ids: list[str] = []
    hub: list[int] = []
    task: list[int] = []
    for h in range(n_hubs):
        for t in case.tasks:
            pool_of[h, t] = len(ids)
            ids.append(f"{net.node_ids[h]}/{TASKS[t]}")
            hub.append(h)
            task.append(t)
    n = len(ids)
    patterns = _shift_patterns()
    pools = PoolArrays(
        ids=tuple(ids),
        hub=np.asarray(hub, dtype=np.int64),
        task=np.asarray(task, dtype=np.int64),
        units=np.full(n, case.units, dtype=np.int64),
        mean_service_h=np.full(n, case.service_h),
        distribution=(case.distribution,) * n,
        shape=np.ones(n, dtype=np.int64),
        cv=np.full(n, case.cv),
        samples_h=tuple(np.empty(0) for _ in range(n)),
        priority=np.full(n, PRIORITIES.index(case.priority), dtype=np.int64),
        shift=np.full(n, 0 if case.shifts else -1, dtype=np.int64),
        mtbf_h=np.full(n, 60.0 if case.breakdowns else np.inf),
        mttr_h=np.full(n, 3.0 if case.breakdowns else 0.0),
    )
    windows = np.minimum(case.loading_window_h, services.cutoff_h)
    terminal = TerminalArrays(
        pools=pools,
        shifts=patterns,
        pool_of=pool_of,
        loading_window_h=np.asarray(windows, dtype=np.float64),
        travel_time_cv=np.full(services.n, case.travel_time_cv),
        truck_wait_threshold_h=np.full(n_hubs, case.truck_wait_threshold_h),
    )
    net = dataclasses.replace(net, terminal=terminal)
    arrivals = generate_arrivals(net, seed)
    rng = np.random.default_rng([seed, 19])
    down_start: list[tuple[np.ndarray, ...]] = []
    down_end: list[tuple[np.ndarray, ...]] = []
    for _ in range(n):
        s, e = down_intervals(
            case.units,
            net.horizon_h,
            shift_start_h=patterns.start_h[0] if case.shifts else None,
            shift_share=patterns.on_duty_share[0] if case.shifts else None,
            mtbf_h=float(pools.mtbf_h[0]),
            mttr_h=float(pools.mttr_h[0]),
            rng=rng,
        )
        down_start.append(s)
        down_end.append(e)
    extra: list[np.ndarray] = []
    for k in range(services.n):
        deps = services.departures_h[k]
        if case.travel_time_cv > 0:
            sigma2 = np.log1p(case.travel_time_cv**2)
            factor = rng.lognormal(-sigma2 / 2, np.sqrt(sigma2), deps.size)
            extra.append(float(services.travel_time_h[k]) * (factor - 1.0))
        else:
            extra.append(np.zeros(deps.size))
    draws = TerminalDraws(
        gate_u=rng.uniform(size=arrivals.n),
        yard_u=rng.uniform(size=(arrivals.n, 2)),
        down_start_h=tuple(down_start),
        down_end_h=tuple(down_end),
        travel_extra_h=tuple(extra),
    )
    return net, dataclasses.replace(arrivals, terminal=draws)
