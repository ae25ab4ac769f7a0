"""Compliance rules on hand-made cases: every rule type, its boundaries, gaps and bands."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.scoring.compliance import (
    Band,
    ComplianceStatus,
    CriterionSpec,
    Direction,
    NotAssessed,
    NotAssessedKind,
    Observation,
    RuleKind,
    evaluate,
    hub_compliance,
)
from freighthub.vocabulary import Confidence, HubType, Mode

PASS, PARTIAL, FAIL = ComplianceStatus.PASS, ComplianceStatus.PARTIAL, ComplianceStatus.FAIL
NA, NO_DATA = ComplianceStatus.NOT_APPLICABLE, ComplianceStatus.NO_DATA


def spec(**kw: object) -> CriterionSpec:
    base: dict[str, object] = {
        "id": "c",
        "unit": "m",
        "rule": RuleKind.MINIMUM,
        "direction": Direction.BENEFIT,
        "confidence": Confidence.VERIFIED,
        "source": "doc, art. 1 (2024)",
        "threshold": 740.0,
    }
    base.update(kw)
    return CriterionSpec(**base)  # type: ignore[arg-type]


def obs(
    value: float | bool | str | None, confidence: Confidence | None = Confidence.VERIFIED
) -> Observation:
    return Observation(value=value, source="fact sheet", confidence=confidence)


# --- minimum -----------------------------------------------------------------------------


def test_minimum_boundaries_and_gap() -> None:
    s = spec(partial_threshold=600.0)
    at = evaluate(s, obs(740.0), [], [])
    assert at.status is PASS and at.gap == 0.0
    above = evaluate(s, obs(900.0), [], [])
    assert above.status is PASS and above.gap == 0.0
    partial = evaluate(s, obs(650.0), [], [])
    assert partial.status is PARTIAL
    assert partial.gap == pytest.approx(90.0)  # 740 - 650 m
    assert partial.relative_gap == pytest.approx(90.0 / 740.0)
    at_partial = evaluate(s, obs(600.0), [], [])
    assert at_partial.status is PARTIAL  # the partial threshold is inclusive
    fail = evaluate(s, obs(599.0), [], [])
    assert fail.status is FAIL and fail.gap == pytest.approx(141.0)


def test_minimum_without_partial_fails_just_below() -> None:
    r = evaluate(spec(), obs(739.9), [], [])
    assert r.status is FAIL
    assert r.gap == pytest.approx(0.1)


def test_strict_minimum_needs_more_than_the_threshold() -> None:
    s = spec(threshold=500_000.0, strict=True, unit="t/year")
    assert evaluate(s, obs(500_000.0), [], []).status is FAIL
    assert evaluate(s, obs(500_000.0), [], []).gap == 0.0  # documented: gap 0 at equality
    assert evaluate(s, obs(500_001.0), [], []).status is PASS
    assert spec(strict=True).describe_threshold() == "> 740 m"


# --- maximum -----------------------------------------------------------------------------


def test_maximum_boundaries_and_gap() -> None:
    s = spec(
        rule=RuleKind.MAXIMUM,
        direction=Direction.COST,
        threshold=20.0,
        unit="min",
        partial_threshold=30.0,
    )
    assert evaluate(s, obs(20.0), [], []).status is PASS
    assert evaluate(s, obs(5.0), [], []).status is PASS
    r = evaluate(s, obs(25.0), [], [])
    assert r.status is PARTIAL and r.gap == pytest.approx(5.0)  # 25 - 20 min
    assert evaluate(s, obs(30.0), [], []).status is PARTIAL
    f = evaluate(s, obs(45.0), [], [])
    assert f.status is FAIL and f.gap == pytest.approx(25.0)
    strict = spec(rule=RuleKind.MAXIMUM, direction=Direction.COST, threshold=3.0, strict=True)
    assert evaluate(strict, obs(3.0), [], []).status is FAIL
    assert evaluate(strict, obs(2.99), [], []).status is PASS


# --- boolean and one_of ------------------------------------------------------------------


def test_boolean_rule() -> None:
    s = spec(rule=RuleKind.BOOLEAN, threshold=None, required=True, unit="bool")
    ok = evaluate(s, obs(True), [], [])
    assert ok.status is PASS and ok.gap is None and ok.relative_gap == 0.0
    no = evaluate(s, obs(False), [], [])
    assert no.status is FAIL and no.gap is None and no.relative_gap == 1.0
    inverse = spec(rule=RuleKind.BOOLEAN, threshold=None, required=False, unit="bool")
    assert evaluate(inverse, obs(False), [], []).status is PASS
    with pytest.raises(TypeError, match="boolean rule needs true/false"):
        evaluate(s, obs(1.0), [], [])


def test_one_of_rule() -> None:
    s = spec(rule=RuleKind.ONE_OF, threshold=None, allowed=("IV", "Va", "Vb"), unit="class")
    assert evaluate(s, obs("Va"), [], []).status is PASS
    r = evaluate(s, obs("III"), [], [])
    assert r.status is FAIL and r.relative_gap == 1.0
    assert s.describe_threshold() == "one of IV, Va, Vb"
    with pytest.raises(TypeError, match="one-of rule needs a class name"):
        evaluate(s, obs(4.0), [], [])


def test_numeric_rule_refuses_text_and_nan() -> None:
    with pytest.raises(TypeError, match="numeric rule needs a finite number"):
        evaluate(spec(), obs("long"), [], [])
    with pytest.raises(TypeError, match="numeric rule needs a finite number"):
        evaluate(spec(), obs(math.nan), [], [])


# --- graded ------------------------------------------------------------------------------

GRADES = (
    Band("grade-4", 4000.0),
    Band("grade-3", 8000.0),
    Band("grade-2", 16000.0),
    Band("grade-1", 30000.0, strict=True),
)


def graded(**kw: object) -> CriterionSpec:
    base: dict[str, object] = {
        "rule": RuleKind.GRADED,
        "threshold": None,
        "unit": "TEU/year",
        "bands": GRADES,
        "pass_band": "grade-3",
        "partial_band": "grade-4",
    }
    base.update(kw)
    return spec(**base)


@pytest.mark.parametrize(
    ("value", "band", "status"),
    [
        (3999.0, None, FAIL),
        (4000.0, "grade-4", PARTIAL),
        (7999.0, "grade-4", PARTIAL),
        (8000.0, "grade-3", PASS),
        (16000.0, "grade-2", PASS),
        (30000.0, "grade-2", PASS),  # grade 1 needs more than 30,000
        (30001.0, "grade-1", PASS),
    ],
)
def test_graded_band_reached(value: float, band: str | None, status: ComplianceStatus) -> None:
    r = evaluate(graded(), obs(value), [], [])
    assert r.band == band
    assert r.status is status


def test_graded_gap_is_to_the_pass_band() -> None:
    r = evaluate(graded(), obs(5000.0), [], [])
    assert r.gap == pytest.approx(3000.0)  # 8000 - 5000 TEU/year
    assert r.relative_gap == pytest.approx(3000.0 / 8000.0)
    assert graded().describe_threshold() == "band grade-3 (>= 8000 TEU/year)"


def test_graded_cost_direction() -> None:
    bands = (Band("slow", 60.0), Band("ok", 30.0), Band("fast", 20.0))
    s = spec(
        rule=RuleKind.GRADED,
        direction=Direction.COST,
        threshold=None,
        unit="min",
        bands=bands,
        pass_band="ok",
    )
    assert evaluate(s, obs(25.0), [], []).band == "ok"
    assert evaluate(s, obs(20.0), [], []).band == "fast"
    r = evaluate(s, obs(45.0), [], [])
    assert r.band == "slow" and r.status is FAIL and r.gap == pytest.approx(15.0)
    assert evaluate(s, obs(61.0), [], []).band is None
    assert s.describe_threshold() == "band ok (<= 30 min)"


# --- applicability, missing data, flags ----------------------------------------------------


def test_not_applicable_by_hub_type_and_mode_gives_a_structured_reason() -> None:
    s = spec(
        hub_types=frozenset({HubType.INLAND_PORT, HubType.DRY_PORT}),
        modes=frozenset({Mode.INLAND_WATERWAY}),
    )
    r = evaluate(s, obs(800.0), [HubType.SEAPORT], [Mode.INLAND_WATERWAY])
    assert r.status is NA
    assert r.reason == NotAssessed(
        NotAssessedKind.HUB_TYPE, hub_types=frozenset({HubType.INLAND_PORT, HubType.DRY_PORT})
    )
    assert str(r.reason) == "hub type not in dry_port, inland_port"
    r = evaluate(s, obs(800.0), [HubType.INLAND_PORT], [Mode.ROAD, Mode.RAIL])
    assert r.status is NA
    assert r.reason == NotAssessed(NotAssessedKind.MODES, modes=frozenset({Mode.INLAND_WATERWAY}))
    assert str(r.reason) == "hub serves none of inland_waterway"
    both = evaluate(s, obs(800.0), [HubType.INLAND_PORT, HubType.SEAPORT], [Mode.INLAND_WATERWAY])
    assert both.status is PASS and both.reason is None


def test_no_data_is_never_a_zero() -> None:
    assert evaluate(spec(), None, [], []).status is NO_DATA
    r = evaluate(spec(), obs(None), [], [])
    assert r.status is NO_DATA and r.gap is None and r.value is None
    assert r.reason == NotAssessed(NotAssessedKind.NO_DATA)
    assert str(r.reason) == "the hub file does not give this value"


def test_flags_for_uncertain_thresholds_and_weak_values() -> None:
    assert not evaluate(spec(), obs(800.0), [], []).flagged
    assert not evaluate(spec(), obs(800.0, Confidence.SECONDARY), [], []).flagged
    assert evaluate(spec(confidence=Confidence.UNCERTAIN), obs(800.0), [], []).flagged
    assert evaluate(spec(confidence=Confidence.ASSUMPTION), obs(800.0), [], []).flagged
    assert evaluate(spec(), obs(800.0, Confidence.UNCERTAIN), [], []).flagged
    assert evaluate(spec(), obs(800.0, Confidence.ASSUMPTION), [], []).flagged
    assert evaluate(spec(), obs(800.0, None), [], []).flagged  # unlabelled: flagged
    assert evaluate(spec(confidence=Confidence.UNCERTAIN), None, [], []).flagged
    assert not evaluate(spec(), None, [], []).flagged  # no value: nothing to flag


# --- per hub: counts and gap order --------------------------------------------------------


def test_hub_compliance_counts_and_gap_order() -> None:
    specs = [
        spec(id="a", threshold=100.0),  # fail, relative gap 0.5
        spec(id="b", threshold=10.0),  # fail, relative gap 0.9
        spec(id="c", threshold=1.0),  # pass
        spec(id="d", hub_types=frozenset({HubType.SEAPORT})),  # not applicable
        spec(id="e"),  # no data
        spec(id="f", threshold=100.0, partial_threshold=50.0),  # partial, relative 0.4
    ]
    observations = {"a": obs(50.0), "b": obs(1.0), "c": obs(5.0), "d": obs(1.0), "f": obs(60.0)}
    hc = hub_compliance("h", specs, observations, [HubType.INLAND_PORT], [Mode.ROAD])
    assert hc.counts == {PASS: 1, PARTIAL: 1, FAIL: 2, NA: 1, NO_DATA: 1}
    assert sum(hc.counts.values()) == len(specs)
    # equal (absent) weights: largest relative gap first
    assert [g.criterion_id for g in hc.gaps] == ["b", "a", "f"]
    # weight dominates the relative gap
    weighted = hub_compliance(
        "h", specs, observations, [HubType.INLAND_PORT], [Mode.ROAD], {"f": 0.5, "a": 0.3, "b": 0.2}
    )
    assert [g.criterion_id for g in weighted.gaps] == ["f", "a", "b"]
    assert weighted.result("f").weight == 0.5
    with pytest.raises(KeyError):
        hc.result("zzz")


@given(
    threshold=st.floats(min_value=0.1, max_value=1e6),
    value=st.floats(min_value=0.0, max_value=2e6),
)
def test_minimum_gap_closes_exactly(threshold: float, value: float) -> None:
    """Property: adding the gap to the value makes a minimum criterion pass."""
    r = evaluate(spec(threshold=threshold), obs(value), [], [])
    assert r.gap is not None and r.gap >= 0
    assert (r.status is PASS) == (value >= threshold)
    if r.status is FAIL:
        assert value + r.gap == pytest.approx(threshold, rel=1e-12)


@given(
    limits=st.lists(
        st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=1, max_size=5, unique=True
    ),
    a=st.floats(min_value=-10, max_value=2e5),
    b=st.floats(min_value=-10, max_value=2e5),
)
def test_graded_band_never_falls_as_the_value_rises(
    limits: list[float], a: float, b: float
) -> None:
    """Property: a larger value of a benefit criterion reaches the same or a higher band."""
    bands = tuple(Band(f"b{i}", x) for i, x in enumerate(sorted(limits)))
    s = graded(bands=bands, pass_band=bands[-1].id, partial_band=None)
    order = [None, *(band.id for band in bands)]
    low, high = sorted((a, b))
    r_low, r_high = evaluate(s, obs(low), [], []), evaluate(s, obs(high), [], [])
    assert order.index(r_low.band) <= order.index(r_high.band)
    assert r_high.gap is not None and r_low.gap is not None and r_high.gap <= r_low.gap
