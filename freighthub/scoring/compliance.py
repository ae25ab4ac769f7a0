"""Compliance of hubs with codified criteria: pass, partial, fail, not applicable, no data.

Pure functions on plain values: this module reads no file and imports nothing from
:mod:`freighthub.model`. The standards loader (:mod:`freighthub.model.standard`)
builds the :class:`CriterionSpec` objects it evaluates; the workflow layer
(:mod:`freighthub.assessment`) supplies the hub values as :class:`Observation`.

Rules
-----
``minimum``
    pass if ``value >= threshold`` (``>`` when ``strict``); partial if a partial
    threshold is given and ``value >= partial_threshold``; else fail.
    gap = ``threshold - value``.
``maximum``
    the mirror image: pass if ``value <= threshold`` (``<`` when strict); partial if
    ``value <= partial_threshold``. gap = ``value - threshold``.
``boolean``
    pass if the value equals ``required``; else fail. No numeric gap.
``one_of``
    pass if the value is one of ``allowed`` (for example ECMT classes IV and above);
    else fail. No numeric gap.
``graded``
    ordered bands, lowest grade first, each with a ``limit`` (a lower bound for a
    benefit criterion, an upper bound for a cost criterion). The band reached is the
    highest one whose limit the value meets. pass if it is at or above ``pass_band``;
    partial if at or above ``partial_band``; else fail. gap = distance to the limit
    of ``pass_band``.

Gaps are in the criterion's unit and are ``0`` for a pass. The *relative gap* is the
gap divided by the absolute threshold (``None`` for a zero threshold); for boolean
and one-of criteria it is ``1.0`` for a fail (the whole requirement is missing).

Ordering of gaps (:func:`hub_compliance`, :func:`gap_order_key`): failed and
partial results are sorted by weight (highest first; a criterion without weight
counts as 0), then by relative gap (largest first; ``None`` last), then by criterion
id, so the order is total and reproducible. The status is not a sort key: a heavy
criterion met partially ranks before a light one that fails.

Stages, tiers, exemptions, editions
-----------------------------------
A criterion may come in dated stages by network tier, and a hub may be exempt
(:mod:`freighthub.scoring.stages` picks the stage from the hub's
:class:`Setting`: tiers, facts, assessment year). The stage's threshold is the one
judged; the result names the deadline, whether it is due in the assessment year,
the tier used (and whether it was assumed) and the clause. An exempt hub, or one on
a tier the requirement does not reach, is ``not_applicable`` with the reason. A
criterion whose document has been superseded (``superseded_by``) is flagged.

Provenance
----------
Confidence labels, hub types and modes are the enums of :mod:`freighthub.vocabulary`
throughout; a result is flagged by the one rule :func:`freighthub.vocabulary.is_flagged`
(an unlabelled hub value is flagged). Why a criterion was not assessed is a
structured :class:`NotAssessed` that the report localises.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from freighthub.scoring.criteria import (
    Band,
    ComplianceStatus,
    CriterionSpec,
    Direction,
    NotAssessed,
    NotAssessedKind,
    Observation,
    RuleKind,
    Setting,
    Stage,
)
from freighthub.scoring.stages import select_stage
from freighthub.vocabulary import Confidence, HubType, Mode, NetworkTier, is_flagged

__all__ = [
    "Band",
    "ComplianceStatus",
    "CriterionResult",
    "CriterionSpec",
    "Direction",
    "HubCompliance",
    "NotAssessed",
    "NotAssessedKind",
    "Observation",
    "RuleKind",
    "Setting",
    "Stage",
    "evaluate",
    "gap_order_key",
    "hub_compliance",
]


@dataclass(frozen=True)
class CriterionResult:
    """One hub against one criterion, with its evidence.

    Attributes
    ----------
    criterion_id, unit
        The criterion and the unit of ``value``, ``threshold`` and ``gap``.
    status
        pass / partial / fail / not_applicable / no_data.
    value, value_source, value_confidence
        The hub's value and its provenance (``None`` when not given).
    threshold
        The pass condition in words (``>= 740 m``).
    gap
        Amount to close to pass [unit]; ``0`` for a pass, ``None`` when there is no
        numeric gap (boolean, one-of, no data, not applicable).
    relative_gap
        ``gap / |threshold|``; ``1.0`` for a failed boolean or one-of criterion.
    band
        Band reached (graded criteria), ``None`` if below the lowest band.
    criterion_source, criterion_confidence
        Source and confidence of the threshold.
    flagged
        True if the threshold or the hub value is flagged
        (:func:`freighthub.vocabulary.is_flagged`: ``uncertain``, ``assumption`` or,
        for the hub value, no confidence label).
    weight
        The criterion's weight in this assessment (``None`` if none was given).
    reason
        Why a criterion is not applicable or has no data; ``None`` otherwise.
    deadline, due, stage_clause
        The deadline of the stage judged, whether it is due in the assessment year
        (``None``: no year given, or no stages) and the clause that sets it.
    tier, tier_assumed
        The hub's network tier used to pick the stage, and whether it was assumed
        (core) because the hub file does not give it.
    superseded_by
        The edition that replaced the criterion's document, if it is not current
        (such a result is flagged).
    """

    criterion_id: str
    unit: str
    status: ComplianceStatus
    threshold: str
    criterion_source: str
    criterion_confidence: Confidence
    value: float | bool | str | None = None
    value_source: str | None = None
    value_confidence: Confidence | None = None
    gap: float | None = None
    relative_gap: float | None = None
    band: str | None = None
    flagged: bool = False
    weight: float | None = None
    reason: NotAssessed | None = None
    deadline: dt.date | None = None
    due: bool | None = None
    stage_clause: str | None = None
    tier: NetworkTier | None = None
    tier_assumed: bool = False
    superseded_by: str | None = None


@dataclass(frozen=True)
class HubCompliance:
    """Every criterion result of one hub, the counts per status and the ordered gaps.

    Attributes
    ----------
    hub_id
        The hub.
    results
        One result per criterion, in the order of the criteria.
    counts
        Number of results per status (every status is a key).
    gaps
        The failed and partial results, most important first (see the module
        docstring for the ordering).
    """

    hub_id: str
    results: tuple[CriterionResult, ...]
    counts: dict[ComplianceStatus, int]
    gaps: tuple[CriterionResult, ...]

    def result(self, criterion_id: str) -> CriterionResult:
        """The result for one criterion.

        Raises
        ------
        KeyError
            If the criterion was not assessed.
        """
        for item in self.results:
            if item.criterion_id == criterion_id:
                return item
        raise KeyError(criterion_id)


def evaluate(
    spec: CriterionSpec,
    observation: Observation | None,
    hub_types: Iterable[HubType],
    modes: Iterable[Mode],
    weight: float | None = None,
    setting: Setting | None = None,
) -> CriterionResult:
    """Assess one hub against one criterion.

    Parameters
    ----------
    spec
        The criterion.
    observation
        The hub's value (``None`` or a ``None`` value: no data).
    hub_types, modes
        The hub's types and modes, to decide applicability.
    weight
        Weight to report with the result (defaults to ``spec.weight``).
    setting
        The hub's network tiers, facts and the assessment year, which pick the
        stage of a staged criterion and decide exemptions (default: nothing known).

    Returns
    -------
    CriterionResult
        Status, evidence, gap [spec.unit] and band reached.

    Raises
    ------
    TypeError
        If the value's type does not fit the rule (a number for a boolean rule ...);
        the standards loader prevents this for attributes of the hub format.
    """
    base: dict[str, object] = {
        "criterion_id": spec.id,
        "unit": spec.unit,
        "threshold": spec.describe_threshold(),
        "criterion_source": spec.source,
        "criterion_confidence": spec.confidence,
        "weight": spec.weight if weight is None else weight,
        "superseded_by": spec.superseded_by,
    }
    criterion_flag = spec.confidence.flagged or spec.superseded_by is not None
    if spec.hub_types and not spec.hub_types & set(hub_types):
        return CriterionResult(
            status=ComplianceStatus.NOT_APPLICABLE,
            reason=NotAssessed(NotAssessedKind.HUB_TYPE, hub_types=spec.hub_types),
            flagged=criterion_flag,
            **base,  # type: ignore[arg-type]
        )
    if spec.modes and not spec.modes & set(modes):
        return CriterionResult(
            status=ComplianceStatus.NOT_APPLICABLE,
            reason=NotAssessed(NotAssessedKind.MODES, modes=spec.modes),
            flagged=criterion_flag,
            **base,  # type: ignore[arg-type]
        )
    choice = select_stage(spec, setting)
    base.update(tier=choice.tier, tier_assumed=choice.tier_assumed)
    if choice.reason is not None:
        return CriterionResult(
            status=ComplianceStatus.NOT_APPLICABLE,
            reason=choice.reason,
            flagged=criterion_flag,
            **base,  # type: ignore[arg-type]
        )
    if choice.stage is not None:
        spec = _staged(spec, choice.stage)
        base.update(
            threshold=spec.describe_threshold(),
            deadline=choice.stage.deadline,
            due=choice.due,
            stage_clause=choice.stage.clause,
        )
    if observation is None or observation.value is None:
        return CriterionResult(
            status=ComplianceStatus.NO_DATA,
            reason=NotAssessed(NotAssessedKind.NO_DATA),
            flagged=criterion_flag,
            **base,  # type: ignore[arg-type]
        )
    value = observation.value
    status, gap, relative, band = _judge(spec, value)
    flagged = criterion_flag or is_flagged(observation.confidence)
    return CriterionResult(
        status=status,
        value=value,
        value_source=observation.source,
        value_confidence=observation.confidence,
        gap=gap,
        relative_gap=relative,
        band=band,
        flagged=flagged,
        **base,  # type: ignore[arg-type]
    )


def _staged(spec: CriterionSpec, stage: Stage) -> CriterionSpec:
    """The criterion with the stage's threshold (if the stage sets one)."""
    if stage.threshold is None:
        return spec
    return replace(spec, threshold=stage.threshold)


