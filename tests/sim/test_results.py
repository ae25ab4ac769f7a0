"""Results: hand-checked figures, invariants (TEU conserved, shares sum to 1), CIs, CRN.

Per-route figures (:mod:`freighthub.sim.routes`) add up to the summary's totals.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.emissions import hub_intensity, transport_intensity
from freighthub.errors import DataFileError
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim import engine
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.estimates import confidence_interval, estimate, figure_unit
from freighthub.sim.experiment import run_network
from freighthub.sim.network import (
    LEG_SERVICE,
    VISIT_LOAD,
    VISIT_UNLOAD,
    Arrivals,
    CompiledNetwork,
    DemandArrays,
    EngineResult,
    HubArrays,
    RoadClosures,
    RoadLinkArrays,
    RouteArrays,
    ServiceArrays,
    mode_code,
)
from freighthub.sim.routes import route_info
from freighthub.sim.summary import flatten, summarise
from freighthub.vocabulary import Mode

TINY = Path(__file__).resolve().parent / "tiny"
PACK = load_factor_pack("glec-v3-2023")


@pytest.fixture(scope="module")
def network() -> CompiledNetwork:
    return compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))


def _assert_same(a: object, b: object) -> None:
    """Summaries equal figure by figure (NaN equals NaN: an empty hub has no mean wait)."""
    assert isinstance(a, tuple) and isinstance(b, tuple)
    np.testing.assert_equal([flatten(x) for x in a], [flatten(x) for x in b])


# --- a hand-built case: two hubs, one train service, three containers -----------------


def _f(*x: float) -> np.ndarray:
    return np.array(x, dtype=np.float64)


def _i(*x: int) -> np.ndarray:
    return np.array(x, dtype=np.int64)


def _hand_network() -> CompiledNetwork:
    hubs = HubArrays(
        ids=("a", "b"),
        servers=_i(1, 2),
        handling_time_h=_f(0.1, 0.1),
        service_distribution=("deterministic", "deterministic"),
        service_shape=_i(1, 1),
        yard_capacity_teu=_f(math.inf, math.inf),
        gate_lanes=_i(0, 0),
        gate_time_h=_f(0, 0),
        handling_cost_cny_per_move=_f(10, 20),
        handling_intensity_id=("transshipment-ambient", "transshipment-ambient"),
    )
    services = ServiceArrays(
        ids=("train",),
        mode=_i(mode_code(Mode.RAIL)),
        origin=_i(0),
        destination=_i(1),
        departures_h=(_f(5.0, 15.0),),
        capacity_teu=(_f(10.0, 10.0),),
        cutoff_h=_f(1.0),
        travel_time_h=_f(4.0),
        distance_km=_f(200.0),
        intensity_id=("rail-electric-container-eu",),
        cost_cny_per_teu=_f(100.0),
        cost_cny_per_departure=_f(1000.0),
    )
    road = RoadLinkArrays(
        origin=_i(), destination=_i(), distance_km=_f(), speed_kmh=_f(), travel_time_h=_f(),
        truck_capacity_teu=_i(), intensity_id=(), cost_cny_per_teu=_f(), cost_cny_per_trip=_f(),
    )  # fmt: skip
    routes = RouteArrays(
        ids=("ab/train",), od=_i(0), share=_f(1.0), main_mode=_i(mode_code(Mode.RAIL)),
        leg_start=_i(0, 1), leg_kind=_i(LEG_SERVICE), leg_index=_i(0), leg_from=_i(0),
        leg_to=_i(1), visit_start=_i(0, 2), visit_hub=_i(0, 1),
        visit_kind=_i(VISIT_LOAD, VISIT_UNLOAD), visit_leg=_i(0, 0), road_alternative=_i(-1),
    )  # fmt: skip
    demand = DemandArrays(
        ids=("ab",), origin=_i(0), destination=_i(1), teu_per_year=_f(1.0),
        box_40ft_share=_f(0.0), loaded_share=_f(1.0), cargo_t_per_teu=_f(10.0),
        tare_t_per_teu=_f(2.0), seasonality=np.ones((1, 12)), arrival_process=("poisson",),
    )  # fmt: skip
    return CompiledNetwork(
        scenario_id="hand", horizon_h=30.0, warmup_h=1.0, yard_full_policy="hold",
        node_ids=("a", "b"), node_lon_deg=_f(0, 1), node_lat_deg=_f(0, 0), hubs=hubs,
        services=services, road=road, routes=routes, demand=demand,
        road_closures=RoadClosures(link=_i(), start_h=_f(), end_h=_f()),
    )  # fmt: skip


def _hand_case() -> tuple[CompiledNetwork, Arrivals, EngineResult]:
    net = _hand_network()
    # Box 0 arrives in the warm-up (not counted); boxes 1 and 2 (40') are counted.
    # Box 2 was left behind by the 5 h train and takes the 15 h train.
    arr = Arrivals(
        time_h=_f(0.5, 2.0, 2.0), od=_i(0, 0, 0), route=_i(0, 0, 0), boxes=_i(1, 1, 1),
        teu=_i(1, 2, 2), mass_t=_f(12.0, 24.0, 24.0), loaded=np.array([True, True, True]),
        visit_handling_u=np.full(6, 0.5), visits_per_route=_i(2),
    )  # fmt: skip
    res = EngineResult(
        arrival_h=arr.time_h.copy(),
        route=_i(0, 0, 0),
        ready_h=_f(0.6, 2.1, 2.2),
        departure_h=_f(5.0, 5.0, 15.0),
        delivered_h=_f(9.2, 9.3, 19.1),
        leg_departure_h=_f(5.0, 5.0, 15.0),
        leg_offset=np.arange(4, dtype=np.int64),
        visit_wait_h=np.array([0.0, 0.0, 0.0, 0.1, 0.1, 0.0]),  # (visit rows, 2 a box)
        visit_handling_h=np.full(6, 0.1),
        visit_start_h=np.array([0.5, 9.0, 2.0, 9.2, 2.1, 19.0]),
        visit_offset=np.array([0, 2, 4, 6]),
        yard_hold_h=_f(0, 0, 0),
        left_behind=_i(0, 0, 1),
        diverted=np.array([False, False, False]),
        trip_service=_i(0, 0),
        trip_departure_h=_f(5.0, 15.0),
        trip_arrival_h=_f(9.0, 19.0),
        trip_teu=_f(3.0, 2.0),
        trip_mass_t=_f(36.0, 24.0),
        trip_boxes=_i(2, 1),
        trip_capacity_teu=_f(10.0, 10.0),
    )
    return net, arr, res


def test_hand_case_figures() -> None:
    net, arr, res = _hand_case()
    s = summarise(net, arr, res, PACK)
    assert s.arrived_teu == 4.0 and s.delivered_teu == 4.0 and s.in_system_teu == 0.0
    assert s.throughput_t == 48.0
    assert s.modal_split_teu_share == {"rail": 1.0}
    assert s.left_behind_boxes == 1 and s.diverted_boxes == 0
    # door-to-door of the counted boxes: 9.3 - 2.0 = 7.3 and 19.1 - 2.0 = 17.1
    assert s.door_to_door_mean_h == pytest.approx(12.2)
    assert s.door_to_door_p50_h == pytest.approx(12.2)
    assert s.hubs["a"].mean_wait_h == pytest.approx(0.05)
    assert s.hubs["b"].mean_wait_h == pytest.approx(0.05)
    assert s.hubs["a"].moves == 2 and s.hubs["a"].handled_teu == 4.0
    # hub a busy in [1, 30): 0.1 + 0.1 (the warm-up box's move at 0.5-0.6 is outside)
    assert s.hubs["a"].utilisation == pytest.approx(0.2 / (1 * 29.0))
    assert s.hubs["b"].utilisation == pytest.approx(0.3 / (2 * 29.0))
    assert s.services["train"].departures == 2
    assert s.services["train"].utilisation == pytest.approx(5.0 / 20.0)
    # cost: 4 TEU x 100 + 2 departures x 1000 + 4 moves at a (10) and b (20)
    assert s.cost_cny_by_component == {
        "road": 0.0, "services": 400.0, "departures": 2000.0, "handling": 60.0
    }  # fmt: skip
    rail = transport_intensity(PACK, "rail-electric-container-eu")
    hub = hub_intensity(PACK, "transshipment-ambient")
    # GLEC freight mass: the cargo without the box, 4 TEU x 10 t/TEU = 40 t
    tkm = 40.0 * 200.0
    legs_wtw = tkm * rail.intensity_wtw / 1000.0  # g/tkm -> kg
    hubs_wtw = 2 * 40.0 * hub.intensity_wtw  # two passages (a and b) per box, kg/t
    assert s.emissions_kgco2e_wtw_by_leg == {"train": pytest.approx(legs_wtw)}
    assert s.emissions_kgco2e_wtw == pytest.approx(legs_wtw + hubs_wtw)
    assert s.tkm_by_mode["rail"] == pytest.approx(tkm)


# --- invariants on the tiny corridor with the real engine ------------------------------


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_teu_conserved_and_shares_sum_to_one(network: CompiledNetwork, seed: int) -> None:
    arr = generate_arrivals(network, seed)
    res = engine.run(network, arr)
    s = summarise(network, arr, res, PACK)
    counted = arr.time_h >= network.warmup_h
    assert s.arrived_teu == float(np.sum(arr.teu[counted]))
    assert s.arrived_teu == s.delivered_teu + s.in_system_teu
    assert math.fsum(s.modal_split_teu_share.values()) == pytest.approx(1.0, abs=1e-12)
    assert math.fsum(s.modal_split_tkm_share.values()) == pytest.approx(1.0, abs=1e-12)
    assert math.fsum(s.throughput_teu_by_mode.values()) == pytest.approx(s.throughput_teu)
    # trips and containers agree: TEU on departed trips = TEU of service legs started
    started = ~np.isnan(res.leg_matrix())
    routes = network.routes
    n_legs = np.diff(routes.leg_start)[res.route]
    service_teu = 0.0
    for j in range(res.max_legs):
        ok = started[:, j] & (j < n_legs)
        g = routes.leg_start[res.route[ok]] + j
        service_teu += float(np.sum(arr.teu[ok][routes.leg_kind[g] == LEG_SERVICE]))
    assert float(np.sum(res.trip_teu)) == pytest.approx(service_teu)
    for h in s.hubs.values():
        assert 0.0 <= h.utilisation <= 1.0
    for v in s.services.values():
        assert 0.0 <= v.utilisation <= 1.0 + 1e-12
    assert s.emissions_kgco2e_wtw >= s.emissions_kgco2e_ttw >= 0.0
    parts = math.fsum(s.emissions_kgco2e_wtw_by_mode.values())
    assert parts == pytest.approx(s.emissions_kgco2e_wtw)
    assert math.fsum(s.cost_cny_by_component.values()) == pytest.approx(s.cost_cny)


def test_same_seed_identical_summary(network: CompiledNetwork) -> None:
    a = run_network(network, PACK, seed=5, replications=2)
    b = run_network(network, PACK, seed=5, replications=2)
    _assert_same(a.summaries, b.summaries)
    c = run_network(network, PACK, seed=6, replications=2)
    assert [x.door_to_door_mean_h for x in c.summaries] != [
        x.door_to_door_mean_h for x in a.summaries
    ]


def test_common_random_numbers_unchanged_variant_identical(network: CompiledNetwork) -> None:
    # A variant compiled from a scenario that differs only in name and description
    # gives the identical summary with the same seed.
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        variant = Path(tmp) / "tiny.toml"
        variant.write_text(text.replace('name = "Tiny test corridor"', 'name = "Variant"'))
        net_v = compile_network(load_scenario(variant, TINY / "hubs"))
    a = run_network(network, PACK, seed=3, replications=1)
    b = run_network(net_v, PACK, seed=3, replications=1)
    _assert_same(a.summaries, b.summaries)


def test_common_random_numbers_variant_differs_only_by_change(network: CompiledNetwork) -> None:
    # Halving barge capacity changes barge and everything downstream of it, but the
    # arrivals and every road-only journey stay exactly the same.
    caps = tuple(c * (0.5 if k == 1 else 1.0) for k, c in enumerate(network.services.capacity_teu))
    variant = dataclasses.replace(
        network, services=dataclasses.replace(network.services, capacity_teu=caps)
    )
    arr_a, arr_b = generate_arrivals(network, 4), generate_arrivals(variant, 4)
    np.testing.assert_array_equal(arr_a.time_h, arr_b.time_h)
    res_a, res_b = engine.run(network, arr_a), engine.run(variant, arr_b)
    road = (arr_a.route == 0) & ~res_a.diverted & ~res_b.diverted
    np.testing.assert_array_equal(res_a.delivered_h[road], res_b.delivered_h[road])


def test_confidence_intervals_shrink_with_replications(network: CompiledNetwork) -> None:
    few = run_network(network, PACK, seed=1, replications=3).estimates.throughput_teu
    many = run_network(network, PACK, seed=1, replications=12).estimates.throughput_teu
    assert many.half_width < few.half_width
    assert many.ci95_low <= many.mean <= many.ci95_high


def test_confidence_interval_reference_value() -> None:
    # Values 1, 2, 3: mean 2, s = 1, n = 3; t(0.975, 2) = 4.302653 (Student-t table,
    # e.g. NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2).
    low, high = confidence_interval([1.0, 2.0, 3.0])
    half = 4.302653 / math.sqrt(3)
    assert low == pytest.approx(2 - half, rel=1e-6)
    assert high == pytest.approx(2 + half, rel=1e-6)
    one = estimate([5.0])
    assert one.mean == 5.0 and math.isnan(one.ci95_low) and one.n == 1
    with pytest.raises(ValueError, match=r"level = 1\.5: must be between 0 and 1"):
        confidence_interval([1.0, 2.0], level=1.5)


def test_warmup_excluded(network: CompiledNetwork) -> None:
    arr = generate_arrivals(network, 2)
    res = engine.run(network, arr)
    s = summarise(network, arr, res, PACK)
    no_warmup = dataclasses.replace(network, warmup_h=0.0)
    s0 = summarise(no_warmup, arr, res, PACK)
    assert s0.arrived_teu == float(np.sum(arr.teu)) > s.arrived_teu


def test_run_network_rejects_bad_arguments(network: CompiledNetwork) -> None:
    with pytest.raises(ValueError, match="replications = 0: must be >= 1"):
        run_network(network, PACK, seed=1, replications=0)
    with pytest.raises(ValueError, match="seed = -2: must be >= 0"):
        run_network(network, PACK, seed=-2, replications=1)


def test_parallel_replications_identical(network: CompiledNetwork) -> None:
    # Replications have their own random streams: two worker processes give exactly the
    # summaries of a serial run.
    serial = run_network(network, PACK, seed=2, replications=3)
    parallel = run_network(network, PACK, seed=2, replications=3, workers=2)
    # NaN-aware comparison (a NaN that crossed a process boundary is another object)
    np.testing.assert_equal(
        [flatten(x) for x in parallel.summaries], [flatten(x) for x in serial.summaries]
    )
    with pytest.raises(ValueError, match="workers = 0: must be >= 1"):
        run_network(network, PACK, seed=2, replications=1, workers=0)


def test_full_yard_diverts_to_road_and_conserves_teu(
    network: CompiledNetwork, tmp_path: Path
) -> None:
    # A 60-TEU yard at alpha with divert_road: boxes that find it full take the OD's
    # road-only route; they are counted as diverted and as road in the modal split.
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    text = text.replace('yard_full_policy = "hold"\n', "")
    text = text.replace(
        'emission_pack = "glec-v3-2023"',
        'emission_pack = "glec-v3-2023"\nyard_full_policy = "divert_road"',
    )
    text = text.replace(
        '[[hub_resources]]\nhub = "alpha"\n',
        '[[hub_resources]]\nhub = "alpha"\nyard_capacity_teu = 60\n',
    )
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    net = compile_network(load_scenario(path, TINY / "hubs"))
    assert net.yard_full_policy == "divert_road"
    assert list(net.routes.road_alternative) == [0, 0, 0, -1]
    arr = generate_arrivals(net, 3)
    res = engine.run(net, arr)
    s = summarise(net, arr, res, PACK)
    assert s.diverted_boxes > 0
    assert s.arrived_teu == s.delivered_teu + s.in_system_teu
    diverted = res.diverted & (arr.time_h >= net.warmup_h)
    assert np.all(res.route[diverted] == 0)  # the road-only route
    arr_b = generate_arrivals(network, 3)
    base = summarise(network, arr_b, engine.run(network, arr_b), PACK)
    assert s.modal_split_teu_share["road"] > base.modal_split_teu_share["road"]


# --- per-route figures -----------------------------------------------------------------


def test_hand_case_route_figures() -> None:
    net, arr, res = _hand_case()
    s = summarise(net, arr, res, PACK)
    r = s.routes["ab/train"]
    # counted boxes 1 and 2 (2 TEU each): door-to-door 7.3 h and 17.1 h
    assert r.arrived_teu == 4.0 and r.delivered_teu == 4.0 and r.delivered_boxes == 2
    assert r.door_to_door_mean_h == pytest.approx(12.2)
    assert r.door_to_door_p95_h == pytest.approx(7.3 + 0.95 * (17.1 - 7.3))
    # the whole cost of the summary (2460 CNY) rode this route: 615 CNY per TEU
    assert r.cost_cny == pytest.approx(2460.0)
    assert r.price_cny_per_teu == pytest.approx(615.0)
    assert s.cost_unallocated_cny == 0.0
    assert r.emissions_kgco2e_wtw == pytest.approx(s.emissions_kgco2e_wtw)
    assert r.emissions_kgco2e_wtw_per_teu == pytest.approx(s.emissions_kgco2e_wtw / 4.0)
    assert math.isnan(r.on_time_share)  # no promise given: absent, not invented


def test_hand_case_on_time_share_against_promise() -> None:
    net, arr, res = _hand_case()
    demand = dataclasses.replace(net.demand, promised_door_to_door_h=np.array([10.0]))
    s = summarise(dataclasses.replace(net, demand=demand), arr, res, PACK)
    # 7.3 h is within 10 h, 17.1 h is not: 2 of 4 TEU on time
    assert s.routes["ab/train"].on_time_share == pytest.approx(0.5)


def test_unused_service_cost_is_unallocated() -> None:
    net, arr, res = _hand_case()
    svc = net.services
    two = dataclasses.replace(
        svc,
        ids=("train", "idle"),
        mode=np.repeat(svc.mode, 2),
        origin=np.repeat(svc.origin, 2),
        destination=np.repeat(svc.destination, 2),
        departures_h=(svc.departures_h[0], np.array([6.0, 12.0, 40.0])),
        capacity_teu=(svc.capacity_teu[0], np.array([5.0, 5.0, 5.0])),
        cutoff_h=np.repeat(svc.cutoff_h, 2),
        travel_time_h=np.repeat(svc.travel_time_h, 2),
        distance_km=np.repeat(svc.distance_km, 2),
        intensity_id=svc.intensity_id * 2,
        cost_cny_per_teu=np.repeat(svc.cost_cny_per_teu, 2),
        cost_cny_per_departure=np.array([1000.0, 300.0]),
    )
    s = summarise(dataclasses.replace(net, services=two), arr, res, PACK)
    # the idle service's two departures in [1, 30) cost 600 CNY that no box rode
    assert s.cost_unallocated_cny == pytest.approx(600.0)
    assert s.cost_cny == pytest.approx(2460.0 + 600.0)
    assert s.routes["ab/train"].cost_cny == pytest.approx(2460.0)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_routes_add_up_to_the_summary(network: CompiledNetwork, seed: int) -> None:
    arr = generate_arrivals(network, seed)
    res = engine.run(network, arr)
    s = summarise(network, arr, res, PACK)
    routes = s.routes.values()
    assert set(s.routes) == set(network.routes.ids)
    assert math.fsum(r.delivered_teu for r in routes) == pytest.approx(s.delivered_teu, rel=1e-12)
    assert math.fsum(r.arrived_teu for r in routes) == pytest.approx(s.arrived_teu, rel=1e-12)
    # the summary's door-to-door mean is a mean per box: box-weighted route means give it
    used = [r for r in routes if r.delivered_boxes > 0]
    weighted = math.fsum(r.door_to_door_mean_h * r.delivered_boxes for r in used)
    boxes = sum(r.delivered_boxes for r in used)
    assert weighted / boxes == pytest.approx(s.door_to_door_mean_h, rel=1e-9)
    # price per TEU x TEU, plus the departures no box rode, is the summary's cost
    per_box = math.fsum(r.price_cny_per_teu * r.arrived_teu for r in routes if r.arrived_teu > 0)
    assert per_box + s.cost_unallocated_cny == pytest.approx(s.cost_cny, rel=1e-9)
    wtw = math.fsum(
        r.emissions_kgco2e_wtw_per_teu * r.arrived_teu for r in routes if r.arrived_teu > 0
    )
    assert wtw == pytest.approx(s.emissions_kgco2e_wtw, rel=1e-9)
    for r in used:
        assert r.door_to_door_p95_h >= r.door_to_door_mean_h * 0 and r.price_cny_per_teu > 0


def test_route_estimates_and_units(network: CompiledNetwork) -> None:
    result = run_network(network, PACK, seed=3, replications=2)
    est = result.estimates.routes
    assert set(est) == set(network.routes.ids)
    rid = network.routes.ids[0]
    means = [s.routes[rid].price_cny_per_teu for s in result.summaries]
    assert est[rid].price_cny_per_teu.mean == pytest.approx(float(np.mean(means)))
    assert est[rid].price_cny_per_teu.unit == "cny_per_teu"
    assert figure_unit(f"routes.{rid}.emissions_kgco2e_wtw_per_teu") == "kgco2e_per_teu"
    assert figure_unit(f"routes.{rid}.on_time_share") == "share"


def test_route_info_names_origin_destination_and_mode(network: CompiledNetwork) -> None:
    info = route_info(network)
    first = info[network.routes.ids[0]]
    assert (first.od, first.origin, first.destination) == ("west-east", "west", "east")
    assert first.route == "road" and first.main_mode == "road"


def _with_promise(tmp_path: Path, value: str) -> Path:
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    marker = "tare_t_per_teu = 1.9\n"
    assert text.count(marker) >= 1
    path = tmp_path / "tiny.toml"
    path.write_text(
        text.replace(marker, marker + f"promised_door_to_door_h = {value}\n", 1),
        encoding="utf-8",
    )
    return path


def test_promise_loads_and_gives_an_on_time_share(tmp_path: Path) -> None:
    path = _with_promise(tmp_path, '{ value = 72, source = "test", confidence = "assumption" }')
    net = compile_network(load_scenario(path, TINY / "hubs"))
    assert net.demand.promised_door_to_door_h is not None
    assert net.demand.promised_door_to_door_h[0] == 72.0
    s = run_network(net, PACK, seed=1, replications=1).summaries[0]
    info = route_info(net)
    used = {rid: r for rid, r in s.routes.items() if r.delivered_teu > 0}
    promised = [r.on_time_share for rid, r in used.items() if info[rid].od == "west-east"]
    assert promised and all(0.0 <= x <= 1.0 for x in promised)
    # the other OD gives no promise: its share stays absent
    others = [r.on_time_share for rid, r in used.items() if info[rid].od != "west-east"]
    assert others and all(math.isnan(x) for x in others)


def test_promise_must_be_positive(tmp_path: Path) -> None:
    path = _with_promise(tmp_path, '{ value = 0, source = "test", confidence = "assumption" }')
    with pytest.raises(DataFileError, match=r"promised_door_to_door_h.*0"):
        load_scenario(path, TINY / "hubs")


# --- warnings ------------------------------------------------------------------------


def _codes(result: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in result.warnings:  # type: ignore[attr-defined]
        out.setdefault(w.code, []).append(w.subject)
    return out


def test_warning_for_a_service_no_route_uses(network: CompiledNetwork) -> None:
    svc = network.services
    k = 0
    extra = dataclasses.replace(
        svc,
        ids=(*svc.ids, "idle-train"),
        mode=np.append(svc.mode, svc.mode[k]),
        origin=np.append(svc.origin, svc.origin[k]),
        destination=np.append(svc.destination, svc.destination[k]),
        departures_h=(*svc.departures_h, svc.departures_h[k]),
        capacity_teu=(*svc.capacity_teu, svc.capacity_teu[k]),
        cutoff_h=np.append(svc.cutoff_h, svc.cutoff_h[k]),
        travel_time_h=np.append(svc.travel_time_h, svc.travel_time_h[k]),
        distance_km=np.append(svc.distance_km, svc.distance_km[k]),
        intensity_id=(*svc.intensity_id, svc.intensity_id[k]),
        cost_cny_per_teu=np.append(svc.cost_cny_per_teu, svc.cost_cny_per_teu[k]),
        cost_cny_per_departure=np.append(svc.cost_cny_per_departure, 1000.0),
    )
    result = run_network(dataclasses.replace(network, services=extra), PACK, seed=2, replications=1)
    unused = [w for w in result.warnings if w.code == "service_unused"]
    assert [w.subject for w in unused] == ["idle-train"]
    s = result.summaries[0].services["idle-train"]
    dep, cap = extra.departures_h[-1], extra.capacity_teu[-1]
    in_window = (dep >= network.warmup_h) & (dep < network.horizon_h)
    running = int(np.sum(in_window & (cap > 0)))  # a closed (cancelled) one is not empty
    assert s.teu == 0 and s.empty_departures == running > 0
    assert f"its {running:,} departures" in unused[0].message
    # its departures cost money that no route carries
    assert result.summaries[0].cost_unallocated_cny == pytest.approx(1000.0 * s.departures)
    assert (
        "empty_departures" not in _codes(result)
        or "idle-train" not in _codes(result)["empty_departures"]
    )


def test_warnings_for_demand_the_network_cannot_carry(network: CompiledNetwork) -> None:
    # one TEU per barge departure: far less than the TEU routed over the barge
    caps = tuple(
        np.minimum(c, 1.0) if sid == "barge-ab" else c
        for sid, c in zip(network.services.ids, network.services.capacity_teu, strict=True)
    )
    small = dataclasses.replace(
        network, services=dataclasses.replace(network.services, capacity_teu=caps)
    )
    result = run_network(small, PACK, seed=2, replications=1)
    codes = _codes(result)
    assert "barge-ab" in codes["cannot_carry"]
    assert "west-east/barge" in codes["left_behind"]
    s = result.summaries[0].services["barge-ab"]
    assert s.routed_teu > s.capacity_teu
    msg = next(w.message for w in result.warnings if w.code == "cannot_carry")
    assert msg.startswith("service barge-ab: ") and "cannot carry" in msg


def test_no_departure_no_delivery_warning(network: CompiledNetwork) -> None:
    # the barge never runs: its boxes arrive and none is delivered
    caps = tuple(
        np.zeros_like(c) if sid == "barge-ab" else c
        for sid, c in zip(network.services.ids, network.services.capacity_teu, strict=True)
    )
    closed = dataclasses.replace(
        network, services=dataclasses.replace(network.services, capacity_teu=caps)
    )
    result = run_network(closed, PACK, seed=2, replications=1)
    codes = _codes(result)
    assert codes["nothing_delivered"] == ["west-east/barge"]
    assert result.summaries[0].services["barge-ab"].empty_departures == 0  # cancelled, not empty


def test_empty_departures_counted_with_their_share(network: CompiledNetwork) -> None:
    # demand cut to a trickle: most departures of the used services run empty
    demand = dataclasses.replace(network.demand, teu_per_year=network.demand.teu_per_year / 200)
    result = run_network(dataclasses.replace(network, demand=demand), PACK, seed=2, replications=1)
    empty = [w for w in result.warnings if w.code == "empty_departures"]
    assert {w.subject for w in empty} <= set(network.services.ids) and empty
    s = result.summaries[0].services[empty[0].subject]
    assert f"{s.empty_departures:,.1f} of {s.departures:,.1f}" in empty[0].message
    assert f"({s.empty_departures / s.departures:.1%})" in empty[0].message
