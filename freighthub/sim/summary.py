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
from dataclasses import dataclass
from typing import Any, cast

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
from freighthub.sim.figures import SummaryFigures, figures_by_path
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
from freighthub.sim.terminal_stats import terminal_summary
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
class Summary(SummaryFigures[float]):
    """Summary of one replication: every figure of
    :class:`~freighthub.sim.figures.SummaryFigures` as a number (a count is an ``int`` from
    :func:`summarise`, a ``float`` when read back from a sweep row).

    Per hub, service and route, and the terminal model's pools, trucks and yards
    (``None`` without one), as :data:`HubSummary`, :data:`ServiceSummary`,
    :data:`RouteSummary` and :data:`~freighthub.sim.terminal_stats.TerminalSummary`.
    """


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
        route = cast("IntArray", result.route)  # (int32 from the fast engine: an index)
        boxes = (network.routes.ids, route, window)
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


def flatten(summary: Any) -> dict[str, float]:
    """A summary as ``{dotted path: number}`` (booleans and texts left out)."""
    return {path: float(v) for path, v in figures_by_path(summary, _is_number).items()}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
