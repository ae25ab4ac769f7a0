"""Per service, how a simulated experiment loaded it: routed, offered, carried, left behind.

Used by comparisons (:mod:`freighthub.shift.compare`) to say which services a variant
overloads, month by month.
"""

from __future__ import annotations

import numpy as np

from freighthub.shift.comparison import ServiceLoad
from freighthub.sim.arrays import FloatArray
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.network import LEG_SERVICE, CompiledNetwork
from freighthub.sim.summary import service_use
from freighthub.units import HOURS_PER_DAY, MONTH_DAYS

__all__ = ["service_loads"]


def _first_service_leg(network: CompiledNetwork) -> np.ndarray:
    r = network.routes
    first = np.full(r.n, -1, dtype=np.int64)
    for i in range(r.n):
        for g in range(int(r.leg_start[i]), int(r.leg_start[i + 1])):
            if r.leg_kind[g] == LEG_SERVICE:
                first[i] = int(r.leg_index[g])
                break
    return first


def _month_edges_h(horizon_h: float) -> FloatArray:
    """Calendar-month boundaries [h] from 0 up to and including ``horizon_h``."""
    month_h = np.array(MONTH_DAYS, dtype=np.float64) * HOURS_PER_DAY
    years = int(np.ceil(horizon_h / month_h.sum())) or 1
    edges = np.concatenate([[0.0], np.cumsum(np.tile(month_h, years))])
    return np.append(edges[edges < horizon_h], horizon_h)


def service_loads(result: ExperimentResult) -> tuple[ServiceLoad, ...]:
    """Per service: routed TEU, capacity, carried, left behind and waiting (means).

    Month by month (calendar months of the simulated year, within the statistics
    window) the TEU arriving at their origin on routes that use the service are
    compared with the capacity of the service's departures in the same month; a
    month with more routed than offered is listed in ``overloaded_months`` (months
    less than half inside the statistics window are not judged).
    """
    net = result.network
    r, svc = net.routes, net.services
    if not result.runs or svc.n == 0:
        return ()
    uses = service_use(net)
    first = _first_service_leg(net)
    n_legs = np.diff(r.leg_start)
    calendar = _month_edges_h(net.horizon_h)
    full = np.diff(calendar)
    edges = np.maximum(calendar, net.warmup_h)
    n_months = edges.size - 1
    routed_month = np.zeros((svc.n, n_months))
    left = np.zeros(svc.n)
    waiting = np.zeros(svc.n)
    for run in result.runs:
        a, e = run.arrivals, run.result
        counted = a.time_h >= net.warmup_h
        teu = a.teu.astype(np.float64)
        on = teu[counted][:, None] * uses[a.route[counted]]
        month = np.clip(
            np.searchsorted(edges, a.time_h[counted], side="right") - 1, 0, n_months - 1
        )
        for m in range(n_months):
            routed_month[:, m] += on[month == m].sum(axis=0)
        lb = counted & (e.left_behind > 0) & (first[e.route] >= 0)
        np.add.at(left, first[e.route[lb]], a.boxes[lb].astype(np.float64))
        stuck = np.flatnonzero(counted & np.isnan(e.delivered_h))
        for row in stuck:
            route = int(e.route[row])
            for j in range(int(n_legs[route])):
                if np.isnan(e.leg_departure_h[e.leg_offset[row] + j]):
                    g = int(r.leg_start[route]) + j
                    if r.leg_kind[g] == LEG_SERVICE:
                        waiting[int(r.leg_index[g])] += teu[row]
                    break
    n = len(result.runs)
    out = []
    for k, sid in enumerate(svc.ids):
        cap = float(np.mean([s.services[sid].capacity_teu for s in result.summaries]))
        carried = float(np.mean([s.services[sid].teu for s in result.summaries]))
        routed = float(np.mean([s.services[sid].routed_teu for s in result.summaries]))
        dep, dep_cap = svc.departures_h[k], svc.capacity_teu[k]
        overloaded = []
        for m in range(n_months):
            if edges[m + 1] - edges[m] < full[m] / 2:
                continue  # less than half of the month in the statistics window
            in_month = (dep >= edges[m]) & (dep < edges[m + 1])
            if routed_month[k, m] / n > float(np.sum(dep_cap[in_month])):
                overloaded.append(m % 12 + 1)
        out.append(
            ServiceLoad(
                service=sid,
                routed_teu=routed,
                capacity_teu=cap,
                carried_teu=carried,
                left_behind_boxes=float(left[k] / n),
                waiting_teu_at_horizon=float(waiting[k] / n),
                over_capacity=bool(routed > cap),
                overloaded_months=tuple(overloaded),
            )
        )
    return tuple(out)
