"""Scoring: pure functions that rank alternatives, derive weights and check codes.

Modules: :mod:`~freighthub.scoring.mcda` (the registry ``METHODS``, one row per
method, and the :func:`rank` dispatcher; the methods WSM, TOPSIS, PROMETHEE II and
VIKOR live in :mod:`~freighthub.scoring.compensatory`,
:mod:`~freighthub.scoring.outranking` and :mod:`~freighthub.scoring.compromise` and
are re-exported by ``mcda``), :mod:`~freighthub.scoring.matrix` (the decision matrix
and the missing-data treatment), :mod:`~freighthub.scoring.weights` (direct, AHP,
entropy, aligned with a matrix), :mod:`~freighthub.scoring.stability` (rank acceptability, rank reversal),
:mod:`~freighthub.scoring.identifiers` (ISO 6346 / EN 13044 check digits) and
``compliance`` (hub x criterion compliance).
"""

from freighthub.scoring.mcda import DecisionMatrix, RankedAlternative, Ranking, rank
from freighthub.scoring.stability import Stability, rank_stability
from freighthub.scoring.weights import ahp_weights, direct_weights, entropy_weights

__all__ = [
    "DecisionMatrix",
    "RankedAlternative",
    "Ranking",
    "Stability",
    "ahp_weights",
    "direct_weights",
    "entropy_weights",
    "rank",
    "rank_stability",
]
