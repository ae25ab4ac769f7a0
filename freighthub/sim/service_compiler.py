"""Compile a scenario's services: departures, capacities, distances, costs, queue waits.

Part of :func:`freighthub.sim.compiler.compile_network`; the clock is in hours [h]
from the start of the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from freighthub.model.operator_cost import departure_cost_by_component_cny, fleet_for_departures
from freighthub.model.physics import load_physics
from freighthub.model.scenario_schema import Scenario, Service
from freighthub.model.sourced import Sourced
from freighthub.sim.arrays import FloatArray
from freighthub.sim.crossings import service_queue_waits_h
from freighthub.sim.network import ServiceArrays, mode_code
from freighthub.sim.waterway import (
    payload_share_by_departure,
)
from freighthub.units import HOURS_PER_WEEK

__all__ = ["LinkDistance", "compile_services"]

LinkDistance = Callable[[Sourced[float] | None, Sourced[float] | None, int, int], float]
"""A link's distance [km] from its given distance, its circuity factor and its end nodes."""


def _service_capacity_teu(s: Scenario, svc: Service) -> float:
    if svc.capacity_teu is not None:
        return float(svc.capacity_teu.value)
    if svc.train_type is not None:
        return next(t for t in s.train_types if t.id == svc.train_type).capacity_teu
    return float(next(v for v in s.vessel_classes if v.id == svc.vessel_class).capacity_teu.value)


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


def compile_services(
    s: Scenario, node_index: dict[str, int], link_km: LinkDistance
) -> tuple[ServiceArrays, dict[str, int]]:
    """The services' arrays and ``index[service id]``, their position in them.

    Timetables are expanded over ``[0, horizon_h)``; each departure's capacity is the
    service's (or its train type's or vessel class's) times its disruptions' factors and,
    under a draught limit, the payload share the water level allows. Costs per TEU and
    per departure include the operator cost model when the service declares one.
    """
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
        d_km = link_km(svc.distance_km, svc.circuity_factor, a, b)
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
