"""Rank acceptability under weight perturbation and the rank-reversal check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.errors import UnknownIdentifierError
from freighthub.scoring.mcda import METHODS, DecisionMatrix, DecisionMatrixError, rank
from freighthub.scoring.stability import rank_stability


def hubs() -> DecisionMatrix:
    return DecisionMatrix(
        ("a", "b", "c", "d"),
        ("capacity_teu", "cost_eur", "rail_tracks"),
        np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 3.0], [3.0, 3.0, 1.0], [2.5, 2.0, 2.0]]),
        (True, False, True),
    )


def test_same_seed_same_result_and_ranking_included() -> None:
    s1 = rank_stability(hubs(), [1, 1, 1], "topsis", n_samples=300, seed=7)
    s2 = rank_stability(hubs(), [1, 1, 1], "topsis", n_samples=300, seed=7)
    assert s1.rank_acceptability == s2.rank_acceptability
    assert s1.ranking == rank(hubs(), [1, 1, 1], "topsis")
    assert "concentration = 100" in s1.perturbation and "seed 7" in s1.perturbation


@pytest.mark.parametrize("method", sorted(METHODS))
def test_rows_and_columns_sum_to_one(method: str) -> None:
    s = rank_stability(hubs(), [1, 2, 1], method, n_samples=200, seed=1)
    b = np.array(s.rank_acceptability)
    np.testing.assert_allclose(b.sum(axis=1), 1.0)
    np.testing.assert_allclose(b.sum(axis=0), 1.0)
    np.testing.assert_allclose(s.first_rank_probability, b[:, 0])


def test_single_criterion_is_certain() -> None:
    """With one criterion every weight sample is (1,), so the ranks never change."""
    m = DecisionMatrix(("a", "b", "c"), ("x",), np.array([[1.0], [3.0], [2.0]]), (True,))
    s = rank_stability(m, [1], "wsm", n_samples=50, seed=0)
    np.testing.assert_array_equal(s.rank_acceptability, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert s.acceptability_of("b") == (1.0, 0.0, 0.0)


def test_ties_split_positions() -> None:
    m = DecisionMatrix(("a", "b"), ("x",), np.array([[1.0], [1.0]]), (True,))
    s = rank_stability(m, [1], "topsis", n_samples=10, seed=0)
    assert s.rank_acceptability == ((0.5, 0.5), (0.5, 0.5))


def test_high_concentration_keeps_ranks_and_low_spreads_them() -> None:
    certain = rank_stability(hubs(), [1, 1, 1], "wsm", 300, 3, concentration=1e7)
    best = certain.ranking.alternatives[0].id
    assert certain.first_rank_probability[certain.alternatives.index(best)] == 1.0
    loose = rank_stability(hubs(), [1, 1, 1], "wsm", 2000, 3, concentration=1.0)
    assert max(loose.first_rank_probability) < 1.0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.floats(1.0, 50.0), min_size=3, max_size=3), min_size=2, max_size=5),
    st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3),
    st.sampled_from(sorted(METHODS)),
    st.integers(0, 2**31),
)
def test_acceptability_is_a_doubly_stochastic_matrix(
    rows: list[list[float]], weights: list[float], method: str, seed: int
) -> None:
    m = DecisionMatrix(
        tuple(f"h{i}" for i in range(len(rows))),
        ("x", "y", "z"),
        np.array(rows),
        (True, False, True),
    )
    b = np.array(rank_stability(m, weights, method, n_samples=20, seed=seed).rank_acceptability)
    assert (b >= 0).all()
    np.testing.assert_allclose(b.sum(axis=1), 1.0)
    np.testing.assert_allclose(b.sum(axis=0), 1.0)


def test_rank_reversal_reported_and_recomputable() -> None:
    s = rank_stability(hubs(), [1, 1, 1], "vikor", n_samples=10, seed=0)
    before = {a.id: a.rank for a in s.ranking.alternatives}
    assert s.any_rank_reversal
    for entry in s.rank_reversal:
        rest = [a for a in hubs().alternatives if a != entry.removed]
        after = {
            a.id: a.rank
            for a in rank(hubs().subset(alternatives=rest), [1, 1, 1], "vikor").alternatives
        }
        for a, b in entry.changed_pairs:
            assert np.sign(before[a] - before[b]) != np.sign(after[a] - after[b])
            assert before[a] <= before[b]
        assert entry.order_changed == bool(entry.changed_pairs)


def test_rank_reversal_by_hand() -> None:
    """Weighted sum with min-max scaling, w = (0.6, 0.4), A = (10, 0), B = (9, 1),
    C = (0, 0.5): with C, A 0.60, B 0.94, C 0.20 (B ahead of A); without C the
    ranges shrink and A 0.60, B 0.40 (A ahead of B). Hand computation."""
    m = DecisionMatrix(
        ("A", "B", "C"), ("x", "y"), np.array([[10.0, 0.0], [9.0, 1.0], [0.0, 0.5]]), (True, True)
    )
    s = rank_stability(m, [0.6, 0.4], "wsm", n_samples=10, seed=0)
    scores = {a.id: a.score for a in s.ranking.alternatives}
    assert scores == pytest.approx({"A": 0.6, "B": 0.94, "C": 0.2})
    by_removed = {r.removed: r for r in s.rank_reversal}
    assert by_removed["C"].changed_pairs == (("B", "A"),)
    assert not by_removed["A"].order_changed and not by_removed["B"].order_changed


def test_removing_an_alternative_that_sets_no_maximum_changes_nothing() -> None:
    """Weighted sum with x / max normalisation and benefit criteria only: removing
    an alternative that holds no column maximum leaves every normalised value, and so
    the order of the others, unchanged."""
    m = DecisionMatrix(
        ("a", "b", "c"),
        ("x", "y"),
        np.array([[10.0, 1.0], [1.0, 10.0], [2.0, 2.0]]),
        (True, True),
    )
    s = rank_stability(m, [1, 1], "wsm", n_samples=10, seed=0, normalization="max")
    entry = next(r for r in s.rank_reversal if r.removed == "c")
    assert not entry.order_changed and entry.changed_pairs == ()


def test_missing_values_treated_once_and_reported() -> None:
    m = DecisionMatrix(
        ("a", "b", "c"), ("x", "y"), np.array([[1.0, np.nan], [2.0, 1.0], [3.0, 2.0]]), (True, True)
    )
    s = rank_stability(m, [1, 1], "topsis", 20, 0, missing="exclude_alternative")
    assert s.alternatives == ("b", "c")
    assert s.ranking.missing_treatment.dropped_alternatives == ("a",)
    with pytest.raises(DecisionMatrixError, match="missing value"):
        rank_stability(m, [1, 1], "topsis", 20, 0)


def test_entropy_weights_by_name() -> None:
    s = rank_stability(hubs(), "entropy", "topsis", 20, 0)
    assert sum(s.ranking.weights) == pytest.approx(1.0)
    with pytest.raises(UnknownIdentifierError, match="unknown weighting method 'critic'"):
        rank(hubs(), "critic", "topsis")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_samples": 0}, "n_samples = 0: must be a whole number >= 1"),
        ({"concentration": 0.0}, "concentration = 0.0: must be > 0"),
    ],
)
def test_parameter_errors(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(DecisionMatrixError, match=match):
        rank_stability(hubs(), [1, 1, 1], "wsm", **kwargs)  # type: ignore[arg-type]
