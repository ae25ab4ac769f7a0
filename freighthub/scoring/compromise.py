"""Compromise ranking: VIKOR.

VIKOR (Serbian *VIseKriterijumska Optimizacija I Kompromisno Resenje*:
multi-criteria optimisation and compromise solution) is neither a weighted sum nor
an outranking method: it ranks by distance to the ideal while balancing the group
utility of the majority of criteria (``S``) against the largest individual regret
(``R``), and its authors present it as a compromise-ranking method (Opricovic &
Tzeng 2004). It has its own module so that the module name says what the method
does, rather than filing it under :mod:`~freighthub.scoring.outranking`. Called
through :func:`freighthub.scoring.mcda.rank` (``method="vikor"``) and re-exported
by :mod:`freighthub.scoring.mcda`, where callers import it from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from freighthub.scoring.matrix import (
    TIE_ATOL,
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    complete_values,
)
from freighthub.scoring.weights import criterion_weights

__all__ = ["vikor", "vikor_indices"]


def vikor_indices(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
    *,
    v: float = 0.5,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """VIKOR group utility ``S``, individual regret ``R`` and compromise index ``Q``.

    ``S_i = sum_j w_j (f*_j - f_ij) / (f*_j - f-_j)``, ``R_i = max_j`` of the same
    terms, ``Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*)``,
    where ``*`` is the best and ``-`` the worst value. A criterion on which all
    alternatives are equal contributes 0; if all ``S`` (or all ``R``) are equal,
    their term in ``Q`` is 0. Lower is better for all three.

    Parameters
    ----------
    v
        Weight of the strategy of "the majority of criteria" (group utility) against
        individual regret, in [0, 1]. The default 0.5 is the convention of
        Opricovic & Tzeng (2004), sect. 3 ("v = 0.5 ... by consensus").

    Raises
    ------
    DecisionMatrixError
        If values are missing, the weights are invalid or ``v`` is outside [0, 1].

    References
    ----------
    Opricovic, S., Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A
    comparative analysis of VIKOR and TOPSIS. *EJOR* 156(2), 445-455, sect. 3.
    """
    x = complete_values(matrix)
    w = criterion_weights(matrix, weights)
    if not (isinstance(v, int | float) and 0.0 <= v <= 1.0):
        raise DecisionMatrixError(f"v = {v!r}: must be a number in [0, 1]")
    b = np.asarray(matrix.benefit)
    best = np.where(b, x.max(axis=0), x.min(axis=0))
    worst = np.where(b, x.min(axis=0), x.max(axis=0))
    span = best - worst
    gap = np.where(span != 0, (best - x) / np.where(span != 0, span, 1.0), 0.0)
    terms = gap * w
    s = terms.sum(axis=1)
    r = terms.max(axis=1)
    q = v * _unit(s) + (1.0 - v) * _unit(r)
    return s, r, q


def _unit(a: FloatArray) -> FloatArray:
    lo, hi = a.min(), a.max()
    if hi - lo <= TIE_ATOL:
        return np.zeros_like(a)
    return np.asarray((a - lo) / (hi - lo), dtype=np.float64)


def vikor(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
    *,
    v: float = 0.5,
) -> FloatArray:
    """VIKOR compromise index ``Q`` [0-1, LOWER = better]; see :func:`vikor_indices`.

    Raises
    ------
    DecisionMatrixError
        As :func:`vikor_indices`.

    References
    ----------
    Opricovic, S., Tzeng, G.-H. (2004). *EJOR* 156(2), 445-455.
    """
    return vikor_indices(matrix, weights, v=v)[2]
