"""``freighthub standards`` and ``freighthub score`` through freighthub.cli.main."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from freighthub.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(["standards", "list", "--standards", str(REPO / "standards")], capsys)
    ids = {r["id"] for r in rows}
    assert {"eu-tent-2024-1679", "unece-agtc", "example-ministry-inland-port"} <= ids
    code, out, _ = run(["standards", "list"], capsys)
    assert code == 0 and "unece-agtc" in out


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(["standards", "show", "unece-agtc"], capsys)
    assert data["standard"]["id"] == "unece-agtc"
    speed = next(c for c in data["criteria"] if c["id"] == "agtc-line-speed")
    assert speed["threshold"] == 120 and speed["partial"]["threshold"] == 100
    assert speed["source"]["clause"].startswith("Annex III")
    code, out, _ = run(["standards", "show", "iso-668-2020"], capsys)
    assert code == 0 and "Reference values" in out
    code, out, _ = run(["standards", "show", "example-ministry-inland-port"], capsys)
    assert code == 0 and "assumptions" in out


def test_show_unknown_lists_valid_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["standards", "show", "eu-tent"], capsys)
    assert code == 2 and out == ""
    assert "unknown standard 'eu-tent'; valid:" in err and "eu-tent-2024-1679" in err


def test_validate_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["standards", "validate", str(REPO / "standards")], capsys)
    assert code == 0 and "valid" in out


def test_validate_collects_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = (REPO / "standards" / "unece-agtc.toml").read_text(encoding="utf-8")
    (tmp_path / "one.toml").write_text(good, encoding="utf-8")  # id != file name
    (tmp_path / "two.toml").write_text("[standard\n", encoding="utf-8")
    code, _out, err = run(["standards", "validate", str(tmp_path)], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("one.toml: standard.id = 'unece-agtc': must equal the file name" in x for x in lines)
    assert any("two.toml: TOML syntax error" in x for x in lines)
    data = run([*["standards", "validate", str(tmp_path)], "--json"], capsys)
    assert data[0] == 2 and json.loads(data[1])["valid"] is False


def test_score_json_on_shipped_hubs(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        [
            "score",
            "--standard",
            "example-ministry-inland-port",
            "--hubs",
            str(REPO / "hubs"),
            "--method",
            "topsis",
            "--missing",
            "worst",
            "--samples",
            "50",
            "--seed",
            "3",
        ],
        capsys,
    )
    assert data["standard"]["id"] == "example-ministry-inland-port"
    hubs = sorted(p.stem for p in (REPO / "hubs").glob("*.toml"))
    assert sorted(data["compliance"]) == hubs
    for entry in data["compliance"].values():
        assert sum(entry["counts"].values()) == len(data["criteria"])
    assert data["ranking"] is not None
    ranked = data["ranking"]["alternatives"]
    assert {x["id"] for x in ranked} <= set(hubs)
    assert min(x["rank"] for x in ranked) == 1
    assert sum(data["stability"]["first_rank_probability"].values()) == pytest.approx(1.0)


def test_score_without_policy_still_shows_compliance(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(["score", "--standard", "eu-tent-2024-1679", "--samples", "0"], capsys)
    assert data["compliance"]
    if data["ranking"] is None:
        assert "choose missing" in data["ranking_note"]


def test_score_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = tmp_path / "w.toml"
    weights.write_text(
        "[weights]\nagtc-line-speed = 2\nagtc-axle-load = 1\nagtc-train-length = 1\n"
        "agtc-truck-waiting-time = 1\n",
        encoding="utf-8",
    )
    code, out, err = run(
        [
            "score",
            "--standard",
            "unece-agtc",
            "--weights",
            str(weights),
            "--missing",
            "worst",
            "--samples",
            "20",
            "--method",
            "vikor",
        ],
        capsys,
    )
    assert code == 0, err
    assert "Compliance" in out and "weights: given" in out and "Ranking (vikor" in out


def test_score_bad_weights_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = tmp_path / "w.toml"
    weights.write_text("[weights]\nagtc-line-speed = 1\n", encoding="utf-8")
    code, _, err = run(["score", "--standard", "unece-agtc", "--weights", str(weights)], capsys)
    assert code == 2 and "no weight for criteria agtc-axle-load" in err


def test_score_unknown_method(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["score", "--standard", "unece-agtc", "--method", "electre"], capsys)
    assert code == 2 and "unknown MCDA method 'electre'" in err


def test_weights_file_missing_a_criterion_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = tmp_path / "w.toml"
    weights.write_text("[weights]\nagtc-line-speed = 2\n", encoding="utf-8")
    code, _out, err = run(["score", "--standard", "unece-agtc", "--weights", str(weights)], capsys)
    assert code == 2
    assert re.fullmatch(
        r"error: .*w\.toml: weights: no weight for criteria .*agtc-axle-load.* of unece-agtc;"
        r" give a weight \(0 to ignore\) for every criterion\n",
        err,
    )
