"""Direct, AHP and entropy weights."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.errors import FreighthubError
from freighthub.model.methods import load_ahp_reference
from freighthub.scoring.mcda import DecisionMatrix
from freighthub.scoring.weights import (
    InconsistentJudgementsError,
    WeightsError,
    ahp_weights,
    direct_weights,
    entropy_weights,
)

REF = load_ahp_reference()
RI = REF.random_index.values
CR_MAX = REF.max_consistency_ratio.value


def test_direct_weights_normalise() -> None:
    np.testing.assert_allclose(direct_weights([50, 30, 20]), [0.5, 0.3, 0.2])


@pytest.mark.parametrize(
    ("weights", "n", "match"),
    [
        ([1, 2], 3, "weights: 2 weight"),
        ([1, -2], None, r"weights\[1\] = -2.0: must be >= 0"),
        ([0, 0], None, "all are 0"),
        ([], None, "must not be empty"),
        ([1, float("inf")], None, "must be a finite number"),
        (["a"], None, "must be numbers"),
    ],
)
def test_direct_weight_errors(weights: list[object], n: int | None, match: str) -> None:
    with pytest.raises(WeightsError, match=match):
        direct_weights(weights, n)  # type: ignore[arg-type]


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=12))
def test_direct_weights_sum_to_one(raw: list[float]) -> None:
    if sum(raw) <= 0:
        with pytest.raises(WeightsError):
            direct_weights(raw)
        return
    w = direct_weights(raw)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert (w >= 0).all()


# ----------------------------------------------------------------------------- AHP


@given(st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=10))
def test_ahp_recovers_weights_of_a_consistent_matrix(raw: list[float]) -> None:
    """Analytic result: a_ij = w_i / w_j has principal eigenvector w and lambda_max = n
    (Saaty 1980), so CI = 0 and CR = 0 (or undefined for n <= 2)."""
    w = np.array(raw) / sum(raw)
    a = w[:, None] / w[None, :]
    result = ahp_weights(a, RI, max_consistency_ratio=CR_MAX)
    np.testing.assert_allclose(result.weights, w, rtol=1e-8, atol=1e-12)
    assert sum(result.weights) == pytest.approx(1.0)
    assert result.lambda_max == pytest.approx(len(w), abs=1e-8)
    assert result.consistent and not result.forced
    if len(w) > 2:
        assert result.consistency_ratio == pytest.approx(0.0, abs=1e-8)
    else:
        assert result.consistency_ratio is None


# Saaty, T.L. (1990). How to make a decision: The Analytic Hierarchy Process. EJOR 48,
# 9-26, Tables 2-3 (house-buying example). Matrices and published results as read in
# a public AHP tool's self-test that transcribes them (Table 2: lambda_max 9.669,
# CI 0.238, CR 0.169, priorities 0.173 ... 0.333; Table 3: "Transportation" and
# "Financing" 3x3 matrices). The paper prints three decimals, so the tolerance is
# 5e-4 on lambda_max, CI and CR (one unit in the last printed digit is 1e-3; half
# of it for rounding) and 1.5e-3 on priorities (rounded values of a vector that is
# renormalised to sum 1).
HOUSE = np.array(
    [
        [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
        [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
        [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
        [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
        [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
        [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
        [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
        [4, 7, 5, 8, 6, 6, 2, 1],
    ]
)


def test_ahp_saaty_1990_house_criteria_is_refused_as_inconsistent() -> None:
    """Saaty (1990) Table 2: CR = 0.169 > 0.1, so without force it is refused."""
    with pytest.raises(InconsistentJudgementsError, match=r"consistency ratio CR = 0\.169 > 0\.1"):
        ahp_weights(HOUSE, RI, max_consistency_ratio=CR_MAX)


def test_ahp_saaty_1990_house_criteria_forced() -> None:
    """Saaty (1990) Table 2: lambda_max 9.669, CI 0.238, CR 0.169 and the priority
    vector 0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333."""
    result = ahp_weights(HOUSE, RI, force=True, max_consistency_ratio=CR_MAX)
    assert result.forced and not result.consistent
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.consistency_index == pytest.approx(0.238, abs=5e-4)
    assert result.consistency_ratio == pytest.approx(0.169, abs=5e-4)
    np.testing.assert_allclose(
        result.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=1.5e-3
    )


def test_ahp_saaty_1990_table_3() -> None:
    """Saaty (1990) Table 3, houses A, B, C compared per criterion.

    "General condition" [[1, 1/2, 1/2], [2, 1, 1], [2, 1, 1]] is consistent:
    0.2, 0.4, 0.4 and CR 0. "Transportation" [[1, 7, 1/5], [1/7, 1, 1/8], [5, 8, 1]]:
    lambda_max 3.247, CR 0.213 (refused), house C 0.713. "Financing"
    [[1, 1/7, 1/5], [7, 1, 3], [5, 1/3, 1]]: 0.072, 0.650, 0.278, lambda_max 3.065,
    CI 0.032, CR 0.056 (accepted). For 3x3 matrices lambda_max also has the closed
    form 1 + k^(1/3) + k^(-1/3), k = a12 a23 / a13 (checked to 1e-9).
    """
    general = ahp_weights(
        [[1, 1 / 2, 1 / 2], [2, 1, 1], [2, 1, 1]], RI, max_consistency_ratio=CR_MAX
    )
    np.testing.assert_allclose(general.weights, [0.2, 0.4, 0.4], atol=1e-12)
    assert general.consistency_ratio == pytest.approx(0.0, abs=1e-12)

    transport = [[1, 7, 1 / 5], [1 / 7, 1, 1 / 8], [5, 8, 1]]
    with pytest.raises(InconsistentJudgementsError, match=r"CR = 0\.213"):
        ahp_weights(transport, RI, max_consistency_ratio=CR_MAX)
    forced = ahp_weights(transport, RI, force=True, max_consistency_ratio=CR_MAX)
    k = 7 * (1 / 8) / (1 / 5)
    assert forced.lambda_max == pytest.approx(1 + k ** (1 / 3) + k ** (-1 / 3), abs=1e-9)
    assert forced.lambda_max == pytest.approx(3.247, abs=5e-4)
    assert forced.consistency_ratio == pytest.approx(0.213, abs=5e-4)
    assert forced.weights[2] == pytest.approx(0.713, abs=1e-3)

    financing = ahp_weights(
        [[1, 1 / 7, 1 / 5], [7, 1, 3], [5, 1 / 3, 1]], RI, max_consistency_ratio=CR_MAX
    )
    np.testing.assert_allclose(financing.weights, [0.072, 0.650, 0.278], atol=1e-3)
    assert financing.lambda_max == pytest.approx(3.065, abs=5e-4)
    assert financing.consistency_index == pytest.approx(0.032, abs=5e-4)
    assert financing.consistency_ratio == pytest.approx(0.056, abs=5e-4)
    assert financing.consistent


def test_ahp_matches_independent_implementation() -> None:
    """Cross-check with AHPy (PhilipGriffith/AHPy, README): comparisons
    a/b = 1, a/c = 5, a/d = 2, b/c = 3, b/d = 4, c/d = 3/4 give the eigenvector
    weights a 0.3742, b 0.3917, c 0.0991, d 0.1349 (4 decimals). Tolerance 1e-4:
    AHPy rounds to 4 decimals. (AHPy's CR 0.0372 uses Donegan & Dodd's random
    index, not Saaty's, so it is not compared.)"""
    a = np.array(
        [
            [1, 1, 5, 2],
            [1, 1, 3, 4],
            [1 / 5, 1 / 3, 1, 3 / 4],
            [1 / 2, 1 / 4, 4 / 3, 1],
        ]
    )
    result = ahp_weights(a, RI, max_consistency_ratio=CR_MAX)
    np.testing.assert_allclose(result.weights, [0.3742, 0.3917, 0.0991, 0.1349], atol=1e-4)
    assert result.consistent


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1, 2], [2, 1]], r"pairwise\[1\]\[0\] = 2.0: must be the reciprocal"),
        ([[2, 2], [0.5, 1]], r"pairwise\[0\]\[0\] = 2.0: the diagonal must be 1"),
        ([[1, -2], [-0.5, 1]], r"pairwise\[0\]\[1\] = -2.0: must be a finite number > 0"),
        ([[1, 2, 3], [0.5, 1, 1]], r"shape \(2, 3\): must be a non-empty square"),
        ([["x"]], "must be a square matrix of numbers"),
    ],
)
def test_ahp_input_errors(matrix: list[list[object]], match: str) -> None:
    with pytest.raises(WeightsError, match=match):
        ahp_weights(matrix, RI, max_consistency_ratio=CR_MAX)  # type: ignore[arg-type]


