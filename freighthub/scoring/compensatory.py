"""Compensatory ranking methods: the weighted sum and TOPSIS.

"Compensatory" is the usual family name in the MCDA literature (Hwang & Yoon 1981
class the simple additive weighting and TOPSIS as compensatory) for methods in which
a poor score on one criterion can be made up for by a good score on another: the
criteria are normalised onto one scale and traded off through their weights. An
appraisal reviewer reads the name as "trade-offs allowed". Both methods return one
score per alternative, higher = better; they are called through
:func:`freighthub.scoring.mcda.rank` (``method="wsm"`` / ``"topsis"``) and are
re-exported by :mod:`freighthub.scoring.mcda`, where callers import them from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from freighthub.errors import UnknownIdentifierError
from freighthub.scoring.matrix import (
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    complete_values,
)
from freighthub.scoring.weights import criterion_weights

__all__ = ["topsis", "weighted_sum"]

# The normalisations :func:`weighted_sum` knows.
_WSM_NORMALIZATIONS: tuple[str, ...] = ("minmax", "max")


def weighted_sum(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
    *,
    normalization: str = "minmax",
) -> FloatArray:
    """Weighted sum of normalised criteria (simple additive weighting) [score, higher = better].

    Parameters
    ----------
    matrix
        A complete decision matrix.
    weights
        One non-negative weight per criterion (normalised here to sum 1), or a
        mapping criterion -> weight.
    normalization
        ``"minmax"`` (default): benefit ``(x - min) / (max - min)``, cost
        ``(max - x) / (max - min)``; a constant criterion scores 0 for everyone.
        ``"max"``: benefit ``x / max``, cost ``min / x`` (linear scale
        transformation of Hwang & Yoon 1981; needs positive values).

    Returns
    -------
    numpy.ndarray
        Score of each alternative in ``[0, 1]``, in input order.

    Raises
    ------
    DecisionMatrixError
        If values are missing, the weights are invalid, the normalisation is unknown
        or ``"max"`` meets a value <= 0.

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
    Applications*. Springer, Lecture Notes in Economics and Mathematical Systems
    186, sect. 4.2.2 (simple additive weighting).
    """
    x = complete_values(matrix)
    w = criterion_weights(matrix, weights)
    r = _wsm_normalise(x, matrix.benefit, normalization)
    return np.asarray(r @ w, dtype=np.float64)


def _wsm_normalise(x: FloatArray, benefit: tuple[bool, ...], normalization: str) -> FloatArray:
    b = np.asarray(benefit)
    if normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        safe = np.where(span > 0, span, 1.0)
        r = np.where(b, (x - lo) / safe, (hi - x) / safe)
        return np.where(span > 0, r, 0.0)
    if normalization == "max":
        if (x <= 0).any():
            raise DecisionMatrixError(
                "normalization = 'max': needs values > 0 in every criterion; use 'minmax'"
            )
        return np.asarray(np.where(b, x / x.max(axis=0), x.min(axis=0) / x), dtype=np.float64)
    raise UnknownIdentifierError("weighted-sum normalization", normalization, _WSM_NORMALIZATIONS)


def topsis(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
) -> FloatArray:
    """TOPSIS relative closeness to the ideal solution [score in 0-1, higher = better].

    Each column is divided by its Euclidean norm (vector normalisation), weighted,
    and each alternative's distances ``S+`` to the ideal and ``S-`` to the
    anti-ideal point are combined into ``C = S- / (S+ + S-)``. A column of zeros
    carries no information and stays zero; if every alternative sits on both the
    ideal and the anti-ideal (all identical), ``C = 0.5`` for all (a tie).

    Raises
    ------
    DecisionMatrixError
        If values are missing or the weights are invalid.

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
    Applications*. Springer, LNEMS 186, sect. 4.3.5 (TOPSIS), pp. 128-134.
    """
    x = complete_values(matrix)
    w = criterion_weights(matrix, weights)
    norm = np.sqrt((x**2).sum(axis=0))
    r = x / np.where(norm > 0, norm, 1.0)
    v = r * w
    b = np.asarray(matrix.benefit)
    ideal = np.where(b, v.max(axis=0), v.min(axis=0))
    anti = np.where(b, v.min(axis=0), v.max(axis=0))
    s_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    s_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    total = s_plus + s_minus
    return np.where(total > 0, s_minus / np.where(total > 0, total, 1.0), 0.5)
