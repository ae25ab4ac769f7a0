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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.scoring.weights import WeightsError, direct_weights, entropy_weights

__all__ = [
    "METHODS",
    "MISSING_POLICIES",
    "PREFERENCE_FUNCTIONS",
    "DecisionMatrix",
    "DecisionMatrixError",
    "MissingTreatment",
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

FloatArray = npt.NDArray[np.float64]
Method = Literal["wsm", "topsis", "promethee2", "vikor"]
MissingPolicy = Literal["exclude_criterion", "exclude_alternative", "worst"]
PreferenceFunction = Literal["usual", "linear", "v_shape"]

#: The methods :func:`rank` knows, with the parameters each accepts.
METHODS: dict[str, tuple[str, ...]] = {
    "wsm": ("normalization",),
    "topsis": (),
    "promethee2": ("preference", "p", "q"),
    "vikor": ("v",),
}
MISSING_POLICIES: tuple[str, ...] = ("exclude_criterion", "exclude_alternative", "worst")
PREFERENCE_FUNCTIONS: tuple[str, ...] = ("usual", "linear", "v_shape")
_WSM_NORMALIZATIONS = ("minmax", "max")

# Numerical tolerance for ties (floating-point noise only; see the module docstring).
_TIE_RTOL = 1e-9
_TIE_ATOL = 1e-12


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


# --------------------------------------------------------------------------- helpers


def _weights(matrix: DecisionMatrix, weights: Any) -> FloatArray:
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


def _complete(matrix: DecisionMatrix) -> FloatArray:
    if matrix.has_missing:
        raise DecisionMatrixError(
            "values: missing values (NaN); apply treat_missing() or pass missing= to rank()"
        )
    return matrix.values


def _per_criterion(name: str, value: Any, n: int) -> list[Any]:
    """A scalar broadcast to n criteria, or a sequence of length n."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return [value] * n
    items = list(value)
    if len(items) != n:
        raise DecisionMatrixError(f"{name}: {len(items)} value(s) for {n} criteria")
    return items


# --------------------------------------------------------------------------- methods


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
    x = _complete(matrix)
    w = _weights(matrix, weights)
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
    x = _complete(matrix)
    w = _weights(matrix, weights)
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
    kinds = _per_criterion("preference", preference, n)
    ps = _per_criterion("p", p, n) if p is not None else [None] * n
    qs = _per_criterion("q", q, n) if q is not None else [None] * n
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
    x = _complete(matrix)
    w = _weights(matrix, weights)
    setup = _promethee_setup(matrix, preference, p, q)
    return _net_flow(_preference_matrices(x, matrix.benefit, setup), w)


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
    x = _complete(matrix)
    w = _weights(matrix, weights)
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
    if hi - lo <= _TIE_ATOL:
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
        if leader is None or not np.isclose(key[i], leader, rtol=_TIE_RTOL, atol=_TIE_ATOL):
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
    full = _weights(matrix, weights)
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
