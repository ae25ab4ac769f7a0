"""The assessment year selects candidates' plans: ``score --year`` and the report's
``[assessment] year`` read an expansion's planned values from its planned year on, and
say so (issue #17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from freighthub.cli import main
from freighthub.model.hub import Hub, load_hub
from freighthub.questionnaire import hub_toml

REPO = Path(__file__).resolve().parents[2]
PROFILE = "example-ministry-inland-port"
PLAN = {"value": 1500.0, "source": "port master plan 2021-2035, p. 14", "confidence": "secondary"}
CURRENT = {"value": 900.0, "source": "test: current quay length", "confidence": "secondary"}
CRITERION = "agtcp-berth-length"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def hubs(tmp_path: Path) -> Path:
    """Yangluo as an expansion (quay 900 m now, 1,500 m planned for 2030) and a rival
    existing hub with a 1,200 m quay, otherwise the same values."""
    data = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    data["waterway"]["berth_length_m"] = CURRENT
    rival = {**data, "id": "rival"}
    rival["waterway"] = {**data["waterway"], "berth_length_m": {**CURRENT, "value": 1200.0}}
    data.update(
        status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": PLAN}}
    )
    folder = tmp_path / "hubs"
    folder.mkdir()
    for item in (data, rival):
        hub = Hub.model_validate(item)
        (folder / f"{hub.id}.toml").write_text(hub_toml(hub), encoding="utf-8")
    return folder


def _score(hubs: Path, year: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    argv = ["score", "--standard", PROFILE, "--hubs", str(hubs), "--missing", "worst"]
    code, out, err = run([*argv, "--samples", "0", "--year", str(year), "--json"], capsys)
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def _cell(result: dict[str, Any], hub_id: str) -> dict[str, Any]:
    rows = result["compliance"][hub_id]["results"]
    cell: dict[str, Any] = next(r for r in rows if r["criterion"] == CRITERION)
    return cell


def test_score_year_reads_the_plan_from_its_planned_year(
    hubs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = _score(hubs, 2029, capsys), _score(hubs, 2030, capsys)
    assert (before["assessment_year"], after["assessment_year"]) == (2029, 2030)
    early, late = _cell(before, "wuhan-yangluo"), _cell(after, "wuhan-yangluo")
    assert (early["value"], early["value_source"]) == (900.0, "test: current quay length")
    assert late["value"] == 1500.0
    assert late["value_source"] == "plan for 2030: port master plan 2021-2035, p. 14"
    # one criterion tells the two hubs apart: TOPSIS gives the better one 1, the other 0
    first = {r["id"]: r["rank"] for r in before["ranking"]["alternatives"]}
    then = {r["id"]: r["rank"] for r in after["ranking"]["alternatives"]}
    assert first == {"rival": 1, "wuhan-yangluo": 2}
    assert then == {"wuhan-yangluo": 1, "rival": 2}
    scores = {r["id"]: r["score"] for r in before["ranking"]["alternatives"]}
    assert scores == pytest.approx({"rival": 1.0, "wuhan-yangluo": 0.0})


def _compliance_notes(report: Path) -> list[dict[str, Any]]:
    """The evidence notes of the report's compliance tables (value, source)."""
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    (section,) = [s for s in data["sections"] if s["id"] == "compliance"]
    notes: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "evidence" in node and "source" in node:
                notes.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(section)
    return notes


def _text(evidence: Any) -> str:
    return str(evidence["text"] if isinstance(evidence, dict) else evidence)


@pytest.mark.parametrize(
    ("year", "shown", "plan"), [(2029, "900 m", False), (2030, "1,500 m", True)]
)
def test_the_report_year_selects_the_plan_and_says_it_is_one(
    hubs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    year: int,
    shown: str,
    plan: bool,
) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'name = "year"\nhubs = "{hubs}"\ndate = 2026-12-07\n[title]\nen = "Plans by year"\n'
        f'[assessment]\nstandard = "{PROFILE}"\nmissing = "worst"\nsamples = 50\nyear = {year}\n',
        encoding="utf-8",
    )
    out = tmp_path / "r"
    code, _, err = run(["report", str(spec), "--format", "json", "--out", str(out)], capsys)
    assert code == 0, err
    notes = _compliance_notes(out)
    quay = [n for n in notes if _text(n["evidence"]).startswith(f"hub value {shown};")]
    assert len(quay) == 1
    source = quay[0]["source"]
    assert source.startswith("plan for 2030: port master plan") is plan
    assert (source == CURRENT["source"]) is not plan
    planned = [n for n in notes if str(n["source"]).startswith("plan for")]
    assert len(planned) == (1 if plan else 0)


@pytest.mark.parametrize("year", [2029, 2030])
def test_the_report_says_a_planned_site_is_not_ranked_before_its_year(
    hubs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], year: int
) -> None:
    site = Hub.model_validate(
        {
            "id": "new-port",
            "names": {"en": "New Port", "zh": "新港"},
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
    (hubs / "new-port.toml").write_text(hub_toml(site), encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'name = "site"\nhubs = "{hubs}"\ndate = 2026-12-07\n[title]\nen = "Site"\n'
        f'[assessment]\nstandard = "{PROFILE}"\nsamples = 50\nyear = {year}\n',
        encoding="utf-8",
    )
    for lang, sentence in (
        ("en", "New Port is planned from 2030, after the assessment year 2029: it does not"),
        ("zh", "新港 规划于 2030 年建成，晚于评估年份 2029"),
    ):
        out = tmp_path / f"r-{lang}"
        argv = ["report", str(spec), "--format", "json", "--lang", lang, "--out", str(out)]
        code, _, err = run([*argv, "--force"], capsys)
        assert code == 0, err
        data = json.loads((out / "report.json").read_text(encoding="utf-8"))
        (ranking,) = [s for s in data["sections"] if s["id"] == "ranking"]
        text = json.dumps(ranking, ensure_ascii=False)
        assert (sentence in text) is (year == 2029)
        (table,) = [b for b in ranking["blocks"] if b.get("id") == "ranking-table"]
        ranked = json.dumps(table["rows"], ensure_ascii=False)
        assert (site.names.en in ranked or "新港" in ranked) is (year == 2030)
