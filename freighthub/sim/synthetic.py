"""Generated (synthetic) networks for benchmarks and engine tests (clock in hours [h]).

Nothing here describes a real network: hub positions, demand, speeds, capacities
and handling times are *benchmark parameters*, chosen to give a network of the
size and load the benchmark asks for (following the generator described in the
project's ``../shared/research/performance.md``, section 1), not facts. Real
scenarios come from ``scenarios/*.toml`` through :mod:`freighthub.sim.compiler`.

The generated network is built from the same :class:`~freighthub.sim.network.CompiledNetwork`
types as a real scenario, so the engines cannot tell the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from freighthub.sim.demand_compiler import route_arrays
from freighthub.sim.network import (
    LEG_ROAD,
    LEG_SERVICE,
    CompiledNetwork,
    DemandArrays,
    HubArrays,
    RoadClosures,
    RoadLinkArrays,
    RouteArrays,
    ServiceArrays,
    mode_code,
)
from freighthub.sim.terminal import (
    PRIORITIES,
    TASK_GATE,
    TASK_QUAY,
    TASK_RAIL,
    TASK_YARD,
    TASKS,
    PoolArrays,
    ShiftPatterns,
    TerminalArrays,
)
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR
from freighthub.vocabulary import Mode

__all__ = ["SyntheticParameters", "SyntheticTerminal", "synthetic_network"]


@dataclass(frozen=True)
class SyntheticTerminal:
    """A terminal model at every generated hub (#19; benchmark parameters, not facts).

    Pools by task (quay for barges, rail, yard for trucks, gate) sized for
    ``utilisation_share`` of their available time; a daily shift pattern with
    ``night_share`` of the units on duty from 22:00 to 06:00; breakdowns per unit;
    a loading window before each departure (at most its cut-off); a lognormal travel
    factor per departure.

    Attributes
    ----------
    utilisation_share
        Target utilisation of a pool's available unit-hours [0-1].
    service_cv
        Coefficient of variation of the lognormal quay, rail and yard moves [-].
    yard_time_h, gate_time_h
        Mean yard move and (deterministic) gate transaction time [h].
    priority
        Discipline of every pool (``freighthub.sim.terminal.PRIORITIES``).
    night_share
        Share of units on duty at night [0-1].
    mtbf_h, mttr_h
        Mean time between failures and to repair per unit [h].
    loading_window_h, travel_time_cv
        Loading window [h] and travel-time CV [-] of every service.
    truck_wait_threshold_h
        Truck-waiting threshold of every hub [h].
    """

    utilisation_share: float = 0.6
    service_cv: float = 0.5
    yard_time_h: float = 0.05
    gate_time_h: float = 1.0 / 30.0
    priority: str = "service_first"
    night_share: float = 0.5
    mtbf_h: float = 200.0
    mttr_h: float = 4.0
    loading_window_h: float = 2.0
    travel_time_cv: float = 0.1
    truck_wait_threshold_h: float = 1.0 / 3.0


@dataclass(frozen=True)
class SyntheticParameters:
    """Parameters of a generated network (benchmark parameters, not facts).

    Attributes
    ----------
    n_hubs
        Number of hubs; each has one hinterland zone [-].
    n_od
        Number of OD pairs (zone to zone) [-].
    teu_per_year
        Total demand [TEU/year].
    seed
        Seed of the generator [-].
    square_km
        Side of the square the hubs are placed in [km].
    road_only_share, rail_share
        Share of OD pairs served by road only / by road–rail–road [0-1]; the rest
        go by road–barge–road, or rail–barge with a transshipment hub.
    transshipment_share
        Share of the barge OD pairs that go rail–barge through a third hub [0-1].
    detour_road, detour_rail, detour_barge
        Network distance / straight-line distance [-].
    speed_road_kmh, speed_rail_kmh, speed_barge_kmh
        Mean speeds [km/h].
    capacity_rail_teu, capacity_barge_teu
        Nominal capacity per departure [TEU]; raised when a service's headway
        would otherwise fall below ``min_headway_h``.
    service_utilisation_share
        Target load factor that sets each service's headway [0-1].
    min_headway_h, max_headway_h
        Bounds of the headway [h].
    cutoff_rail_h, cutoff_barge_h
        Cut-off before departure [h].
    handling_time_h
        Mean handling move time [h].
    crane_utilisation_share
        Target utilisation that sets the number of servers per hub [0-1].
    service_distribution
        Handling time distribution (see ``SERVICE_DISTRIBUTIONS``).
    yard_capacity_teu
        Yard capacity per hub [TEU] (``inf``: unlimited).
    yard_full_policy
        ``"hold"`` or ``"divert_road"``.
    gate_lanes, gate_time_h
        Gate pool per hub [-] and deterministic gate time [h]; 0 lanes = no gate.
    box_40ft_share
        Share of 40' boxes [0-1].
    horizon_h, warmup_h
        Simulated time and warm-up [h].
    road_closures
        ``(road link index, start_h, end_h)`` triples.
    terminal
        A terminal model at every hub (:class:`SyntheticTerminal`), or None.
    """

    n_hubs: int = 24
    n_od: int = 100
    teu_per_year: float = 5.0e6
    seed: int = 1
    square_km: float = 600.0
    road_only_share: float = 0.40
    rail_share: float = 0.33
    transshipment_share: float = 0.2
    detour_road: float = 1.25
    detour_rail: float = 1.30
    detour_barge: float = 1.60
    speed_road_kmh: float = 60.0
    speed_rail_kmh: float = 45.0
    speed_barge_kmh: float = 12.0
    capacity_rail_teu: float = 90.0
    capacity_barge_teu: float = 200.0
    service_utilisation_share: float = 0.8
    min_headway_h: float = 4.0
    max_headway_h: float = HOURS_PER_WEEK
    cutoff_rail_h: float = 2.0
    cutoff_barge_h: float = 4.0
    handling_time_h: float = 0.05
    crane_utilisation_share: float = 0.75
    service_distribution: str = "exponential"
    yard_capacity_teu: float = math.inf
    yard_full_policy: str = "hold"
    gate_lanes: int = 0
    gate_time_h: float = 0.0
    box_40ft_share: float = 0.0
    horizon_h: float = HOURS_PER_YEAR
    warmup_h: float = 0.0
    road_closures: tuple[tuple[int, float, float], ...] = ()
    terminal: SyntheticTerminal | None = None


class _Links:
    def __init__(self) -> None:
        self.index: dict[tuple[int, int], int] = {}
        self.distance_km: list[float] = []

    def get(self, a: int, b: int, distance_km: float) -> int:
        key = (a, b)
        if key not in self.index:
            self.index[key] = len(self.distance_km)
            self.distance_km.append(distance_km)
        return self.index[key]


def synthetic_network(p: SyntheticParameters) -> CompiledNetwork:
    """Generate a national network of hubs, zones, services and routes.

    Parameters
    ----------
    p
        Generator parameters (benchmark parameters, not facts).

    Returns
    -------
    CompiledNetwork
        Ready for :func:`freighthub.sim.demand.generate_arrivals` and the engines.

    Raises
    ------
    ValueError
        If there are fewer than 3 hubs or more OD pairs than ordered hub pairs.
    """
    if p.n_hubs < 3:
        raise ValueError(f"n_hubs = {p.n_hubs}: must be >= 3")
    if p.n_od > p.n_hubs * (p.n_hubs - 1):
        raise ValueError(f"n_od = {p.n_od}: at most n_hubs * (n_hubs - 1) OD pairs")
    rng = np.random.default_rng(p.seed)
    n = p.n_hubs
    hub_xy = rng.uniform(0, p.square_km, (n, 2))
    angle = rng.uniform(0, 2 * np.pi, n)
    zone_xy = hub_xy + rng.uniform(15, 40, n)[:, None] * np.c_[np.cos(angle), np.sin(angle)]
    xy = np.vstack([hub_xy, zone_xy])

    def km(a: int, b: int) -> float:
        return float(np.hypot(*(xy[a] - xy[b])))

    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chosen = rng.choice(len(pairs), size=p.n_od, replace=False)
    od_pairs = [pairs[i] for i in chosen]
    weights = rng.uniform(0.2, 1.8, p.n_od)
    teu_od = weights / weights.sum() * p.teu_per_year
    kind_u = rng.random(p.n_od)
    trans_u = rng.random(p.n_od)

    links = _Links()
    services: dict[tuple[int, int, int], float] = {}  # (from, to, mode) -> TEU/h
    service_index: dict[tuple[int, int, int], int] = {}
    route_rows: list[tuple[int, float, int, list[tuple[int, int, int, int]], int]] = []
    rail, barge = mode_code(Mode.RAIL), mode_code(Mode.INLAND_WATERWAY)
    road = mode_code(Mode.ROAD)
    trucks_in_per_h, trucks_out_per_h = np.zeros(n), np.zeros(n)
    for od, (a, b) in enumerate(od_pairs):
        za, zb = n + a, n + b
        direct = links.get(za, zb, km(za, zb) * p.detour_road)
        road_route: list[tuple[int, int, int, int]] = [(LEG_ROAD, direct, za, zb)]
        rate = teu_od[od] / HOURS_PER_YEAR
        if kind_u[od] < p.road_only_share:
            route_rows.append((od, 1.0, road, road_route, -1))
            continue
        first = links.get(za, a, km(za, a) * p.detour_road)
        last = links.get(b, zb, km(b, zb) * p.detour_road)
        if kind_u[od] < p.road_only_share + p.rail_share:
            hops = [(a, b, rail)]
        elif trans_u[od] < p.transshipment_share:
            m = int(rng.choice([h for h in range(n) if h not in (a, b)]))
            hops = [(a, m, rail), (m, b, barge)]
        else:
            hops = [(a, b, barge)]
        trucks_in_per_h[a] += rate
        trucks_out_per_h[b] += rate
        legs: list[tuple[int, int, int, int]] = [(LEG_ROAD, first, za, a)]
        for f, t, mode in hops:
            key = (f, t, mode)
            if key not in services:
                service_index[key] = len(services)
                services[key] = 0.0
            services[key] += rate
            legs.append((LEG_SERVICE, service_index[key], f, t))
        legs.append((LEG_ROAD, last, b, zb))
        main = barge if any(h[2] == barge for h in hops) else rail
        alt = len(route_rows) + 1
        route_rows.append((od, 1.0, main, legs, alt))
        route_rows.append((od, 0.0, road, road_route, -1))

    svc_keys = list(services)
    departures: list[np.ndarray] = []
    capacities: list[np.ndarray] = []
    svc_km, svc_travel, svc_cutoff = [], [], []
    jobs_per_h = np.zeros(n)
    task_per_h = np.zeros((n, len(TASKS)))  # moves per hour by hub and task
    for f, t, mode in svc_keys:
        rate = services[(f, t, mode)]
        jobs_per_h[f] += rate
        jobs_per_h[t] += rate
        task = TASK_RAIL if mode == rail else TASK_QUAY
        task_per_h[[f, t], task] += rate
        is_rail = mode == rail
        nominal = p.capacity_rail_teu if is_rail else p.capacity_barge_teu
        headway = p.service_utilisation_share * nominal / rate
        headway = min(max(headway, p.min_headway_h), p.max_headway_h)
        cap = max(nominal, math.ceil(rate * headway / p.service_utilisation_share))
        phase = rng.uniform(0, headway)
        dep = np.arange(phase, p.horizon_h, headway)
        departures.append(dep)
        capacities.append(np.full(dep.size, float(cap)))
        detour = p.detour_rail if is_rail else p.detour_barge
        speed = p.speed_rail_kmh if is_rail else p.speed_barge_kmh
        distance = km(f, t) * detour
        svc_km.append(distance)
        svc_travel.append(distance / speed)
        svc_cutoff.append(p.cutoff_rail_h if is_rail else p.cutoff_barge_h)
    n_svc = len(svc_keys)
    servers = np.maximum(
        1, np.ceil(jobs_per_h * p.handling_time_h / p.crane_utilisation_share)
    ).astype(np.int64)

    hub_ids = tuple(f"hub-{h:02d}" for h in range(n))
    hubs = HubArrays(
        ids=hub_ids,
        servers=servers,
        handling_time_h=np.full(n, p.handling_time_h),
        service_distribution=(p.service_distribution,) * n,
        service_shape=np.full(n, 2 if p.service_distribution == "erlang" else 1, dtype=np.int64),
        yard_capacity_teu=np.full(n, p.yard_capacity_teu),
        gate_lanes=np.full(n, p.gate_lanes, dtype=np.int64),
        gate_time_h=np.full(n, p.gate_time_h),
        handling_cost_cny_per_move=np.zeros(n),
        handling_intensity_id=("",) * n,
    )
    service_arrays = ServiceArrays(
        ids=tuple(f"{'rail' if m == rail else 'barge'}-{f:02d}-{t:02d}" for f, t, m in svc_keys),
        mode=np.asarray([m for _, _, m in svc_keys], dtype=np.int64),
        origin=np.asarray([f for f, _, _ in svc_keys], dtype=np.int64),
        destination=np.asarray([t for _, t, _ in svc_keys], dtype=np.int64),
        departures_h=tuple(departures),
        capacity_teu=tuple(capacities),
        cutoff_h=np.asarray(svc_cutoff, dtype=np.float64).reshape(n_svc),
        travel_time_h=np.asarray(svc_travel, dtype=np.float64).reshape(n_svc),
        distance_km=np.asarray(svc_km, dtype=np.float64).reshape(n_svc),
        intensity_id=("",) * n_svc,
        cost_cny_per_teu=np.zeros(n_svc),
        cost_cny_per_departure=np.zeros(n_svc),
    )
    n_links = len(links.distance_km)
    link_ends = np.asarray(list(links.index), dtype=np.int64).reshape(n_links, 2)
    link_km = np.asarray(links.distance_km, dtype=np.float64)
    road_arrays = RoadLinkArrays(
        origin=link_ends[:, 0],
        destination=link_ends[:, 1],
        distance_km=link_km,
        speed_kmh=np.full(n_links, p.speed_road_kmh),
        travel_time_h=link_km / p.speed_road_kmh,
        truck_capacity_teu=np.full(n_links, 2, dtype=np.int64),
        intensity_id=("",) * n_links,
        cost_cny_per_teu=np.zeros(n_links),
        cost_cny_per_trip=np.zeros(n_links),
    )
    routes = _routes(route_rows, od_pairs)
    demand = DemandArrays(
        ids=tuple(f"od-{a:02d}-{b:02d}" for a, b in od_pairs),
        origin=np.asarray([n + a for a, _ in od_pairs], dtype=np.int64),
        destination=np.asarray([n + b for _, b in od_pairs], dtype=np.int64),
        teu_per_year=teu_od,
        box_40ft_share=np.full(p.n_od, p.box_40ft_share),
        loaded_share=np.full(p.n_od, 0.8),
        cargo_t_per_teu=np.full(p.n_od, 10.0),
        tare_t_per_teu=np.full(p.n_od, 2.2),
        seasonality=np.ones((p.n_od, 12)),
        arrival_process=("poisson",) * p.n_od,
    )
    closures = np.asarray(p.road_closures, dtype=np.float64).reshape(-1, 3)
    # Synthetic coordinates: km offsets around an arbitrary point (not a real place).
    lon = 110.0 + xy[:, 0] / 100.0
    lat = 30.0 + xy[:, 1] / 111.0
    task_per_h[:, TASK_YARD] = trucks_in_per_h + trucks_out_per_h
    task_per_h[:, TASK_GATE] = trucks_in_per_h
    terminal = (
        None
        if p.terminal is None
        else _terminal(p.terminal, hub_ids, task_per_h, p.handling_time_h, service_arrays)
    )
    return CompiledNetwork(
        scenario_id=f"synthetic-{p.n_hubs}h-{p.n_od}od-seed{p.seed}",
        horizon_h=p.horizon_h,
        warmup_h=p.warmup_h,
        yard_full_policy=p.yard_full_policy,
        node_ids=hub_ids + tuple(f"zone-{h:02d}" for h in range(n)),
        node_lon_deg=lon,
        node_lat_deg=lat,
        hubs=hubs,
        services=service_arrays,
        road=road_arrays,
        routes=routes,
        demand=demand,
        road_closures=RoadClosures(
            link=closures[:, 0].astype(np.int64),
            start_h=closures[:, 1].copy(),
            end_h=closures[:, 2].copy(),
        ),
        terminal=terminal,
    )


def _terminal(
    t: SyntheticTerminal,
    hub_ids: tuple[str, ...],
    task_per_h: np.ndarray,
    handling_time_h: float,
    services: ServiceArrays,
) -> TerminalArrays:
    """Pools for every task a hub has moves of, sized for the target utilisation of the
    unit-hours left by the shift pattern and breakdowns."""
    night = t.night_share
    starts = np.arange(7)[:, None] * 24.0 + np.array([0.0, 6.0, 22.0])
    shares = np.tile([night, 1.0, night], 7)
    on_duty = (8.0 * night + 16.0) / 24.0  # daily mean share on duty
    available = on_duty * t.mtbf_h / (t.mtbf_h + t.mttr_h)
    mean_h = np.array([handling_time_h, handling_time_h, t.yard_time_h, t.gate_time_h])
    hub, task = np.nonzero(task_per_h > 0)
    load = task_per_h[hub, task] * mean_h[task] / (t.utilisation_share * available)
    # At least 2 units, so that the night shift keeps one on duty.
    units = np.maximum(2, np.ceil(load)).astype(np.int64)
    npool = hub.size
    dist = tuple("deterministic" if k == TASK_GATE else "lognormal" for k in task)
    pool_of = np.full((len(hub_ids), len(TASKS)), -1, dtype=np.int64)
    pool_of[hub, task] = np.arange(npool)
    return TerminalArrays(
        pools=PoolArrays(
            ids=tuple(f"{hub_ids[h]}/{TASKS[k]}" for h, k in zip(hub, task, strict=True)),
            hub=hub.astype(np.int64),
            task=task.astype(np.int64),
            units=units,
            mean_service_h=mean_h[task],
            distribution=dist,
            shape=np.ones(npool, dtype=np.int64),
            cv=np.where(task == TASK_GATE, np.nan, t.service_cv),
            samples_h=tuple(np.empty(0) for _ in range(npool)),
            priority=np.full(npool, PRIORITIES.index(t.priority), dtype=np.int64),
            shift=np.zeros(npool, dtype=np.int64),
            mtbf_h=np.full(npool, t.mtbf_h),
            mttr_h=np.full(npool, t.mttr_h),
        ),
        shifts=ShiftPatterns(
            ids=("synthetic-nights",), start_h=(starts.ravel(),), on_duty_share=(shares,)
        ),
        pool_of=pool_of,
        loading_window_h=np.minimum(t.loading_window_h, services.cutoff_h),
        travel_time_cv=np.full(services.n, t.travel_time_cv),
        truck_wait_threshold_h=np.full(len(hub_ids), t.truck_wait_threshold_h),
    )


def _routes(
    rows: list[tuple[int, float, int, list[tuple[int, int, int, int]], int]],
    od_pairs: list[tuple[int, int]],
) -> RouteArrays:
    return route_arrays(
        ids=[
            f"od-{od_pairs[od][0]:02d}-{od_pairs[od][1]:02d}/{'road' if alt < 0 else 'intermodal'}"
            for od, _, _, _, alt in rows
        ],
        od=[r[0] for r in rows],
        share=[r[1] for r in rows],
        main_mode=[r[2] for r in rows],
        legs=[r[3] for r in rows],
        road_alternative=[r[4] for r in rows],
    )
