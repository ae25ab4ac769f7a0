"""The "Model validation" section: the tiny corridor against synthetic statistics."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from freighthub.calibrate.validation import validate_model
from freighthub.errors import DataFileError
from freighthub.report import write_report

DATA = Path(__file__).parent / "data" / "tiny-sim"

SPEC = """
name = "tiny-val"
hubs = "hubs"
[title]
en = "Tiny validation"
[simulation]
scenario = "tiny.toml"
replications = 2
seed = 11
statistics = "statistics"
"""

VALIDATION = '\n[validation]\nyear = 2023\nstatistics = ["tiny-2023"]\n'


def _case(tmp_path: Path, validation: str = VALIDATION) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(DATA, folder)
    with (folder / "tiny.toml").open("a", encoding="utf-8") as f:
        f.write(validation)
    spec = folder / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


def _doc(spec: Path, out: Path, lang: str = "en") -> dict[str, Any]:
    write_report(spec, out, lang=lang, formats="json")
    data: dict[str, Any] = json.loads((out / "report.json").read_text("utf-8"))
    return data


def _section(doc: dict[str, Any], section_id: str) -> dict[str, Any]:
    return dict(next(s for s in doc["sections"] if s["id"] == section_id))


def test_the_table_is_the_validation_result(tmp_path: Path) -> None:
    spec = _case(tmp_path)
    doc = _doc(spec, tmp_path / "out")
    assert [s["id"] for s in doc["sections"]] == [
        "summary", "hubs", "simulation", "validation", "methodology", "manifest", "sources",
    ]  # fmt: skip
    section = _section(doc, "validation")
    assert section["title"] == "Model validation"
    table = next(b for b in section["blocks"] if b.get("id") == "validation-checks")
    folder = spec.parent
    expected = validate_model(
        folder / "tiny.toml",
        seed=11,
        replications=2,
        hubs_dir=folder / "hubs",
        statistics_dir=folder / "statistics",
    )
    assert len(table["rows"]) == expected.total == 4
    for row, check in zip(table["rows"], expected.checks, strict=True):
        assert row[1]["content"] == check.subject
        assert row[2]["content"]["value"] == pytest.approx(check.model)
        assert row[6]["content"]["level"] == ("pass" if check.passed else "fail")
        # the table names the statistics file; its full citation is in the appendix
        assert row[5]["content"] == check.statistics_id
    assert "synthetic test figure" in json.dumps(_section(doc, "sources"))
    # alpha handles about half the synthetic 30,000 TEU: the trust sentence says so
    trust = section["blocks"][-1]["text"]["text"]
    assert f"Only {expected.passed} of 4 published figures" in trust and "alpha" in trust
    assert trust in [t["text"] for t in doc["meta"]["recommendation"]]
    files = [row[0]["content"] for row in _block(doc, "input-table")["rows"]]
    assert "statistics/tiny-2023.toml" in files


def _block(doc: dict[str, Any], block_id: str) -> dict[str, Any]:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block.get("id") == block_id:
                return dict(block)
    raise AssertionError(block_id)


def test_chinese_section(tmp_path: Path) -> None:
    section = _section(_doc(_case(tmp_path), tmp_path / "zh", "zh"), "validation")
    assert section["title"] == "模型验证"
    table = next(b for b in section["blocks"] if b.get("id") == "validation-checks")
    assert table["columns"][0] == "指标" and table["rows"][0][0]["content"] == "枢纽吞吐量（TEU）"


def test_without_statistics_the_section_is_left_out_with_the_reason(tmp_path: Path) -> None:
    doc = _doc(_case(tmp_path, validation=""), tmp_path / "out")
    assert "validation" not in [s["id"] for s in doc["sections"]]
    reasons = {n["id"]: n["reason"] for n in doc["not_run"]}
    assert (
        reasons["validation"]
        == "the scenario names no published statistics (no [validation] table)"
    )


def test_contradictory_statistics_fail_the_report_naming_the_file(tmp_path: Path) -> None:
    spec = _case(tmp_path)
    bad = spec.parent / "statistics" / "tiny-2023.toml"
    bad.write_text(bad.read_text("utf-8").replace("year = 2023", "year = 2022"), "utf-8")
    with pytest.raises(DataFileError, match=r"tiny-2023\.toml: year = 2022: differs"):
        write_report(spec, tmp_path / "out", formats="json")
