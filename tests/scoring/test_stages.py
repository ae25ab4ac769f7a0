"""Staged criteria: the hub's tier, facts and the assessment year pick stage, threshold, deadline.

The stage layout mirrors Regulation (EU) 2024/1679: one requirement for the core
network by 31 Dec 2030 (Art. 16(3)), the extended core by 2040 (Art. 16(1)) and the
comprehensive network by 2050 (Art. 15(2)); Art. 6 fixes the three dates.
"""

from __future__ import annotations

import datetime as dt

import pytest

from freighthub.scoring.compliance import (
    ComplianceStatus,
    CriterionSpec,
    Direction,
    NotAssessedKind,
    Observation,
    RuleKind,
    Setting,
    Stage,
    evaluate,
)
from freighthub.scoring.criteria import Exemption
from freighthub.scoring.stages import select_stage
from freighthub.vocabulary import Confidence, NetworkTier

CORE, EXT, COMP = NetworkTier.CORE, NetworkTier.EXTENDED_CORE, NetworkTier.COMPREHENSIVE
D2030, D2040, D2050 = dt.date(2030, 12, 31), dt.date(2040, 12, 31), dt.date(2050, 12, 31)


def minimum(**fields: object) -> CriterionSpec:
    """A verified minimum criterion (maximum if ``rule`` says so) with the given fields."""
    base: dict[str, object] = {
        "id": "x",
        "unit": "m",
        "rule": RuleKind.MINIMUM,
        "direction": Direction.BENEFIT,
        "confidence": Confidence.VERIFIED,
        "source": "test",
    }
    return CriterionSpec(**(base | fields))  # type: ignore[arg-type]


def tiered(**extra: object) -> CriterionSpec:
    """22.5 t axle load, staged by rail tier as in Reg. 2024/1679 (comprehensive: Art. 15(3) lines)."""
    return minimum(
        id="axle",
        unit="t/axle",
        threshold=22.5,
        tier_network="rail",
        stages=(
            Stage("Art. 16(3)(a)", D2030, frozenset({CORE})),
            Stage("Art. 16(1)(a)", D2040, frozenset({EXT})),
            Stage("Art. 15(2)(b)", D2050, frozenset({COMP}), condition="rail_art15_3_line"),
        ),
        exemptions=(Exemption("rail_access_connection", "Art. 14(1)(d)"),),
        **extra,
    )


def judge(spec: CriterionSpec, value: float, setting: Setting | None):  # type: ignore[no-untyped-def]
    return evaluate(spec, Observation(value, "test", Confidence.SECONDARY), [], [], setting=setting)


@pytest.mark.parametrize(
    ("tier", "deadline", "clause"),
    [(CORE, D2030, "Art. 16(3)(a)"), (EXT, D2040, "Art. 16(1)(a)"), (COMP, D2050, "Art. 15(2)(b)")],
)
def test_the_tier_selects_the_deadline(tier: NetworkTier, deadline: dt.date, clause: str) -> None:
    r = judge(tiered(), 20.0, Setting(year=2030, tiers={"rail": tier}))
    assert (r.deadline, r.stage_clause, r.tier, r.tier_assumed) == (deadline, clause, tier, False)
    assert r.status is ComplianceStatus.FAIL and r.gap == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("tier", "year", "due"),
    [
        (CORE, 2029, False),
        (CORE, 2030, True),
        (EXT, 2030, False),
        (EXT, 2040, True),
        (COMP, 2040, False),
        (COMP, 2050, True),
    ],
)
def test_the_year_decides_whether_the_deadline_is_due(
    tier: NetworkTier, year: int, due: bool
) -> None:
    r = judge(tiered(), 25.0, Setting(year=year, tiers={"rail": tier}))
    assert r.due is due
    assert r.status is ComplianceStatus.PASS


def test_without_a_year_due_is_undecided() -> None:
    r = judge(tiered(), 25.0, Setting(tiers={"rail": EXT}))
    assert r.due is None and r.deadline == D2040


