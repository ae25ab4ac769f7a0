"""Terminal model in a scenario file (#19): it loads, and every bad input the doc lists
(docs/terminal-operations.md, "Refused with one line") fails through ``freighthub
simulate`` with exit 2 and one line naming file, field, value and rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.model.scenario import load_scenario

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"
BASE = (TINY / "tiny.toml").read_text(encoding="utf-8")

# Test parameters, not facts.
TERMINAL = """
[[shift_patterns]]
id = "days"
source = "test"
confidence = "assumption"
  [[shift_patterns.periods]]
  start_h = 0.0
  end_h = 6.0
  on_duty_share = 0.0
  [[shift_patterns.periods]]
  start_h = 6.0
  end_h = 168.0
  on_duty_share = 1.0

[[arrival_profiles]]
id = "day"
hour_of_day_weights = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
day_of_week_weights = [1, 1, 1, 1, 1, 0.5, 0.5]
"""

# Appended to hub beta's resources (the second [[hub_resources]]).
POOLS = """truck_wait_threshold_h = 0.333
  [[hub_resources.pools]]
  task = "quay"
  units = 2
  moves_per_h = 20
  service_distribution = "lognormal"
  service_cv = 0.5
  priority = "service_first"
  shift_pattern = "days"
  mtbf_h = 200
  mttr_h = 4
  [[hub_resources.pools]]
  task = "rail"
  units = 1
  service_distribution = "empirical"
  service_samples_h = [0.03, 0.05, 0.04]
  [[hub_resources.pools]]
  task = "yard"
  units = 2
  moves_per_h = 12
  service_distribution = "erlang"
  service_shape = 2
  [[hub_resources.pools]]
  task = "gate"
  units = 1
  moves_per_h = 60
  service_distribution = "deterministic"
