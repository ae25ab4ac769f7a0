"""Candidate hubs: status, planned year and planned values; scoring reads the plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from freighthub.assessment import assess
from freighthub.errors import DataFileError
from freighthub.model.hub import Hub, HubStatus, Plans, attribute_value_type, load_hub
from freighthub.model.standard import find_standard
from freighthub.observation import observe
from freighthub.questionnaire import hub_toml

REPO = Path(__file__).resolve().parents[2]
PLAN = {"value": 1500.0, "source": "port master plan 2021-2035, p. 14", "confidence": "secondary"}


# The shipped Yangluo file has no quay length (data-audit-2026-12 W1: the 862 it had was
# Wuhan New Port's shoreline in km); the expansion tests give the hub a current one.
CURRENT = {"value": 900.0, "source": "test: current quay length", "confidence": "secondary"}


def _data(**changes: Any) -> dict[str, Any]:
    data = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    data["waterway"]["berth_length_m"] = CURRENT
    data.update(changes)
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    hub = Hub.model_validate(data)
    path = tmp_path / f"{hub.id}.toml"
    path.write_text(hub_toml(hub), encoding="utf-8")
    return path


def test_existing_is_the_default_and_shipped_hubs_are_existing() -> None:
    hub = load_hub(REPO / "hubs" / "wuhan-yangluo.toml")
    assert hub.status is HubStatus.EXISTING and hub.planned_year is None
    assert hub.scored_attribute("waterway.berth_length_m") == (
        hub.attribute("waterway.berth_length_m"),
        None,
    )


def test_an_expansion_reads_its_plan_from_the_planned_year(tmp_path: Path) -> None:
    data = _data(
        status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": PLAN}}
    )
    hub = load_hub(_write(tmp_path, data))  # written and read back as a hub file
    current = hub.attribute("waterway.berth_length_m")
    assert current is not None and current.value != 1500.0
    value, year = hub.scored_attribute("waterway.berth_length_m")
    assert value is not None and value.value == 1500.0 and year == 2030
    assert hub.scored_attribute("waterway.berth_length_m", 2029) == (current, None)
    assert hub.scored_attribute("waterway.berth_length_m", 2030)[1] == 2030
    # an attribute without a plan keeps its current value
    assert hub.scored_attribute("waterway.bridge_clearance_m")[1] is None


def test_observe_marks_a_plan_in_its_source() -> None:
    hub = Hub.model_validate(
        _data(status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": PLAN}})
    )
    criterion = find_standard("example-ministry-inland-port").criterion("agtcp-berth-length")
    obs = observe(hub, criterion)
    assert obs is not None and obs.value == 1500.0
    assert obs.source == "plan for 2030: port master plan 2021-2035, p. 14"
    before = observe(hub, criterion, year=2025)
    assert before is not None and before.source is not None
    assert not before.source.startswith("plan for")


def test_a_planned_hub_is_scored_and_ranked_next_to_existing_hubs() -> None:
    planned = Hub.model_validate(
        {
            "id": "new-port",
            "names": {"en": "New Port"},
            "country": "CN",
            "lon_deg": 113.0,
            "lat_deg": 29.5,
            "hub_types": ["inland_port"],
            "modes": ["road", "inland_waterway"],
            "status": "planned",
            "planned_year": 2030,
            "planned": {"waterway": {"berth_length_m": PLAN}},
        }
    )
    existing = load_hub(REPO / "hubs" / "wuhan-yangluo.toml")
    result = assess(
        {"wuhan-yangluo": existing, "new-port": planned},
        find_standard("example-ministry-inland-port"),
        missing="worst",
        n_samples=0,
    )
    assert result.ranking is not None
    assert {a.id for a in result.ranking.alternatives} == {"wuhan-yangluo", "new-port"}
    cell = next(r for r in result.compliance[1].results if r.criterion_id == "agtcp-berth-length")
    assert cell.value == 1500.0 and (cell.value_source or "").startswith("plan for 2030:")


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        (
            {"planned_year": 2030},
            "planned_year = 2030: status is 'existing': set status = 'planned' or 'expansion'",
        ),
        ({"status": "expansion"}, "planned_year = None: status 'expansion' needs planned_year"),
        (
            {"status": "planned", "planned_year": 2030},
            r"status = 'planned': a planned hub has no current values: move \[waterway\] "
            r"to \[planned.waterway\]",
        ),
        (
            {"status": "flying", "planned_year": 2030},
            "status = 'flying'",
        ),
        (
            {"status": "expansion", "planned_year": 1800},
            "planned_year = 1800: must be >= 1900",
        ),
    ],
)
def test_status_rules(tmp_path: Path, changes: dict[str, Any], rule: str) -> None:
    path = tmp_path / "wuhan-yangluo.toml"
    text = (REPO / "hubs" / "wuhan-yangluo.toml").read_text(encoding="utf-8")
    head = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in changes.items())
    path.write_text(head + text, encoding="utf-8")
    with pytest.raises(DataFileError, match=rule):
        load_hub(path)


def test_planned_sections_must_fit_the_modes() -> None:
    data = _data(
        modes=["road", "inland_waterway"],
        status="expansion",
        planned_year=2030,
        planned={"rail": {"handling_tracks": {"value": 2}}},
    )
    with pytest.raises(
        ValueError, match=r"has a \[planned.rail\] section but 'rail' is not in modes"
    ):
        Hub.model_validate(data)


def test_value_dates_load_from_toml_dates(tmp_path: Path) -> None:
    path = tmp_path / "wuhan-yangluo.toml"
    text = (REPO / "hubs" / "wuhan-yangluo.toml").read_text(encoding="utf-8")
    line = "truck_parking_places = { value = 80, source = 'site visit', date = 2024-05-01 }\n"
    text = text.replace("[road]\n", "[road]\n" + line)
    path.write_text(text, "utf-8")
    hub = load_hub(path)
    assert hub.road is not None and hub.road.truck_parking_places is not None
    assert hub.road.truck_parking_places.date == dt.date(2024, 5, 1)
    path.write_text(text.replace("2024-05-01", "'last year'"), "utf-8")
    with pytest.raises(DataFileError, match=r"road\.truck_parking_places\.date"):
        load_hub(path)


def _rival() -> Hub:
    """An existing hub like the expansion but with a 1,200 m quay: between the expansion's
    current 900 m and its planned 1,500 m, every other value the same."""
    rival = _data(id="rival")
    rival["waterway"]["berth_length_m"] = {**CURRENT, "value": 1200.0}
    return Hub.model_validate(rival)


@pytest.mark.parametrize(("year", "value", "first"), [(2029, 900.0, "rival"), (2030, 1500.0, None)])
def test_the_assessment_year_selects_an_expansions_plans(
    year: int, value: float, first: str | None
) -> None:
    """Before its planned year the expansion is scored as it is (900 m < the rival's 1,200 m:
    second); from it, on its plan (1,500 m: first). The two hubs differ in one criterion
    only, so TOPSIS gives the better 1 and the other 0 (both distances come from that
    column alone)."""
    expansion = Hub.model_validate(
        _data(status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": PLAN}})
    )
    profile = find_standard("example-ministry-inland-port")
    a = assess([expansion, _rival()], profile, missing="worst", n_samples=0, year=year)
    cell = next(r for r in a.compliance[0].results if r.criterion_id == "agtcp-berth-length")
    assert cell.value == value
    assert (cell.value_source or "").startswith("plan for 2030:") is (year >= 2030)
    assert a.ranking is not None
    scores = {alt.id: alt.score for alt in a.ranking.alternatives}
    winner = first or expansion.id
    assert scores[winner] == pytest.approx(1.0)
    assert scores[next(k for k in scores if k != winner)] == pytest.approx(0.0)
    assert a.to_dict()["assessment_year"] == year


def test_a_planned_hub_is_not_ranked_before_its_planned_year() -> None:
    planned = Hub.model_validate(
        {
            "id": "new-port",
            "names": {"en": "New Port"},
            "country": "CN",
            "lon_deg": 113.0,
            "lat_deg": 29.5,
            "hub_types": ["inland_port"],
            "modes": ["road", "inland_waterway"],
            "status": "planned",
            "planned_year": 2030,
            "planned": {"waterway": {"berth_length_m": PLAN}},
        }
    )
    assert not planned.exists_in(2029) and planned.exists_in(2030) and planned.exists_in(None)
    assert planned.scored_attribute("waterway.berth_length_m", 2029) == (None, None)
    profile = find_standard("example-ministry-inland-port")
    before = assess([_rival(), planned], profile, missing="sample", n_samples=20, year=2029)
    assert before.ranking is not None
    assert [alt.id for alt in before.ranking.alternatives] == ["rival"]
    assert (
        "not ranked: new-port is planned from 2030, after the assessment year 2029, "
        "so it has no values yet" in before.matrix_notes
    )
    assert before.of("new-port").result("agtcp-berth-length").value is None
    after = assess([_rival(), planned], profile, missing="sample", n_samples=20, year=2030)
    assert after.ranking is not None
    assert {alt.id for alt in after.ranking.alternatives} == {"rival", "new-port"}
    assert not [n for n in after.matrix_notes if "new-port" in n]


def test_plans_and_hub_have_the_same_sections() -> None:
    """Plans' fields are the one list of attribute sections; a hub repeats them."""
    for name, info in Plans.model_fields.items():
        assert Hub.model_fields[name].annotation == info.annotation, name
    assert attribute_value_type("rail.electrified") is bool
