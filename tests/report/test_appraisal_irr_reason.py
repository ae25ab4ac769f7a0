"""Why a project has no single IRR is said in the report's language."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from freighthub.appraisal.cashflow import internal_rates_of_return
from freighthub.report import write_report

PROJECT = Path(__file__).parents[1] / "appraisal" / "data" / "rogers-2003-example-3-1-option-a.toml"
I18N = Path(__file__).parents[2] / "freighthub" / "report" / "i18n"
HUBS = Path(__file__).parent / "data" / "tiny-sim" / "hubs"

SPEC = """
name = "irr"
hubs = "hubs"
[title]
en = "No single IRR"
zh = "没有唯一的内部收益率"
[appraisal]
project = "project.toml"
"""

# Rogers' option A with a second outlay of 50 M at the end (a test variant, not the
# book's): the net flows go -, +, -, so the NPV is zero at two rates.
SECOND_OUTLAY = """
[[capex.phasing]]
year = 2023
cost_cny = { value = 50_000_000, source = "test variant: a second outlay", confidence = "assumption" }
"""


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    text = PROJECT.read_text(encoding="utf-8")
    text = text.replace("value = 27_000_000, source", "value = 77_000_000, source", 1)
    assert "77_000_000" in text, "test setup: the capex total moved"
    index = text.index("[[benefits]]")
    (tmp_path / "project.toml").write_text(
        text[:index] + SECOND_OUTLAY + "\n" + text[index:], encoding="utf-8"
    )
    shutil.copytree(HUBS, tmp_path / "hubs")
    path = tmp_path / "spec.toml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def _irr_paragraph(folder: Path) -> str:
    """The rendered text of the appraisal section's IRR paragraph."""
    doc = json.loads((folder / "report.json").read_text("utf-8"))
    (section,) = [s for s in doc["sections"] if s["id"] == "appraisal"]
    (text,) = [
        b["text"]["text"]
        for b in section["blocks"]
        if b["type"] == "paragraph"
        and ("rate of return" in b["text"]["text"] or "内部收益率" in b["text"]["text"])
    ]
    return str(text)


def test_zh_appraisal_gives_the_no_irr_reason_in_chinese(spec: Path, tmp_path: Path) -> None:
    write_report(spec, tmp_path / "en", formats="json")
    write_report(spec, tmp_path / "zh", formats="json", lang="zh")
    en, zh = _irr_paragraph(tmp_path / "en"), _irr_paragraph(tmp_path / "zh")
    assert en.startswith("No single internal rate of return: the net flows change sign")
    assert zh.startswith("没有唯一的内部收益率：净现金流多次变号")
    # both roots are shown, and the Chinese sentence has no English word in it
    assert re.findall(r"-?\d+\.\d\d%", en) == re.findall(r"-?\d+\.\d\d%", zh)
    assert len(re.findall(r"-?\d+\.\d\d%", zh)) == 2
    assert not re.search(r"[A-Za-z]", zh), zh


@pytest.mark.parametrize(
    "net",
    [[0.0, 0.0], [100.0, 50.0], [-100.0, -50.0], [-100.0, 230.0, -132.0]],
)
def test_every_no_irr_reason_has_both_languages(net: list[float]) -> None:
    kind = internal_rates_of_return(net, list(range(len(net)))).kind
    for lang in ("en", "zh"):
        table = tomllib.loads((I18N / f"{lang}.toml").read_text(encoding="utf-8"))
        text = table["text"]["appraisal"]["irr_reason"][kind]
        if lang == "zh":
            assert not re.search(r"[A-Za-z]", text.replace("{rates}", ""))
