"""Shared ground of the MCDA modules: the decision matrix, its error and small helpers.

This module is private: import these names from :mod:`freighthub.scoring.mcda`, the
public face of multi-criteria ranking. They live here, below the method modules
(:mod:`~freighthub.scoring.compensatory`, :mod:`~freighthub.scoring.outranking`,
:mod:`~freighthub.scoring.compromise`) and below :mod:`~freighthub.scoring.mcda`,
because every method reads a :class:`DecisionMatrix` and raises
:class:`DecisionMatrixError`, while :mod:`~freighthub.scoring.mcda` imports the
methods for its :func:`~freighthub.scoring.mcda.rank` dispatcher; defining them in
``mcda`` would make the imports circular.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.scoring.weights import WeightsError, direct_weights

__all__ = [
    "TIE_ATOL",
    "TIE_RTOL",
    "DecisionMatrix",
    "DecisionMatrixError",
    "FloatArray",
    "complete_values",
    "criterion_weights",
    "per_criterion",
]

FloatArray = npt.NDArray[np.float64]

# Numerical tolerance for ties (floating-point noise only; see freighthub.scoring.mcda).
TIE_RTOL = 1e-9
TIE_ATOL = 1e-12


class DecisionMatrixError(FreighthubError, ValueError):
    """A decision matrix, its weights or a method parameter is invalid.

    The message names the field (``alternatives``, ``criteria``, ``values``,
    ``benefit``, ``weights`` or the parameter) and what is wrong.
    """


@dataclass(frozen=True, eq=False)
class DecisionMatrix:
    """Alternatives scored on criteria.

    Parameters
    ----------
    alternatives
        Unique, non-empty ids of the *m* alternatives (rows).
    criteria
        Unique, non-empty names of the *n* criteria (columns).
    values
        Array of shape (m, n) [each column in its criterion's unit]; ``NaN`` marks
        a missing value. Infinite values are refused. Stored as a read-only copy.
    benefit
        One flag per criterion: ``True`` if more is better (benefit), ``False`` if
        less is better (cost).

    Raises
    ------
    DecisionMatrixError
        (a ``ValueError``) naming the invalid field.
    """

    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    values: FloatArray
    benefit: tuple[bool, ...]

    def __post_init__(self) -> None:
        alternatives = tuple(self.alternatives)
        criteria = tuple(self.criteria)
        benefit = tuple(self.benefit)
        _check_names("alternatives", alternatives)
        _check_names("criteria", criteria)
        try:
            values = np.array(self.values, dtype=np.float64, copy=True)
        except (TypeError, ValueError):
            raise DecisionMatrixError(
                "values: must be an array of numbers (NaN for missing)"
            ) from None
        m, n = len(alternatives), len(criteria)
        if values.shape != (m, n):
            raise DecisionMatrixError(
                f"values: shape {values.shape} does not match {m} alternative(s) x {n} criteria"
            )
        if np.isinf(values).any():
            i, j = np.argwhere(np.isinf(values))[0]
            raise DecisionMatrixError(
                f"values[{alternatives[i]!r}, {criteria[j]!r}] = {values[i, j]}: "
                "must be finite (use NaN for missing)"
            )
        if len(benefit) != n:
            raise DecisionMatrixError(
                f"benefit: {len(benefit)} flag(s) for {n} criteria; give one per criterion"
            )
        for j, flag in enumerate(benefit):
            if not isinstance(flag, bool | np.bool_):
                raise DecisionMatrixError(
                    f"benefit[{j}] = {flag!r}: must be True (benefit) or False (cost)"
                )
        values.setflags(write=False)
        object.__setattr__(self, "alternatives", alternatives)
        object.__setattr__(self, "criteria", criteria)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "benefit", tuple(bool(b) for b in benefit))

    @property
    def shape(self) -> tuple[int, int]:
        """(number of alternatives, number of criteria)."""
        return len(self.alternatives), len(self.criteria)

    @property
    def has_missing(self) -> bool:
        """True if any value is ``NaN``."""
        return bool(np.isnan(self.values).any())

    def subset(
        self,
        alternatives: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
    ) -> DecisionMatrix:
        """The matrix restricted to some alternatives and/or criteria (input order kept).

        Raises
        ------
        UnknownIdentifierError
            If a name is not in the matrix.
        """
        rows = self._indices("alternative", self.alternatives, alternatives)
        cols = self._indices("criterion", self.criteria, criteria)
        return DecisionMatrix(
            alternatives=tuple(self.alternatives[i] for i in rows),
            criteria=tuple(self.criteria[j] for j in cols),
            values=self.values[np.ix_(rows, cols)],
            benefit=tuple(self.benefit[j] for j in cols),
        )

    @staticmethod
    def _indices(kind: str, names: tuple[str, ...], wanted: Sequence[str] | None) -> list[int]:
        if wanted is None:
            return list(range(len(names)))
        for name in wanted:
            if name not in names:
                raise UnknownIdentifierError(kind, name, names)
        keep = set(wanted)
        return [i for i, name in enumerate(names) if name in keep]


def _check_names(field_name: str, names: tuple[str, ...]) -> None:
    if not names:
        raise DecisionMatrixError(f"{field_name}: must not be empty")
    seen: set[str] = set()
    for k, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            raise DecisionMatrixError(f"{field_name}[{k}] = {name!r}: must be a non-empty string")
        if name in seen:
            raise DecisionMatrixError(f"{field_name}[{k}] = {name!r}: duplicate")
        seen.add(name)


# --------------------------------------------------------------------------- helpers


def criterion_weights(matrix: DecisionMatrix, weights: Any) -> FloatArray:
    """Weights aligned with ``matrix.criteria``, normalised to sum 1."""
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


def complete_values(matrix: DecisionMatrix) -> FloatArray:
    if matrix.has_missing:
        raise DecisionMatrixError(
            "values: missing values (NaN); apply treat_missing() or pass missing= to rank()"
        )
    return matrix.values


def per_criterion(name: str, value: Any, n: int) -> list[Any]:
    """A scalar broadcast to n criteria, or a sequence of length n."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return [value] * n
    items = list(value)
    if len(items) != n:
        raise DecisionMatrixError(f"{name}: {len(items)} value(s) for {n} criteria")
    return items
