"""Chinese standards and profiles through the CLI: not-found notes, superseded editions, year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_standards_cli import run


def test_show_lists_what_was_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["standards", "show", "jts-165-2013"], capsys)
    assert code == 0 and out.count("not found (not codified):") == 3
    code, out, _ = run(["standards", "show", "gb-t-21334-2008"], capsys)
    assert code == 0 and "superseded by GB/T 21334-2017 (secondary)" in out


def test_score_a_standard_without_criteria_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", "--standard", "jts-166-2020", "--samples", "0"], capsys)
    assert code == 2 and out == ""
    assert "standard jts-166-2020 codifies no criterion" in err
    assert "Traceback" not in err


def test_superseded_edition_is_flagged_in_score_output(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["score", "--standard", "example-cn-national-logistics-hub", "--samples", "0"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "superseded edition: gb-t-21334-2008 is replaced by GB/T 21334-2017" in out.replace(
        "\n", " "
    )
    code, out, _ = run([*argv, "--json"], capsys)
    data = json.loads(out)
    rows = data["compliance"]["zhengzhou-international-land-port"]["results"]
    area = next(r for r in rows if r["criterion"] == "gbt21334-park-area")
    assert area["superseded_by"] == "GB/T 21334-2017 (secondary)" and area["flagged"]
    grade = next(r for r in rows if r["criterion"] == "gbt12419-station-grade")
    assert grade["superseded_by"] == "GB/T 12419-2005 (uncertain)"


def hub_dir(tmp_path: Path) -> Path:
    hubs = tmp_path / "hubs"
    hubs.mkdir()
    (hubs / "river.toml").write_text(
        'id = "river"\ncountry = "CN"\nlon_deg = 114.0\nlat_deg = 30.0\n'
        'hub_types = ["inland_port"]\nmodes = ["road", "rail", "inland_waterway"]\n'
        '[names]\nen = "River port"\nzh = "河港"\n'
        '[waterway]\ncn_waterway_class = "IV"\n'
        "[rail]\nhandling_tracks = 2\n",
        encoding="utf-8",
    )
    return hubs


@pytest.mark.parametrize(("year", "due"), [(None, True), ("2024", False), ("2025", True)])
def test_profile_year_and_override(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, year: str | None, due: bool
) -> None:
    argv = ["score", "--standard", "example-cn-inland-main-port", "--hubs", str(hub_dir(tmp_path))]
    argv += ["--samples", "0", "--json"] + ([] if year is None else ["--year", year])
    code, out, err = run(argv, capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["assessment_year"] == (2026 if year is None else int(year))
    rows = {r["criterion"]: r for r in data["compliance"]["river"]["results"]}
    rail = rows["cnport-rail-into-port"]
    assert (rail["status"], rail["deadline"], rail["due"]) == ("pass", "2025-12-31", due)
    assert rows["cnport-waterway-grade"]["status"] == "fail"  # grade IV is below III
