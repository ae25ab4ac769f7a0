"""Container arrivals per OD pair, from seeded random streams (clock in hours [h]).

Each OD pair's demand is a (non-homogeneous) arrival process over ``[0, horizon_h)``
whose rate follows the OD's monthly seasonality. Boxes arrive one per row: a 40'
box (2 TEU) with probability ``box_40ft_share``, else a 20' box (1 TEU), so the
mean box rate is ``teu_per_year / (1 + box_40ft_share)`` boxes per 8760 h.

Common random numbers: every OD pair and every attribute (arrival times, box
size, loaded flag, route choice, each handling visit) draws from its own stream,
keyed by ``(seed, replication, OD id, purpose)``. A variant that changes one OD's
demand or one route share leaves every other draw unchanged; route choice uses one
uniform per box against the cumulative route shares, so a small change of shares
moves only the boxes near the boundary.

References
----------
Arrivals of a non-homogeneous Poisson process by time change: if ``Λ(t)`` is the
cumulative rate, the points ``Λ⁻¹(s_i)`` of a unit-rate Poisson process ``s_i``
form a Poisson process of rate ``λ(t)`` (Çinlar, *Introduction to Stochastic
Processes*, 1975, ch. 4).
"""

from __future__ import annotations

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.arrival_rows import draw_visit_handling_u
from freighthub.sim.background import BackgroundArrays, BackgroundJobs, batch_service_h
from freighthub.sim.background_trucks import TRUCK_TASKS, truck_job_parts
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.pools import down_intervals
from freighthub.sim.streams import stream
from freighthub.sim.terminal import TerminalDraws
from freighthub.units import HOURS_PER_DAY, HOURS_PER_YEAR, MONTH_DAYS

__all__ = [
    "cumulative_boxes",
    "generate_arrivals",
    "generate_background",
    "profiled_times",
    "terminal_draws",
]


def _month_grid(horizon_h: float) -> FloatArray:
    """Month boundaries [h] from 0 up to and including ``horizon_h``."""
    month_h = np.array(MONTH_DAYS, dtype=np.float64) * HOURS_PER_DAY
    years = int(np.ceil(horizon_h / HOURS_PER_YEAR))
    edges = np.concatenate([[0.0], np.cumsum(np.tile(month_h, years))])
    edges = edges[edges < horizon_h]
    return np.append(edges, horizon_h)


def cumulative_boxes(network: CompiledNetwork, od: int) -> tuple[FloatArray, FloatArray]:
    """The cumulative expected number of boxes ``Λ(t)`` of one OD, piecewise linear.

    Returns
    -------
    tuple of numpy.ndarray
        Knots ``t`` [h] (month boundaries and the horizon) and ``Λ(t)`` [boxes].
    """
    d = network.demand
    boxes_per_year = d.teu_per_year[od] / (1.0 + d.box_40ft_share[od])
    return _cumulative(network.horizon_h, float(boxes_per_year), d.seasonality[od])


