"""Lock maintenance closures, border queues per direction and the calibrated Three Gorges
lock (freighthub.sim.crossings, freighthub.sim.waterway, standards/physics/)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.physics import load_physics
from freighthub.model.scenario import load_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.crossings import (
    lock_down_intervals_h,
    other_traffic_per_h,
    service_queue_waits_h,
)
from freighthub.sim.queueing import mmc_mean_wait_h
from freighthub.sim.waterway import (
    border_service_h,
    fcfs_waits_h,
    lock_servers,
    md1_mean_wait_h,
    queue_waits_h,
)
from freighthub.units import HOURS_PER_DAY
from tests.sim.test_waterway import _broken

REPO = Path(__file__).resolve().parents[2]


def test_a_closure_makes_vessels_wait_by_hand() -> None:
    # One server, 1 h per vessel, closed over [10, 20): the vessel at 9.5 cannot finish
    # before 10, so it starts at 20 (waits 10.5); the one at 9.6 starts at 21 (11.4); the
    # one at 20.5 starts at 22 (1.5); the first one is served at once.
    arrivals = np.array([0.0, 9.5, 9.6, 20.5])
    waits = fcfs_waits_h(arrivals, np.ones(4), 1, [[(10.0, 20.0)]])
    np.testing.assert_allclose(waits, [0.0, 10.5, 11.4, 1.5])
    # Without the closure only the vessel at 9.6 waits, for the one at 9.5 (0.9 h).
    np.testing.assert_allclose(fcfs_waits_h(arrivals, np.ones(4), 1), [0.0, 0.0, 0.9, 0.0])


def test_one_of_two_servers_closed_halves_the_capacity_by_hand() -> None:
    # Arrivals every 0.5 h, 1 h each: two servers keep up (no wait); with server 2 closed
    # the whole time, vessel i starts at i h and waits i - 0.5 i = 0.5 i h.
    arrivals = np.arange(10) * 0.5
    assert np.all(fcfs_waits_h(arrivals, np.ones(10), 2) == 0)
    waits = fcfs_waits_h(arrivals, np.ones(10), 2, [[], [(0.0, 1e9)]])
    np.testing.assert_allclose(waits, 0.5 * np.arange(10))
    with pytest.raises(ValueError, match="one per server"):
        fcfs_waits_h(arrivals, np.ones(10), 2, [[]])


def test_three_gorges_2024_closure_as_intervals() -> None:
    # North lane closed from 21 February 2024 08:00 for 45 days: start (31 + 20) days x 24 h
    # + 8 h = 1,232 h, end 1,232 + 1,080 = 2,312 h. 2 lanes x 3.87 -> 7 servers; one lane
    # left -> 3 servers, so servers 3-6 are down.
    lock = {x.id: x for x in load_physics().lock}["three-gorges"]
    down = lock_down_intervals_h(lock, 2024)
    assert len(down) == lock_servers(lock.lanes, lock.vessels_per_lockage) == 7
    assert down[:3] == [[], [], []]
    assert down[3:] == [[(1232.0, 2312.0)]] * 4
    assert lock_down_intervals_h(lock, 2023) == [[]] * 7  # no overhaul in 2023
    assert lock_down_intervals_h(lock, None) == [[]] * 7


def test_initial_backlog_by_hand() -> None:
    # 6 vessels waiting at time 0, 2 servers of 1 h (deterministic), no other traffic: they
    # keep both servers busy until 3 h, so a vessel departing at 0.5 h waits 2.5 h.
    waits = queue_waits_h(
        np.array([0.5]),
        background_per_h=0.0,
        servers=2,
        service_h=1.0,
        deterministic=True,
        horizon_h=100.0,
        rng=np.random.default_rng(0),
        initial_queue=6,
    )
    np.testing.assert_allclose(waits, [2.5])


def test_three_gorges_calibration_reproduces_both_published_figures() -> None:
    # Little: about 300 vessels waiting (Xinhua, 2017-01-06) at 5.02 vessels/h means a mean
    # wait of 300 / 5.02 = 59.7 h; the calibrated cycle gives that Erlang C wait, and then a
    # capacity of 31 lockages a day (People's Daily, 2024-06-19) within one lockage.
    lock = {x.id: x for x in load_physics().lock}["three-gorges"]
    servers = lock_servers(lock.lanes, lock.vessels_per_lockage)
    lam = lock.background_vessels_per_h
    wait_h = mmc_mean_wait_h(lam, 1 / lock.lockage_cycle_h, servers)
    assert wait_h == pytest.approx(lock.initial_queue_vessels / lam, rel=0.01)
    lockages_per_day = servers / lock.lockage_cycle_h * HOURS_PER_DAY / lock.vessels_per_lockage
    assert lockages_per_day == pytest.approx(31, abs=1)
    assert lam * lock.lockage_cycle_h / servers == pytest.approx(0.9967, abs=1e-4)


def test_a_service_replaces_part_of_the_published_traffic() -> None:
    assert other_traffic_per_h(5.0, 876, 8760.0, "lock x") == pytest.approx(4.9)
    with pytest.raises(ValueError, match=r"lock x: .*exceed the published total"):
        other_traffic_per_h(0.05, 876, 8760.0, "lock x")


def test_closure_raises_the_waits_of_the_closure_year() -> None:
    lock = {x.id: x for x in load_physics().lock}["three-gorges"]
    servers = lock_servers(lock.lanes, lock.vessels_per_lockage)
    departures = np.arange(12.0, 8760.0, 24.0)

    def mean_wait(year: int) -> float:
        return float(
            np.mean(
                queue_waits_h(
                    departures,
                    background_per_h=4.0,  # below the lock's 5.04/h capacity: a steady state
                    servers=servers,
                    service_h=lock.lockage_cycle_h,
                    deterministic=False,
                    horizon_h=8760.0,
                    rng=np.random.default_rng(5),
                    down_h=lock_down_intervals_h(lock, year),
                )
            )
        )

    # 3 of 7 servers for 45 days: 2.16 vessels/h against 4.04 arriving; the backlog grows
    # by about 1.9 x 1,080 = 2,000 vessels, so the year's mean wait rises by days.
    assert mean_wait(2024) > mean_wait(2023) + 24.0


def test_each_direction_queues_as_its_own_md1() -> None:
    # Brest-Malaszewicze westbound: 1 track of 14 trains a day (D = 24/14 h) and 10.9 other
    # trains a day; scenario trains at random times 0.01/h replace part of that stream:
    # lambda = 10.9/24 h, rho = lambda D = 0.7786, Pollaczek-Khinchine W = 3.01 h.
    crossing = {b.id: b for b in load_physics().border_crossing}["brest-malaszewicze"]
    west, east = crossing.queue("westbound"), crossing.queue("eastbound")
    assert (west.trains_per_day_per_track, east.trains_per_day_per_track) == (14, 14)
    horizon_h = 400_000.0
    departures = np.sort(np.random.default_rng(4).uniform(0.0, horizon_h, 4_000))
    for q in (west, east):
        total_per_h = q.background_trains_per_day / HOURS_PER_DAY
        d_h = border_service_h(q.trains_per_day_per_track)
        waits = queue_waits_h(
            departures,
            background_per_h=other_traffic_per_h(total_per_h, departures.size, horizon_h, q.id),
            servers=q.tracks,
            service_h=d_h,
            deterministic=True,
            horizon_h=horizon_h,
            rng=np.random.default_rng(8),
        )
        assert float(np.mean(waits)) == pytest.approx(md1_mean_wait_h(total_per_h, d_h), rel=0.1)
    assert md1_mean_wait_h(10.9 / 24, 24 / 14) == pytest.approx(3.014, abs=1e-3)
    assert md1_mean_wait_h(9.1 / 24, 24 / 14) == pytest.approx(1.592, abs=1e-3)


def test_scenario_trains_join_their_direction_queue() -> None:
    loaded = load_scenario(REPO / "scenarios" / "china-europe-baseline.toml", REPO / "hubs")
    s = loaded.scenario
    network = compile_network(loaded)
    crossing = {b.id: b for b in load_physics().border_crossing}["brest-malaszewicze"]
    for sid, direction in (
        ("malaszewicze-duisburg-xian", "westbound"),
        ("malaszewicze-alashankou-xian", "eastbound"),
    ):
        k = network.services.ids.index(sid)
        svc = s.services[k]
        assert (svc.border_crossing, svc.border_direction) == ("brest-malaszewicze", direction)
        dep = network.services.departures_h[k]
        q = crossing.queue(direction)
        expected = queue_waits_h(
            dep,
            background_per_h=q.background_trains_per_day / HOURS_PER_DAY - dep.size / s.horizon_h,
            servers=q.tracks,
            service_h=border_service_h(q.trains_per_day_per_track),
            deterministic=True,
            horizon_h=s.horizon_h,
            rng=np.random.default_rng(zlib.crc32(f"{s.id}/{sid}/brest-malaszewicze".encode())),
        )
        np.testing.assert_array_equal(network.services.queue_wait_h[k], expected)
    assert len(service_queue_waits_h(s, network.services.departures_h)) == len(s.services)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("lanes_closed = 1", "lanes_closed = 3", r"lock\[0\].*lanes_closed = 3: the lock has 2"),
        ("start_day = 21", "start_day = 30", r"start_day = 30: month 2 has 28 days"),
        ("duration_days = 40", "duration_days = -40", r"closure\[0\]\.duration_days.*-40"),
        (
            'id = "eastbound"',
            'id = "westbound"',
            r"border_crossing\[4\].*give one westbound and one eastbound",
        ),
        (
            'id = "brest-malaszewicze"\n',
            'id = "brest-malaszewicze"\ntracks = 2\n',
            r"border_crossing\[4\].*per direction or shared, not both",
        ),
    ],
)
def test_bad_closure_or_direction_is_one_line(
    tmp_path: Path, old: str, new: str, match: str
) -> None:
    with pytest.raises(DataFileError, match=match) as err:
        load_physics(_broken(tmp_path, old, new))
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'border_direction = "westbound"',
            "",
            r"border_direction = None: is required: brest-malaszewicze has a queue per direction",
        ),
        (
            'border_crossing = "khorgos"  #',
            'border_crossing = "khorgos"\nborder_direction = "westbound"  #',
            r"border_direction = 'westbound': khorgos has one queue shared by both directions; leave",
        ),
    ],
)
def test_bad_border_direction_is_one_line(tmp_path: Path, old: str, new: str, match: str) -> None:
    text = (REPO / "scenarios" / "china-europe-rail.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "china-europe-rail.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=match) as err:
        load_scenario(path, REPO / "hubs")
    assert "\n" not in str(err.value)


def test_bad_border_direction_through_the_cli_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from freighthub.cli import main

    text = (REPO / "scenarios" / "china-europe-rail.toml").read_text(encoding="utf-8")
    path = tmp_path / "china-europe-rail.toml"
    path.write_text(
        text.replace('border_direction = "westbound"', 'border_direction = "northbound"', 1),
        "utf-8",
    )
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(path), "--hubs", str(REPO / "hubs")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "china-europe-rail.toml" in err and "border_direction" in err and "northbound" in err
