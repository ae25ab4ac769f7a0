"""The report's structure (section ids, headings, tables, figures) against a golden file.

Regenerate after an intended change with ``FREIGHTHUB_UPDATE_GOLDEN=1 pytest
tests/report/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from freighthub.report import SECTION_IDS, write_report

GOLDEN = Path(__file__).parent / "golden"


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []
        self._capture: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-section"):
            self.sections.append({"id": a["data-section"], "items": []})
        elif self.sections and tag in {"h2", "h3"}:
            self._capture, self._text = tag, ""
            if tag == "h3":
                self._text = f"#{a.get('id')} "
        elif self.sections and tag in {"table", "figure", "article"} and a.get("id"):
            self.sections[-1]["items"].append(f"{tag}#{a['id']}")

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._capture == tag:
            if tag == "h2":
                self.sections[-1]["title"] = self._text.strip()
            else:
                self.sections[-1]["items"].append(f"h3{self._text.strip()}")
            self._capture = None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_structure_matches_golden(spec_file: Path, tmp_path: Path, lang: str) -> None:
    write_report(spec_file, tmp_path / lang, lang=lang, formats="html")
    parser = _Structure()
    parser.feed((tmp_path / lang / "report.html").read_text(encoding="utf-8"))
    got = parser.sections
    path = GOLDEN / f"structure-{lang}.json"
    if os.environ.get("FREIGHTHUB_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_full_structure_matches_golden(full_spec_file: Path, tmp_path: Path, lang: str) -> None:
    result = write_report(full_spec_file, tmp_path / lang, lang=lang, formats="html")
    assert result.sections == SECTION_IDS  # every section ran
    parser = _Structure()
    parser.feed((tmp_path / lang / "report.html").read_text(encoding="utf-8"))
    path = GOLDEN / f"structure-full-{lang}.json"
    if os.environ.get("FREIGHTHUB_UPDATE_GOLDEN"):
        path.write_text(
            json.dumps(parser.sections, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert parser.sections == json.loads(path.read_text(encoding="utf-8"))


def test_golden_languages_have_the_same_ids() -> None:
    def ids(lang: str) -> list[Any]:
        data = json.loads((GOLDEN / f"structure-{lang}.json").read_text(encoding="utf-8"))
        return [(s["id"], [i.split(" ", 1)[0] for i in s["items"]]) for s in data]

    assert ids("en") == ids("zh")
    assert ids("full-en") == ids("full-zh")
