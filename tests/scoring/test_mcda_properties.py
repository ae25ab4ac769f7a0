"""Property tests of the MCDA methods (hypothesis).

Dominance: if alternative k is at least as good as d on every criterion and
strictly better on one, and every weight is > 0, then d ranks strictly below k,
and so never first: for every registered method with its default parameters (a
common check, run over ``METHODS``), and also for the weighted sum with ``max``
normalisation, PROMETHEE II with the V-shape preference function and VIKOR with
v = 1. Exceptions (by theory, tested
below as "never strictly ahead"): PROMETHEE II with an indifference threshold q
(a difference below q counts as no preference, so k and d can tie) and VIKOR with
v = 0 (only the maximum regret R counts, which may be equal).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.scoring.mcda import METHODS, DecisionMatrix, rank, topsis

values = st.floats(min_value=1.0, max_value=100.0, allow_nan=False)


@st.composite
def dominated_case(draw: st.DrawFn) -> tuple[DecisionMatrix, list[float], str, str]:
    m = draw(st.integers(min_value=1, max_value=5))
    n = draw(st.integers(min_value=1, max_value=4))
    positive = st.floats(min_value=30.0, max_value=100.0)  # stays > 0 after worsening by <= 20
    x = np.array(draw(st.lists(st.lists(positive, min_size=n, max_size=n), min_size=m, max_size=m)))
    benefit = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    k = draw(st.integers(min_value=0, max_value=m - 1))
    deltas = np.array(draw(st.lists(st.floats(0.0, 20.0), min_size=n, max_size=n)))
    strict = draw(st.integers(min_value=0, max_value=n - 1))
    deltas[strict] = max(deltas[strict], 1.0)
    sign = np.where(benefit, -1.0, 1.0)  # worse = lower benefit, higher cost
    d_row = x[k] + sign * deltas
    matrix = DecisionMatrix(
        (*tuple(f"a{i}" for i in range(m)), "dominated"),
        tuple(f"c{j}" for j in range(n)),
        np.vstack([x, d_row]),
        tuple(benefit),
    )
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    return matrix, weights, f"a{k}", "dominated"


@pytest.mark.parametrize("method", sorted(METHODS))
@settings(max_examples=100, deadline=None)
@given(case=dominated_case())
def test_dominated_alternative_ranks_strictly_below(
    method: str, case: tuple[DecisionMatrix, list[float], str, str]
) -> None:
    """A common check: every registered method, with its default parameters."""
    matrix, weights, better, worse = case
    r = rank(matrix, weights, method)
    assert r.rank_of(worse) > r.rank_of(better), (method, r)
    assert r.rank_of(worse) > 1


@settings(max_examples=100, deadline=None)
@given(dominated_case())
def test_dominated_alternative_ranks_strictly_below_with_other_parameters(
    case: tuple[DecisionMatrix, list[float], str, str],
) -> None:
    matrix, weights, better, worse = case
    runs = [
        ("wsm", {"normalization": "max"}),
        ("promethee2", {"preference": "v_shape", "p": 10.0}),
        ("vikor", {"v": 1.0}),
    ]
    for method, params in runs:
        r = rank(matrix, weights, method, **params)
        assert r.rank_of(worse) > r.rank_of(better), (method, params, r)
        assert r.rank_of(worse) > 1


@settings(max_examples=100, deadline=None)
@given(dominated_case())
def test_dominated_alternative_never_strictly_ahead_in_the_exceptions(
    case: tuple[DecisionMatrix, list[float], str, str],
) -> None:
    matrix, weights, better, worse = case
    for method, params in [
        ("promethee2", {"preference": "linear", "p": 10.0, "q": 5.0}),
        ("vikor", {"v": 0.0}),
    ]:
        r = rank(matrix, weights, method, **params)
        assert r.rank_of(worse) >= r.rank_of(better), (method, params)


def test_linear_preference_exception_exists() -> None:
    """A difference below q: dominated and dominating alternative tie for first."""
    m = DecisionMatrix(("k", "d"), ("x",), np.array([[3.0], [2.0]]), (True,))
    r = rank(m, [1], "promethee2", preference="linear", p=5.0, q=2.0)
    assert r.rank_of("k") == r.rank_of("d") == 1


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda m: st.integers(min_value=1, max_value=4).flatmap(
            lambda n: st.tuples(
                st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m),
                st.lists(st.booleans(), min_size=n, max_size=n),
                st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n),
                st.integers(min_value=0, max_value=n - 1),
                st.floats(min_value=1e-3, max_value=1e3),
            )
        )
    )
)
def test_topsis_invariant_to_scaling_a_criterion(
    case: tuple[list[list[float]], list[bool], list[float], int, float],
) -> None:
    """Vector normalisation divides each column by its norm, so multiplying a
    criterion by c > 0 changes nothing (Hwang & Yoon 1981, sect. 4.3.5, step 1)."""
    rows, benefit, weights, j, c = case
    x = np.array(rows)
    names = tuple(f"a{i}" for i in range(len(rows)))
    crits = tuple(f"c{k}" for k in range(len(benefit)))
    scaled = x.copy()
    scaled[:, j] *= c
    before = DecisionMatrix(names, crits, x, tuple(benefit))
    after = DecisionMatrix(names, crits, scaled, tuple(benefit))
    np.testing.assert_allclose(
        topsis(before, weights), topsis(after, weights), rtol=1e-9, atol=1e-12
    )
    assert [a.rank for a in rank(before, weights, "topsis").alternatives] == [
        a.rank for a in rank(after, weights, "topsis").alternatives
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.0, 1e4), min_size=1, max_size=6),
    st.sampled_from(sorted(METHODS)),
)
def test_ranking_weights_sum_to_one(raw: list[float], method: str) -> None:
    if sum(raw) <= 0:
        return
    n = len(raw)
    m = DecisionMatrix(
        ("a", "b", "c"),
        tuple(f"c{j}" for j in range(n)),
        np.arange(3.0 * n).reshape(3, n) % 5,
        (True,) * n,
    )
    r = rank(m, raw, method)
    assert sum(r.weights) == pytest.approx(1.0, abs=1e-12)