def _judge(
    spec: CriterionSpec, value: float | bool | str
) -> tuple[ComplianceStatus, float | None, float | None, str | None]:
    if spec.rule is RuleKind.BOOLEAN:
        if not isinstance(value, bool):
            raise TypeError(f"{spec.id}: boolean rule needs true/false, got {value!r}")
        ok = value == spec.required
        return (ComplianceStatus.PASS, None, 0.0, None) if ok else _categorical_fail()
    if spec.rule is RuleKind.ONE_OF:
        if isinstance(value, (bool, int, float)):
            raise TypeError(f"{spec.id}: one-of rule needs a class name, got {value!r}")
        ok = str(value) in spec.allowed
        return (ComplianceStatus.PASS, None, 0.0, None) if ok else _categorical_fail()
    if isinstance(value, (bool, str)) or not math.isfinite(value):
        raise TypeError(f"{spec.id}: numeric rule needs a finite number, got {value!r}")
    x = float(value)
    if spec.rule is RuleKind.GRADED:
        return _graded(spec, x)
    assert spec.threshold is not None
    benefit = spec.rule is RuleKind.MINIMUM
    if _meets(x, spec.threshold, benefit, spec.strict):
        return ComplianceStatus.PASS, 0.0, 0.0, None
    gap = spec.threshold - x if benefit else x - spec.threshold
    partial = spec.partial_threshold is not None and _meets(
        x, spec.partial_threshold, benefit, strict=False
    )
    status = ComplianceStatus.PARTIAL if partial else ComplianceStatus.FAIL
    return status, gap, _relative(gap, spec.threshold), None


