"""Multi-criteria ranking: one registry of methods and the one dispatcher, :func:`rank`.

A :class:`DecisionMatrix` holds *m* alternatives (hubs, sites, options) scored on
*n* criteria, each a benefit (more is better) or a cost (less is better). The
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

The registry
------------
:data:`METHODS` has one row per method, a :class:`MethodSpec`: the scoring
function (its keyword-only parameters and their defaults are the method's
parameters), the parameters that may be given one value per criterion, the name
of the score and whether a higher score is better. Everything else is derived from
it: the names :func:`rank`, :func:`~freighthub.assessment.assess` and the CLI
accept, the parameters each method takes and their defaults, the dispatch, the
per-criterion parameters kept after missing-data treatment, the CLI's options per
method and its help texts. A new method is one function, one row here, and its two
report labels (``[text.method]`` and ``[text.score_name]`` in
``freighthub/report/i18n/{en,zh}.toml``); the common tests in
``tests/scoring/test_mcda_common.py`` then run over it.

Where the methods live
----------------------
This module is the public face of multi-criteria ranking: every name below is
importable from here. The method families live in sibling modules named after the
family, as in the MCDA literature: :mod:`~freighthub.scoring.compensatory`
(weighted sum, TOPSIS), :mod:`~freighthub.scoring.outranking` (PROMETHEE II and its
preference functions) and :mod:`~freighthub.scoring.compromise` (VIKOR). The
decision matrix, its error and the missing-data treatment are defined in
:mod:`~freighthub.scoring.matrix`, the weights in
:mod:`~freighthub.scoring.weights`; both sit below the methods, so that no import
is circular.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from freighthub.errors import UnknownIdentifierError, one_by_id
from freighthub.frames import data_frame, record
from freighthub.scoring.compensatory import topsis, weighted_sum
from freighthub.scoring.compromise import vikor, vikor_indices
from freighthub.scoring.matrix import (
    MISSING_POLICIES,
    TIE_ATOL,
    TIE_RTOL,
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    MissingPolicy,
    MissingTreatment,
    treat_missing,
)
from freighthub.scoring.outranking import PREFERENCE_FUNCTIONS, PreferenceFunction, promethee_ii
from freighthub.scoring.weights import WeightsError, criterion_weights, entropy_weights

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "METHODS",
    "MISSING_POLICIES",
    "PREFERENCE_FUNCTIONS",
    "RANK_METHOD",
    "DecisionMatrix",
    "DecisionMatrixError",
    "FloatArray",
    "Method",
    "MethodSpec",
    "MissingPolicy",
    "MissingTreatment",
    "PreferenceFunction",
    "RankedAlternative",
    "Ranking",
    "method_spec",
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

#: The name of an MCDA method: a key of :data:`METHODS` (checked by :func:`method_spec`).
Method: TypeAlias = str


@dataclass(frozen=True)
class MethodSpec:
    """One MCDA method: everything :func:`rank`, the CLI and the report need to know.

    Attributes
    ----------
    score
        ``score(matrix, weights, **params) -> scores``: one score per alternative of
        a complete :class:`DecisionMatrix`, in input order. Its keyword-only
        parameters, with their defaults, are the method's parameters.
    score_name
        What the score is (``closeness``, ``net_flow`` ...); the report's label key
        ``score_name.<score_name>``.
    higher_is_better
        True if the best alternative has the highest score; False if the lowest
        (VIKOR's ``Q``).
    per_criterion
        Parameters that may be given one value per criterion (a sequence in
        ``matrix.criteria`` order, or a mapping by criterion); the entries of
        criteria dropped by the missing-data treatment are dropped with them.

    Raises
    ------
    ValueError
        If a keyword-only parameter of ``score`` has no default, or a
        ``per_criterion`` name is not one of its parameters (a programming error).
    """

    score: Callable[..., FloatArray]
    score_name: str
    higher_is_better: bool
    per_criterion: frozenset[str] = field(default_factory=frozenset)
    _defaults: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        defaults: dict[str, Any] = {}
        for name, parameter in inspect.signature(self.score).parameters.items():
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
                continue
            if parameter.default is inspect.Parameter.empty:
                raise ValueError(
                    f"{self.score.__name__}: keyword-only parameter {name!r} needs a default"
                )
            defaults[name] = parameter.default
        per = frozenset(self.per_criterion)
        unknown = sorted(per - set(defaults))
        if unknown:
            raise ValueError(
                f"per_criterion: {', '.join(unknown)} is not a keyword-only parameter of "
                f"{self.score.__name__}"
            )
        object.__setattr__(self, "per_criterion", per)
        object.__setattr__(self, "_defaults", defaults)

    @property
    def defaults(self) -> dict[str, Any]:
        """The method's parameters (keyword-only parameters of ``score``) and their defaults."""
        return dict(self._defaults)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The names of the method's parameters, in signature order."""
        return tuple(self._defaults)


#: The methods :func:`rank` knows: one row per method (see the module docstring).
METHODS: dict[str, MethodSpec] = {
    "wsm": MethodSpec(weighted_sum, score_name="weighted_sum", higher_is_better=True),
    "topsis": MethodSpec(topsis, score_name="closeness", higher_is_better=True),
    "promethee2": MethodSpec(
        promethee_ii,
        score_name="net_flow",
        higher_is_better=True,
        per_criterion=frozenset({"preference", "p", "q"}),
    ),
    "vikor": MethodSpec(vikor, score_name="q_index", higher_is_better=False),
}


#: The method :func:`rank` (and ``freighthub rank``) uses unless told: the weighted sum.
RANK_METHOD = "wsm"


def method_spec(method: str) -> MethodSpec:
    """The registry row of ``method``.

    Raises
    ------
    UnknownIdentifierError
        If ``method`` is not a key of :data:`METHODS` (the message lists them).
    """
    spec = METHODS.get(method) if isinstance(method, str) else None
    if spec is None:
        raise UnknownIdentifierError("MCDA method", str(method), METHODS)
    return spec


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
        The method: a key of :data:`METHODS`.
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
        Whether a higher score is better (False for VIKOR's ``Q``); from :data:`METHODS`.
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
        return one_by_id(self.alternatives, alternative, "alternative").rank

    @property
    def weights_by_criterion(self) -> dict[str, float]:
        """Criterion -> weight used."""
        return dict(zip(self.criteria, self.weights, strict=True))

    def to_pandas(self) -> pd.DataFrame:
        """One row per alternative, best first: ``id``, ``rank``, ``score``."""
        rows = (record(a) for a in self.alternatives)
        return data_frame(rows, ("id", "rank", "score"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: method, score name, criteria, weights, treatment, alternatives."""
        return {
            "method": self.method,
            "score_name": self.score_name,
            "higher_is_better": self.higher_is_better,
            "criteria": list(self.criteria),
            "weights": list(self.weights),
            "missing_treatment": self.missing_treatment.description,
            "alternatives": [
                {"id": a.id, "score": a.score, "rank": a.rank} for a in self.alternatives
            ],
        }


def rank_scores(scores: FloatArray, higher_is_better: bool = True) -> list[int]:
    """Competition ranks (1 = best; ties share the best rank of their group).

    Scores that agree to the module's tie tolerance tie. The result is aligned with
    ``scores``.
    """
    s = np.asarray(scores, dtype=np.float64)
    key = -s if higher_is_better else s
    order = np.argsort(key, kind="stable")
    ranks = [0] * len(s)
    leader: float | None = None
    current = 0
    values = key.tolist()
    for position, i in enumerate(order.tolist()):
        x = values[i]
        # numpy.isclose(x, leader, rtol, atol) on plain floats: |x - leader| <= atol + rtol |leader|
        tied = leader is not None and (
            x == leader or abs(x - leader) <= TIE_ATOL + TIE_RTOL * abs(leader)
        )
        if not tied:
            leader = x
            current = position + 1
        ranks[i] = current
    return ranks


def _method_params(spec: MethodSpec, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    defaults = spec.defaults
    for name in params:
        if name not in defaults:
            raise UnknownIdentifierError(f"parameter of method {method!r}", name, defaults)
    return {**defaults, **params}


def _subset_params(
    spec: MethodSpec, params: dict[str, Any], original: tuple[str, ...], kept: tuple[str, ...]
) -> dict[str, Any]:
    """Drop per-criterion parameter entries of criteria removed by the missing policy."""
    out = dict(params)
    for name in spec.parameters:
        if name not in spec.per_criterion:
            continue
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
    spec = method_spec(method)
    full_params = _method_params(spec, method, params)
    used, treatment = treat_missing(matrix, missing)
    w = _weights_after(matrix, used, weights)
    full_params = _subset_params(spec, full_params, matrix.criteria, used.criteria)
    return used, w, treatment, full_params


def score(
    method: str, matrix: DecisionMatrix, weights: FloatArray, params: dict[str, Any]
) -> FloatArray:
    """Scores of a prepared (complete) matrix; used by :func:`rank` and the stability analysis."""
    return method_spec(method).score(matrix, weights, **params)


def rank(
    matrix: DecisionMatrix,
    weights: Sequence[float] | FloatArray | Mapping[str, float] | str,
    method: str = RANK_METHOD,
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
        A key of :data:`METHODS`: ``"wsm"`` (:func:`weighted_sum`), ``"topsis"``
        (:func:`topsis`), ``"promethee2"`` (:func:`promethee_ii`), ``"vikor"``
        (:func:`vikor`) and any method registered there.
    missing
        ``"exclude_criterion"``, ``"exclude_alternative"`` or ``"worst"``; see
        :func:`treat_missing`. Required if any value is missing.
    **params
        Method parameters: the keyword-only parameters of the method's function
        (``METHODS[method].defaults``); those in ``METHODS[method].per_criterion``
        may be sequences that follow ``matrix.criteria``.

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
    spec = METHODS[method]
    scores = spec.score(used, w, **full_params)
    ranks = rank_scores(scores, spec.higher_is_better)
    order = sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
    return Ranking(
        method=method,
        alternatives=tuple(
            RankedAlternative(used.alternatives[i], float(scores[i]), ranks[i]) for i in order
        ),
        criteria=used.criteria,
        weights=tuple(float(x) for x in w),
        missing_treatment=treatment,
        score_name=spec.score_name,
        higher_is_better=spec.higher_is_better,
        parameters=full_params,
    )
