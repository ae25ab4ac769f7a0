"""Section content: compliance matrix, ranking and stability, methodology, manifest."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import pytest

from freighthub.errors import DataFileError
from freighthub.report import write_report


def _doc(spec: Path, out: Path, lang: str = "en") -> dict[str, Any]:
    write_report(spec, out, lang=lang, formats="json")
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def _block(doc: dict[str, Any], block_id: str) -> dict[str, Any]:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block.get("id") == block_id:
                return dict(block)
    raise AssertionError(f"no block {block_id}")


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("text", value.get("label")))
    return str(value)


def test_compliance_matrix_statuses_and_evidence(spec_file: Path, tmp_path: Path) -> None:
    matrix = _block(_doc(spec_file, tmp_path / "r"), "compliance-matrix")
    assert matrix["columns"] == ["Hub", "C1", "C2", "C3", "Passed"]
    by_hub = {_text(row[0]["content"]): row[1:4] for row in matrix["rows"]}
    levels = {hub: [c["content"]["level"] for c in cells] for hub, cells in by_hub.items()}
    # Fixture: C1 track >= 750 m, C2 berth >= 110 m (waterway hubs only), C3 electrified.
    assert levels == {
        "Alpha Port": ["pass", "pass", "pass"],
        "Beta Terminal": ["fail", "not_applicable", "no_data"],
        "Gamma Yard": ["pass", "not_applicable", "fail"],
    }
    alpha_track = by_hub["Alpha Port"][0]
    assert alpha_track["detail"]["text"] == "850 m"
    note = matrix["notes"][alpha_track["note"] - 1]
    assert note["source"] == "Fixture fact sheet, p. 2"
    assert note["confidence"]["level"] == "secondary"
    # Beta's 700 m is uncertain: flagged in the cell itself.
    beta_track = by_hub["Beta Terminal"][0]
    assert beta_track["confidence"] == {
        "kind": "confidence",
        "level": "uncertain",
        "label": "uncertain",
        "flagged": True,
    }
    # Not applicable and no data carry the reason as a tooltip, not a number.
    assert by_hub["Beta Terminal"][1]["tooltip"]
    assert by_hub["Beta Terminal"][2]["detail"] is None
    passed = {_text(row[0]["content"]): _text(row[4]["content"]) for row in matrix["rows"]}
    assert passed == {"Alpha Port": "3 of 3", "Beta Terminal": "0 of 2", "Gamma Yard": "1 of 2"}


def test_ranking_stability_and_agreement(spec_file: Path, tmp_path: Path) -> None:
    doc = _doc(spec_file, tmp_path / "r")
    table = _block(doc, "ranking-table")
    assert table["columns"][:3] == ["Hub", "Rank (TOPSIS)", "Rank (weighted sum)"]
    assert _text(table["rows"][0][0]["content"]) == "Alpha Port"  # passes everything
    chart = _block(doc, "rank-acceptability")
    assert len(chart["categories"]) == len(chart["series"]) == 3
    for row in chart["shares"]:
        # Rank-acceptability indices of one hub over all ranks sum to 1.
        assert math.isclose(sum(q["value"] for q in row), 1.0, abs_tol=1e-9)
    agreement = _block(doc, "agreement-table")
    assert len(agreement["rows"]) == 6  # tau-b for each pair of the four methods
    for row in agreement["rows"]:
        tau = row[2]["content"]
        assert -1.0 <= tau["value"] <= 1.0
    consensus = _block(doc, "consensus-table")
    assert consensus["columns"][:4] == ["Hub", "Consensus rank", "Copeland", "Borda"]
    assert _text(consensus["rows"][0][0]["content"]) == "Alpha Port"
    coverage = _block(doc, "coverage-table")
    assert coverage["columns"][1:6] == [
        "Observed",
        "Assumed",
        "Imputed",
        "Missing",
        "Not applicable",
    ]
    by_hub = {
        _text(r[0]["content"]): [c["content"]["value"] for c in r[1:6]] for r in coverage["rows"]
    }
    # beta: track length observed, berth length n/a, electrified missing (imputed by the ranking)
    assert by_hub["Beta Terminal"] == [1, 0, 1, 0, 1]


def test_methodology_lists_every_criterion_with_its_source(spec_file: Path, tmp_path: Path) -> None:
    sources = _block(_doc(spec_file, tmp_path / "r"), "source-table")
    items = {row[1]["content"]: row for row in sources["rows"]}
    for criterion in ("track-length", "berth-length", "electrified"):
        assert criterion in items
    assert items["berth-length"][3]["content"].startswith("Fixture standard, Art. 2 (2024)")
    assert items["berth-length"][4]["content"]["flagged"] is True


def test_manifest_hashes_every_input_file(spec_file: Path, tmp_path: Path) -> None:
    table = _block(_doc(spec_file, tmp_path / "r"), "input-table")
    hashes = {row[0]["content"]: row[1]["content"] for row in table["rows"]}
    base = spec_file.parent
    expected = {
        "fixture.toml",
        "hubs/alpha-port.toml",
        "hubs/beta-terminal.toml",
        "hubs/gamma-yard.toml",
        "standards/test-std-2024.toml",
    }
    assert set(hashes) == expected
    for name, digest in hashes.items():
        assert digest == hashlib.sha256((base / name).read_bytes()).hexdigest()
    run = _block(_doc(spec_file, tmp_path / "r2"), "run-table")
    params = {row[0]["content"]: row[1]["content"] for row in run["rows"]}
    assert params["seed"] == "7" and params["samples"] == "300"
    assert params["methods"] == "topsis, wsm"
    deps = _block(_doc(spec_file, tmp_path / "r3"), "dependency-table")
    names = {row[0]["content"] for row in deps["rows"]}
    assert {"numpy", "pydantic", "jinja2", "pyproj"} <= names


def test_same_spec_same_seed_same_report(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "a", formats="html,json")
    write_report(spec_file, tmp_path / "b", formats="html,json")
    for name in ("report.html", "report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_unknown_standard_is_named(spec_file: Path, tmp_path: Path) -> None:
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace(
            'standard = "test-std-2024"', 'standard = "nope"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        DataFileError,
        match=r"fixture\.toml: assessment\.standard = 'nope': unknown standard; valid: test-std",
    ):
        write_report(spec_file, tmp_path / "r", formats="json")
    assert not (tmp_path / "r").exists()


def test_without_missing_policy_the_gaps_are_sampled(spec_file: Path, tmp_path: Path) -> None:
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace('missing = "worst"\n', ""),
        encoding="utf-8",
    )
    result = write_report(spec_file, tmp_path / "r", formats="html")
    assert "ranking" in result.sections
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "drawn uniformly over their criterion" in html
    assert "weight and data samples" in html


def test_no_ranking_on_too_few_observations_is_explained(spec_file: Path, tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "standards/methods/ranking-uncertainty.toml"
    strict = spec_file.parent / "strict.toml"
    strict.write_text(
        shipped.read_text(encoding="utf-8").replace("value = 1\n", "value = 9\n", 1),
        encoding="utf-8",
    )
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace(
            'missing = "worst"\n', 'uncertainty = "strict.toml"\n'
        ),
        encoding="utf-8",
    )
    result = write_report(spec_file, tmp_path / "r", formats="html")
    assert "compliance" in result.sections
    assert "ranking" in result.not_run
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Ranking and its stability: not run — no ranking could be computed" in html


def test_zh_report_translates_labels(spec_file: Path, tmp_path: Path) -> None:
    doc = _doc(spec_file, tmp_path / "zh", lang="zh")
    matrix = _block(doc, "compliance-matrix")
    assert matrix["columns"][0] == "枢纽"
    first = matrix["rows"][0]
    assert _text(first[0]["content"]) == "阿尔法港"
    assert first[1]["content"]["label"] == "达标"
    assert first[1]["detail"]["text"] == "850米"


def test_compliance_states_assessment_year_and_superseded_edition(
    spec_file: Path, tmp_path: Path
) -> None:
    std = spec_file.parent / "standards" / "test-std-2024.toml"
    std.write_text(
        std.read_text(encoding="utf-8").replace(
            'licence = "test fixture"\n',
            'licence = "test fixture"\nassessment_year = 2040\n'
            'superseded_by = "Fixture standard 2030"\nsuperseded_confidence = "verified"\n',
        ),
        encoding="utf-8",
    )
    doc = _doc(spec_file, tmp_path / "r")
    section = next(s for s in doc["sections"] if s["id"] == "compliance")
    text = json.dumps(section, ensure_ascii=False)
    assert "Assessment year 2040" in text
    assert "test-std-2024 come from an edition replaced by Fixture standard 2030" in text
    zh = json.dumps(_doc(spec_file, tmp_path / "z", lang="zh")["sections"], ensure_ascii=False)
    assert "评估年份2040年" in zh and "已被Fixture standard 2030替代" in zh


def test_spec_year_overrides_the_profile_year(spec_file: Path, tmp_path: Path) -> None:
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace(
            'standard = "test-std-2024"', 'standard = "test-std-2024"\nyear = 2035'
        ),
        encoding="utf-8",
    )
    section = next(
        s for s in _doc(spec_file, tmp_path / "r")["sections"] if s["id"] == "compliance"
    )
    assert "Assessment year 2035" in json.dumps(section)
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace("year = 2035", "year = 1800"),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"fixture\.toml: assessment\.year = 1800"):
        write_report(spec_file, tmp_path / "bad", formats="json")
