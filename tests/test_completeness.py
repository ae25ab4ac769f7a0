"""Completeness of hub data for a profile (hubs validate --profile): observed, assumed,
missing on ranking's coverage, and stale against the data-age policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from freighthub.completeness import check_completeness
from freighthub.errors import DataFileError
from freighthub.model.data_age import load_data_age_policy, value_date
from freighthub.model.hub import Hub, load_hub
from freighthub.model.standard import find_standard

REPO = Path(__file__).resolve().parents[1]
PROFILE = find_standard("example-ministry-inland-port")
AS_OF = dt.date(2026, 12, 7)


def _hub(**sections: Any) -> Hub:
    base: dict[str, Any] = {
        "id": "test-port",
        "names": {"en": "Test Port"},
        "country": "CN",
        "lon_deg": 113.0,
        "lat_deg": 29.5,
        "hub_types": ["inland_port"],
        "modes": ["road", "rail", "inland_waterway"],
    }
    base.update(sections)
    return Hub.model_validate(base)


def test_shipped_policy_is_an_assumption_with_reasons() -> None:
    policy = load_data_age_policy()
    assert policy.confidence.value == "assumption"
    assert policy.limit("waterway.berth_length_m") == (5.0, policy.reason)
    years, reason = policy.limit("operations.annual_throughput_t")
    assert years == 3.0 and reason.startswith("assumption:")


def test_observed_assumed_missing_and_stale_are_told_apart() -> None:
    hub = _hub(
        waterway={
            # 6.0 years before AS_OF (2192 days / 365.25): older than the 5-year limit
            "berth_length_m": {"value": 900, "source": "s", "confidence": "secondary",
                               "date": dt.date(2020, 12, 7)},
            # 2 years old: within the limit
            "bridge_clearance_m": {"value": 9, "source": "s", "confidence": "assumption",
                                   "date": dt.date(2024, 12, 7)},
        },
        rail={"max_train_length_m": {"value": 850, "source": "s", "confidence": "verified"}},
        operations={
            "annual_throughput_t": {"value": 2e6, "source": "s", "confidence": "verified"},
            "year": 2022,  # undated operating figure: counts from 2022-12-31 -> 3.9 > 3 years
        },
    )  # fmt: skip
    (report,) = check_completeness(PROFILE, [hub], load_data_age_policy(), AS_OF)
    assert set(report.needed) == {c.attribute for c in PROFILE.criteria}
    assert set(report.observed) == {
        "waterway.berth_length_m",
        "rail.max_train_length_m",
        "operations.annual_throughput_t",
    }
    assert report.assumed == ("waterway.bridge_clearance_m",)
    assert set(report.missing) == {
        "waterway.draught_m",
        "rail.axle_load_t",
        "operations.mean_truck_wait_min",
        "operations.open_access",
    }
    assert set(report.stale) == {"waterway.berth_length_m", "operations.annual_throughput_t"}
    assert report.undated == ("rail.max_train_length_m",)
    berth = next(c for c in report.checks if c.cell.attribute == "waterway.berth_length_m")
    assert berth.age_years == pytest.approx(2191 / 365.25)  # 2020-12-07 .. 2026-12-07
    assert berth.stale_reason is not None and "limit 5 years (assumption:" in berth.stale_reason
    throughput = next(
        c for c in report.checks if c.cell.attribute == "operations.annual_throughput_t"
    )
    assert throughput.value_date == dt.date(2022, 12, 31)
    assert "limit 3 years" in (throughput.stale_reason or "")


def test_a_candidate_is_checked_on_its_plans() -> None:
    plan = {"value": 1500, "source": "master plan", "confidence": "secondary"}
    hub = _hub(status="planned", planned_year=2030, planned={"waterway": {"berth_length_m": plan}})
    (report,) = check_completeness(PROFILE, [hub], load_data_age_policy(), AS_OF)
    assert report.status == "planned"
    assert report.planned == ("waterway.berth_length_m",)
    assert "waterway.berth_length_m" in report.observed
    assert value_date(hub, "waterway.berth_length_m", planned=True) is None
    assert report.to_dict()["checks"][2]["planned_year"] == 2030


def test_not_applicable_criteria_are_not_needed() -> None:
    hub = load_hub(REPO / "hubs" / "shanghai-yangshan.toml")
    (report,) = check_completeness(PROFILE, [hub], load_data_age_policy(), AS_OF)
    assert report.needed == ("operations.open_access",)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("max_age_years = -1", "max_age_years = -1: must be > 0"),
        ('kind = "data-age"', "required field is missing"),
        (
            '[[attribute]]\nattribute = "rail.nothing"\nmax_age_years = 1\nreason = "r"',
            "attribute\\[0\\].attribute = 'rail.nothing': .*not an attribute of the hub format",
        ),
    ],
)
def test_policy_file_errors(tmp_path: Path, text: str, match: str) -> None:
    good = (REPO / "standards" / "policy" / "data-age.toml").read_text(encoding="utf-8")
    head, _, _ = good.partition("[[attribute]]")
    path = tmp_path / "p.toml"
    if text.startswith("max_age_years"):
        path.write_text(head.replace("max_age_years = 5", text), encoding="utf-8")
    elif text.startswith("kind"):
        path.write_text(text + "\n", encoding="utf-8")
    else:
        path.write_text(head + text + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=match):
        load_data_age_policy(path)


def test_an_attribute_named_twice_in_the_policy_is_refused(tmp_path: Path) -> None:
    good = (REPO / "standards" / "policy" / "data-age.toml").read_text(encoding="utf-8")
    rule = '\n[[attribute]]\nattribute = "operations.mean_dwell_days"\nmax_age_years = 1\nreason = "r"\n'
    path = tmp_path / "p.toml"
    path.write_text(good + rule, encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"attribute\[4\]\.attribute = 'operations.mean_dwell_days': named twice",
    ):
        load_data_age_policy(path)


def test_a_hub_without_tent_listing_has_its_tier_assumed() -> None:
    """example-ministry-inland-port reads tent2024-rail-axle-load, staged by the rail tier
    (Reg. (EU) 2024/1679: core 2030, extended core 2040, comprehensive 2050): a rail hub
    without [tent] is judged as core; with the section, nothing is assumed; a hub without
    rail is not judged on it at all."""
    policy = load_data_age_policy()
    listing = {"tier": "comprehensive", "source": "test listing", "confidence": "secondary"}
    bare, listed = _hub(), _hub(id="listed-port", tent=listing)
    no_rail = _hub(id="water-port", modes=["road", "inland_waterway"])
    reports = check_completeness(PROFILE, [bare, listed, no_rail], policy, AS_OF)
    assert [r.tier_assumed for r in reports] == [("tent2024-rail-axle-load",), (), ()]
    assert reports[0].to_dict()["tier_assumed"] == ["tent2024-rail-axle-load"]


def test_the_assessment_year_decides_which_plans_count() -> None:
    """As in score: a plan counts from its planned_year; before it an expansion is checked
    as it is, and a planned site is named as not built (nothing of it exists yet)."""
    plan = {"value": 1500, "source": "master plan", "confidence": "secondary"}
    now = {"value": 800, "source": "port survey", "confidence": "verified"}
    grows = _hub(
        id="grows", status="expansion", planned_year=2030,
        waterway={"berth_length_m": now}, planned={"waterway": {"berth_length_m": plan}},
    )  # fmt: skip
    new = _hub(
        id="new",
        status="planned",
        planned_year=2030,
        planned={"waterway": {"berth_length_m": plan}},
    )
    policy = load_data_age_policy()
    before = check_completeness(PROFILE, [grows, new], policy, AS_OF, year=2028)
    after = check_completeness(PROFILE, [grows, new], policy, AS_OF, year=2030)
    as_planned = check_completeness(PROFILE, [grows, new], policy, AS_OF)
    assert PROFILE.info.assessment_year is None  # so no year means "as planned"
    # 2028: the expansion gives its current berth, the planned site nothing
    assert before[0].planned == () and "waterway.berth_length_m" in before[0].observed
    assert before[1].not_built and "waterway.berth_length_m" in before[1].missing
    assert before[1].to_dict()["not_built"] and before[1].to_dict()["assessment_year"] == 2028
    # 2030 and no year: both read the plan
    for reports in (after, as_planned):
        assert [r.planned for r in reports] == [("waterway.berth_length_m",)] * 2
        assert not reports[1].not_built


def test_the_profile_assessment_year_is_the_default() -> None:
    """example-cn-inland-main-port states assessment_year 2026: a plan for 2030 does not
    count unless --year says otherwise."""
    profile = find_standard("example-cn-inland-main-port")
    assert profile.info.assessment_year == 2026
    plan = {"value": 1500, "source": "master plan", "confidence": "secondary"}
    hub = _hub(status="planned", planned_year=2030, planned={"waterway": {"berth_length_m": plan}})
    policy = load_data_age_policy()
    (report,) = check_completeness(profile, [hub], policy, AS_OF)
    assert report.year == 2026 and report.not_built and report.planned == ()
    (later,) = check_completeness(profile, [hub], policy, AS_OF, year=2031)
    assert later.planned == ("waterway.berth_length_m",) and not later.not_built
