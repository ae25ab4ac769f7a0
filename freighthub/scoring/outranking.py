"""Outranking: PROMETHEE II and its preference functions.

"Outranking" is the family name (Roy's ELECTRE school; Brans & Vincke 1985 for
PROMETHEE) for methods that compare alternatives pair by pair, criterion by
criterion, instead of adding normalised scores: a hub "outranks" another when the
weighted evidence that it is at least as good is strong enough. Differences below
the indifference threshold count for nothing, so many small advantages are not
simply bought back by one large one. An appraisal reviewer reads the name as
"pairwise comparison". Called through :func:`freighthub.scoring.mcda.rank`
(``method="promethee2"``) and re-exported by :mod:`freighthub.scoring.mcda`, where
callers import it from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from freighthub.errors import UnknownIdentifierError
from freighthub.scoring.matrix import (
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    complete_values,
    per_criterion,
)
from freighthub.scoring.weights import criterion_weights

__all__ = ["PREFERENCE_FUNCTIONS", "PreferenceFunction", "promethee_ii"]

PreferenceFunction = Literal["usual", "linear", "v_shape"]
#: The preference functions :func:`promethee_ii` knows.
PREFERENCE_FUNCTIONS: tuple[str, ...] = ("usual", "linear", "v_shape")


def _preference(d: FloatArray, kind: str, p: float, q: float) -> FloatArray:
    """Preference degree in [0, 1] of a difference d (criterion units, oriented)."""
    if kind == "usual":
        return (d > 0).astype(np.float64)
    if kind == "v_shape":
        return np.clip(d / p, 0.0, 1.0)
    # linear: indifference up to q, strict preference from p
    return np.clip((d - q) / (p - q), 0.0, 1.0)


def _promethee_setup(
    matrix: DecisionMatrix, preference: Any, p: Any, q: Any
) -> list[tuple[str, float, float]]:
    n = len(matrix.criteria)
    kinds = per_criterion("preference", preference, n)
    ps = per_criterion("p", p, n) if p is not None else [None] * n
    qs = per_criterion("q", q, n) if q is not None else [None] * n
    out: list[tuple[str, float, float]] = []
    for j, (kind, pj, qj) in enumerate(zip(kinds, ps, qs, strict=True)):
        name = matrix.criteria[j]
        if kind not in PREFERENCE_FUNCTIONS:
            raise UnknownIdentifierError("preference function", str(kind), PREFERENCE_FUNCTIONS)
        if kind == "usual":
            if pj is not None or qj is not None:
                raise DecisionMatrixError(
                    f"p/q[{name!r}]: the usual preference function takes no thresholds"
                )
            out.append((kind, 0.0, 0.0))
            continue
        if pj is None or not np.isfinite(pj) or pj <= 0:
            raise DecisionMatrixError(
                f"p[{name!r}] = {pj!r}: the {kind} preference function needs a "
                "preference threshold p > 0 (criterion units)"
            )
        if kind == "v_shape":
            if qj is not None:
                raise DecisionMatrixError(
                    f"q[{name!r}] = {qj!r}: the v_shape preference function takes no "
                    "indifference threshold; use 'linear'"
                )
            out.append((kind, float(pj), 0.0))
            continue
        if qj is None or not np.isfinite(qj) or qj < 0 or qj >= pj:
            raise DecisionMatrixError(
                f"q[{name!r}] = {qj!r}: the linear preference function needs an "
                f"indifference threshold 0 <= q < p = {pj}"
            )
        out.append((kind, float(pj), float(qj)))
    return out


def _preference_matrices(x: FloatArray, benefit: tuple[bool, ...], setup: Any) -> FloatArray:
    """P[j, a, b]: preference of a over b on criterion j."""
    m, n = x.shape
    out = np.empty((n, m, m))
    for j, (kind, pj, qj) in enumerate(setup):
        col = x[:, j] if benefit[j] else -x[:, j]
        d = col[:, None] - col[None, :]
        out[j] = _preference(d, kind, pj, qj)
    return out


def _net_flow(pref: FloatArray, w: FloatArray) -> FloatArray:
    m = pref.shape[1]
    if m == 1:
        return np.zeros(1)
    pi = np.tensordot(w, pref, axes=1)  # aggregated preference pi(a, b)
    return np.asarray((pi.sum(axis=1) - pi.sum(axis=0)) / (m - 1), dtype=np.float64)


def promethee_ii(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float],
    *,
    preference: str | Sequence[str] = "usual",
    p: float | Sequence[float | None] | None = None,
    q: float | Sequence[float | None] | None = None,
) -> FloatArray:
    """PROMETHEE II net outranking flow ``phi = phi+ - phi-`` [-1 to 1, higher = better].

    Parameters
    ----------
    preference
        Preference function, one for all criteria or one per criterion:
        ``"usual"`` (type I: any positive difference is full preference),
        ``"v_shape"`` (type III: ``d / p`` up to ``p``, then 1) or ``"linear"``
        (type V: 0 up to ``q``, linear to 1 at ``p``).
    p, q
        Preference and indifference thresholds [criterion units], a scalar for all
        criteria or one per criterion (``None`` where not used). ``v_shape`` needs
        ``p > 0``; ``linear`` needs ``0 <= q < p``.

    Raises
    ------
    DecisionMatrixError
        If values are missing, the weights are invalid, or thresholds are missing,
        superfluous or out of range.
    UnknownIdentifierError
        If a preference function is unknown.

    References
    ----------
    Brans, J.P., Vincke, Ph. (1985). A preference ranking organisation method (The
    PROMETHEE method for multiple criteria decision-making). *Management Science*
    31(6), 647-656 (the six generalised criteria, Fig. 1).
    Brans, J.P., Vincke, Ph., Mareschal, B. (1986). How to select and how to rank
    projects: The PROMETHEE method. *EJOR* 24(2), 228-238.
    """
    x = complete_values(matrix)
    w = criterion_weights(matrix, weights)
    setup = _promethee_setup(matrix, preference, p, q)
    return _net_flow(_preference_matrices(x, matrix.benefit, setup), w)
