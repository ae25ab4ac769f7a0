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
from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.facilities import (
    HubSummary,
    ServiceSummary,
    hub_summaries,
    service_summaries,
    service_use,
    with_background,
)
from freighthub.sim.legs import (
    container_costs_cny,
    emissions_by_leg,
    freight_mass_t,
    hub_emissions,
    hub_passages,
    leg_emissions,
    leg_table,
)
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult, mode_code, mode_codes
from freighthub.sim.routes import RouteSummary, route_summaries
from freighthub.sim.terminal_stats import TerminalSummary, terminal_summary
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
    terminal
        Pools, trucks and yards of the terminal model
        (:mod:`freighthub.sim.terminal_stats`); ``None`` without one.
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
    terminal: TerminalSummary | None = None


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
    wtw_by_leg, ttw_by_leg = emissions_by_leg(network, legs, leg_wtw, leg_ttw)
    no_intensity = (
        legs.intensity_code == legs.intensity_names.index("")
        if "" in legs.intensity_names
        else np.zeros(legs.container.size, dtype=bool)
    )

    p_rows, p_hub = hub_passages(network, result, counted)
    hub_wtw, hub_ttw = hub_emissions(pack, network, p_rows, p_hub, arrivals, freight_t)
    ttw_complete = ttw_complete and not bool(np.any(np.isnan(hub_ttw)))

    hubs = hub_summaries(network, arrivals, result, counted, p_rows, p_hub, hub_wtw, hub_ttw)
    services = service_summaries(network, arrivals, result, counted)
    if arrivals.background is not None:
        hubs, services = with_background(network, arrivals, result, hubs, services)

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
    terminal = None
    if network.terminal is not None and result.terminal is not None:
        lo, hi = network.warmup_h, network.horizon_h
        window = (arrivals.time_h >= lo) & (arrivals.time_h < hi)
        boxes = (network.routes.ids, result.route, window)
        terminal = terminal_summary(network.terminal, network.hubs, result.terminal, lo, hi, boxes)
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
        terminal=terminal,
    )


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
