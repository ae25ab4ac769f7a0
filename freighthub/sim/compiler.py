"""Compile a validated scenario and its hubs into the arrays of :mod:`freighthub.sim.network`.

The simulation clock is in hours [h] from the start of the scenario. This module
assembles the network and compiles the hubs, road links and road closures; services
are compiled in :mod:`freighthub.sim.service_compiler`, demand and routes in
:mod:`freighthub.sim.demand_compiler`, terminal pools in
:mod:`freighthub.sim.terminal_compiler`, background traffic in
:mod:`freighthub.sim.background_flows`.
"""

from __future__ import annotations

import math

import numpy as np

from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km, network_distance_km
from freighthub.model.files import sha256_of
from freighthub.model.repositioning import with_empty_repositioning
from freighthub.model.scenario import LoadedScenario
from freighthub.model.scenario_schema import Scenario
from freighthub.model.sourced import Sourced
from freighthub.sim.background_flows import compile_background
from freighthub.sim.demand_compiler import compile_demand, compile_routes
from freighthub.sim.network import CompiledNetwork, HubArrays, RoadClosures, RoadLinkArrays
from freighthub.sim.service_compiler import LinkDistance, compile_services
from freighthub.sim.terminal_compiler import compile_terminal
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
    :class:`freighthub.model.scenario_schema.HubResources`).

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

    def link_km(
        given: Sourced[float] | None, circuity: Sourced[float] | None, a: int, b: int
    ) -> float:
        if given is not None:
            return float(given.value)
        assert circuity is not None
        geodesic_km = geodesic_distance_km(
            float(lon[a]), float(lat[a]), float(lon[b]), float(lat[b])
        )
        return network_distance_km(geodesic_km, float(circuity.value))

    hubs = _compile_hubs(loaded)
    services, service_index = compile_services(s, node_index, link_km)
    road, road_pair = _compile_road(s, node_index, link_km)
    routes = compile_routes(s, node_index, service_index, road_pair, services, road)
    demand = compile_demand(s, node_index)
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


def _compile_road(
    s: Scenario, node_index: dict[str, int], link_km: LinkDistance
) -> tuple[RoadLinkArrays, dict[tuple[str, int], int]]:
    """Directed road links; ``pair[(link id, from node)]`` is the directed link index."""
    rows: list[tuple[int, int, float, float, int, str, float, float]] = []
    pair: dict[tuple[str, int], int] = {}
    names: list[str] = []
    for link in s.road_links:
        a, b = node_index[link.from_], node_index[link.to]
        d_km = link_km(link.distance_km, link.circuity_factor, a, b)
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
