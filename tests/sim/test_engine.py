"""The fast engine: queueing theory, invariants, determinism, common random numbers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from freighthub.sim import engine, reference
from freighthub.sim.arrival_rows import take
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import (
    LEG_SERVICE,
    Arrivals,
    CompiledNetwork,
    EngineResult,
    RoadClosures,
    RouteArrays,
)
from freighthub.sim.plan import handling_time_h
from freighthub.sim.queueing import erlang_c, mmc_mean_wait_h
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network

SMALL = SyntheticParameters(n_hubs=6, n_od=14, teu_per_year=3.0e5, horizon_h=24 * 40.0, seed=4)


def _run(p: SyntheticParameters, seed: int = 1) -> tuple[CompiledNetwork, Arrivals, EngineResult]:
    network = synthetic_network(p)
    arrivals = generate_arrivals(network, seed)
    return network, arrivals, engine.run(network, arrivals)


def _arrays(result: EngineResult) -> dict[str, np.ndarray]:
    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}


def test_same_seed_gives_identical_result() -> None:
    network, arrivals, first = _run(SMALL)
    second = engine.run(network, arrivals)
    again = engine.run(network, generate_arrivals(network, 1))
    for name, value in _arrays(first).items():
        np.testing.assert_array_equal(value, getattr(second, name), err_msg=name)
        np.testing.assert_array_equal(value, getattr(again, name), err_msg=name)
    other = engine.run(network, generate_arrivals(network, 2))
    assert not np.array_equal(other.arrival_h[:100], first.arrival_h[:100])


def test_road_tails_in_small_batches_give_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Road legs of many boxes run in passes of engine._CHUNK boxes (memory); the passes
    # must not matter, so passes of 7 boxes give the same result, bit for bit, as the
    # default. With a road
    # closure, so that batches also take the general road path.
    network = synthetic_network(SMALL)
    closures = RoadClosures(
        link=np.array([0, 1]), start_h=np.array([100.0, 300.0]), end_h=np.array([160.0, 330.0])
    )
    for net in (network, dataclasses.replace(network, road_closures=closures)):
        arrivals = generate_arrivals(net, 3)
        default = engine.run(net, arrivals)
        with monkeypatch.context() as m:
            m.setattr(engine, "_CHUNK", 7)
            small = engine.run(net, arrivals)
        assert int(np.isfinite(default.delivered_h).sum()) > 1000
        for name, value in _arrays(default).items():
            np.testing.assert_array_equal(value, getattr(small, name), err_msg=name)


def _visit_arrays(network: CompiledNetwork, result: EngineResult) -> tuple[np.ndarray, ...]:
    """Flatten visits: hub, arrival at the pool, start, handling [h], for visits that started."""
    plan = engine.RoutePlan.of(network)
    voff = result.visit_offset  # (visit rows: box i's visit k is row voff[i] + k)
    box = np.repeat(np.arange(voff.size - 1), np.diff(voff))
    hub = plan.visit_hub[result.route[box], np.arange(box.size) - voff[box]]
    started = ~np.isnan(result.visit_start_h)
    start = result.visit_start_h[started]
    return (
        hub[started],
        start - result.visit_wait_h[started],
        start,
        result.visit_handling_h[started],
    )


def test_mmc_hub_matches_erlang_c() -> None:
    # One rail OD: its origin hub's pool sees only load moves of a Poisson stream
    # (shifted by a constant first-mile time, still Poisson) with exponential handling
    # — an M/M/c queue. λ = 30 boxes/h, mean move 3 min, c = ceil(1.5 / 0.75) = 2, so
    # ρ = 0.75. One simulated year (~263 000 boxes), the first 2 % dropped as warm-up,
    # 20 batch means; tolerance 4 standard errors (batches of ~13 000 jobs are much
    # longer than the queue's relaxation time at ρ = 0.75). Fixed seed.
    p = SyntheticParameters(
        n_hubs=3, n_od=1, teu_per_year=30 * 8760.0, road_only_share=0.0, rail_share=1.0, seed=3
    )
    network, _, result = _run(p, seed=11)
    origin = int(network.services.origin[0])
    assert network.hubs.servers[origin] == 2
    lam, mu = 30.0, 1 / 0.05
    wait = result.visit_column(result.visit_wait_h, 0)
    wait = wait[~np.isnan(wait)][wait.size // 50 :]
    batches = wait[: wait.size // 20 * 20].reshape(20, -1).mean(axis=1)
    se = float(batches.std(ddof=1) / math.sqrt(20))
    expected = mmc_mean_wait_h(lam, mu, 2)
    assert abs(float(batches.mean()) - expected) < 4 * se, (batches.mean(), expected, se)
    assert float(np.mean(wait > 0)) == pytest.approx(erlang_c(lam, mu, 2), abs=0.01)


def test_littles_law_at_every_hub() -> None:
    # Per hub, the area under the number-waiting curve (built from the pool arrival
    # and start events) equals the sum of the waits: L = λW on the sample path. A
    # visit still waiting at the horizon is not in the arrays, so the path is cut at
    # the last start; the identity is exact up to rounding.
    network, _, result = _run(dataclasses.replace(SMALL, transshipment_share=0.5))
    hub, arrived, start, _ = _visit_arrays(network, result)
    assert set(np.unique(hub).tolist()) == set(range(network.n_hubs))
    for h in range(network.n_hubs):
        assert_littles_law(arrived[hub == h], start[hub == h])


def assert_littles_law(a: np.ndarray, s: np.ndarray) -> None:
    """Area under the number-waiting curve (arrivals ``a``, starts ``s`` [h]) over its
    span = arrival rate x mean wait: L = lam W on the sample path, up to rounding."""
    times = np.concatenate([a, s])
    steps = np.concatenate([np.ones(a.size), -np.ones(s.size)])
    order = np.lexsort((-steps, times))
    queue = np.cumsum(steps[order])
    assert queue.min() >= 0
    area = float(np.sum(queue[:-1] * np.diff(times[order])))
    span = float(times.max() - times.min())
    assert area / span == pytest.approx(a.size / span * float(np.mean(s - a)), rel=1e-9)


def test_pools_never_exceed_their_servers() -> None:
    network, _, result = _run(SMALL)
    hub, _, start, handling = _visit_arrays(network, result)
    for h in range(network.n_hubs):
        s, e = start[hub == h], start[hub == h] + handling[hub == h]
        e = e - 1e-9  # the one-server closed form rounds ends by ~1e-12 h
        times = np.concatenate([s, e])
        steps = np.concatenate([np.ones(s.size), -np.ones(e.size)])
        busy = np.cumsum(steps[np.lexsort((steps, times))])  # ends before starts at ties
        assert busy.max() <= network.hubs.servers[h]


def test_timetable_rules_and_conservation() -> None:
    p = dataclasses.replace(SMALL, box_40ft_share=0.5, transshipment_share=0.5)
    network, arrivals, result = _run(p)
    routes, services = network.routes, network.services
    plan = engine.RoutePlan.of(network)
    # Capacity per departure in TEU.
    assert np.all(result.trip_teu <= result.trip_capacity_teu)
    # Trip loads equal the boxes whose service legs departed on them, per service.
    teu_by_service = np.zeros(services.n)
    for r in range(routes.n):
        rows = np.flatnonzero(result.route == r)
        for p_leg, g in enumerate(range(routes.leg_start[r], routes.leg_start[r + 1])):
            if routes.leg_kind[g] != LEG_SERVICE:
                continue
            gone = rows[~np.isnan(result.leg_column(p_leg)[rows])]
            teu_by_service[routes.leg_index[g]] += arrivals.teu[gone].sum()
            # Cut-off: ready (end of the load move) + cut-off <= departure.
            col = plan.load_col[r, p_leg]
            at = result.visit_offset[gone] + col  # (visit rows)
            ready = result.visit_start_h[at] + result.visit_handling_h[at]
            k = routes.leg_index[g]
            assert np.all(ready + services.cutoff_h[k] <= result.leg_column(p_leg)[gone])
            assert np.all(np.isin(result.leg_column(p_leg)[gone], services.departures_h[k]))
    np.testing.assert_allclose(
        teu_by_service, np.bincount(result.trip_service, result.trip_teu, services.n)
    )
    # TEU conserved: every box is delivered or still in the system, none lost.
    delivered = ~np.isnan(result.delivered_h)
    assert arrivals.teu.sum() == arrivals.teu[delivered].sum() + arrivals.teu[~delivered].sum()
    assert np.all(result.delivered_h[delivered] >= result.arrival_h[delivered])
    assert delivered.mean() > 0.9
    # A delivered box passed its legs in order.
    dep = result.leg_matrix()[delivered]
    both = ~np.isnan(dep[:, 1:]) & ~np.isnan(dep[:, :-1])
    assert np.all(dep[:, 1:][both] >= dep[:, :-1][both])


def test_road_only_boxes_take_the_road_time() -> None:
    network, arrivals, result = _run(SMALL)
    road_only = engine.RoutePlan.of(network).road_only[result.route]
    assert road_only.any()
    link = network.routes.leg_index[network.routes.leg_start[result.route[road_only]]]
    travel = network.road.travel_time_h[link]
    expected = arrivals.time_h[road_only] + travel
    got = result.delivered_h[road_only]
    done = ~np.isnan(got)
    np.testing.assert_array_equal(got[done], expected[done])
    assert np.all(expected[~done] >= network.horizon_h)


def test_common_random_numbers_variant_differs_only_by_its_change() -> None:
    # Double the capacity of one service: boxes on other, unconnected ODs keep every time.
    network, arrivals, base = _run(SMALL)
    services = network.services
    caps = list(services.capacity_teu)
    caps[0] = caps[0] * 2
    variant_net = dataclasses.replace(
        network, services=dataclasses.replace(services, capacity_teu=tuple(caps))
    )
    variant = engine.run(variant_net, arrivals)
    np.testing.assert_array_equal(
        variant.visit_column(variant.visit_handling_h, 0),
        base.visit_column(base.visit_handling_h, 0),
    )
    road_only = engine.RoutePlan.of(network).road_only[base.route]
    np.testing.assert_array_equal(variant.delivered_h[road_only], base.delivered_h[road_only])
    np.testing.assert_array_equal(
        variant.trip_capacity_teu[variant.trip_service != 0],
        base.trip_capacity_teu[base.trip_service != 0],
    )


def test_full_yard_holds_or_diverts_never_loses() -> None:
    tight = dataclasses.replace(SMALL, yard_capacity_teu=40.0, box_40ft_share=0.3)
    _, arrivals, held = _run(tight)
    assert (held.yard_hold_h > 0).sum() > 0
    assert not held.diverted.any()
    network, arrivals, diverted = _run(dataclasses.replace(tight, yard_full_policy="divert_road"))
    assert diverted.diverted.sum() > 0
    assert np.all(diverted.yard_hold_h == 0)
    plan = engine.RoutePlan.of(network)
    # A diverted box travels its road alternative from its arrival at the origin.
    rows = np.flatnonzero(diverted.diverted)
    assert np.all(plan.road_only[diverted.route[rows]])
    assert np.all(network.routes.road_alternative[arrivals.route[rows]] == diverted.route[rows])
    assert np.all(np.isnan(diverted.visit_matrix(diverted.visit_start_h)[rows]))
    # (their visit rows stay, those of the assigned route, every one NaN)
    np.testing.assert_array_equal(
        np.diff(diverted.visit_offset)[rows],
        np.diff(network.routes.visit_start)[arrivals.route[rows]],
    )
    np.testing.assert_array_equal(diverted.departure_h[rows], arrivals.time_h[rows])


def test_road_closure_delays_trucks() -> None:
    network = synthetic_network(
        dataclasses.replace(SMALL, road_closures=((0, 10.0, 20.0), (0, 20.0, 25.0)))
    )
    link = np.asarray([0, 0, 0, 1, 0])
    t = np.asarray([5.0, 10.0, 19.0, 12.0, 25.0])
    np.testing.assert_array_equal(
        engine.road_departure_h(network, link, t), [5.0, 25.0, 25.0, 12.0, 25.0]
    )


def test_errors() -> None:
    network, arrivals, _ = _run(dataclasses.replace(SMALL, horizon_h=48.0))
    shuffled = dataclasses.replace(arrivals, time_h=arrivals.time_h[::-1].copy())
    with pytest.raises(ValueError, match=r"arrivals\.time_h must be sorted"):
        engine.run(network, shuffled)
    with pytest.raises(ValueError, match=r"arrivals\.visit_handling_u has \d+ rows"):
        dataclasses.replace(arrivals, visits_per_route=arrivals.visits_per_route + 1)
    first = arrivals.visit_offset[:-1]
    narrow = dataclasses.replace(  # draws laid out for other routes than the network's
        arrivals,
        visits_per_route=np.minimum(arrivals.visits_per_route, 1),
        visit_handling_u=arrivals.visit_handling_u[first[np.diff(arrivals.visit_offset) > 0]],
    )
    with pytest.raises(ValueError, match="does not match the network's routes"):
        engine.run(network, narrow)
    routes = network.routes
    no_visits = RouteArrays(
        **{
            **{f.name: getattr(routes, f.name) for f in dataclasses.fields(routes)},
            "visit_start": np.zeros(routes.n + 1, dtype=np.int64),
            "visit_hub": np.zeros(0, dtype=np.int64),
            "visit_kind": np.zeros(0, dtype=np.int64),
            "visit_leg": np.zeros(0, dtype=np.int64),
        }
    )
    with pytest.raises(ValueError, match="service leg 1 needs one load and one unload visit"):
        engine.RoutePlan.of(dataclasses.replace(network, routes=no_visits))


@pytest.mark.parametrize("distribution", ["exponential", "erlang", "deterministic"])
def test_handling_matrix_equals_the_contract_function(distribution: str) -> None:
    # The engine's fast path for exponential pools must give exactly what
    # plan.handling_time_h gives, visit by visit.
    network = synthetic_network(dataclasses.replace(SMALL, service_distribution=distribution))
    arrivals = generate_arrivals(network, 3)
    plan = engine.RoutePlan.of(network)
    offset = arrivals.visit_offset
    rows = engine.handling_rows_h(network, arrivals, plan, offset)
    hub = plan.visit_hub[arrivals.route]
    used = hub >= 0
    expected = handling_time_h(network.hubs, hub[used], arrivals.visit_handling_u)
    np.testing.assert_array_equal(rows, expected)  # (row-major: the visit rows' order)
    assert (rows > 0).all()


def test_edge_cases_road_only_network_and_no_arrivals() -> None:
    road = SyntheticParameters(
        n_hubs=4, n_od=5, teu_per_year=1.0e4, road_only_share=1.0, horizon_h=500.0
    )
    network, arrivals, result = _run(road)
    assert network.services.n == 0
    assert result.visit_start_h.shape == (0,)
    np.testing.assert_array_equal(result.visit_offset, np.zeros(arrivals.n + 1))
    assert result.trip_service.size == 0
    assert np.all(np.isnan(result.delivered_h) | (result.delivered_h > result.arrival_h))
    network = synthetic_network(dataclasses.replace(road, road_only_share=0.4))
    full = generate_arrivals(network, 1)
    empty = take(full, np.zeros(0, dtype=np.int64))
    nothing = engine.run(network, empty)
    assert nothing.delivered_h.shape == (0,)
    # Services still run (empty) on their timetable.
    departures = sum(int(np.sum(d < network.horizon_h)) for d in network.services.departures_h)
    assert nothing.trip_service.size == departures
    assert np.all(nothing.trip_teu == 0)


@pytest.mark.parametrize("run", [engine.run, reference.run], ids=["engine", "reference"])
def test_cutoff_of_two_and_a_half_headways_catches_a_later_departure(run) -> None:  # type: ignore[no-untyped-def]
    # Analytic: with deterministic arrivals and room on every departure, a box boards
    # the first departure at or after ready + cutoff_h, where ready is the end of its
    # load move; with cutoff_h = 2.5 headways that is the third departure after it is
    # ready (or the second, when ready falls exactly on a departure).
    headway_h = 8.0
    p = dataclasses.replace(
        SMALL,
        min_headway_h=headway_h,
        max_headway_h=headway_h,
        cutoff_rail_h=2.5 * headway_h,
        cutoff_barge_h=2.5 * headway_h,
        service_utilisation_share=0.2,
        service_distribution="deterministic",
    )
    network = synthetic_network(p)
    demand = dataclasses.replace(network.demand, arrival_process=("deterministic",) * p.n_od)
    network = dataclasses.replace(network, demand=demand)
    arrivals = generate_arrivals(network, 1)
    result = run(network, arrivals)
    assert result.left_behind.sum() == 0  # room on every departure
    routes, services = network.routes, network.services
    plan = engine.RoutePlan.of(network)
    checked = 0
    for r in range(routes.n):
        rows = np.flatnonzero(result.route == r)
        for p_leg, g in enumerate(range(routes.leg_start[r], routes.leg_start[r + 1])):
            if routes.leg_kind[g] != LEG_SERVICE:
                continue
            k = routes.leg_index[g]
            np.testing.assert_allclose(np.diff(services.departures_h[k]), headway_h)
            gone = rows[~np.isnan(result.leg_column(p_leg)[rows])]
            col = plan.load_col[r, p_leg]
            at = result.visit_offset[gone] + col  # (visit rows)
            ready = result.visit_start_h[at] + result.visit_handling_h[at]
            dep = services.departures_h[k]
            first = dep[np.searchsorted(dep, ready + services.cutoff_h[k], "left")]
            np.testing.assert_array_equal(result.leg_column(p_leg)[gone], first)
            assert np.all(first - ready >= 2.5 * headway_h)
            assert np.all(first - ready < 3.5 * headway_h)
            checked += gone.size
    assert checked > 100
