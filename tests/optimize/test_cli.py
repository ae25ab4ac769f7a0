"""``freighthub optimize``: JSON output, rendering, error exits."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.model.paths import data_dir

DATA = Path(__file__).parent / "data"
BASE = [str(DATA / "tiny.toml"), "--hubs", str(DATA / "hubs")]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(["optimize", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(
        [
            *BASE,
            "--value-of-time",
            "10",
            "--carbon-price",
            "200",
            "--export",
            str(tmp_path),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "tiny" and doc["value_of_time_source"] == "given on the command line"
    plan = doc["plan"]
    assert plan["solver"].startswith("cbc")
    assert plan["carbon_price_cny_per_tco2e"] == 200.0
    assert {f["route"] for f in plan["flows"]} == {
        "west-east/road", "west-east/rail", "west-east/barge", "alpha-beta/rail",
    }  # fmt: skip
    assert set(plan["teu_km_share_by_mode"]) <= {"road", "rail", "inland_waterway"}
    assert plan["decisions"][0]["resource"] == "service:rail-ab"
    assert doc["verification"] is None
    assert Path(doc["exported"]) == tmp_path / "tiny-lp.toml"


def test_rendered_with_verification(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*BASE, "--value-of-time", "10", "--verify", "-r", "1"], capsys)
    assert code == 0
    assert "optimal mode split per week" in out
    assert "Verification in the simulation" in out
    assert "missed at least one full departure" in out


def test_road_share_target_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        [*BASE, "--value-of-time", "10", "--road-share-max", "0.5", "--json"], capsys
    )
    assert code == 0
    (target,) = json.loads(out)["plan"]["targets"]
    assert target["constraint"] == "road-share-max" and target["achieved"] <= 0.5 + 1e-6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --value-of-time"),
        (["--value-of-time", "10", "--mode-choice", "x"], "give exactly one of --value-of-time"),
        (["--value-of-time", "10", "--solver", "gurobi"], "unknown solver 'gurobi'"),
        # rail routes still run by road to and from the hubs: road cannot be 0 % of TEU-km
        (["--value-of-time", "10", "--road-share-max", "0"], "infeasible plan for 'tiny'"),
        (["--value-of-time", "10", "--emission-cap", "1"], "infeasible plan for 'tiny'"),
    ],
)
def test_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([*BASE, *args], capsys)
    assert code == 2
    assert message in " ".join(err.split())


def test_missing_scenario_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run([str(tmp_path / "nope.toml"), "--value-of-time", "1"], capsys)
    assert code == 2 and "does not exist" in err


@pytest.mark.skipif(
    not (data_dir("standards") / "mode-choice" / "yangtze-container-v1.toml").is_file(),
    reason="mode-choice parameters not shipped",
)
def test_value_of_time_from_mode_choice_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*BASE, "--mode-choice", "yangtze-container-v1", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["value_of_time_source"].startswith(str(data_dir("standards")))
    assert doc["value_of_time_cny_per_teu_h"] > 0


def test_optimise_departures_pays_for_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With a costly departure the LP run with --optimise-departures runs fewer trains and
    its objective includes them; the fixed timetable reports their cost apart."""
    text = (DATA / "tiny.toml").read_text()
    text = text.replace(
        "cost_cny_per_departure = 5000\n",
        "cost_cny_per_departure = 5000\noperator_cost = { dues_cny_per_departure = 200000 }\n",
    )
    (tmp_path / "tiny.toml").write_text(text)
    shutil.copytree(DATA / "hubs", tmp_path / "hubs")
    base = [str(tmp_path / "tiny.toml"), "--hubs", str(tmp_path / "hubs"), "--value-of-time", "10"]
    code, out, _ = _run([*base, "--json"], capsys)
    assert code == 0
    fixed = json.loads(out)["plan"]
    assert fixed["departures_by_resource"] == {}
    assert fixed["operator_cost_cny"] > 0
    code, out, _ = _run([*base, "--optimise-departures", "--json"], capsys)
    assert code == 0
    optimised = json.loads(out)["plan"]
    runs = optimised["departures_by_resource"]["service:rail-ab"]
    assert 0 <= runs < 7  # fewer than the timetable's 7 a week at 205,000 CNY each
    assert optimised["operator_cost_cny"] == pytest.approx(runs * 205_000, rel=1e-6)
    assert optimised["flows"] != fixed["flows"]
    code, out, _ = _run([*base, "--optimise-departures"], capsys)
    assert code == 0 and "departures run: service:rail-ab" in out


def test_bad_operator_cost_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (
        (DATA / "tiny.toml")
        .read_text()
        .replace(
            "cost_cny_per_departure = 5000\n",
            "cost_cny_per_departure = 5000\noperator_cost = { turnaround_h = -2 }\n",
        )
    )
    (tmp_path / "tiny.toml").write_text(text)
    shutil.copytree(DATA / "hubs", tmp_path / "hubs")
    code, _, err = _run(
        [str(tmp_path / "tiny.toml"), "--hubs", str(tmp_path / "hubs"), "--value-of-time", "10"],
        capsys,
    )
    assert code == 2
    assert "operator_cost.turnaround_h = -2" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_highs_direct_path_like_cbc(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # --solver highs builds the LP as arrays straight into highspy; the user gets the
    # same plan, verification and export as with CBC, and clean JSON (capfd: also what
    # compiled code writes to standard output, such as HiGHS's banner)
    docs = {}
    for solver in ("cbc", "highs"):
        code, out, _ = _run(
            [*BASE, "--value-of-time", "10", "--carbon-price", "200", "--solver", solver,
             "--verify", "-r", "1", "--export", str(tmp_path / solver), "--json"],
            capfd,
        )  # fmt: skip
        assert code == 0
        docs[solver] = json.loads(out)
    cbc, highs = docs["cbc"], docs["highs"]
    assert "direct" in highs["plan"]["solver"]
    assert highs["plan"]["objective_cny"] == pytest.approx(cbc["plan"]["objective_cny"], rel=1e-6)
    for a, b in zip(cbc["plan"]["flows"], highs["plan"]["flows"], strict=True):
        assert (a["route"], a["volume_teu"]) == (
            b["route"],
            pytest.approx(b["volume_teu"], rel=1e-6, abs=1e-6),
        )
    assert [d["resource"] for d in highs["plan"]["decisions"]] == [
        d["resource"] for d in cbc["plan"]["decisions"]
    ]
    assert highs["verification"] is not None and cbc["verification"] is not None
    # the same scenario file, but for the solver's name and CBC's 1e-9 round-off
    exported = {
        s: tomllib.loads(Path(d["exported"]).read_text().replace(d["plan"]["solver"], "S"))
        for s, d in docs.items()
    }
    _assert_close(exported["highs"], exported["cbc"])


def _assert_close(a: object, b: object) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_close(a[k], b[k])
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_close(x, y)
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9)
    else:
        assert a == b
