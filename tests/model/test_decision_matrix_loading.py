"""Loading a user's decision matrix (CSV) and AHP pairwise matrix (TOML)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freighthub.errors import DataFileError
from freighthub.model.decision_matrix import (
    ahp_weights_from_file,
    load_decision_matrix,
    load_pairwise,
)
from freighthub.scoring.weights import InconsistentJudgementsError

GOOD = "id,capacity_teu,cost_eur\nwuhan,100,5\nnanjing,,7\n"


def write(tmp_path: Path, text: str, name: str = "m.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_load_good_matrix(tmp_path: Path) -> None:
    m = load_decision_matrix(write(tmp_path, GOOD), ["benefit", "Cost"])
    assert m.alternatives == ("wuhan", "nanjing")
    assert m.criteria == ("capacity_teu", "cost_eur")
    assert m.benefit == (True, False)
    assert np.isnan(m.values[1, 0]) and m.values[1, 1] == 7.0


def test_id_column_anywhere_and_blank_lines(tmp_path: Path) -> None:
    m = load_decision_matrix(write(tmp_path, "x,id\n1,a\n\n2,b\n"), ["cost"])
    assert m.alternatives == ("a", "b") and m.criteria == ("x",)


def test_shipped_example(repo_root: Path) -> None:
    m = load_decision_matrix(
        repo_root / "docs/examples/rank-example.csv", ["benefit", "cost", "benefit", "cost"]
    )
    assert m.shape == (4, 4) and m.has_missing


@pytest.mark.parametrize(
    ("text", "types", "match"),
    [
        ("", ["benefit"], "m.csv: file is empty"),
        ("name,x\na,1\n", ["benefit"], "header has no 'id' column"),
        ("id\na\n", [], "no criteria columns besides 'id'"),
        ("id,x\n", ["benefit"], "no alternatives"),
        ("id,x,x\na,1,2\n", ["benefit", "benefit"], "line 1 = 'x': duplicate column"),
        ("id,x\na,1\na,2\n", ["benefit"], r"line 3, column 'id' = 'a': duplicate id"),
        ("id,x\n,1\n", ["benefit"], r"line 2, column 'id' = '': id must not be empty"),
        (
            "id,x\na,1\nb,high\n",
            ["benefit"],
            r"line 3 \(b\), column 'x' = 'high': must be a finite",
        ),
        ("id,x\na,inf\n", ["benefit"], r"column 'x' = 'inf': must be a finite number"),
        ("id,x\na,1,2,3\n", ["benefit"], "line 2 = 'a,1,2,3': row has 4 cells, the header has 2"),
        ("id,x,y\na,1\n", ["benefit"] * 2, "line 2 = 'a,1': row has 2 cells, the header has 3"),
        ("id,x,y\na,1,2\ngarbage\n", ["benefit"] * 2, "line 3 = 'garbage': row has 1 cells"),
        ('id,x,y\na,1,2\nb,"3\n', ["benefit"] * 2, r"line 3 = 'b,3\\n': row has 2 cells"),
        ("id,x\na,1\n", ["benefit", "cost"], r"2 type\(s\) given for 1 criteria"),
        ("id,x\na,1\n", ["gain"], "type of 'x' = 'gain': must be benefit or cost"),
    ],
)
def test_csv_errors(tmp_path: Path, text: str, types: list[str], match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        load_decision_matrix(write(tmp_path, text), types)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file does not exist"):
        load_decision_matrix(tmp_path / "nope.csv", [])
    with pytest.raises(DataFileError, match="is a folder"):
        load_decision_matrix(tmp_path, [])


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_bytes(b"id,x\n\xff\xfe,1\n")
    with pytest.raises(DataFileError, match="not UTF-8"):
        load_decision_matrix(p, ["benefit"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_arbitrary_csv_only_raises_data_file_error(tmp_path: Path, text: str) -> None:
    p = tmp_path / "fuzz.csv"
    p.write_text(text, encoding="utf-8")
    with contextlib.suppress(DataFileError):
        load_decision_matrix(p, ["benefit"])


# ----------------------------------------------------------------------------- AHP

PAIRWISE = """\
criteria = ["capacity_teu", "cost_eur", "rail"]
matrix = [
  [1,     3,     5],
  ["1/3", 1,     2],
  ["1/5", "1/2", 1],
]
"""


def test_pairwise_with_fractions(tmp_path: Path) -> None:
    pw = load_pairwise(write(tmp_path, PAIRWISE, "ahp.toml"))
    assert pw.matrix[1][0] == pytest.approx(1 / 3)
    names, result = ahp_weights_from_file(tmp_path / "ahp.toml")
    assert names == ("capacity_teu", "cost_eur", "rail")
    assert result.consistent and sum(result.weights) == pytest.approx(1.0)
    assert result.weights[0] > result.weights[1] > result.weights[2]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('criteria = ["a", "b"]\nmatrix = [[1, 2]]\n', "matrix must be 2 x 2"),
        ('criteria = ["a", "a"]\nmatrix = [[1, 1], [1, 1]]\n', "duplicate criterion 'a'"),
        ('criteria = ["a", "b"]\nmatrix = [[1, "x"], [1, 1]]\n', "fraction like '1/3'"),
        ('criteria = ["a", "b"]\nmatrix = [[1, "1/0"], [1, 1]]\n', "fraction like '1/3'"),
        ('criteria = ["a", "b"]\nmatrix = [[1, -2], [-0.5, 1]]\n', r"matrix\[0\]\[1\] = -2.0"),
        ('criteria = ["a", "b"]\nmatrix = [[1, true], [1, 1]]\n', "fraction like '1/3'"),
        ('criteria = ["a", "b"]\nmatrix = [1, 2]\n', "must be a list of rows"),
        ('criteria = ["a", "b"]\nmatrix = [[1, 2], [2, 1]]\n', "must be the reciprocal"),
        ('criteria = ["a"]\nmatrix = [[1]]\nweights = 1\n', "unknown field"),
    ],
)
def test_pairwise_errors(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        ahp_weights_from_file(write(tmp_path, text, "ahp.toml"))


def test_inconsistent_pairwise_names_the_file(tmp_path: Path) -> None:
    text = 'criteria = ["a", "b", "c"]\nmatrix = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]\n'
    p = write(tmp_path, text, "bad.toml")
    with pytest.raises(InconsistentJudgementsError, match=r"bad\.toml: consistency ratio CR = "):
        ahp_weights_from_file(p)
    _, forced = ahp_weights_from_file(p, force=True)
    assert forced.forced
