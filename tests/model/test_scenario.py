"""Scenario loader: a valid file loads; every error path names file, field, value and rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.scenario import load_scenario, load_scenario_with_pack
from freighthub.sim.compiler import compile_network

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"
TEXT = (TINY / "tiny.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "tiny") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, old: str, new: str, **kwargs: object) -> None:
    assert old in TEXT, f"test setup: {old!r} not in tiny.toml"
    path = _write(tmp_path, TEXT.replace(old, new, 1))
    loaded = load_scenario(path, TINY / "hubs", **kwargs)  # type: ignore[arg-type]
    compile_network(loaded)


def test_tiny_scenario_loads() -> None:
    loaded = load_scenario(TINY / "tiny.toml", TINY / "hubs")
    assert loaded.scenario.id == "tiny"
    assert list(loaded.hubs) == ["alpha", "beta"]
    assert [d.id for d in loaded.scenario.demand] == ["west-east", "alpha-beta"]
    assert loaded.input_files[0] == TINY / "tiny.toml"


def test_train_capacity_is_derived_from_length() -> None:
    loaded = load_scenario(TINY / "tiny.toml", TINY / "hubs")
    train = loaded.scenario.train_types[0]
    # floor((400 m - 20 m) / 19 m) = 20 wagons x 2 TEU
    assert train.capacity_teu == 40.0


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'hubs = ["alpha", "beta"]',
            'hubs = ["alpha", "gamma"]',
            r"hubs\[1\] = 'gamma': unknown hub",
        ),
        (
            'hubs = ["alpha", "beta"]',
            'hubs = ["alpha", "alpha"]',
            r"hubs\[1\] = 'alpha': lists a hub twice",
        ),
        (
            "capacity_teu = 100",
            "capacity_teu = -100",
            r"vessel_classes\[0\]\.capacity_teu = -100: must be > 0",
        ),
        (
            'name = "road"\nshare = 0.4',
            'name = "road"\nshare = 0.5',
            r"demand\[0\]\.routes\.share = 1\.1: route shares must sum to 1",
        ),
        (
            'legs = [{ road = "west-east" }]',
            'legs = [{ road = "west-east-x" }]',
            r"legs\[0\]\.road = 'west-east-x': unknown road link; valid: beta-east, west-alpha, west-east",
        ),
        (
            'legs = [{ road = "west-alpha" }, { service = "rail-ab" }, { road = "beta-east" }]',
            'legs = [{ road = "west-alpha" }, { service = "rail-ab" }]',
            r"routes\[1\]\.legs = 'rail': route ends at 'beta', not at the destination 'east'",
        ),
        (
            'legs = [{ road = "west-alpha" }, { service = "rail-ab" }, { road = "beta-east" }]',
            'legs = [{ road = "west-alpha" }, { road = "beta-east" }]',
            r"routes\[1\]\.legs\[1\]\.road = 'beta-east': does not start at 'alpha'",
        ),
        (
            'legs = [{ service = "rail-ab" }]',
            'legs = [{ service = "rail-ba" }]',
            r"legs\[0\]\.service = 'rail-ba': unknown service; valid: barge-ab, rail-ab",
        ),
        (
            'vessel_class = "small-barge"',
            'vessel_class = "big-barge"',
            r"services\[1\]\.vessel_class = 'big-barge': unknown vessel class",
        ),
        (
            'train_type = "short-train"',
            'train_type = "short-train"\ncapacity_teu = 80',
            r"services\[0\]\.train_type = 'short-train': capacity: give only one of 'capacity_teu' or 'train_type' or 'vessel_class', not capacity_teu and train_type",
        ),
        (
            'service_distribution = "erlang"',
            'service_distribution = "exponential"',
            r"hub_resources\[1\]\.service_shape = 2: is used only with service_distribution = 'erlang'",
        ),
        (
            "start_h = 600\nend_h = 900",
            "start_h = 600\nend_h = 500",
            r"disruptions\[0\]\.end_h = 500\.0: must be after start_h = 600",
        ),
        (
            "start_h = 600\nend_h = 900",
            "start_h = 3000\nend_h = 3100",
            r"disruptions\[0\]\.start_h = 3000\.0: starts after the horizon",
        ),
        (
            'service = "rail-ab"\nclosed = true',
            'service = "rail-x"\nclosed = true',
            r"disruptions\[1\]\.service = 'rail-x': unknown service",
        ),
        (
            'mode = "inland_waterway"\ncapacity_factor = 0.5',
            'mode = "road"\ncapacity_factor = 0.5',
            r"disruptions\[0\]\.capacity_factor = 0\.5: road links can only be closed",
        ),
        (
            "warmup_h = 168",
            "warmup_h = 3000",
            r"tiny\.toml: warmup_h = 3000\.0: must be shorter than horizon_h = 2016",
        ),
        (
            'id = "tiny"',
            'id = "small"',
            r"tiny\.toml: id = 'small': must equal the file name 'tiny'",
        ),
        (
            "horizon_h = 2016",
            "horizon_h = 2016\nhorizon_hour = 5",
            r"horizon_hour = 5: unknown field; did you mean 'horizon_h'\?",
        ),
        (
            "seasonality = [1, 1, 1, 1, 1, 1, 1.2, 1.2, 1, 1, 0.8, 0.8]",
            "seasonality = [1, 1, 1]",
            r"demand\[0\]\.seasonality = .*: must have at least 12 item",
        ),
        (
            '[[hub_resources]]\nhub = "alpha"',
            '[[hub_resources]]\nhub = "gamma"',
            r"hub_resources\[0\]\.hub = 'gamma': unknown hub of this scenario",
        ),
        (
            'id = "west"\nname',
            'id = "alpha"\nname',
            r"zones\[0\]\.id = 'alpha': zone id equals a hub id",
        ),
        (
            'id = "barge-ab"',
            'id = "rail-ab"',
            r"services\[1\]\.id = 'rail-ab': duplicate service id",
        ),
        (
            "teu_per_year = 20000",
            "teu_per_year = -20000",
            r"demand\[0\]\.teu_per_year = -20000: must be > 0",
        ),
        (
            "box_40ft_share = 0.6",
            "box_40ft_share = 1.6",
            r"demand\[0\]\.box_40ft_share = 1\.6: must be <= 1",
        ),
        (
            "servers = 2\n",
            "",
            r"hub_resources\[1\]\.servers: not given, and hub file .*beta\.toml lists no handling\.equipment",
        ),
        (
            'to = "alpha"\ndistance_km = 40',
            'to = "alpha"\ntruck_capacity_teu = 1\ndistance_km = 40',
            r"legs\[0\]\.road = 'west-alpha': a 1-TEU truck cannot carry the OD's 40' boxes",
        ),
        (
            "distance_km = 40",
            "distance_km = 40\ncircuity_factor = 1.2",
            r"road_links\[0\]\.circuity_factor = 1\.2: distance: give only one of 'distance_km' or 'circuity_factor'",
        ),
        (
            "circuity_factor = 1.25",
            "circuity_factor = 0.9",
            r"road_links\[2\]\.circuity_factor = 0\.9: must be >= 1",
        ),
        (
            '[[hub_resources]]\nhub = "alpha"\n',
            '[[hub_resources]]\nhub = "alpha"\ngate_time_h = 0.05\n',
            r"hub_resources\[0\]\.gate_lanes: gate_time_h is given but gate_lanes is not",
        ),
    ],
)
def test_scenario_error_paths(tmp_path: Path, old: str, new: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        _load(tmp_path, old, new)


def test_unknown_intensity_id_lists_valid_ids(tmp_path: Path) -> None:
    valid = {
        "road-artic-40t-container-diesel-asia",
        "rail-electric-container-eu",
        "transshipment-ambient",
    }
    with pytest.raises(
        DataFileError,
        match=re.escape(
            "services[1].intensity_id = 'iww-container-110m': unknown emission intensity id"
        ),
    ):
        _load(tmp_path, "", "", intensity_ids=valid)


def test_scenario_with_pack_loads_the_scenarios_pack() -> None:
    loaded, pack = load_scenario_with_pack(TINY / "tiny.toml", TINY / "hubs")
    assert (loaded.scenario.id, pack.id) == ("tiny", "glec-v3-2023")


def test_scenario_without_emission_pack_needs_a_pack(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.replace('emission_pack = "glec-v3-2023"\n', "", 1))
    with pytest.raises(
        DataFileError,
        match=re.escape(
            "emission_pack: required to compute emissions (or give a factor pack with the command)"
        ),
    ):
        load_scenario_with_pack(path, TINY / "hubs")
    loaded, pack = load_scenario_with_pack(path, TINY / "hubs", "glec-v3-2023")
    assert loaded.scenario.emission_pack is None and pack.id == "glec-v3-2023"


def test_missing_hub_resources_entry(tmp_path: Path) -> None:
    start = TEXT.index('[[hub_resources]]\nhub = "beta"')
    end = TEXT.index("[[train_types]]")
    path = _write(tmp_path, TEXT[:start] + TEXT[end:])
    with pytest.raises(
        DataFileError, match=r"hub_resources: no \[\[hub_resources\]\] entry for hub 'beta'"
    ):
        load_scenario(path, TINY / "hubs")


def test_moves_per_h_missing_in_hub_file(tmp_path: Path) -> None:
    hubs = tmp_path / "hubs"
    hubs.mkdir()
    (hubs / "beta.toml").write_text((TINY / "hubs" / "beta.toml").read_text(), encoding="utf-8")
    alpha = (TINY / "hubs" / "alpha.toml").read_text().replace("moves_per_h = 10\n", "")
    (hubs / "alpha.toml").write_text(alpha, encoding="utf-8")
    loaded = load_scenario(TINY / "tiny.toml", hubs)
    with pytest.raises(
        DataFileError, match=r"hub_resources\[0\]\.moves_per_h: not given, and hub file"
    ):
        compile_network(loaded)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nothing\.toml: .*does not exist"):
        load_scenario(tmp_path / "nothing.toml", TINY / "hubs")
    empty = _write(tmp_path, "", "empty")
    with pytest.raises(DataFileError, match="file is empty"):
        load_scenario(empty, TINY / "hubs")


def test_timetables_expand_over_the_horizon() -> None:
    from freighthub.sim.compiler import compile_network as compile_

    net = compile_(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    rail = net.services.departures_h[0]  # 7 a week from 10 h: every 24 h
    assert rail[0] == 10.0 and rail[-1] < net.horizon_h
    assert len(rail) == 84  # 2016 h horizon / 24 h
    barge = net.services.departures_h[1]  # weekly at 20 h and 92 h
    assert list(barge[:4]) == [20.0, 92.0, 188.0, 260.0]
    caps = net.services.capacity_teu
    # low water (600-900 h) halves the barge; closure (1200-1250 h) cancels the rail
    assert set(caps[1][(barge >= 600) & (barge < 900)]) == {50.0}
    assert set(caps[0][(rail >= 1200) & (rail < 1250)]) == {0.0}
    assert caps[0][rail < 1200].min() == 40.0


def test_non_whole_weekly_rate(tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT.replace("departures_per_week = 7", "departures_per_week = 3.5"))
    net = compile_network(load_scenario(path, TINY / "hubs"))
    dep = net.services.departures_h[0]
    # 3.5 a week = every 48 h from 10 h, not 4 a week
    assert len(dep) == 42 and dep[1] - dep[0] == 48.0
