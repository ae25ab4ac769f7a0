"""Fixtures for the report tests: small hub folders, specs, and a headless Chromium."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.report.pdf import chromium_flags, find_chromium

HUB_A = """
id = "alpha-port"
country = "CN"
lon_deg = 114.56
lat_deg = 30.66
location_source = "test fixture"
hub_types = ["inland_port"]
modes = ["road", "rail", "inland_waterway"]
[names]
en = "Alpha Port"
zh = "阿尔法港"
[rail]
handling_track_length_m = { value = 850, source = "Fixture fact sheet, p. 2", confidence = "secondary" }
electrified = { value = true, source = "Fixture line register", confidence = "verified" }
[waterway]
berth_length_m = { value = 1234.5, source = "Fixture port plan, table 3", confidence = "verified" }
[operations]
annual_throughput_teu = { value = 2468000, source = "Fixture yearbook 2023", confidence = "secondary" }
[energy]
electric_handling_share = { value = 0.375, source = "assumption: fixture value", confidence = "assumption" }
"""

HUB_B = """
id = "beta-terminal"
country = "DE"
lon_deg = 6.76
lat_deg = 51.45
hub_types = ["rail_road_terminal"]
modes = ["road", "rail"]
[names]
en = "Beta Terminal"
[rail]
handling_track_length_m = { value = 700, source = "Fixture operator", confidence = "uncertain" }
"""

HUB_C = """
id = "gamma-yard"
country = "PL"
lon_deg = 23.53
lat_deg = 52.04
hub_types = ["rail_road_terminal"]
modes = ["road", "rail"]
[names]
en = "Gamma Yard"
zh = "伽马站"
[rail]
handling_track_length_m = { value = 900, source = "Fixture network statement", confidence = "verified" }
electrified = { value = false, source = "Fixture line register", confidence = "verified" }
"""

STANDARD = """
[standard]
id = "test-std-2024"
title = { en = "Test standard 2024", zh = "测试标准 2024" }
document = "Fixture standard for report tests"
edition = "2024"
licence = "test fixture"

[[criteria]]
id = "track-length"
name = { en = "Handling track length", zh = "装卸线长度" }
unit = "m"
attribute = "rail.handling_track_length_m"
rule = "minimum"
threshold = 750
direction = "benefit"
confidence = "verified"
source = { document = "Fixture standard", clause = "Art. 1", edition = "2024" }

[[criteria]]
id = "berth-length"
name = { en = "Berth length", zh = "泊位长度" }
unit = "m"
modes = ["inland_waterway"]
attribute = "waterway.berth_length_m"
rule = "minimum"
threshold = 110
direction = "benefit"
confidence = "uncertain"
source = { document = "Fixture standard", clause = "Art. 2", edition = "2024" }

[[criteria]]
id = "electrified"
name = { en = "Electrified access line", zh = "接入线电气化" }
unit = "bool"
attribute = "rail.electrified"
rule = "boolean"
required = true
direction = "benefit"
confidence = "secondary"
source = { document = "Fixture standard", clause = "Art. 3", edition = "2024" }
"""

ASSESSMENT = """
[assessment]
standard = "test-std-2024"
standards_dir = "standards"
methods = ["topsis", "wsm"]
missing = "worst"
seed = 7
samples = 300
"""

SPEC = """
name = "fixture"
hubs = "hubs"
organisation = { en = "Fixture Planning Office", zh = "测试规划办公室" }
author = "Jane Tester"
date = 2026-12-01
[title]
en = "Fixture report"
zh = "测试报告"
[[map.corridors]]
from = "alpha-port"
to = "beta-terminal"
mode = "rail"
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _hubs(folder: Path, beta: str = HUB_B) -> None:
    _write(
        folder / "hubs",
        {"alpha-port.toml": HUB_A, "beta-terminal.toml": beta, "gamma-yard.toml": HUB_C},
    )
    _write(folder / "standards", {"test-std-2024.toml": STANDARD})


@pytest.fixture()
def spec_file(tmp_path: Path) -> Path:
    """A spec over three fixture hubs scored against a fixture standard, two methods."""
    return write_fixture_spec(tmp_path)


@pytest.fixture()
def hubs_only_spec_file(tmp_path: Path) -> Path:
    """A spec without [assessment]: compliance and ranking are not run."""
    _hubs(tmp_path)
    spec = tmp_path / "hubs-only.toml"
    spec.write_text(SPEC.replace('"fixture"', '"hubs-only"'), encoding="utf-8")
    return spec


