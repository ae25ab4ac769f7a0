"""The report as a director reads it: title page, contents, page numbers, profile cards,
the sources appendix last, tables that wrap at separators, Chinese throughout (issue 12).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from freighthub.errors import DataFileError
from freighthub.report import write_report
from freighthub.report.build import build_report, localise_report
from freighthub.report.html import breakable
from freighthub.report.i18n import translations
from freighthub.report.inputs import gather_inputs
from freighthub.report.pdf import heading_pages
from freighthub.report.spec import load_report_spec
from tests.report.test_i18n_generated_text import english_runs, english_sentences

NO_PDF = "html,json"


def _doc(folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return result


def _section(doc: dict[str, Any], section_id: str) -> dict[str, Any]:
    return next(s for s in doc["sections"] if s["id"] == section_id)


def test_title_page_fields_come_from_the_spec(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "en", formats=NO_PDF)
    doc = _doc(tmp_path / "en")
    meta = doc["meta"]
    assert meta["organisation"] == "Fixture Planning Office"
    assert meta["author"] == "Jane Tester"
    assert (meta["date"], meta["date_text"], meta["date_from_spec"]) == (
        "2026-12-01",
        "1 December 2026",
        True,
    )
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-12-01">1 December 2026</time>' in html
    run = _section(doc, "manifest")["blocks"][1]["rows"]
    assert ["report_date", "2026-12-01 (from the report spec)"] in [
        [r[0]["content"], r[1]["content"]] for r in run
    ]
    write_report(spec_file, tmp_path / "zh", lang="zh", formats=NO_PDF)
    zh = _doc(tmp_path / "zh")["meta"]
    assert (zh["organisation"], zh["date_text"]) == ("测试规划办公室", "2026年12月1日")


def test_without_a_date_the_run_date_is_used_and_stated(hubs_only_spec_file: Path) -> None:
    text = hubs_only_spec_file.read_text(encoding="utf-8").replace("date = 2026-12-01\n", "")
    hubs_only_spec_file.write_text(text, encoding="utf-8")
    spec, path = load_report_spec(hubs_only_spec_file)
    content = build_report(gather_inputs(spec, path), run_date=dt.date(2031, 2, 3))
    doc = localise_report(content, translations("en"))
    assert (doc["meta"]["date"], doc["meta"]["date_from_spec"]) == ("2031-02-03", False)
    assert content.sections[-2].id == "manifest"
    rows = doc["sections"][-2]["blocks"][1]["rows"]
    dates = [r[1]["content"] for r in rows if r[0]["content"] == "report_date"]
    assert len(dates) == 1 and dates[0].startswith("2031-02-03 (the date of the run;")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('date = "soon"', r"spec.toml: date = 'soon': input should be a valid date"),
        ("date = 2026-12-01T10:00:00", r"spec.toml: date = .*should have zero time"),
        ('organisation = ""', r"spec.toml: organisation = '': must not be empty"),
        ("author = 5", r"spec.toml: author = 5: must be a text string"),
    ],
)
def test_bad_title_page_fields_are_one_line_errors(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(f'name = "a"\n{line}\n[title]\nen = "A"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_report_spec(path)


def test_recommendation_is_composed_from_the_ranking_and_coverage(
    spec_file: Path, tmp_path: Path
) -> None:
    write_report(spec_file, tmp_path / "en", formats=NO_PDF)
    doc = _doc(tmp_path / "en")
    texts = [t if isinstance(t, str) else t["text"] for t in doc["meta"]["recommendation"]]
    ranking = _section(doc, "ranking")
    top = ranking["blocks"][2]["rows"][0][0]["content"]
    assert top in texts[0] and "in the consensus of 4 methods" in texts[0]
    # Fixture coverage: alpha 3 of 3, beta 1 of 2 (electrified missing), gamma 2 of 2
    # (berth length not applicable to a rail-road terminal): 6 of 7 values given.
    assert any("give 6 of the 7 applicable hub-criterion values (86%)" in t for t in texts)


def test_without_assessment_there_is_no_recommendation(
    hubs_only_spec_file: Path, tmp_path: Path
) -> None:
    write_report(hubs_only_spec_file, tmp_path / "zh", lang="zh", formats=NO_PDF)
    doc = _doc(tmp_path / "zh")
    assert doc["meta"]["recommendation"] == [translations("zh").label("summary.no_recommendation")]


def test_every_hub_has_a_profile_card(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "en", formats=NO_PDF)
    doc = _doc(tmp_path / "en")
    cards = {b["id"]: b for b in _section(doc, "compliance")["blocks"] if b["type"] == "card"}
    assert set(cards) == {"profile-alpha-port", "profile-beta-terminal", "profile-gamma-yard"}
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    for card_id in cards:
        assert f'<article class="card" id="{card_id}">' in html
    beta = cards["profile-beta-terminal"]
    facts = {f["label"]: f["value"] for f in beta["facts"]}
    coverage = facts["Data coverage"]
    assert (coverage if isinstance(coverage, str) else coverage["text"]).startswith(
        "50% (1 of 2 applicable"
    )
    items = [i if isinstance(i, str) else i["text"] for i in beta["items"]]
    # Track 700 m fails the 750 m minimum; electrification has no data.
    assert items[0].startswith("C1 Handling track length: fail, hub value 700 m")
    assert items[1].startswith("C3 Electrified access line: no data in the hub file")
    alpha = cards["profile-alpha-port"]
    assert alpha["items"] == [] and alpha["empty"].startswith("None")


def test_sources_are_the_last_section(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "en", formats=NO_PDF)
    doc = _doc(tmp_path / "en")
    assert doc["sections"][-1]["id"] == "sources"
    tables = [b["id"] for b in doc["sections"][-1]["blocks"] if b["type"] == "table"]
    assert tables == ["source-table"]
    method = _section(doc, "methodology")
    assert all(b.get("id") != "source-table" for b in method["blocks"])


def test_paths_break_at_separators_not_mid_word(spec_file: Path, tmp_path: Path) -> None:
    assert str(breakable("handling.yard_capacity_teu")) == (
        "handling.<wbr>yard_<wbr>capacity_<wbr>teu"
    )
    assert str(breakable("<b>a.b</b>")) == "&lt;b&gt;a.<wbr>b&lt;/<wbr>b&gt;"
    assert str(breakable("1.5")) == "1.<wbr>5"
    assert str(breakable("end.")) == "end."
    write_report(spec_file, tmp_path / "en", formats=NO_PDF)
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert "<td>rail.<wbr>handling_<wbr>track_<wbr>length_<wbr>m</td>" in html
    assert "overflow-wrap: anywhere" not in html


def test_zh_not_run_reason_is_chinese(spec_file: Path, tmp_path: Path) -> None:
    # A policy asking 9 observed values per criterion leaves the ranking not run.
    shipped = Path(__file__).resolve().parents[2] / "standards/methods/ranking-uncertainty.toml"
    strict = spec_file.parent / "strict.toml"
    strict.write_text(
        shipped.read_text(encoding="utf-8").replace("value = 1\n", "value = 9\n", 1),
        encoding="utf-8",
    )
    text = spec_file.read_text(encoding="utf-8").replace(
        'missing = "worst"\n', 'uncertainty = "strict.toml"\n'
    )
    spec_file.write_text(text, encoding="utf-8")
    result = write_report(spec_file, tmp_path / "zh", lang="zh", formats=NO_PDF)
    assert "ranking" in result.not_run
    doc = _doc(tmp_path / "zh")
    reason = next(n["reason"] for n in doc["not_run"] if n["id"] == "ranking")
    assert reason.startswith("无法计算排序：排序方法拒绝了该决策矩阵")
    assert not english_sentences(doc, "zh", {"Fixture standard for report tests"})


def _pdftotext(pdf: Path, first: int | None = None, *, layout: bool = True) -> str:
    pages = [] if first is None else ["-f", str(first), "-l", str(first)]
    mode = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *mode, *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    assert match
    return int(match.group(1))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Fixture report", "Fixture Planning Office", "Jane Tester", "1 December 2026",
                "Recommendation", "Contents", "Appendix: sources of every value"]),
        ("zh", ["测试报告", "测试规划办公室", "Jane Tester", "2026年12月1日", "建议", "目录",
                "附录：各项数值的来源"]),
    ],
)  # fmt: skip
def test_pdf_has_title_page_contents_and_page_numbers(
    spec_file: Path, tmp_path: Path, chromium: Path, poppler: Path, lang: str, expected: list[str]
) -> None:
    del chromium, poppler
    pdf = write_report(spec_file, tmp_path / lang, lang=lang).folder / "report.pdf"
    first = _pdftotext(pdf, 1, layout=False)
    squeezed = re.sub(r"\s+", "", first)
    for text in expected:
        assert re.sub(r"\s+", "", text) in squeezed, text
    n = _pages(pdf)
    assert n >= 3
    assert not re.search(rf"\b1 ?/ ?{n}\b", first)  # the title page has no number
    for page in range(2, n + 1):
        assert re.search(rf"\b{page} ?/ ?{n}\b", _pdftotext(pdf, page)), page
    # The contents give the page each section starts on, read back from the PDF.
    doc = _doc(tmp_path / lang)
    entries = re.findall(r"^\s*(\d+)\.\s+(.+?)\s+(\d+)\s*$", _pdftotext(pdf, 1), re.MULTILINE)
    assert [title for _, title, _ in entries] == [s["title"] for s in doc["sections"]]
    for _, title, page in entries:
        starts = _pdftotext(pdf, int(page), layout=False).splitlines()
        assert title in [line.strip() for line in starts], (title, page)
    if lang == "zh":
        # The title page and contents: no English words but the names given in English.
        assert english_runs(first.replace("Jane Tester", " ")) == []


def test_zh_pdf_has_no_english_before_the_manifest(
    spec_file: Path, tmp_path: Path, chromium: Path, poppler: Path
) -> None:
    del chromium, poppler
    pdf = write_report(spec_file, tmp_path / "zh", lang="zh").folder / "report.pdf"
    # Up to the manifest (parameter ids, package names, file paths) and the sources
    # appendix (citations as written).
    text = _pdftotext(pdf).split("可复现性清单")[-2]
    # Kept as written: citations, English hub names and the standard's document title.
    names = ("Alpha Port", "Beta Terminal", "Gamma Yard", "Jane Tester")
    # MCDA method names are proper names, the same in zh.toml ([text.method]); the
    # consensus table's narrow rank columns put them side by side.
    methods = ("PROMETHEE II", "TOPSIS", "VIKOR")
    for verbatim in ("Fixture standard for report tests", *names, *methods):
        text = text.replace(verbatim, " ")
    text = re.sub(r"(来源|Source): [^\n]*", " ", text)
    found = english_runs(text)
    assert found == [], found


def test_without_pdftotext_the_contents_have_no_page_numbers(
    spec_file: Path, tmp_path: Path, chromium: Path, poppler: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del chromium, poppler
    import freighthub.report.pdf as pdf_module

    real_which = pdf_module.shutil.which

    def which(name: str) -> str | None:
        return None if name == "pdftotext" else real_which(name)

    monkeypatch.setattr(pdf_module.shutil, "which", which)
    folder = write_report(spec_file, tmp_path / "en").folder
    monkeypatch.undo()
    first = _pdftotext(folder / "report.pdf", 1)
    assert "Contents" in first
    assert re.search(r"^\s*1\.\s+Summary of findings\s*$", first, re.MULTILINE)
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json", "report.pdf"]
    assert heading_pages(folder / "report.pdf", ["Summary of findings", "No such title"]) is None
    assert heading_pages(folder / "report.pdf", ["Summary of findings"]) == (2,)
