"""Criterion weights: given directly, from an AHP pairwise-comparison matrix, or by entropy.

Every function returns weights that are non-negative and sum to 1;
:func:`criterion_weights` aligns weights given per criterion name with a decision
matrix, for the ranking methods. The numbers of
the AHP consistency test (Saaty's random index and the 0.1 threshold) are not
written here: they are read from ``standards/methods/saaty-ahp.toml`` by
:func:`freighthub.model.methods.load_ahp_reference` and passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.scoring.matrix import DecisionMatrix, DecisionMatrixError, FloatArray

__all__ = [
    "AhpResult",
    "InconsistentJudgementsError",
    "WeightsError",
    "ahp_weights",
    "criterion_weights",
    "direct_weights",
    "entropy_weights",
]


class WeightsError(FreighthubError, ValueError):
    """Weights or a pairwise-comparison matrix are invalid (message names the field)."""


class InconsistentJudgementsError(FreighthubError):
    """An AHP pairwise-comparison matrix is too inconsistent (CR above the threshold)."""

    def __init__(
        self, consistency_ratio: float, threshold: float, where: str = "pairwise matrix"
    ) -> None:
        self.consistency_ratio = consistency_ratio
        self.threshold = threshold
        super().__init__(
            f"{where}: consistency ratio CR = {consistency_ratio:.3f} > {threshold}: "
            "the judgements are too inconsistent; revise them, or force the weights "
            "(--force / force=True) knowingly"
        )


def direct_weights(
    weights: Sequence[float] | FloatArray, n_criteria: int | None = None
) -> FloatArray:
    """Check weights given directly and normalise them to sum 1.

    Parameters
    ----------
    weights
        One weight per criterion [-], any positive scale (e.g. points out of 100).
    n_criteria
        Expected number of weights, if known.

    Raises
    ------
    WeightsError
        If the length does not match, a weight is negative or not finite, or all are 0.
    """
    try:
        w = np.array(weights, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise WeightsError(f"weights = {weights!r}: must be numbers") from None
    if n_criteria is not None and w.size != n_criteria:
        raise WeightsError(f"weights: {w.size} weight(s) for {n_criteria} criteria")
    if w.size == 0:
        raise WeightsError("weights: must not be empty")
    for j, x in enumerate(w):
        if not np.isfinite(x):
            raise WeightsError(f"weights[{j}] = {x}: must be a finite number")
        if x < 0:
            raise WeightsError(f"weights[{j}] = {x}: must be >= 0")
    total = w.sum()
    if total <= 0:
        raise WeightsError("weights: all are 0; at least one must be > 0")
    return np.asarray(w / total, dtype=np.float64)


def criterion_weights(
    matrix: DecisionMatrix, weights: Sequence[float] | FloatArray | Mapping[str, float]
) -> FloatArray:
    """Weights aligned with ``matrix.criteria``, normalised to sum 1.

    Parameters
    ----------
    matrix
        The decision matrix whose criteria the weights follow.
    weights
        One non-negative weight per criterion, in ``matrix.criteria`` order, or a
        mapping criterion -> weight covering every criterion [-].

    Raises
    ------
    UnknownIdentifierError
        If the mapping names a criterion the matrix does not have.
    DecisionMatrixError
        If a criterion has no weight, or the weights are invalid (as
        :func:`direct_weights`).
    """
    if isinstance(weights, Mapping):
        unknown = [k for k in weights if k not in matrix.criteria]
        if unknown:
            raise UnknownIdentifierError("criterion in weights", str(unknown[0]), matrix.criteria)
        absent = [c for c in matrix.criteria if c not in weights]
        if absent:
            raise DecisionMatrixError(f"weights: no weight for criterion {absent[0]!r}")
        weights = [weights[c] for c in matrix.criteria]
    try:
        return direct_weights(weights, n_criteria=len(matrix.criteria))
    except WeightsError as exc:
        raise DecisionMatrixError(str(exc)) from None


@dataclass(frozen=True)
class AhpResult:
    """Weights derived from a pairwise-comparison matrix and its consistency.

    Attributes
    ----------
    weights
        Normalised principal right eigenvector (sum 1).
    lambda_max
        Principal eigenvalue [-]; equals n for a perfectly consistent matrix.
    consistency_index
        ``CI = (lambda_max - n) / (n - 1)`` [-] (0 for n <= 2).
    random_index
        Saaty's random index for this n, as passed in.
    consistency_ratio
        ``CR = CI / RI`` [-]; ``None`` where RI = 0 (n <= 2: always consistent).
    threshold
        The CR threshold applied.
    consistent
        True if CR is undefined or <= threshold.
    forced
        True if the matrix failed the test and was accepted with ``force=True``.
    """

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float | None
    threshold: float
    consistent: bool
    forced: bool


def _check_pairwise(a: FloatArray, reciprocity_rtol: float) -> None:
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise WeightsError(f"pairwise: shape {a.shape}: must be a non-empty square matrix")
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            x = a[i, j]
            if not np.isfinite(x) or x <= 0:
                raise WeightsError(f"pairwise[{i}][{j}] = {x}: must be a finite number > 0")
    for i in range(n):
        if not np.isclose(a[i, i], 1.0, rtol=reciprocity_rtol, atol=0.0):
            raise WeightsError(f"pairwise[{i}][{i}] = {a[i, i]}: the diagonal must be 1")
        for j in range(i + 1, n):
            if not np.isclose(a[i, j] * a[j, i], 1.0, rtol=reciprocity_rtol, atol=0.0):
                raise WeightsError(
                    f"pairwise[{j}][{i}] = {a[j, i]}: must be the reciprocal of "
                    f"pairwise[{i}][{j}] = {a[i, j]} (1/{a[i, j]:g} = {1 / a[i, j]:.4g})"
                )


def ahp_weights(
    pairwise: Sequence[Sequence[float]] | FloatArray,
    random_index_table: Mapping[int, float],
    force: bool = False,
    *,
    max_consistency_ratio: float,
    reciprocity_rtol: float = 1e-2,
) -> AhpResult:
    """Weights from an AHP pairwise-comparison matrix (principal eigenvector).

    Parameters
    ----------
    pairwise
        Square matrix ``a[i][j]`` = importance of criterion i over j on Saaty's 1-9
        scale, positive, reciprocal (``a[j][i] = 1 / a[i][j]``), diagonal 1.
    random_index_table
        Saaty's random index by matrix order n (from the data file).
    force
        Accept a matrix whose CR exceeds the threshold (the result says so).
    max_consistency_ratio
        The CR threshold (Saaty: 0.1; from the data file).
    reciprocity_rtol
        Relative tolerance of the reciprocity and diagonal checks; the default 1e-2
        accepts judgements written as rounded decimals (``0.333`` for 1/3). A
        numerical choice, not a value from the literature.

    Raises
    ------
    WeightsError
        If the matrix is not square, positive and reciprocal, or the table has no
        random index for its order.
    InconsistentJudgementsError
        If CR > threshold and ``force`` is false.

    References
    ----------
    Saaty, T.L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill (eigenvector
    method, consistency index and ratio, random index table).
    Saaty, T.L. (1987). The analytic hierarchy process—what it is and how it is
    used. *Mathematical Modelling* 9(3-5), 161-176.
    """
    try:
        a = np.array(pairwise, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightsError("pairwise: must be a square matrix of numbers") from None
    _check_pairwise(a, reciprocity_rtol)
    n = a.shape[0]
    if n not in random_index_table:
        raise WeightsError(
            f"pairwise: order n = {n}: the random index table covers n = "
            f"{min(random_index_table)}..{max(random_index_table)}"
        )
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ci = max(ci, 0.0) if abs(ci) < 1e-12 else ci  # rounding noise of consistent matrices
    ri = float(random_index_table[n])
    cr = ci / ri if ri > 0 else None
    consistent = cr is None or cr <= max_consistency_ratio
    if not consistent and not force:
        assert cr is not None
        raise InconsistentJudgementsError(cr, max_consistency_ratio)
    return AhpResult(
        weights=tuple(float(x) for x in weights),
        lambda_max=lambda_max,
        consistency_index=float(ci),
        random_index=ri,
        consistency_ratio=None if cr is None else float(cr),
        threshold=max_consistency_ratio,
        consistent=consistent,
        forced=not consistent,
    )


def entropy_weights(matrix: DecisionMatrix) -> FloatArray:
    """Objective weights by Shannon entropy: criteria that vary more weigh more.

    ``p_ij = x_ij / sum_i x_ij``, ``E_j = -sum_i p_ij ln p_ij / ln m`` (with
    ``0 ln 0 = 0``), ``w_j = (1 - E_j) / sum_k (1 - E_k)``. The direction (benefit
    or cost) does not enter.

    Parameters
    ----------
    matrix
        A complete :class:`~freighthub.scoring.matrix.DecisionMatrix` with at least
        two alternatives and non-negative values.

    Raises
    ------
    WeightsError
        If values are missing or negative, a column is all zero, there is one
        alternative, or every criterion is constant (no information).

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making*. Springer,
    LNEMS 186, sect. 2.3.3 (entropy method), after Zeleny (1974).
    """
    x = np.asarray(matrix.values, dtype=np.float64)
    criteria = matrix.criteria
    m = x.shape[0]
    if np.isnan(x).any():
        raise WeightsError("entropy weights: values are missing; treat missing values first")
    if m < 2:
        raise WeightsError("entropy weights: need at least 2 alternatives")
    for j, name in enumerate(criteria):
        if (x[:, j] < 0).any():
            raise WeightsError(f"entropy weights: criterion {name!r} has negative values")
        if (x[:, j] == 0).all():
            raise WeightsError(f"entropy weights: criterion {name!r} is all zero")
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    d = np.clip(1.0 - e, 0.0, None)
    if d.sum() <= 1e-15:
        raise WeightsError(
            "entropy weights: every criterion is constant across alternatives (no information)"
        )
    return np.asarray(d / d.sum(), dtype=np.float64)