def _graded(
    spec: CriterionSpec, x: float
) -> tuple[ComplianceStatus, float | None, float | None, str | None]:
    benefit = spec.direction is Direction.BENEFIT
    reached = -1
    for i, band in enumerate(spec.bands):
        if _meets(x, band.limit, benefit, band.strict):
            reached = i
    ids = [b.id for b in spec.bands]
    pass_index = ids.index(spec.pass_band) if spec.pass_band else 0
    partial_index = ids.index(spec.partial_band) if spec.partial_band else None
    band_id = spec.bands[reached].id if reached >= 0 else None
    limit = spec.bands[pass_index].limit
    if reached >= pass_index:
        return ComplianceStatus.PASS, 0.0, 0.0, band_id
    gap = limit - x if benefit else x - limit
    partial = partial_index is not None and reached >= partial_index
    status = ComplianceStatus.PARTIAL if partial else ComplianceStatus.FAIL
    return status, gap, _relative(gap, limit), band_id


def _meets(x: float, limit: float, benefit: bool, strict: bool) -> bool:
    if benefit:
        return x > limit if strict else x >= limit
    return x < limit if strict else x <= limit


def _relative(gap: float, threshold: float) -> float | None:
    return gap / abs(threshold) if threshold != 0 else None


def _categorical_fail() -> tuple[ComplianceStatus, float | None, float | None, str | None]:
    return ComplianceStatus.FAIL, None, 1.0, None


def gap_order_key(result: CriterionResult) -> tuple[float, float, str]:
    """Sort key of the gap list: weight desc, relative gap desc (``None`` last), id."""
    weight = result.weight if result.weight is not None else 0.0
    relative = result.relative_gap if result.relative_gap is not None else -math.inf
    return (-weight, -relative, result.criterion_id)


def hub_compliance(
    hub_id: str,
    specs: Sequence[CriterionSpec],
    observations: Mapping[str, Observation | None],
    hub_types: Iterable[HubType],
    modes: Iterable[Mode],
    weights: Mapping[str, float] | None = None,
    setting: Setting | None = None,
) -> HubCompliance:
    """Assess one hub against every criterion.

    Parameters
    ----------
    hub_id
        The hub.
    specs
        The criteria.
    observations
        The hub's value per criterion id (missing key: no data).
    hub_types, modes
        The hub's types and modes.
    weights
        Weight per criterion id for this assessment (else each criterion's own).
    setting
        The hub's tiers, facts and assessment year (see :func:`evaluate`).

    Returns
    -------
    HubCompliance
        Results, counts per status and the gaps, most important first.
    """
    types, served = tuple(hub_types), tuple(modes)
    results = tuple(
        evaluate(
            spec,
            observations.get(spec.id),
            types,
            served,
            None if weights is None else weights.get(spec.id),
            setting,
        )
        for spec in specs
    )
    counts = {status: 0 for status in ComplianceStatus}
    for item in results:
        counts[item.status] += 1
    gaps = tuple(
        sorted(
            (r for r in results if r.status in {ComplianceStatus.FAIL, ComplianceStatus.PARTIAL}),
            key=gap_order_key,
        )
    )
    return HubCompliance(hub_id=hub_id, results=results, counts=counts, gaps=gaps)
