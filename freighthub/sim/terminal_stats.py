"""Terminal operations figures of one replication (issue #19; clock in hours [h]).

From the :class:`~freighthub.sim.terminal.TerminalRecords` an engine fills (every pool
job and every change of a hub's yard) and the statistics window ``[lo, hi) =
[warmup_h, horizon_h)``:

- per pool: jobs and throughput, utilisation, the time-average number waiting ``L_q``
  and in system ``L``, and the waits (mean, p50, p95);
- per hub: truck waiting (mean, p95, share above the hub's threshold) and turnaround
  (mean, p95), and the yard occupancy over time (time-weighted mean, p95, maximum).

Time averages are exact integrals of step functions over the window: a job waits over
``[arrival, start)`` and is in the system over ``[arrival, end)`` (to ``hi`` when it
has not started or ended by then); its unit is busy over ``[start, end)`` (a move
suspended while its unit is unavailable keeps the unit occupied). So ``L = L_q +``
busy units exactly, and Little's law ``L_q = lambda W_q`` holds up to the jobs that
straddle the window's edges. Pure NumPy.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from freighthub.sim.arrays import HubArrays
from freighthub.sim.figures import (
    PoolFigures,
    TerminalFigures,
    TerminalHubFigures,
    TerminalRouteFigures,
)
from freighthub.sim.terminal import (
    KIND_GATE,
    KIND_TRUCK_IN,
    TerminalArrays,
    TerminalRecords,
)

__all__ = [
    "GATE_POOL",
    "GENERAL_POOL",
    "PoolSummary",
    "TerminalHubSummary",
    "TerminalRouteSummary",
    "TerminalSummary",
    "pool_layout",
    "terminal_summary",
    "time_weighted_percentile",
    "window_integral",
    "yard_levels",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: The name after ``<hub id>/`` of a hub's general handling pool and of its existing
#: gate (a hub has either a ``gate`` pool or the existing gate, never both).
GENERAL_POOL = "handling"
GATE_POOL = "gate"


#: One pool, one hub's trucks and yard, one route's terminal time, and all of them in
#: one replication (fields: :mod:`freighthub.sim.figures`).
PoolSummary = PoolFigures[float]
TerminalHubSummary = TerminalHubFigures[float]
TerminalRouteSummary = TerminalRouteFigures[float]
TerminalSummary = TerminalFigures[float]


def pool_layout(
    terminal: TerminalArrays, hubs: HubArrays
) -> tuple[tuple[str, ...], IntArray, IntArray]:
    """Id, hub index and units of every record pool index (see ``TerminalRecords``).

    Index ``p < PoolArrays.n``: a terminal pool (``<hub>/<task>``); ``PoolArrays.n + h``:
    hub ``h``'s general pool (``<hub>/handling``); ``PoolArrays.n + n_hubs + h``: its
    existing gate (``<hub>/gate``, 0 units when the gate is not modelled).
    """
    pools = terminal.pools
    ids = (
        *pools.ids,
        *(f"{h}/{GENERAL_POOL}" for h in hubs.ids),
        *(f"{h}/{GATE_POOL}" for h in hubs.ids),
    )
    hub = np.concatenate([pools.hub, np.arange(hubs.n), np.arange(hubs.n)]).astype(np.int64)
    units = np.concatenate([pools.units, hubs.servers, hubs.gate_lanes]).astype(np.int64)
    return ids, hub, units


def window_integral(start_h: FloatArray, end_h: FloatArray, lo: float, hi: float) -> FloatArray:
    """Length of each interval ``[start, end)`` inside ``[lo, hi)`` [h] (NaN end = open)."""
    end = np.where(np.isnan(end_h), hi, end_h)
    start = np.where(np.isnan(start_h), hi, start_h)
    out: FloatArray = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None)
    return out


def time_weighted_percentile(levels: FloatArray, durations: FloatArray, q: float) -> float:
    """The ``q``-th percentile of a step function's time-weighted distribution.

    The smallest level ``v`` such that the step function is at most ``v`` for at least
    ``q`` % of the time (inverted CDF, as ``numpy.percentile(method="inverted_cdf")``
    on samples taken at equal time steps); NaN when the durations sum to 0.
    """
    keep = durations > 0
    x, w = levels[keep], durations[keep]
    if not x.size:
        return math.nan
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    target = q / 100.0 * cum[-1]
    i = int(np.searchsorted(cum, target * (1.0 - 1e-12), side="left"))
    return float(x[order][min(i, x.size - 1)])


def yard_levels(
    time_h: FloatArray, delta_teu: FloatArray, lo: float, hi: float
) -> tuple[FloatArray, FloatArray]:
    """One yard's occupancy in ``[lo, hi)`` as a step function: levels and durations.

    ``time_h``, ``delta_teu`` are the yard's changes sorted by time; the yard is empty
    at ``t = 0`` and the level after every change at a time holds until the next time.
    """
    level = np.cumsum(delta_teu)
    times = np.unique(time_h)
    # the level after the last change at each distinct time
    after = level[np.searchsorted(time_h, times, side="right") - 1] if times.size else times
    before_lo = np.searchsorted(times, lo, side="right") - 1
    start_level = float(after[before_lo]) if before_lo >= 0 else 0.0
    inside = (times > lo) & (times < hi)
    bounds = np.concatenate([[lo], times[inside], [hi]])
    levels = np.concatenate([[start_level], after[inside]])
    return levels, np.diff(bounds)


def _mean(x: FloatArray) -> float:
    return float(np.mean(x)) if x.size else math.nan


def _pct(x: FloatArray, q: float) -> float:
    return float(np.percentile(x, q)) if x.size else math.nan


def _pool(units: int, rows: IntArray, rec: TerminalRecords, lo: float, hi: float) -> PoolSummary:
    window = hi - lo
    arrival, start, end = rec.job_arrival_h[rows], rec.job_start_h[rows], rec.job_end_h[rows]
    waiting = window_integral(arrival, start, lo, hi)
    in_system = window_integral(arrival, end, lo, hi)  # not ended: in system to hi
    busy = window_integral(start, end, lo, hi)
    came = (arrival >= lo) & (arrival < hi)
    waits = (start - arrival)[came & ~np.isnan(start)]
    jobs = int(np.sum(came))
    return PoolSummary(
        units=units,
        jobs=jobs,
        throughput_per_h=jobs / window,
        utilisation=float(np.sum(busy)) / (units * window) if units > 0 else math.nan,
        mean_waiting=float(np.sum(waiting)) / window,
        mean_in_system=float(np.sum(in_system)) / window,
        mean_wait_h=_mean(waits),
        p50_wait_h=_pct(waits, 50),
        p95_wait_h=_pct(waits, 95),
    )


def _truck_hubs(
    rec: TerminalRecords, pool_hub: IntArray, n_boxes: int
) -> tuple[IntArray, FloatArray]:
    """Per container, the hub where it enters by road and its truck's first pool arrival."""
    hub = np.full(n_boxes, -1, dtype=np.int64)
    first = np.full(n_boxes, math.inf)
    truck = np.flatnonzero(
        ((rec.job_kind == KIND_GATE) | (rec.job_kind == KIND_TRUCK_IN)) & (rec.job_box >= 0)
    )
    # a box's earliest gate or truck-in job names the hub it enters by road
    truck = truck[np.lexsort((rec.job_arrival_h[truck], rec.job_box[truck]))]
    boxes, at = np.unique(rec.job_box[truck], return_index=True)
    hub[boxes] = pool_hub[rec.job_pool[truck[at]]]
    first[boxes] = rec.job_arrival_h[truck[at]]
    return hub, first