def test_ahp_order_beyond_table() -> None:
    with pytest.raises(
        WeightsError, match=r"order n = 11: the random index table covers n = 1\.\.10"
    ):
        ahp_weights(np.ones((11, 11)), RI, max_consistency_ratio=CR_MAX)


def test_ahp_rounded_reciprocals_accepted() -> None:
    a = [[1, 3], [0.333, 1]]
    assert ahp_weights(a, RI, max_consistency_ratio=CR_MAX).weights[0] > 0.7


def test_inconsistent_error_is_a_freighthub_error() -> None:
    assert issubclass(InconsistentJudgementsError, FreighthubError)


# ----------------------------------------------------------------------------- entropy


def test_entropy_by_hand() -> None:
    # Column x constant -> E = 1, d = 0, weight 0; column y carries all information.
    m = DecisionMatrix(("a", "b"), ("x", "y"), np.array([[1.0, 1.0], [1.0, 3.0]]), (True, True))
    np.testing.assert_allclose(entropy_weights(m), [0.0, 1.0])
    # Two informative columns: y = (1, 3) -> p = (1/4, 3/4); z = (1, 0) -> p = (1, 0), E = 0
    m2 = DecisionMatrix(("a", "b"), ("y", "z"), np.array([[1.0, 1.0], [3.0, 0.0]]), (True, True))
    e_y = -(0.25 * np.log(0.25) + 0.75 * np.log(0.75)) / np.log(2)
    d = np.array([1 - e_y, 1.0])
    np.testing.assert_allclose(entropy_weights(m2), d / d.sum())


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([[1.0, np.nan], [2.0, 3.0]], "values are missing"),
        ([[1.0, -1.0], [2.0, 3.0]], "criterion 'y' has negative values"),
        ([[1.0, 0.0], [2.0, 0.0]], "criterion 'y' is all zero"),
        ([[1.0, 2.0], [1.0, 2.0]], "every criterion is constant"),
    ],
)
def test_entropy_errors(values: list[list[float]], match: str) -> None:
    m = DecisionMatrix(("a", "b"), ("x", "y"), np.array(values), (True, True))
    with pytest.raises(WeightsError, match=match):
        entropy_weights(m)


def test_entropy_needs_two_alternatives() -> None:
    m = DecisionMatrix(("a",), ("x",), np.array([[1.0]]), (True,))
    with pytest.raises(WeightsError, match="at least 2 alternatives"):
        entropy_weights(m)
