"""CLI ``freighthub demand fit``: the fitted file, its provenance, refusals, exit 3."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from freighthub.calibrate.gravity import furness
from freighthub.cli import main
from freighthub.model.files import sha256_of

# NPTEL, Introduction to Transportation Engineering, Lecture 8 Trip distribution,
# doubly constrained gravity model example (p11): productions 98, 106, 122, attractions
# 102, 118, 106, f(c) = 1 / c^2 and the cost matrix below (the costs are unitless in
# the lecture; here they stand for distances).
GRAVITY = """\
id = "nptel-gravity"
description = "NPTEL Lecture 8 doubly constrained gravity example"
tolerance_rel = 1e-9
distance_km = [[1.0, 1.2, 1.8], [1.2, 1.0, 1.5], [1.8, 1.5, 1.0]]

[deterrence]
function = "power"
parameter = { value = 2, source = "NPTEL Lecture 8, example: f(c) = 1/c^2", confidence = "verified" }

[[origins]]
id = "z1"
teu = 98
[[origins]]
id = "z2"
teu = 106
[[origins]]
id = "z3"
teu = 122

[[destinations]]
id = "z1"
teu = 102
[[destinations]]
id = "z2"
teu = 118
[[destinations]]
id = "z3"
teu = 106
"""

COST = np.array([[1.0, 1.2, 1.8], [1.2, 1.0, 1.5], [1.8, 1.5, 1.0]])


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _spec(tmp_path: Path, text: str = GRAVITY) -> Path:
    p = tmp_path / "spec.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_fit_writes_the_matrix_with_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _spec(tmp_path), tmp_path / "od.toml"
    code, text, _ = _run(["demand", "fit", str(spec), "--out", str(out)], capsys)
    assert code == 0 and "converged in" in text and "wrote" in text
    doc = tomllib.loads(out.read_text(encoding="utf-8"))
    assert doc["converged"] is True and doc["iterations"] >= 1
    assert doc["inputs_sha256"] == {str(spec): sha256_of(spec)}
    assert doc["tool_version"] and "gravity" in doc["method"]
    matrix = np.array([f["teu_per_year"] for f in doc["flows"]]).reshape(3, 3)
    np.testing.assert_allclose(matrix.sum(axis=1), [98, 106, 122], rtol=1e-9)
    np.testing.assert_allclose(matrix.sum(axis=0), [102, 118, 106], rtol=1e-9)
    # the doubly constrained gravity model: T_ij = a_i b_j c_ij^-2 with c from the spec
    expected = furness(COST**-2.0, [98, 106, 122], [102, 118, 106], tolerance_rel=1e-9)
    np.testing.assert_allclose(matrix, expected.matrix, rtol=1e-12)
    assert [(f["from"], f["to"]) for f in doc["flows"]][:2] == [("z1", "z1"), ("z1", "z2")]
    assert max(abs(r["residual_teu"]) for r in doc["residuals"]) <= doc["max_abs_residual_teu"]


def test_refit_is_identical_and_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _spec(tmp_path), tmp_path / "od.toml"
    assert _run(["demand", "fit", str(spec), "--out", str(out)], capsys)[0] == 0
    first = out.read_bytes()
    code, _, err = _run(["demand", "fit", str(spec), "--out", str(out)], capsys)
    assert code == 2 and "already exists: pass --force" in err
    assert _run(["demand", "fit", str(spec), "--out", str(out), "--force"], capsys)[0] == 0
    assert out.read_bytes() == first


def test_json_reports_residuals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "od.toml"
    code, text, _ = _run(
        ["demand", "fit", str(_spec(tmp_path)), "--out", str(out), "--json"], capsys
    )
    assert code == 0
    data = json.loads(text)
    assert data["converged"] and data["out"] == str(out)
    assert len(data["residuals"]) == 6 and len(data["teu_per_year"]) == 3


def test_a_fit_that_does_not_converge_exits_3_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    diagonal = (
        'id = "stuck"\nmax_iterations = 40\nseed_teu = [[1.0, 0.0], [0.0, 1.0]]\n'
        '[[origins]]\nid = "a"\nteu = 1\n[[origins]]\nid = "b"\nteu = 2\n'
        '[[destinations]]\nid = "a"\nteu = 2\n[[destinations]]\nid = "b"\nteu = 1\n'
    )
    out = tmp_path / "od.toml"
    code, _, err = _run(
        ["demand", "fit", str(_spec(tmp_path, diagonal)), "--out", str(out)], capsys
    )
    assert code == 3
    assert "did not converge in max_iterations = 40: largest residual 1 TEU/year" in err
    assert "nothing written" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "spec.toml"]


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('id = "z3"\nteu = 106', 'id = "z3"\nteu = 107', r"destinations: origins sum to 326"),
        ("[1.8, 1.5, 1.0]]", "[1.8, 1.5]]", r"distance_km\[2\]: has 2 values: must have one per"),
        (
            "[1.0, 1.2, 1.8], [1.2",
            "[0.0, 1.2, 1.8], [1.2",
            r"distance_km\[0\]\[0\] = 0\.0: must be",
        ),
        ('id = "z3"\nteu = 122', 'id = "z2"\nteu = 122', r"origins\[2\]\.id = 'z2': duplicate id"),
        ('function = "power"', 'function = "cubic"', r"deterrence\.function = 'cubic': must be"),
        (
            "[deterrence]",
            "[deterence]",
            r"deterence = .*: unknown field; did you mean 'deterrence'",
        ),
        ("distance_km =", "seed_teu =", r"deterrence: is used only with distance_km"),
    ],
)
def test_bad_spec_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, match: str
) -> None:
    assert old in GRAVITY
    out = tmp_path / "od.toml"
    code, _, err = _run(
        ["demand", "fit", str(_spec(tmp_path, GRAVITY.replace(old, new, 1))), "--out", str(out)],
        capsys,
    )
    assert code == 2 and not out.exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "spec.toml: " in lines[0]
    assert re.search(match, lines[0]), lines[0]
