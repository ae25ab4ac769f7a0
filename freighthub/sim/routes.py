"""Per-route figures of one replication: the planner's table (clock in hours [h]).

For every route of every OD pair (origin, destination, route name) the TEU that
arrived in the statistics window and were delivered, door-to-door times, the price
per TEU, the emissions per TEU and the share delivered within the demand's promise.
A container counts on the route it actually travelled (a diverted box on its road
alternative).

Allocation: the cost and emissions of each counted container are those the summary
counts (:mod:`freighthub.sim.legs`): its legs and hub passages through the one
emissions formula, its road, service and handling costs, and its share of the fixed
cost of the departures it rode (in proportion to TEU). Summed over the routes they
give the summary's totals (the cost less the departures of services that carried no
counted box, :attr:`~freighthub.sim.summary.Summary.cost_unallocated_cny`). Per-TEU
figures divide by the TEU that arrived in the window on the route (``arrived_teu``),
the population whose legs and costs are counted, as ``compare``'s per-TEU figures do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from freighthub.sim.arrays import FloatArray
from freighthub.sim.figures import RouteFigures
from freighthub.sim.legs import BoolArray, ContainerCosts
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult, mode_codes

__all__ = ["ROUTE_FIGURES", "RouteInfo", "RouteSummary", "route_info", "route_summaries"]

#: The route figures a planner reads (fields of :class:`RouteSummary`), in table order:
#: the columns of ``simulate``'s route table, ``compare``'s per-route deltas and sweep
#: summaries.
ROUTE_FIGURES: tuple[str, ...] = (
    "arrived_teu",
    "delivered_teu",
    "door_to_door_mean_h",
    "door_to_door_p95_h",
    "price_cny_per_teu",
    "emissions_kgco2e_wtw_per_teu",
    "on_time_share",
)


#: The figures of one route in one replication
#: (fields: :class:`~freighthub.sim.figures.RouteFigures`).
RouteSummary = RouteFigures[float]


@dataclass(frozen=True)
class RouteInfo:
    """What a route id stands for: OD id, origin and destination node, route name, main mode."""

    od: str
    origin: str
    destination: str
    route: str
    main_mode: str


def route_info(network: CompiledNetwork) -> dict[str, RouteInfo]:
    """The labels of every route of a network, by route id (``"<od id>/<route name>"``)."""
    routes, demand = network.routes, network.demand
    modes = list(mode_codes())
    out: dict[str, RouteInfo] = {}
    for r, rid in enumerate(routes.ids):
        od = int(routes.od[r])
        out[rid] = RouteInfo(
            od=demand.ids[od],
            origin=network.node_ids[int(demand.origin[od])],
            destination=network.node_ids[int(demand.destination[od])],
            route=rid.split("/", 1)[1] if "/" in rid else rid,
            main_mode=modes[int(routes.main_mode[r])],
        )
    return out


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def route_summaries(
    network: CompiledNetwork,
    arrivals: Arrivals,
    result: EngineResult,
    counted: BoolArray,
    costs: ContainerCosts,
    emissions_kgco2e_wtw: FloatArray,
) -> dict[str, RouteSummary]:
    """Figures of every route of the network (see :class:`RouteSummary`).

    Parameters
    ----------
    network, arrivals, result
        The network, the arrivals and the engine's result.
    counted
        Per container, whether it arrived in the statistics window.
    costs
        The counted containers' allocated costs (:func:`~freighthub.sim.legs.container_costs_cny`).
    emissions_kgco2e_wtw
        Per container row, the WTW emissions of its counted legs and hub passages
        [kgCO2e].
    """
    n_routes = network.routes.n
    route = result.route
    delivered = counted & ~np.isnan(result.delivered_h)
    teu = arrivals.teu.astype(np.float64)
    d2d = result.delivered_h - result.arrival_h
    promise = network.demand.promised_door_to_door_h
    promised_h = (
        np.full(arrivals.n, math.nan) if promise is None else promise[arrivals.od]
    ).astype(np.float64)
    c_rows = np.flatnonzero(counted)
    arrived = np.bincount(route[c_rows], weights=teu[c_rows], minlength=n_routes)
    cost = np.bincount(route[c_rows], weights=costs.total[c_rows], minlength=n_routes)
    wtw = np.bincount(route[c_rows], weights=emissions_kgco2e_wtw[c_rows], minlength=n_routes)
    lb_rows = np.flatnonzero(counted & (result.left_behind > 0))
    left = np.bincount(route[lb_rows], weights=arrivals.boxes[lb_rows], minlength=n_routes)
    lb2_rows = np.flatnonzero(counted & (result.left_behind > 1))
    left2 = np.bincount(route[lb2_rows], weights=arrivals.boxes[lb2_rows], minlength=n_routes)
    out: dict[str, RouteSummary] = {}
    d_rows = np.flatnonzero(delivered)
    order = d_rows[np.argsort(route[d_rows], kind="stable")]
    bounds = np.searchsorted(route[order], np.arange(n_routes + 1))
    for r, rid in enumerate(network.routes.ids):
        rows = order[bounds[r] : bounds[r + 1]]
        times = d2d[rows]
        t_teu = teu[rows]
        delivered_teu = float(np.sum(t_teu))
        has_promise = rows.size > 0 and not bool(np.any(np.isnan(promised_h[rows])))
        on_time = (
            float(np.sum(t_teu[times <= promised_h[rows]])) / delivered_teu
            if has_promise and delivered_teu > 0
            else math.nan
        )
        out[rid] = RouteSummary(
            arrived_teu=float(arrived[r]),
            delivered_teu=delivered_teu,
            delivered_boxes=int(np.sum(arrivals.boxes[rows])),
            left_behind_boxes=int(left[r]),
            left_behind_repeatedly_boxes=int(left2[r]),
            door_to_door_mean_h=float(np.mean(times)) if rows.size else math.nan,
            door_to_door_p95_h=float(np.percentile(times, 95)) if rows.size else math.nan,
            cost_cny=float(cost[r]),
            price_cny_per_teu=_ratio(float(cost[r]), float(arrived[r])),
            emissions_kgco2e_wtw=float(wtw[r]),
            emissions_kgco2e_wtw_per_teu=_ratio(float(wtw[r]), float(arrived[r])),
            on_time_share=on_time,
        )
    return out
