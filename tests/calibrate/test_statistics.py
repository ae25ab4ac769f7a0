"""Statistics files: loading, per-file rules and the cross-check against a scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from freighthub.errors import DataFileError
from freighthub.model.scenario import load_scenario
from freighthub.model.statistics import (
    check_published_totals,
    load_scenario_statistics,
    load_statistics,
    load_tolerances,
    yearly_hub_teu,
)
from tests.calibrate.conftest import BACKGROUND, TINY_STATISTICS, VALIDATION, Case

SHIPPED_TOLERANCES = Path(__file__).resolve().parents[2] / "statistics" / "tolerances.toml"


def _load(case: Case) -> Any:
    scenario, hubs, folder = case
    return load_scenario_statistics(load_scenario(scenario, hubs), folder)


def _file(tmp_path: Path, text: str, name: str = "tiny-2023") -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_the_synthetic_file_loads_every_kind_of_figure(make_case: Callable[..., Case]) -> None:
    ((stats, path),) = _load(make_case())
    assert path.name == "tiny-2023.toml" and stats.year == 2023
    assert [h.hub for h in stats.hub_throughput] == ["alpha"]
    assert stats.hub_throughput[0].teu.value == 30000
    assert stats.service_volume[0].service_ids({}) == ("rail-ab",)
    assert [m.subject_key for m in stats.mode_share] == ["corridor", "hub alpha"]
    assert stats.transit_days[0].days.value == (2.0, 4.0)


def test_shipped_tolerances_are_the_issue_16_acceptance_criteria() -> None:
    tol = load_tolerances(SHIPPED_TOLERANCES)
    assert tol.hub_throughput.relative is not None and tol.hub_throughput.relative.value == 0.10
    assert tol.mode_share.absolute is not None and tol.mode_share.absolute.value == 0.05
    assert tol.transit_days.rule == "within_published_range"
    for t in (tol.hub_throughput, tol.service_volume, tol.mode_share):
        sourced = t.relative or t.absolute
        assert sourced is not None and sourced.is_sourced
        assert "issue #16" in (sourced.source or "")


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("value = 0.4,", "value = 1.2,", r"mode_share\[0\]\.share = 1\.2: must be <= 1"),
        ("value = [2, 4]", "value = [5, 4]", r"transit_days\[0\]\.days = \[5\.0, 4\.0\]: low 5"),
        ("year = 2023", "year = 1800", r"year = 1800: must be >= 1900"),
        ('id = "tiny-2023"', 'id = "other"', r"id = 'other': must equal the file name"),
        ("corridor = true\n", "", r"mode_share\[0\]\.hub: subject: give one of"),
        ('hub = "alpha"\nmode', 'hub = "alpha"\ndemands = ["x"]\nmode', "give only one"),
    ],
)
def test_a_broken_rule_names_file_field_value(
    tmp_path: Path, old: str, new: str, match: str
) -> None:
    assert old in TINY_STATISTICS
    text = TINY_STATISTICS.replace(old, new, 1)
    with pytest.raises(DataFileError, match=match):
        load_statistics(_file(tmp_path, text))


def test_shares_of_one_subject_may_not_sum_above_one(tmp_path: Path) -> None:
    text = TINY_STATISTICS + (
        '\n[[mode_share]]\nhub = "alpha"\nmode = "road"\n'
        'share = { value = 0.6, source = "s", confidence = "assumption" }\n'
        'definition = "road share at alpha"\n'
    )
    with pytest.raises(
        DataFileError,
        match=r"tiny-2023\.toml: mode_share\[2\]\.share = 0\.6: shares of hub alpha sum to 1\.1",
    ):
        load_statistics(_file(tmp_path, text))


def test_every_figure_needs_a_source_and_a_confidence(tmp_path: Path) -> None:
    plain = TINY_STATISTICS.replace(
        'teu = { value = 10000, source = "synthetic test figure", confidence = "assumption" }',
        "teu = 10000",
    )
    with pytest.raises(
        DataFileError,
        match=r"service_volume\[0\]\.teu = 10000\.0: a published figure needs a source and a "
        r"confidence label \(source is missing\)",
    ):
        load_statistics(_file(tmp_path, plain))
    unlabelled = TINY_STATISTICS.replace(', confidence = "assumption" }', " }", 1)
    with pytest.raises(
        DataFileError, match=r"hub_throughput\[0\]\.teu = 30000\.0: .*confidence is"
    ):
        load_statistics(_file(tmp_path, unlabelled))


def test_a_volume_needs_a_figure_and_one_kind_of_departure(tmp_path: Path) -> None:
    head = 'id = "v"\nyear = 2023\n[[service_volume]]\nservice = "rail-ab"\n'
    with pytest.raises(DataFileError, match=r"service_volume\[0\]\.teu: give at least one"):
        load_statistics(_file(tmp_path, head, "v"))
    both = head + "trains = 3\nsailings = 4\n"
    with pytest.raises(DataFileError, match=r"service_volume\[0\]\.sailings = 4\.0: give trains"):
        load_statistics(_file(tmp_path, both, "v"))


def test_an_empty_file_and_a_hub_given_twice_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"hub_throughput: the file holds no figure"):
        load_statistics(_file(tmp_path, 'id = "e"\nyear = 2023\n', "e"))
    twice = TINY_STATISTICS + (
        '\n[[hub_throughput]]\nhub = "alpha"\n'
        'teu = { value = 1, source = "s", confidence = "assumption" }\n'
    )
    with pytest.raises(DataFileError, match=r"hub_throughput\[1\]\.hub = 'alpha': given twice"):
        load_statistics(_file(tmp_path, twice))


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'hub = "alpha"\nteu',
            'hub = "gamma"\nteu',
            r"hub_throughput\[0\]\.hub = 'gamma': unknown hub",
        ),
        ('service = "rail-ab"', 'service = "ferry"', r"service_volume\[0\]\.service = 'ferry'"),
        (
            'service = "rail-ab"',
            'services = ["rail-ab", "bus"]',
            r"service_volume\[0\]\.services\[1\] = 'bus': unknown service",
        ),
        (
            'service = "rail-ab"',
            'service = "barge-ab"',
            r"service_volume\[0\]\.trains = 365\.0: trains are for rail",
        ),
        (
            'service = "rail-ab"',
            'border_crossing = "khorgos"',
            r"service_volume\[0\]\.border_crossing = 'khorgos': unknown",
        ),
        ('mode = "road"', 'mode = "hovercraft"', r"mode_share\[0\]\.mode = 'hovercraft'"),
        (
            "corridor = true",
            'demands = ["west-east", "nope"]',
            r"mode_share\[0\]\.demands\[1\] = 'nope': unknown demand",
        ),
        ('from = "west"', 'from = "north"', r"transit_days\[0\]\.from = 'north': unknown hub or"),
        ('from = "west"', 'from = "alpha"', r"transit_days\[0\]\.to = 'east': no demand"),
    ],
)
def test_ids_unknown_to_the_scenario_are_refused(
    make_case: Callable[..., Case], old: str, new: str, match: str
) -> None:
    assert old in TINY_STATISTICS
    with pytest.raises(DataFileError, match=r"tiny-2023\.toml: " + match):
        _load(make_case(statistics=TINY_STATISTICS.replace(old, new, 1)))


def test_sailings_on_a_rail_service_are_refused(make_case: Callable[..., Case]) -> None:
    text = TINY_STATISTICS.replace("trains = {", "sailings = {", 1)
    with pytest.raises(
        DataFileError, match=r"service_volume\[0\]\.sailings = 365\.0: sailings are for waterborne"
    ):
        _load(make_case(statistics=text))


def test_a_year_mismatch_is_refused(make_case: Callable[..., Case]) -> None:
    other = TINY_STATISTICS.replace('id = "tiny-2023"', 'id = "tiny-2024"').replace(
        "year = 2023", "year = 2024"
    )
    validation = '\n[validation]\nyear = 2023\nstatistics = ["tiny-2023", "tiny-2024"]\n'
    case = make_case(validation=validation, extra={"tiny-2024.toml": other})
    with pytest.raises(
        DataFileError, match=r"tiny-2024\.toml: year = 2024: differs from the scenario's"
    ):
        _load(case)
    case = make_case(validation=validation.replace("year = 2023", "year = 2024"))
    with pytest.raises(DataFileError, match=r"tiny-2023\.toml: year = 2023: differs"):
        _load(case)


def test_missing_and_repeated_statistics_ids_are_refused(make_case: Callable[..., Case]) -> None:
    missing = '\n[validation]\nyear = 2023\nstatistics = ["nowhere"]\n'
    with pytest.raises(
        DataFileError,
        match=r"tinyval\.toml: validation\.statistics\[0\] = 'nowhere': no such file .*tiny-2023",
    ):
        _load(make_case(validation=missing))
    twice = '\n[validation]\nyear = 2023\nstatistics = ["tiny-2023", "tiny-2023"]\n'
    with pytest.raises(DataFileError, match=r"statistics\[1\] = 'tiny-2023': names a statistics"):
        _load(make_case(validation=twice))


def test_a_scenario_without_validation_names_no_statistics(
    make_case: Callable[..., Case],
) -> None:
    assert _load(make_case(validation="")) == ()


def test_traced_teu_counts_each_handling_visit(make_case: Callable[..., Case]) -> None:
    scenario, hubs, _ = make_case()
    s = load_scenario(scenario, hubs).scenario
    # west-east: 20,000 TEU, rail 0.35 + barge 0.25 pass alpha -> beta; alpha-beta: 3,000 by rail
    expected = 20000 * (0.35 + 0.25) + 3000
    volumes = yearly_hub_teu(s)
    assert volumes["alpha"] == pytest.approx((expected, 0.0))
    assert volumes["beta"] == pytest.approx((expected, 0.0))


def test_traced_plus_background_above_the_published_total_is_refused(
    make_case: Callable[..., Case],
) -> None:
    # alpha: traced 15,000 + background 10,000 (hub) + 2,000 (rail-ab lots) = 27,000
    case = make_case(validation=BACKGROUND.format(hub_teu=10000) + VALIDATION)
    loaded = load_scenario(case[0], case[1])
    assert yearly_hub_teu(loaded.scenario)["alpha"] == pytest.approx((15000, 12000))
    assert yearly_hub_teu(loaded.scenario)["beta"] == pytest.approx((15000, 2000))
    assert len(load_scenario_statistics(loaded, case[2])) == 1  # 27,000 <= 30,000
    case = make_case(validation=BACKGROUND.format(hub_teu=14000) + VALIDATION)
    with pytest.raises(
        DataFileError,
        match=r"tiny-2023\.toml: hub_throughput\[0\]\.teu = 30000\.0: below the scenario's "
        r"traced 15,000 \+ background 16,000 = 31,000 TEU/year at alpha",
    ):
        _load(case)


def test_without_background_traced_flows_are_not_checked_against_totals(
    make_case: Callable[..., Case],
) -> None:
    """The tutorials trace a fraction of the real volumes and declare no background:
    their published totals are compared by validate-model, not refused."""
    small = TINY_STATISTICS.replace("value = 30000,", "value = 100,")
    scenario, hubs, folder = make_case(statistics=small)
    s = load_scenario(scenario, hubs).scenario
    stats = load_statistics(folder / "tiny-2023.toml")
    check_published_totals(stats, folder / "tiny-2023.toml", s)  # no error
