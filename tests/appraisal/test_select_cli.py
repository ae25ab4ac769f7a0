"""``freighthub select``: the budgeted MILP on the shipped candidates file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from freighthub.appraisal.candidates import load_candidates
from freighthub.appraisal.select import capital_recovery_factor, select_file
from freighthub.cli import main
from freighthub.errors import DataFileError

ROOT = Path(__file__).parents[2]
CANDIDATES = ROOT / "examples" / "appraisal" / "yangtze-candidates.toml"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def test_capital_recovery_factor() -> None:
    # r = 0: straight division; otherwise the annuity that repays 1 over n years
    assert capital_recovery_factor(0.0, 4) == 0.25
    crf = capital_recovery_factor(0.08, 20)
    assert sum(crf / 1.08**t for t in range(1, 21)) == pytest.approx(1.0, rel=1e-12)


def test_json_lists_every_candidate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["select", str(CANDIDATES), "--budget", "2e9", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert [c["id"] for c in doc["candidates"]] == [
        "nanjing-longtan",
        "wuhan-yangluo",
        "guoyuan-yangluo-rail",
        "longtan-yangshan-barge",
    ]
    for c in doc["candidates"]:
        assert {"capex_cny", "benefit_cny_per_year", "chosen"} <= set(c)
    assert doc["gap"] == 0.0 and "objective_cny_per_week" in doc
    chosen = [c for c in doc["candidates"] if c["chosen"]]
    assert sum(c["capex_cny"] for c in chosen) == doc["capex_cny"] <= 2e9
    rail = doc["candidates"][2]
    assert rail["chosen"] and 1 <= rail["departures_per_week"] <= 7


def test_a_smaller_budget_never_does_better() -> None:
    big = select_file(CANDIDATES, 2e9)
    small = select_file(CANDIDATES, 1.06e9)
    assert small.objective_cny_per_week >= big.objective_cny_per_week - 1e-6


def test_budget_below_every_candidate_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["select", str(CANDIDATES), "--budget", "1e8"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"{CANDIDATES}: --budget = 100000000.0: 100,000,000 CNY is below every" in err
    assert "candidate's capex: the cheapest, 'longtan-yangshan-barge', needs 120,000,000 CNY" in err


def test_too_small_a_budget_names_the_capex_needed(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["select", str(CANDIDATES), "--budget", "3e8"], capsys)
    assert code == 2
    assert "capex budget of 300,000,000 CNY cannot open enough candidates" in err


def test_verified_plan_runs_in_the_simulation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["select", str(CANDIDATES), "--budget", "2e9", "--verify", "-r", "1", "--seed", "1"], capsys
    )
    assert code == 0, err
    assert "Verification in the simulation" in out and "door-to-door" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'kind = "hub"\nlabel = "Nanjing',
            'kind = "service"\nlabel = "Nanjing',
            "candidates.0.id = 'nanjing-longtan': no service of that id",
        ),
        ('mode_choice = "yangtze-container-v1"\n', "", "give exactly one of mode_choice"),
        ("integer_departures = true", "integer_departures = true\nspeed = 3", "speed"),
    ],
)
def test_bad_candidates_file(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = CANDIDATES.read_text().replace("../../scenarios/", str(ROOT / "scenarios") + "/")
    assert old in text
    p = tmp_path / "c.toml"
    p.write_text(text.replace(old, new, 1))
    with pytest.raises(DataFileError, match=re.escape(message)):
        load_candidates(p)
        select_file(p, 2e9)


def test_verification_runs_the_chosen_departures() -> None:
    from freighthub.appraisal.select import _with_departures
    from freighthub.model.scenario import load_scenario

    loaded = load_scenario(ROOT / "scenarios" / "yangtze-corridor.toml")
    changed = _with_departures(loaded, {"guoyuan-yangluo-rail": 3, "longtan-yangshan-barge": 0})
    by_id = {s.id: s for s in changed.scenario.services}
    rail = by_id["guoyuan-yangluo-rail"].departures_per_week
    assert rail is not None and rail.value == 3.0 and rail.confidence == "assumption"
    barge = by_id["longtan-yangshan-barge"].departures_per_week
    assert barge is not None and barge.value == 14  # 0 chosen: the timetable stays, unused
    assert loaded.scenario.services != changed.scenario.services
