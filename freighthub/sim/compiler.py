"""Compile a validated scenario and its hubs into the arrays of :mod:`freighthub.sim.network`.

The simulation clock is in hours [h] from the start of the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km, network_distance_km
from freighthub.model.files import sha256_of
from freighthub.model.operator_cost import departure_cost_by_component_cny, fleet_for_departures
from freighthub.model.physics import load_physics
from freighthub.model.repositioning import with_empty_repositioning
from freighthub.model.scenario import LoadedScenario, Scenario, Service
from freighthub.model.sourced import Sourced
from freighthub.sim.background_flows import compile_background
from freighthub.sim.crossings import service_queue_waits_h
from freighthub.sim.demand import MONTH_DAYS
from freighthub.sim.network import (
    LEG_ROAD,
    LEG_SERVICE,
    VISIT_LOAD,
    VISIT_UNLOAD,
    CompiledNetwork,
    DemandArrays,
    FloatArray,
    HubArrays,
    RoadClosures,
    RoadLinkArrays,
    RouteArrays,
    ServiceArrays,
    mode_code,
)
from freighthub.sim.terminal_compiler import compile_terminal
from freighthub.sim.waterway import payload_share_by_departure
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import Mode

__all__ = ["compile_network"]


def compile_network(loaded: LoadedScenario) -> CompiledNetwork:
    """Compile a validated scenario and its hubs into a :class:`CompiledNetwork`.

    Distances not given in the scenario are the WGS84 geodesic between the end
    nodes times the link's circuity factor (:func:`freighthub.geo.network_distance_km`);
    travel times not given are distance / speed. Timetables are expanded over
    ``[0, horizon_h)`` and disruptions applied to each departure's capacity
    (factors of overlapping disruptions multiply; a closure sets 0). Hub resources
    not given in the scenario come from the hub file (see
    :class:`freighthub.model.scenario.HubResources`).

    Parameters
    ----------
    loaded
        The result of :func:`freighthub.model.scenario.load_scenario`.

    Raises
    ------
    DataFileError
        If a hub's handling servers or moves per hour are given neither in the
        scenario nor in the hub file, or a gate time is given for a hub without
        gate lanes.
    """
    # Generated empty-repositioning flows (model.repositioning) are compiled like any demand.
    s = with_empty_repositioning(loaded.scenario)
    hub_list = [loaded.hubs[h] for h in s.hubs]
    node_ids = tuple(s.hubs) + tuple(z.id for z in s.zones)
    node_index = {node: i for i, node in enumerate(node_ids)}
    lon = np.array([h.lon_deg for h in hub_list] + [z.lon_deg for z in s.zones], dtype=np.float64)
    lat = np.array([h.lat_deg for h in hub_list] + [z.lat_deg for z in s.zones], dtype=np.float64)

    def geodesic_km(a: int, b: int) -> float:
        return geodesic_distance_km(float(lon[a]), float(lat[a]), float(lon[b]), float(lat[b]))

    hubs = _compile_hubs(loaded)
    services, service_index = _compile_services(s, node_index, geodesic_km)
    road, road_pair = _compile_road(s, node_index, geodesic_km)
    routes = _compile_routes(s, node_index, service_index, road_pair, services, road)
    demand = _compile_demand(s, node_index)
    closures = _compile_closures(s, road_pair, road)
    inputs = {str(f): sha256_of(f) for f in loaded.input_files}
    background = compile_background(s, node_index, service_index)
    return CompiledNetwork(
        scenario_id=s.id,
        horizon_h=float(s.horizon_h),
        warmup_h=float(s.warmup_h),
        yard_full_policy=s.yard_full_policy,
        node_ids=node_ids,
        node_lon_deg=lon,
        node_lat_deg=lat,
        hubs=hubs,
        services=services,
        road=road,
        routes=routes,
        demand=demand,
        road_closures=closures,
        input_sha256=inputs,
        background=background,
        terminal=compile_terminal(s, loaded.hubs),
    )


def _compile_hubs(loaded: LoadedScenario) -> HubArrays:
    s = loaded.scenario
    res = {r.hub: r for r in s.hub_resources}
    servers: list[int] = []
    time_h: list[float] = []
    yard: list[float] = []
    lanes: list[int] = []
    gate_h: list[float] = []
    for i, hub_id in enumerate(s.hubs):
        r = res[hub_id]
        hub = loaded.hubs[hub_id]
        field = f"hub_resources[{[x.hub for x in s.hub_resources].index(hub_id)}]"
        equipment = hub.handling.equipment if hub.handling is not None else ()
        if r.servers is not None:
            servers.append(r.servers.value)
        elif equipment:
            servers.append(sum(e.count.value for e in equipment))
        else:
            raise DataFileError(
                loaded.path,
                f"not given, and hub file {loaded.hub_paths[hub_id]} lists no handling.equipment",
                f"{field}.servers",
            )
        if r.moves_per_h is not None:
            time_h.append(1.0 / r.moves_per_h.value)
        else:
            rated = [e for e in equipment if e.moves_per_h is not None]
            if not equipment or len(rated) != len(equipment):
                raise DataFileError(
                    loaded.path,
                    f"not given, and hub file {loaded.hub_paths[hub_id]} does not give "
                    "moves_per_h for every handling.equipment entry",
                    f"{field}.moves_per_h",
                )
            total = sum(e.count.value for e in rated)
            mean_moves = (
                sum(e.count.value * e.moves_per_h.value for e in rated if e.moves_per_h) / total
            )
            time_h.append(1.0 / mean_moves)
        if r.yard_capacity_teu is not None:
            yard.append(r.yard_capacity_teu.value)
        elif hub.handling is not None and hub.handling.yard_capacity_teu is not None:
            yard.append(hub.handling.yard_capacity_teu.value)
        else:
            yard.append(math.inf)
        if r.gate_time_h is None:
            lanes.append(0)
            gate_h.append(0.0)
        else:
            if r.gate_lanes is not None:
                lanes.append(r.gate_lanes.value)
            elif hub.road is not None and hub.road.gate_lanes is not None:
                lanes.append(hub.road.gate_lanes.value)
            else:
                raise DataFileError(
                    loaded.path,
                    f"gate_time_h is given but gate_lanes is not, here nor in {loaded.hub_paths[hub_id]}",
                    f"{field}.gate_lanes",
                )
            gate_h.append(r.gate_time_h.value)
        del i
    ordered = [res[h] for h in s.hubs]
    return HubArrays(
        ids=tuple(s.hubs),
        servers=np.array(servers, dtype=np.int64),
        handling_time_h=np.array(time_h, dtype=np.float64),
        service_distribution=tuple(r.service_distribution for r in ordered),
        service_shape=np.array([r.service_shape for r in ordered], dtype=np.int64),
        yard_capacity_teu=np.array(yard, dtype=np.float64),
        gate_lanes=np.array(lanes, dtype=np.int64),
        gate_time_h=np.array(gate_h, dtype=np.float64),
        handling_cost_cny_per_move=np.array(
            [r.handling_cost_cny_per_move.value for r in ordered], dtype=np.float64
        ),
        handling_intensity_id=tuple(r.handling_intensity_id or "" for r in ordered),
    )


def _service_capacity_teu(s: Scenario, svc: Service) -> float:
    if svc.capacity_teu is not None:
        return float(svc.capacity_teu.value)
    if svc.train_type is not None:
        return next(t for t in s.train_types if t.id == svc.train_type).capacity_teu
    return float(next(v for v in s.vessel_classes if v.id == svc.vessel_class).capacity_teu.value)


def _distance_km(
    given: Sourced[float] | None,
    circuity: Sourced[float] | None,
    a: int,
    b: int,
    geodesic_km: Callable[[int, int], float],
) -> float:
    if given is not None:
        return float(given.value)
    assert circuity is not None
    return network_distance_km(geodesic_km(a, b), float(circuity.value))


def _capacity_factor(s: Scenario, svc: Service, dep_h: FloatArray) -> FloatArray:
    factor = np.ones_like(dep_h)
    for x in s.disruptions:
        if x.service == svc.id or x.mode == svc.mode:
            inside = (dep_h >= x.start_h) & (dep_h < x.end_h)
            effect = (
                0.0 if x.closed else float(x.capacity_factor.value if x.capacity_factor else 1.0)
            )
            factor[inside] *= effect
    if svc.draught_limit is not None:
        physics = load_physics()
        section = physics.section(svc.draught_limit.section)
        vessel = physics.vessel(svc.draught_limit.vessel_class)
        factor *= payload_share_by_departure(
            dep_h,
            section.controlling_depth_m,
            section.under_keel_clearance_m,
            vessel.light_draught_m,
            vessel.design_draught_m,
        )
    return factor


def _compile_services(
    s: Scenario, node_index: dict[str, int], geodesic_km: Callable[[int, int], float]
) -> tuple[ServiceArrays, dict[str, int]]:
    deps: list[FloatArray] = []
    caps: list[FloatArray] = []
    dist: list[float] = []
    travel: list[float] = []
    cost_teu: list[float] = []
    cost_dep: list[float] = []
    fixed: list[float] = []
    fleets: list[int] = []
    weeks = math.ceil(s.horizon_h / HOURS_PER_WEEK) + 1
    for svc in s.services:
        a, b = node_index[svc.from_], node_index[svc.to]
        headway_h = svc.even_spacing_h()
        if headway_h is not None:  # evenly spaced, also for non-whole rates
            count = math.ceil((s.horizon_h - svc.first_departure_h) / headway_h)
            dep = svc.first_departure_h + np.arange(max(count, 0), dtype=np.float64) * headway_h
        else:
            week = np.array(svc.weekly_hours(), dtype=np.float64)
            grid = np.arange(weeks, dtype=np.float64)[:, None] * HOURS_PER_WEEK
            dep = (grid + week[None, :]).ravel()
        dep = np.sort(dep[dep < s.horizon_h])
        deps.append(dep)
        caps.append(_service_capacity_teu(s, svc) * _capacity_factor(s, svc, dep))
        d_km = _distance_km(svc.distance_km, svc.circuity_factor, a, b, geodesic_km)
        dist.append(d_km)
        if svc.travel_time_h is not None:
            travel.append(float(svc.travel_time_h.value))
        else:
            assert svc.speed_kmh is not None
            travel.append(d_km / svc.speed_kmh.value)
        per_teu = svc.cost_cny_per_teu.value if svc.cost_cny_per_teu else 0.0
        per_teu_km = svc.cost_cny_per_teu_km.value if svc.cost_cny_per_teu_km else 0.0
        cost_teu.append(per_teu + per_teu_km * d_km)
        per_dep = svc.cost_cny_per_departure.value if svc.cost_cny_per_departure else 0.0
        fixed_year, fleet = 0.0, -1
        if svc.operator_cost is not None:
            oc = svc.operator_cost
            per_dep += math.fsum(departure_cost_by_component_cny(oc, d_km, travel[-1]).values())
            fixed_year = oc.fixed_cny_per_year.value if oc.fixed_cny_per_year else 0.0
            if oc.turnaround_h is not None:
                cycle_h = 2.0 * travel[-1] + 2.0 * oc.turnaround_h.value
                fleet = fleet_for_departures(dep, cycle_h)
                if oc.vehicle_cny_per_year is not None:
                    fixed_year += fleet * oc.vehicle_cny_per_year.value
        cost_dep.append(per_dep)
        fixed.append(fixed_year)
        fleets.append(fleet)
    arrays = ServiceArrays(
        ids=tuple(v.id for v in s.services),
        mode=np.array([mode_code(v.mode) for v in s.services], dtype=np.int64),
        origin=np.array([node_index[v.from_] for v in s.services], dtype=np.int64),
        destination=np.array([node_index[v.to] for v in s.services], dtype=np.int64),
        departures_h=tuple(deps),
        capacity_teu=tuple(caps),
        cutoff_h=np.array([v.cutoff_h.value for v in s.services], dtype=np.float64),
        travel_time_h=np.array(travel, dtype=np.float64),
        distance_km=np.array(dist, dtype=np.float64),
        intensity_id=tuple(v.intensity_id for v in s.services),
        cost_cny_per_teu=np.array(cost_teu, dtype=np.float64),
        cost_cny_per_departure=np.array(cost_dep, dtype=np.float64),
        # None unless a service declares operator costs: networks without them (and
        # code that edits ServiceArrays) are unchanged.
        fixed_cost_cny_per_year=np.array(fixed, dtype=np.float64) if any(fixed) else None,
        fleet_vehicles=(np.array(fleets, dtype=np.int64) if any(f >= 0 for f in fleets) else None),
        queue_wait_h=(
            _queue_waits(s, deps) if any(v.locks or v.border_crossing for v in s.services) else ()
        ),
    )
    return arrays, {v.id: i for i, v in enumerate(s.services)}


def _queue_waits(s: Scenario, deps: list[FloatArray]) -> tuple[FloatArray, ...]:
    """Each departure's wait at the locks or border crossing its service names [h]
    (:func:`freighthub.sim.crossings.service_queue_waits_h`)."""
    return service_queue_waits_h(s, deps)


def _compile_road(
    s: Scenario, node_index: dict[str, int], geodesic_km: Callable[[int, int], float]
) -> tuple[RoadLinkArrays, dict[tuple[str, int], int]]:
    """Directed road links; ``pair[(link id, from node)]`` is the directed link index."""
    rows: list[tuple[int, int, float, float, int, str, float, float]] = []
    pair: dict[tuple[str, int], int] = {}
    names: list[str] = []
    for link in s.road_links:
        a, b = node_index[link.from_], node_index[link.to]
        d_km = _distance_km(link.distance_km, link.circuity_factor, a, b, geodesic_km)
        per_teu = (link.cost_cny_per_teu_km.value if link.cost_cny_per_teu_km else 0.0) * d_km
        per_trip = (
            link.cost_cny_per_vehicle_km.value if link.cost_cny_per_vehicle_km else 0.0
        ) * d_km
        ends = [(a, b), (b, a)] if link.two_way else [(a, b)]
        for x, y in ends:
            pair[(link.id, x)] = len(rows)
            names.append(link.id)
            rows.append(
                (x, y, d_km, link.speed_kmh.value, link.truck_capacity_teu, link.intensity_id,
                 per_teu, per_trip)
            )  # fmt: skip
    cols = list(zip(*rows, strict=True)) if rows else [()] * 8
    distance = np.array(cols[2], dtype=np.float64)
    speed = np.array(cols[3], dtype=np.float64)
    arrays = RoadLinkArrays(
        origin=np.array(cols[0], dtype=np.int64),
        destination=np.array(cols[1], dtype=np.int64),
        distance_km=distance,
        speed_kmh=speed,
        travel_time_h=distance / speed if rows else np.zeros(0),
        truck_capacity_teu=np.array(cols[4], dtype=np.int64),
        intensity_id=tuple(str(x) for x in cols[5]),
        cost_cny_per_teu=np.array(cols[6], dtype=np.float64),
        cost_cny_per_trip=np.array(cols[7], dtype=np.float64),
        ids=tuple(names),
    )
    return arrays, pair


def _compile_routes(
    s: Scenario,
    node_index: dict[str, int],
    service_index: dict[str, int],
    road_pair: dict[tuple[str, int], int],
    services: ServiceArrays,
    road: RoadLinkArrays,
) -> RouteArrays:
    ids: list[str] = []
    od: list[int] = []
    share: list[float] = []
    main: list[int] = []
    leg_start = [0]
    kind: list[int] = []
    index: list[int] = []
    frm: list[int] = []
    to: list[int] = []
    visit_start = [0]
    v_hub: list[int] = []
    v_kind: list[int] = []
    v_leg: list[int] = []
    road_alt: list[int] = []
    for o, d in enumerate(s.demand):
        first_route = len(ids)
        road_only = -1
        for route in d.routes:
            at = node_index[d.from_]
            best_km, best_mode = -1.0, mode_code(Mode.ROAD)
            for position, leg in enumerate(route.legs):
                if leg.road is not None:
                    link = road_pair[(leg.road, at)]
                    kind.append(LEG_ROAD)
                    index.append(link)
                    nxt = int(road.destination[link])
                    km, mode = float(road.distance_km[link]), mode_code(Mode.ROAD)
                else:
                    assert leg.service is not None
                    svc = service_index[leg.service]
                    kind.append(LEG_SERVICE)
                    index.append(svc)
                    nxt = int(services.destination[svc])
                    km, mode = float(services.distance_km[svc]), int(services.mode[svc])
                    v_hub += [int(services.origin[svc]), nxt]
                    v_kind += [VISIT_LOAD, VISIT_UNLOAD]
                    v_leg += [position, position]
                frm.append(at)
                to.append(nxt)
                at = nxt
                if km > best_km:
                    best_km, best_mode = km, mode
            if road_only < 0 and all(leg.road is not None for leg in route.legs):
                road_only = len(ids)
            ids.append(f"{d.id}/{route.name}")
            od.append(o)
            share.append(float(route.share.value))
            main.append(best_mode)
            leg_start.append(len(kind))
            visit_start.append(len(v_hub))
        road_alt += [road_only] * (len(ids) - first_route)
    return RouteArrays(
        ids=tuple(ids),
        od=np.array(od, dtype=np.int64),
        share=np.array(share, dtype=np.float64),
        main_mode=np.array(main, dtype=np.int64),
        leg_start=np.array(leg_start, dtype=np.int64),
        leg_kind=np.array(kind, dtype=np.int64),
        leg_index=np.array(index, dtype=np.int64),
        leg_from=np.array(frm, dtype=np.int64),
        leg_to=np.array(to, dtype=np.int64),
        visit_start=np.array(visit_start, dtype=np.int64),
        visit_hub=np.array(v_hub, dtype=np.int64),
        visit_kind=np.array(v_kind, dtype=np.int64),
        visit_leg=np.array(v_leg, dtype=np.int64),
        road_alternative=np.array(road_alt, dtype=np.int64),
    )


def _compile_demand(s: Scenario, node_index: dict[str, int]) -> DemandArrays:
    seasonality = np.ones((len(s.demand), 12), dtype=np.float64)
    days = np.array(MONTH_DAYS, dtype=np.float64)
    for o, d in enumerate(s.demand):
        if d.seasonality is not None:
            f = np.array(d.seasonality.value, dtype=np.float64)
            seasonality[o] = f / (np.sum(f * days) / np.sum(days))  # day-weighted mean 1
    return DemandArrays(
        ids=tuple(d.id for d in s.demand),
        origin=np.array([node_index[d.from_] for d in s.demand], dtype=np.int64),
        destination=np.array([node_index[d.to] for d in s.demand], dtype=np.int64),
        teu_per_year=np.array([d.teu_per_year.value for d in s.demand], dtype=np.float64),
        box_40ft_share=np.array([d.box_40ft_share.value for d in s.demand], dtype=np.float64),
        loaded_share=np.array([d.loaded_share.value for d in s.demand], dtype=np.float64),
        cargo_t_per_teu=np.array([d.cargo_t_per_teu.value for d in s.demand], dtype=np.float64),
        tare_t_per_teu=np.array([d.tare_t_per_teu.value for d in s.demand], dtype=np.float64),
        seasonality=seasonality,
        arrival_process=tuple(d.arrival_process for d in s.demand),
        segment=(
            tuple(d.segment or "" for d in s.demand) if any(d.segment for d in s.demand) else ()
        ),
        promised_door_to_door_h=(
            np.array(
                [
                    math.nan
                    if d.promised_door_to_door_h is None
                    else d.promised_door_to_door_h.value
                    for d in s.demand
                ],
                dtype=np.float64,
            )
            if any(d.promised_door_to_door_h is not None for d in s.demand)
            else None
        ),
        arrival_weight=_arrival_weights(s),
    )


def _arrival_weights(s: Scenario) -> FloatArray | None:
    """Per OD, its arrival profile's 168 weekly weights (mean 1), or None if no OD has one."""
    if not any(d.arrival_profile for d in s.demand):
        return None
    profiles = {p.id: p.weekly_weights() for p in s.arrival_profiles}
    weights = np.ones((len(s.demand), int(HOURS_PER_WEEK)), dtype=np.float64)
    for o, d in enumerate(s.demand):
        if d.arrival_profile is not None:
            weights[o] = profiles[d.arrival_profile]
    return weights


def _compile_closures(
    s: Scenario, road_pair: dict[tuple[str, int], int], road: RoadLinkArrays
) -> RoadClosures:
    link: list[int] = []
    start: list[float] = []
    end: list[float] = []
    for x in s.disruptions:
        if x.road_link is not None:
            targets = [i for (lid, _), i in road_pair.items() if lid == x.road_link]
        elif x.mode == Mode.ROAD:
            targets = list(range(road.n))
        else:
            continue
        for i in sorted(targets):
            link.append(i)
            start.append(x.start_h)
            end.append(min(x.end_h, s.horizon_h))
    return RoadClosures(
        link=np.array(link, dtype=np.int64),
        start_h=np.array(start, dtype=np.float64),
        end_h=np.array(end, dtype=np.float64),
    )
