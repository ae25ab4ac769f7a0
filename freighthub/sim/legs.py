"""Legs and hub passages of the counted containers: tables, freight mass, emissions, cost.

The simulation clock is in hours [h]. A container is counted when it arrives in the
statistics window ``[warmup_h, horizon_h)``; these tables hold the legs it started and
the hubs it passed. Emissions are never computed here: every leg goes through
:func:`freighthub.emissions.leg_emissions_kg` and every hub passage through
:func:`freighthub.emissions.hub_emissions_kg`, given the shipment (freight mass, TEU
and boxes); the formula takes the quantity its intensity is in.

References
----------
ISO 14083:2023 / GLEC Framework v3.0 (2023), p.20-22 and p.40: transport chain
elements for each leg and each hub passage; hub activity = outbound tonnes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from freighthub.emissions import (
    FactorPack,
    hub_emissions_kg,
    leg_emissions_kg,
)
from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.network import LEG_ROAD, Arrivals, CompiledNetwork, EngineResult, mode_code
from freighthub.units import HOURS_PER_YEAR
from freighthub.vocabulary import Mode

BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

__all__ = [
    "BoolArray",
    "ContainerCosts",
    "LegTable",
    "container_costs_cny",
    "emissions_by_leg",
    "freight_mass_t",
    "hub_emissions",
    "hub_passages",
    "leg_emissions",
    "leg_table",
]


@dataclass(frozen=True)
class LegTable:
    """Every leg started by a counted container (flat arrays, one row per leg).

    Attributes
    ----------
    container
        Row index into the arrivals.
    kind, index
        Leg kind (road/service) and road link or service index.
    link_code
        ``index`` for road legs, ``n_road_links + index`` for service legs.
    mode
        Mode code (see :func:`freighthub.sim.network.mode_codes`).
    distance_km
        Leg distance [km].
    intensity_code, intensity_names
        Emission-intensity id of each leg as ``intensity_names[intensity_code]``.
    """

    container: IntArray
    kind: IntArray
    index: IntArray
    link_code: IntArray
    mode: IntArray
    distance_km: FloatArray
    intensity_code: IntArray
    intensity_names: tuple[str, ...]

    @property
    def intensity_id(self) -> ObjectArray:
        """Emission-intensity id of each leg (object array)."""
        return np.asarray(self.intensity_names, dtype=object)[self.intensity_code]


def _codes(ids: Sequence[str], names: Sequence[str]) -> IntArray:
    lookup = {name: i for i, name in enumerate(names)}
    return np.array([lookup[x] for x in ids], dtype=np.int64)


def leg_table(network: CompiledNetwork, result: EngineResult, counted: BoolArray) -> LegTable:
    """The legs that counted containers started (``leg_departure_h`` not NaN).

    Parameters
    ----------
    network, result
        The network and the engine's result.
    counted
        Per container, whether it is counted (arrived in the statistics window).
    """
    routes, road, svc = network.routes, network.road, network.services
    n_legs = np.diff(routes.leg_start)[result.route]
    rows_l: list[IntArray] = []
    g_l: list[IntArray] = []
    for j in range(result.max_legs):
        ok = counted & (j < n_legs) & ~np.isnan(result.leg_column(j))
        rows = np.flatnonzero(ok)
        rows_l.append(rows)
        g_l.append(routes.leg_start[result.route[rows]] + j)
    rows = np.concatenate(rows_l) if rows_l else np.zeros(0, np.int64)
    g = np.concatenate(g_l) if g_l else np.zeros(0, np.int64)
    kind = routes.leg_kind[g]
    index = routes.leg_index[g]
    is_road = kind == LEG_ROAD
    names = tuple(sorted(set(road.intensity_id) | set(svc.intensity_id)))
    distance = np.zeros(rows.size, dtype=np.float64)
    mode = np.full(rows.size, mode_code(Mode.ROAD), dtype=np.int64)
    code = np.zeros(rows.size, dtype=np.int64)
    if road.n and np.any(is_road):
        distance[is_road] = road.distance_km[index[is_road]]
        code[is_road] = _codes(road.intensity_id, names)[index[is_road]]
    if svc.n and np.any(~is_road):
        distance[~is_road] = svc.distance_km[index[~is_road]]
        mode[~is_road] = svc.mode[index[~is_road]]
        code[~is_road] = _codes(svc.intensity_id, names)[index[~is_road]]
    link_code = np.where(is_road, index, road.n + index)
    return LegTable(rows, kind, index, link_code, mode, distance, code, names)


def hub_passages(
    network: CompiledNetwork, result: EngineResult, counted: BoolArray
) -> tuple[IntArray, IntArray]:
    """Hub passages of counted containers: ``(container row, hub index)``.

    A passage is the first visit of a run of consecutive visits at the same hub (a
    transshipment's unload and load are one passage), counted when its handling
    started.
    """
    routes = network.routes
    n_visits = np.diff(routes.visit_start)[result.route]
    rows_l: list[IntArray] = []
    hub_l: list[IntArray] = []
    for k in range(result.max_visits):
        started = ~np.isnan(result.visit_column(result.visit_start_h, k))
        ok = counted & (k < n_visits) & started
        rows = np.flatnonzero(ok)
        g = routes.visit_start[result.route[rows]] + k
        hub = routes.visit_hub[g]
        if k > 0:
            keep = routes.visit_hub[g - 1] != hub
            rows, hub = rows[keep], hub[keep]
        rows_l.append(rows)
        hub_l.append(hub)
    if not rows_l:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_l), np.concatenate(hub_l)


def freight_mass_t(network: CompiledNetwork, arrivals: Arrivals) -> FloatArray:
    """Freight mass of each container for tkm and emissions [t].

    GLEC Framework v3.0 p.21: the freight mass excludes the carrier's load carrier,
    so a loaded box counts its cargo (``cargo_t_per_teu``); an empty box moved for a
    customer is itself the freight and counts its tare (``tare_t_per_teu``).
    ``Arrivals.mass_t`` (gross, cargo plus tare) is what the vehicles carry.
    """
    d = network.demand
    per_teu = np.where(
        arrivals.loaded, d.cargo_t_per_teu[arrivals.od], d.tare_t_per_teu[arrivals.od]
    )
    return arrivals.teu.astype(np.float64) * per_teu


def leg_emissions(
    pack: FactorPack, legs: LegTable, arrivals: Arrivals, freight_t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    wtw = np.zeros(legs.container.size)
    ttw = np.zeros(legs.container.size)
    for c in np.unique(legs.intensity_code):
        intensity_id = legs.intensity_names[int(c)]
        if not intensity_id:
            continue  # no intensity given (hand-built networks); see legs_without_intensity_tkm
        sel = np.flatnonzero(legs.intensity_code == c)
        rows = legs.container[sel]
        w, t = leg_emissions_kg(
            pack,
            intensity_id,
            freight_t[rows],
            legs.distance_km[sel],
            teu=arrivals.teu[rows].astype(float),
        )
        wtw[sel], ttw[sel] = w, t
    return wtw, ttw


def hub_emissions(
    pack: FactorPack,
    network: CompiledNetwork,
    rows: IntArray,
    hub: IntArray,
    arrivals: Arrivals,
    freight_t: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """(WTW, TTW) emissions of every hub passage [kgCO2e]; 0 at a hub without a category."""
    wtw = np.zeros(rows.size)
    ttw = np.zeros(rows.size)
    names = tuple(sorted(set(network.hubs.handling_intensity_id)))
    code = _codes(network.hubs.handling_intensity_id, names)[hub] if rows.size else hub
    for c in np.unique(code):
        category = names[int(c)]
        if not category:
            continue  # no hub-operation category given for this hub
        sel = np.flatnonzero(code == c)
        r = rows[sel]
        w, t = hub_emissions_kg(
            pack,
            category,
            freight_t[r],
            teu=arrivals.teu[r].astype(float),
            boxes=arrivals.boxes[r].astype(float),
        )
        wtw[sel], ttw[sel] = w, t
    return wtw, ttw


@dataclass(frozen=True)
class ContainerCosts:
    """The cost of the counted containers, allocated per box [CNY].

    Attributes
    ----------
    road, services, departures, handling
        Per container row (aligned with the arrivals), the cost of each component
        allocated to it: its road legs (per TEU and per truck trip), its service legs
        (per TEU), its share of the fixed cost of the departures in the window of the
        services it rode, and its handling moves [CNY]. Rows not counted hold 0.
    unallocated_departures
        Fixed cost of the departures in the window of services that carried no
        counted box (nobody to allocate it to) [CNY].
    departures_by_service
        Per service index, the fixed cost of its departures in the window [CNY].
    service_fixed_by_service
        Per service index, the operator's yearly fixed cost (own and fleet,
        :mod:`freighthub.model.operator_cost`) prorated to the window's length
        [CNY]; allocated to no box (empty: none declared).

    The fixed cost of a service's departures in the window is shared among the
    counted containers that started a leg on that service, in proportion to their
    TEU; so the components summed over the rows, plus ``unallocated_departures``,
    are :meth:`by_component`.
    """

    road: FloatArray
    services: FloatArray
    departures: FloatArray
    handling: FloatArray
    unallocated_departures: float
    departures_by_service: FloatArray
    service_fixed_by_service: FloatArray | None = None

    @property
    def total(self) -> FloatArray:
        """Allocated cost of each container row [CNY]."""
        return self.road + self.services + self.departures + self.handling

    def by_component(self) -> dict[str, float]:
        """Cost [CNY] by component: road, services (per TEU), departures, handling.

        ``departures`` is the fixed cost of every departure in the window, allocated
        to a box or not. ``service_fixed`` (only where a service declares yearly
        operator costs) is the services' yearly fixed cost prorated to the window;
        ``departures`` and ``service_fixed`` are the operator's costs, the others
        what shippers pay per box.
        """
        out = {
            "road": math.fsum(self.road),
            "services": math.fsum(self.services),
            "departures": math.fsum(self.departures_by_service),
            "handling": math.fsum(self.handling),
        }
        if self.service_fixed_by_service is not None and self.service_fixed_by_service.size:
            out["service_fixed"] = math.fsum(self.service_fixed_by_service)
        return out


def container_costs_cny(
    network: CompiledNetwork,
    arrivals: Arrivals,
    result: EngineResult,
    legs: LegTable,
    counted: BoolArray,
) -> ContainerCosts:
    """The cost of every counted container by component (see :class:`ContainerCosts`)."""
    road, svc, hubs = network.road, network.services, network.hubs
    n = arrivals.n
    teu = arrivals.teu[legs.container].astype(np.float64)
    is_road = legs.kind == LEG_ROAD
    leg_road = np.zeros(legs.container.size)
    leg_svc = np.zeros(legs.container.size)
    if road.n and np.any(is_road):
        idx = legs.index[is_road]
        trips = teu[is_road] / road.truck_capacity_teu[idx]
        leg_road[is_road] = (
            road.cost_cny_per_teu[idx] * teu[is_road] + road.cost_cny_per_trip[idx] * trips
        )
    if svc.n and np.any(~is_road):
        leg_svc[~is_road] = svc.cost_cny_per_teu[legs.index[~is_road]] * teu[~is_road]
    lo, hi = network.warmup_h, network.horizon_h
    fixed = np.array(
        [
            float(svc.cost_cny_per_departure[k]) * int(np.sum((d >= lo) & (d < hi)))
            for k, d in enumerate(svc.departures_h)
        ],
        dtype=np.float64,
    )
    svc_legs = np.flatnonzero(~is_road)
    svc_index = legs.index[svc_legs]
    svc_teu = np.bincount(svc_index, weights=teu[svc_legs], minlength=svc.n)
    leg_dep = np.zeros(legs.container.size)
    if svc_legs.size:
        leg_dep[svc_legs] = fixed[svc_index] * teu[svc_legs] / svc_teu[svc_index]
    unallocated = math.fsum(float(fixed[k]) for k in range(svc.n) if svc_teu[k] <= 0)
    routes = network.routes
    n_visits = np.diff(routes.visit_start)[result.route]
    handling = np.zeros(n)
    for k in range(result.max_visits):
        started = ~np.isnan(result.visit_column(result.visit_start_h, k))
        ok = counted & (k < n_visits) & started
        rows = np.flatnonzero(ok)
        hub = routes.visit_hub[routes.visit_start[result.route[rows]] + k]
        handling[rows] += hubs.handling_cost_cny_per_move[hub]

    def per_row(values: FloatArray) -> FloatArray:
        return np.bincount(legs.container, weights=values, minlength=n).astype(np.float64)

    return ContainerCosts(
        road=per_row(leg_road),
        services=per_row(leg_svc),
        departures=per_row(leg_dep),
        handling=handling,
        unallocated_departures=unallocated,
        departures_by_service=fixed,
        service_fixed_by_service=_service_fixed_cny(network),
    )


def emissions_by_leg(
    network: CompiledNetwork, legs: LegTable, wtw: FloatArray, ttw: FloatArray
) -> tuple[dict[str, float], dict[str, float]]:
    """Leg emissions WTW and TTW by service id or ``road:<link id>`` (both directions
    together) [kgCO2e]."""
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


def _service_fixed_cny(network: CompiledNetwork) -> FloatArray | None:
    """Yearly fixed cost of each service prorated to the window [CNY]; None if none declared."""
    per_year = network.services.fixed_cost_cny_per_year
    if per_year is None or not np.any(per_year > 0):
        return None
    window_h = network.horizon_h - network.warmup_h
    out: FloatArray = per_year * (window_h / HOURS_PER_YEAR)
    return out
