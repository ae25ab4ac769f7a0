"""What a compliance judgement works with: statuses, rule kinds, criteria, bands, observations.

Split from :mod:`freighthub.scoring.compliance` (results and the judging, which
re-exports these types).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from freighthub.vocabulary import Confidence, HubType, Mode, NetworkTier


class ComplianceStatus(StrEnum):
    """Outcome of one hub against one criterion."""

    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    NO_DATA = "no_data"


class RuleKind(StrEnum):
    """How a criterion compares the hub value with its threshold."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    ONE_OF = "one_of"
    BOOLEAN = "boolean"
    GRADED = "graded"


class Direction(StrEnum):
    """Whether more of the attribute is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class NotAssessedKind(StrEnum):
    """Why a hub was not judged against a criterion."""

    HUB_TYPE = "hub_type"
    MODES = "modes"
    NO_DATA = "no_data"
    TIER = "tier"
    EXEMPT = "exempt"
    CONDITION = "condition"


@dataclass(frozen=True)
class NotAssessed:
    """Why a criterion is not applicable to a hub, or has no data for it.

    Attributes
    ----------
    kind
        ``hub_type``: the criterion applies to other hub types (listed in
        ``hub_types``); ``modes``: the hub serves none of the criterion's ``modes``;
        ``no_data``: the hub file does not give the value; ``tier``: the requirement
        applies on other network tiers (``tiers``) than the hub's (``tier``);
        ``exempt``: the hub meets an exemption ``condition`` of the text (``clause``);
        ``condition``: the requirement applies only where ``condition`` holds
        (``clause``) and the hub file says it does not.
    hub_types, modes
        The criterion's restriction that the hub misses (empty for ``no_data``).
    tiers, tier, network
        For ``tier``: the tiers the requirement applies on, the hub's tier and the
        network (``node``, ``rail``, ``waterway``) whose tier counts.
    condition, clause
        For ``exempt`` and ``condition``: the hub fact and the clause of the text.
    """

    kind: NotAssessedKind
    hub_types: frozenset[HubType] = frozenset()
    modes: frozenset[Mode] = frozenset()
    tiers: frozenset[NetworkTier] = frozenset()
    tier: NetworkTier | None = None
    network: str = ""
    condition: str = ""
    clause: str = ""

    def __str__(self) -> str:
        """The reason in English (the CLI and ``Assessment.to_dict`` show it)."""
        if self.kind is NotAssessedKind.HUB_TYPE:
            return "hub type not in " + ", ".join(sorted(self.hub_types))
        if self.kind is NotAssessedKind.MODES:
            return "hub serves none of " + ", ".join(sorted(self.modes))
        if self.kind is NotAssessedKind.TIER:
            return (
                f"applies on the {', '.join(sorted(self.tiers))} tier(s) of the {self.network} "
                f"network; the hub's is {self.tier}"
            )
        if self.kind is NotAssessedKind.EXEMPT:
            return f"exempt: {self.condition} ({self.clause})"
        if self.kind is NotAssessedKind.CONDITION:
            return f"applies only where {self.condition} ({self.clause}); the hub file says no"
        return "the hub file does not give this value"


@dataclass(frozen=True)
class Stage:
    """One dated stage of a requirement: on which tiers, by when, with which threshold.

    A criterion without stages applies at once on every tier. With stages, the
    hub's tier (of the criterion's ``tier_network``) keeps the stages listing it (a
    stage without tiers fits every tier) and the assessment year picks one of them
    (see :func:`freighthub.scoring.stages.select_stage`).

    Attributes
    ----------
    clause
        The clause of the text that sets this stage.
    deadline
        Date by which the text requires it (``None``: in force now).
    tiers
        Network tiers the stage applies on (empty: all).
    threshold
        Pass threshold of this stage [criterion unit], replacing the criterion's
        (``None``: the criterion's).
    condition
        A hub fact the stage is limited to (``None``: none); a hub whose file says
        the fact is false is not judged on this stage.
    """

    clause: str
    deadline: dt.date | None = None
    tiers: frozenset[NetworkTier] = frozenset()
    threshold: float | None = None
    condition: str | None = None


@dataclass(frozen=True)
class Exemption:
    """A hub fact that exempts a hub from a requirement, and the clause that says so."""

    condition: str
    clause: str


@dataclass(frozen=True)
class Setting:
    """Where and when a hub is judged.

    Attributes
    ----------
    year
        Assessment year (``None``: none given; each staged criterion is then judged
        on its first stage and ``due`` is not decided).
    tiers
        The hub's tier per network (``node``: its own listing; ``rail``,
        ``waterway``: the line or waterway its attributes describe). A network
        missing here has an unknown tier.
    facts
        Hub facts that exemptions and stage conditions name (missing: unknown).
    """

    year: int | None = None
    tiers: Mapping[str, NetworkTier] = field(default_factory=dict)
    facts: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    """One grade of a graded criterion.

    Attributes
    ----------
    id
        Band identifier (``grade-1``, ``class-2`` ...).
    limit
        Lower bound (benefit) or upper bound (cost) of the band [criterion unit].
    strict
        The value must exceed (benefit) or stay below (cost) the limit, not equal it.
    name_en, name_zh
        Display names.
    """

    id: str
    limit: float
    strict: bool = False
    name_en: str = ""
    name_zh: str | None = None


@dataclass(frozen=True)
class CriterionSpec:
    """What :func:`evaluate` needs to know about a criterion.

    Attributes
    ----------
    id
        Criterion id (unique across all standards).
    unit
        Unit of the threshold, the hub value and the gap.
    rule, direction
        See the module docstring.
    threshold
        Pass threshold of ``minimum``/``maximum`` rules [unit].
    strict
        Threshold must be exceeded (``>``/``<``) rather than met.
    partial_threshold
        Threshold of a partial pass [unit], if the standard or a stated assumption
        gives one.
    allowed
        Values that pass a ``one_of`` rule.
    required
        Value that passes a ``boolean`` rule.
    bands, pass_band, partial_band
        Bands of a ``graded`` rule, lowest grade first, and the band ids from which
        the criterion passes / passes partially.
    hub_types, modes
        The criterion applies to a hub that has at least one of ``hub_types`` and
        serves at least one of ``modes``; an empty set means no restriction.
    weight
        Default weight, if the standard or profile gives one.
    stages, tier_network
        Dated stages of the requirement (see :class:`Stage`) and the network whose
        tier selects them (``node``, ``rail`` or ``waterway``).
    exemptions
        Hub facts that exempt a hub from the requirement.
    superseded_by
        The edition that replaced the criterion's document, if it is not current.
    confidence
        Confidence of the threshold.
    source
        Document, clause and edition of the threshold, as one line.
    """

    id: str
    unit: str
    rule: RuleKind
    direction: Direction
    confidence: Confidence
    source: str
    threshold: float | None = None
    strict: bool = False
    partial_threshold: float | None = None
    allowed: tuple[str, ...] = ()
    required: bool | None = None
    bands: tuple[Band, ...] = ()
    pass_band: str | None = None
    partial_band: str | None = None
    hub_types: frozenset[HubType] = field(default_factory=frozenset)
    modes: frozenset[Mode] = field(default_factory=frozenset)
    weight: float | None = None
    stages: tuple[Stage, ...] = ()
    tier_network: str = "node"
    exemptions: tuple[Exemption, ...] = ()
    superseded_by: str | None = None

    @property
    def is_numeric(self) -> bool:
        """True for rules that compare numbers (minimum, maximum, graded)."""
        return self.rule in {RuleKind.MINIMUM, RuleKind.MAXIMUM, RuleKind.GRADED}

    @property
    def pass_limit(self) -> float | None:
        """The number a hub must reach to pass (numeric rules) [unit]."""
        if self.rule is RuleKind.GRADED:
            return _band(self, self.pass_band or self.bands[0].id).limit
        return self.threshold

    def describe_threshold(self) -> str:
        """The pass condition in words, e.g. ``>= 740 m`` or ``one of IV, Va``."""
        if self.rule is RuleKind.MINIMUM:
            return f"{'>' if self.strict else '>='} {_fmt(self.threshold)} {self.unit}"
        if self.rule is RuleKind.MAXIMUM:
            return f"{'<' if self.strict else '<='} {_fmt(self.threshold)} {self.unit}"
        if self.rule is RuleKind.BOOLEAN:
            return f"= {str(self.required).lower()}"
        if self.rule is RuleKind.ONE_OF:
            return "one of " + ", ".join(self.allowed)
        band = _band(self, self.pass_band or self.bands[0].id)
        if self.direction is Direction.BENEFIT:
            op = ">" if band.strict else ">="
        else:
            op = "<" if band.strict else "<="
        return f"band {band.id} ({op} {_fmt(band.limit)} {self.unit})"


@dataclass(frozen=True)
class Observation:
    """A hub's value for a criterion, with the hub file's own provenance.

    Attributes
    ----------
    value
        Number, boolean or text (a class name); ``None`` if the hub does not give it.
    source, confidence
        Provenance of the value as written in the hub file.
    """

    value: float | bool | str | None
    source: str | None = None
    confidence: Confidence | None = None


def _band(spec: CriterionSpec, band_id: str) -> Band:
    for band in spec.bands:
        if band.id == band_id:
            return band
    raise KeyError(band_id)


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"
