"""validate_model: every quantity against the simulation it comes from, the pass rules,
the JSON record."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.calibrate.validation import (
    ValidationResult,
    compare_with_statistics,
    tolerances_for,
    validate_model,
)
from freighthub.calibrate.validation_checks import QUANTITIES
from freighthub.errors import DataFileError
from freighthub.model.scenario import load_scenario
from freighthub.model.statistics import load_scenario_statistics
from freighthub.units import HOURS_PER_YEAR
from tests.calibrate.conftest import BACKGROUND, TINY_STATISTICS, VALIDATION, Case

JSON_KEYS = {
    "quantity", "subject", "model", "model_ci", "published", "unit", "tolerance_rel",
    "source", "pass",
}  # fmt: skip


@pytest.fixture()
def validated(make_case: Callable[..., Case]) -> ValidationResult:
    scenario, hubs, folder = make_case()
    return validate_model(scenario, replications=3, hubs_dir=hubs, statistics_dir=folder)


def test_one_check_per_published_figure(validated: ValidationResult) -> None:
    assert [(c.quantity, c.subject) for c in validated.checks] == [
        ("hub_throughput_teu", "alpha"),
        ("hub_throughput_t", "alpha"),
        ("service_teu", "rail-ab"),
        ("service_departures", "rail-ab"),
        ("mode_share", "corridor: road"),
        ("mode_share", "hub alpha: rail"),
        ("transit_days", "west -> east"),
    ]
    assert {c.unit for c in validated.checks} <= set(QUANTITIES.values())
    assert validated.total == 7 and validated.passed == sum(c.passed for c in validated.checks)


def test_model_values_are_the_simulations_annualised(validated: ValidationResult) -> None:
    result = validated.result
    assert result is not None and result.replications == 3
    per_year = HOURS_PER_YEAR / (2016 - 168)  # tiny.toml: horizon_h and warmup_h
    by = {(c.quantity, c.subject): c for c in validated.checks}
    hub = result.estimates.hubs["alpha"]
    assert by["hub_throughput_teu", "alpha"].model == pytest.approx(hub.handled_teu.mean * per_year)
    low, high = by["hub_throughput_teu", "alpha"].model_ci
    assert low == pytest.approx(hub.handled_teu.ci95_low * per_year)
    assert high == pytest.approx(hub.handled_teu.ci95_high * per_year)
    rail = result.estimates.services["rail-ab"]
    assert by["service_teu", "rail-ab"].model == pytest.approx(rail.teu.mean * per_year)
    # 7 trains a week over 11 weeks (1848 h) = 77 departures = 365 a year, exactly
    assert by["service_departures", "rail-ab"].model == pytest.approx(365.0)
    assert by["service_departures", "rail-ab"].passed
    # the corridor's road share is the simulation's modal split by main mode
    assert by["mode_share", "corridor: road"].model == pytest.approx(
        result.estimates.modal_split_teu_share["road"].mean
    )
    # alpha handles only rail and barge routes (road trucks go west -> east directly)
    assert 0.5 < by["mode_share", "hub alpha: rail"].model < 1.0


def test_transit_days_are_the_mean_door_to_door_time_of_the_pair(
    validated: ValidationResult,
) -> None:
    result = validated.result
    assert result is not None
    per_rep = []
    for s in result.summaries:
        routes = [r for rid, r in s.routes.items() if rid.startswith("west-east/")]
        boxes = sum(r.delivered_boxes for r in routes)
        per_rep.append(
            sum(r.door_to_door_mean_h * r.delivered_boxes for r in routes if r.delivered_boxes)
            / boxes
            / 24.0
        )
    check = next(c for c in validated.checks if c.quantity == "transit_days")
    assert check.model == pytest.approx(sum(per_rep) / len(per_rep))
    assert check.published_range == (2.0, 4.0) and check.published == 3.0
    assert check.passed == (2.0 <= check.model <= 4.0)


def test_pass_rules_follow_the_tolerances(validated: ValidationResult) -> None:
    for c in validated.checks:
        if c.tolerance_rel is not None:
            assert c.passed == (abs(c.model - c.published) <= c.tolerance_rel * c.published)
        elif c.tolerance_abs is not None:
            assert c.passed == (abs(c.model - c.published) <= c.tolerance_abs)
        else:
            assert c.published_range is not None
            assert c.passed == (c.published_range[0] <= c.model <= c.published_range[1])
    by = {c.quantity: c for c in validated.checks}
    assert by["hub_throughput_teu"].tolerance_rel == 0.10
    assert by["mode_share"].tolerance_abs == 0.05
    # alpha handles ~15,000 TEU a year against the synthetic 30,000: a clear fail
    assert not by["hub_throughput_teu"].passed
    assert by["hub_throughput_teu"].deviation < -10_000


def test_json_record_has_the_issue_keys(validated: ValidationResult) -> None:
    data = validated.to_json()
    assert set(data) == {"scenario", "checks", "passed", "total"}
    assert data["scenario"] == "tinyval"
    for check in data["checks"]:
        assert set(check) >= JSON_KEYS
        assert len(check["model_ci"]) == 2
    frame = validated.to_pandas()
    assert len(frame) == validated.total and frame["pass"].sum() == validated.passed


def test_one_replication_has_no_interval(make_case: Callable[..., Case]) -> None:
    scenario, hubs, folder = make_case()
    r = validate_model(scenario, replications=1, hubs_dir=hubs, statistics_dir=folder)
    assert all(math.isnan(c.model_ci[0]) for c in r.checks)
    assert all(rec["model_ci"] == [None, None] for rec in r.to_json()["checks"])


def test_same_seed_same_checks(make_case: Callable[..., Case]) -> None:
    scenario, hubs, folder = make_case()
    a = validate_model(scenario, seed=5, replications=2, hubs_dir=hubs, statistics_dir=folder)
    b = validate_model(scenario, seed=5, replications=2, hubs_dir=hubs, statistics_dir=folder)
    assert a.checks == b.checks


def test_compare_reuses_a_run(validated: ValidationResult, make_case: Callable[..., Case]) -> None:
    scenario, hubs, folder = make_case()
    loaded = load_scenario(scenario, hubs)
    assert validated.result is not None
    again = compare_with_statistics(
        validated.result, loaded, load_scenario_statistics(loaded, folder), tolerances_for(folder)
    )
    assert again.checks == validated.checks


def test_a_scenario_without_validation_is_refused_before_simulating(
    make_case: Callable[..., Case],
) -> None:
    scenario, hubs, folder = make_case(validation="")
    with pytest.raises(DataFileError, match=r"tinyval\.toml: validation: required by"):
        validate_model(scenario, hubs_dir=hubs, statistics_dir=folder)


def test_a_folder_may_bring_its_own_tolerances(tmp_path: Path) -> None:
    (tmp_path / "tolerances.toml").write_text(
        'id = "strict"\n[hub_throughput]\nrelative = 0.01\n[service_volume]\nrelative = 0.01\n'
        '[mode_share]\nabsolute = 0.01\n[transit_days]\nrule = "within_published_range"\n',
        encoding="utf-8",
    )
    assert tolerances_for(tmp_path).id == "strict"
    assert tolerances_for(tmp_path / "elsewhere").id == "tolerances"  # the shipped policy
    (tmp_path / "tolerances.toml").write_text('id = "bad"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"tolerances\.toml: hub_throughput: required"):
        tolerances_for(tmp_path)


def test_hub_throughput_includes_the_background(make_case: Callable[..., Case]) -> None:
    """With 10,000 TEU a year of background at alpha and 2,000 on rail-ab (both ends),
    alpha's simulated throughput rises by about 12,000 TEU a year over the traced-only
    run with the same seed (background draws use their own streams)."""
    scenario, hubs, folder = make_case()
    base = validate_model(scenario, seed=3, replications=3, hubs_dir=hubs, statistics_dir=folder)
    scenario, hubs, folder = make_case(
        validation=BACKGROUND.format(hub_teu=10000) + "\n" + VALIDATION
    )
    with_bg = validate_model(scenario, seed=3, replications=3, hubs_dir=hubs, statistics_dir=folder)
    result = with_bg.result
    assert result is not None
    hub = result.estimates.hubs["alpha"]
    assert hub.background_teu.mean > 0
    teu = {c.quantity: c.model for c in with_bg.checks}["hub_throughput_teu"]
    base_teu = {c.quantity: c.model for c in base.checks}["hub_throughput_teu"]
    # Poisson calls of 50 moves: the yearly background is known to a few per cent
    assert teu - base_teu == pytest.approx(12000, rel=0.15)


def test_uses_mode_counts_routes_with_any_leg_by_the_mode(make_case: Callable[..., Case]) -> None:
    """At alpha the rail and barge routes of west-east start with a road leg; the
    alpha-beta rail route has none. So 'uses road' at alpha is west-east's share of
    alpha's delivered TEU, while no route's main mode there is road."""
    extra = (
        '\n[[mode_share]]\nhub = "alpha"\nmode = "road"\nbasis = "uses_mode"\n'
        'share = { value = 0.8, source = "synthetic", confidence = "assumption" }\n'
        'definition = "share of alpha\'s TEU that arrive or leave by truck"\n'
        '\n[[mode_share]]\nhub = "alpha"\nmode = "road"\n'
        'share = { value = 0.0, source = "synthetic", confidence = "assumption" }\n'
        'definition = "share of alpha\'s TEU whose main leg is road"\n'
    )
    scenario, hubs, folder = make_case(statistics=TINY_STATISTICS + extra)
    v = validate_model(scenario, replications=2, hubs_dir=hubs, statistics_dir=folder)
    by = {c.subject: c for c in v.checks}
    uses = by["hub alpha: road (any leg)"]
    main = by["hub alpha: road"]
    assert main.model == 0.0 and main.passed
    result = v.result
    assert result is not None
    expected = []
    for s in result.summaries:
        west_east = sum(s.routes[f"west-east/{n}"].delivered_teu for n in ("rail", "barge"))
        expected.append(west_east / (west_east + s.routes["alpha-beta/rail"].delivered_teu))
    assert uses.model == pytest.approx(sum(expected) / len(expected))
    assert 0.7 < uses.model < 0.9
