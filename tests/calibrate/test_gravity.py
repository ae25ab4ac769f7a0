"""Furness / doubly constrained gravity fit: a published worked example, analytic cases,
invariants and every error."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.calibrate.gravity import deterrence, furness, gravity_seed

# NPTEL, "Introduction to Transportation Engineering" (T. V. Mathew and K. V. Krishna
# Rao, IIT Bombay), Module 2 Transportation planning, Lecture 8 Trip distribution,
# worked example "doubly constrained growth factor model using Furness method"
# (https://archive.nptel.ac.in/content/storage2/courses/105101087/08-Ltexhtml/p8/p.html
# and p9/p.html). Base-year matrix, horizon-year productions and attractions:
BASE = [[20, 30, 28], [36, 32, 24], [22, 34, 26]]
PRODUCTIONS = [98, 106, 122]
ATTRACTIONS = [102, 118, 106]
# Its matrix after the first iteration (rows balanced with a_i, then columns with b_j):
FIRST_ITERATION = [[25.96, 35.53, 36.69], [42.64, 34.59, 28.70], [33.76, 47.62, 40.29]]


def test_nptel_first_furness_iteration() -> None:
    """One iteration reproduces the NPTEL table.

    The lecture rounds every balancing factor to two decimals (a_1 = 98/78 = 1.26,
    b_2 = 118/125.26 = 0.94 ...). Rounding to 0.005 moves a factor near 1 by at most
    0.005 / 0.94 = 0.53 %, and a cell carries two factors, so each published cell is
    within 1.1 % of the exact iterate; the test allows 1.1 %.
    """
    result = furness(BASE, PRODUCTIONS, ATTRACTIONS, max_iterations=1)
    assert result.iterations == 1
    assert not result.converged  # one sweep leaves row residuals, as in the lecture
    np.testing.assert_allclose(result.matrix, FIRST_ITERATION, rtol=0.011)
    # columns are met exactly after the column step; the rows are not yet
    np.testing.assert_allclose(result.matrix.sum(axis=0), ATTRACTIONS, rtol=1e-12)
    # the lecture's error sum |O_i - O_i'| + |D_j - d_j| is 1.32 with rounded factors;
    # exact factors give a smaller one of the same order
    error = np.abs(result.row_residuals).sum() + np.abs(result.column_residuals).sum()
    assert 0.1 < error < 1.32


def test_nptel_example_converges_to_the_totals() -> None:
    result = furness(BASE, PRODUCTIONS, ATTRACTIONS, tolerance_rel=1e-10)
    assert result.converged and result.iterations < 20
    np.testing.assert_allclose(result.matrix.sum(axis=1), PRODUCTIONS, rtol=1e-9)
    np.testing.assert_allclose(result.matrix.sum(axis=0), ATTRACTIONS, rtol=1e-9)
    assert result.max_rel_residual <= 1e-10
    # the fit is a_i b_j t_ij
    np.testing.assert_allclose(
        result.matrix, np.outer(result.row_factors, result.column_factors) * BASE, rtol=1e-12
    )


def test_a_uniform_seed_gives_the_independence_matrix() -> None:
    """With t_ij = 1 the doubly constrained solution is O_i D_j / T (analytic)."""
    rows, cols = np.array([30.0, 70.0]), np.array([20.0, 50.0, 30.0])
    result = furness(np.ones((2, 3)), rows, cols)
    np.testing.assert_allclose(result.matrix, np.outer(rows, cols) / 100.0, rtol=1e-12)
    assert result.iterations == 1


@given(
    seed=st.lists(st.floats(0.1, 10.0), min_size=9, max_size=9),
    rows=st.lists(st.floats(1.0, 100.0), min_size=3, max_size=3),
    col_shares=st.lists(st.floats(0.1, 1.0), min_size=3, max_size=3),
)
def test_fit_meets_totals_and_keeps_the_seeds_cross_ratios(
    seed: list[float], rows: list[float], col_shares: list[float]
) -> None:
    """IPF only scales rows and columns, so every cross-product ratio
    T_11 T_22 / (T_12 T_21) of the seed is kept (Bacharach 1965)."""
    t = np.array(seed).reshape(3, 3)
    total = sum(rows)
    cols = np.array(col_shares) / sum(col_shares) * total
    r = furness(t, rows, cols, tolerance_rel=1e-9, max_iterations=10_000)
    assert r.converged
    np.testing.assert_allclose(r.matrix.sum(axis=1), rows, rtol=1e-8)
    np.testing.assert_allclose(r.matrix.sum(axis=0), cols, rtol=1e-8)
    m = r.matrix
    for i, j in ((0, 1), (1, 2), (0, 2)):
        fitted = m[i, i] * m[j, j] / (m[i, j] * m[j, i])
        seeded = t[i, i] * t[j, j] / (t[i, j] * t[j, i])
        assert fitted == pytest.approx(seeded, rel=1e-9)


def test_same_inputs_same_matrix_bit_for_bit() -> None:
    a = furness(BASE, PRODUCTIONS, ATTRACTIONS)
    b = furness(BASE, PRODUCTIONS, ATTRACTIONS)
    assert a.matrix.tobytes() == b.matrix.tobytes() and a.iterations == b.iterations


def test_unreachable_totals_do_not_converge_and_say_by_how_much() -> None:
    """A diagonal seed can only carry O_i = D_i; with O = (1, 2), D = (2, 1) IPF
    oscillates for ever."""
    r = furness([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [2.0, 1.0], max_iterations=50)
    assert not r.converged and r.iterations == 50
    assert r.max_abs_residual == pytest.approx(1.0)
    assert r.max_rel_residual == pytest.approx(1.0)


def test_gravity_seed_deterrence_functions() -> None:
    d = np.array([[1.0, 2.0], [4.0, 0.5]])
    np.testing.assert_allclose(gravity_seed(d, "power", 2.0), 1.0 / d**2)
    np.testing.assert_allclose(gravity_seed(d, "exponential", 0.5), np.exp(-0.5 * d))
    assert deterrence([0.0], "exponential", 1.0)[0] == 1.0


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([[1.0]], "cubic", 1.0), "function = 'cubic': must be one of exponential, power"),
        (([[1.0]], "power", -1.0), r"parameter = -1\.0: must be finite and >= 0"),
        (([[-1.0]], "power", 1.0), "distances must be finite and >= 0"),
        (([[0.0]], "power", 1.0), r"the power deterrence d \*\* -gamma needs every distance > 0"),
        (([1.0, 2.0], "power", 1.0), "distance_km must be a matrix, got 1 dimension"),
    ],
)
def test_gravity_seed_errors(args: tuple[object, str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        gravity_seed(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seed", "rows", "cols", "kwargs", "match"),
    [
        ([1.0, 2.0], [1.0], [1.0], {}, "seed must be a matrix, got 1 dimension"),
        ([[1.0]], [1.0, 2.0], [1.0], {}, "row_totals has 2 values, the seed has 1 rows"),
        ([[1.0]], [1.0], [1.0, 2.0], {}, "column_totals has 2 values, the seed has 1 columns"),
        ([[-1.0]], [1.0], [1.0], {}, "seed must be finite and >= 0"),
        ([[1.0]], [float("nan")], [1.0], {}, "row_totals must be finite and >= 0"),
        ([[1.0]], [1.0], [2.0], {}, "row totals sum to 1 but column totals to 2"),
        ([[0.0, 1.0]], [1.0], [0.5, 0.5], {}, "column 0 has a target of 0.5 but no non-zero"),
        ([[1.0]], [1.0], [1.0], {"tolerance_rel": 0.0}, "tolerance_rel = 0.0: must be > 0"),
        ([[1.0]], [1.0], [1.0], {"max_iterations": 0}, "max_iterations = 0: must be >= 1"),
    ],
)
def test_furness_errors(
    seed: object, rows: object, cols: object, kwargs: dict[str, float], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        furness(seed, rows, cols, **kwargs)  # type: ignore[arg-type]
