"""Summaries of one simulation replication (clock in hours [h]).

Statistics cover the containers that arrive in the statistics window
``[warmup_h, horizon_h)``; containers that arrive during the warm-up are simulated
(they load the network) but not counted. Utilisations count the busy time and
departures that fall in the window. Legs, hub passages, their emissions and cost come
from :mod:`freighthub.sim.legs`; the estimates over replications live in
:mod:`freighthub.sim.estimates`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from freighthub.emissions import FactorPack
from freighthub.sim.legs import (
    BoolArray,
    LegTable,
    container_costs_cny,
    freight_mass_t,
    hub_emissions,
    hub_passages,
    leg_emissions,
    leg_table,
)
from freighthub.sim.network import (
    LEG_SERVICE,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    FloatArray,
    IntArray,
    mode_code,
    mode_codes,
)
from freighthub.sim.routes import RouteSummary, route_summaries
from freighthub.vocabulary import Mode

__all__ = [
    "HubSummary",
    "RouteSummary",
    "ServiceSummary",
    "Summary",
    "flatten",
    "service_use",
    "summarise",
]


@dataclass(frozen=True)
class HubSummary:
    """Figures of one hub in the statistics window.

    Attributes
    ----------
    handled_teu, handled_t
        TEU and gross tonnes passing through the hub (one passage per container
        visit of the hub, a transshipment counting once) [TEU], [t].
    moves
        Handling moves (loads and unloads) [-].
    mean_wait_h, p95_wait_h
        Queueing wait before a handling move [h].
    mean_yard_hold_h
        Mean time boxes starting at this hub were held outside a full yard [h].
    utilisation
        Busy time of the handling pool / (servers x window) [0-1].
    emissions_kgco2e_wtw, emissions_kgco2e_ttw
        Hub-operation emissions [kgCO2e]; TTW counts only categories that give TTW.
    """

    handled_teu: float
    handled_t: float
    moves: int
    mean_wait_h: float
    p95_wait_h: float
    mean_yard_hold_h: float
    utilisation: float
    emissions_kgco2e_wtw: float
    emissions_kgco2e_ttw: float


@dataclass(frozen=True)
class ServiceSummary:
    """Figures of one timetabled service in the statistics window.

    Attributes
    ----------
    departures
        Departures in the window, including empty and cancelled ones [-].
    empty_departures
        Departures in the window that ran (capacity > 0) and carried nothing [-].
    teu, capacity_teu
        TEU carried and offered [TEU].
    routed_teu
        TEU that arrived in the window on routes (as assigned) using the service
        [TEU]: more than ``capacity_teu`` is demand the service cannot carry.
    utilisation
        ``teu / capacity_teu`` [0-1]; NaN when no capacity was offered.
    """

    departures: int
    empty_departures: int
    teu: float
    capacity_teu: float
    routed_teu: float
    utilisation: float


@dataclass(frozen=True)
class Summary:
    """Summary of one replication (all figures over the statistics window).

    Attributes
    ----------
    arrived_teu, delivered_teu, in_system_teu
        TEU that arrived in the window, were delivered before the horizon, and were
        still in the network at the horizon; ``arrived = delivered + in_system``.
    arrived_boxes, delivered_boxes, diverted_boxes, left_behind_boxes
        Boxes; diverted boxes took their road alternative (and are counted in
        delivered or in system); left-behind boxes missed at least one full
        departure.
    throughput_teu, throughput_t
        Delivered TEU and gross tonnes (cargo plus tare) [TEU], [t].
    throughput_teu_by_mode, throughput_t_by_mode
        Delivered TEU and t by the main mode of the route travelled.
    modal_split_teu_share
        Share of delivered TEU by main mode [0-1], summing to 1.
    tkm_by_mode, modal_split_tkm_share
        Freight tonne-km of each mode's legs [tkm] and its shares [0-1]; freight
        mass as in :func:`freight_mass_t` (cargo, or tare for empty boxes).
    door_to_door_mean_h, door_to_door_p50_h, door_to_door_p95_h
        Arrival at the origin to delivery at the destination [h].
    door_to_door_mean_h_by_mode
        Mean door-to-door time by main mode [h].
    hubs, services
        Per hub id and per service id.
    cost_cny, cost_cny_by_component
        Cost [CNY]; components ``road``, ``services`` (per TEU), ``departures``
        (fixed per departure in the window: per-departure cost and the operator's
        per-departure components), ``handling``, and ``service_fixed`` (the
        operators' yearly fixed and fleet cost prorated to the window; only where a
        service declares it). ``departures`` and ``service_fixed`` are operator costs.
    cost_unallocated_cny
        The part of ``cost_cny`` no counted box rode: the fixed cost of the departures
        in the window of services that carried none, and ``service_fixed`` [CNY].
    routes
        Per route id (``"<od id>/<route name>"``), every route of the network: TEU,
        door-to-door times, price and emissions per TEU, share on time
        (:mod:`freighthub.sim.routes`).
    emissions_kgco2e_wtw, emissions_kgco2e_ttw
        Total emissions of legs and hub passages [kgCO2e].
    emissions_ttw_complete
        False if some intensity gives only WTW (its TTW is then left out).
    emissions_kgco2e_wtw_by_mode, emissions_kgco2e_ttw_by_mode
        Leg emissions by the leg's mode (hub emissions under ``hub``).
    emissions_kgco2e_wtw_by_leg, emissions_kgco2e_ttw_by_leg
        Leg emissions by service id or road link id.
    legs_without_intensity_tkm
        Tonne-km of legs whose link or service names no intensity id (possible only
        in networks built without a scenario file); their emissions are left out.
    """

    arrived_teu: float
    delivered_teu: float
    in_system_teu: float
    arrived_boxes: int
    delivered_boxes: int
    diverted_boxes: int
    left_behind_boxes: int
    throughput_teu: float
    throughput_t: float
    throughput_teu_by_mode: dict[str, float]
    throughput_t_by_mode: dict[str, float]
    modal_split_teu_share: dict[str, float]
    tkm_by_mode: dict[str, float]
    modal_split_tkm_share: dict[str, float]
    door_to_door_mean_h: float
    door_to_door_p50_h: float
    door_to_door_p95_h: float
    door_to_door_mean_h_by_mode: dict[str, float]
    hubs: dict[str, HubSummary]
    services: dict[str, ServiceSummary]
    cost_cny: float
    cost_cny_by_component: dict[str, float]
    cost_unallocated_cny: float
    routes: dict[str, RouteSummary]
    emissions_kgco2e_wtw: float
    emissions_kgco2e_ttw: float
    emissions_ttw_complete: bool
    emissions_kgco2e_wtw_by_mode: dict[str, float]
    emissions_kgco2e_ttw_by_mode: dict[str, float]
    emissions_kgco2e_wtw_by_leg: dict[str, float]
    emissions_kgco2e_ttw_by_leg: dict[str, float]
    legs_without_intensity_tkm: float


def _mean(x: FloatArray) -> float:
    return float(np.mean(x)) if x.size else math.nan


def _pct(x: FloatArray, q: float) -> float:
    return float(np.percentile(x, q)) if x.size else math.nan


def _by(keys: Sequence[str], codes: IntArray, values: FloatArray) -> dict[str, float]:
    sums = (
        np.bincount(codes, weights=values, minlength=len(keys))
        if codes.size
        else np.zeros(len(keys))
    )
    return {k: float(sums[i]) for i, k in enumerate(keys)}


def _shares(totals: Mapping[str, float]) -> dict[str, float]:
    total = math.fsum(totals.values())
    return {k: (v / total if total > 0 else math.nan) for k, v in totals.items()}


def summarise(
    network: CompiledNetwork, arrivals: Arrivals, result: EngineResult, pack: FactorPack
) -> Summary:
    """Summarise one replication over the statistics window.

    Parameters
    ----------
    network
        The compiled network.
    arrivals
        The arrivals the engine ran on.
    result
        The engine's result.
    pack
        Emission factor pack holding every intensity id of the network.

    Raises
    ------
    UnknownIdentifierError
        If an intensity or hub-category id is not in ``pack``.
    """
    counted = arrivals.time_h >= network.warmup_h
    delivered = counted & ~np.isnan(result.delivered_h)
    teu = arrivals.teu.astype(np.float64)
    mode_names = list(mode_codes())
    used_modes = sorted(
        {int(c) for c in network.routes.main_mode} | {int(c) for c in network.services.mode}
        | ({mode_code(Mode.ROAD)} if network.road.n else set())
    )  # fmt: skip
    shown = [mode_names[c] for c in used_modes]

    def restrict(d: dict[str, float]) -> dict[str, float]:
        return {k: d[k] for k in shown}

    main_mode = network.routes.main_mode[result.route]
    d_rows = np.flatnonzero(delivered)
    teu_by_mode = restrict(_by(mode_names, main_mode[d_rows], teu[d_rows]))
    t_by_mode = restrict(_by(mode_names, main_mode[d_rows], arrivals.mass_t[d_rows]))
    d2d = result.delivered_h[d_rows] - result.arrival_h[d_rows]
    d2d_by_mode = {
        name: _mean(d2d[main_mode[d_rows] == code])
        for code, name in zip(used_modes, shown, strict=True)
    }

    legs = leg_table(network, result, counted)
    freight_t = freight_mass_t(network, arrivals)
    tkm = freight_t[legs.container] * legs.distance_km
    tkm_by_mode = restrict(_by(mode_names, legs.mode, tkm))
    leg_wtw, leg_ttw = leg_emissions(pack, legs, arrivals, freight_t)
    ttw_complete = not bool(np.any(np.isnan(leg_ttw)))
    wtw_by_leg, ttw_by_leg = _by_leg(network, legs, leg_wtw, leg_ttw)
    no_intensity = (
        legs.intensity_code == legs.intensity_names.index("")
        if "" in legs.intensity_names
        else np.zeros(legs.container.size, dtype=bool)
    )

    p_rows, p_hub = hub_passages(network, result, counted)
    hub_wtw, hub_ttw = hub_emissions(pack, network, p_rows, p_hub, arrivals, freight_t)
    ttw_complete = ttw_complete and not bool(np.any(np.isnan(hub_ttw)))

    hubs = _hub_summaries(network, arrivals, result, counted, p_rows, p_hub, hub_wtw, hub_ttw)
    services = _service_summaries(network, arrivals, result, counted)

    box_costs = container_costs_cny(network, arrivals, result, legs, counted)
    cost = box_costs.by_component()
    box_wtw: FloatArray = np.bincount(legs.container, weights=leg_wtw, minlength=arrivals.n).astype(
        np.float64
    ) + np.bincount(p_rows, weights=hub_wtw, minlength=arrivals.n)
    routes = route_summaries(network, arrivals, result, counted, box_costs, box_wtw)
    wtw_by_mode = restrict(_by(mode_names, legs.mode, leg_wtw))
    ttw_by_mode = restrict(_by(mode_names, legs.mode, np.nan_to_num(leg_ttw)))
    wtw_by_mode["hub"] = float(np.sum(hub_wtw))
    ttw_by_mode["hub"] = float(np.nansum(hub_ttw))
    return Summary(
        arrived_teu=float(np.sum(teu[counted])),
        delivered_teu=float(np.sum(teu[delivered])),
        in_system_teu=float(np.sum(teu[counted & ~delivered])),
        arrived_boxes=int(np.sum(arrivals.boxes[counted])),
        delivered_boxes=int(np.sum(arrivals.boxes[delivered])),
        diverted_boxes=int(np.sum(arrivals.boxes[counted & result.diverted])),
        left_behind_boxes=int(np.sum(arrivals.boxes[counted & (result.left_behind > 0)])),
        throughput_teu=float(np.sum(teu[delivered])),
        throughput_t=float(np.sum(arrivals.mass_t[delivered])),
        throughput_teu_by_mode=teu_by_mode,
        throughput_t_by_mode=t_by_mode,
        modal_split_teu_share=_shares(teu_by_mode),
        tkm_by_mode=tkm_by_mode,
        modal_split_tkm_share=_shares(tkm_by_mode),
        door_to_door_mean_h=_mean(d2d),
        door_to_door_p50_h=_pct(d2d, 50),
        door_to_door_p95_h=_pct(d2d, 95),
        door_to_door_mean_h_by_mode=d2d_by_mode,
        hubs=hubs,
        services=services,
        cost_cny=math.fsum(cost.values()),
        cost_cny_by_component=cost,
        cost_unallocated_cny=box_costs.unallocated_departures + cost.get("service_fixed", 0.0),
        routes=routes,
        emissions_kgco2e_wtw=float(np.sum(leg_wtw) + np.sum(hub_wtw)),
        emissions_kgco2e_ttw=float(np.nansum(leg_ttw) + np.nansum(hub_ttw)),
        emissions_ttw_complete=ttw_complete,
        emissions_kgco2e_wtw_by_mode=wtw_by_mode,
        emissions_kgco2e_ttw_by_mode=ttw_by_mode,
        emissions_kgco2e_wtw_by_leg=wtw_by_leg,
        emissions_kgco2e_ttw_by_leg=ttw_by_leg,
        legs_without_intensity_tkm=float(np.sum(tkm[no_intensity])),
    )


def _by_leg(
    network: CompiledNetwork, legs: LegTable, wtw: FloatArray, ttw: FloatArray
) -> tuple[dict[str, float], dict[str, float]]:
    """Leg emissions by service id or ``road:<link id>`` (both directions together)."""
    road, svc = network.road, network.services
    n = road.n + svc.n
    count = np.bincount(legs.link_code, minlength=n)
    w = np.bincount(legs.link_code, weights=wtw, minlength=n)
    t = np.bincount(legs.link_code, weights=np.nan_to_num(ttw), minlength=n)
    road_ids = road.ids or tuple(f"road-{i}" for i in range(road.n))
    names = [f"road:{x}" for x in road_ids] + list(svc.ids)
    wtw_by: dict[str, float] = {}
    ttw_by: dict[str, float] = {}
    for k in np.flatnonzero(count):
        name = names[int(k)]
        wtw_by[name] = wtw_by.get(name, 0.0) + float(w[k])
        ttw_by[name] = ttw_by.get(name, 0.0) + float(t[k])
    order = sorted(wtw_by)
    return {k: wtw_by[k] for k in order}, {k: ttw_by[k] for k in order}


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


def _hub_summaries(
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
    for k in range(result.visit_start_h.shape[1]):
        rows = np.flatnonzero((k < n_visits) & ~np.isnan(result.visit_start_h[:, k]))
        parts.append(
            (
                routes.visit_hub[routes.visit_start[result.route[rows]] + k],
                result.visit_wait_h[rows, k],
                counted[rows],
                result.visit_start_h[rows, k],
                result.visit_handling_h[rows, k],
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
            handled_t=float(handled_t[h]),
            moves=int(moves[h]),
            mean_wait_h=float(mean_wait[h]),
            p95_wait_h=float(p95_wait[h]),
            mean_yard_hold_h=float(mean_held[h]),
            utilisation=float(busy[h]) / (float(hubs.servers[h]) * (hi - lo)),
            emissions_kgco2e_wtw=float(e_wtw[h]),
            emissions_kgco2e_ttw=float(e_ttw[h]),
        )
        for h, hub_id in enumerate(hubs.ids)
    }


def service_use(network: CompiledNetwork) -> BoolArray:
    """Shape ``(n_routes, n_services)``: whether a route has a leg on a service."""
    r = network.routes
    uses = np.zeros((r.n, network.services.n), dtype=bool)
    for i in range(r.n):
        for g in range(int(r.leg_start[i]), int(r.leg_start[i + 1])):
            if r.leg_kind[g] == LEG_SERVICE:
                uses[i, int(r.leg_index[g])] = True
    return uses


def _service_summaries(
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
        )
    return out


def flatten(obj: Any, prefix: str = "") -> dict[str, float]:
    """A summary as ``{dotted path: number}`` (booleans and texts left out)."""
    out: dict[str, float] = {}
    if hasattr(obj, "__dataclass_fields__"):
        for f in fields(obj):
            out.update(flatten(getattr(obj, f.name), f"{prefix}{f.name}."))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        out[prefix.rstrip(".")] = float(obj)
    return out
