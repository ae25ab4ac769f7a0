"""Waterway and border physics: draught-limited payload, lock and border queues.

Pure functions of numbers (the parameters come from a physics file, see
:mod:`freighthub.model.physics`):

- payload per sailing: allowed draught = controlling depth - under-keel clearance; the
  payload share of a vessel = (allowed - light draught) / (design - light draught),
  clipped to 0-1 (a wall-sided hull: displacement linear in draught);
- a lock as a capacity-limited stochastic queue: ``lanes x vessels_per_lockage``
  servers, each busy one lockage cycle per vessel; the mean wait is that of an M/M/c
  queue (:func:`freighthub.sim.queueing.mmc_mean_wait_h`);
- a gauge-change border crossing as ``tracks`` servers, each busy
  ``24 / trains_per_day_per_track`` h per train; with one track and deterministic
  handling the mean wait is the Pollaczek-Khinchine M/D/1 value;
- :func:`fcfs_waits_h`, a first-come-first-served c-server queue, simulates either box by
  box (vessel by vessel, train by train), so the analytic values can be checked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from freighthub.units import HOURS_PER_DAY, HOURS_PER_YEAR, MONTH_DAYS

__all__ = [
    "allowed_draught_m",
    "border_service_h",
    "fcfs_waits_h",
    "lock_servers",
    "md1_mean_wait_h",
    "month_of_h",
    "payload_share",
    "payload_share_by_departure",
    "queue_waits_h",
]

FloatArray = npt.NDArray[np.float64]

_MONTH_START_H = np.cumsum((0, *MONTH_DAYS[:-1])) * HOURS_PER_DAY


def allowed_draught_m(controlling_depth_m: float, under_keel_clearance_m: float) -> float:
    """Deepest draught a vessel may sail at [m] = depth - under-keel clearance (>= 0)."""
    return max(controlling_depth_m - under_keel_clearance_m, 0.0)


def payload_share(allowed_m: float, light_draught_m: float, design_draught_m: float) -> float:
    """Share of the design payload a vessel can carry at draught ``allowed_m`` [0-1].

    ``(allowed - light) / (design - light)``, clipped to 0-1; linear because the
    displacement of a wall-sided hull grows linearly with draught.

    Raises
    ------
    ValueError
        If ``design_draught_m`` is not above ``light_draught_m``.
    """
    if design_draught_m <= light_draught_m:
        raise ValueError(
            f"design_draught_m = {design_draught_m:g}: must be > light_draught_m "
            f"= {light_draught_m:g}"
        )
    share = (allowed_m - light_draught_m) / (design_draught_m - light_draught_m)
    return float(min(max(share, 0.0), 1.0))


def month_of_h(time_h: FloatArray) -> npt.NDArray[np.int64]:
    """Month index (0 = January) of each time [h from 1 January] of a 365-day year."""
    hour_of_year = np.mod(time_h, HOURS_PER_YEAR)
    return np.searchsorted(_MONTH_START_H, hour_of_year, side="right").astype(np.int64) - 1


def payload_share_by_departure(
    departures_h: FloatArray,
    controlling_depth_m: Sequence[float],
    under_keel_clearance_m: float,
    light_draught_m: float,
    design_draught_m: float,
) -> FloatArray:
    """Payload share of each departure, from the month's controlling depth [0-1]."""
    by_month = np.array(
        [
            payload_share(
                allowed_draught_m(depth, under_keel_clearance_m), light_draught_m, design_draught_m
            )
            for depth in controlling_depth_m
        ]
    )
    return by_month[month_of_h(departures_h)]


def lock_servers(lanes: int, vessels_per_lockage: float) -> int:
    """Servers of the lock queue: lanes x vessels per lockage, rounded down (>= 1)."""
    return max(int(lanes * vessels_per_lockage), 1)


def border_service_h(trains_per_day_per_track: float) -> float:
    """Handling time of one train on one transfer track [h]."""
    return HOURS_PER_DAY / trains_per_day_per_track


def md1_mean_wait_h(arrival_rate_per_h: float, service_h: float) -> float:
    """Mean wait in queue of an M/D/1 queue [h] (Pollaczek-Khinchine): ρ D / (2 (1 - ρ)).

    Raises
    ------
    ValueError
        If a value is not positive or ρ = λ D >= 1 (no steady state).
    """
    if arrival_rate_per_h <= 0 or service_h <= 0:
        raise ValueError("arrival_rate_per_h and service_h must be > 0")
    rho = arrival_rate_per_h * service_h
    if rho >= 1:
        raise ValueError(f"utilisation λD = {rho:g}: must be < 1 for a steady state")
    return rho * service_h / (2 * (1 - rho))


