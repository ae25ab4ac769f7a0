"""Multi-criteria ranking: weighted sum, TOPSIS, PROMETHEE II and VIKOR.

A :class:`DecisionMatrix` holds *m* alternatives (hubs, sites, options) scored on
*n* criteria, each a benefit (more is better) or a cost (less is better). The four
methods are sibling functions that return one score per alternative; :func:`rank`
is the one dispatcher: it applies the user's missing-data policy, checks the
weights and the method's parameters, calls the method and turns the scores into a
:class:`Ranking`.

Missing values are ``NaN`` and are never read as zero: :func:`rank` refuses a
matrix with ``NaN`` unless a policy is chosen (``exclude_criterion``,
``exclude_alternative`` or ``worst``), and the ranking says what was done.

Ties
----
Two scores tie when they agree to a relative tolerance of 1e-9 (plus an absolute
1e-12, for scores near zero); the tolerance only absorbs floating-point noise.
Tied alternatives share the best rank of their group ("competition" ranking:
1, 2, 2, 4) and are listed in their input order. The tolerance is numerical, not a
value from the literature.

Modules
-------
This module is the public face of multi-criteria ranking: every name below is
importable from here. The method families live in sibling modules named after the
family, as in the MCDA literature: :mod:`~freighthub.scoring.compensatory`
(weighted sum, TOPSIS), :mod:`~freighthub.scoring.outranking` (PROMETHEE II and its
preference functions) and :mod:`~freighthub.scoring.compromise` (VIKOR). The
decision matrix and its error are defined in the private
``freighthub.scoring._common``, below the methods, so that no import is circular.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from freighthub.errors import UnknownIdentifierError
from freighthub.scoring._common import (
    TIE_ATOL,
    TIE_RTOL,
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    criterion_weights,
)
from freighthub.scoring.compensatory import topsis, weighted_sum
from freighthub.scoring.compromise import vikor, vikor_indices
from freighthub.scoring.outranking import PREFERENCE_FUNCTIONS, PreferenceFunction, promethee_ii
from freighthub.scoring.weights import WeightsError, entropy_weights

__all__ = [
    "METHODS",
    "MISSING_POLICIES",
    "PREFERENCE_FUNCTIONS",
    "DecisionMatrix",
    "DecisionMatrixError",
    "FloatArray",
    "Method",
    "MissingPolicy",
    "MissingTreatment",
    "PreferenceFunction",
    "RankedAlternative",
    "Ranking",
    "prepare",
    "promethee_ii",
    "rank",
    "rank_scores",
    "score",
    "topsis",
    "treat_missing",
    "vikor",
    "vikor_indices",
    "weighted_sum",
]

Method = Literal["wsm", "topsis", "promethee2", "vikor"]
MissingPolicy = Literal["exclude_criterion", "exclude_alternative", "worst"]

#: The methods :func:`rank` knows, with the parameters each accepts.
METHODS: dict[str, tuple[str, ...]] = {
    "wsm": ("normalization",),
    "topsis": (),
    "promethee2": ("preference", "p", "q"),
    "vikor": ("v",),
}
MISSING_POLICIES: tuple[str, ...] = ("exclude_criterion", "exclude_alternative", "worst")


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
    if missing == "exclude_criterion":
        dropped = tuple(c for j, c in enumerate(matrix.criteria) if nan[:, j].any())
        kept = [c for c in matrix.criteria if c not in dropped]
        if not kept:
            raise DecisionMatrixError(
                "values: every criterion has a missing value; exclude_criterion leaves "
                "nothing to rank"
            )
        return matrix.subset(criteria=kept), MissingTreatment(
            policy=missing,
            description=(
                f"excluded {len(dropped)} criterion/criteria with missing values "
                f"({', '.join(dropped)}); the remaining weights were renormalised to sum to 1"
            ),
            dropped_criteria=dropped,
        )
    if missing == "exclude_alternative":
        dropped = tuple(a for i, a in enumerate(matrix.alternatives) if nan[i, :].any())
        kept = [a for a in matrix.alternatives if a not in dropped]
        if not kept:
            raise DecisionMatrixError(
                "values: every alternative has a missing value; exclude_alternative "
                "leaves nothing to rank"
            )
        return matrix.subset(alternatives=kept), MissingTreatment(
            policy=missing,
            description=(
                f"excluded {len(dropped)} alternative(s) with missing values "
                f"({', '.join(dropped)}); they are not ranked"
            ),
            dropped_alternatives=dropped,
        )
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


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class RankedAlternative:
    """One alternative's score and rank (1 = best)."""

    id: str
    score: float
    rank: int


