"""Hand-computed cases and error paths of freighthub.scoring.mcda."""

from __future__ import annotations

import numpy as np
import pytest

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.scoring.mcda import (
    DecisionMatrix,
    DecisionMatrixError,
    promethee_ii,
    rank,
    rank_scores,
    topsis,
    treat_missing,
    vikor_indices,
    weighted_sum,
)

NAN = float("nan")


def small() -> DecisionMatrix:
    # criteria: capacity (benefit), cost (cost)
    return DecisionMatrix(
        alternatives=("a", "b", "c"),
        criteria=("capacity_teu", "cost_eur"),
        values=np.array([[10.0, 5.0], [20.0, 10.0], [30.0, 20.0]]),
        benefit=(True, False),
    )


# ----------------------------------------------------------------- construction


def test_matrix_is_frozen_and_read_only() -> None:
    m = small()
    with pytest.raises(AttributeError):
        m.criteria = ("x",)  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        m.values[0, 0] = 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alternatives": ()}, "alternatives: must not be empty"),
        ({"alternatives": ("a", "a", "c")}, r"alternatives\[1\] = 'a': duplicate"),
        ({"alternatives": ("a", "", "c")}, r"alternatives\[1\] = '': must be a non-empty"),
        ({"criteria": ("x", "x")}, r"criteria\[1\] = 'x': duplicate"),
        ({"values": np.zeros((2, 2))}, r"values: shape \(2, 2\) does not match 3"),
        ({"values": [["a", "b"]] * 3}, "values: must be an array of numbers"),
        ({"values": np.array([[1, np.inf], [1, 2], [3, 4]])}, r"values\['a', 'cost_eur'\]"),
        ({"benefit": (True,)}, "benefit: 1 flag"),
        ({"benefit": (True, "cost")}, r"benefit\[1\] = 'cost'"),
    ],
)
def test_matrix_validation_names_the_field(kwargs: dict[str, object], match: str) -> None:
    base = {
        "alternatives": ("a", "b", "c"),
        "criteria": ("capacity_teu", "cost_eur"),
        "values": np.array([[10.0, 5.0], [20.0, 10.0], [30.0, 20.0]]),
        "benefit": (True, False),
    }
    base.update(kwargs)
    with pytest.raises(DecisionMatrixError, match=match):
        DecisionMatrix(**base)  # type: ignore[arg-type]


def test_decision_matrix_error_is_a_value_error_and_a_freighthub_error() -> None:
    assert issubclass(DecisionMatrixError, ValueError)
    assert issubclass(DecisionMatrixError, FreighthubError)


def test_subset_keeps_order_and_rejects_unknown() -> None:
    m = small().subset(alternatives=["c", "a"], criteria=["cost_eur"])
    assert m.alternatives == ("a", "c")
    assert m.benefit == (False,)
    np.testing.assert_array_equal(m.values, [[5.0], [20.0]])
    with pytest.raises(UnknownIdentifierError, match="unknown alternative 'z'; valid: a, b, c"):
        small().subset(alternatives=["z"])


# ----------------------------------------------------------------- methods by hand


def test_weighted_sum_minmax_by_hand() -> None:
    # capacity: a 0, b 0.5, c 1 ; cost (min 5, max 20): a 1, b 10/15, c 0
    s = weighted_sum(small(), [1, 1])
    np.testing.assert_allclose(s, [0.5, (0.5 + 2 / 3) / 2, 0.5], rtol=1e-12)


def test_weighted_sum_max_normalisation_by_hand() -> None:
    # capacity x/30: 1/3, 2/3, 1 ; cost 5/x: 1, 0.5, 0.25
    s = weighted_sum(small(), [3, 1], normalization="max")
    np.testing.assert_allclose(
        s, [0.75 / 3 + 0.25, 0.75 * 2 / 3 + 0.125, 0.75 + 0.0625], rtol=1e-12
    )


def test_weighted_sum_max_needs_positive_values() -> None:
    m = DecisionMatrix(("a", "b"), ("x",), np.array([[0.0], [1.0]]), (True,))
    with pytest.raises(DecisionMatrixError, match="normalization = 'max': needs values > 0"):
        weighted_sum(m, [1], normalization="max")


def test_topsis_by_hand() -> None:
    # One benefit criterion: C = (x - min) / (max - min) after normalisation.
    m = DecisionMatrix(("a", "b", "c"), ("x",), np.array([[1.0], [2.0], [4.0]]), (True,))
    np.testing.assert_allclose(topsis(m, [1]), [0.0, 1 / 3, 1.0], atol=1e-12)


def test_topsis_identical_alternatives_tie_at_one_half() -> None:
    m = DecisionMatrix(("a", "b"), ("x", "y"), np.ones((2, 2)), (True, False))
    np.testing.assert_allclose(topsis(m, [1, 1]), [0.5, 0.5])
    r = rank(m, [1, 1], "topsis")
    assert [(x.id, x.rank) for x in r.alternatives] == [("a", 1), ("b", 1)]