CANDIDATES = """
id = "tiny-candidates"
name = "Tiny corridor candidates"
scenario = "tiny.toml"
value_of_time_cny_per_teu_h = { value = 50, source = "test fixture", confidence = "assumption" }
carbon_price_cny_per_tco2e = { value = 0, source = "test fixture", confidence = "assumption" }
discount_rate = { value = 0.08, source = "test fixture", confidence = "assumption" }
[[candidates]]
id = "rail-ab"
kind = "service"
label = "Rail alpha-beta"
capex_cny = { value = 50000000, source = "test fixture", confidence = "assumption" }
life_years = { value = 20, source = "test fixture", confidence = "assumption" }
fixed_cost_cny_per_year = { value = 1000000, source = "test fixture", confidence = "assumption" }
integer_departures = true
[[candidates]]
id = "barge-ab"
kind = "service"
label = "Barge alpha-beta"
capex_cny = { value = 40000000, source = "test fixture", confidence = "assumption" }
life_years = { value = 25, source = "test fixture", confidence = "assumption" }
fixed_cost_cny_per_year = { value = 800000, source = "test fixture", confidence = "assumption" }
"""

FULL_SPEC = """
name = "full"
hubs = "hubs"
[title]
en = "Every section"
zh = "全部章节"
[assessment]
standard = "test-std-2024"
standards_dir = "standards"
methods = ["topsis", "wsm"]
missing = "worst"
seed = 3
samples = 100
[simulation]
scenario = "tiny.toml"
replications = 2
statistics = "statistics"
[scenarios]
variants = ["tiny-more-rail.toml"]
replications = 2
[optimisation]
scenario = "tiny.toml"
value_of_time_cny_per_teu_h = 50
road_share_max = 0.2
[appraisal]
project = "project.toml"
[candidates]
file = "candidates.toml"
budget_cny = 100000000
[[map.corridors]]
from = "alpha"
to = "beta"
mode = "inland_waterway"
"""


VALIDATION = """
[validation]
year = 2023
statistics = ["tiny-2023"]
"""


@pytest.fixture()
def full_spec_file(tmp_path: Path) -> Path:
    """Every section: the tiny simulated corridor, a fixture standard, a variant, the LP."""
    folder = tmp_path / "full"
    shutil.copytree(Path(__file__).parent / "data" / "tiny-sim", folder)
    _write(folder / "standards", {"test-std-2024.toml": STANDARD})
    with (folder / "tiny.toml").open("a", encoding="utf-8") as scenario:
        scenario.write(VALIDATION)  # the model validation section checks data/tiny-sim/statistics
    spec = folder / "full.toml"
    spec.write_text(FULL_SPEC, encoding="utf-8")
    project = Path(__file__).parents[1] / "appraisal" / "data"
    shutil.copy(project / "rogers-2003-example-3-1-option-a.toml", folder / "project.toml")
    (folder / "candidates.toml").write_text(CANDIDATES, encoding="utf-8")
    return spec


@pytest.fixture()
def xss_spec_file(tmp_path: Path) -> Path:
    """A spec whose hub has a script tag as its name and source."""
    hostile = HUB_B.replace('en = "Beta Terminal"', 'en = "<script>alert(1)</script>"').replace(
        "Fixture operator", "<img src=x onerror=alert(2)>"
    )
    _hubs(tmp_path, beta=hostile)
    spec = tmp_path / "xss.toml"
    spec.write_text(SPEC.replace('"fixture"', '"xss"') + ASSESSMENT, encoding="utf-8")
    return spec


def require_chromium() -> Path:
    """The Chromium binary; skips the test only if absent and not in CI (CI must run it)."""
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed but CI is set: run `make sysdeps`")
        pytest.skip("chromium not installed (run `make sysdeps`); required in CI")
    return binary


@pytest.fixture()
def chromium() -> Path:
    """The Chromium binary; skipped only if absent and not in CI (CI must run it)."""
    return require_chromium()


def write_fixture_spec(folder: Path) -> Path:
    """The fixture hubs, standard and spec (three hubs, two methods) in ``folder``."""
    _hubs(folder)
    spec = folder / "fixture.toml"
    spec.write_text(SPEC + ASSESSMENT, encoding="utf-8")
    return spec


@pytest.fixture()
def poppler() -> Path:
    """``pdftotext`` (poppler-utils); skipped only if absent and not in CI."""
    found = shutil.which("pdftotext")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed but CI is set: run `make sysdeps`")
        pytest.skip("pdftotext not installed (run `make sysdeps`); required in CI")
    return Path(found)


BrowserRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture()
def run_chromium(chromium: Path, tmp_path: Path) -> BrowserRun:
    """Run headless Chromium on a page with console logging to stderr."""

    def run(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
        cmd = [
            str(chromium),
            *chromium_flags(profile),
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            page.resolve().as_uri(),
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    return run


def console_messages(stderr: str) -> list[str]:
    """Lines Chromium logged from the page's console (errors, CSP violations)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG into rows of raw pixel bytes (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8, f"bit depth {depth}"
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


@pytest.fixture()
def console() -> Callable[[str], list[str]]:
    """The page-console lines in Chromium's stderr log."""
    return console_messages


@pytest.fixture()
def png() -> Callable[[bytes], tuple[int, int, list[bytes]]]:
    """A stdlib PNG decoder."""
    return png_pixels