@dataclass(frozen=True)
class Ranking:
    """A ranking of alternatives.

    Attributes
    ----------
    method
        ``wsm``, ``topsis``, ``promethee2`` or ``vikor``.
    alternatives
        Ranked alternatives, best first; ties share a rank and keep input order.
    criteria, weights
        The criteria actually used and their weights (sum 1), after missing-data
        treatment.
    missing_treatment
        What was done about missing values.
    score_name
        What the score is (``closeness``, ``net_flow`` ...).
    higher_is_better
        False for VIKOR's ``Q``; True otherwise.
    parameters
        The method parameters used (including defaults).
    """

    method: str
    alternatives: tuple[RankedAlternative, ...]
    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    missing_treatment: MissingTreatment
    score_name: str
    higher_is_better: bool
    parameters: dict[str, Any] = field(default_factory=dict)

    def rank_of(self, alternative: str) -> int:
        """The rank of one alternative.

        Raises
        ------
        UnknownIdentifierError
            If the alternative is not ranked.
        """
        for item in self.alternatives:
            if item.id == alternative:
                return item.rank
        raise UnknownIdentifierError("alternative", alternative, [a.id for a in self.alternatives])

    @property
    def weights_by_criterion(self) -> dict[str, float]:
        """Criterion -> weight used."""
        return dict(zip(self.criteria, self.weights, strict=True))


def rank_scores(scores: FloatArray, higher_is_better: bool = True) -> list[int]:
    """Competition ranks (1 = best; ties share the best rank of their group).

    Scores that agree to the module's tie tolerance tie. The result is aligned with
    ``scores``.
    """
    s = np.asarray(scores, dtype=np.float64)
    key = -s if higher_is_better else s
    order = np.argsort(key, kind="stable")
    ranks = [0] * len(s)
    leader = None
    current = 0
    for position, i in enumerate(order):
        if leader is None or not np.isclose(key[i], leader, rtol=TIE_RTOL, atol=TIE_ATOL):
            leader = key[i]
            current = position + 1
        ranks[int(i)] = current
    return ranks


_SCORE_NAMES = {
    "wsm": ("weighted_sum", True),
    "topsis": ("closeness", True),
    "promethee2": ("net_flow", True),
    "vikor": ("q_index", False),
}


