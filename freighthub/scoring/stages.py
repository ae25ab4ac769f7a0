"""Which stage of a requirement applies: by the hub's network tier, its facts and the year.

Pure functions on plain values (no file I/O). A criterion may come in dated stages
(:class:`~freighthub.scoring.criteria.Stage`), as the TEN-T Regulation (EU)
2024/1679 sets one requirement for the core network by 2030, the extended core by
2040 and the comprehensive network by 2050 (Art. 6, 15, 16). Selection:

1. Exemptions: if the hub meets an exemption condition (a hub fact set to true),
   the criterion does not apply (``exempt``).
2. Tier: the stages listing the hub's tier of the criterion's network (a stage
   without tiers fits every tier). If the hub's tier is not known, the core tier
   is assumed (the strictest reading) and the result says so. No stage left: the
   criterion does not apply on this tier (``tier``).
3. Condition: a stage limited to a hub fact (``condition``) is dropped if the hub
   file says the fact is false; unknown facts keep the stage. No stage left:
   ``condition``.
4. Year: with an assessment year, the stages in force (deadline year <= the
   assessment year, or no deadline) are *due*; the latest of them applies. If
   none is due yet, the first upcoming stage applies and ``due`` is false.
   Without a year, the first stage (earliest deadline) applies and ``due`` is
   ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from freighthub.scoring.criteria import (
    CriterionSpec,
    NotAssessed,
    NotAssessedKind,
    Setting,
    Stage,
)
from freighthub.vocabulary import NetworkTier

__all__ = ["StageChoice", "select_stage"]


@dataclass(frozen=True)
class StageChoice:
    """The stage that applies to a hub, or why none does.

    Attributes
    ----------
    stage
        The applicable stage (``None`` if the criterion has no stages, or none applies).
    reason
        Why the criterion does not apply (exemption, tier, condition); ``None`` if it does.
    tier
        The hub's tier used (``None`` if the criterion has no tiered stages).
    tier_assumed
        True if the hub's tier was not known and the core tier was assumed.
    due
        True if the stage's deadline has passed in the assessment year (or it has
        none); False if it is still to come; ``None`` without an assessment year
        or without stages.
    """

    stage: Stage | None = None
    reason: NotAssessed | None = None
    tier: NetworkTier | None = None
    tier_assumed: bool = False
    due: bool | None = None


def _deadline_key(stage: Stage) -> dt.date:
    return stage.deadline or dt.date.min


def select_stage(spec: CriterionSpec, setting: Setting | None) -> StageChoice:
    """The stage of ``spec`` that applies to a hub in ``setting`` (see the module docstring).

    Parameters
    ----------
    spec
        The criterion.
    setting
        The hub's tiers, facts and the assessment year (``None``: nothing known).

    Returns
    -------
    StageChoice
        The stage, or the reason the criterion does not apply.
    """
    where = setting or Setting()
    for exemption in spec.exemptions:
        if where.facts.get(exemption.condition) is True:
            return StageChoice(
                reason=NotAssessed(
                    NotAssessedKind.EXEMPT, condition=exemption.condition, clause=exemption.clause
                )
            )
    if not spec.stages:
        return StageChoice()
    tiered = any(s.tiers for s in spec.stages)
    tier = where.tiers.get(spec.tier_network)
    assumed = tiered and tier is None
    if assumed:
        tier = NetworkTier.CORE
    candidates = [s for s in spec.stages if not s.tiers or tier in s.tiers]
    if not candidates:
        listed = frozenset(t for s in spec.stages for t in s.tiers)
        return StageChoice(
            reason=NotAssessed(
                NotAssessedKind.TIER, tiers=listed, tier=tier, network=spec.tier_network
            ),
            tier=tier,
        )
    kept = [
        s for s in candidates if s.condition is None or where.facts.get(s.condition) is not False
    ]
    if not kept:
        first = candidates[0]
        return StageChoice(
            reason=NotAssessed(
                NotAssessedKind.CONDITION, condition=first.condition or "", clause=first.clause
            ),
            tier=tier if tiered else None,
            tier_assumed=assumed,
        )
    kept.sort(key=_deadline_key)
    shown_tier = tier if tiered else None
    if where.year is None:
        return StageChoice(stage=kept[0], tier=shown_tier, tier_assumed=assumed)
    year = where.year
    in_force = [s for s in kept if s.deadline is None or s.deadline.year <= year]
    if in_force:
        return StageChoice(stage=in_force[-1], tier=shown_tier, tier_assumed=assumed, due=True)
    return StageChoice(stage=kept[0], tier=shown_tier, tier_assumed=assumed, due=False)