def test_promethee_usual_by_hand() -> None:
    # capacity: c > b > a; cost: a < b < c. w = (0.5, 0.5)
    # pi(a,b)=0.5 (cost), pi(b,a)=0.5 (capacity) ... every pair splits -> all phi = 0
    np.testing.assert_allclose(promethee_ii(small(), [1, 1]), [0.0, 0.0, 0.0], atol=1e-12)
    # all weight on capacity: phi = (wins - losses) / (m - 1)
    np.testing.assert_allclose(promethee_ii(small(), [1, 0]), [-1.0, 0.0, 1.0])


def test_promethee_v_shape_and_linear_by_hand() -> None:
    m = DecisionMatrix(("a", "b"), ("x",), np.array([[0.0], [3.0]]), (True,))
    # v-shape p = 6: P(b,a) = 3/6 = 0.5 -> phi(b) = 0.5, phi(a) = -0.5
    np.testing.assert_allclose(promethee_ii(m, [1], preference="v_shape", p=6), [-0.5, 0.5])
    # linear q = 1, p = 5: P = (3 - 1) / (5 - 1) = 0.5
    np.testing.assert_allclose(promethee_ii(m, [1], preference="linear", p=5, q=1), [-0.5, 0.5])
    # difference within indifference threshold -> no preference
    np.testing.assert_allclose(promethee_ii(m, [1], preference="linear", p=9, q=3), [0.0, 0.0])


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"preference": "gaussian"}, UnknownIdentifierError, "unknown preference function"),
        ({"preference": "v_shape"}, DecisionMatrixError, r"p\['x'\] = None: the v_shape"),
        ({"preference": "v_shape", "p": 1, "q": 0}, DecisionMatrixError, "takes no indifference"),
        ({"preference": "linear", "p": 2}, DecisionMatrixError, r"q\['x'\] = None"),
        ({"preference": "linear", "p": 2, "q": 2}, DecisionMatrixError, "0 <= q < p"),
        ({"preference": "usual", "p": 2}, DecisionMatrixError, "takes no thresholds"),
        ({"preference": ["usual", "usual"]}, DecisionMatrixError, "preference: 2 value"),
    ],
)
def test_promethee_parameter_errors(
    params: dict[str, object], error: type[Exception], match: str
) -> None:
    m = DecisionMatrix(("a", "b"), ("x",), np.array([[0.0], [3.0]]), (True,))
    with pytest.raises(error, match=match):
        promethee_ii(m, [1], **params)  # type: ignore[arg-type]


def test_vikor_by_hand() -> None:
    # Terms w_j * (best - x) / (best - worst), w = 0.5 each:
    # a: capacity 0.5*1, cost 0      -> S 0.5, R 0.5
    # b: capacity 0.5*0.5, cost 0.5*(5/15) -> S 0.41667, R 0.25
    # c: capacity 0, cost 0.5        -> S 0.5, R 0.5
    s, r, q = vikor_indices(small(), [1, 1], v=0.5)
    np.testing.assert_allclose(s, [0.5, 0.25 + 1 / 6, 0.5])
    np.testing.assert_allclose(r, [0.5, 0.25, 0.5])
    np.testing.assert_allclose(q, [1.0, 0.0, 1.0])
    with pytest.raises(DecisionMatrixError, match=r"v = 1.5: must be a number in \[0, 1\]"):
        vikor_indices(small(), [1, 1], v=1.5)


# ----------------------------------------------------------------- ranking, ties


def test_rank_scores_competition_ties() -> None:
    assert rank_scores(np.array([0.3, 0.9, 0.3, 0.1])) == [2, 1, 2, 4]
    assert rank_scores(np.array([0.3, 0.9, 0.3, 0.1]), higher_is_better=False) == [2, 4, 2, 1]
    # floating-point noise is a tie
    assert rank_scores(np.array([0.1 + 0.2, 0.3])) == [1, 1]


def test_rank_lists_best_first_and_keeps_input_order_in_ties() -> None:
    r = rank(small(), [1, 1], "wsm")
    assert [(x.id, x.rank) for x in r.alternatives] == [("b", 1), ("a", 2), ("c", 2)]
    assert r.weights == (0.5, 0.5)
    assert r.rank_of("c") == 2
    assert r.weights_by_criterion == {"capacity_teu": 0.5, "cost_eur": 0.5}
    with pytest.raises(UnknownIdentifierError, match="unknown alternative 'z'"):
        r.rank_of("z")


def test_rank_vikor_lower_is_better() -> None:
    r = rank(small(), [1, 1], "vikor")
    assert not r.higher_is_better
    assert r.alternatives[0].id == "b"
    assert r.parameters == {"v": 0.5}


