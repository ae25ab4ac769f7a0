"""CLI ``freighthub validate-model``: table, JSON, exit codes 0 / 3 / 2."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from freighthub.cli import main
from tests.calibrate.conftest import BACKGROUND, TINY_STATISTICS, VALIDATION, Case, build_case

# Figures the tiny corridor meets (seed 7): 7 trains a week = 365 a year exactly, and a
# wide transit range. Synthetic, not real data.
PASSING = """\
id = "tiny-2023"
year = 2023

[[service_volume]]
service = "rail-ab"
trains = { value = 365, source = "synthetic test figure", confidence = "assumption" }

[[transit_days]]
from = "west"
to = "east"
days = { value = [0.5, 30], source = "synthetic test figure", confidence = "assumption" }
"""


@pytest.fixture()
def make_case(tmp_path: Path) -> Callable[..., Case]:
    return partial(build_case, tmp_path)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _args(case: Case) -> list[str]:
    scenario, hubs, folder = case
    return ["validate-model", str(scenario), "--hubs", str(hubs), "--statistics", str(folder)]


def test_failing_checks_exit_3_with_the_table(
    make_case: Callable[..., Case], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run([*_args(make_case()), "-r", "2"], capsys)
    assert code == 3
    for text in ("hub_throughput_teu", "service_departures", "mode_share", "transit_days"):
        assert text in out
    assert "FAIL" in out and "pass" in out and "synthetic test figure" in out
    assert "3 of 7 checks pass" in out or " of 7 checks pass" in out


def test_json_is_the_issue_document(
    make_case: Callable[..., Case], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run([*_args(make_case()), "-r", "2", "--json"], capsys)
    assert code == 3
    data = json.loads(out)
    assert data["scenario"] == "tinyval" and data["total"] == 7
    assert data["passed"] == sum(c["pass"] for c in data["checks"])
    first = data["checks"][0]
    assert first["quantity"] == "hub_throughput_teu" and first["subject"] == "alpha"
    assert first["published"] == 30000 and first["unit"] == "TEU/year"
    assert first["tolerance_rel"] == 0.1 and first["source"] == "synthetic test figure"
    low, high = first["model_ci"]
    assert low <= first["model"] <= high and first["pass"] is False


def test_all_passing_exits_0(
    make_case: Callable[..., Case], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run([*_args(make_case(statistics=PASSING)), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["passed"] == data["total"] == 2


@pytest.mark.parametrize(
    ("statistics", "validation", "match"),
    [
        (
            TINY_STATISTICS.replace("value = 0.4,", "value = 1.4,"),
            None,
            r"tiny-2023\.toml: mode_share\[0\]\.share = 1\.4: must be <= 1",
        ),
        (
            TINY_STATISTICS.replace('hub = "alpha"\nteu', 'hub = "gamma"\nteu'),
            None,
            r"tiny-2023\.toml: hub_throughput\[0\]\.hub = 'gamma': unknown hub",
        ),
        (
            TINY_STATISTICS,
            '\n[validation]\nyear = 2022\nstatistics = ["tiny-2023"]\n',
            r"tiny-2023\.toml: year = 2023: differs from the scenario's validation\.year = 2022",
        ),
        (TINY_STATISTICS, "", r"tinyval\.toml: validation: required by validate-model"),
        (
            TINY_STATISTICS,
            BACKGROUND.format(hub_teu=14000) + VALIDATION,
            r"tiny-2023\.toml: hub_throughput\[0\]\.teu = 30000\.0: below the scenario's traced",
        ),
    ],
)
def test_bad_statistics_exit_2_with_one_line(
    make_case: Callable[..., Case],
    capsys: pytest.CaptureFixture[str],
    statistics: str,
    validation: str | None,
    match: str,
) -> None:
    if validation is None:
        case = make_case(statistics=statistics)
    else:
        case = make_case(statistics=statistics, validation=validation)
    code, out, err = _run(_args(case), capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert re.search(match, lines[0])


def test_a_missing_scenario_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(["validate-model", str(tmp_path / "none.toml")], capsys)
    assert code == 2 and "none.toml: does not exist" in err


def test_check_only_loads_and_cross_checks_without_simulating(
    make_case: Callable[..., Case], capsys: pytest.CaptureFixture[str]
) -> None:
    case = make_case()
    code, out, _ = _run([*_args(case), "--check", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data == {
        "scenario": "tinyval",
        "statistics": [str(case[2] / "tiny-2023.toml")],
        "figures": 7,  # one check each, as the full run's total
        "tolerances": "tolerances",
    }
    code, out, _ = _run([*_args(case), "--check"], capsys)
    assert code == 0 and "7 published figure(s) in 1 statistics file(s), consistent" in out
    bad = make_case(statistics=TINY_STATISTICS.replace("value = [2, 4]", "value = [4, 2]"))
    code, _, err = _run([*_args(bad), "--check"], capsys)
    assert code == 2 and "transit_days[0].days = [4.0, 2.0]: low 4 must be <= high 2" in err
