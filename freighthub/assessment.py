"""Score hubs against a standard or profile: compliance, decision matrix, ranking, stability.

The workflow behind ``freighthub score``: for every hub x criterion it evaluates
compliance (:mod:`freighthub.scoring.compliance`), builds a decision matrix, ranks
the hubs with the chosen MCDA method (:func:`freighthub.scoring.mcda.rank`) and
measures how stable the ranking is (:func:`freighthub.scoring.stability.rank_stability`).

Decision matrix
---------------
One column per criterion: the hub's value for numeric criteria (minimum, maximum,
graded; ``attribute / per`` for ratio criteria), 1 or 0 for boolean and one-of
criteria (1 = meets the requirement). The direction (benefit or cost) is the
criterion's. A value the hub does not give, and a criterion that does not apply to a
hub, are ``NaN`` and the user's ``missing`` policy decides (``exclude_criterion``,
``exclude_alternative``, ``worst``). A hub to which no criterion applies is not ranked
(a note names it). A criterion no hub has a value for is left out of
the matrix (it cannot rank anyone), and the assessment says so. Without a policy and
with missing values, or when the policy leaves nothing to rank (every criterion or
every hub has a gap), the compliance is still returned and the ranking is not
computed; ``ranking_note`` says why and what to choose.

Weights
-------
In order: the ``weights`` argument (every criterion of the standard, no other); else
the standard's or profile's own weights; else equal weights. ``weights_basis`` says
which. The ranking renormalises the weights of the criteria it uses to sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from freighthub.errors import DataFileError, FreighthubError, UnknownIdentifierError
from freighthub.frames import data_frame, plain
from freighthub.model.hub import Hub, load_hubs
from freighthub.model.paths import data_dir
from freighthub.model.standard import Standard, find_standard, load_weights
from freighthub.scoring.compliance import (
    CriterionResult,
    HubCompliance,
    Observation,
    hub_compliance,
)
from freighthub.scoring.mcda import (
    MISSING_POLICIES,
    DecisionMatrix,
    DecisionMatrixError,
    Ranking,
    method_spec,
    rank,
    treat_missing,
)
from freighthub.scoring.stability import Stability, rank_stability

if TYPE_CHECKING:
    import pandas as pd
from freighthub.observation import (
    decision_matrix,
    hub_setting,
    observe,
)

__all__ = ["Assessment", "AssessmentError", "assess", "observe", "score_hubs"]


#: The columns of :meth:`Assessment.to_pandas` taken from each criterion result.
_RESULT_COLUMNS = (
    "status",
    "value",
    "unit",
    "threshold",
    "gap",
    "relative_gap",
    "band",
    "flagged",
    "weight",
)


class AssessmentError(FreighthubError):
    """The inputs of an assessment do not fit together (weights vs criteria ...)."""


@dataclass(frozen=True)
class Assessment:
    """Compliance of hubs with a standard, and their ranking.

    Attributes
    ----------
    standard
        The standard or profile assessed against.
    hubs
        Hub ids, in input order.
    compliance
        One :class:`HubCompliance` per hub (results, counts, ordered gaps).
    weights
        Weight per criterion id used for the gap order and the ranking (sum 1).
    weights_basis
        ``given``, ``standard`` (the file's own weights) or ``equal``.
    matrix
        The decision matrix handed to the ranking (``NaN`` = missing), or ``None``
        if no criterion has data.
    matrix_notes
        What was done building the matrix (criteria left out and why, how
        not-applicable cells are treated).
    method, missing
        The MCDA method and the missing-data policy asked for.
    ranking
        The ranking (``None`` if it could not be computed; see ``ranking_note``).
    stability
        Rank acceptability and rank reversal (``None`` if ``n_samples`` is 0 or
        there is no ranking).
    ranking_note
        Why there is no ranking, or empty.
    year
        Assessment year the deadlines were judged in (``None``: none given).
    """

    standard: Standard
    hubs: tuple[str, ...]
    compliance: tuple[HubCompliance, ...]
    weights: dict[str, float]
    weights_basis: str
    matrix: DecisionMatrix | None
    matrix_notes: tuple[str, ...]
    method: str
    missing: str | None
    ranking: Ranking | None
    stability: Stability | None
    ranking_note: str = ""
    year: int | None = None

    def of(self, hub_id: str) -> HubCompliance:
        """Compliance of one hub.

        Raises
        ------
        UnknownIdentifierError
            If the hub was not assessed.
        """
        for item in self.compliance:
            if item.hub_id == hub_id:
                return item
        raise UnknownIdentifierError("hub", hub_id, self.hubs)

    def to_pandas(self) -> pd.DataFrame:
        """The compliance matrix, one row per hub and criterion (hubs, then criteria, in order).

        Columns ``hub``, ``criterion``, ``status``, ``value``, ``unit``, ``threshold``,
        ``gap``, ``relative_gap``, ``band``, ``flagged``, ``weight``; the ranking is
        ``ranking.to_pandas()``.
        """
        rows = (
            {"hub": item.hub_id, "criterion": r.criterion_id}
            | {name: plain(getattr(r, name)) for name in _RESULT_COLUMNS}
            for item in self.compliance
            for r in item.results
        )
        return data_frame(rows, ("hub", "criterion", *_RESULT_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: compliance matrix, gaps, ranking and stability."""
        std = self.standard
        out: dict[str, Any] = {
            "standard": {
                "id": std.id,
                "kind": std.info.kind,
                "title": std.info.title.model_dump(),
                "document": std.info.document,
                "edition": std.info.edition,
                "example": std.info.example,
                "superseded_by": std.info.superseded_label(),
            },
            "assessment_year": self.year,
            "criteria": [
                {
                    "id": c.id,
                    "standard": std.origin[c.id],
                    "name": c.name.model_dump(),
                    "unit": c.unit,
                    "attribute": c.attribute if c.per is None else f"{c.attribute} / {c.per}",
                    "rule": c.rule.value,
                    "direction": c.direction.value,
                    "threshold": c.spec().describe_threshold(),
                    "confidence": c.confidence.value,
                    "flagged": c.confidence.flagged,
                    "source": c.source.model_dump(),
                    "superseded_by": c.superseded_by,
                    "weight": self.weights.get(c.id),
                }
                for c in std.criteria
            ],
            "weights_basis": self.weights_basis,
            "compliance": {
                hc.hub_id: {
                    "counts": {s.value: n for s, n in hc.counts.items()},
                    "results": [_result_dict(r) for r in hc.results],
                    "gaps": [
                        {
                            "criterion": r.criterion_id,
                            "status": r.status.value,
                            "gap": r.gap,
                            "unit": r.unit,
                            "relative_gap": r.relative_gap,
                            "weight": r.weight,
                        }
                        for r in hc.gaps
                    ],
                }
                for hc in self.compliance
            },
            "decision_matrix": None
            if self.matrix is None
            else {
                "alternatives": list(self.matrix.alternatives),
                "criteria": list(self.matrix.criteria),
                "benefit": list(self.matrix.benefit),
                "values": [
                    [None if math.isnan(float(x)) else float(x) for x in row]
                    for row in self.matrix.values
                ],
                "notes": list(self.matrix_notes),
            },
            "method": self.method,
            "missing": self.missing,
            "ranking": None,
            "ranking_note": self.ranking_note,
            "stability": None,
        }
        if self.ranking is not None:
            r = self.ranking
            out["ranking"] = {
                "method": r.method,
                "score_name": r.score_name,
                "higher_is_better": r.higher_is_better,
                "criteria": list(r.criteria),
                "weights": list(r.weights),
                "missing_treatment": r.missing_treatment.description,
                "alternatives": [
                    {"id": a.id, "score": a.score, "rank": a.rank} for a in r.alternatives
                ],
            }
        if self.stability is not None:
            s = self.stability
            out["stability"] = {
                "n_samples": s.n_samples,
                "seed": s.seed,
                "perturbation": s.perturbation,
                "rank_acceptability": {
                    a: list(row)
                    for a, row in zip(s.alternatives, s.rank_acceptability, strict=True)
                },
                "first_rank_probability": dict(
                    zip(s.alternatives, s.first_rank_probability, strict=True)
                ),
                "rank_reversal": [
                    {
                        "removed": rr.removed,
                        "order_changed": rr.order_changed,
                        "changed_pairs": [list(p) for p in rr.changed_pairs],
                    }
                    for rr in s.rank_reversal
                ],
                "any_rank_reversal": s.any_rank_reversal,
            }
        return out


def _result_dict(r: CriterionResult) -> dict[str, Any]:
    value = r.value
    return {
        "criterion": r.criterion_id,
        "status": r.status.value,
        "value": value,
        "value_source": r.value_source,
        "value_confidence": r.value_confidence,
        "threshold": r.threshold,
        "unit": r.unit,
        "gap": r.gap,
        "band": r.band,
        "flagged": r.flagged,
        "criterion_source": r.criterion_source,
        "criterion_confidence": r.criterion_confidence,
        "reason": "" if r.reason is None else str(r.reason),
        "deadline": None if r.deadline is None else r.deadline.isoformat(),
        "due": r.due,
        "stage_clause": r.stage_clause,
        "tier": r.tier,
        "tier_assumed": r.tier_assumed,
        "superseded_by": r.superseded_by,
    }


def _weights(
    standard: Standard, weights: Mapping[str, float] | None
) -> tuple[dict[str, float], str]:
    ids = [c.id for c in standard.criteria]
    if weights is not None:
        unknown = [k for k in weights if k not in ids]
        if unknown:
            raise UnknownIdentifierError(f"criterion of {standard.id}", unknown[0], ids)
        absent = [k for k in ids if k not in weights]
        if absent:
            raise AssessmentError(
                f"weights: no weight for criteria {', '.join(absent)} of {standard.id}; "
                "give a weight (0 to ignore) for every criterion"
            )
        bad = {k: w for k, w in weights.items() if not (math.isfinite(w) and w >= 0)}
        if bad:
            k = next(iter(bad))
            raise AssessmentError(f"weights: {k} = {bad[k]!r}: must be a finite number >= 0")
        raw, basis = dict(weights), "given"
    elif all(c.weight is not None for c in standard.criteria):
        raw, basis = {c.id: float(c.weight or 0.0) for c in standard.criteria}, "standard"
    else:
        raw, basis = dict.fromkeys(ids, 1.0), "equal"
    total = sum(raw.values())
    if total <= 0:
        raise AssessmentError("weights: all weights are 0")
    return {k: raw[k] / total for k in ids}, basis


def assess(
    hubs: Mapping[str, Hub] | Iterable[Hub],
    standard: Standard,
    method: str = "topsis",
    weights: Mapping[str, float] | None = None,
    missing: str | None = None,
    n_samples: int = 1000,
    seed: int = 0,
    year: int | None = None,
) -> Assessment:
    """Assess hubs against a standard or profile and rank them.

    Parameters
    ----------
    hubs
        The hubs (a mapping by id, as :func:`~freighthub.model.hub.load_hubs`
        returns, or an iterable of hubs).
    standard
        A loaded standard or profile (:func:`~freighthub.model.standard.find_standard`).
    method
        An MCDA method: a key of :data:`freighthub.scoring.mcda.METHODS`.
    weights
        Weight per criterion id (every criterion of the standard) [-]; default: the
        standard's own weights, else equal weights.
    missing
        ``exclude_criterion``, ``exclude_alternative`` or ``worst``; needed if the
        decision matrix has missing values, else the ranking is not computed.
    n_samples
        Monte Carlo weight samples for rank acceptability (0: no stability analysis).
    seed
        Seed of the random generator of the stability analysis.
    year
        Assessment year: picks the stage of staged criteria and says which
        deadlines are due (default: the profile's ``assessment_year``, else none;
        see :mod:`freighthub.scoring.stages`).

    Returns
    -------
    Assessment
        Compliance per hub, the decision matrix, the ranking and its stability.

    Raises
    ------
    UnknownIdentifierError
        For an unknown method, missing-data policy or weighted criterion.
    AssessmentError
        If weights do not cover every criterion, are negative or all zero, no hub
        is given, or the standard has no criterion.
    """
    method_spec(method)
    if missing is not None and missing not in MISSING_POLICIES:
        raise UnknownIdentifierError("missing-data policy", missing, MISSING_POLICIES)
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 0:
        raise AssessmentError(f"n_samples = {n_samples!r}: must be a whole number >= 0")
    hub_list = list(hubs.values()) if isinstance(hubs, Mapping) else list(hubs)
    if not hub_list:
        raise AssessmentError("no hubs to assess")
    if not standard.criteria:
        raise AssessmentError(
            f"standard {standard.id} codifies no criterion (reference values or not-found "
            "notes only; see freighthub standards show); nothing to score"
        )
    w, basis = _weights(standard, weights)
    if year is None:
        year = standard.info.assessment_year
    specs = [c.spec() for c in standard.criteria]
    compliance: list[HubCompliance] = []
    observations: list[dict[str, Observation | None]] = []
    for hub in hub_list:
        obs = {c.id: observe(hub, c) for c in standard.criteria}
        observations.append(obs)
        compliance.append(
            hub_compliance(
                hub.id,
                specs,
                obs,
                hub.hub_types,
                hub.modes,
                w,
                hub_setting(hub, year),
            )
        )
    matrix, notes = decision_matrix(standard, hub_list, compliance, observations, w)
    ranking: Ranking | None = None
    stability: Stability | None = None
    note = ""
    if matrix is None:
        note = "no criterion has a value for any hub; nothing to rank"
    elif np.isnan(matrix.values).any() and missing is None:
        n = int(np.isnan(matrix.values).sum())
        note = (
            f"ranking not computed: {n} missing or not-applicable value(s) in the decision "
            f"matrix; choose missing = {' | '.join(MISSING_POLICIES)}"
        )
    else:
        used = {c: w[c] for c in matrix.criteria}
        try:
            treat_missing(matrix, missing)
        except DecisionMatrixError as exc:
            note = f"ranking not computed: {exc}"
        else:
            if n_samples > 0:
                stability = rank_stability(
                    matrix, used, method, n_samples=n_samples, seed=seed, missing=missing
                )
                ranking = stability.ranking
            else:
                ranking = rank(matrix, used, method, missing)
    return Assessment(
        standard=standard,
        hubs=tuple(h.id for h in hub_list),
        compliance=tuple(compliance),
        weights=w,
        weights_basis=basis,
        matrix=matrix,
        matrix_notes=tuple(notes),
        method=method,
        missing=missing,
        ranking=ranking,
        stability=stability,
        ranking_note=note,
        year=year,
    )


def score_hubs(
    standard_id: str,
    hubs_dir: str | Path | None = None,
    method: str = "topsis",
    weights_path: str | Path | None = None,
    missing: str | None = None,
    n_samples: int = 1000,
    seed: int = 0,
    standards_dir: str | Path | None = None,
    year: int | None = None,
) -> Assessment:
    """Load hubs, a standard or profile and optional weights, then :func:`assess`.

    The one call behind ``freighthub score`` (and the demo).

    Parameters
    ----------
    standard_id
        Id of a standard or profile (``freighthub standards list``).
    hubs_dir, standards_dir
        Folders (default: the shipped ``hubs/`` and ``standards/``).
    weights_path
        A weights file (``[weights]`` table), see :func:`~freighthub.model.standard.load_weights`.
    method, missing, n_samples, seed, year
        As :func:`assess`.

    Raises
    ------
    UnknownIdentifierError
        For an unknown standard, method, policy or weighted criterion.
    DataFileError
        For an invalid hub, standard or weights file.
    AssessmentError
        As :func:`assess`.
    """
    standard = find_standard(standard_id, standards_dir or data_dir("standards"))
    hubs = load_hubs(hubs_dir or data_dir("hubs"))
    weights = None if weights_path is None else load_weights(weights_path)
    if weights_path is not None and weights is not None:
        try:
            _weights(standard, weights)
        except (AssessmentError, UnknownIdentifierError) as exc:
            rule = str(exc).removeprefix("weights: ")
            raise DataFileError(weights_path, rule, "weights") from None
    return assess(hubs, standard, method, weights, missing, n_samples, seed, year)
