"""Waterway and border physics (freighthub.sim.waterway, standards/physics/)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.factors import load_factor_pack
from freighthub.model.physics import default_physics_path, load_physics
from freighthub.model.scenario import load_scenario
from freighthub.sim import engine
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.queueing import mmc_mean_wait_h
from freighthub.sim.summary import summarise
from freighthub.sim.waterway import (
    allowed_draught_m,
    border_service_h,
    fcfs_waits_h,
    lock_servers,
    md1_mean_wait_h,
    month_of_h,
    payload_share,
    payload_share_by_departure,
    queue_waits_h,
)
from freighthub.units import HOURS_PER_DAY

TINY = Path(__file__).parent / "tiny"


def test_low_water_month_cuts_payload_by_hand() -> None:
    physics = load_physics()
    section = physics.section("upper-yangtze-chongqing-yichang")
    vessel = physics.vessel("yangtze-container-300teu")
    # February: 3.2 m depth - 0.5 m clearance = 2.7 m allowed draught;
    # (2.7 - 1.4) / (3.5 - 1.4) = 1.3 / 2.1 = 0.619 of 300 TEU = 185.7 TEU
    february = payload_share(
        allowed_draught_m(section.controlling_depth_m[1], section.under_keel_clearance_m),
        vessel.light_draught_m,
        vessel.design_draught_m,
    )
    assert february == pytest.approx(1.3 / 2.1)
    assert february * vessel.capacity_teu == pytest.approx(185.714, abs=1e-3)
    # July: 4.5 - 0.5 = 4.0 m >= 3.5 m design draught: full payload
    july = payload_share(
        allowed_draught_m(section.controlling_depth_m[6], section.under_keel_clearance_m),
        vessel.light_draught_m,
        vessel.design_draught_m,
    )
    assert july == 1.0


def test_payload_share_edges() -> None:
    assert payload_share(1.0, 1.4, 3.5) == 0.0  # below light draught: cannot sail loaded
    assert allowed_draught_m(0.3, 0.5) == 0.0
    with pytest.raises(ValueError, match=r"design_draught_m = 1: must be > light_draught_m"):
        payload_share(2.0, 1.0, 1.0)


def test_month_of_departure() -> None:
    hours = np.array([0.0, 31 * 24 - 0.5, 31 * 24, 59 * 24, 364 * 24, 365 * 24 + 1])
    assert month_of_h(hours).tolist() == [0, 0, 1, 2, 11, 0]


def test_low_water_raises_left_behind_boxes_in_the_simulation() -> None:
    # The tiny network's barge (alpha -> beta, 100 TEU) sails with the payload its month's
    # depth allows: a year-long low water (2.5 m - 0.5 m = 2.0 m for a 300 TEU class,
    # share (2.0 - 1.4) / 2.1 = 0.286) leaves boxes behind that full barges carried.
    network = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    barge = network.services.ids.index("barge-ab")
    deps = network.services.departures_h[barge]
    low = payload_share_by_departure(deps, [2.5] * 12, 0.5, 1.4, 3.5)
    assert low == pytest.approx(np.full(deps.shape, 0.6 / 2.1))
    caps = list(network.services.capacity_teu)
    caps[barge] = caps[barge] * low
    shallow = dataclasses.replace(
        network, services=dataclasses.replace(network.services, capacity_teu=tuple(caps))
    )
    pack = load_factor_pack("glec-v3-2023")
    arrivals = generate_arrivals(network, 5)
    base = summarise(network, arrivals, engine.run(network, arrivals), pack)
    dry = summarise(shallow, arrivals, engine.run(shallow, arrivals), pack)
    assert dry.left_behind_boxes > base.left_behind_boxes


def test_lock_queue_matches_mmc_on_a_lock_only_case() -> None:
    # Three Gorges: 2 lanes x 3.87 vessels per lockage -> 7 servers, 0.97 h per cycle;
    # Poisson vessels at 85 % of capacity, exponential lockage times: the simulated mean
    # wait matches Erlang C.
    lock = {lk.id: lk for lk in load_physics().lock}["three-gorges"]
    servers = lock_servers(lock.lanes, lock.vessels_per_lockage)
    assert servers == 7
    service_rate = 1 / lock.lockage_cycle_h
    arrival_rate = 0.85 * servers * service_rate
    rng = np.random.default_rng(15)
    n = 200_000
    arrivals = np.cumsum(rng.exponential(1 / arrival_rate, n))
    services = rng.exponential(lock.lockage_cycle_h, n)
    simulated = float(np.mean(fcfs_waits_h(arrivals, services, servers)[n // 10 :]))
    expected = mmc_mean_wait_h(arrival_rate, service_rate, servers)
    assert simulated == pytest.approx(expected, rel=0.05)


def test_border_crossing_at_capacity_queues_as_md1() -> None:
    # One transfer track at Alashankou, 10 trains a day -> 2.4 h per train; trains arrive
    # at 90 % of that: Pollaczek-Khinchine gives 0.9 x 2.4 / (2 x 0.1) = 10.8 h of waiting.
    crossing = {b.id: b for b in load_physics().border_crossing}["alashankou"]
    service_h = border_service_h(crossing.trains_per_day_per_track)
    assert service_h == pytest.approx(HOURS_PER_DAY / 10)
    rate = 0.9 / service_h
    assert md1_mean_wait_h(rate, service_h) == pytest.approx(10.8)
    rng = np.random.default_rng(5)
    n = 300_000
    arrivals = np.cumsum(rng.exponential(1 / rate, n))
    waits = fcfs_waits_h(arrivals, np.full(n, service_h), 1)
    assert float(np.mean(waits[n // 10 :])) == pytest.approx(10.8, rel=0.05)
    with pytest.raises(ValueError, match=r"utilisation λD = 1: must be < 1"):
        md1_mean_wait_h(1 / service_h, service_h)


def test_fcfs_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="servers = 0: must be >= 1"):
        fcfs_waits_h(np.zeros(1), np.zeros(1), 0)
    with pytest.raises(ValueError, match="arrival_h must be sorted"):
        fcfs_waits_h(np.array([2.0, 1.0]), np.ones(2), 1)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = default_physics_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "china-corridors-2026.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            "controlling_depth_m = [3.5, 3.2",
            "controlling_depth_m = [3.5, -3.2",
            r"china-corridors-2026\.toml: waterway_section\[0\]\.controlling_depth_m\[1\] "
            r"= -3\.2: .*>= 0",
        ),
        (
            "design_draught_m = 2.6\n",
            "",
            r"china-corridors-2026\.toml: vessel_class\[0\]\.design_draught_m.*required",
        ),
        (
            'name = "Three Gorges five-step double-lane ship lock"\nlanes = 2',
            'name = "Three Gorges five-step double-lane ship lock"\nlanes = 0',
            r"china-corridors-2026\.toml: lock\[0\]\.lanes = 0: .*> 0",
        ),
        (
            'source = "tracks and capacity: the standard-gauge',
            '# source = "tracks and capacity: the standard-gauge',
            r"china-corridors-2026\.toml: border_crossing\[2\]\.source.*required",
        ),
    ],
    ids=["negative-depth", "no-draught", "lock-without-capacity", "no-source"],
)
def test_bad_physics_input_is_one_line(tmp_path: Path, old: str, new: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match) as info:
        load_physics(_broken(tmp_path, old, new))
    assert "\n" not in str(info.value)


def test_shipped_yangtze_barges_carry_what_the_month_allows() -> None:
    repo = Path(__file__).resolve().parents[2]
    network = compile_network(load_scenario(repo / "scenarios" / "yangtze-corridor.toml"))
    k = network.services.ids.index("guoyuan-yangshan-barge")
    deps = network.services.departures_h[k]
    caps = network.services.capacity_teu[k]
    month = month_of_h(deps)
    # 300 TEU vessel: February 62 % (hand-computed above), July full, January 76 %
    assert caps[month == 1] == pytest.approx(300 * 1.3 / 2.1)
    assert caps[month == 6] == pytest.approx(300.0)
    assert caps[month == 0] == pytest.approx(300 * 1.6 / 2.1)
    # the downstream river-sea line from Wuhan has no draught limit
    other = network.services.ids.index("yangluo-yangshan-barge")
    assert np.all(network.services.capacity_teu[other] == 547.0)


def test_unknown_draught_limit_section_is_one_line(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    text = (repo / "scenarios" / "yangtze-corridor.toml").read_text(encoding="utf-8")
    path = tmp_path / "yangtze-corridor.toml"
    path.write_text(text.replace("upper-yangtze-chongqing-yichang", "upper-nile", 1), "utf-8")
    with pytest.raises(
        DataFileError,
        match=r"services\[\d+\]\.draught_limit\.section = 'upper-nile': unknown waterway section",
    ):
        load_scenario(path, repo / "hubs")


def test_lock_waits_of_a_service_match_erlang_c() -> None:
    # A vessel every 10 h among 5.02 other vessels/h at a lock of 7 servers, 0.97 h each
    # (the mechanism; the shipped Three Gorges lock is calibrated near saturation, see
    # tests/sim/test_crossings.py): the vessels wait as an M/M/c queue at 5.12 vessels/h.
    horizon_h = 200_000.0
    departures = np.arange(5.0, horizon_h, 10.0)
    waits = queue_waits_h(
        departures,
        background_per_h=5.02,
        servers=7,
        service_h=0.97,
        deterministic=False,
        horizon_h=horizon_h,
        rng=np.random.default_rng(3),
    )
    assert waits.shape == departures.shape and np.all(waits >= 0)
    expected = mmc_mean_wait_h(5.02 + 0.1, 1 / 0.97, 7)
    assert float(np.mean(waits)) == pytest.approx(expected, rel=0.1)


def test_shipped_yangtze_barges_queue_at_the_three_gorges() -> None:
    repo = Path(__file__).resolve().parents[2]
    network = compile_network(load_scenario(repo / "scenarios" / "yangtze-corridor.toml"))
    k = network.services.ids.index("guoyuan-yangshan-barge")
    waits = network.services.queue_wait_h[k]
    assert np.all(waits >= 0) and np.any(waits > 0)
    again = compile_network(load_scenario(repo / "scenarios" / "yangtze-corridor.toml"))
    np.testing.assert_array_equal(again.services.queue_wait_h[k], waits)  # reproducible
    rail = network.services.ids.index("guoyuan-yangluo-rail")
    assert np.all(network.services.queue_wait_h[rail] == 0)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'locks = ["three-gorges"]',
            'locks = ["hoover"]',
            r"services\[\d+\]\.locks\[0\] = 'hoover': unknown lock of the physics file",
        ),
        (
            'intensity_id = "rail-electric-container-cn-2023"',
            'intensity_id = "rail-electric-container-cn-2023"\nlocks = ["three-gorges"]',
            r"services\[\d+\]\.locks = .*is for inland_waterway services only",
        ),
    ],
    ids=["unknown-lock", "lock-on-rail"],
)
def test_bad_lock_reference_is_one_line(tmp_path: Path, old: str, new: str, match: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    text = (repo / "scenarios" / "yangtze-corridor.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "yangtze-corridor.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DataFileError, match=match):
        load_scenario(path, repo / "hubs")


def test_trains_at_a_full_border_queue_as_md1() -> None:
    # One gauge-change track, 4 h per train; scenario trains at random times (Poisson,
    # 0.025/h) among other trains at 0.2/h: utilisation (0.2 + 0.025) x 4 = 0.9, so the
    # Pollaczek-Khinchine wait is 0.9 x 4 / (2 x 0.1) = 18 h.
    horizon_h = 400_000.0
    departures = np.sort(np.random.default_rng(2).uniform(0.0, horizon_h, 10_000))
    waits = queue_waits_h(
        departures,
        background_per_h=0.2,
        servers=1,
        service_h=4.0,
        deterministic=True,
        horizon_h=horizon_h,
        rng=np.random.default_rng(11),
    )
    expected = md1_mean_wait_h(0.225, 4.0)
    assert expected == pytest.approx(18.0)
    assert float(np.mean(waits)) == pytest.approx(expected, rel=0.1)


def test_shipped_china_europe_trains_queue_at_the_borders() -> None:
    repo = Path(__file__).resolve().parents[2]
    network = compile_network(load_scenario(repo / "scenarios" / "china-europe-rail.toml"))
    ids = network.services.ids
    for service in ("alashankou-malaszewicze", "khorgos-malaszewicze", "malaszewicze-duisburg"):
        waits = network.services.queue_wait_h[ids.index(service)]
        assert np.all(waits >= 0) and np.any(waits > 0)
    assert np.all(network.services.queue_wait_h[ids.index("xian-alashankou")] == 0)


def test_bad_border_reference_is_one_line(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    text = (repo / "scenarios" / "china-europe-rail.toml").read_text(encoding="utf-8")
    path = tmp_path / "china-europe-rail.toml"
    path.write_text(
        text.replace('border_crossing = "khorgos"', 'border_crossing = "dover"'), "utf-8"
    )
    with pytest.raises(
        DataFileError,
        match=r"services\[\d+\]\.border_crossing = 'dover': unknown border crossing of the physics",
    ):
        load_scenario(path, repo / "hubs")


def test_shipped_queues_have_a_steady_state_and_sourced_capacities() -> None:
    # Every shipped lock and border crossing must carry its background traffic below
    # capacity (utilisation < 1), or the M/M/c and M/D/c waits have no steady state.
    physics = load_physics()
    for lk in physics.lock:
        servers = lock_servers(lk.lanes, lk.vessels_per_lockage)
        assert lk.background_vessels_per_h * lk.lockage_cycle_h / servers < 1, lk.id
    for b in physics.border_crossing:
        for q in b.direction or (b.queue(None),):
            capacity_per_day = q.tracks * q.trains_per_day_per_track
            assert q.background_trains_per_day / capacity_per_day < 1, (b.id, q.id)
    crossings = {b.id: b for b in physics.border_crossing}
    # Erenhot: 3 standard-gauge tracks, 18 trains a day (Xinhua, 2020-12-22); 2023 traffic
    # more than 3,000 trains by 28 November = 3,000 / 332 days
    erenhot = crossings["erenhot"]
    assert erenhot.tracks * erenhot.trains_per_day_per_track == 18
    assert erenhot.background_trains_per_day == pytest.approx(3000 / 332, abs=0.01)
    # Manzhouli: 28-train record day taken as capacity, 5,001 trains in 2023
    manzhouli = crossings["manzhouli"]
    assert manzhouli.tracks * manzhouli.trains_per_day_per_track == 28
    assert manzhouli.background_trains_per_day == pytest.approx(5001 / 365, abs=0.01)
    # Gezhouba has three ship locks (No. 1, 2 and 3)
    assert {lk.id: lk for lk in physics.lock}["gezhouba"].lanes == 3
