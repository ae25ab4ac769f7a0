"""Rankings that missing data cannot decide: one call from a decision matrix with data statuses.

:func:`robust_rank` is what ``freighthub score`` runs. In order:

1. **Minimum observed.** A criterion with fewer observed (not assumed, not missing;
   simulated from inputs not labelled ``assumption`` counts) values than :attr:`DataUncertainty.min_observed` is dropped; a hub with no given
   value on any criterion left is not ranked. Both are said (``dropped_criteria``,
   ``dropped_alternatives``).
2. **Missing data.** ``sample`` (the default): missing values sit at the middle of
   their plausible range in the point ranking and are drawn over it in every Monte
   Carlo sample, with the given values within their confidence label's range
   (:mod:`freighthub.scoring.uncertainty`). ``worst``: missing values take the worst
   end of the plausible range (not the worst *observed* value, which made a criterion
   observed once constant, so that holding data earned nothing); only weights are
   sampled. ``exclude_criterion`` / ``exclude_alternative``: as
   :func:`~freighthub.scoring.matrix.treat_missing`; only weights are sampled.
3. **Ranking and stability** with the chosen method
   (:func:`~freighthub.scoring.stability.rank_stability`), plus the rank acceptability
   of the consensus.
4. **Consensus** of every method of :data:`~freighthub.scoring.mcda.METHODS`
   (Copeland, ties broken by Borda) and Kendall's tau between them
   (:mod:`freighthub.scoring.consensus`).
5. **Lead check.** For the first place of the chosen method and of the consensus:
   each of the leader's assumed or imputed values is set, one at a time, to the worst
   end of its range (an assumed value v to ``v (1 - h)`` for a benefit, ``v (1 + h)``
   for a cost criterion; an imputed one to the worst plausible value); if the leader
   then loses first place, its lead depends on that value (:class:`LeadDependence`).
   A simulated value with replications is tried at its worst replication.
   If no single value decides, all of them are tried together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np

from freighthub.errors import UnknownIdentifierError
from freighthub.scoring.consensus import Consensus, consensus
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.matrix import (
    MISSING_POLICIES,
    DecisionMatrix,
    DecisionMatrixError,
    FloatArray,
    MissingTreatment,
    treat_missing,
)
from freighthub.scoring.mcda import METHODS, Ranking, method_spec, rank, rank_scores, score
from freighthub.scoring.stability import Stability, rank_stability
from freighthub.scoring.uncertainty import DataSampler, DataUncertainty
from freighthub.vocabulary import Confidence

__all__ = [
    "ASSESSMENT_METHOD",
    "ASSESSMENT_POLICY",
    "ROBUST_POLICIES",
    "LeadDependence",
    "RobustRanking",
    "robust_policy",
    "robust_rank",
]

#: The missing-data treatment of an assessment unless told (:func:`robust_rank`,
#: :func:`~freighthub.assessment.assess`, ``score --missing``, the report spec).
ASSESSMENT_POLICY: Final = "sample"
#: The missing-data treatments of :func:`robust_rank`, the default first.
ROBUST_POLICIES: tuple[str, ...] = (ASSESSMENT_POLICY, *MISSING_POLICIES)
#: The MCDA method an assessment ranks with unless told (a key of
#: :data:`~freighthub.scoring.mcda.METHODS`; :func:`robust_rank`,
#: :func:`~freighthub.assessment.assess`, ``score --method``, the report spec's ``methods``).
ASSESSMENT_METHOD = "topsis"


def robust_policy(missing: str) -> str:
    """``missing``, checked to be a treatment of :data:`ROBUST_POLICIES`.

    Raises
    ------
    UnknownIdentifierError
        If it is not (the message lists them).
    """
    if missing not in ROBUST_POLICIES:
        raise UnknownIdentifierError("missing-data policy", str(missing), ROBUST_POLICIES)
    return missing


@dataclass(frozen=True)
class LeadDependence:
    """A first place that a single assumed, imputed or simulated value decides.

    Attributes
    ----------
    ranking
        ``"method"`` (the chosen method's first place) or ``"consensus"``.
    leader
        The alternative first with the values as used.
    criteria
        The criteria whose value was set to the worst end of its range (one, or all
        the leader's uncertain values together).
    statuses
        Their data status (``assumed``, ``imputed`` or ``simulated``: tried at its
        worst replication).
    values, worst_values
        The values used and the values tried [criterion units].
    first_after
        The alternative(s) first with the worst values.
    """

    ranking: str
    leader: str
    criteria: tuple[str, ...]
    statuses: tuple[DataStatus, ...]
    values: tuple[float, ...]
    worst_values: tuple[float, ...]
    first_after: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "ranking": self.ranking,
            "leader": self.leader,
            "criteria": list(self.criteria),
            "statuses": [s.value for s in self.statuses],
            "values": list(self.values),
            "worst_values": list(self.worst_values),
            "first_after": list(self.first_after),
        }


@dataclass(frozen=True)
class RobustRanking:
    """A ranking with its data treatment, consensus and lead check (see the module docstring).

    Attributes
    ----------
    missing
        The treatment used (a key of :data:`ROBUST_POLICIES`).
    description
        What was done about missing and assumed values, in words.
    dropped_criteria, dropped_alternatives
        ``(name, reason)`` pairs.
    imputed
        ``(alternative, criterion)`` cells filled or sampled by the treatment.
    ranking
        The chosen method's ranking of the point matrix.
    stability
        Its rank acceptability (and the consensus's), ``None`` without samples.
    consensus
        Every method's ranking of the point matrix and their consensus.
    lead
        First places that an assumed or imputed value decides.
    policy_source
        Where the sampling numbers come from.
    min_observed
        The minimum observed values per criterion applied.
    not_applicable
        Not-applicable cells set to the worst end of their range (``sample``, ``worst``).
    """

    missing: str
    description: str
    dropped_criteria: tuple[tuple[str, str], ...]
    dropped_alternatives: tuple[tuple[str, str], ...]
    imputed: tuple[tuple[str, str], ...]
    ranking: Ranking
    stability: Stability | None
    consensus: Consensus
    lead: tuple[LeadDependence, ...]
    policy_source: str = ""
    min_observed: int = 1
    not_applicable: int = 0

    @property
    def samples_of(self) -> str:
        """What the Monte Carlo samples drew: ``weight`` or ``weight and data``."""
        return "weight" if self.stability is None else self.stability.samples_of

    def consensus_first_probability(self) -> dict[str, float]:
        """Alternative -> share of samples in which it was consensus first (empty without)."""
        s = self.stability
        if s is None or s.consensus_acceptability is None:
            return {}
        return {a: row[0] for a, row in zip(s.alternatives, s.consensus_acceptability, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the consensus with its rank acceptability, the data treatment, the lead."""
        out = self.consensus.to_dict()
        s = self.stability
        out["rank_acceptability"] = (
            None
            if s is None or s.consensus_acceptability is None
            else {
                a: list(row)
                for a, row in zip(s.alternatives, s.consensus_acceptability, strict=True)
            }
        )
        out["first_rank_probability"] = self.consensus_first_probability() or None
        out["samples_of"] = self.samples_of
        out["n_samples"] = 0 if s is None else s.n_samples
        out["missing"] = self.missing
        out["data_treatment"] = self.description
        out["policy_source"] = self.policy_source
        out["min_observed"] = self.min_observed
        out["dropped_criteria"] = [{"criterion": c, "reason": r} for c, r in self.dropped_criteria]
        out["dropped_alternatives"] = [
            {"alternative": a, "reason": r} for a, r in self.dropped_alternatives
        ]
        out["imputed"] = [{"alternative": a, "criterion": c} for a, c in self.imputed]
        out["lead_depends_on"] = [x.to_dict() for x in self.lead]
        return out


def _evidence(status: DataStatus, confidence: Confidence | None) -> bool:
    """A value that counts towards the minimum observed: observed, or simulated from
    inputs not labelled ``assumption``."""
    if status is DataStatus.SIMULATED:
        return confidence is not Confidence.ASSUMPTION
    return status is DataStatus.OBSERVED


def _drop_sparse(
    matrix: DecisionMatrix,
    status: Sequence[Sequence[DataStatus]],
    confidence: Sequence[Sequence[Confidence | None]],
    weights: Mapping[str, float],
    min_observed: int,
) -> tuple[list[int], list[int], list[tuple[str, str]], list[tuple[str, str]]]:
    """Rows and columns kept, and what was dropped with the reason."""
    m = len(matrix.alternatives)
    dropped_c: list[tuple[str, str]] = []
    cols: list[int] = []
    for j, name in enumerate(matrix.criteria):
        observed = sum(_evidence(status[i][j], confidence[i][j]) for i in range(m))
        if observed < min_observed:
            dropped_c.append(
                (name, f"observed for {observed} hub(s), fewer than the minimum {min_observed}")
            )
        elif weights.get(name, 0.0) > 0:
            cols.append(j)
    if not cols:
        raise DecisionMatrixError(
            f"every criterion is observed for fewer than {min_observed} hub(s) (or has weight "
            "0); nothing to rank on evidence"
        )
    given = {DataStatus.OBSERVED, DataStatus.ASSUMED, DataStatus.SIMULATED}
    rows = [i for i in range(m) if any(status[i][j] in given for j in cols)]
    dropped_a = [
        (a, "no value for any criterion used")
        for i, a in enumerate(matrix.alternatives)
        if i not in rows
    ]
    if not rows:
        raise DecisionMatrixError("no hub gives a value for any criterion used; nothing to rank")
    return rows, cols, dropped_c, dropped_a


def _winners(ranks: Sequence[int], names: Sequence[str]) -> tuple[str, ...]:
    return tuple(a for a, r in zip(names, ranks, strict=True) if r == 1)


def _lead(
    kind: str,
    sampler: DataSampler,
    status: Sequence[Sequence[DataStatus]],
    first: Callable[[FloatArray], tuple[str, ...]],
) -> list[LeadDependence]:
    point = sampler.point
    leaders = first(point.values)
    if len(leaders) != 1:
        return []
    leader = leaders[0]
    i = point.alternatives.index(leader)
    cells: list[tuple[int, DataStatus, float]] = []
    replicated = {j: x for k, j, x in sampler.simulated if k == i}
    for j in range(len(point.criteria)):
        worst = float(sampler.worst[j])
        if sampler.missing[i, j]:
            cells.append((j, DataStatus.IMPUTED, worst))
        elif j in replicated:
            x = replicated[j]
            bad = float(x.min() if point.benefit[j] else x.max())
            if bad != float(point.values[i, j]):
                cells.append((j, DataStatus.SIMULATED, bad))
        elif status[i][j] is DataStatus.ASSUMED and sampler.half_width[i, j] > 0:
            v, h = float(point.values[i, j]), float(sampler.half_width[i, j])
            cells.append((j, DataStatus.ASSUMED, v * (1 - h) if point.benefit[j] else v * (1 + h)))
    found: list[LeadDependence] = []

    def attempt(chosen: list[tuple[int, DataStatus, float]]) -> None:
        values = np.array(point.values)
        for j, _, worst in chosen:
            values[i, j] = worst
        after = first(values)
        if leader not in after:
            found.append(
                LeadDependence(
                    ranking=kind,
                    leader=leader,
                    criteria=tuple(point.criteria[j] for j, _, _ in chosen),
                    statuses=tuple(s for _, s, _ in chosen),
                    values=tuple(float(point.values[i, j]) for j, _, _ in chosen),
                    worst_values=tuple(w for _, _, w in chosen),
                    first_after=after,
                )
            )

    for cell in cells:
        attempt([cell])
    if not found and len(cells) > 1:
        attempt(cells)
    return found


def robust_rank(
    matrix: DecisionMatrix,
    status: Sequence[Sequence[DataStatus]],
    confidence: Sequence[Sequence[Confidence | None]],
    weights: Mapping[str, float],
    method: str = ASSESSMENT_METHOD,
    policy: DataUncertainty | None = None,
    *,
    missing: str = ASSESSMENT_POLICY,
    anchors: Mapping[str, Sequence[float]] | None = None,
    discrete: Sequence[str] = (),
    n_samples: int = 1000,
    seed: int = 0,
    replications: Mapping[tuple[str, str], Sequence[float]] | None = None,
) -> RobustRanking:
    """Rank with missing and assumed data treated, the consensus of all methods and a lead check.

    Parameters
    ----------
    matrix
        Values (``NaN`` for missing and not-applicable cells).
    status, confidence
        Data status and value confidence per alternative and criterion.
    weights
        Criterion -> weight (criteria with weight 0 or absent are not used).
    method
        The method whose ranking and stability are reported (a key of ``METHODS``).
    policy
        Minimum observed, half-widths and plausible ranges (default: the dataclass
        defaults, which are no policy file's numbers).
    missing
        A key of :data:`ROBUST_POLICIES`.
    anchors
        Criterion -> thresholds that bound its plausible range.
    discrete
        Criteria read as pass/fail (1/0).
    n_samples, seed
        The Monte Carlo set-up (0 samples: no stability analysis).
    replications
        ``(alternative, criterion)`` -> the replications' values of a simulated cell;
        with ``missing = "sample"`` each sample draws one of them
        (:class:`~freighthub.scoring.uncertainty.DataSampler`), so the rank
        acceptability counts simulation noise too.

    Raises
    ------
    DecisionMatrixError
        If nothing is left to rank, or a shape does not fit.
    UnknownIdentifierError
        For an unknown method or treatment.
    """
    method_spec(method)
    robust_policy(missing)
    policy = policy or DataUncertainty()
    rows, cols, dropped_c, dropped_a = _drop_sparse(
        matrix, status, confidence, weights, policy.min_observed
    )
    names = [matrix.alternatives[i] for i in rows]
    crits = [matrix.criteria[j] for j in cols]
    sub = matrix.subset(alternatives=names, criteria=crits)
    st = [[status[i][j] for j in cols] for i in rows]
    conf = [[confidence[i][j] for j in cols] for i in rows]
    w = {c: weights[c] for c in crits}

    sampler: DataSampler | None = None
    imputed: tuple[tuple[str, str], ...] = ()
    n_na = 0
    if missing in {"sample", "worst"}:
        sampler = DataSampler.build(
            sub,
            st,
            conf,
            policy,
            anchors,
            discrete,
            "middle" if missing == "sample" else "worst",
            replications,
        )
        used = sampler.point
        imputed = tuple(
            (names[i], crits[j])
            for i in range(len(names))
            for j in range(len(crits))
            if st[i][j] is DataStatus.MISSING
        )
        n_na = sum(s is DataStatus.NOT_APPLICABLE for row in st for s in row)
        if missing == "sample":
            text = (
                f"{len(imputed)} missing value(s) drawn uniformly over their criterion's "
                "plausible range in every sample (the middle of it in the point ranking); "
                "given values drawn within their confidence label's range"
            )
        else:
            text = (
                f"{len(imputed)} missing value(s) set to the worst end of their criterion's "
                "plausible range (the span of the given values, the thresholds and, for a "
                "benefit, 0)"
            )
        if n_na:
            text += f"; {n_na} not-applicable value(s) at the worst end of the range, not sampled"
        treatment = MissingTreatment(missing, text, filled_cells=imputed)
    else:
        used, treatment = treat_missing(sub, missing)
        imputed = ()
    w_used = {c: w[c] for c in used.criteria}
    stability: Stability | None = None
    all_methods = tuple(METHODS)
    if n_samples > 0:
        stability = rank_stability(
            used,
            w_used,
            method,
            n_samples=n_samples,
            seed=seed,
            data=sampler if missing == "sample" else None,
            consensus_methods=all_methods,
        )
        ranking = stability.ranking
    else:
        ranking = rank(used, w_used, method)
    ranking = replace(ranking, missing_treatment=treatment)
    if stability is not None:
        stability = replace(stability, ranking=ranking)
    w_arr = np.array([w_used[c] for c in used.criteria]) / sum(w_used.values())

    def ranks_of(name: str, values: FloatArray) -> list[int]:
        spec = method_spec(name)
        m = DecisionMatrix(used.alternatives, used.criteria, values, used.benefit)
        return rank_scores(score(name, m, w_arr, spec.defaults), spec.higher_is_better)

    agreed = consensus(used.alternatives, {k: ranks_of(k, used.values) for k in all_methods})
    lead: list[LeadDependence] = []
    if sampler is not None:

        def method_first(values: FloatArray) -> tuple[str, ...]:
            return _winners(ranks_of(method, values), used.alternatives)

        def consensus_first(values: FloatArray) -> tuple[str, ...]:
            return consensus(used.alternatives, {k: ranks_of(k, values) for k in all_methods}).first

        lead = _lead("method", sampler, st, method_first) + _lead(
            "consensus", sampler, st, consensus_first
        )
    return RobustRanking(
        missing=missing,
        description=treatment.description,
        dropped_criteria=tuple(dropped_c),
        dropped_alternatives=tuple(dropped_a),
        imputed=imputed,
        ranking=ranking,
        stability=stability,
        consensus=agreed,
        lead=tuple(lead),
        policy_source=policy.source,
        min_observed=policy.min_observed,
        not_applicable=n_na,
    )
