"""From hub files to judgements: a hub's value for a criterion, and the decision matrix.

:func:`observe` reads what a criterion asks of a hub (with its provenance);
``decision_matrix`` turns the compliance results into the matrix the ranking reads
(see the module docstring of :mod:`freighthub.assessment`). Split from
:mod:`freighthub.assessment`, which re-exports :func:`observe`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.model.hub import Hub
from freighthub.model.standard import Criterion, Standard
from freighthub.scoring.compliance import (
    ComplianceStatus,
    CriterionResult,
    HubCompliance,
    Observation,
    RuleKind,
    Setting,
    hub_compliance,
)
from freighthub.scoring.coverage import HubCoverage, coverage_from_compliance
from freighthub.scoring.mcda import (
    DecisionMatrix,
)
from freighthub.scoring.weights import AhpResult
from freighthub.vocabulary import weakest_confidence

__all__ = [
    "AssessmentError",
    "ahp_dict",
    "criterion_attributes",
    "criterion_weights",
    "decision_matrix",
    "hub_setting",
    "observe",
    "plan_source",
    "profile_coverage",
    "result_dict",
]


class AssessmentError(FreighthubError):
    """The inputs of an assessment do not fit together (weights vs criteria ...)."""


def criterion_weights(
    standard: Standard, weights: Mapping[str, float] | None
) -> tuple[dict[str, float], str]:
    """Weight per criterion (sum 1) and its basis: ``given``, ``standard`` or ``equal``.

    Raises
    ------
    UnknownIdentifierError
        For a weighted criterion the standard does not have.
    AssessmentError
        If the standard has no criterion, or the weights miss a criterion, are
        negative, not finite or all zero.
    """
    ids = [c.id for c in standard.criteria]
    if not ids:
        raise AssessmentError(
            f"standard {standard.id} codifies no criterion (reference values or not-found "
            "notes only; see freighthub standards show); nothing to score"
        )
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


def hub_setting(hub: Hub, year: int | None = None) -> Setting:
    """Where and when a hub is judged: its TEN-T tiers and facts (``[tent]``) and the year.

    Parameters
    ----------
    hub
        The hub (without a ``[tent]`` section its tiers and facts are unknown).
    year
        Assessment year (``None``: none).
    """
    if hub.tent is None:
        return Setting(year=year)
    return Setting(year=year, tiers=hub.tent.tiers(), facts=hub.tent.facts())


def observe(hub: Hub, criterion: Criterion, year: int | None = None) -> Observation | None:
    """The hub's value for a criterion, with its provenance (``None``: not given).

    For a ratio criterion (``per``) the value is ``attribute / per``, its source
    names both and its confidence is the weaker of the two. A candidate hub's
    planned value (see :meth:`Hub.scored_attribute`; ``year`` is the assessment
    year, ``None`` for the hub as planned) has a source that starts with
    ``plan for <year>:``, so every table and report that shows the source says
    the value is a plan.
    """
    first, first_plan = hub.scored_attribute(criterion.attribute, year)
    if first is None:
        return None
    value: Any = first.value
    if hasattr(value, "value") and not isinstance(value, (bool, int, float)):
        value = value.value  # an enum (ECMT class ...) -> its name
    if criterion.per is None:
        return Observation(
            value=value,
            source=plan_source(first.source, first_plan),
            confidence=first.confidence,
        )
    second, second_plan = hub.scored_attribute(criterion.per, year)
    if second is None:
        return None
    return Observation(
        value=float(value) / float(second.value),
        source=(
            f"{criterion.attribute}: {plan_source(first.source, first_plan)}; "
            f"{criterion.per}: {plan_source(second.source, second_plan)}"
        ),
        confidence=weakest_confidence([first.confidence, second.confidence]),
    )


def plan_source(source: str | None, planned_year: int | None) -> str | None:
    """A value's source, prefixed ``plan for <year>:`` when the value is a plan."""
    if planned_year is None:
        return source
    return f"plan for {planned_year}: {source or 'no source given'}"


def criterion_attributes(standard: Standard) -> dict[str, str]:
    """Criterion id -> what it reads (``attribute``, or ``attribute / per``)."""
    return {
        c.id: c.attribute if c.per is None else f"{c.attribute} / {c.per}"
        for c in standard.criteria
    }