def _method_params(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    if method not in METHODS:
        raise UnknownIdentifierError("MCDA method", method, METHODS)
    allowed = METHODS[method]
    for name in params:
        if name not in allowed:
            raise UnknownIdentifierError(f"parameter of method {method!r}", name, allowed)
    all_defaults: dict[str, dict[str, Any]] = {
        "wsm": {"normalization": "minmax"},
        "topsis": {},
        "promethee2": {"preference": "usual", "p": None, "q": None},
        "vikor": {"v": 0.5},
    }
    defaults = all_defaults[method]
    return {**defaults, **params}


def _subset_params(
    params: dict[str, Any], original: tuple[str, ...], kept: tuple[str, ...]
) -> dict[str, Any]:
    """Drop per-criterion parameter entries of criteria removed by the missing policy."""
    out = dict(params)
    for name in ("preference", "p", "q"):
        value = out.get(name)
        if value is None or isinstance(value, str) or np.ndim(value) == 0:
            continue
        if isinstance(value, Mapping):
            out[name] = [value.get(c) for c in kept]
            continue
        items = list(value)
        if len(items) != len(original):
            raise DecisionMatrixError(f"{name}: {len(items)} value(s) for {len(original)} criteria")
        out[name] = [items[original.index(c)] for c in kept]
    return out


def _score(
    method: str, matrix: DecisionMatrix, w: FloatArray, params: dict[str, Any]
) -> FloatArray:
    if method == "wsm":
        return weighted_sum(matrix, w, **params)
    if method == "topsis":
        return topsis(matrix, w)
    if method == "promethee2":
        return promethee_ii(matrix, w, **params)
    return vikor(matrix, w, **params)


def _weights_after(matrix: DecisionMatrix, used: DecisionMatrix, weights: Any) -> FloatArray:
    """Weights of the original criteria, restricted to those kept and renormalised.

    ``weights = "entropy"`` derives entropy weights from the treated matrix.
    """
    if isinstance(weights, str):
        if weights != "entropy":
            raise UnknownIdentifierError("weighting method", weights, ("entropy",))
        try:
            return entropy_weights(used)
        except WeightsError as exc:
            raise DecisionMatrixError(str(exc)) from None
    full = criterion_weights(matrix, weights)
    keep = [matrix.criteria.index(c) for c in used.criteria]
    kept = full[keep]
    if kept.sum() <= 0:
        raise DecisionMatrixError(
            "weights: every criterion left after the missing-data treatment has weight 0"
        )
    return np.asarray(kept / kept.sum(), dtype=np.float64)


def prepare(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float] | str,
    method: str,
    missing: str | None,
    params: Mapping[str, Any],
) -> tuple[DecisionMatrix, FloatArray, MissingTreatment, dict[str, Any]]:
    """Validate everything :func:`rank` needs; shared with the stability analysis."""
    full_params = _method_params(method, params)
    used, treatment = treat_missing(matrix, missing)
    w = _weights_after(matrix, used, weights)
    if method == "promethee2":
        full_params = _subset_params(full_params, matrix.criteria, used.criteria)
    return used, w, treatment, full_params


def score(
    method: str, matrix: DecisionMatrix, weights: FloatArray, params: dict[str, Any]
) -> FloatArray:
    """Scores of a prepared (complete) matrix; used by :func:`rank` and the stability analysis."""
    return _score(method, matrix, weights, params)


def rank(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float] | str,
    method: str = "wsm",
    missing: str | None = None,
    **params: Any,
) -> Ranking:
    """Rank the alternatives of a decision matrix.

    Parameters
    ----------
    matrix
        The decision matrix (``NaN`` = missing).
    weights
        One non-negative weight per criterion of ``matrix`` (normalised to sum 1),
        or a mapping criterion -> weight, or ``"entropy"`` for entropy weights of
        the matrix after missing-data treatment. With ``exclude_criterion`` the
        weights of the dropped criteria are removed and the rest renormalised.
    method
        ``"wsm"`` (:func:`weighted_sum`), ``"topsis"`` (:func:`topsis`),
        ``"promethee2"`` (:func:`promethee_ii`) or ``"vikor"`` (:func:`vikor`).
    missing
        ``"exclude_criterion"``, ``"exclude_alternative"`` or ``"worst"``; see
        :func:`treat_missing`. Required if any value is missing.
    **params
        Method parameters: ``normalization`` (wsm); ``preference``, ``p``, ``q``
        (promethee2; per-criterion sequences follow ``matrix.criteria``); ``v``
        (vikor).

    Returns
    -------
    Ranking
        Best first; ties (scores equal to 1e-9 relative) share a rank and keep
        input order.

    Raises
    ------
    UnknownIdentifierError
        For an unknown method, parameter, policy or preference function (listing
        the valid ones).
    DecisionMatrixError
        For missing values without a policy, invalid weights or parameters.
    """
    used, w, treatment, full_params = prepare(matrix, weights, method, missing, params)
    scores = _score(method, used, w, full_params)
    score_name, higher = _SCORE_NAMES[method]
    ranks = rank_scores(scores, higher)
    order = sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
    return Ranking(
        method=method,
        alternatives=tuple(
            RankedAlternative(used.alternatives[i], float(scores[i]), ranks[i]) for i in order
        ),
        criteria=used.criteria,
        weights=tuple(float(x) for x in w),
        missing_treatment=treatment,
        score_name=score_name,
        higher_is_better=higher,
        parameters=full_params,
    )