def test_an_unknown_tier_is_judged_as_core_and_says_so() -> None:
    r = judge(tiered(), 20.0, Setting(year=2035))
    assert (r.tier, r.tier_assumed, r.deadline, r.due) == (CORE, True, D2030, True)
    assert judge(tiered(), 20.0, None).tier_assumed


def test_the_tier_of_the_criterion_network_counts_not_the_hub_listing() -> None:
    r = judge(tiered(), 20.0, Setting(year=2030, tiers={"node": CORE, "rail": COMP}))
    assert r.deadline == D2050


def test_access_connection_exempt() -> None:
    r = judge(
        tiered(),
        18.0,
        Setting(year=2050, tiers={"rail": CORE}, facts={"rail_access_connection": True}),
    )
    assert r.status is ComplianceStatus.NOT_APPLICABLE
    assert r.reason is not None and r.reason.kind is NotAssessedKind.EXEMPT
    assert str(r.reason) == "exempt: rail_access_connection (Art. 14(1)(d))"
    # false or unknown: judged
    r = judge(
        tiered(),
        18.0,
        Setting(year=2050, tiers={"rail": CORE}, facts={"rail_access_connection": False}),
    )
    assert r.status is ComplianceStatus.FAIL


def test_comprehensive_stage_limited_to_art15_3_lines() -> None:
    off = Setting(year=2050, tiers={"rail": COMP}, facts={"rail_art15_3_line": False})
    r = judge(tiered(), 18.0, off)
    assert r.status is ComplianceStatus.NOT_APPLICABLE
    assert r.reason is not None and r.reason.kind is NotAssessedKind.CONDITION
    assert "rail_art15_3_line" in str(r.reason)
    unknown = Setting(year=2050, tiers={"rail": COMP})
    assert judge(tiered(), 18.0, unknown).status is ComplianceStatus.FAIL


def test_a_tier_without_a_stage_is_not_applicable() -> None:
    spec = minimum(
        id="speed",
        unit="km/h",
        threshold=100,
        stages=(
            Stage("16(3)(a)", D2030, frozenset({CORE})),
            Stage("16(1)(c)", D2040, frozenset({EXT})),
        ),
    )
    r = judge(spec, 80.0, Setting(year=2050, tiers={"node": COMP}))
    assert r.status is ComplianceStatus.NOT_APPLICABLE
    assert r.reason is not None and r.reason.kind is NotAssessedKind.TIER
    assert (
        str(r.reason)
        == "applies on the core, extended_core tier(s) of the node network; the hub's is comprehensive"
    )


def staged_thresholds() -> CriterionSpec:
    """A threshold that tightens with the year (maximum spacing: 100 km, then 60 km)."""
    return minimum(
        id="spacing",
        unit="km",
        rule=RuleKind.MAXIMUM,
        direction=Direction.COST,
        threshold=60,
        stages=(Stage("a", dt.date(2025, 12, 31), threshold=100), Stage("b", D2030, threshold=60)),
    )


@pytest.mark.parametrize(
    ("year", "threshold", "status", "due"),
    [
        (2024, "<= 100 km", ComplianceStatus.PASS, False),
        (2027, "<= 100 km", ComplianceStatus.PASS, True),
        (2030, "<= 60 km", ComplianceStatus.FAIL, True),
        (2045, "<= 60 km", ComplianceStatus.FAIL, True),
    ],
)
def test_the_year_selects_the_threshold(
    year: int, threshold: str, status: ComplianceStatus, due: bool
) -> None:
    r = judge(staged_thresholds(), 80.0, Setting(year=year))
    assert (r.threshold, r.status, r.due) == (threshold, status, due)


def test_select_stage_without_stages_is_plain() -> None:
    choice = select_stage(minimum(threshold=1), Setting(year=2030))
    assert choice.stage is None and choice.reason is None and choice.due is None


def test_superseded_edition_flags_the_result() -> None:
    spec = tiered(superseded_by="GB/T 21334-2017")
    r = judge(spec, 25.0, Setting(year=2030, tiers={"rail": CORE}))
    assert r.status is ComplianceStatus.PASS
    assert r.flagged and r.superseded_by == "GB/T 21334-2017"
    assert not judge(tiered(), 25.0, Setting(year=2030, tiers={"rail": CORE})).flagged
