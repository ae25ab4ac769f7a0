"""Data uncertainty of a decision matrix: plausible ranges, and sampling missing and assumed values.

The rank-acceptability analysis (:mod:`freighthub.scoring.stability`) samples
weights; with a :class:`DataSampler` it samples the data too, so that a rank
probability counts weight *and* data samples:

* a **missing** value (the criterion applies, the hub gives no value) is drawn
  uniformly from its criterion's plausible range (SMAA: Lahdelma, Hokkanen &
  Salminen 1998; Lahdelma & Salminen 2001); the point ranking uses the middle of
  the range;
* a **given** value v is drawn uniformly from ``v * [1 - h, 1 + h]``, h the relative
  half-width of its confidence label (:attr:`DataUncertainty.relative_half_width`;
  an ``assumption`` is perturbed, a ``verified`` value not, by default);
* a **not-applicable** value takes the worst end of the range and is not sampled:
  a hub that does not serve a mode earns nothing on that mode's criteria;
* a criterion read as pass/fail (1/0; boolean and one-of rules) has the range
  [0, 1]; a missing value is 0 or 1 with equal chance and given values are not
  perturbed;
* a **simulated** value with replications (``replications``) is drawn from its
  replications' values, each with equal chance (the empirical distribution of the
  simulation's outcome), then perturbed as a given value of its confidence label;
  the point ranking uses their mean. The draw reuses the uniform number the cell
  would use if it were missing, so identical replications leave every sample
  exactly as without them.

The plausible range of a criterion is the one the policy gives
(:attr:`DataUncertainty.ranges`); else the span of the values the hubs give
(observed, assumed and simulated, with every replication of a simulated one), of the criterion's thresholds and, for a benefit criterion
when :attr:`DataUncertainty.benefit_from_zero` is set, of 0: the benefits a hub
profile reads (lengths, capacities, throughputs) cannot be negative and a hub that
reports none may have none, so a value observed for one hub counts against a
missing one, and holding data earns something. If that span is a single
value v it becomes ``v * [1 - d, 1 + d]`` (d =
:attr:`DataUncertainty.degenerate_relative_half_width`; ``[-d, d]`` for v = 0), so
that a value observed once still counts against a missing one. Its worst end
(the low end of a benefit, the high end of a cost criterion) is what the ``worst``
treatment fills in.

The numbers of the policy are project assumptions kept in
``standards/methods/ranking-uncertainty.toml``; this module receives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.criteria import CriterionSpec, RuleKind
from freighthub.scoring.matrix import DecisionMatrix, DecisionMatrixError, FloatArray
from freighthub.vocabulary import Confidence

__all__ = [
    "UNLABELLED",
    "DataSampler",
    "DataUncertainty",
    "criterion_anchors",
    "discrete_criteria",
    "plausible_range",
]

#: The key of :attr:`DataUncertainty.relative_half_width` for a value without a label.
UNLABELLED = "unlabelled"


@dataclass(frozen=True)
class DataUncertainty:
    """How missing and assumed values are treated (numbers from a policy file).

    Attributes
    ----------
    min_observed
        A criterion with fewer observed (not assumed) values among the ranked hubs is
        dropped [count].
    relative_half_width
        Confidence label (or ``"unlabelled"``) -> relative half-width h of the
        uniform perturbation of a given value [0-1].
    degenerate_relative_half_width
        Relative half-width of a range that would otherwise be a single value [-].
    ranges
        Criterion id -> plausible (min, max) [criterion unit], where the policy gives one.
    benefit_from_zero
        The plausible range of a benefit criterion without a stated range reaches
        down to 0.
    source
        Where the numbers come from, as one line (shown with the results).
    """

    min_observed: int = 1
    relative_half_width: Mapping[str, float] = field(default_factory=dict)
    degenerate_relative_half_width: float = 0.5
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    benefit_from_zero: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.min_observed, bool) or self.min_observed < 0:
            raise DecisionMatrixError(f"min_observed = {self.min_observed!r}: must be >= 0")
        for label, h in self.relative_half_width.items():
            if not 0 <= h < 1:
                raise DecisionMatrixError(
                    f"relative_half_width[{label!r}] = {h!r}: must be >= 0 and < 1"
                )
        if not self.degenerate_relative_half_width > 0:
            raise DecisionMatrixError(
                f"degenerate_relative_half_width = {self.degenerate_relative_half_width!r}: "
                "must be > 0"
            )
        for name, (lo, hi) in self.ranges.items():
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise DecisionMatrixError(
                    f"ranges[{name!r}] = ({lo!r}, {hi!r}): must be finite with min < max"
                )

    def half_width(self, confidence: Confidence | None) -> float:
        """The relative half-width for a confidence label (0 if the policy gives none)."""
        key = UNLABELLED if confidence is None else confidence.value
        return float(self.relative_half_width.get(key, 0.0))


def plausible_range(
    known: Sequence[float], anchors: Sequence[float], degenerate: float
) -> tuple[float, float]:
    """The span of the known values and anchors (thresholds), widened if it is one value.

    Raises
    ------
    DecisionMatrixError
        If there is no known value and no anchor.
    """
    points = [float(x) for x in (*known, *anchors) if np.isfinite(x)]
    if not points:
        raise DecisionMatrixError("no value and no threshold: no plausible range")
    lo, hi = min(points), max(points)
    if hi > lo:
        return lo, hi
    spread = abs(lo) * degenerate if lo != 0 else degenerate
    return lo - spread, hi + spread


@dataclass(frozen=True)
class DataSampler:
    """A complete decision matrix and how to sample its uncertain cells.

    Build it with :meth:`build`. ``point`` is the matrix the point ranking uses
    (missing values at the middle of their range, not-applicable at the worst end);
    :meth:`sample` draws one matrix of values.
    """

    point: DecisionMatrix
    low: FloatArray
    high: FloatArray
    missing: np.ndarray
    discrete: tuple[bool, ...]
    half_width: FloatArray
    simulated: tuple[tuple[int, int, FloatArray], ...] = ()

    @classmethod
    def build(
        cls,
        matrix: DecisionMatrix,
        status: Sequence[Sequence[DataStatus]],
        confidence: Sequence[Sequence[Confidence | None]],
        policy: DataUncertainty,
        anchors: Mapping[str, Sequence[float]] | None = None,
        discrete: Sequence[str] = (),
        fill: str = "middle",
        replications: Mapping[tuple[str, str], Sequence[float]] | None = None,
    ) -> DataSampler:
        """Prepare sampling for a matrix whose cells have a :class:`DataStatus`.

        Parameters
        ----------
        matrix
            Values (``NaN`` for missing and not-applicable cells).
        status, confidence
            Per alternative and criterion (same shape as the matrix).
        policy
            The half-widths and ranges.
        anchors
            Criterion -> thresholds that bound its plausible range.
        discrete
            Criteria read as 1/0 (pass/fail).
        fill
            ``"middle"`` (missing at the middle of the range) or ``"worst"`` (at the
            worst end), for the point matrix.
        replications
            ``(alternative, criterion)`` -> the simulation replications' values of a
            given cell (NaNs left out; a cell without a value, or not in the matrix,
            is ignored).
        """
        m, n = matrix.shape
        values = np.array(matrix.values)
        low, high = np.zeros(n), np.zeros(n)
        missing = np.zeros((m, n), dtype=bool)
        half = np.zeros((m, n))
        anchors = anchors or {}
        simulated: list[tuple[int, int, FloatArray]] = []
        for (a, c), reps in (replications or {}).items():
            if a not in matrix.alternatives or c not in matrix.criteria:
                continue
            i, j = matrix.alternatives.index(a), matrix.criteria.index(c)
            x = np.asarray([v for v in reps if np.isfinite(v)], dtype=np.float64)
            given_cell = not np.isnan(values[i, j])
            if x.size and given_cell and status[i][j] is not DataStatus.NOT_APPLICABLE:
                simulated.append((i, j, x))
        for j, name in enumerate(matrix.criteria):
            column = values[:, j]
            # the span of the given values takes in every replication drawn
            given = np.concatenate(
                [column[~np.isnan(column)], *(x for _, k, x in simulated if k == j)]
            )
            if name in discrete:
                lo, hi = 0.0, 1.0
            elif name in policy.ranges:
                lo, hi = policy.ranges[name]
                lo, hi = min(lo, *given, hi), max(hi, *given, lo)
            else:
                floor = [0.0] if matrix.benefit[j] and policy.benefit_from_zero else []
                try:
                    lo, hi = plausible_range(
                        list(given),
                        [*anchors.get(name, ()), *floor],
                        policy.degenerate_relative_half_width,
                    )
                except DecisionMatrixError as exc:
                    raise DecisionMatrixError(f"values[:, {name!r}]: {exc}") from None
            low[j], high[j] = lo, hi
            worst = lo if matrix.benefit[j] else hi
            for i in range(m):
                s = status[i][j]
                if s is DataStatus.NOT_APPLICABLE or (np.isnan(column[i]) and fill == "worst"):
                    values[i, j] = worst
                elif np.isnan(column[i]):
                    missing[i, j] = True
                    values[i, j] = (lo + hi) / 2 if name not in discrete else 0.5
                elif name not in discrete:
                    half[i, j] = policy.half_width(confidence[i][j])
        point = DecisionMatrix(matrix.alternatives, matrix.criteria, values, matrix.benefit)
        return cls(
            simulated=tuple(simulated),
            point=point,
            low=low,
            high=high,
            missing=missing,
            discrete=tuple(c in discrete for c in matrix.criteria),
            half_width=half,
        )

    @property
    def worst(self) -> FloatArray:
        """The worst plausible value per criterion (low end of benefit, high end of cost)."""
        return np.where(np.array(self.point.benefit), self.low, self.high)

    def sample(self, rng: np.random.Generator) -> FloatArray:
        """One draw of the values: missing cells over their range, simulated ones from
        their replications, given ones perturbed."""
        values = np.array(self.point.values)
        m, n = values.shape
        draws = rng.random((m, n))
        lo = np.broadcast_to(self.low, (m, n))
        hi = np.broadcast_to(self.high, (m, n))
        discrete = np.broadcast_to(np.array(self.discrete), (m, n))
        uniform = lo + draws * (hi - lo)
        coin = np.where(draws < 0.5, lo, hi)
        values = np.where(self.missing, np.where(discrete, coin, uniform), values)
        for i, j, reps in self.simulated:
            values[i, j] = reps[min(int(draws[i, j] * reps.size), reps.size - 1)]
        perturbed = values * (1.0 + self.half_width * (2.0 * rng.random((m, n)) - 1.0))
        return np.where(self.missing | (self.half_width == 0), values, perturbed)


def criterion_anchors(specs: Sequence[CriterionSpec]) -> dict[str, tuple[float, ...]]:
    """Criterion id -> the numbers its rule names (threshold, partial threshold, band limits)."""
    out: dict[str, tuple[float, ...]] = {}
    for spec in specs:
        if not spec.is_numeric:
            continue
        numbers = [spec.threshold, spec.partial_threshold, *(b.limit for b in spec.bands)]
        out[spec.id] = tuple(float(x) for x in numbers if x is not None)
    return out


def discrete_criteria(specs: Sequence[CriterionSpec]) -> tuple[str, ...]:
    """The criteria the decision matrix reads as pass/fail (1/0): boolean and one-of rules."""
    return tuple(s.id for s in specs if s.rule in {RuleKind.BOOLEAN, RuleKind.ONE_OF})
