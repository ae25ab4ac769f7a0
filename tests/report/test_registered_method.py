"""A method registered through the registry alone works in ``rank``, ``score`` and the report.

The fixture adds one row to :data:`freighthub.scoring.mcda.METHODS` and the
method's two labels to the report's translations (en and zh), exactly what a new
method needs, and takes them away afterwards. No other code knows the method: the
CLI options, the validation, the dispatch, the score name and direction, and the
report's labels all come from the row and the labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from freighthub.cli import main
from freighthub.report import write_report
from freighthub.report.i18n import LANGUAGES, translations
from freighthub.scoring.mcda import METHODS, DecisionMatrix, FloatArray, MethodSpec, rank
from freighthub.scoring.weights import criterion_weights

NO_PDF = "html,json"
TYPES = "benefit,cost,benefit,cost"
LABELS = {
    "en": ("Dummy oriented sum", "dummy total (higher is better)"),
    "zh": ("虚拟定向求和法", "虚拟总分（越大越好）"),
}


def oriented_sum(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
    *,
    v: float = 1.0,
    offset: float = 0.0,
) -> FloatArray:
    """A test method: weighted sum of raw values, costs negated, times ``v``, plus ``offset``.

    The factor is called ``v`` so that ``freighthub rank`` already has an option for
    it (``--v``, VIKOR's parameter): the test shows that the option applies to the
    methods whose row has the parameter, and to no other. ``offset`` has no option of
    its own: ``--param offset=VALUE`` sets it.
    """
    w = criterion_weights(matrix, weights)
    oriented = np.where(matrix.benefit, matrix.values, -matrix.values)
    return np.asarray(v * (oriented @ w) + offset, dtype=np.float64)


@pytest.fixture()
def dummy(monkeypatch: pytest.MonkeyPatch) -> str:
    """Register the method ``dummy`` (one row, two labels per language) for one test."""
    monkeypatch.setitem(
        METHODS, "dummy", MethodSpec(oriented_sum, score_name="dummy_total", higher_is_better=True)
    )
    for lang in LANGUAGES:
        text = translations(lang).text
        method_label, score_label = LABELS[lang]
        monkeypatch.setitem(text["method"], "dummy", method_label)
        monkeypatch.setitem(text["score_name"], "dummy_total", score_label)
    return "dummy"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_library(dummy: str) -> None:
    m = DecisionMatrix(("a", "b"), ("x", "y"), np.array([[2.0, 1.0], [1.0, 3.0]]), (True, False))
    r = rank(m, [1, 1], dummy, v=2.0)
    # a: (2 - 1) / 2 * 2 = 1.0; b: (1 - 3) / 2 * 2 = -2.0
    assert [(x.id, x.score, x.rank) for x in r.alternatives] == [("a", 1.0, 1), ("b", -2.0, 2)]
    assert (r.score_name, r.higher_is_better, r.parameters) == (
        "dummy_total",
        True,
        {"v": 2.0, "offset": 0.0},
    )


def test_rank_cli(dummy: str, repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = str(repo_root / "docs" / "examples" / "rank-example.csv")
    common = ["rank", example, "--method", dummy, "--weights", "4,3,2,1", "--types", TYPES,
              "--missing", "worst", "--samples", "20"]  # fmt: skip
    code, out, err = run([*common, "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["method"], doc["score_name"], doc["parameters"]) == (
        "dummy",
        "dummy_total",
        {"v": 1.0, "offset": 0.0},
    )
    assert sorted(a["id"] for a in doc["alternatives"]) == ["hub-a", "hub-b", "hub-c", "hub-d"]
    code, out, err = run(common, capsys)
    assert code == 0, err
    assert "Ranking by dummy (dummy_total" in out
    # The option table follows the row: --v applies to dummy, --p (PROMETHEE's) does not.
    code, out, err = run([*common, "--v", "2", "--json"], capsys)
    assert code == 0, err
    doubled = json.loads(out)
    assert doubled["parameters"] == {"v": 2.0, "offset": 0.0}
    assert [a["score"] for a in doubled["alternatives"]] == pytest.approx(
        [2 * a["score"] for a in doc["alternatives"]]
    )
    code, _, err = run([*common, "--p", "1"], capsys)
    assert code == 2
    assert "--p does not apply to --method dummy" in err


def test_rank_cli_param_without_an_option(
    dummy: str, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `offset` is a parameter of the row only: no code names it, --param sets it.
    example = str(repo_root / "docs" / "examples" / "rank-example.csv")
    common = ["rank", example, "--method", dummy, "--weights", "4,3,2,1", "--types", TYPES,
              "--missing", "worst", "--samples", "20", "--json"]  # fmt: skip
    code, out, err = run(common, capsys)
    assert code == 0, err
    plain = json.loads(out)
    code, out, err = run([*common, "--param", "offset=2.5", "--param", "v=3"], capsys)
    assert code == 0, err
    moved = json.loads(out)
    assert moved["parameters"] == {"v": 3.0, "offset": 2.5}
    # Closed form: every score is 3 * (weighted oriented sum) + 2.5; the order is kept.
    by_id = {a["id"]: a for a in plain["alternatives"]}
    for a in moved["alternatives"]:
        assert a["score"] == pytest.approx(3 * by_id[a["id"]]["score"] + 2.5)
        assert a["rank"] == by_id[a["id"]]["rank"]
    for bad, message in (
        ("offset=abc", "--param offset = 'abc': must be a number"),
        ("offset=inf", "--param offset = 'inf': must be a number"),
        ("scale=2", "unknown --param of --method dummy 'scale'; valid: offset, v"),
        ("offset", "--param 'offset': must be NAME=VALUE"),
    ):
        code, out, err = run([*common, "--param", bad], capsys)
        assert code == 2, bad
        assert out == ""
        assert err.strip().splitlines() == [f"error: {message}"]
    code, _, err = run([*common, "--param", "v=2", "--v", "2"], capsys)
    assert code == 2
    assert "--param v: given twice (also as --v)" in err


def test_score_cli(dummy: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["score", "--standard", "unece-agtc", "--missing", "worst", "--samples", "20",
         "--method", dummy, "--json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["method"] == "dummy"
    assert data["ranking"]["method"] == "dummy"
    assert data["ranking"]["score_name"] == "dummy_total"
    assert data["stability"] is not None
    code, out, err = run(
        ["score", "--standard", "unece-agtc", "--missing", "worst", "--samples", "0",
         "--method", dummy],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "Ranking (dummy, score = dummy_total)" in out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report(dummy: str, spec_file: Path, tmp_path: Path, lang: str) -> None:
    text = spec_file.read_text(encoding="utf-8")
    assert 'methods = ["topsis", "wsm"]' in text
    spec_file.write_text(text.replace('["topsis", "wsm"]', '["dummy", "topsis"]'), encoding="utf-8")
    out = tmp_path / f"report-{lang}"
    write_report(spec_file, out, lang=lang, formats=NO_PDF)
    method_label, score_label = LABELS[lang]
    doc = (out / "report.json").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    for page in (doc, html):
        assert method_label in page
        assert score_label in page
    ranking = next(s for s in json.loads(doc)["sections"] if s["id"] == "ranking")
    assert method_label in json.dumps(ranking, ensure_ascii=False)


def test_the_row_is_gone_after_the_test() -> None:
    # The fixture cleans up: no other test sees the dummy.
    assert "dummy" not in METHODS
    assert "dummy" not in translations("en").text["method"]
