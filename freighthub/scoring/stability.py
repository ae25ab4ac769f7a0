"""How stable is a ranking? Rank acceptability under weight perturbation, and rank reversal.

Weight perturbation
-------------------
Each Monte Carlo sample draws a weight vector from a Dirichlet distribution
centred on the given weights: ``w ~ Dirichlet(concentration * w0)``, so that
``E[w] = w0`` and ``Var[w_j] = w0_j (1 - w0_j) / (concentration + 1)``. A larger
concentration means smaller perturbations; the default 100 gives a standard
deviation of about 0.04 for a weight of 0.25 (about 17 % of it). Criteria with
weight 0 stay at 0. The concentration is a modelling choice of this project, not
a value from the literature; pass your own.

For each sample the alternatives are ranked with the same method and parameters.
The rank-acceptability index ``b[i, r]`` is the share of samples in which
alternative i takes rank r + 1 (Lahdelma, Hokkanen & Salminen 1998, SMAA). Tied
alternatives split the tied positions equally (two tied for first get 0.5 of
rank 1 and 0.5 of rank 2 each), so every row and every column sums to 1.

Data samples
------------
With ``data`` (a :class:`~freighthub.scoring.uncertainty.DataSampler`) each sample
also draws the uncertain values of the matrix (missing values over their plausible
range, assumed values within their stated range, simulated values from their
replications), after its weights and from the same generator, so a rank probability
counts weight *and* data samples (and simulation samples: ``samples_of`` says
``weight, data and simulation`` when a simulated value with replications is drawn).

Consensus
---------
With ``consensus_methods`` each sample also ranks the alternatives with every one of
those methods (their default parameters) and records the Copeland/Borda consensus
rank (:mod:`freighthub.scoring.consensus`); ``consensus_acceptability`` is its
rank-acceptability index.

Rank reversal
-------------
Each alternative is removed in turn and the others re-ranked with the original
weights; a pair whose relative order changes (including a tie appearing or
disappearing) is reported. Methods that normalise over the set of alternatives
(all four shipped here) can show this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from freighthub.scoring.consensus import consensus_ranks
from freighthub.scoring.mcda import (
    RANK_METHOD,
    DecisionMatrix,
    DecisionMatrixError,
    Ranking,
    method_spec,
    prepare,
    rank,
    rank_scores,
    score,
)
from freighthub.scoring.uncertainty import DataSampler

__all__ = ["RankReversal", "Stability", "rank_stability"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RankReversal:
    """What happens to the others' order when one alternative is removed.

    Attributes
    ----------
    removed
        The alternative taken out.
    order_changed
        True if any pair of the remaining alternatives changed relative order.
    changed_pairs
        ``(a, b)`` pairs (a ranked ahead of or tied with b before) whose order changed.
    """

    removed: str
    order_changed: bool
    changed_pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Stability:
    """Stability of a ranking.

    Attributes
    ----------
    ranking
        The ranking with the given weights.
    alternatives
        Alternatives ranked (input order, after missing-data treatment); the rows
        of ``rank_acceptability``.
    rank_acceptability
        ``[i][r]``: share of samples in which alternative i took rank r + 1 [0-1];
        rows and columns sum to 1.
    first_rank_probability
        Share of samples in which each alternative ranked first [0-1]
        (= column 0 of ``rank_acceptability``).
    n_samples, seed, concentration
        The Monte Carlo set-up.
    perturbation
        How weights (and data) were perturbed, in words.
    rank_reversal
        One entry per removed alternative.
    samples_of
        What each sample draws: ``"weight"``, ``"weight and data"`` or ``"weight,
        data and simulation"`` (simulated values drawn from their replications).
    consensus_acceptability
        ``[i][r]``: share of samples in which alternative i took consensus rank
        r + 1 over ``consensus_methods`` (``None`` without them).
    consensus_methods
        The methods of the consensus (empty without it).
    """

    ranking: Ranking
    alternatives: tuple[str, ...]
    rank_acceptability: tuple[tuple[float, ...], ...]
    first_rank_probability: tuple[float, ...]
    n_samples: int
    seed: int
    concentration: float
    perturbation: str
    rank_reversal: tuple[RankReversal, ...]
    samples_of: str = "weight"
    consensus_acceptability: tuple[tuple[float, ...], ...] | None = None
    consensus_methods: tuple[str, ...] = ()

    @property
    def any_rank_reversal(self) -> bool:
        """True if removing some alternative changed the order of the others."""
        return any(r.order_changed for r in self.rank_reversal)

    def acceptability_of(self, alternative: str) -> tuple[float, ...]:
        """Rank-acceptability row of one alternative."""
        return self.rank_acceptability[self.alternatives.index(alternative)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the set-up, rank acceptability, first-rank probability, reversals."""
        return {
            "n_samples": self.n_samples,
            "seed": self.seed,
            "perturbation": self.perturbation,
            "rank_acceptability": {
                a: list(row)
                for a, row in zip(self.alternatives, self.rank_acceptability, strict=True)
            },
            "first_rank_probability": dict(
                zip(self.alternatives, self.first_rank_probability, strict=True)
            ),
            "rank_reversal": [
                {
                    "removed": rr.removed,
                    "order_changed": rr.order_changed,
                    "changed_pairs": [list(p) for p in rr.changed_pairs],
                }
                for rr in self.rank_reversal
            ],
            "any_rank_reversal": self.any_rank_reversal,
            "samples_of": self.samples_of,
        }


