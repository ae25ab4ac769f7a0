"""Integrity of every shipped standards file and profile (standards/ and standards/profiles/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.model.hub import attribute_paths
from freighthub.model.standard import KNOWN_UNITS, Standard, check_standard_files
from freighthub.scoring.compliance import Observation, evaluate
from freighthub.vocabulary import Confidence


@pytest.fixture(scope="module")
def shipped() -> dict[str, Standard]:
    folder = Path(__file__).resolve().parents[2] / "standards"
    standards, errors = check_standard_files([folder], catalogue={})
    assert errors == [], [str(e) for e in errors]
    return standards


def test_expected_standards_are_shipped(shipped: dict[str, Standard]) -> None:
    for sid in (
        "eu-tent-2024-1679",
        "eu-tent-2013-1315",
        "unece-agtc",
        "unece-agn-ecmt-1992",
        "gb-t-21334-2008",
        "gb-t-12419-1990",
        "cn-railway-freight-station-classes",
        "iso-668-2020",
        # issue #17: Chinese standards and programmes, with example review profiles
        "gb-50139-2014",
        "jts-165-2013",
        "jts-166-2020",
        "cn-nlh-plan-2018",
        "cn-mot-multimodal-demo",
        "example-cn-inland-main-port",
        "example-cn-national-logistics-hub",
    ):
        assert sid in shipped
    assert not any(sid.startswith("iso-6346") for sid in shipped)  # check digits are code


def test_file_names_are_ids(shipped: dict[str, Standard]) -> None:
    for sid, std in shipped.items():
        assert std.path.stem == sid


def test_criterion_ids_unique_across_files(shipped: dict[str, Standard]) -> None:
    defined: dict[str, str] = {}
    for sid, std in shipped.items():
        for c in std.criteria:
            if std.origin[c.id] != sid:
                continue  # a profile's reference, defined elsewhere
            assert c.id not in defined, f"{c.id} in {sid} and {defined[c.id]}"
            defined[c.id] = sid
    assert len(defined) >= 30


def test_units_known_and_attributes_valid(shipped: dict[str, Standard]) -> None:
    paths = set(attribute_paths())
    for std in shipped.values():
        for c in std.criteria:
            assert c.unit in KNOWN_UNITS
            assert c.attribute in paths
            assert c.per is None or c.per in paths
        for v in std.values:
            assert v.unit in KNOWN_UNITS


def test_every_threshold_is_sourced(shipped: dict[str, Standard]) -> None:
    for std in shipped.values():
        assert std.info.licence
        for c in std.criteria:
            assert c.source.document and c.source.clause and c.source.edition
            assert isinstance(c.confidence, Confidence)
            if c.partial is not None:
                assert c.partial.note  # says whether the standard or an assumption gives it
        for v in std.values:
            assert v.source.document and v.source.clause and isinstance(v.confidence, Confidence)


def test_uncertain_criteria_are_explained_and_flagged(shipped: dict[str, Standard]) -> None:
    uncertain = [
        c
        for std in shipped.values()
        for c in std.criteria
        if c.confidence in {Confidence.UNCERTAIN, Confidence.ASSUMPTION}
    ]
    assert uncertain, "research lists uncertain values; at least one is kept and flagged"
    for c in uncertain:
        assert c.note, c.id
        result = evaluate(c.spec(), Observation(None), [], [])
        assert result.flagged


def test_example_profile_weights_are_marked_as_assumptions(shipped: dict[str, Standard]) -> None:
    profiles = [s for s in shipped.values() if s.info.kind == "profile"]
    assert profiles
    for p in profiles:
        assert p.info.example
        assert p.info.note is not None and "assumption" in p.info.note
        weights = [c.weight for c in p.criteria]
        assert all(w is not None and w > 0 for w in weights)
        assert sum(w for w in weights if w is not None) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("standard", "criterion", "threshold", "partial"),
    [
        # standards-2.md 1a: Reg. (EU) 2024/1679 Art. 15(2)(b): axle load >= 22.5 t
        ("eu-tent-2024-1679", "tent2024-rail-axle-load", 22.5, None),
        # standards-2.md 1a: Art. 16(1)(c): freight design speed >= 100 km/h
        ("eu-tent-2024-1679", "tent2024-rail-freight-speed", 100, None),
        # standards-2.md 1b: Art. 36(6)(a): > 800,000 t non-bulk
        ("eu-tent-2024-1679", "tent2024-terminal-listing-volume", 800_000, None),
        # standards-2.md 1c: Art. 23: depth 2.5 m, bridge clearance 5.25 m
        ("eu-tent-2024-1679", "tent2024-iww-bridge-clearance", 5.25, None),
        # standards-2.md 2a/2b: AGTC Annex III/IV target and "at present" values
        ("unece-agtc", "agtc-line-speed", 120, 100),
        ("unece-agtc", "agtc-axle-load", 22.5, 20),
        ("unece-agtc", "agtc-train-length", 750, 600),
        ("unece-agtc", "agtc-truck-waiting-time", 20, None),
        # standards.md 1b: Reg. 1315/2013 Art. 14(2): > 500,000 t
        ("eu-tent-2013-1315", "tent2013-inland-port-volume", 500_000, None),
        # standards.md 3b: GB/T 21334-2008 land-port park >= 500 x 10^4 t/(km2 a) = 50,000 t/(ha a)
        ("gb-t-21334-2008", "gbt21334-intensity-land-port", 50_000, None),
        ("gb-t-21334-2008", "gbt21334-park-area", 100, None),
    ],
)
def test_thresholds_match_research(
    shipped: dict[str, Standard],
    standard: str,
    criterion: str,
    threshold: float,
    partial: float | None,
) -> None:
    c = shipped[standard].criterion(criterion)
    assert c.threshold == threshold
    assert (None if c.partial is None else c.partial.threshold) == partial


def test_graded_bands_match_research(shipped: dict[str, Standard]) -> None:
    # standards.md 3d: GB/T 12419-1990 grades 4/3/2/1 from 4,000 / 8,000 / 16,000 / 30,000 TEU;
    # "3万标准箱以上" includes 30,000 (以上 is inclusive in normative usage, data-audit-2026-12 R7)
    grade = shipped["gb-t-12419-1990"].criterion("gbt12419-station-grade")
    assert [(b.id, b.limit, b.strict) for b in grade.bands] == [
        ("grade-4", 4000, False),
        ("grade-3", 8000, False),
        ("grade-2", 16000, False),
        ("grade-1", 30000, False),
    ]
    # standards.md 3d: rail station classes 50 / 200 / 350 / 750 wagons per day
    station = shipped["cn-railway-freight-station-classes"].criterion(
        "cnrail-freight-station-class"
    )
    assert [b.limit for b in station.bands] == [0, 50, 200, 350, 750]
    # standards-2.md 2c: AGTC IWW protocol, 5.25 / 7.00 / 9.10 m for 2 / 3 / 4 layers
    layers = shipped["unece-agtc-iww-protocol-1997"].criterion("agtcp-bridge-container-layers")
    assert [b.limit for b in layers.bands] == [5.25, 7.0, 9.1]


def test_iso_668_reference_values(shipped: dict[str, Standard]) -> None:
    values = {v.id: v for v in shipped["iso-668-2020"].values}
    # standards.md 4a: 20 ft external length 6.058 m, width 2.438 m
    assert values["1c-external-length-m"].value == pytest.approx(6.058)
    assert values["series-1-external-width-m"].value == pytest.approx(2.438)
    assert values["series-1-max-gross-mass-kg-amd2-2016"].confidence is Confidence.UNCERTAIN


def test_superseded_editions_are_flagged(shipped: dict[str, Standard]) -> None:
    """data-audit-2026-12.md S1/S2: GB/T 21334-2017 replaced 2008; GB/T 12419-2005 reported."""
    old = shipped["gb-t-21334-2008"]
    assert old.info.superseded_label() == "GB/T 21334-2017 (secondary)"
    for c in old.criteria:
        result = evaluate(c.spec(), Observation(None), [], [])
        assert result.flagged and result.superseded_by == "GB/T 21334-2017 (secondary)", c.id
    grade = shipped["gb-t-12419-1990"].criterion("gbt12419-station-grade")
    assert grade.superseded_by == "GB/T 12419-2005 (uncertain)"
    current = shipped["eu-tent-2024-1679"].criterion("tent2024-rail-axle-load")
    assert current.superseded_by is None
    # Reg. 2024/1679 Art. 68: Regulation (EU) No 1315/2013 is repealed from 18 July 2024
    repealed = shipped["eu-tent-2013-1315"].criterion("tent2013-rail-axle-load")
    assert repealed.superseded_by == "Regulation (EU) 2024/1679"


def test_tsi_inf_table_3_upgraded(shipped: dict[str, Standard]) -> None:
    """data-audit-2026-12.md C30/U1: TSI INF 4.2.1 Table 3 read: F1 740 m, F2 600 m, 22.5 t."""
    tsi = shipped["eu-tsi-inf-1299-2014"]
    axle = tsi.criterion("tsiinf-axle-load")
    assert axle.threshold == 22.5 and axle.confidence is Confidence.VERIFIED
    length = tsi.criterion("tsiinf-usable-train-length")
    assert [b.limit for b in length.bands] == [600, 740]
    assert "indicative" in (length.note or "")


CHINESE = (
    "gb-50139-2014",
    "jts-165-2013",
    "jts-166-2020",
    "cn-nlh-plan-2018",
    "cn-mot-multimodal-demo",
)


@pytest.mark.parametrize("sid", CHINESE)
def test_chinese_standards_are_sourced_and_say_what_was_not_found(
    shipped: dict[str, Standard], sid: str
) -> None:
    std = shipped[sid]
    assert std.info.title.zh, "the report is bilingual"
    assert std.info.not_found, "research found gaps in every one of these documents"
    for v in std.values:
        assert v.name.zh and v.source.clause and v.source.edition
        assert v.confidence in {Confidence.VERIFIED, Confidence.SECONDARY}
    for c in std.criteria:
        assert c.name.zh and c.source.clause and c.source.edition


def test_gb_50139_grades_by_design_vessel(shipped: dict[str, Standard]) -> None:
    """GBJ 139-90 grade table (ctoth.com reproduction): I 3000 t ... VII 50 t."""
    values = {v.id: v.value for v in shipped["gb-50139-2014"].values}
    grades = ["i", "ii", "iii", "iv", "v", "vi", "vii"]
    assert [values[f"gb50139-grade-{g}-vessel-t"] for g in grades] == [
        3000,
        2000,
        1000,
        500,
        300,
        100,
        50,
    ]


def test_codes_without_found_tables_hold_no_invented_numbers(shipped: dict[str, Standard]) -> None:
    for sid in ("jts-165-2013", "jts-166-2020"):
        assert shipped[sid].criteria == () and shipped[sid].values == ()


def test_cn_example_profiles(shipped: dict[str, Standard]) -> None:
    port = shipped["example-cn-inland-main-port"]
    assert port.info.assessment_year == 2026
    grade = port.criterion("cnport-waterway-grade")
    assert grade.confidence is Confidence.ASSUMPTION and grade.note
    assert evaluate(grade.spec(), Observation("IV"), [], []).flagged
    rail = port.criterion("cnport-rail-into-port")
    assert rail.deadline is not None and rail.deadline.year == 2025
    hub = shipped["example-cn-national-logistics-hub"]
    flagged = {c.id for c in hub.criteria if c.superseded_by}
    assert flagged == {
        "gbt21334-park-area",
        "gbt21334-intensity-land-port",
        "gbt12419-station-grade",
    }
    for p in (port, hub):
        assert all(c.name.zh for c in p.criteria)