def test_rank_accepts_weights_by_criterion() -> None:
    r = rank(small(), {"cost_eur": 1.0, "capacity_teu": 3.0}, "topsis")
    assert r.weights == (0.75, 0.25)
    with pytest.raises(UnknownIdentifierError, match="unknown criterion in weights 'area'"):
        rank(small(), {"cost_eur": 1.0, "area": 3.0}, "topsis")
    with pytest.raises(DecisionMatrixError, match="weights: no weight for criterion 'cost_eur'"):
        rank(small(), {"capacity_teu": 3.0}, "topsis")


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0], "weights: 1 weight"),
        ([1.0, -1.0], r"weights\[1\] = -1.0: must be >= 0"),
        ([0.0, 0.0], "weights: all are 0"),
        ([1.0, float("nan")], r"weights\[1\] = nan: must be a finite number"),
    ],
)
def test_rank_weight_errors(weights: list[float], match: str) -> None:
    with pytest.raises(DecisionMatrixError, match=match):
        rank(small(), weights, "wsm")


def test_unknown_method_lists_valid_ones() -> None:
    with pytest.raises(
        UnknownIdentifierError,
        match="unknown MCDA method 'electre'; valid: promethee2, topsis, vikor, wsm",
    ):
        rank(small(), [1, 1], "electre")


def test_parameter_of_another_method_is_refused() -> None:
    with pytest.raises(UnknownIdentifierError, match="unknown parameter of method 'topsis' 'v'"):
        rank(small(), [1, 1], "topsis", v=0.3)


# ----------------------------------------------------------------- missing data


def gappy() -> DecisionMatrix:
    return DecisionMatrix(
        alternatives=("a", "b", "c"),
        criteria=("capacity_teu", "cost_eur", "area_ha"),
        values=np.array([[10.0, 5.0, 1.0], [20.0, NAN, 2.0], [30.0, 20.0, 3.0]]),
        benefit=(True, False, True),
    )


def test_missing_without_policy_is_an_error() -> None:
    with pytest.raises(DecisionMatrixError, match=r"1 missing value\(s\) \(b/cost_eur\)"):
        rank(gappy(), [1, 1, 1], "wsm")
    with pytest.raises(DecisionMatrixError, match="missing values"):
        topsis(gappy(), [1, 1, 1])


def test_unknown_missing_policy() -> None:
    with pytest.raises(UnknownIdentifierError, match="unknown missing-data policy 'zero'"):
        rank(gappy(), [1, 1, 1], "wsm", missing="zero")


def test_exclude_criterion_drops_and_renormalises() -> None:
    r = rank(gappy(), [1, 2, 1], "wsm", missing="exclude_criterion")
    assert r.criteria == ("capacity_teu", "area_ha")
    assert r.weights == (0.5, 0.5)
    assert r.missing_treatment.dropped_criteria == ("cost_eur",)
    assert "excluded 1 criterion" in r.missing_treatment.description
    assert [x.id for x in r.alternatives] == ["c", "b", "a"]


def test_exclude_criterion_with_only_zero_weights_left() -> None:
    with pytest.raises(DecisionMatrixError, match="weight 0"):
        rank(gappy(), [0, 1, 0], "wsm", missing="exclude_criterion")


def test_exclude_alternative_drops_the_row() -> None:
    r = rank(gappy(), [1, 1, 1], "topsis", missing="exclude_alternative")
    assert {x.id for x in r.alternatives} == {"a", "c"}
    assert r.missing_treatment.dropped_alternatives == ("b",)


def test_worst_fills_with_worst_observed_value() -> None:
    filled, how = treat_missing(gappy(), "worst")
    assert filled.values[1, 1] == 20.0  # cost criterion: worst is the maximum
    assert how.filled_cells == (("b", "cost_eur"),)
    benefit_gap = DecisionMatrix(("a", "b"), ("x",), np.array([[NAN], [4.0]]), (True,))
    assert treat_missing(benefit_gap, "worst")[0].values[0, 0] == 4.0


def test_policies_that_leave_nothing() -> None:
    all_gaps = DecisionMatrix(("a", "b"), ("x", "y"), np.array([[NAN, 1], [2, NAN]]), (True, True))
    with pytest.raises(DecisionMatrixError, match="every criterion has a missing value"):
        treat_missing(all_gaps, "exclude_criterion")
    with pytest.raises(DecisionMatrixError, match="every alternative has a missing value"):
        treat_missing(all_gaps, "exclude_alternative")
    empty_col = DecisionMatrix(("a", "b"), ("x", "y"), np.array([[NAN, 1], [NAN, 2]]), (True, True))
    with pytest.raises(DecisionMatrixError, match=r"values\[:, 'x'\]: no alternative has a value"):
        treat_missing(empty_col, "worst")


def test_no_missing_values_is_reported() -> None:
    r = rank(small(), [1, 1], "wsm", missing="worst")
    assert r.missing_treatment.description == "no missing values"


def test_promethee_per_criterion_parameters_follow_dropped_criteria() -> None:
    r = rank(
        gappy(),
        [1, 1, 1],
        "promethee2",
        missing="exclude_criterion",
        preference=["v_shape", "linear", "usual"],
        p=[20.0, 10.0, None],
        q=[None, 2.0, None],
    )
    assert r.parameters["preference"] == ["v_shape", "usual"]
    assert r.parameters["p"] == [20.0, None]