def _routes(
    rec: TerminalRecords, route_ids: tuple[str, ...], box_route: IntArray, counted: BoolArray
) -> dict[str, TerminalRouteSummary]:
    n = box_route.size
    traced = rec.job_box >= 0
    box, wait = rec.job_box[traced], (rec.job_start_h - rec.job_arrival_h)[traced]
    started = ~np.isnan(wait)
    total = np.bincount(box[started], weights=wait[started], minlength=n)
    moved = np.bincount(box, minlength=n) > 0
    complete = moved & (np.bincount(box[~started], minlength=n) == 0)
    rows = np.flatnonzero(counted)
    rows = rows[np.argsort(box_route[rows], kind="stable")]
    bounds = np.searchsorted(box_route[rows], np.arange(len(route_ids) + 1))
    out: dict[str, TerminalRouteSummary] = {}
    for r, rid in enumerate(route_ids):
        mine = rows[bounds[r] : bounds[r + 1]]
        waits = total[mine[complete[mine]]]
        truck = rec.truck_wait_h[mine]
        out[rid] = TerminalRouteSummary(
            boxes=int(waits.size),
            terminal_wait_mean_h=_mean(waits),
            terminal_wait_p95_h=_pct(waits, 95),
            truck_wait_mean_h=_mean(truck[~np.isnan(truck)]),
        )
    return out


