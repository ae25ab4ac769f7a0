"""Background trucks: the road share of a background hub flow in the gate and yard pools.

The simulation clock is in hours [h]. Rules: ``docs/terminal-operations.md``
(*Background trucks*).

A background hub flow with ``road_share`` > 0 (:mod:`freighthub.model.background_schema`)
has ``road_share x teu_per_year / (1 + box_40ft_share)`` boxes a year that enter or
leave its hub by truck. Each such box is one truck visit: one gate transaction (the
hub's ``gate`` pool, else its existing gate where one is modelled) and one yard move
(the ``yard`` pool), where the hub has them. Trucks arrive as a Poisson process
modulated by the flow's monthly factors, in groups of ``trucks_per_job``: a group is
one job of each pool, arriving at the group's instant (gate job first), for the sum of
its trucks' service times, each drawn from the pool's distribution by inverse transform
(:func:`freighthub.sim.service_times.pool_service_times_h`; the existing gate takes its
fixed ``gate_time_h`` per truck). Truck jobs carry no TEU and no moves (the flow's calls
count its boxes); they are class ``truck`` in priority pools.

What grouping does to waits: a pool's offered load and utilisation are unchanged (the
same work arrives); with one truck per job the pool sees Poisson trucks, so a gate of
``c`` exponential lanes with background rate ``lambda_b`` and traced rate ``lambda_t``
is M/M/c at ``lambda_b + lambda_t``. Groups of ``m`` make the background arrive in
lumps: in a one-unit pool (M/G/1, Pollaczek–Khinchine) every job waits
``W_q = (lambda_t E[S^2] + (lambda_b / m) E[S_m^2]) / (2 (1 - rho))`` with ``S_m`` the
sum of ``m`` service times, so with exponential moves of mean ``s`` the background's
term grows from ``2 s^2`` to ``(m + 1) s^2`` per truck: waits are overstated, by at most
a factor ``(m + 1) / 2`` (conservative against a waiting-time criterion).
"""

from __future__ import annotations

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.network import CompiledNetwork
from freighthub.sim.service_times import pool_service_times_h
from freighthub.sim.terminal import TASK_GATE, TASK_YARD

__all__ = ["TRUCK_TASKS", "truck_job_parts"]

#: The tasks of a background truck's jobs, in the order its jobs are created.
TRUCK_TASKS = (TASK_GATE, TASK_YARD)

#: One kind of truck job of one flow: (arrival [h], hub, task, work [h]).
TruckPart = tuple[FloatArray, IntArray, IntArray, FloatArray]


def truck_job_parts(
    network: CompiledNetwork, hub: int, t: FloatArray, u: FloatArray
) -> list[TruckPart]:
    """The gate and yard jobs of one flow's truck groups.

    Parameters
    ----------
    network
        The compiled network (with a terminal model).
    hub
        The flow's hub index.
    t
        Arrival of each truck group [h].
    u
        U(0, 1) draws of shape ``(len(TRUCK_TASKS), groups, trucks_per_job)``: per task,
        one per truck.

    Returns
    -------
    list
        One part per task the hub has a pool for (gate, then yard).
    """
    term = network.terminal
    if term is None or not t.size:
        return []
    n = t.size
    m = u.shape[2]
    parts: list[TruckPart] = []
    for row, task in enumerate(TRUCK_TASKS):
        p = int(term.pool_of[hub, task])
        if p >= 0:
            pool = np.full(n * m, p, dtype=np.int64)
            work = pool_service_times_h(term.pools, pool, u[row].reshape(-1))
            work_h = work.reshape(n, m).sum(axis=1)
        elif task == TASK_GATE and has_existing_gate(network, hub):
            work_h = np.full(n, m * float(network.hubs.gate_time_h[hub]))
        else:
            continue
        parts.append((t, np.full(n, hub, dtype=np.int64), np.full(n, task, np.int64), work_h))
    return parts


def has_existing_gate(network: CompiledNetwork, hub: int) -> bool:
    """Whether hub ``hub`` has the gate of ``gate_lanes`` and ``gate_time_h`` (used by
    the terminal model where the hub has no gate pool)."""
    hubs = network.hubs
    return int(hubs.gate_lanes[hub]) > 0 and float(hubs.gate_time_h[hub]) > 0
