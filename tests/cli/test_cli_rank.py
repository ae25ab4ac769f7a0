"""``freighthub rank``: JSON shape, rendering, one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.scoring.mcda import METHODS

TYPES = "benefit,cost,benefit,cost"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def example(repo_root: Path) -> Path:
    return repo_root / "docs" / "examples" / "rank-example.csv"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_json_shape(example: Path, method: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["rank", str(example), "--method", method, "--weights", "4,3,2,1", "--types", TYPES,
         "--missing", "worst", "--samples", "50", "--seed", "3", "--json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["method"] == method
    ids = [a["id"] for a in doc["alternatives"]]
    assert sorted(ids) == ["hub-a", "hub-b", "hub-c", "hub-d"]
    assert [a["rank"] for a in doc["alternatives"]] == sorted(
        a["rank"] for a in doc["alternatives"]
    )
    assert doc["alternatives"][0]["rank"] == 1
    assert all(isinstance(a["score"], float) for a in doc["alternatives"])
    assert doc["weights"] == pytest.approx(
        {
            "annual_capacity_teu": 0.4,
            "handling_cost_eur_per_teu": 0.3,
            "rail_handling_track_length_m": 0.2,
            "distance_to_motorway_km": 0.1,
        }
    )
    assert doc["missing_treatment"]["policy"] == "worst"
    assert doc["missing_treatment"]["filled_cells"] == [["hub-c", "rail_handling_track_length_m"]]
    st = doc["stability"]
    assert st["n_samples"] == 50 and st["seed"] == 3
    for row in st["rank_acceptability"].values():
        assert sum(row) == pytest.approx(1.0)
    assert sum(st["first_rank_probability"].values()) == pytest.approx(1.0)
    assert len(st["rank_reversal"]) == 4


def test_ahp_and_exclude_criterion(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ahp = tmp_path / "ahp.toml"
    ahp.write_text(
        'criteria = ["annual_capacity_teu", "handling_cost_eur_per_teu",'
        ' "rail_handling_track_length_m", "distance_to_motorway_km"]\n'
        'matrix = [[1, 2, 3, 5], ["1/2", 1, 2, 3], ["1/3", "1/2", 1, 2], ["1/5", "1/3", "1/2", 1]]\n',
        encoding="utf-8",
    )
    code, out, err = run(
        ["rank", str(example), "--method", "topsis", "--ahp", str(ahp), "--types", TYPES,
         "--missing", "exclude_criterion", "--samples", "20", "--json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["weights_method"] == "ahp" and doc["ahp"]["consistent"]
    assert "rail_handling_track_length_m" not in doc["weights"]
    assert sum(doc["weights"].values()) == pytest.approx(1.0)
    assert doc["missing_treatment"]["dropped_criteria"] == ["rail_handling_track_length_m"]


def test_entropy_rich_output(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["rank", str(example), "--method", "promethee2", "--entropy", "--types", TYPES,
         "--missing", "exclude_alternative", "--preference", "v_shape", "--p", "100000,10,100,2",
         "--samples", "30"],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert "Ranking by promethee2" in out and "Rank acceptability" in out
    assert "hub-c" not in out.split("Missing data")[0]  # excluded before ranking
    assert "excluded 1 alternative" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weights", "1,1,1", "--types", TYPES], "--weights: 3 value(s) for 4 criteria"),
        (["--weights", "1,1,1,1", "--types", "benefit,cost"], "2 type(s) given for 4 criteria"),
        (["--weights", "1,1,1,1", "--types", TYPES], "1 missing value(s) (hub-c/"),
        (["--types", TYPES, "--missing", "worst"], "give exactly one of --weights"),
        (["--weights", "1,1,1,1", "--entropy", "--types", TYPES], "(got --weights, --entropy)"),
        (["--weights", "1,1,1,1", "--types", TYPES, "--missing", "worst", "--method", "electre"],
         "unknown MCDA method 'electre'; valid: promethee2, topsis, vikor, wsm"),
        (["--weights", "1,1,1,1", "--types", TYPES, "--missing", "zero"],
         "unknown missing-data policy 'zero'"),
        (["--weights", "1,1,1,1", "--types", TYPES, "--missing", "worst", "--v", "0.3"],
         "--v does not apply to --method wsm"),
        (["--weights", "1,x,1,1", "--types", TYPES], "--weights = 'x': must be a number"),
    ],
)  # fmt: skip
def test_errors_are_one_line_exit_2(
    example: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["rank", str(example), *extra], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert message in err


def test_inconsistent_ahp_refused_then_forced(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ahp = tmp_path / "bad.toml"
    ahp.write_text(
        'criteria = ["annual_capacity_teu", "handling_cost_eur_per_teu",'
        ' "rail_handling_track_length_m", "distance_to_motorway_km"]\n'
        'matrix = [[1, 9, "1/9", 9], ["1/9", 1, 9, "1/9"], [9, "1/9", 1, 9], ["1/9", 9, "1/9", 1]]\n',
        encoding="utf-8",
    )
    args = ["rank", str(example), "--ahp", str(ahp), "--types", TYPES, "--missing", "worst",
            "--samples", "10"]  # fmt: skip
    code, _, err = run(args, capsys)
    assert code == 2 and "bad.toml: consistency ratio CR =" in err
    code, out, _ = run([*args, "--force", "--json"], capsys)
    assert code == 0 and json.loads(out)["ahp"]["forced"] is True


def test_installed_entry_point(example: Path, repo_root: Path) -> None:
    exe = Path(sys.executable).with_name("freighthub")
    proc = subprocess.run(
        [str(exe), "rank", str(example), "--weights", "1,1,1,1", "--types", TYPES,
         "--missing", "worst", "--samples", "10", "--json"],
        capture_output=True, text=True, check=False, cwd=repo_root,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["alternatives"][0]["rank"] == 1


def test_param_reads_per_criterion_lists_like_the_named_options(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --param NAME=VALUE types its value from the method's signature: PROMETHEE II's
    # per-criterion lists (with - for none) give the same ranking as --preference/--p/--q.
    common = ["rank", str(example), "--method", "promethee2", "--weights", "4,3,2,1",
              "--types", TYPES, "--missing", "worst", "--samples", "20", "--json"]  # fmt: skip
    named = ["--preference", "usual,linear,linear,v_shape", "--p", "-,50,200,10", "--q", "-,5,0,-"]
    generic = ["--param", "preference=usual,linear,linear,v_shape", "--param", "p=-,50,200,10",
               "--param", "q=-,5,0,-"]  # fmt: skip
    code, out, err = run([*common, *named], capsys)
    assert code == 0, err
    by_option = json.loads(out)
    code, out, err = run([*common, *generic], capsys)
    assert code == 0, err
    by_param = json.loads(out)
    assert by_param["parameters"] == by_option["parameters"]
    assert by_param["parameters"]["p"] == [None, 50.0, 200.0, 10.0]
    assert by_param["alternatives"] == by_option["alternatives"]
    code, _, err = run([*common, "--param", "p=1,x,2,3"], capsys)
    assert code == 2
    assert err.strip() == (
        "error: --param p = '1,x,2,3': must be a number, - for none or a comma-separated "
        "list of them (one per criterion)"
    )
