"""The decision matrix of multi-criteria ranking, its error and missing-data treatment.

A :class:`DecisionMatrix` holds *m* alternatives scored on *n* criteria; ``NaN``
marks a missing value, which is never read as zero. :func:`treat_missing` applies
one of the :data:`MISSING_POLICIES` and says what it did (:class:`MissingTreatment`).

This module sits at the bottom of :mod:`freighthub.scoring`: the weights
(:mod:`~freighthub.scoring.weights`), the method families
(:mod:`~freighthub.scoring.compensatory`, :mod:`~freighthub.scoring.outranking`,
:mod:`~freighthub.scoring.compromise`) and the dispatcher
(:mod:`~freighthub.scoring.mcda`, which re-exports these names) all import it, and
it imports none of them, so no import inside ``scoring`` is circular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from freighthub.errors import FreighthubError, UnknownIdentifierError

__all__ = [
    "MISSING_POLICIES",
    "TIE_ATOL",
    "TIE_RTOL",
    "DecisionMatrix",
    "DecisionMatrixError",
    "FloatArray",
    "MissingPolicy",
    "MissingTreatment",
    "complete_values",
    "per_criterion",
    "treat_missing",
]

FloatArray = npt.NDArray[np.float64]

# Numerical tolerance for ties (floating-point noise only; see freighthub.scoring.mcda).
TIE_RTOL = 1e-9
TIE_ATOL = 1e-12

MissingPolicy = Literal["exclude_criterion", "exclude_alternative", "worst"]
#: The missing-data policies :func:`treat_missing` knows.
MISSING_POLICIES: tuple[str, ...] = ("exclude_criterion", "exclude_alternative", "worst")


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


# --------------------------------------------------------------------------- missing data


@dataclass(frozen=True)
class MissingTreatment:
    """What was done about missing values before ranking.

    Attributes
    ----------
    policy
        The policy asked for (``None`` if none was needed or given).
    description
        What was done, in words.
    dropped_criteria, dropped_alternatives
        Names removed from the matrix.
    filled_cells
        (alternative, criterion) cells filled with the criterion's worst value.
    """

    policy: str | None
    description: str
    dropped_criteria: tuple[str, ...] = ()
    dropped_alternatives: tuple[str, ...] = ()
    filled_cells: tuple[tuple[str, str], ...] = ()


#: The exclusion policies: the axis of the matrix whose lines with a missing value are
#: dropped (0: alternatives, 1: criteria), the dropped things in words, what follows.
_EXCLUSIONS: dict[str, tuple[int, str, str, str]] = {
    "exclude_criterion": (
        1,
        "criterion",
        "criterion/criteria",
        "the remaining weights were renormalised to sum to 1",
    ),
    "exclude_alternative": (0, "alternative", "alternative(s)", "they are not ranked"),
}


def _exclude(
    matrix: DecisionMatrix, nan: npt.NDArray[np.bool_], missing: str
) -> tuple[DecisionMatrix, MissingTreatment]:
    """Drop every criterion or every alternative (by ``missing``) with a missing value."""
    axis, noun, counted, then = _EXCLUSIONS[missing]
    names, lines = (matrix.criteria, nan.T) if axis == 1 else (matrix.alternatives, nan)
    dropped = tuple(n for n, line in zip(names, lines, strict=True) if line.any())
    kept = [n for n in names if n not in dropped]
    if not kept:
        raise DecisionMatrixError(
            f"values: every {noun} has a missing value; {missing} leaves nothing to rank"
        )
    description = (
        f"excluded {len(dropped)} {counted} with missing values ({', '.join(dropped)}); {then}"
    )
    if axis == 1:
        treated = MissingTreatment(missing, description, dropped_criteria=dropped)
        return matrix.subset(criteria=kept), treated
    treated = MissingTreatment(missing, description, dropped_alternatives=dropped)
    return matrix.subset(alternatives=kept), treated


def treat_missing(
    matrix: DecisionMatrix, missing: str | None = None
) -> tuple[DecisionMatrix, MissingTreatment]:
    """Apply a missing-data policy and return the complete matrix and what was done.

    Parameters
    ----------
    matrix
        The decision matrix, possibly with ``NaN``.
    missing
        ``"exclude_criterion"`` drops every criterion with a missing value;
        ``"exclude_alternative"`` drops every alternative with a missing value;
        ``"worst"`` fills a missing value with the worst observed value of its
        criterion (the minimum for a benefit, the maximum for a cost criterion).
        ``None`` is allowed only if nothing is missing.

    Raises
    ------
    DecisionMatrixError
        If values are missing and no policy is given, if a policy leaves nothing to
        rank, or if ``worst`` meets a criterion with no observed value.
    UnknownIdentifierError
        If the policy is not one of :data:`MISSING_POLICIES`.
    """
    if missing is not None and missing not in MISSING_POLICIES:
        raise UnknownIdentifierError("missing-data policy", str(missing), MISSING_POLICIES)
    nan = np.isnan(matrix.values)
    if not nan.any():
        return matrix, MissingTreatment(policy=missing, description="no missing values")
    cells = [(matrix.alternatives[i], matrix.criteria[j]) for i, j in np.argwhere(nan)]
    if missing is None:
        shown = ", ".join(f"{a}/{c}" for a, c in cells[:5])
        more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
        raise DecisionMatrixError(
            f"values: {len(cells)} missing value(s) ({shown}{more}); choose how to treat "
            f"them: missing = {' | '.join(MISSING_POLICIES)}"
        )
    if missing in _EXCLUSIONS:
        return _exclude(matrix, nan, missing)
    # worst
    values = np.array(matrix.values)
    for j, criterion in enumerate(matrix.criteria):
        column = values[:, j]
        if not nan[:, j].any():
            continue
        if nan[:, j].all():
            raise DecisionMatrixError(
                f"values[:, {criterion!r}]: no alternative has a value, so there is no "
                "worst value; use missing = exclude_criterion"
            )
        worst = np.nanmin(column) if matrix.benefit[j] else np.nanmax(column)
        column[nan[:, j]] = worst
    filled = DecisionMatrix(matrix.alternatives, matrix.criteria, values, matrix.benefit)
    return filled, MissingTreatment(
        policy=missing,
        description=(
            f"filled {len(cells)} missing value(s) with the worst observed value of their "
            "criterion (minimum of a benefit, maximum of a cost criterion)"
        ),
        filled_cells=tuple(cells),
    )