def profile_coverage(
    standard: Standard, hubs: Iterable[Hub], year: int | None = None
) -> tuple[HubCoverage, ...]:
    """Coverage per hub of the values a standard or profile reads (hubs in input order).

    Each hub x criterion cell is observed, assumed, missing or not applicable (see
    :mod:`freighthub.scoring.coverage`); ``hubs validate --profile`` uses it. ``year``
    is the assessment year (default: the profile's ``assessment_year``): it picks the
    stage of staged criteria and which values of a candidate are read, as in
    :func:`freighthub.assessment.assess` (a plan counts from its ``planned_year``).
    """
    year = standard.info.assessment_year if year is None else year
    specs = [c.spec() for c in standard.criteria]
    compliance = [
        hub_compliance(
            hub.id,
            specs,
            {c.id: observe(hub, c, year) for c in standard.criteria},
            hub.hub_types,
            hub.modes,
            setting=hub_setting(hub, year),
        )
        for hub in hubs
    ]
    return coverage_from_compliance(compliance, criterion_attributes(standard))


def _matrix_value(criterion: Criterion, result_status: ComplianceStatus, obs: Observation) -> float:
    if criterion.rule in {RuleKind.BOOLEAN, RuleKind.ONE_OF}:
        return 1.0 if result_status is ComplianceStatus.PASS else 0.0
    return float(obs.value)  # type: ignore[arg-type]


def decision_matrix(
    standard: Standard,
    hubs: list[Hub],
    compliance: list[HubCompliance],
    observations: list[dict[str, Observation | None]],
    weights: Mapping[str, float],
    year: int | None = None,
) -> tuple[DecisionMatrix | None, list[str]]:
    """The decision matrix of an assessment and the notes on how it was built.

    One column per criterion with data (``NaN`` for a missing or not-applicable
    value); ``None`` if no criterion has data or there are no hubs. A planned hub
    before its planned year (``year``, the assessment year) does not exist yet and is
    not ranked.
    """
    notes = [
        f"not ranked: {h.id} is planned from {h.planned_year}, after the assessment year "
        f"{year}, so it has no values yet"
        for h in hubs
        if not h.exists_in(year)
    ]
    columns: list[str] = []
    benefit: list[bool] = []
    values: list[list[float]] = []
    not_applicable = 0
    rows = [
        i
        for i, hc in enumerate(compliance)
        if hc.counts[ComplianceStatus.NOT_APPLICABLE] < len(hc.results) and hubs[i].exists_in(year)
    ]
    outside = [
        hc.hub_id for i, hc in enumerate(compliance) if i not in rows and hubs[i].exists_in(year)
    ]
    if outside:
        notes.append(
            f"not ranked, no criterion of {standard.id} applies to them: {', '.join(outside)}"
        )
    hubs = [hubs[i] for i in rows]
    compliance = [compliance[i] for i in rows]
    observations = [observations[i] for i in rows]
    for c in standard.criteria:
        column: list[float] = []
        for hc, obs in zip(compliance, observations, strict=True):
            result = hc.result(c.id)
            o = obs[c.id]
            if result.status is ComplianceStatus.NOT_APPLICABLE:
                not_applicable += 1
                column.append(math.nan)
            elif o is None or o.value is None:
                column.append(math.nan)
            else:
                column.append(_matrix_value(c, result.status, o))
        if all(math.isnan(x) for x in column):
            notes.append(f"{c.id}: left out of the ranking, no hub has a value for it")
            continue
        if weights.get(c.id, 0.0) == 0.0:
            notes.append(f"{c.id}: left out of the ranking, its weight is 0")
            continue
        columns.append(c.id)
        benefit.append(c.direction.value == "benefit")
        values.append(column)
    if not_applicable:
        notes.append(
            f"{not_applicable} not-applicable cell(s) are missing values in the decision "
            "matrix; the missing-data policy treats them"
        )
    if not columns or not hubs:
        return None, notes
    matrix = DecisionMatrix(
        alternatives=tuple(h.id for h in hubs),
        criteria=tuple(columns),
        values=np.array(values, dtype=np.float64).T,
        benefit=tuple(benefit),
    )
    return matrix, notes


def result_dict(r: CriterionResult) -> dict[str, Any]:
    """One compliance result, JSON-ready (the ``score --json`` row)."""
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


def ahp_dict(ahp: AhpResult) -> dict[str, Any]:
    """An AHP derivation, JSON-ready: weights, lambda_max, CI, RI, CR, threshold."""
    return {
        "weights": list(ahp.weights),
        "lambda_max": ahp.lambda_max,
        "consistency_index": ahp.consistency_index,
        "random_index": ahp.random_index,
        "consistency_ratio": ahp.consistency_ratio,
        "threshold": ahp.threshold,
        "consistent": ahp.consistent,
        "forced": ahp.forced,
    }
