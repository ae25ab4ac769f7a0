"""Stages, exemptions and superseded editions in standard files: loading and every error path."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.standard import check_standard_files, load_standard

HEADER = """\
[standard]
id = "{id}"
title = {{ en = "Test standard" }}
document = "Test document"
edition = "2024"
licence = "test"
{extra}
"""

CRITERION = """
[[criteria]]
id = "axle"
name = { en = "Axle load" }
unit = "t/axle"
modes = ["rail"]
attribute = "rail.axle_load_t"
rule = "minimum"
threshold = 22.5
direction = "benefit"
tier_network = "rail"
confidence = "verified"
source = { document = "Test document", clause = "Art. 1", edition = "2024" }
"""

STAGES = """
[[criteria.stages]]
tiers = ["core"]
deadline = 2030-12-31
clause = "Art. 16(3)"

[[criteria.stages]]
tiers = ["comprehensive"]
deadline = 2050-12-31
clause = "Art. 15(2)"
threshold = 20
condition = "rail_art15_3_line"

[[criteria.exemptions]]
condition = "rail_access_connection"
clause = "Art. 14(1)(d)"
"""


def write(tmp_path: Path, body: str, extra: str = "", sid: str = "st") -> Path:
    f = tmp_path / f"{sid}.toml"
    f.write_text(HEADER.format(id=sid, extra=extra) + body, encoding="utf-8")
    return f


def test_stages_and_exemptions_load(tmp_path: Path) -> None:
    std = load_standard(write(tmp_path, CRITERION + STAGES))
    spec = std.criterion("axle").spec()
    assert [s.deadline.year for s in spec.stages if s.deadline] == [2030, 2050]
    assert spec.stages[1].threshold == 20 and spec.stages[1].condition == "rail_art15_3_line"
    assert spec.tier_network == "rail"
    assert spec.exemptions[0].clause == "Art. 14(1)(d)"


def test_a_single_deadline_is_one_stage_for_every_tier(tmp_path: Path) -> None:
    body = CRITERION.replace(
        'direction = "benefit"', 'direction = "benefit"\ndeadline = 2030-12-31'
    )
    spec = load_standard(write(tmp_path, body)).criterion("axle").spec()
    assert len(spec.stages) == 1 and not spec.stages[0].tiers
    assert spec.stages[0].clause == "Art. 1"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            CRITERION.replace(
                'direction = "benefit"', 'direction = "benefit"\ndeadline = 2030-12-31'
            )
            + STAGES,
            r"st\.toml.*criteria\[0\].*either deadline or stages",
        ),
        (
            CRITERION + STAGES.replace('tiers = ["core"]', 'tiers = ["core", "core"]'),
            r"st\.toml.*criteria\[0\]\.stages\[0\]\.tiers.*lists a tier twice",
        ),
        (
            CRITERION + STAGES.replace('tiers = ["core"]', 'tiers = ["centre"]'),
            r"st\.toml.*criteria\[0\]\.stages\[0\]\.tiers.*centre",
        ),
        (
            CRITERION
            + STAGES.replace('condition = "rail_access_connection"', 'condition = "rich_port"'),
            r"st\.toml.*criteria\[0\]\.exemptions\[0\]\.condition.*rich_port",
        ),
        (
            CRITERION + STAGES + STAGES.split("[[criteria.exemptions]]")[0],
            r"st\.toml.*criteria\[0\].*two stages with the same tiers",
        ),
        (
            CRITERION.replace(
                'direction = "benefit"', 'direction = "benefit"\nsuperseded_by = "X-2020"'
            ),
            r"st\.toml: criteria\[0\]\.superseded_by = 'X-2020': set from \[standard\] superseded_by",
        ),
    ],
)
def test_bad_stages(tmp_path: Path, body: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        load_standard(write(tmp_path, body))


def test_stage_threshold_needs_a_numeric_rule(tmp_path: Path) -> None:
    body = """
[[criteria]]
id = "el"
name = { en = "Electrified" }
unit = "bool"
attribute = "rail.electrified"
rule = "boolean"
required = true
direction = "benefit"
confidence = "verified"
source = { document = "Test document", clause = "Art. 1", edition = "2024" }

[[criteria.stages]]
clause = "Art. 2"
threshold = 1
"""
    with pytest.raises(
        DataFileError,
        match=r"st\.toml.*criteria\[0\].*stage threshold needs rule minimum or maximum",
    ):
        load_standard(write(tmp_path, body))


def test_superseded_edition_reaches_every_criterion_and_profiles(tmp_path: Path) -> None:
    extra = 'superseded_by = "Test document 2030"\nsuperseded_confidence = "uncertain"'
    write(tmp_path, CRITERION, extra=extra, sid="old")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "prof.toml").write_text(
        HEADER.format(id="prof", extra='kind = "profile"')
        + '\n[[criteria]]\nstandard = "old"\ncriterion = "axle"\n',
        encoding="utf-8",
    )
    found, errors = check_standard_files([tmp_path], catalogue={})
    assert not errors
    label = "Test document 2030 (uncertain)"
    assert found["old"].criterion("axle").superseded_by == label
    assert found["prof"].criterion("axle").spec().superseded_by == label


def test_superseded_by_needs_its_confidence(tmp_path: Path) -> None:
    with pytest.raises(
        DataFileError, match=r"st\.toml.*superseded_by and superseded_confidence go together"
    ):
        load_standard(write(tmp_path, CRITERION, extra='superseded_by = "Test document 2030"'))


def test_assessment_year_range(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"st\.toml.*standard\.assessment_year.*1800"):
        load_standard(write(tmp_path, CRITERION, extra="assessment_year = 1800"))
