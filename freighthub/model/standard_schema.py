"""The schema of standard and profile files: criteria, thresholds, bands, references.

Split from :mod:`freighthub.model.standard` (which loads, cross-checks and re-exports
these types): the field types of a file and the attribute types of the hub format
that a criterion may read.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from freighthub.errors import one_by_id
from freighthub.model.fields import Finite, Frozen, HubId, PositiveFloat, first_repeat, listed_once
from freighthub.model.fields import Text as NonEmpty  # ``Text`` here is the bilingual name
from freighthub.model.hub import attribute_value_type
from freighthub.model.methods import PlausibleRange
from freighthub.model.tent import HubFact
from freighthub.scoring.compliance import Band, CriterionSpec, Direction, RuleKind
from freighthub.scoring.criteria import Exemption, Stage
from freighthub.units import STANDARD_UNITS
from freighthub.vocabulary import Confidence, HubType, Mode, NetworkTier

#: Units a criterion or a reference value may use, by symbol, with what they measure
#: (the ``standard`` units of :data:`freighthub.units.UNITS`).
KNOWN_UNITS: dict[str, str] = {symbol: u.meaning for symbol, u in STANDARD_UNITS.items()}


class Text(Frozen):
    """A name or title in English (required) and Chinese."""

    en: NonEmpty
    zh: NonEmpty | None = None


class SourceRef(Frozen):
    """Where a threshold comes from: document, article/clause/table, edition, URL."""

    document: NonEmpty
    clause: NonEmpty
    edition: NonEmpty
    url: NonEmpty | None = None
    note: NonEmpty | None = None

    def one_line(self) -> str:
        """``document, clause (edition)`` as one line."""
        return f"{self.document}, {self.clause} ({self.edition})"


class PartialThreshold(Frozen):
    """Threshold of a partial pass and what it rests on.

    ``basis = "standard"``: the document itself gives the value (for example the
    AGTC "at present" column); ``basis = "assumption"``: the project's choice, and
    ``note`` says why.
    """

    threshold: Finite
    basis: Literal["standard", "assumption"]
    note: NonEmpty


class StageRule(Frozen):
    """One dated stage of a criterion (a ``[[criteria.stages]]`` entry).

    ``tiers`` lists the network tiers the stage applies on (empty: all);
    ``threshold`` replaces the criterion's threshold for this stage (minimum and
    maximum rules only); ``condition`` limits the stage to hubs where a hub fact
    holds (:data:`freighthub.model.tent.HUB_FACTS`).
    """

    clause: NonEmpty
    deadline: dt.date | None = None
    tiers: Annotated[tuple[NetworkTier, ...], listed_once("a tier")] = ()
    threshold: Finite | None = None
    condition: HubFact | None = None
    note: NonEmpty | None = None

    def plain(self) -> Stage:
        """The :class:`~freighthub.scoring.criteria.Stage` the compliance functions use."""
        return Stage(
            clause=self.clause,
            deadline=self.deadline,
            tiers=frozenset(self.tiers),
            threshold=self.threshold,
            condition=self.condition,
        )


class ExemptionRule(Frozen):
    """A hub fact that exempts a hub from a criterion, with the clause that says so."""

    condition: HubFact
    clause: NonEmpty
    note: NonEmpty | None = None


class GradeBand(Frozen):
    """One band of a graded criterion (listed lowest grade first)."""

    id: HubId
    name: Text
    limit: Finite
    strict: bool = False


class Criterion(Frozen):
    """One codified requirement: what it reads, how it judges, where it comes from.

    Attributes
    ----------
    unit
        Unit of threshold, hub value and gap (one of :data:`KNOWN_UNITS`).
    hub_types, modes
        The criterion applies to hubs with one of these types and serving one of
        these modes (empty: all).
    attribute
        Dotted hub attribute the criterion reads (``rail.axle_load_t``).
    per
        Optional second attribute; the criterion then reads ``attribute / per``.
    rule, direction
        See :mod:`freighthub.scoring.compliance`.
    threshold, strict, partial
        Pass threshold of minimum/maximum rules, whether it must be exceeded, and
        an optional partial threshold.
    allowed, required
        Passing values of one-of and boolean rules.
    bands, pass_band, partial_band
        Bands of a graded rule.
    weight
        Optional default weight (all criteria of a file have one, or none does).
    deadline
        Date by which the standard requires the value, if it says (one date for
        every tier; use ``stages`` where the date depends on the tier).
    stages, tier_network
        Dated stages by network tier (:class:`StageRule`) and the network whose
        tier selects them (``node``: the hub's own listing, ``rail``, ``waterway``).
    exemptions
        Hub facts that exempt a hub (:class:`ExemptionRule`).
    superseded_by
        Set by the loader from the defining standard's ``superseded_by``.
    confidence, source
        Confidence label and source of the threshold.
    """

    id: HubId
    name: Text
    unit: str
    hub_types: tuple[HubType, ...] = ()
    modes: Annotated[tuple[Mode, ...], listed_once("a mode")] = ()

    attribute: str
    per: str | None = None
    rule: RuleKind
    direction: Direction
    threshold: Finite | None = None
    strict: bool = False
    partial: PartialThreshold | None = None
    allowed: tuple[NonEmpty, ...] = ()
    required: bool | None = None
    bands: tuple[GradeBand, ...] = ()
    pass_band: str | None = None
    partial_band: str | None = None
    weight: PositiveFloat | None = None
    deadline: dt.date | None = None
    stages: tuple[StageRule, ...] = ()
    tier_network: Literal["node", "rail", "waterway"] = "node"
    exemptions: tuple[ExemptionRule, ...] = ()
    superseded_by: NonEmpty | None = None
    confidence: Confidence
    source: SourceRef
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _stages_fit(self) -> Criterion:
        if self.stages and self.deadline is not None:
            raise ValueError(
                "give either deadline or stages (each stage has its deadline), not both"
            )
        numeric = self.rule in {RuleKind.MINIMUM, RuleKind.MAXIMUM}
        if not numeric and any(s.threshold is not None for s in self.stages):
            raise ValueError(f"a stage threshold needs rule minimum or maximum, not {self.rule}")
        keys = ((tuple(sorted(s.tiers)), s.deadline, s.condition) for s in self.stages)
        if first_repeat(keys) is not None:
            raise ValueError("two stages with the same tiers, deadline and condition")
        return self

    def plain_stages(self) -> tuple[Stage, ...]:
        """The criterion's stages; a single ``deadline`` is one stage for every tier."""
        if self.stages:
            return tuple(s.plain() for s in self.stages)
        if self.deadline is not None:
            return (Stage(clause=self.source.clause, deadline=self.deadline),)
        return ()

    def spec(self, weight: float | None = None) -> CriterionSpec:
        """The plain :class:`CriterionSpec` the compliance functions evaluate."""
        return CriterionSpec(
            id=self.id,
            unit=self.unit,
            rule=self.rule,
            direction=self.direction,
            confidence=self.confidence,
            source=self.source.one_line(),
            threshold=self.threshold,
            strict=self.strict,
            partial_threshold=None if self.partial is None else self.partial.threshold,
            allowed=self.allowed,
            required=self.required,
            bands=tuple(
                Band(id=b.id, limit=b.limit, strict=b.strict, name_en=b.name.en, name_zh=b.name.zh)
                for b in self.bands
            ),
            pass_band=self.pass_band,
            partial_band=self.partial_band,
            hub_types=frozenset(self.hub_types),
            modes=frozenset(self.modes),
            weight=self.weight if weight is None else weight,
            stages=self.plain_stages(),
            tier_network=self.tier_network,
            exemptions=tuple(Exemption(e.condition, e.clause) for e in self.exemptions),
            superseded_by=self.superseded_by,
        )


class CriterionRef(Frozen):
    """A profile's reference to a criterion of a standard, with the profile's weight."""

    standard: HubId
    criterion: HubId
    weight: PositiveFloat | None = None


class ReferenceValue(Frozen):
    """A sourced value a standard defines that is not a hub criterion (e.g. a container size)."""

    id: HubId
    name: Text
    unit: str
    value: Finite
    confidence: Confidence
    source: SourceRef
    note: NonEmpty | None = None


class StandardInfo(Frozen):
    """The ``[standard]`` block: identity and provenance of the document.

    ``superseded_by`` names the edition that replaced this one (with the
    confidence of that finding); every criterion of the file is then flagged in
    compliance results. ``assessment_year`` (profiles) is the year a review judges
    deadlines in, unless the caller gives one. ``not_found`` lists the clauses
    and values of the document that research looked for and did not find (so they
    are not codified); ``freighthub standards show`` prints them.
    """

    id: HubId
    kind: Literal["standard", "profile"] = "standard"
    title: Text
    document: NonEmpty
    edition: NonEmpty
    date: dt.date | None = None
    url: NonEmpty | None = None
    licence: NonEmpty
    example: bool = False
    note: NonEmpty | None = None
    superseded_by: NonEmpty | None = None
    superseded_confidence: Confidence | None = None
    not_found: tuple[NonEmpty, ...] = ()
    assessment_year: Annotated[int, Field(ge=1900, le=2100)] | None = None

    def superseded_label(self) -> str | None:
        """``superseded_by`` as results show it, with its confidence unless verified."""
        if self.superseded_by is None or self.superseded_confidence is None:
            return None
        if self.superseded_confidence is Confidence.VERIFIED:
            return self.superseded_by
        return f"{self.superseded_by} ({self.superseded_confidence.value})"

    @model_validator(mode="after")
    def _superseded_sourced(self) -> StandardInfo:
        if (self.superseded_by is None) != (self.superseded_confidence is None):
            raise ValueError("superseded_by and superseded_confidence go together")
        return self


def _entry_tag(item: Any) -> str:
    if isinstance(item, dict) and (
        "criterion" in item or ("standard" in item and "id" not in item)
    ):
        return "[reference]"
    return "[definition]"


# The tags contain "[" so that freighthub.model.files leaves them out of field paths.
_Entry = Annotated[
    Annotated[Criterion, Tag("[definition]")] | Annotated[CriterionRef, Tag("[reference]")],
    Discriminator(_entry_tag),
]


class _StandardFile(Frozen):
    standard: StandardInfo
    criteria: tuple[_Entry, ...] = ()
    values: tuple[ReferenceValue, ...] = ()
    ranges: dict[HubId, PlausibleRange] = Field(default_factory=dict)


class Standard(Frozen):
    """A loaded standard or profile; a profile's references are resolved into criteria.

    Attributes
    ----------
    info
        The ``[standard]`` block.
    criteria
        The criteria, referenced ones copied from their standard with the profile's
        weight.
    values
        Reference values (not criteria), e.g. container dimensions.
    origin
        Id of the standard that defines each criterion.
    path
        File the standard was loaded from.
    ranges
        A profile's own plausible ranges per criterion id, for sampling missing
        values (:mod:`freighthub.model.profile_ranges`).
    """

    info: StandardInfo
    criteria: tuple[Criterion, ...]
    values: tuple[ReferenceValue, ...] = ()
    origin: dict[str, str]
    path: Path
    ranges: dict[str, PlausibleRange] = Field(default_factory=dict)

    @property
    def id(self) -> str:
        """The standard's id (its file name without ``.toml``)."""
        return self.info.id

    def criterion(self, criterion_id: str) -> Criterion:
        """One criterion by id.

        Raises
        ------
        UnknownIdentifierError
            Listing the criteria of this standard.
        """
        return one_by_id(self.criteria, criterion_id, f"criterion of {self.id}")


# --- attribute types of the hub format -------------------------------------------------


def _attribute_kind(path: str) -> str | None:
    """``number``, ``bool`` or ``text`` for a hub attribute path; ``None`` if unknown."""
    try:
        inner = attribute_value_type(path)
    except KeyError:
        return None
    if inner is bool:
        return "bool"
    if isinstance(inner, type) and issubclass(inner, (int, float)):
        return "number"
    if inner is str or (isinstance(inner, type) and issubclass(inner, Enum)):
        return "text"
    return None


_RULE_KIND = {
    RuleKind.MINIMUM: "number",
    RuleKind.MAXIMUM: "number",
    RuleKind.GRADED: "number",
    RuleKind.BOOLEAN: "bool",
    RuleKind.ONE_OF: "text",
}
