"""Agreement across MCDA methods: Borda and Copeland consensus rankings, Kendall's tau.

Each method ranks the same alternatives (competition ranks, 1 = best, ties share
the best rank of their group). Three measures combine or compare them:

Borda count
    an alternative in position p of m (1 = best) gets ``m - p`` points from a
    method; tied alternatives share the mean of the points of the positions they
    hold (two tied for first of three: (2 + 1) / 2 = 1.5 each). The Borda score is
    the sum over methods (de Borda 1781; e.g. Saari 2001, *Decisions and
    Elections*, ch. 1).
Copeland score
    for every pair (a, b): a beats b if more methods put a ahead of b than b ahead
    of a. The score is wins minus losses (Copeland 1951). With few methods ties
    are common (two methods against two), so the consensus ranking orders by
    Copeland score and breaks its ties by Borda score; alternatives equal on both
    share a rank.
Kendall's tau-b
    between two rankings of the same n alternatives:
    ``(n_c - n_d) / sqrt((n_0 - t_1)(n_0 - t_2))`` with n_c / n_d the concordant /
    discordant pairs, ``n_0 = n (n - 1) / 2`` and t_1, t_2 the pairs tied in each
    ranking (Kendall 1945, *Biometrika* 33(3), 239-251). 1: same order, -1:
    reversed; undefined (``None``) when one ranking ties everything.

Pure functions on rank lists; :mod:`freighthub.scoring.robust` applies them to the
four shipped methods.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from freighthub.scoring.matrix import DecisionMatrixError

__all__ = [
    "Consensus",
    "borda_scores",
    "consensus",
    "consensus_ranks",
    "copeland_scores",
    "kendall_tau_b",
]


def _check(rankings: Sequence[Sequence[int]]) -> int:
    if not rankings:
        raise DecisionMatrixError("rankings: give at least one ranking")
    m = len(rankings[0])
    for k, ranks in enumerate(rankings):
        if len(ranks) != m:
            raise DecisionMatrixError(
                f"rankings[{k}]: {len(ranks)} rank(s), expected {m} (one per alternative)"
            )
        if any(not 1 <= int(r) <= m for r in ranks):
            raise DecisionMatrixError(f"rankings[{k}]: ranks must lie in 1..{m}")
    return m


def kendall_tau_b(first: Sequence[int], second: Sequence[int]) -> float | None:
    """Kendall's tau-b between two rankings of the same alternatives (``None``: undefined).

    Raises
    ------
    DecisionMatrixError
        If the two rankings differ in length or have fewer than two alternatives.
    """
    if len(first) != len(second):
        raise DecisionMatrixError(
            f"rankings: {len(first)} and {len(second)} ranks; tau needs the same alternatives"
        )
    n = len(first)
    if n < 2:
        raise DecisionMatrixError("rankings: tau needs at least two alternatives")
    concordant = discordant = tied_first = tied_second = 0
    for i in range(n):
        for j in range(i + 1, n):
            a = np.sign(first[i] - first[j])
            b = np.sign(second[i] - second[j])
            if a == 0:
                tied_first += 1
            if b == 0:
                tied_second += 1
            if a != 0 and b != 0:
                if a == b:
                    concordant += 1
                else:
                    discordant += 1
    pairs = n * (n - 1) // 2
    denominator = math.sqrt((pairs - tied_first) * (pairs - tied_second))
    if denominator == 0:
        return None
    return (concordant - discordant) / denominator


def borda_scores(rankings: Sequence[Sequence[int]]) -> tuple[float, ...]:
    """Borda score per alternative: the sum over rankings of ``m - position`` (ties share).

    Raises
    ------
    DecisionMatrixError
        If the rankings are empty, differ in length or hold a rank outside 1..m.
    """
    m = _check(rankings)
    totals = np.zeros(m)
    for ranks in rankings:
        sizes = Counter(ranks)
        for i, r in enumerate(ranks):
            k = sizes[r]  # a tie group of size k holds positions r .. r + k - 1
            totals[i] += m - (r + (k - 1) / 2)
    return tuple(float(x) for x in totals)


def copeland_scores(rankings: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """Copeland score per alternative: pairwise majority wins minus losses.

    Raises
    ------
    DecisionMatrixError
        As :func:`borda_scores`.
    """
    m = _check(rankings)
    scores = [0] * m
    for a in range(m):
        for b in range(a + 1, m):
            ahead = sum(1 for ranks in rankings if ranks[a] < ranks[b])
            behind = sum(1 for ranks in rankings if ranks[b] < ranks[a])
            if ahead > behind:
                scores[a] += 1
                scores[b] -= 1
            elif behind > ahead:
                scores[b] += 1
                scores[a] -= 1
    return tuple(scores)


@dataclass(frozen=True)
class Consensus:
    """Several methods' rankings of the same alternatives and what they agree on.

    Attributes
    ----------
    alternatives
        The alternatives, in input order.
    methods
        The methods, in input order.
    method_ranks
        Method -> one rank per alternative (input order).
    copeland, borda
        Copeland and Borda score per alternative (input order).
    ranks
        The consensus rank per alternative: Copeland score, ties broken by Borda
        score (1 = best; equal on both share a rank).
    tau
        Kendall's tau-b per pair of methods: ``tau[a][b]`` (``None``: undefined).
    """

    alternatives: tuple[str, ...]
    methods: tuple[str, ...]
    method_ranks: dict[str, tuple[int, ...]]
    copeland: tuple[int, ...]
    borda: tuple[float, ...]
    ranks: tuple[int, ...]
    tau: dict[str, dict[str, float | None]]

    @property
    def order(self) -> tuple[str, ...]:
        """The alternatives, consensus best first (ties in input order)."""
        idx = sorted(range(len(self.ranks)), key=lambda i: (self.ranks[i], i))
        return tuple(self.alternatives[i] for i in idx)

    def first_by(self, method: str) -> tuple[str, ...]:
        """The alternatives a method ranks first (several if tied)."""
        ranks = self.method_ranks[method]
        return tuple(a for a, r in zip(self.alternatives, ranks, strict=True) if r == 1)

    @property
    def first(self) -> tuple[str, ...]:
        """The alternatives of consensus rank 1."""
        return tuple(a for a, r in zip(self.alternatives, self.ranks, strict=True) if r == 1)

    @property
    def dissenting(self) -> tuple[str, ...]:
        """Methods whose first place differs from the consensus first place."""
        return tuple(m for m in self.methods if set(self.first_by(m)) != set(self.first))

    @property
    def unanimous(self) -> bool:
        """True if every method puts the same alternative(s) first as the consensus."""
        return not self.dissenting

    @property
    def mean_tau(self) -> float | None:
        """Mean Kendall tau-b over the pairs of distinct methods (``None`` if none defined)."""
        values = [
            t
            for i, a in enumerate(self.methods)
            for b in self.methods[i + 1 :]
            if (t := self.tau[a][b]) is not None
        ]
        return None if not values else float(np.mean(values))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the ranking, the scores, each method's ranks and the tau matrix."""
        return {
            "method": "copeland, ties broken by borda",
            "methods": list(self.methods),
            "ranking": [
                {
                    "id": a,
                    "rank": self.ranks[i],
                    "copeland": self.copeland[i],
                    "borda": self.borda[i],
                    "method_ranks": {m: self.method_ranks[m][i] for m in self.methods},
                }
                for i, a in sorted(
                    enumerate(self.alternatives), key=lambda x: (self.ranks[x[0]], x[0])
                )
            ],
            "tau": {a: dict(row) for a, row in self.tau.items()},
            "mean_tau": self.mean_tau,
            "unanimous": self.unanimous,
            "dissenting": list(self.dissenting),
            "first_by_method": {m: list(self.first_by(m)) for m in self.methods},
        }


