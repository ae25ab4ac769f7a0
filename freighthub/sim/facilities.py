"""Hub and service figures of one replication (clock in hours [h]).

Split from :mod:`freighthub.sim.summary` (which puts them in its
:class:`~freighthub.sim.summary.Summary` and re-exports the types): the handling pool,
yard and waits of each hub and the load of each timetabled service over the
statistics window ``[warmup_h, horizon_h)``, traced boxes first, then the background
traffic's share (:func:`with_background`, :mod:`freighthub.sim.background`).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.background_flows import background_hub_figures, background_service_teu
from freighthub.sim.figures import HubFigures, ServiceFigures
from freighthub.sim.legs import BoolArray
from freighthub.sim.network import LEG_SERVICE, Arrivals, CompiledNetwork, EngineResult

__all__ = [
    "HubSummary",
    "ServiceSummary",
    "hub_summaries",
    "service_summaries",
    "service_use",
    "with_background",
]


#: The figures of one hub in one replication (fields: :class:`~freighthub.sim.figures.HubFigures`).
HubSummary = HubFigures[float]
#: The figures of one service in one replication
#: (fields: :class:`~freighthub.sim.figures.ServiceFigures`).
ServiceSummary = ServiceFigures[float]


def _grouped_percentile(group: IntArray, values: FloatArray, n: int, q: float) -> FloatArray:
    out = np.full(n, math.nan)
    if not values.size:
        return out
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n + 1))
    for h in range(n):
        chunk = values[order[bounds[h] : bounds[h + 1]]]
        if chunk.size:
            out[h] = float(np.percentile(chunk, q))
    return out


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), math.nan)


def hub_summaries(
    network: CompiledNetwork,
    arrivals: Arrivals,
    result: EngineResult,
    counted: BoolArray,
    p_rows: IntArray,
    p_hub: IntArray,
    hub_wtw: FloatArray,
    hub_ttw: FloatArray,
) -> dict[str, HubSummary]:
    routes, hubs = network.routes, network.hubs
    lo, hi = network.warmup_h, network.horizon_h
    n_hubs = hubs.n
    n_visits = np.diff(routes.visit_start)[result.route]
    parts: list[tuple[IntArray, FloatArray, BoolArray, FloatArray, FloatArray]] = []
    voff = result.visit_offset  # (visit k of box i: row voff[i] + k, ragged)
    for k in range(result.max_visits):
        rows = np.flatnonzero(k < n_visits)  # (never beyond a box's own visit rows)
        at = voff[rows] + k
        ok = ~np.isnan(result.visit_start_h[at])
        rows, at = rows[ok], at[ok]
        parts.append(
            (
                routes.visit_hub[routes.visit_start[result.route[rows]] + k],
                result.visit_wait_h[at],
                counted[rows],
                result.visit_start_h[at],
                result.visit_handling_h[at],
            )
        )
    if parts:
        v_hub, v_wait, v_counted, v_start, v_dur = (
            np.concatenate([p[i] for p in parts]) for i in range(5)
        )
    else:
        v_hub, v_wait, v_counted = np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool)
        v_start, v_dur = np.zeros(0), np.zeros(0)
    mine = v_hub[v_counted]
    waits = v_wait[v_counted]
    moves = np.bincount(mine, minlength=n_hubs)
    mean_wait = _ratio(
        np.bincount(mine, weights=waits, minlength=n_hubs).astype(np.float64), moves.astype(float)
    )
    p95_wait = _grouped_percentile(mine, waits, n_hubs, 95)
    overlap = np.clip(np.minimum(v_start + v_dur, hi) - np.maximum(v_start, lo), 0.0, None)
    busy = np.bincount(v_hub, weights=overlap, minlength=n_hubs)
    teu = arrivals.teu.astype(np.float64)
    handled_teu = np.bincount(p_hub, weights=teu[p_rows], minlength=n_hubs)
    handled_t = np.bincount(p_hub, weights=arrivals.mass_t[p_rows], minlength=n_hubs)
    e_wtw = np.bincount(p_hub, weights=hub_wtw, minlength=n_hubs)
    e_ttw = np.bincount(p_hub, weights=np.nan_to_num(hub_ttw), minlength=n_hubs)
    has_visit = n_visits > 0
    first_hub = np.full(arrivals.n, -1, dtype=np.int64)
    first_hub[has_visit] = routes.visit_hub[routes.visit_start[result.route[has_visit]]]
    held_rows = counted & (first_hub >= 0)
    held_n = np.bincount(first_hub[held_rows], minlength=n_hubs).astype(float)
    held_sum = np.bincount(
        first_hub[held_rows], weights=result.yard_hold_h[held_rows], minlength=n_hubs
    ).astype(np.float64)
    mean_held = _ratio(held_sum, held_n)
    return {
        hub_id: HubSummary(
            handled_teu=float(handled_teu[h]),
            traced_teu=float(handled_teu[h]),
            handled_t=float(handled_t[h]),
            moves=int(moves[h]),
            mean_wait_h=float(mean_wait[h]),
            p95_wait_h=float(p95_wait[h]),
            mean_yard_hold_h=float(mean_held[h]),
            utilisation=float(busy[h]) / (float(hubs.servers[h]) * (hi - lo)),
            emissions_kgco2e_wtw=float(e_wtw[h]),
            emissions_kgco2e_ttw=float(e_ttw[h]),
            background_teu=0.0,
            background_moves=0.0,
            background_mean_wait_h=math.nan,
        )
        for h, hub_id in enumerate(hubs.ids)
    }


def with_background(
    network: CompiledNetwork,
    arrivals: Arrivals,
    result: EngineResult,
    hubs: dict[str, HubSummary],
    services: dict[str, ServiceSummary],
) -> tuple[dict[str, HubSummary], dict[str, ServiceSummary]]:
    """Add the background's TEU, moves, waits and busy time to the traced figures."""
    fig = background_hub_figures(network, arrivals, result)
    window_h = network.horizon_h - network.warmup_h
    servers = network.hubs.servers
    hubs = {
        hub_id: replace(
            x,
            handled_teu=x.traced_teu + float(fig.teu[h]),
            background_teu=float(fig.teu[h]),
            background_moves=float(fig.moves[h]),
            background_mean_wait_h=fig.mean_wait_h(h),
            utilisation=x.utilisation + float(fig.busy_h[h]) / (float(servers[h]) * window_h),
        )
        for h, (hub_id, x) in enumerate(hubs.items())
    }
    carried, empty = background_service_teu(network, result)
    services = {
        sid: replace(
            x,
            teu=x.teu + float(carried[k]),
            background_teu=float(carried[k]),
            empty_departures=int(empty[k]),
            utilisation=(x.teu + float(carried[k])) / x.capacity_teu
            if x.capacity_teu > 0
            else math.nan,
        )
        for k, (sid, x) in enumerate(services.items())
    }
    return hubs, services