def terminal_summary(
    terminal: TerminalArrays,
    hubs: HubArrays,
    rec: TerminalRecords,
    lo: float,
    hi: float,
    routes: tuple[tuple[str, ...], IntArray, BoolArray] | None = None,
) -> TerminalSummary:
    """Pool, hub and route figures of one replication over the window ``[lo, hi)``.

    Pools reported: every terminal pool, every hub's general pool, and every modelled
    existing gate (``gate_lanes > 0``). ``routes``: the route ids, each container's
    route (``EngineResult.route``) and whether it counts (arrived in the window); no
    route figures without it.

    Raises
    ------
    ValueError
        If the window is empty (``hi <= lo``).
    """
    if not hi > lo:
        raise ValueError(f"statistics window [{lo}, {hi}) h is empty")
    ids, pool_hub, units = pool_layout(terminal, hubs)
    order = np.argsort(rec.job_pool, kind="stable")
    bounds = np.searchsorted(rec.job_pool[order], np.arange(len(ids) + 1))
    pools: dict[str, PoolSummary] = {}
    for p, pid in enumerate(ids):
        if units[p] <= 0:
            continue  # an existing gate that is not modelled
        pools[pid] = _pool(int(units[p]), order[bounds[p] : bounds[p + 1]], rec, lo, hi)

    n_boxes = rec.truck_wait_h.size
    box_hub, first = _truck_hubs(rec, pool_hub, n_boxes)
    rows = np.flatnonzero((box_hub >= 0) & (first >= lo) & (first < hi))
    rows = rows[np.argsort(box_hub[rows], kind="stable")]
    box_bounds = np.searchsorted(box_hub[rows], np.arange(hubs.n + 1))
    # yard changes are sorted by hub
    yard_bounds = np.searchsorted(rec.yard_hub, np.arange(hubs.n + 1))
    out: dict[str, TerminalHubSummary] = {}
    for h, hub_id in enumerate(hubs.ids):
        mine = rows[box_bounds[h] : box_bounds[h + 1]]
        wait = rec.truck_wait_h[mine]
        wait = wait[~np.isnan(wait)]
        turn = rec.truck_turnaround_h[mine]
        turn = turn[~np.isnan(turn)]
        threshold = float(terminal.truck_wait_threshold_h[h])
        above = (
            float(np.mean(wait > threshold))
            if wait.size and not math.isnan(threshold)
            else math.nan
        )
        y = slice(yard_bounds[h], yard_bounds[h + 1])
        levels, durations = yard_levels(rec.yard_h[y], rec.yard_delta_teu[y], lo, hi)
        out[hub_id] = TerminalHubSummary(
            trucks=int(wait.size),
            truck_wait_mean_h=_mean(wait),
            truck_wait_p95_h=_pct(wait, 95),
            truck_wait_above_threshold_share=above,
            truck_turnaround_mean_h=_mean(turn),
            truck_turnaround_p95_h=_pct(turn, 95),
            yard_mean_teu=float(np.sum(levels * durations)) / (hi - lo),
            yard_p95_teu=time_weighted_percentile(levels, durations, 95),
            yard_max_teu=float(np.max(levels[durations > 0])),
        )
    by_route = {} if routes is None else _routes(rec, *routes)
    return TerminalSummary(pools=pools, hubs=out, routes=by_route)
