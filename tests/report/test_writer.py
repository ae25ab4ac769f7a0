"""Writing reports: files, same numbers in HTML and JSON, escaping, atomicity, errors."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from freighthub.atomic import ExistingResultError
from freighthub.cli import main
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.report import SECTION_IDS, MissingToolError, write_report
from freighthub.report import writer as writer_module

NO_PDF = "html,json"


class _DataCollector(HTMLParser):
    """Collects every ``<data value=...>text</data>`` of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self._value: str | None = None
        self._text = ""
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "data":
            self._value, self._text = a["value"] or "", ""
        if tag == "section" and a.get("data-section"):
            self.sections.append(a["data-section"] or "")

    def handle_data(self, data: str) -> None:
        if self._value is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "data" and self._value is not None:
            self.items.append((self._value, self._text))
            self._value = None


def _json_quantities(node: Any, out: list[dict[str, Any]], charts: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        if node.get("type") in {"bar_chart", "stacked_bar_chart", "map"}:
            charts.append(node)
            return
        if node.get("kind") == "quantity":
            out.append(node)
            return
        for value in node.values():
            _json_quantities(value, out, charts)
    elif isinstance(node, list):
        for value in node:
            _json_quantities(value, out, charts)


def _chart_quantities(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("kind") == "quantity":
            return [node]
        for value in node.values():
            found.extend(_chart_quantities(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_chart_quantities(value))
    return found


def test_writes_html_and_json_without_pdf(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "fixture"
    result = write_report(spec_file, out, lang="en", formats=NO_PDF)
    assert result.folder == out
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]
    assert result.sections == (
        "summary",
        "hubs",
        "compliance",
        "ranking",
        "methodology",
        "manifest",
        "sources",
    )
    assert result.not_run == (
        "simulation", "validation", "scenarios", "optimisation", "appraisal", "candidates"
    )  # fmt: skip
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["format"] == "freighthub-report/1"
    assert [s["id"] for s in doc["sections"]] == list(result.sections)
    assert {n["id"] for n in doc["not_run"]} == set(result.not_run)
    assert set(result.sections) | set(result.not_run) == set(SECTION_IDS)


def _same_numbers(out: Path) -> tuple[str, list[dict[str, Any]]]:
    """Check every <data> of the page against the JSON's quantities, in order."""
    html = (out / "report.html").read_text(encoding="utf-8")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    parser = _DataCollector()
    parser.feed(html)
    quantities: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    # The title page's recommendation comes first on the page.
    _json_quantities([doc["meta"]["recommendation"], doc["sections"]], quantities, charts)
    assert len(parser.items) == len(quantities) > 10
    for (value, text), q in zip(parser.items, quantities, strict=True):
        assert float(value) == q["shown"]
        assert text == q["text"]
    for chart in charts:
        for q in _chart_quantities(chart):
            assert q["text"] in html
    return html, quantities


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_section_shows_the_json_numbers(
    full_spec_file: Path, tmp_path: Path, lang: str
) -> None:
    write_report(full_spec_file, tmp_path / lang, lang=lang, formats=NO_PDF)
    _, quantities = _same_numbers(tmp_path / lang)
    units = {q["unit"] for q in quantities}
    assert {"teu", "h", "tco2e", "share", "share_pp", "cny"} <= units


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_holds_exactly_the_numbers_the_html_shows(
    spec_file: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / lang
    write_report(spec_file, out, lang=lang, formats=NO_PDF)
    html = (out / "report.html").read_text(encoding="utf-8")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    parser = _DataCollector()
    parser.feed(html)
    quantities: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    # The title page's recommendation comes first on the page.
    _json_quantities([doc["meta"]["recommendation"], doc["sections"]], quantities, charts)
    assert len(parser.items) == len(quantities) > 10
    for (value, text), q in zip(parser.items, quantities, strict=True):
        assert float(value) == q["shown"]
        assert text == q["text"]
    # Chart labels are the same formatted figures.
    assert charts
    for chart in charts:
        for q in _chart_quantities(chart):
            assert q["text"] in html
    # A known figure: the fixture hub's annual throughput of 2,468,000 TEU/year
    # (operations.annual_throughput_teu: an annual_ field is a rate), shown and exact.
    teu = [q for q in quantities if q["unit"] == "teu_per_year"]
    assert [q["value"] for q in teu] == [2468000.0]
    assert teu[0]["text"] == ("2,468,000 TEU/year" if lang == "en" else "2,468,000标准箱/年")


def test_sections_without_input_are_left_out_and_explained(
    hubs_only_spec_file: Path, tmp_path: Path
) -> None:
    result = write_report(hubs_only_spec_file, tmp_path / "h", formats=NO_PDF)
    assert result.sections == ("summary", "hubs", "methodology", "manifest", "sources")
    assert result.not_run == (
        "compliance",
        "ranking",
        "simulation",
        "validation",
        "scenarios",
        "optimisation",
        "appraisal",
        "candidates",
    )
    html = (tmp_path / "h" / "report.html").read_text(encoding="utf-8")
    assert 'data-section="compliance"' not in html
    assert "Hub compliance matrix: not run — the report spec has no [assessment] table" in html
    assert "Simulation results: not run" in html


def test_report_shows_chinese_names_in_chinese(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "zh", lang="zh", formats=NO_PDF)
    html = (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")
    assert "阿尔法港" in html
    assert '<html lang="zh-Hans">' in html
    assert "测试报告" in html
    assert "Beta Terminal" in html  # no Chinese name: the English one


def test_uncertain_and_assumed_values_are_flagged(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "en", lang="en", formats=NO_PDF)
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    flagged = re.findall(r'<span class="conf conf-(\w+) flagged">', html)
    assert sorted(set(flagged)) == ["assumption", "uncertain"]
    assert not re.search(r"conf-(verified|secondary) flagged", html)


def test_user_text_is_escaped(xss_spec_file: Path, tmp_path: Path) -> None:
    write_report(xss_spec_file, tmp_path / "x", lang="en", formats=NO_PDF)
    html = (tmp_path / "x" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    doc = json.loads((tmp_path / "x" / "report.json").read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>" in json.dumps(doc, ensure_ascii=False)


def test_page_loads_nothing_from_outside(spec_file: Path, tmp_path: Path) -> None:
    write_report(spec_file, tmp_path / "en", lang="en", formats=NO_PDF)
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "<script" not in html


def test_failure_mid_write_leaves_no_folder(
    spec_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(doc: dict[str, Any]) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer_module, "report_json", boom)
    parent = tmp_path / "reports"
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(spec_file, parent / "fixture", formats=NO_PDF)
    assert not (parent / "fixture").exists()
    assert list(parent.iterdir()) == []  # no hidden partial folder either


def test_interrupt_mid_write_keeps_the_existing_report(
    spec_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reports" / "fixture"
    write_report(spec_file, out, formats=NO_PDF)
    before = (out / "report.json").read_bytes()

    def interrupt(doc: dict[str, Any]) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer_module, "report_json", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_report(spec_file, out, formats=NO_PDF, force=True)
    assert (out / "report.json").read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["fixture"]


def test_existing_report_is_kept_unless_forced(spec_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixture"
    write_report(spec_file, out, formats=NO_PDF)
    before = (out / "report.html").read_bytes()
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace("Fixture report", "Second run"),
        encoding="utf-8",
    )
    with pytest.raises(ExistingResultError, match="already exists: pass --force"):
        write_report(spec_file, out, formats=NO_PDF)
    assert (out / "report.html").read_bytes() == before
    write_report(spec_file, out, formats=NO_PDF, force=True)
    assert "Second run" in (out / "report.html").read_text(encoding="utf-8")


def test_missing_pdf_engine_is_a_clear_error(
    spec_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FREIGHTHUB_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(MissingToolError, match="PDF engine not found: chromium"):
        write_report(spec_file, tmp_path / "r", formats="html,pdf")
    assert not (tmp_path / "r").exists()
    # Without pdf it works.
    write_report(spec_file, tmp_path / "r", formats="html")
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["report.html"]


def test_unknown_format_and_hub(spec_file: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownIdentifierError, match="unknown report format 'docx'"):
        write_report(spec_file, tmp_path / "r", formats="html,docx")
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace(
            'hubs = "hubs"', 'hubs = "hubs"\nhub_ids = ["gamma"]'
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        DataFileError, match=r"\.toml: hub_ids = 'gamma': unknown hub; valid: alpha-port"
    ):
        write_report(spec_file, tmp_path / "r", formats=NO_PDF)


def test_corridor_to_unknown_hub(spec_file: Path, tmp_path: Path) -> None:
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace('to = "beta-terminal"', 'to = "nowhere"'),
        encoding="utf-8",
    )
    with pytest.raises(
        DataFileError,
        match=r"\.toml: map\.corridors\[0\]\.to = 'nowhere': unknown hub in map\.corridors",
    ):
        write_report(spec_file, tmp_path / "r", formats=NO_PDF)


def test_bad_hub_file_is_a_data_file_error(spec_file: Path, tmp_path: Path) -> None:
    (spec_file.parent / "hubs" / "beta-terminal.toml").write_text(
        'id = "beta-terminal"\n', encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"beta-terminal\.toml"):
        write_report(spec_file, tmp_path / "r", formats=NO_PDF)
    assert not (tmp_path / "r").exists()


def test_cli_writes_a_report_and_prints_json(
    spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    with pytest.raises(SystemExit) as exc:
        main(["report", str(spec_file), "--out", str(out), "--format", NO_PDF, "--json"])
    assert exc.value.code in (0, None)
    printed = json.loads(capsys.readouterr().out)
    assert printed["folder"] == str(out)
    assert set(printed["files"]) == {"html", "json"}
    assert printed["lang"] == "en"


def test_cli_errors_exit_2_with_one_line(
    spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    out.mkdir()
    with pytest.raises(SystemExit) as exc:
        main(["report", str(spec_file), "--out", str(out), "--format", NO_PDF])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "already exists" in err
    with pytest.raises(SystemExit) as exc:
        main(["report", str(spec_file), "--out", str(tmp_path / "x"), "--lang", "fr"])
    assert exc.value.code == 2
    assert "unknown report language 'fr'" in capsys.readouterr().err


def test_both_languages_from_one_build(
    spec_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from freighthub.report import write_reports

    calls: list[int] = []
    real = writer_module.build_report

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(writer_module, "build_report", counting)
    results = write_reports(
        spec_file, {"en": tmp_path / "en", "zh": tmp_path / "zh"}, formats=NO_PDF
    )
    assert calls == [1]  # the analyses ran once
    assert [r.lang for r in results.values()] == ["en", "zh"]
    docs = {
        lang: json.loads((tmp_path / lang / "report.json").read_text(encoding="utf-8"))
        for lang in ("en", "zh")
    }
    values: dict[str, list[float]] = {}
    for lang, doc in docs.items():
        quantities: list[dict[str, Any]] = []
        _json_quantities(doc["sections"], quantities, [])
        values[lang] = [q["value"] for q in quantities]
    # Same figures; sentences may order their parameters differently per language.
    assert sorted(values["en"]) == sorted(values["zh"])


def test_two_languages_cannot_share_a_folder(spec_file: Path, tmp_path: Path) -> None:
    from freighthub.errors import FreighthubError
    from freighthub.report import write_reports

    with pytest.raises(FreighthubError, match="same folder"):
        write_reports(spec_file, {"en": tmp_path / "r", "zh": tmp_path / "r"}, formats="json")
    assert not (tmp_path / "r").exists()


def test_cli_writes_both_languages(
    spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "both"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "report",
                str(spec_file),
                "--out",
                str(out),
                "--lang",
                "en,zh",
                "--format",
                "json",
                "--json",
            ]
        )
    assert exc.value.code in (0, None)
    printed = json.loads(capsys.readouterr().out)
    assert [p["folder"] for p in printed] == [str(out), str(tmp_path / "both-zh")]
    assert (tmp_path / "both-zh" / "report.json").is_file()


def test_report_folder_has_the_usual_permissions(spec_file: Path, tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    try:
        write_report(spec_file, tmp_path / "perm", formats="json")
    finally:
        os.umask(umask)
    assert ((tmp_path / "perm").stat().st_mode & 0o777) == 0o755


def test_replications_in_worker_processes_give_the_same_report(
    full_spec_file: Path, tmp_path: Path
) -> None:
    """``--workers`` (default: CPUs in ``report`` and ``demo``) changes nothing but time."""
    texts = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        write_report(full_spec_file, out, formats="json", workers=workers)
        doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
        texts.append(json.dumps(doc["sections"], sort_keys=True))
    assert texts[0] == texts[1]