def _competition(keys: Sequence[tuple[float, float]]) -> tuple[int, ...]:
    """Competition ranks of keys, higher key better."""
    ranks = []
    for k in keys:
        ranks.append(1 + sum(1 for other in keys if other > k))
    return tuple(ranks)


def consensus_ranks(rankings: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """The consensus rank per alternative: Copeland score, ties broken by Borda score.

    Raises
    ------
    DecisionMatrixError
        As :func:`borda_scores`.
    """
    copeland = copeland_scores(rankings)
    borda = borda_scores(rankings)
    return _competition([(float(c), b) for c, b in zip(copeland, borda, strict=True)])


def consensus(alternatives: Sequence[str], method_ranks: Mapping[str, Sequence[int]]) -> Consensus:
    """The Copeland/Borda consensus of several methods' rankings and their Kendall taus.

    Parameters
    ----------
    alternatives
        The alternatives (rankings follow this order).
    method_ranks
        Method -> competition ranks, one per alternative (1 = best).

    Raises
    ------
    DecisionMatrixError
        If no method is given, or a ranking does not fit the alternatives.
    """
    names = tuple(alternatives)
    methods = tuple(method_ranks)
    if not methods:
        raise DecisionMatrixError("method_ranks: give at least one method's ranking")
    rankings = [tuple(int(r) for r in method_ranks[m]) for m in methods]
    for m, ranks in zip(methods, rankings, strict=True):
        if len(ranks) != len(names):
            raise DecisionMatrixError(
                f"method_ranks[{m!r}]: {len(ranks)} rank(s) for {len(names)} alternative(s)"
            )
    copeland = copeland_scores(rankings)
    borda = borda_scores(rankings)
    ranks = consensus_ranks(rankings)
    tau: dict[str, dict[str, float | None]] = {}
    for a, ra in zip(methods, rankings, strict=True):
        tau[a] = {}
        for b, rb in zip(methods, rankings, strict=True):
            tau[a][b] = kendall_tau_b(ra, rb) if len(names) > 1 else None
    return Consensus(
        alternatives=names,
        methods=methods,
        method_ranks=dict(zip(methods, rankings, strict=True)),
        copeland=copeland,
        borda=borda,
        ranks=ranks,
        tau=tau,
    )
