"""Compile a scenario's demand and its routes into arrays.

Part of :func:`freighthub.sim.compiler.compile_network`; the clock is in hours [h]
from the start of the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.network import (
    LEG_ROAD,
    LEG_SERVICE,
    VISIT_LOAD,
    VISIT_UNLOAD,
    DemandArrays,
    RoadLinkArrays,
    RouteArrays,
    ServiceArrays,
    mode_code,
)
from freighthub.units import HOURS_PER_WEEK, MONTH_DAYS
from freighthub.vocabulary import Mode

if TYPE_CHECKING:  # annotations only: the synthetic generator imports route_arrays
    from freighthub.model.scenario_schema import Scenario

__all__ = ["Leg", "compile_demand", "compile_routes", "route_arrays", "seasonality_rows"]


#: One leg of a route: its kind (``LEG_ROAD`` or ``LEG_SERVICE``), the index of its
#: road link or service, and the nodes it goes from and to.
Leg = tuple[int, int, int, int]


def route_arrays(
    ids: Sequence[str],
    od: Sequence[int],
    share: Sequence[float],
    main_mode: Sequence[int],
    legs: Sequence[Sequence[Leg]],
    road_alternative: Sequence[int],
) -> RouteArrays:
    """Routes from their legs (one list per route, in order); the hub visits follow
    from the legs: a service leg loads at the node it leaves and unloads where it ends."""
    table = np.asarray([leg for route in legs for leg in route], dtype=np.int64).reshape(-1, 4)
    per_route = np.asarray([len(route) for route in legs], dtype=np.int64)
    leg_start = np.r_[0, np.cumsum(per_route)].astype(np.int64)
    route_of = np.repeat(np.arange(per_route.size), per_route)  # per leg
    position = np.arange(len(table), dtype=np.int64) - leg_start[route_of]
    service = table[:, 0] == LEG_SERVICE
    services_per_route = np.bincount(route_of[service], minlength=per_route.size)

    def ints(values: Sequence[int] | IntArray) -> IntArray:
        return np.asarray(values, dtype=np.int64)

    return RouteArrays(
        ids=tuple(ids),
        od=ints(od),
        share=np.asarray(share, dtype=np.float64),
        main_mode=ints(main_mode),
        leg_start=leg_start,
        leg_kind=table[:, 0].copy(),
        leg_index=table[:, 1].copy(),
        leg_from=table[:, 2].copy(),
        leg_to=table[:, 3].copy(),
        visit_start=np.r_[0, np.cumsum(2 * services_per_route)].astype(np.int64),
        visit_hub=table[service][:, 2:4].ravel().copy(),
        visit_kind=np.tile(
            np.asarray([VISIT_LOAD, VISIT_UNLOAD], dtype=np.int64), int(service.sum())
        ),
        visit_leg=np.repeat(position[service], 2),
        road_alternative=ints(road_alternative),
    )


def compile_routes(
    s: Scenario,
    node_index: dict[str, int],
    service_index: dict[str, int],
    road_pair: dict[tuple[str, int], int],
    services: ServiceArrays,
    road: RoadLinkArrays,
) -> RouteArrays:
    """Each OD's routes with their legs (road link or service) and hub visits, in order."""
    ids: list[str] = []
    od: list[int] = []
    share: list[float] = []
    main: list[int] = []
    legs: list[list[Leg]] = []
    road_alt: list[int] = []
    for o, d in enumerate(s.demand):
        first_route = len(ids)
        road_only = -1
        for route in d.routes:
            at = node_index[d.from_]
            best_km, best_mode = -1.0, mode_code(Mode.ROAD)
            route_legs: list[Leg] = []
            for leg in route.legs:
                if leg.road is not None:
                    link = road_pair[(leg.road, at)]
                    nxt = int(road.destination[link])
                    route_legs.append((LEG_ROAD, link, at, nxt))
                    km, mode = float(road.distance_km[link]), mode_code(Mode.ROAD)
                else:
                    assert leg.service is not None
                    svc = service_index[leg.service]
                    nxt = int(services.destination[svc])
                    assert at == int(services.origin[svc])  # model.scenario checks continuity
                    route_legs.append((LEG_SERVICE, svc, at, nxt))
                    km, mode = float(services.distance_km[svc]), int(services.mode[svc])
                at = nxt
                if km > best_km:
                    best_km, best_mode = km, mode
            if road_only < 0 and all(leg.road is not None for leg in route.legs):
                road_only = len(ids)
            ids.append(f"{d.id}/{route.name}")
            od.append(o)
            share.append(float(route.share.value))
            main.append(best_mode)
            legs.append(route_legs)
        road_alt += [road_only] * (len(ids) - first_route)
    return route_arrays(ids, od, share, main, legs, road_alt)


def seasonality_rows(shapes: Sequence[Sequence[float] | None]) -> FloatArray:
    """Shape ``(n, 12)``: each monthly volume shape scaled to a day-weighted mean of 1
    (months of a 365-day year); ``None``: flat (all 1). For demand and background flows."""
    days = np.array(MONTH_DAYS, dtype=np.float64)
    rows = np.ones((len(shapes), 12), dtype=np.float64)
    for i, shape in enumerate(shapes):
        if shape is not None:
            x = np.array(shape, dtype=np.float64)
            rows[i] = x / (np.sum(x * days) / np.sum(days))
    return rows


def compile_demand(s: Scenario, node_index: dict[str, int]) -> DemandArrays:
    """Each OD's volume, box mix, loads, seasonality (day-weighted mean 1) and arrivals."""
    seasonality = seasonality_rows(
        [d.seasonality.value if d.seasonality is not None else None for d in s.demand]
    )
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
