"""Origin-destination matrices fitted to published totals: the doubly constrained
gravity model solved by iterative proportional fitting (the Furness method).

The doubly constrained gravity model (Wilson 1970; Ortúzar & Willumsen, *Modelling
Transport*, 4th ed. 2011, chapter 5) gives the flow from origin ``i`` to
destination ``j`` as

    T_ij = a_i * b_j * t_ij,     sum_j T_ij = O_i,     sum_i T_ij = D_j,

where ``t_ij`` is a seed: a deterrence function of the distance, ``f(d_ij)``
(:data:`DETERRENCE`), or an observed base-year matrix (the Furness growth-factor
model). The balancing factors ``a_i`` and ``b_j`` are found by iterative proportional
fitting (Furness 1965): scale every row to its origin total, then every column to its
destination total, and repeat. The solution is also the entropy-maximising matrix
closest to the seed (Wilson 1970). It exists if and only if the totals can be met on
the seed's non-zero cells; then it is unique and IPF converges to it (Bacharach 1965).
Otherwise IPF oscillates and :func:`furness` reports ``converged = False`` with its
residual.

Pure functions (numpy only); no file is read or written here.

References
----------
Furness, K. P. (1965). Time function iteration. *Traffic Engineering and Control* 7(7).
Wilson, A. G. (1970). *Entropy in urban and regional modelling*. Pion, London.
Bacharach, M. (1965). Estimating nonnegative matrices from marginal data.
*International Economic Review* 6(3), 294-310.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "DETERRENCE",
    "FurnessResult",
    "deterrence",
    "furness",
    "gravity_seed",
]

FloatArray = npt.NDArray[np.float64]


def _exponential(distance_km: FloatArray, beta_per_km: float) -> FloatArray:
    """``exp(-beta * d)``; ``beta`` [1/km]."""
    return np.exp(-beta_per_km * distance_km)


def _power(distance_km: FloatArray, gamma: float) -> FloatArray:
    """``d ** -gamma``; ``gamma`` [-]; every distance must be > 0."""
    if np.any(distance_km <= 0):
        raise ValueError("the power deterrence d ** -gamma needs every distance > 0")
    return np.asarray(distance_km**-gamma, dtype=np.float64)


#: Deterrence functions f(d) by name: ``exponential`` exp(-beta d) with beta [1/km],
#: ``power`` d^-gamma with gamma [-] (Ortúzar & Willumsen 2011, chapter 5).
DETERRENCE: dict[str, Callable[[FloatArray, float], FloatArray]] = {
    "exponential": _exponential,
    "power": _power,
}


def deterrence(distance_km: npt.ArrayLike, function: str, parameter: float) -> FloatArray:
    """The deterrence ``f(d_ij)`` of a distance matrix.

    Parameters
    ----------
    distance_km
        Distances [km], any shape, >= 0 and finite.
    function
        A key of :data:`DETERRENCE`.
    parameter
        beta [1/km] (``exponential``) or gamma [-] (``power``), >= 0.

    Raises
    ------
    ValueError
        For an unknown function, a negative or non-finite distance or parameter, or
        a zero distance with the power function.
    """
    if function not in DETERRENCE:
        raise ValueError(f"function = {function!r}: must be one of {', '.join(DETERRENCE)}")
    if not math.isfinite(parameter) or parameter < 0:
        raise ValueError(f"parameter = {parameter}: must be finite and >= 0")
    d = np.asarray(distance_km, dtype=np.float64)
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("distances must be finite and >= 0")
    return DETERRENCE[function](d, parameter)


def gravity_seed(distance_km: npt.ArrayLike, function: str, parameter: float) -> FloatArray:
    """The seed ``t_ij = f(d_ij)`` of a doubly constrained gravity model (an alias of
    :func:`deterrence` for a 2-D matrix; origins as rows)."""
    seed = deterrence(distance_km, function, parameter)
    if seed.ndim != 2:
        raise ValueError(f"distance_km must be a matrix, got {seed.ndim} dimension(s)")
    return seed


@dataclass(frozen=True)
class FurnessResult:
    """A fitted matrix and how well it meets its totals.

    Attributes
    ----------
    matrix
        Fitted flows, origins as rows [the totals' unit].
    row_factors, column_factors
        Balancing factors ``a_i`` and ``b_j`` (``matrix = a_i b_j seed_ij``) [-].
    iterations
        Row-then-column sweeps done [-].
    converged
        True if every row and column total is met within ``tolerance_rel``.
    row_residuals, column_residuals
        Fitted minus target total per origin and destination [unit].
    max_abs_residual
        Largest ``|fitted - target|`` over rows and columns [unit].
    max_rel_residual
        Largest ``|fitted - target| / target`` over rows and columns with a target
        > 0 [-].
    """

    matrix: FloatArray
    row_factors: FloatArray
    column_factors: FloatArray
    iterations: int
    converged: bool
    row_residuals: FloatArray
    column_residuals: FloatArray
    max_abs_residual: float
    max_rel_residual: float


def _residuals(
    matrix: FloatArray, rows: FloatArray, cols: FloatArray
) -> tuple[FloatArray, FloatArray, float, float]:
    r = matrix.sum(axis=1) - rows
    c = matrix.sum(axis=0) - cols
    both = np.concatenate([r, c])
    targets = np.concatenate([rows, cols])
    max_abs = float(np.max(np.abs(both))) if both.size else 0.0
    nz = targets > 0
    max_rel = float(np.max(np.abs(both[nz]) / targets[nz])) if np.any(nz) else 0.0
    return r, c, max_abs, max_rel


def _safe_ratio(target: FloatArray, current: FloatArray) -> FloatArray:
    out = np.ones_like(target)
    np.divide(target, current, out=out, where=current > 0)
    return out


def furness(
    seed: npt.ArrayLike,
    row_totals: npt.ArrayLike,
    column_totals: npt.ArrayLike,
    *,
    tolerance_rel: float = 1e-9,
    max_iterations: int = 1000,
) -> FurnessResult:
    """Fit a matrix to row and column totals by iterative proportional fitting.

    One iteration scales every row to its total, then every column to its total
    (Furness 1965); the fit stops when every row and column total is met within
    ``tolerance_rel`` or after ``max_iterations``. Deterministic: the same inputs
    give the same matrix, bit for bit.

    Parameters
    ----------
    seed
        Seed matrix ``t_ij`` >= 0, origins as rows (a deterrence matrix,
        :func:`gravity_seed`, or a base-year matrix) [-] or [unit].
    row_totals
        Target total of each origin ``O_i`` >= 0 [unit].
    column_totals
        Target total of each destination ``D_j`` >= 0 [unit]; must sum to the row
        totals' sum within ``tolerance_rel``.
    tolerance_rel
        Largest relative residual ``|fitted - target| / target`` accepted [-], > 0.
    max_iterations
        Most row-then-column sweeps [-], >= 1.

    Returns
    -------
    FurnessResult
        ``converged = False`` when the totals were not met within the iterations
        (for example when the seed's zero cells make them unreachable); the matrix
        and residuals are then those of the last sweep.

    Raises
    ------
    ValueError
        For a seed that is not a matrix, negative or non-finite values, totals of
        the wrong length, totals whose sums differ, a row or column with a positive
        target but no non-zero seed cell, or a bad ``tolerance_rel`` or
        ``max_iterations``.

    References
    ----------
    Ortúzar, J. de D. and Willumsen, L. G. (2011). *Modelling Transport*, 4th ed.,
    Wiley, chapter 5 (trip distribution: the Furness method, gravity models).
    """
    t = np.asarray(seed, dtype=np.float64)
    rows = np.asarray(row_totals, dtype=np.float64)
    cols = np.asarray(column_totals, dtype=np.float64)
    if t.ndim != 2:
        raise ValueError(f"seed must be a matrix, got {t.ndim} dimension(s)")
    n, m = t.shape
    if rows.shape != (n,):
        raise ValueError(f"row_totals has {rows.size} values, the seed has {n} rows")
    if cols.shape != (m,):
        raise ValueError(f"column_totals has {cols.size} values, the seed has {m} columns")
    for name, a in (("seed", t), ("row_totals", rows), ("column_totals", cols)):
        if not np.all(np.isfinite(a)) or np.any(a < 0):
            raise ValueError(f"{name} must be finite and >= 0")
    if not tolerance_rel > 0:
        raise ValueError(f"tolerance_rel = {tolerance_rel}: must be > 0")
    if max_iterations < 1:
        raise ValueError(f"max_iterations = {max_iterations}: must be >= 1")
    total_rows, total_cols = float(rows.sum()), float(cols.sum())
    if abs(total_rows - total_cols) > tolerance_rel * max(total_rows, total_cols):
        raise ValueError(
            f"row totals sum to {total_rows:g} but column totals to {total_cols:g}:"
            " a doubly constrained fit needs equal sums"
        )
    for name, targets, support in (
        ("row", rows, t.sum(axis=1)),
        ("column", cols, t.sum(axis=0)),
    ):
        empty = np.flatnonzero((targets > 0) & (support <= 0))
        if empty.size:
            raise ValueError(
                f"{name} {int(empty[0])} has a target of {targets[empty[0]]:g} but no"
                " non-zero seed cell to carry it"
            )
    a = np.ones(n)
    b = np.ones(m)
    matrix = t.copy()
    iterations = 0
    converged = False
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported below
        a = a * _safe_ratio(rows, matrix.sum(axis=1))
        matrix = t * a[:, None] * b[None, :]
        b = b * _safe_ratio(cols, matrix.sum(axis=0))
        matrix = t * a[:, None] * b[None, :]
        *_, max_rel = _residuals(matrix, rows, cols)
        if max_rel <= tolerance_rel:
            converged = True
            break
    r, c, max_abs, max_rel = _residuals(matrix, rows, cols)
    return FurnessResult(
        matrix=matrix,
        row_factors=a,
        column_factors=b,
        iterations=iterations,
        converged=converged,
        row_residuals=r,
        column_residuals=c,
        max_abs_residual=max_abs,
        max_rel_residual=max_rel,
    )
