"""assess(): compliance matrix, decision matrix, weights, missing data, ranking, stability."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from freighthub.assessment import AssessmentError, assess, observe, score_hubs
from freighthub.errors import UnknownIdentifierError
from freighthub.model.hub import Hub
from freighthub.model.standard import Standard, check_standard_files
from freighthub.scoring.compliance import ComplianceStatus
from freighthub.scoring.mcda import METHODS
from freighthub.scoring.uncertainty import DataUncertainty

PASS, PARTIAL, FAIL = ComplianceStatus.PASS, ComplianceStatus.PARTIAL, ComplianceStatus.FAIL
NO_DATA, NA = ComplianceStatus.NO_DATA, ComplianceStatus.NOT_APPLICABLE


@pytest.fixture(scope="module")
def standards() -> dict[str, Standard]:
    folder = Path(__file__).resolve().parents[1] / "standards"
    found, errors = check_standard_files([folder], catalogue={})
    assert not errors
    return found


def src(value: Any, confidence: str = "secondary") -> dict[str, Any]:
    return {"value": value, "source": "test fact sheet", "confidence": confidence}


def hub(hub_id: str, types: list[str], modes: list[str], **sections: dict[str, Any]) -> Hub:
    return Hub.model_validate(
        {
            "id": hub_id,
            "names": {"en": hub_id},
            "country": "CN",
            "lon_deg": 114.0,
            "lat_deg": 30.0,
            "hub_types": types,
            "modes": modes,
            **sections,
        }
    )


def rail_hubs() -> list[Hub]:
    """A dominates B; C lacks the axle load and the truck waiting time."""
    t = ["rail_road_terminal"]
    return [
        hub(
            "a",
            t,
            ["road", "rail"],
            rail={
                "line_speed_kmh": src(120),
                "axle_load_t": src(22.5),
                "max_train_length_m": src(750),
            },
            operations={"mean_truck_wait_min": src(10)},
        ),
        hub(
            "b",
            t,
            ["road", "rail"],
            rail={
                "line_speed_kmh": src(100),
                "axle_load_t": src(20),
                "max_train_length_m": src(600),
            },
            operations={"mean_truck_wait_min": src(30)},
        ),
        hub(
            "c",
            t,
            ["road", "rail"],
            rail={"line_speed_kmh": src(80), "max_train_length_m": src(700, "assumption")},
        ),
    ]


def test_compliance_statuses_and_gaps(standards: dict[str, Standard]) -> None:
    a = assess(rail_hubs(), standards["unece-agtc"], missing="worst", n_samples=0)
    assert a.hubs == ("a", "b", "c")
    assert [r.status for r in a.of("a").results] == [PASS] * 4
    b = a.of("b")
    # AGTC: line speed target 120, at present 100 -> partial, gap 20 km/h
    speed = b.result("agtc-line-speed")
    assert speed.status is PARTIAL and speed.gap == pytest.approx(20.0) and speed.unit == "km/h"
    # truck waiting <= 20 min: 30 min fails by 10 min
    wait = b.result("agtc-truck-waiting-time")
    assert wait.status is FAIL and wait.gap == pytest.approx(10.0)
    assert wait.value == 30 and wait.value_source == "test fact sheet"
    assert wait.criterion_confidence == "verified"
    c = a.of("c")
    assert c.result("agtc-axle-load").status is NO_DATA
    assert c.result("agtc-line-speed").status is FAIL  # 80 < partial threshold 100
    assert c.result("agtc-train-length").flagged  # hub value is an assumption
    assert c.counts[NO_DATA] == 2 and c.counts[FAIL] == 1 and c.counts[PARTIAL] == 1
    # equal weights: gaps ordered by relative gap; b: wait 10/20 = 0.5 first
    assert a.weights_basis == "equal"
    assert next(g.criterion_id for g in b.gaps) == "agtc-truck-waiting-time"


def test_decision_matrix_values_and_directions(standards: dict[str, Standard]) -> None:
    a = assess(rail_hubs(), standards["unece-agtc"], n_samples=0)
    assert a.matrix is not None
    assert a.matrix.criteria == (
        "agtc-line-speed",
        "agtc-axle-load",
        "agtc-train-length",
        "agtc-truck-waiting-time",
    )
    assert a.matrix.benefit == (True, True, True, False)
    values = a.matrix.values
    assert values[0].tolist() == [120, 22.5, 750, 10]
    assert math.isnan(values[2, 1]) and math.isnan(values[2, 3])  # missing stays NaN
    # without a policy the default treatment samples the gaps, and says so
    assert a.ranking is not None and a.missing == "sample"
    assert a.robust is not None and a.robust.imputed == (
        ("c", "agtc-axle-load"),
        ("c", "agtc-truck-waiting-time"),
    )
    assert "2 missing value(s) drawn uniformly" in a.ranking.missing_treatment.description


def test_missing_policies_are_reported(standards: dict[str, Standard]) -> None:
    std = standards["unece-agtc"]
    worst = assess(rail_hubs(), std, missing="worst", n_samples=0)
    assert worst.ranking is not None
    assert worst.ranking.alternatives[0].id == "a"  # a dominates b and c
    assert "2 missing value(s) set to the worst end" in worst.ranking.missing_treatment.description
    drop = assess(rail_hubs(), std, missing="exclude_alternative", n_samples=0)
    assert drop.ranking is not None
    assert [x.id for x in drop.ranking.alternatives] == ["a", "b"]
    crit = assess(rail_hubs(), std, missing="exclude_criterion", n_samples=0)
    assert crit.ranking is not None
    assert crit.ranking.criteria == ("agtc-line-speed", "agtc-train-length")


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_ranks_the_dominating_hub_first(
    standards: dict[str, Standard], method: str
) -> None:
    a = assess(rail_hubs(), standards["unece-agtc"], method=method, missing="worst", n_samples=50)
    assert a.ranking is not None and a.stability is not None
    assert a.ranking.alternatives[0].id == "a"
    for row in a.stability.rank_acceptability:
        assert sum(row) == pytest.approx(1.0)
    assert sum(a.stability.first_rank_probability) == pytest.approx(1.0)


def test_stability_is_reproducible(standards: dict[str, Standard]) -> None:
    std = standards["unece-agtc"]
    one = assess(rail_hubs(), std, missing="worst", n_samples=100, seed=7)
    two = assess(rail_hubs(), std, missing="worst", n_samples=100, seed=7)
    assert one.stability is not None and two.stability is not None
    assert one.stability.rank_acceptability == two.stability.rank_acceptability


def test_weights_given_standard_equal(standards: dict[str, Standard]) -> None:
    std = standards["unece-agtc"]
    ids = [c.id for c in std.criteria]
    given = assess(rail_hubs(), std, weights=dict(zip(ids, [3, 1, 0, 0], strict=True)), n_samples=0)
    assert given.weights_basis == "given"
    assert given.weights["agtc-line-speed"] == pytest.approx(0.75)
    assert given.matrix is not None and "agtc-train-length" not in given.matrix.criteria
    assert any("its weight is 0" in n for n in given.matrix_notes)
    profile = standards["example-ministry-inland-port"]
    assert assess(rail_hubs(), profile, n_samples=0).weights_basis == "standard"
    assert sum(assess(rail_hubs(), profile, n_samples=0).weights.values()) == pytest.approx(1.0)


def test_weight_errors(standards: dict[str, Standard]) -> None:
    std = standards["unece-agtc"]
    with pytest.raises(UnknownIdentifierError, match="unknown criterion of unece-agtc 'nope'"):
        assess(rail_hubs(), std, weights={"nope": 1.0})
    with pytest.raises(AssessmentError, match="no weight for criteria agtc-axle-load"):
        assess(rail_hubs(), std, weights={"agtc-line-speed": 1.0})
    ids = [c.id for c in std.criteria]
    with pytest.raises(AssessmentError, match="all weights are 0"):
        assess(rail_hubs(), std, weights=dict.fromkeys(ids, 0.0))
    with pytest.raises(AssessmentError, match="must be a finite number >= 0"):
        assess(rail_hubs(), std, weights={**dict.fromkeys(ids, 1.0), ids[0]: -1.0})


def test_argument_errors(standards: dict[str, Standard]) -> None:
    std = standards["unece-agtc"]
    with pytest.raises(UnknownIdentifierError, match="unknown MCDA method 'ahp'"):
        assess(rail_hubs(), std, method="ahp")
    with pytest.raises(UnknownIdentifierError, match="unknown missing-data policy 'zero'"):
        assess(rail_hubs(), std, missing="zero")
    with pytest.raises(AssessmentError, match="n_samples = -1"):
        assess(rail_hubs(), std, n_samples=-1)
    with pytest.raises(AssessmentError, match="no hubs to assess"):
        assess([], std)


def test_boolean_and_one_of_columns_are_one_or_zero(standards: dict[str, Standard]) -> None:
    port = ["inland_port"]
    modes = ["road", "inland_waterway"]
    hubs = [
        hub(
            "p",
            port,
            modes,
            operations={"open_access": src(True)},
            waterway={"ecmt_class": src("Vb")},
        ),
        hub(
            "q",
            port,
            modes,
            operations={"open_access": src(False)},
            waterway={"ecmt_class": src("III")},
        ),
    ]
    a = assess(hubs, standards["eu-tent-2013-1315"], n_samples=0, missing="exclude_criterion")
    assert a.matrix is not None
    j = a.matrix.criteria.index("tent2013-inland-port-open-terminal")
    k = a.matrix.criteria.index("tent2013-iww-class-iv")
    assert a.matrix.values[:, j].tolist() == [1.0, 0.0]
    assert a.matrix.values[:, k].tolist() == [1.0, 0.0]
    assert a.of("q").result("tent2013-iww-class-iv").status is FAIL
    # the not-applicable rail criteria: no hub has a value, left out and said so
    assert any("tent2013-rail-axle-load: left out" in n for n in a.matrix_notes)


def test_ratio_criterion_reads_attribute_per_attribute(standards: dict[str, Standard]) -> None:
    park = hub(
        "d",
        ["dry_port"],
        ["road", "rail"],
        operations={"annual_throughput_t": src(6_000_000, "verified")},
        handling={"area_ha": src(100, "assumption")},
    )
    criterion = standards["gb-t-21334-2008"].criterion("gbt21334-intensity-land-port")
    o = observe(park, criterion)
    assert o is not None
    assert o.value == pytest.approx(60_000.0)  # 6e6 t / 100 ha [t/(ha*year)]
    assert o.confidence == "assumption"  # the weaker of the two
    a = assess([park], standards["gb-t-21334-2008"], n_samples=0, missing="exclude_criterion")
    r = a.of("d").result("gbt21334-intensity-land-port")
    assert r.status is PASS and r.unit == "t/(ha*year)"
    assert a.of("d").result("gbt21334-intensity-airport").status is NA


def test_graded_band_reported(standards: dict[str, Standard]) -> None:
    d = hub("e", ["dry_port"], ["road"], operations={"annual_throughput_teu": src(20_000)})
    a = assess([d], standards["gb-t-12419-1990"], n_samples=0)
    r = a.of("e").result("gbt12419-station-grade")
    assert r.band == "grade-2" and r.status is PASS


def test_to_dict_is_json(standards: dict[str, Standard]) -> None:
    a = assess(rail_hubs(), standards["unece-agtc"], missing="worst", n_samples=20)
    data = json.loads(json.dumps(a.to_dict()))
    assert data["standard"]["id"] == "unece-agtc"
    assert data["compliance"]["b"]["counts"]["partial"] == 3
    assert data["decision_matrix"]["values"][2][1] is None
    assert next(x["id"] for x in data["ranking"]["alternatives"]) == "a"
    probs = data["stability"]["first_rank_probability"]
    assert sum(probs.values()) == pytest.approx(1.0)
    assert np.isclose(sum(data["stability"]["rank_acceptability"]["c"]), 1.0)


def test_score_hubs_loads_everything(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    for h in rail_hubs():
        (tmp_path / f"{h.id}.toml").write_text(
            f'id = "{h.id}"\ncountry = "CN"\nlon_deg = 114.0\nlat_deg = 30.0\n'
            'hub_types = ["rail_road_terminal"]\nmodes = ["road", "rail"]\n'
            f'[names]\nen = "{h.id}"\n[rail]\nline_speed_kmh = '
            f"{h.attribute('rail.line_speed_kmh').value}\n",  # type: ignore[union-attr]
            encoding="utf-8",
        )
    a = score_hubs(
        "unece-agtc",
        tmp_path,
        method="wsm",
        missing="exclude_criterion",
        n_samples=10,
        standards_dir=repo / "standards",
    )
    assert a.ranking is not None
    assert [x.id for x in a.ranking.alternatives] == ["a", "b", "c"]  # 120 > 100 > 80 km/h
    with pytest.raises(UnknownIdentifierError, match="unknown standard 'nope'"):
        score_hubs("nope", tmp_path, standards_dir=repo / "standards")


def test_policy_that_leaves_nothing_keeps_compliance(standards: dict[str, Standard]) -> None:
    t, m = ["rail_road_terminal"], ["road", "rail"]
    hubs = [
        hub("x", t, m, rail={"line_speed_kmh": src(120)}),
        hub("y", t, m, rail={"axle_load_t": src(22.5)}),
    ]
    one = DataUncertainty(min_observed=1)
    a = assess(hubs, standards["unece-agtc"], "topsis", None, "exclude_criterion", 10, 0, one)
    assert a.ranking is None and a.stability is None
    assert "exclude_criterion leaves nothing to rank" in a.ranking_note
    # a policy that wants 2 observed values per criterion: none has them
    two = DataUncertainty(min_observed=2)
    b = assess(hubs, standards["unece-agtc"], "topsis", None, "sample", 10, 0, two)
    assert b.ranking is None and "observed for fewer than 2 hub(s)" in b.ranking_note
    assert a.of("x").result("agtc-line-speed").status is PASS


def test_hub_outside_the_standard_is_not_ranked(standards: dict[str, Standard]) -> None:
    sea = hub("s", ["seaport"], ["road", "sea"], operations={"annual_throughput_t": src(1e6)})
    a = assess([*rail_hubs(), sea], standards["unece-agtc"], missing="worst", n_samples=10)
    assert a.of("s").counts[NA] == len(standards["unece-agtc"].criteria)
    assert a.matrix is not None and "s" not in a.matrix.alternatives
    assert any(
        "not ranked, no criterion of unece-agtc applies to them: s" in n for n in a.matrix_notes
    )
    assert a.ranking is not None and "s" not in {x.id for x in a.ranking.alternatives}