def _positions(ranks: Sequence[int]) -> FloatArray:
    """Row i: share of each position 1..m that alternative i occupies (ties split)."""
    m = len(ranks)
    out = np.zeros((m, m))
    for r in set(ranks):
        members = [i for i, x in enumerate(ranks) if x == r]
        k = len(members)
        for i in members:
            out[i, r - 1 : r - 1 + k] = 1.0 / k
    return out


def _order_changes(
    names: Sequence[str], before: Mapping[str, int], after: Mapping[str, int]
) -> list[tuple[str, str]]:
    changed: list[tuple[str, str]] = []
    for x in range(len(names)):
        for y in range(x + 1, len(names)):
            a, b = names[x], names[y]
            if np.sign(before[a] - before[b]) != np.sign(after[a] - after[b]):
                changed.append((a, b) if before[a] <= before[b] else (b, a))
    return changed


def rank_stability(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float] | str,
    method: str = RANK_METHOD,
    n_samples: int = 1000,
    seed: int = 0,
    *,
    missing: str | None = None,
    concentration: float = 100.0,
    data: DataSampler | None = None,
    consensus_methods: Sequence[str] = (),
    **params: Any,
) -> Stability:
    """Rank acceptability under Dirichlet weight perturbation, and a rank-reversal check.

    Parameters
    ----------
    matrix, weights, method, missing, **params
        As for :func:`freighthub.scoring.mcda.rank`. Missing values are treated once,
        before sampling and before the rank-reversal check.
    n_samples
        Number of Monte Carlo weight samples (>= 1).
    seed
        Seed of the ``numpy.random.Generator`` (PCG64); same seed, same result.
    concentration
        Dirichlet concentration (> 0) [-]; see the module docstring.
    data
        Also sample the data (see the module docstring); ``matrix`` must then be
        ``data.point``.
    consensus_methods
        Also record the consensus rank over these methods in each sample.

    Raises
    ------
    DecisionMatrixError
        If ``n_samples`` < 1 or ``concentration`` <= 0, or as :func:`rank`.
    UnknownIdentifierError
        As :func:`rank`.

    References
    ----------
    Lahdelma, R., Hokkanen, J., Salminen, P. (1998). SMAA - Stochastic multiobjective
    acceptability analysis. *EJOR* 106(1), 137-143 (rank-acceptability indices).
    Wang, Y.-M., Luo, Y. (2009). On rank reversal in decision analysis. *Mathematical
    and Computer Modelling* 49(5-6), 1221-1229.
    """
    if not isinstance(n_samples, int) or n_samples < 1:
        raise DecisionMatrixError(f"n_samples = {n_samples!r}: must be a whole number >= 1")
    if not np.isfinite(concentration) or concentration <= 0:
        raise DecisionMatrixError(f"concentration = {concentration!r}: must be > 0")
    if data is not None and data.point is not matrix:
        raise DecisionMatrixError("data: sample the matrix it was built for (matrix = data.point)")
    base = rank(matrix, weights, method, missing, **params)
    used, w0, _, full = prepare(matrix, weights, method, missing, params)
    higher = base.higher_is_better
    m = len(used.alternatives)

    rng = np.random.default_rng(seed)
    positive = w0 > 0
    alpha = concentration * w0[positive]
    acceptability = np.zeros((m, m))
    agreed = np.zeros((m, m))
    for _ in range(n_samples):
        w = np.zeros_like(w0)
        w[positive] = rng.dirichlet(alpha) if alpha.size > 1 else 1.0
        sample = used
        if data is not None:
            sample = DecisionMatrix(
                used.alternatives, used.criteria, data.sample(rng), used.benefit
            )
        ranks = rank_scores(score(method, sample, w, full), higher)
        acceptability += _positions(ranks)
        if consensus_methods:
            agreed += _positions(_consensus_ranks(sample, w, method, ranks, consensus_methods))
    acceptability /= n_samples
    agreed /= n_samples

    before = {a.id: a.rank for a in base.alternatives}
    reversal: list[RankReversal] = []
    for removed in used.alternatives:
        rest = [a for a in used.alternatives if a != removed]
        if len(rest) < 2:
            reversal.append(RankReversal(removed, False, ()))
            continue
        sub = used.subset(alternatives=rest)
        after_ranks = rank_scores(score(method, sub, w0, full), higher)
        after = dict(zip(sub.alternatives, after_ranks, strict=True))
        changed = _order_changes(sub.alternatives, before, after)
        reversal.append(RankReversal(removed, bool(changed), tuple(changed)))

    return Stability(
        ranking=base,
        alternatives=used.alternatives,
        rank_acceptability=tuple(tuple(float(x) for x in row) for row in acceptability),
        first_rank_probability=tuple(float(x) for x in acceptability[:, 0]),
        n_samples=n_samples,
        seed=seed,
        concentration=float(concentration),
        perturbation=(
            f"weights drawn from Dirichlet(concentration x weights), concentration = "
            f"{concentration:g}, mean = the given weights; zero weights stay zero; "
            + (
                "missing values drawn uniformly over their plausible range, given values "
                "within their confidence label's range; "
                if data is not None
                else ""
            )
            + (
                "simulated values drawn from their replications; "
                if data is not None and data.simulated
                else ""
            )
            + f"{n_samples} samples, seed {seed}"
        ),
        rank_reversal=tuple(reversal),
        samples_of=(
            "weight"
            if data is None
            else "weight, data and simulation"
            if data.simulated
            else "weight and data"
        ),
        consensus_acceptability=(
            tuple(tuple(float(x) for x in row) for row in agreed) if consensus_methods else None
        ),
        consensus_methods=tuple(consensus_methods),
    )


def _consensus_ranks(
    matrix: DecisionMatrix,
    w: FloatArray,
    method: str,
    method_ranks: list[int],
    methods: Sequence[str],
) -> list[int]:
    """Consensus ranks of one sample (``method`` already ranked, with its parameters)."""
    rankings: list[Sequence[int]] = []
    for other in methods:
        if other == method:
            rankings.append(method_ranks)
        else:
            spec = method_spec(other)
            rankings.append(
                rank_scores(score(other, matrix, w, spec.defaults), spec.higher_is_better)
            )
    return list(consensus_ranks(rankings))