def service_use(network: CompiledNetwork) -> BoolArray:
    """Shape ``(n_routes, n_services)``: whether a route has a leg on a service."""
    r = network.routes
    uses = np.zeros((r.n, network.services.n), dtype=bool)
    for i in range(r.n):
        for g in range(int(r.leg_start[i]), int(r.leg_start[i + 1])):
            if r.leg_kind[g] == LEG_SERVICE:
                uses[i, int(r.leg_index[g])] = True
    return uses


def service_summaries(
    network: CompiledNetwork, arrivals: Arrivals, result: EngineResult, counted: BoolArray
) -> dict[str, ServiceSummary]:
    lo, hi = network.warmup_h, network.horizon_h
    c_rows = np.flatnonzero(counted)
    teu = arrivals.teu[c_rows].astype(np.float64)
    routed = (teu[:, None] * service_use(network)[arrivals.route[c_rows]]).sum(axis=0)
    out: dict[str, ServiceSummary] = {}
    for k, sid in enumerate(network.services.ids):
        dep = network.services.departures_h[k]
        cap_all = network.services.capacity_teu[k]
        in_window = (dep >= lo) & (dep < hi)
        trips = (
            (result.trip_service == k)
            & (result.trip_departure_h >= lo)
            & (result.trip_departure_h < hi)
        )
        carried = float(np.sum(result.trip_teu[trips]))
        capacity = float(np.sum(cap_all[in_window]))
        ran = trips & (result.trip_capacity_teu > 0)
        out[sid] = ServiceSummary(
            departures=int(np.sum(in_window)),
            empty_departures=int(np.sum(ran & (result.trip_teu <= 0))),
            teu=carried,
            capacity_teu=capacity,
            routed_teu=float(routed[k]) if routed.size else 0.0,
            utilisation=carried / capacity if capacity > 0 else math.nan,
            background_teu=0.0,
        )
    return out
