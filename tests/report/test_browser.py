"""The report in a real headless Chromium, and its PDF (poppler's pdftotext/pdffonts).

Skipped only where Chromium (or poppler) is absent and ``CI`` is not set; in CI these
tests must run (``make sysdeps`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.report import SECTION_IDS, write_report
from tests.report.conftest import require_chromium, write_fixture_spec

BrowserRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture report in both languages, all three formats, written once for the
    module (each write prints a PDF in Chromium; the tests only read the files)."""
    require_chromium()  # the skip/fail rule applies before writing a PDF
    folder = tmp_path_factory.mktemp("browser")
    spec_file = write_fixture_spec(folder)
    return {
        lang: write_report(spec_file, folder / f"r-{lang}", lang=lang).folder
        for lang in ("en", "zh")
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_loads_without_console_errors_and_has_every_section(
    reports: dict[str, Path],
    run_chromium: BrowserRun,
    console: Callable[[str], list[str]],
    lang: str,
) -> None:
    done = run_chromium(reports[lang] / "report.html", "--dump-dom")
    assert done.returncode == 0, done.stderr[-500:]
    assert console(done.stderr) == []
    dom = done.stdout
    for section in ("summary", "hubs", "methodology", "manifest"):
        assert f'data-section="{section}"' in dom
    assert "<svg" in dom  # the map is inline SVG
    # ... drawn on the basemap (issue #14): coastline (land), river, province and country
    # border layers, not empty
    for layer in ("map-land", "map-rivers", "map-provinces", "map-borders"):
        start = dom.index(f'id="{layer}"')
        assert "<path" in dom[start : dom.index("</g>", start)], layer


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshot_is_not_blank(
    reports: dict[str, Path],
    run_chromium: BrowserRun,
    png: Callable[[bytes], tuple[int, int, list[bytes]]],
    tmp_path: Path,
    lang: str,
) -> None:
    shot = tmp_path / f"{lang}.png"
    done = run_chromium(
        reports[lang] / "report.html",
        f"--screenshot={shot}",
        "--window-size=640,900",
        "--hide-scrollbars",
    )
    assert done.returncode == 0 and shot.is_file(), done.stderr[-500:]
    width, height, rows = png(shot.read_bytes())
    assert (width, height) == (640, 900)
    channels = len(rows[0]) // width
    colours: dict[bytes, int] = {}
    for row in rows:
        for i in range(0, len(row), channels):
            px = row[i : i + 3]
            colours[px] = colours.get(px, 0) + 1
    background = max(colours.values()) / (width * height)
    assert len(colours) > 50, "too few colours: blank page?"
    assert background < 0.97, f"{background:.1%} of pixels share one colour: blank page?"


def test_full_report_in_the_browser_and_pdf(
    full_spec_file: Path,
    tmp_path: Path,
    run_chromium: BrowserRun,
    console: Callable[[str], list[str]],
    poppler: Path,
) -> None:
    del poppler
    folder = write_report(full_spec_file, tmp_path / "report-zh", lang="zh").folder
    done = run_chromium(folder / "report.html", "--dump-dom")
    assert console(done.stderr) == []
    for section in SECTION_IDS:
        assert f'data-section="{section}"' in done.stdout, section
    text = _pdftotext(folder / "report.pdf")
    for heading in ("全部章节", "仿真结果", "情景比较", "优化", "可复现性清单"):
        assert heading in text, heading


def test_a_hostile_hub_name_stays_text_in_the_browser(
    xss_spec_file: Path,
    tmp_path: Path,
    run_chromium: BrowserRun,
    console: Callable[[str], list[str]],
) -> None:
    folder = write_report(xss_spec_file, tmp_path / "x", formats="html").folder
    done = run_chromium(folder / "report.html", "--dump-dom")
    assert console(done.stderr) == []  # no script ran and none was blocked
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in done.stdout
    assert "<script" not in done.stdout.lower()


def _pdftotext(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Fixture report",
                "Alpha Port",
                "2,468,000 TEU",
                "1,234.5 m",
                "37.5%",
                "Summary of findings",
            ],
        ),
        ("zh", ["测试报告", "阿尔法港", "2,468,000标准箱", "1,234.5米", "37.5%", "主要结论"]),
    ],
)
def test_pdf_holds_the_key_figures(
    reports: dict[str, Path], poppler: Path, lang: str, expected: list[str]
) -> None:
    del poppler
    text = _pdftotext(reports[lang] / "report.pdf")
    squeezed = text.replace(" ", "")
    for figure in expected:
        assert figure in text or figure.replace(" ", "") in squeezed, figure


def test_pdf_embeds_every_font(reports: dict[str, Path], poppler: Path) -> None:
    del poppler
    pdffonts = shutil.which("pdffonts")
    assert pdffonts is not None
    done = subprocess.run(
        [pdffonts, str(reports["zh"] / "report.pdf")], capture_output=True, text=True, check=True
    )
    rows = done.stdout.splitlines()[2:]
    assert rows, "no fonts in the PDF"
    for row in rows:
        # columns: name type [type] encoding emb sub uni object ID
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"
