"""Level-of-service attributes of every route, per TEU, for the mode and route choice.

Computed from the compiled network (no file I/O): price, policy levers, door-to-door
time, WTW emissions (through :func:`freighthub.emissions.leg_emissions_kg` and
:func:`freighthub.emissions.hub_emissions_kg`, never a factor of our own) and the
generalised cost of :func:`freighthub.shift.logit.generalised_cost`.

Per TEU of an OD the freight mass is ``loaded_share × cargo_t_per_teu + (1 -
loaded_share) × tare_t_per_teu`` [t], as in :func:`freighthub.sim.legs.freight_mass_t`
(GLEC Framework v3.0 p.21: cargo of loaded boxes, tare of empty ones).

Price of a route [CNY/TEU]: road legs ``cost_cny_per_teu + cost_cny_per_trip /
truck_capacity_teu`` (full trucks); service legs ``cost_cny_per_teu +
cost_cny_per_departure / mean capacity per departure`` (the fixed cost spread over a
full departure); ``handling_cost_cny_per_move`` per handling visit. Levers: road toll
``road_toll_cny_per_vehicle_km × distance_km / truck_capacity_teu``; subsidies per TEU
by service mode or service id are subtracted.

Door-to-door time [h]: road legs ``distance / speed``; service legs ``cutoff_h +
headway/2 + travel_time_h`` (a box arriving at random waits half a headway on
average); ``handling_time_h`` per visit. With congestion feedback the simulated mean
door-to-door time of the route replaces this estimate and its standard deviation
feeds the reliability term.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from freighthub.emissions import (
    FactorPack,
    hub_emissions_kg,
    leg_emissions_kg,
)
from freighthub.shift.logit import generalised_cost
from freighthub.sim.arrays import FloatArray
from freighthub.sim.network import LEG_ROAD, CompiledNetwork, mode_codes
from freighthub.units import KG_PER_T

__all__ = ["Levers", "RouteAttributes", "route_attributes"]


@dataclass(frozen=True)
class Levers:
    """Policy levers as plain numbers.

    Attributes
    ----------
    carbon_price_cny_per_tco2e
        Carbon price on WTW emissions [CNY/tCO2e].
    road_toll_cny_per_vehicle_km
        Road toll [CNY/(vehicle·km)].
    subsidy_cny_per_teu_by_mode
        Subsidy per TEU of every service of a mode (``"rail"``, ``"inland_waterway"``).
    subsidy_cny_per_teu_by_service
        Subsidy per TEU of one service (by id); adds to the mode's subsidy.
    """

    carbon_price_cny_per_tco2e: float = 0.0
    road_toll_cny_per_vehicle_km: float = 0.0
    subsidy_cny_per_teu_by_mode: Mapping[str, float] = field(default_factory=dict)
    subsidy_cny_per_teu_by_service: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RouteAttributes:
    """Per-route attributes (one entry per route of the network, in route order).

    Attributes
    ----------
    route_ids
        ``"<od id>/<route name>"``.
    od
        OD index of each route.
    road_only
        True for routes of road legs only (the road nest).
    main_mode
        Mode of the longest leg (``"road"``, ``"rail"``, ``"inland_waterway"``).
    price_cny_per_teu
        Operating price without levers [CNY/TEU].
    toll_cny_per_teu, subsidy_cny_per_teu
        Road toll paid and subsidy received [CNY/TEU].
    duration_h
        Door-to-door time [h].
    duration_sd_h
        Standard deviation of door-to-door time [h] (0 without simulation).
    emissions_kgco2e_wtw_per_teu
        WTW emissions of the legs and hub passages [kgCO2e/TEU].
    generalised_cost_cny_per_teu
        Price + toll - subsidy + VOT × time + carbon price × WTW + VOR × SD [CNY/TEU].
    """

    route_ids: tuple[str, ...]
    od: np.ndarray
    road_only: np.ndarray
    main_mode: tuple[str, ...]
    price_cny_per_teu: FloatArray
    toll_cny_per_teu: FloatArray
    subsidy_cny_per_teu: FloatArray
    duration_h: FloatArray
    duration_sd_h: FloatArray
    emissions_kgco2e_wtw_per_teu: FloatArray
    generalised_cost_cny_per_teu: FloatArray


def _mean_capacity_teu(network: CompiledNetwork, k: int) -> float:
    cap = network.services.capacity_teu[k]
    cap = cap[cap > 0]
    return float(np.mean(cap)) if cap.size else float("nan")


def _route_value_of_time(
    network: CompiledNetwork, default: float, by_segment: Mapping[str, float] | None
) -> FloatArray:
    """Value of time of each route's OD [CNY/(TEU·h)] (see :func:`route_attributes`).

    Raises
    ------
    ValueError
        If a value is negative, or an OD names a segment ``by_segment`` lacks.
    """
    if default < 0:
        raise ValueError(f"value_of_time_cny_per_teu_h = {default}: must be >= 0")
    segments = network.demand.segment
    per_od = np.full(network.demand.n, default, dtype=np.float64)
    for o, seg in enumerate(segments):
        if not seg:
            continue
        if by_segment is None or seg not in by_segment:
            known = ", ".join(sorted(by_segment or {})) or "(none)"
            raise ValueError(
                f"demand {network.demand.ids[o]!r}: segment = {seg!r}: the mode-choice "
                f"parameters give no value_of_time_by_segment for it; valid: {known}"
            )
        if by_segment[seg] < 0:
            raise ValueError(f"value_of_time_by_segment[{seg!r}] = {by_segment[seg]}: must be >= 0")
        per_od[o] = by_segment[seg]
    out: FloatArray = per_od[network.routes.od]
    return out


def route_attributes(
    network: CompiledNetwork,
    pack: FactorPack,
    levers: Levers,
    value_of_time_cny_per_teu_h: float,
    value_of_reliability_cny_per_teu_h: float = 0.0,
    simulated_duration_h: Mapping[str, tuple[float, float]] | None = None,
    value_of_time_by_segment: Mapping[str, float] | None = None,
) -> RouteAttributes:
    """Attributes and generalised cost of every route of a network.

    Parameters
    ----------
    network
        The compiled network.
    pack
        Emission factor pack with every intensity id of the network.
    levers
        Policy levers.
    value_of_time_cny_per_teu_h
        Value of time [CNY/(TEU·h)].
    value_of_reliability_cny_per_teu_h
        Value of one hour of standard deviation of door-to-door time [CNY/(TEU·h)].
    simulated_duration_h
        Per route id, simulated ``(mean, standard deviation)`` of door-to-door time [h]
        (congestion feedback); routes not listed keep the static estimate.
    value_of_time_by_segment
        Value of time [CNY/(TEU·h)] of the ODs whose commodity segment
        (``network.demand.segment``) is listed; others use
        ``value_of_time_cny_per_teu_h``.

    Raises
    ------
    UnknownIdentifierError
        If an intensity id is not in ``pack``.

    References
    ----------
    ISO 14083:2023 / GLEC Framework v3.0 (2023): leg and hub-operation emissions.
    """
    r, road, svc, hubs, dem = (
        network.routes, network.road, network.services, network.hubs, network.demand,
    )  # fmt: skip
    n = r.n
    price = np.zeros(n)
    toll = np.zeros(n)
    subsidy = np.zeros(n)
    duration = np.zeros(n)
    sd = np.zeros(n)
    wtw = np.zeros(n)
    road_only = np.zeros(n, dtype=bool)
    modes: list[str] = []
    # 20' and 40' boxes: one box is 1 / (1 + box_40ft_share) boxes per TEU on average
    for i in range(n):
        od = int(r.od[i])
        loaded = float(dem.loaded_share[od])
        mass_t = loaded * float(dem.cargo_t_per_teu[od]) + (1.0 - loaded) * float(
            dem.tare_t_per_teu[od]
        )
        boxes_per_teu = 1.0 / (1.0 + float(dem.box_40ft_share[od]))
        legs = range(int(r.leg_start[i]), int(r.leg_start[i + 1]))
        all_road = True
        for g in legs:
            k = int(r.leg_index[g])
            if r.leg_kind[g] == LEG_ROAD:
                km = float(road.distance_km[k])
                per_truck = float(road.truck_capacity_teu[k])
                price[i] += float(road.cost_cny_per_teu[k] + road.cost_cny_per_trip[k] / per_truck)
                toll[i] += levers.road_toll_cny_per_vehicle_km * km / per_truck
                duration[i] += float(road.travel_time_h[k])
                wtw[i] += float(
                    leg_emissions_kg(pack, road.intensity_id[k], mass_t, km, teu=1.0)[0]
                )
            else:
                all_road = False
                km = float(svc.distance_km[k])
                price[i] += float(svc.cost_cny_per_teu[k])
                fixed = float(svc.cost_cny_per_departure[k])
                if fixed > 0:
                    price[i] += fixed / _mean_capacity_teu(network, k)
                mode = mode_codes()[int(svc.mode[k])]
                subsidy[i] += levers.subsidy_cny_per_teu_by_mode.get(mode, 0.0)
                subsidy[i] += levers.subsidy_cny_per_teu_by_service.get(svc.ids[k], 0.0)
                duration[i] += float(
                    svc.cutoff_h[k] + network.headway_h(k) / 2.0 + svc.travel_time_h[k]
                )
                wtw[i] += float(leg_emissions_kg(pack, svc.intensity_id[k], mass_t, km, teu=1.0)[0])
        visits = range(int(r.visit_start[i]), int(r.visit_start[i + 1]))
        previous = -1
        for v in visits:
            h = int(r.visit_hub[v])
            price[i] += float(hubs.handling_cost_cny_per_move[h]) * boxes_per_teu
            duration[i] += float(hubs.handling_time_h[h])
            # a transshipment's unload and load are one passage; one TEU's shipment,
            # the formula takes the quantity its intensity is in
            if h != previous and hubs.handling_intensity_id[h]:
                wtw[i] += float(
                    hub_emissions_kg(
                        pack,
                        hubs.handling_intensity_id[h],
                        mass_t,
                        teu=1.0,
                        boxes=boxes_per_teu,
                    )[0]
                )
            previous = h
        road_only[i] = all_road
        modes.append(mode_codes()[int(r.main_mode[i])])
        if simulated_duration_h is not None and r.ids[i] in simulated_duration_h:
            mean_h, sd_h = simulated_duration_h[r.ids[i]]
            if np.isfinite(mean_h):
                duration[i] = mean_h
                sd[i] = sd_h if np.isfinite(sd_h) else 0.0
    vot = _route_value_of_time(network, value_of_time_cny_per_teu_h, value_of_time_by_segment)
    gc = (
        generalised_cost(
            price + toll - subsidy,
            duration,
            wtw / KG_PER_T,
            0.0,
            levers.carbon_price_cny_per_tco2e,
            value_of_reliability_cny_per_teu_h * sd,
        )
        + vot * duration
    )
    return RouteAttributes(
        route_ids=r.ids,
        od=r.od.copy(),
        road_only=road_only,
        main_mode=tuple(modes),
        price_cny_per_teu=price,
        toll_cny_per_teu=toll,
        subsidy_cny_per_teu=subsidy,
        duration_h=duration,
        duration_sd_h=sd,
        emissions_kgco2e_wtw_per_teu=wtw,
        generalised_cost_cny_per_teu=gc,
    )
