"""``freighthub score``: --hubs subset, --ahp, the robust default, exit codes and messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_standards_cli import REPO, run, run_json

AGTC = ["agtc-line-speed", "agtc-axle-load", "agtc-train-length", "agtc-truck-waiting-time"]
SUBSET = "wuhan-yangluo,chongqing-guoyuan,duisburg-duisport"


def ahp_file(tmp_path: Path, matrix: str, criteria: list[str] = AGTC) -> Path:
    path = tmp_path / "pairwise.toml"
    names = ", ".join(f'"{c}"' for c in criteria)
    path.write_text(f"criteria = [{names}]\nmatrix = {matrix}\n", encoding="utf-8")
    return path


CONSISTENT = '[[1, 2, 4, 1], ["1/2", 1, 2, "1/2"], ["1/4", "1/2", 1, "1/4"], [1, 2, 4, 1]]'
INCONSISTENT = '[[1, 9, "1/9", 1], ["1/9", 1, 9, 1], [9, "1/9", 1, 1], [1, 1, 1, 1]]'


def test_hubs_subset_and_robust_default(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        [
            "score",
            "--standard",
            "example-ministry-inland-port",
            "--hubs",
            SUBSET,
            "--samples",
            "50",
        ],
        capsys,
    )
    assert list(data["compliance"]) == SUBSET.split(",")
    assert list(data["coverage"]) == SUBSET.split(",")
    assert data["missing"] == "sample"
    consensus = data["consensus"]
    assert consensus["samples_of"] == "weight and data"
    assert {r["id"] for r in consensus["ranking"]} <= set(SUBSET.split(","))
    assert sum(consensus["first_rank_probability"].values()) == pytest.approx(1.0)


def test_text_output_states_the_treatment_and_consensus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "score",
            "--standard",
            "example-ministry-inland-port",
            "--hubs",
            SUBSET,
            "--samples",
            "50",
        ],
        capsys,
    )
    assert code == 0, err
    flat = " ".join(out.split())
    assert "missing data: sample (default):" in flat
    assert "Data coverage per hub" in flat and "Consensus of the methods" in flat
    assert re.search(r"is consensus first in \d+ % of 50 weight and data samples", flat)


def test_hubs_folder_still_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        ["score", "--standard", "unece-agtc", "--hubs", str(REPO / "hubs"), "--samples", "0"],
        capsys,
    )
    assert len(data["compliance"]) == len(list((REPO / "hubs").glob("*.toml")))


def test_unknown_hub_in_hubs(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["score", "--standard", "unece-agtc", "--hubs", "wuhan-yangluo,nope"], capsys
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "unknown hub 'nope'" in err and "wuhan-yangluo" in err


def test_empty_hubs_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "--standard", "unece-agtc", "--hubs", ","], capsys)
    assert code == 2 and "--hubs" in err and "give hub ids separated by commas" in err


def test_ahp_weights_and_consistency_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ahp_file(tmp_path, CONSISTENT)
    data = run_json(
        ["score", "--standard", "unece-agtc", "--ahp", str(path), "--samples", "0"], capsys
    )
    assert data["weights_basis"] == "ahp"
    weights = {c["id"]: c["weight"] for c in data["criteria"]}
    # a consistent matrix: weights 4 : 2 : 1 : 4 (sum 11), CR 0
    assert weights["agtc-line-speed"] == pytest.approx(4 / 11)
    assert weights["agtc-train-length"] == pytest.approx(1 / 11)
    assert data["ahp"]["consistency_ratio"] == pytest.approx(0.0, abs=1e-9)
    code, out, _ = run(
        ["score", "--standard", "unece-agtc", "--ahp", str(path), "--samples", "0"], capsys
    )
    assert code == 0 and "AHP weights: lambda_max 4.0000" in out and "CR 0.000" in out


def test_inconsistent_ahp_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = ahp_file(tmp_path, INCONSISTENT)
    code, _, err = run(["score", "--standard", "unece-agtc", "--ahp", str(path)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert re.search(r"pairwise\.toml: consistency ratio CR = \d\.\d{3} > 0\.1", err)


def test_ahp_over_other_criteria_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ahp_file(tmp_path, '[[1, 2], ["1/2", 1]]', ["agtc-line-speed", "speed"])
    code, _, err = run(["score", "--standard", "unece-agtc", "--ahp", str(path)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "pairwise.toml: criteria" in err
    assert "not criteria of unece-agtc: speed" in err
    assert "no judgement for agtc-axle-load, agtc-train-length, agtc-truck-waiting-time" in err


def test_bad_ahp_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pairwise.toml"
    path.write_text("criteria = [\n", encoding="utf-8")
    code, _, err = run(["score", "--standard", "unece-agtc", "--ahp", str(path)], capsys)
    assert code == 2 and "pairwise.toml" in err and "Traceback" not in err


def test_weights_and_ahp_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ahp_file(tmp_path, CONSISTENT)
    weights = tmp_path / "w.toml"
    weights.write_text("[weights]\n" + "".join(f"{c} = 1\n" for c in AGTC), encoding="utf-8")
    code, _, err = run(
        ["score", "--standard", "unece-agtc", "--ahp", str(path), "--weights", str(weights)],
        capsys,
    )
    assert code == 2 and "give a weights file or an AHP file, not both" in err


def test_unknown_missing_treatment(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "--standard", "unece-agtc", "--missing", "zero"], capsys)
    assert code == 2 and "unknown missing-data policy 'zero'" in err and "sample" in err


def test_uncertainty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = REPO / "standards" / "methods" / "ranking-uncertainty.toml"
    strict = tmp_path / "strict.toml"
    strict.write_text(
        shipped.read_text(encoding="utf-8").replace("value = 1\n", "value = 3\n", 1),
        encoding="utf-8",
    )
    data = run_json(
        [
            "score",
            "--standard",
            "example-ministry-inland-port",
            "--uncertainty",
            str(strict),
            "--samples",
            "0",
        ],
        capsys,
    )
    dropped = data["consensus"]["dropped_criteria"]
    assert dropped and all("fewer than the minimum 3" in d["reason"] for d in dropped)
    bad = tmp_path / "bad.toml"
    bad.write_text("id = 1\n", encoding="utf-8")
    code, _, err = run(["score", "--standard", "unece-agtc", "--uncertainty", str(bad)], capsys)
    assert code == 2 and "bad.toml" in err and len(err.strip().splitlines()) == 1