"""

BETA = 'handling_intensity_id = "transshipment-ambient"\n\n[[train_types]]'


def terminal_text() -> str:
    """The tiny scenario with a terminal model at hub beta (test parameters)."""
    text = BASE.replace(BETA, 'handling_intensity_id = "transshipment-ambient"\n' + POOLS
                        + "\n[[train_types]]", 1)  # fmt: skip
    text = text.replace("cutoff_h = 12\n", "cutoff_h = 12\nloading_window_h = 6\n", 1)
    text = text.replace("cutoff_h = 4\n", "cutoff_h = 4\ntravel_time_cv = 0.1\n", 1)
    text = text.replace(
        'arrival_process = "deterministic"', 'arrival_process = "deterministic"\n'
        'arrival_profile = "day"', 1,
    )  # fmt: skip
    return text + TERMINAL


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_terminal_model_loads_with_its_values(tmp_path: Path) -> None:
    assert BETA in BASE
    loaded = load_scenario(_write(tmp_path, terminal_text()), TINY / "hubs")
    s = loaded.scenario
    beta = s.hub_resources[1]
    assert [p.task for p in beta.pools] == ["quay", "rail", "yard", "gate"]
    assert beta.pools[1].mean_service_h() == pytest.approx(0.04)
    assert beta.pools[0].mean_service_h() == pytest.approx(1 / 20)
    assert beta.truck_wait_threshold_h is not None
    assert s.services[1].loading_window_h is not None
    weights = s.arrival_profiles[0].weekly_weights()
    assert len(weights) == 168
    assert sum(weights) / 168 == pytest.approx(1.0)
    # hour 6 of day 0 against hour 6 of day 5 (weight 0.5): twice as many
    assert weights[6] == pytest.approx(2 * weights[5 * 24 + 6])
    assert weights[0] == 0.0


def _cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(["simulate", str(path), "--hubs", str(TINY / "hubs"), "-r", "1", "--json"])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


QUAY = '  task = "quay"\n  units = 2\n'

BAD: list[tuple[str, str, str, str]] = [
    # (case, old, new, message pattern)
    (
        "zero-units-quay",
        QUAY,
        '  task = "quay"\n  units = 0\n',
        r"hub_resources\[1\]\.pools\[0\]\.units = 0: a quay pool needs at least 1 unit: "
        r"waterborne service 'barge-ab' calls at this hub",
    ),
    (
        "zero-units-rail",
        '  task = "rail"\n  units = 1\n',
        '  task = "rail"\n  units = 0\n',
        r"pools\[1\]\.units = 0: a rail pool needs at least 1 unit: rail service 'rail-ab'",
    ),
    (
        "zero-units-yard",
        '  task = "yard"\n  units = 2\n',
        '  task = "yard"\n  units = 0\n',
        r"pools\[2\]\.units = 0: a yard pool needs at least 1 unit: boxes enter or leave",
    ),
    (
        "gap-in-week",
        "  start_h = 6.0\n  end_h = 168.0",
        "  start_h = 7.0\n  end_h = 168.0",
        r"shift_patterns\[0\]\.periods\[1\]\.start_h = 7(\.0)?: leaves a gap after the previous"
        r" period .*tile the week",
    ),
    (
        "overlap",
        "  start_h = 6.0\n  end_h = 168.0",
        "  start_h = 5.0\n  end_h = 168.0",
        r"periods\[1\]\.start_h = 5(\.0)?: overlaps the previous period",
    ),
    (
        "short-week",
        "  start_h = 6.0\n  end_h = 168.0",
        "  start_h = 6.0\n  end_h = 160.0",
        r"periods\[1\]\.end_h = 160(\.0)?: the last period must end at 168 h",
    ),
    (
        "never-on-duty-pattern",
        "  end_h = 168.0\n  on_duty_share = 1.0",
        "  end_h = 168.0\n  on_duty_share = 0.0",
        r"shift_patterns\[0\]\.periods = 0(\.0)?: no period has units on duty",
    ),
    (
        "never-on-duty-pool",
        "  end_h = 168.0\n  on_duty_share = 1.0",
        "  end_h = 168.0\n  on_duty_share = 0.2",
        r"pools\[0\]\.shift_pattern = 'days': shift pattern 'days' never puts a unit of this"
        r" 2-unit pool on duty",
    ),
    (
        "negative-cv",
        "  service_cv = 0.5",
        "  service_cv = -0.5",
        r"pools\[0\]\.service_cv = -0\.5: must be > 0",
    ),
    (
        "zero-cv",
        "  service_cv = 0.5",
        "  service_cv = 0",
        r"pools\[0\]\.service_cv = 0(\.0)?: must be > 0",
    ),
    (
        "cv-without-lognormal",
        '  service_distribution = "lognormal"\n',
        '  service_distribution = "exponential"\n',
        r"pools\[0\]\.service_cv = 0\.5: is used only with service_distribution = 'lognormal'",
    ),
    (
        "empty-samples",
        "service_samples_h = [0.03, 0.05, 0.04]",
        "service_samples_h = []",
        r"pools\[1\]\.service_samples_h = '\[\]': must hold at least one sample",
    ),
    (
        "negative-sample",
        "service_samples_h = [0.03, 0.05, 0.04]",
        "service_samples_h = [0.03, -0.05, 0.04]",
        r"pools\[1\]\.service_samples_h\[1\] = -0\.05: a service time must be finite and >= 0",
    ),
    (
        "shape-without-erlang",
        '  service_distribution = "erlang"\n',
        '  service_distribution = "exponential"\n',
        r"pools\[2\]\.service_shape = 2: is used only with service_distribution = 'erlang'",
    ),
    (
        "moves-with-empirical",
        '  service_distribution = "empirical"\n',
        '  moves_per_h = 20\n  service_distribution = "empirical"\n',
        r"pools\[1\]\.moves_per_h = 20(\.0)?: is not used with service_distribution = 'empirical'",
    ),
    (
        "mtbf-without-mttr",
        "  mttr_h = 4\n",
        "",
        r"pools\[0\]\.mtbf_h = 200(\.0)?: breakdowns need both mtbf_h and mttr_h: mttr_h is"
        r" missing",
    ),
    (
        "window-longer-than-cutoff",
        "loading_window_h = 6",
        "loading_window_h = 13",
        r"services\[1\]\.loading_window_h = 13(\.0)?: must be <= cutoff_h = 12",
    ),
    (
        "gate-pool-and-gate-time",
        "truck_wait_threshold_h = 0.333",
        "truck_wait_threshold_h = 0.333\ngate_lanes = 2\ngate_time_h = 0.05",
        r"hub_resources\[1\]\.pools\[3\]\.task = 'gate': a gate pool replaces the hub's gate",
    ),
    (
        "two-pools-one-task",
        '  task = "rail"\n',
        '  task = "quay"\n',
        r"hub_resources\[1\]\.pools\[1\]\.task = 'quay': at most one pool per task",
    ),
    (
        "profile-all-zero",
        "day_of_week_weights = [1, 1, 1, 1, 1, 0.5, 0.5]",
        "day_of_week_weights = [0, 0, 0, 0, 0, 0, 0]",
        r"arrival_profiles\[0\]\.day_of_week_weights = 0(\.0)?: the weights are all 0",
    ),
    (
        "profile-negative",
        "day_of_week_weights = [1, 1, 1, 1, 1, 0.5, 0.5]",
        "day_of_week_weights = [1, 1, 1, -1, 1, 0.5, 0.5]",
        r"arrival_profiles\[0\]\.day_of_week_weights\[3\] = -1(\.0)?: a weight must be >= 0",
    ),
    (
        "unknown-profile",
        'arrival_profile = "day"',
        'arrival_profile = "night"',
        r"demand\[1\]\.arrival_profile = 'night': unknown arrival profile; valid: day",
    ),
    (
        "unknown-pattern",
        'shift_pattern = "days"',
        'shift_pattern = "nights"',
        r"pools\[0\]\.shift_pattern = 'nights': unknown shift pattern; valid: days",
    ),
    (
        "negative-travel-cv",
        "travel_time_cv = 0.1",
        "travel_time_cv = -0.1",
        r"services\[0\]\.travel_time_cv = -0\.1: must be >= 0",
    ),
    (
        "gate-without-units-or-lanes",
        '  task = "gate"\n  units = 1\n',
        '  task = "gate"\n',
        r"hub_resources\[1\]\.pools\[3\]\.units: not given, and hub file 'beta' gives no"
        r" road\.gate_lanes",
    ),
    (
        "yard-without-units",
        '  task = "yard"\n  units = 2\n',
        '  task = "yard"\n',
        r"hub_resources\[1\]\.pools\[2\]\.units: required \(only a gate pool",
    ),
    (
        "unknown-task",
        '  task = "yard"\n',
        '  task = "berth"\n',
        r"pools\[2\]\.task = 'berth'",
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "pattern"), BAD, ids=[b[0] for b in BAD])
def test_bad_terminal_input_is_one_line_exit_2(
    case: str, old: str, new: str, pattern: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    text = terminal_text()
    assert old in text, f"test setup ({case}): {old!r} not in the scenario"
    path = _write(tmp_path, text.replace(old, new, 1))
    code, err = _cli(path, capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] or path.name in lines[0]
    assert re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in err


def test_a_gate_pool_without_units_has_the_hub_files_gate_lanes(tmp_path: Path) -> None:
    hubs = tmp_path / "hubs"
    hubs.mkdir()
    for name in ("alpha", "beta"):
        text = (TINY / "hubs" / f"{name}.toml").read_text(encoding="utf-8")
        if name == "beta":
            text = text.replace("[names]", "[road]\ngate_lanes = 5\n[names]", 1)
        (hubs / f"{name}.toml").write_text(text, encoding="utf-8")
    text = terminal_text().replace('  task = "gate"\n  units = 1\n', '  task = "gate"\n', 1)
    from freighthub.sim.compiler import compile_network

    net = compile_network(load_scenario(_write(tmp_path, text), hubs))
    assert net.terminal is not None
    gate = net.terminal.pools.ids.index("beta/gate")
    assert net.terminal.pools.units[gate] == 5
