"""Kendall's tau-b, Borda and Copeland against hand-computed and published examples."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import kendalltau

from freighthub.scoring.consensus import (
    borda_scores,
    consensus,
    consensus_ranks,
    copeland_scores,
    kendall_tau_b,
)
from freighthub.scoring.matrix import DecisionMatrixError


def test_kendall_tau_b_published_example_with_ties() -> None:
    # The worked example of scipy.stats.kendalltau's documentation (tau-b with ties):
    # x = [12, 2, 1, 12, 2], y = [1, 4, 7, 1, 0] -> -0.47140452079103173.
    # By hand: 10 pairs, 2 tied in x, 1 tied in y, n_c - n_d = -4, -4 / sqrt(8 * 9).
    tau = kendall_tau_b([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])
    assert tau == pytest.approx(-0.47140452079103173, abs=1e-15)
    assert tau == pytest.approx(-4 / np.sqrt(72))


def test_kendall_tau_b_limits_and_undefined() -> None:
    assert kendall_tau_b([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert kendall_tau_b([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # one swap of four: 5 concordant, 1 discordant -> 4/6
    assert kendall_tau_b([1, 2, 3, 4], [2, 1, 3, 4]) == pytest.approx(4 / 6)
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) is None  # all tied: undefined
    with pytest.raises(DecisionMatrixError, match="tau needs the same alternatives"):
        kendall_tau_b([1, 2], [1, 2, 3])
    with pytest.raises(DecisionMatrixError, match="at least two alternatives"):
        kendall_tau_b([1], [1])


def test_kendall_tau_b_equals_scipy_on_every_ranking_of_four_with_ties() -> None:
    rankings = [r for r in itertools.product(range(1, 5), repeat=4) if 1 in r]
    reference = (1, 2, 2, 4)
    for r in rankings:
        ours = kendall_tau_b(reference, r)
        theirs = float(kendalltau(reference, r).statistic)
        if np.isnan(theirs):
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=1e-12)


# Three methods rank A, B, C, D (hand-computed below):
#   M1: A B C D    M2: B A C D    M3: A C B D
THREE = [(1, 2, 3, 4), (2, 1, 3, 4), (1, 3, 2, 4)]


def test_borda_by_hand() -> None:
    # points m - position (m = 4): M1 A3 B2 C1 D0; M2 B3 A2 C1 D0; M3 A3 C2 B1 D0
    assert borda_scores(THREE) == (8.0, 6.0, 4.0, 0.0)
    # a tie shares the mean of the positions' points: A and B tied first of 3 -> (2 + 1) / 2
    assert borda_scores([(1, 1, 3)]) == (1.5, 1.5, 0.0)


def test_copeland_by_hand() -> None:
    # A beats B (2:1), C (3:0), D (3:0); B beats C (2:1), D; C beats D
    assert copeland_scores(THREE) == (3, 1, -1, -3)
    assert consensus_ranks(THREE) == (1, 2, 3, 4)


def test_copeland_ties_broken_by_borda() -> None:
    # Four methods: A B C, A B C, B A C, B C A. A-B: 2:2 (tie); A beats C 3:1; B beats C 4:0.
    # Copeland: A +1, B +1, C -2. Borda: A 2+2+1+0 = 5, B 1+1+2+2 = 6, C 0+0+0+1 = 1.
    four = [(1, 2, 3), (1, 2, 3), (2, 1, 3), (3, 1, 2)]
    assert copeland_scores(four) == (1, 1, -2)
    assert borda_scores(four) == (5.0, 6.0, 1.0)
    assert consensus_ranks(four) == (2, 1, 3)
    # equal on both: share the rank
    assert consensus_ranks([(1, 2), (2, 1)]) == (1, 1)


def test_consensus_object() -> None:
    c = consensus(["a", "b", "c", "d"], {"m1": THREE[0], "m2": THREE[1], "m3": THREE[2]})
    assert c.order == ("a", "b", "c", "d") and c.first == ("a",)
    assert c.first_by("m2") == ("b",)
    assert c.dissenting == ("m2",) and not c.unanimous
    assert c.tau["m1"]["m1"] == 1.0
    assert c.tau["m1"]["m2"] == pytest.approx(4 / 6)
    # mean over the 3 distinct pairs: m1-m2 4/6, m1-m3 4/6, m2-m3 2/6 (two swaps)
    assert c.mean_tau == pytest.approx((4 / 6 + 4 / 6 + 2 / 6) / 3)
    d = c.to_dict()
    assert d["ranking"][0] == {
        "id": "a",
        "rank": 1,
        "copeland": 3,
        "borda": 8.0,
        "method_ranks": {"m1": 1, "m2": 2, "m3": 1},
    }
    assert d["dissenting"] == ["m2"] and d["first_by_method"]["m2"] == ["b"]


def test_consensus_errors() -> None:
    with pytest.raises(DecisionMatrixError, match="at least one method"):
        consensus(["a"], {})
    with pytest.raises(DecisionMatrixError, match=r"method_ranks\['m'\]: 2 rank\(s\) for 3"):
        consensus(["a", "b", "c"], {"m": (1, 2)})
    with pytest.raises(DecisionMatrixError, match=r"rankings\[0\]: ranks must lie in 1..2"):
        borda_scores([(1, 3)])
    with pytest.raises(DecisionMatrixError, match="give at least one ranking"):
        copeland_scores([])
