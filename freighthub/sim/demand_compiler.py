"""Compile a scenario's demand and its routes into arrays.

Part of :func:`freighthub.sim.compiler.compile_network`; the clock is in hours [h]
from the start of the scenario.
"""

from __future__ import annotations

import math

import numpy as np

from freighthub.model.scenario_schema import Scenario
from freighthub.sim.arrays import FloatArray
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

__all__ = ["compile_demand", "compile_routes"]


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


def compile_demand(s: Scenario, node_index: dict[str, int]) -> DemandArrays:
    """Each OD's volume, box mix, loads, seasonality (day-weighted mean 1) and arrivals."""
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