def _earliest_start_h(t_h: float, service_h: float, down: Sequence[tuple[float, float]]) -> float:
    """Earliest start >= ``t_h`` of a job of ``service_h`` that overlaps no down interval."""
    start = t_h
    moved = True
    while moved:
        moved = False
        for a, b in down:
            if start < b and start + service_h > a:
                start = b
                moved = True
    return start


def fcfs_waits_h(
    arrival_h: FloatArray,
    service_h: FloatArray,
    servers: int,
    down_h: Sequence[Sequence[tuple[float, float]]] | None = None,
) -> FloatArray:
    """Wait before service of each customer of a FCFS queue with ``servers`` servers [h].

    ``arrival_h`` must be sorted; ``service_h`` is each customer's service time.
    ``down_h[k]`` lists the intervals [start, end) in which server ``k`` is closed (a lock
    lane in maintenance): no service on it may overlap one, so a job that would run into
    a closure waits until it ends; each customer takes the server that can start it first.

    Raises
    ------
    ValueError
        If ``servers`` < 1, the arrays differ in length, the arrivals are not sorted or
        ``down_h`` does not give one list per server.
    """
    if servers < 1:
        raise ValueError(f"servers = {servers}: must be >= 1")
    if arrival_h.shape != service_h.shape:
        raise ValueError("arrival_h and service_h must have the same length")
    if np.any(np.diff(arrival_h) < 0):
        raise ValueError("arrival_h must be sorted")
    if down_h is not None and len(down_h) != servers:
        raise ValueError(f"down_h has {len(down_h)} lists: must have one per server ({servers})")
    free_h = np.zeros(servers)
    waits = np.empty_like(arrival_h)
    if down_h is None or not any(down_h):
        for i, (t, s) in enumerate(zip(arrival_h, service_h, strict=True)):
            k = int(np.argmin(free_h))
            start = max(t, free_h[k])
            waits[i] = start - t
            free_h[k] = start + s
        return waits
    for i, (t, s) in enumerate(zip(arrival_h, service_h, strict=True)):
        starts = [
            _earliest_start_h(max(float(t), float(free_h[k])), float(s), down_h[k])
            for k in range(servers)
        ]
        k = int(np.argmin(starts))
        waits[i] = starts[k] - t
        free_h[k] = starts[k] + s
    return waits


def queue_waits_h(
    departures_h: FloatArray,
    *,
    background_per_h: float,
    servers: int,
    service_h: float,
    deterministic: bool,
    horizon_h: float,
    rng: np.random.Generator,
    down_h: Sequence[Sequence[tuple[float, float]]] | None = None,
    initial_queue: int = 0,
) -> FloatArray:
    """Wait of each of a service's vehicles in a queue shared with other traffic [h].

    A lock (vessels) or a gauge-change crossing (trains): the other traffic arrives as
    a Poisson stream at ``background_per_h`` over ``[0, horizon_h)``; the service's
    vehicles join at their departure times (the queue is stationary, so the offset to
    the lock or border does not change the wait distribution); each holds one of
    ``servers`` for ``service_h`` (``deterministic``: M/D/c) or an exponential time of
    that mean (M/M/c); first come, first served. ``down_h`` closes servers for periods
    (see :func:`fcfs_waits_h`); ``initial_queue`` other vehicles wait at time 0 (a
    published backlog, so that a near-saturated queue starts in its observed state).
    """
    n_other = int(rng.poisson(background_per_h * horizon_h))
    other = np.concatenate([np.zeros(initial_queue), np.sort(rng.uniform(0.0, horizon_h, n_other))])
    times = np.concatenate([other, departures_h])
    own = np.concatenate([np.zeros(other.size, dtype=bool), np.ones(departures_h.size, dtype=bool)])
    order = np.argsort(times, kind="stable")
    service = (
        np.full(times.size, service_h) if deterministic else rng.exponential(service_h, times.size)
    )
    waits = fcfs_waits_h(times[order], service, servers, down_h)
    result: FloatArray = waits[own[order]]
    return result