def _cumulative(
    horizon_h: float, per_year: float, seasonality: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Knots [h] and cumulative expected count of a rate ``per_year`` x month factor."""
    grid = _month_grid(horizon_h)
    months = (np.arange(grid.size - 1) % 12).astype(np.int64)
    rate = per_year / HOURS_PER_YEAR * seasonality[months]
    cum = np.concatenate([[0.0], np.cumsum(rate * np.diff(grid))])
    return grid, cum


def _profiled_cumulative(
    horizon_h: float, per_year: float, seasonality: FloatArray, weight: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Hourly knots [h] and cumulative expected count of a rate ``per_year`` x month
    factor x the week's hourly weight (``weight[floor(t) mod 168]``)."""
    knots = np.append(np.arange(np.ceil(horizon_h), dtype=np.float64), horizon_h)
    knots = np.unique(np.minimum(knots, horizon_h))
    start = knots[:-1]
    month_edges = _month_grid(horizon_h)
    month = (np.searchsorted(month_edges, start, side="right") - 1) % 12
    hour = start.astype(np.int64) % weight.size
    rate = per_year / HOURS_PER_YEAR * seasonality[month] * weight[hour]
    cum = np.concatenate([[0.0], np.cumsum(rate * np.diff(knots))])
    return knots, cum


def _invert(cum: FloatArray, knots_h: FloatArray, x: FloatArray) -> FloatArray:
    """``Λ⁻¹(x)`` of a piecewise-linear, non-decreasing ``Λ`` (flat where the rate is 0:
    a point never falls in an hour of weight 0)."""
    i = np.clip(np.searchsorted(cum, x, side="right") - 1, 0, cum.size - 2)
    slope = np.diff(cum)[i]
    dt = np.divide(x - cum[i], slope, out=np.zeros_like(x), where=slope > 0)
    return np.asarray(np.minimum(knots_h[i] + dt, knots_h[-1]), dtype=np.float64)


def profiled_times(network: CompiledNetwork, od: int, s: FloatArray, total: float) -> FloatArray:
    """Arrival times [h] of the points ``s`` in ``[0, total)`` of one OD's expected-count
    axis, following its arrival profile (``DemandArrays.arrival_weight``).

    The time change: ``t = Λ_p⁻¹(s Λ_p(H) / total)`` with ``Λ_p`` the cumulative of the
    seasonal rate times the weekly weight (mean 1), ``H`` the horizon. The OD keeps its
    count of boxes (the one drawn without the profile, so ``total`` = the seasonal
    ``Λ(H)``) and each box its draws: common random numbers hold; only the times move.
    """
    d = network.demand
    assert d.arrival_weight is not None
    boxes_per_year = float(d.teu_per_year[od] / (1.0 + d.box_40ft_share[od]))
    knots_h, cum = _profiled_cumulative(
        network.horizon_h, boxes_per_year, d.seasonality[od], d.arrival_weight[od]
    )
    return _invert(cum, knots_h, s * (float(cum[-1]) / total))


def _poisson_times(
    horizon_h: float, per_year: float, seasonality: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Points of a Poisson process of rate ``per_year`` x month factor over the horizon [h]."""
    knots_h, cum = _cumulative(horizon_h, per_year, seasonality)
    total = float(cum[-1])
    count = int(rng.poisson(total))
    s = np.sort(rng.random(count)) * total
    return np.asarray(np.interp(s, cum, knots_h), dtype=np.float64)


def generate_background(
    network: CompiledNetwork, seed: int, replication: int = 0
) -> BackgroundJobs | None:
    """Draw one replication's background jobs (``None`` if the network has none).

    Calls of a hub flow arrive as a Poisson process of rate ``teu_per_year / (1 +
    box_40ft_share) / batch`` a year times the month's factor; a call's TEU is its
    ``batch`` moves plus a Binomial(``batch``, ``box_40ft_share``) count of 40' boxes,
    shared equally by its ``split`` jobs. Its trucks (``road_share`` > 0, with a
    terminal model) arrive in groups of ``trucks_per_job`` at rate ``road_share x
    teu_per_year / (1 + box_40ft_share) / trucks_per_job`` a year times the month's
    factor, each group one job of the hub's gate and yard pools
    (:func:`~freighthub.sim.background_trucks.truck_job_parts`).
    Lots of a service flow arrive at the service's origin at rate ``teu_per_year /
    batch``, each of ``batch`` TEU and ``batch / (1 + box_40ft_share)`` moves. Each
    flow draws from its own streams (keyed by its id), each service's unload draws
    from one keyed by the service id: common random numbers as for demand.

    Parameters
    ----------
    network
        The compiled network.
    seed, replication
        As for :func:`generate_arrivals` [-].
    """
    bg: BackgroundArrays | None = network.background
    if bg is None:
        return None
    hubs, services = network.hubs, network.services
    parts: list[tuple[np.ndarray, ...]] = []  # (t, hub, teu, moves, service, u, task, work)
    flows = bg.hub_flows
    for f in range(flows.n):
        key = flows.ids[f]
        batch = int(flows.batch[f])
        share = float(flows.box_40ft_share[f])
        calls = flows.teu_per_year[f] / (1.0 + share) / batch
        rng = stream(seed, replication, key, "background_times")
        t = _poisson_times(network.horizon_h, float(calls), flows.seasonality[f], rng)
        n = t.size
        call_teu = batch + stream(seed, replication, key, "background_box").binomial(
            batch, share, n
        )
        k = 1 if flows.split is None else int(flows.split[f])  # jobs per call
        t = np.repeat(t, k)
        teu: FloatArray = np.repeat(call_teu.astype(np.float64) / k, k)
        hub = np.full(n * k, flows.target[f], dtype=np.int64)
        moves = np.full(n * k, batch / k)
        u = stream(seed, replication, key, "background_handling").random(n * k)
        parts.append((t, hub, teu, moves, np.full(n * k, -1, np.int64), u, *_crane(n * k)))
        road = 0.0 if flows.road_share is None else float(flows.road_share[f])
        if road > 0 and network.terminal is not None:
            m = 1 if flows.trucks_per_job is None else int(flows.trucks_per_job[f])
            groups = road * flows.teu_per_year[f] / (1.0 + share) / m
            rng = stream(seed, replication, key, "background_trucks")
            t = _poisson_times(network.horizon_h, float(groups), flows.seasonality[f], rng)
            rng = stream(seed, replication, key, "background_truck_work")
            u = rng.random((len(TRUCK_TASKS), t.size, m))
            for t_j, hub_j, task, work in truck_job_parts(network, int(flows.target[f]), t, u):
                zero = np.zeros(t_j.size)
                parts.append((t_j, hub_j, zero, zero, np.full(t_j.size, -1), zero, task, work))
    lots = bg.service_flows
    moves_per_teu = np.zeros(services.n)
    for f in range(lots.n):
        key = lots.ids[f]
        k = int(lots.target[f])
        lot_teu = float(lots.batch[f])
        per_teu = 1.0 / (1.0 + float(lots.box_40ft_share[f]))
        moves_per_teu[k] = per_teu
        rng = stream(seed, replication, key, "background_times")
        t = _poisson_times(
            network.horizon_h, float(lots.teu_per_year[f] / lot_teu), lots.seasonality[f], rng
        )
        n = t.size
        hub = np.full(n, services.origin[k], dtype=np.int64)
        u = stream(seed, replication, key, "background_handling").random(n)
        lot = (t, hub, np.full(n, lot_teu), np.full(n, lot_teu * per_teu), np.full(n, k), u)
        parts.append((*lot, *_crane(n)))
    cat = [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(8)]
    order = np.argsort(cat[0], kind="stable")  # ties stay in flow order
    job_t: FloatArray = cat[0][order]
    job_teu: FloatArray = cat[2][order].astype(np.float64)
    job_moves: FloatArray = cat[3][order]
    job_u: FloatArray = cat[5][order]
    job_hub: IntArray = cat[1][order].astype(np.int64)
    job_service: IntArray = cat[4][order].astype(np.int64)
    job_task: IntArray = cat[6][order].astype(np.int64)
    service_h: FloatArray = cat[7][order].astype(np.float64)
    crane = job_task < 0
    service_h[crane] = batch_service_h(hubs, job_hub[crane], job_moves[crane], job_u[crane])
    unload_u = tuple(
        stream(seed, replication, services.ids[k], "background_unload").random(
            services.departures_h[k].size
        )
        if moves_per_teu[k] > 0
        else np.zeros(0)
        for k in range(services.n)
    )
    return BackgroundJobs(
        hub=job_hub,
        arrival_h=job_t,
        service_h=service_h,
        teu=job_teu,
        moves=job_moves,
        service=job_service,
        unload_u=unload_u,
        moves_per_teu=moves_per_teu,
        task=job_task,
    )


def _crane(n: int) -> tuple[IntArray, FloatArray]:
    """Task (-1: crane work) and work (NaN: drawn later) of ``n`` call or lot jobs."""
    return np.full(n, -1, dtype=np.int64), np.full(n, np.nan)


def generate_arrivals(network: CompiledNetwork, seed: int, replication: int = 0) -> Arrivals:
    """Draw the containers that enter the network over ``[0, horizon_h)``.

    Parameters
    ----------
    network
        The compiled network (demand, route shares, the number of handling visits).
    seed
        Experiment seed [-].
    replication
        Replication number, 0-based [-]; each replication has its own streams.

    Returns
    -------
    Arrivals
        One row per box, sorted by arrival time (ties by OD index).

    Raises
    ------
    ValueError
        If ``seed`` or ``replication`` is negative.
    """
    if seed < 0 or replication < 0:
        raise ValueError(f"seed = {seed}, replication = {replication}: must be >= 0")
    d, routes = network.demand, network.routes
    # Memory: every OD's arrival times first (their count sizes the columns), then the
    # other draws straight into whole-run columns, then one sort by time; no per-OD
    # parts kept (they fragmented the heap: 0.2 GiB held after a 5 M box year). Compact
    # integer columns: od and route int32, teu and boxes int8; the handling draws only
    # for the visits each box's route has (ragged visit rows, drawn after the sort).
    times = [_od_times(network, seed, replication, od) for od in range(d.n)]
    counts = [t.size for t in times]
    time_h = np.concatenate([np.zeros(0), *times])
    del times
    n_all = time_h.size
    columns: dict[str, np.ndarray] = {
        "od": np.repeat(np.arange(d.n, dtype=np.int32), counts),
        "route": np.empty(n_all, dtype=np.int32),
        "teu": np.empty(n_all, dtype=np.int8),
        "mass_t": np.empty(n_all, dtype=np.float64),
        "loaded": np.empty(n_all, dtype=np.bool_),
    }
    route_col, teu_col, mass_col = columns["route"], columns["teu"], columns["mass_t"]
    loaded_col = columns["loaded"]
    end = 0
    for od, n in enumerate(counts):
        rows = slice(end, end + n)
        end += n
        key = d.ids[od]
        teu = np.where(
            stream(seed, replication, key, "box").random(n) < d.box_40ft_share[od], 2, 1
        ).astype(np.int64)
        loaded = stream(seed, replication, key, "loaded").random(n) < d.loaded_share[od]
        teu_col[rows], loaded_col[rows] = teu, loaded
        mass_col[rows] = teu * (d.tare_t_per_teu[od] + np.where(loaded, d.cargo_t_per_teu[od], 0.0))
        mine = np.flatnonzero(routes.od == od)
        cum_share = np.cumsum(routes.share[mine])
        cum_share[-1] = 1.0
        u_route = stream(seed, replication, key, "route").random(n)
        route_col[rows] = mine[
            np.minimum(np.searchsorted(cum_share, u_route, side="right"), mine.size - 1)
        ]
    del route_col, teu_col, mass_col, loaded_col
    order = np.argsort(time_h, kind="stable")  # rows are in OD order: ties stay by OD
    # Each column sorted, the unsorted one freed at once (the peak stays near one set).
    sorted_cols: dict[str, np.ndarray] = {"time_h": time_h[order]}
    del time_h
    for name in ("od", "route", "teu", "mass_t", "loaded"):
        sorted_cols[name] = columns.pop(name)[order]
    by_od = np.empty_like(order)  # (the OD-ordered rows' places in time order)
    by_od[order] = np.arange(order.size)
    del order
    return Arrivals(
        time_h=sorted_cols["time_h"],
        od=sorted_cols["od"],
        route=sorted_cols["route"],
        boxes=np.ones(by_od.size, dtype=np.int8),
        teu=sorted_cols["teu"],
        mass_t=sorted_cols["mass_t"],
        loaded=sorted_cols["loaded"],
        visit_handling_u=draw_visit_handling_u(
            network, seed, replication, sorted_cols["route"], by_od, counts
        ),
        visits_per_route=np.diff(routes.visit_start).astype(np.int64),
        background=generate_background(network, seed, replication),
        terminal=(
            None
            if network.terminal is None
            else terminal_draws(network, seed, replication, sorted_cols["od"])
        ),
    )


def _od_times(network: CompiledNetwork, seed: int, replication: int, od: int) -> FloatArray:
    """Arrival times [h] of OD ``od``'s boxes over the horizon, ascending (its "times"
    stream)."""
    d = network.demand
    knots_h, cum = cumulative_boxes(network, od)
    total = float(cum[-1])
    if d.arrival_process[od] == "poisson":
        rng = stream(seed, replication, d.ids[od], "times")
        count = int(rng.poisson(total))
        s = np.sort(rng.random(count)) * total
    else:  # deterministic: evenly spaced in expected-count space
        s = np.arange(int(np.floor(total)), dtype=np.float64) + 0.5
        s = s[s < total]
    if d.arrival_weight is None or np.all(d.arrival_weight[od] == 1.0):
        return np.interp(s, cum, knots_h)
    return profiled_times(network, od, s, total)


def terminal_draws(
    network: CompiledNetwork, seed: int, replication: int, od: IntArray
) -> TerminalDraws:
    """One replication's draws for the terminal model (``docs/terminal-operations.md``).

    ``gate_u`` and ``yard_u`` come from per-OD streams of their own (``"gate"``,
    ``"yard"``), in the OD's arrival order, so a box keeps its draws when other ODs
    change; the down intervals of each pool from a stream keyed by the pool id
    (:func:`freighthub.sim.pools.down_intervals`: shifts and breakdowns); each
    service's travel-time extras from one keyed by the service id, a lognormal factor
    with mean 1 and the service's CV per departure: ``sigma^2 = ln(1 + cv^2)``,
    ``mu = -sigma^2 / 2``.

    Parameters
    ----------
    network
        The compiled network, with ``terminal`` set.
    seed, replication
        As for :func:`generate_arrivals` [-].
    od
        OD index of each box, in the rows' order (arrival time, ties by OD).
    """
    term = network.terminal
    assert term is not None
    d, services = network.demand, network.services
    n = od.size
    by_od = np.argsort(od, kind="stable")  # rows grouped by OD, each in arrival order
    counts = np.bincount(od, minlength=d.n)
    parts = [
        [stream(seed, replication, d.ids[o], purpose, column).random(int(counts[o]))
         for o in range(d.n)]
        for purpose, column in (("gate", 0), ("yard", 0), ("yard", 1))
    ]  # fmt: skip
    rank = np.empty(n, dtype=np.int64)  # row -> its place in the OD-grouped order
    rank[by_od] = np.arange(n)
    gate_u = np.concatenate([np.zeros(0), *parts[0]])[rank]
    yard_u = np.empty((n, 2), dtype=np.float64)
    for column in (0, 1):
        yard_u[:, column] = np.concatenate([np.zeros(0), *parts[1 + column]])[rank]
    pools, shifts = term.pools, term.shifts
    down_start: list[tuple[FloatArray, ...]] = []
    down_end: list[tuple[FloatArray, ...]] = []
    for p in range(pools.n):
        k = int(pools.shift[p])
        starts, ends = down_intervals(
            int(pools.units[p]),
            network.horizon_h,
            shift_start_h=shifts.start_h[k] if k >= 0 else None,
            shift_share=shifts.on_duty_share[k] if k >= 0 else None,
            mtbf_h=float(pools.mtbf_h[p]),
            mttr_h=float(pools.mttr_h[p]),
            rng=stream(seed, replication, pools.ids[p], "down"),
        )
        down_start.append(starts)
        down_end.append(ends)
    extra: list[FloatArray] = []
    for k in range(services.n):
        count = services.departures_h[k].size
        cv = float(term.travel_time_cv[k])
        if cv > 0:
            sigma2 = float(np.log1p(cv**2))
            rng = stream(seed, replication, services.ids[k], "travel")
            factor = rng.lognormal(-sigma2 / 2.0, np.sqrt(sigma2), count)
            extra.append(float(services.travel_time_h[k]) * (factor - 1.0))
        else:
            extra.append(np.zeros(count, dtype=np.float64))
    return TerminalDraws(
        gate_u=gate_u,
        yard_u=yard_u,
        down_start_h=tuple(down_start),
        down_end_h=tuple(down_end),
        travel_extra_h=tuple(extra),
    )
