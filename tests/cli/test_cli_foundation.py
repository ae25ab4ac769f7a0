"""The CLI: exit codes, one-line errors, --json output, python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from freighthub import __version__
from freighthub.cli import main
from freighthub.geo import geodesic_distance_km

HUB = """\
id = "{id}"
country = "{country}"
lon_deg = {lon}
lat_deg = {lat}
hub_types = ["rail_road_terminal"]
modes = ["road", "rail"]

[names]
en = "{name}"
"""


def make_hubs(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "east.toml").write_text(
        HUB.format(id="east", country="CN", lon=1.0, lat=0.0, name="East")
    )
    (folder / "west.toml").write_text(
        HUB.format(id="west", country="CN", lon=0.0, lat=0.0, name="West")
    )
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"freighthub {__version__}"


def test_hubs_list_json_is_only_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_hubs(tmp_path / "hubs")
    code, out, err = run(["hubs", "list", "--hubs", str(folder), "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [h["id"] for h in data] == ["east", "west"]
    assert data[0]["lon_deg"] == 1.0


def test_hubs_show_json_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_hubs(tmp_path / "hubs")
    code, out, _ = run(["hubs", "show", "east", "--hubs", str(folder), "--json"], capsys)
    assert code == 0
    assert json.loads(out)["names"] == {"en": "East", "zh": None}


def test_distance_json_matches_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_hubs(tmp_path / "hubs")
    code, out, _ = run(
        ["hubs", "distance", "east", "west", "--hubs", str(folder), "--json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["distance_km"] == pytest.approx(geodesic_distance_km(1.0, 0.0, 0.0, 0.0), rel=1e-12)
    assert data["distance_type"] == "geodesic_wgs84"


def test_unknown_hub_lists_valid_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_hubs(tmp_path / "hubs")
    code, out, err = run(["hubs", "distance", "east", "nort", "--hubs", str(folder)], capsys)
    assert code == 2
    assert out == ""
    assert err.strip() == "error: unknown hub 'nort'; valid: east, west"


def test_validate_prints_one_line_per_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_hubs(tmp_path / "hubs")
    (folder / "bad.toml").write_text(
        HUB.format(id="bad", country="CN", lon=0.0, lat=95, name="Bad")
    )
    (folder / "empty.toml").write_text("")
    code, out, err = run(["hubs", "validate", str(folder)], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("bad.toml: lat_deg = 95: must be <= 90")
    assert lines[1].endswith("empty.toml: file is empty")
    assert "Traceback" not in err


def test_validate_clean_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_hubs(tmp_path / "hubs")
    code, out, _ = run(["hubs", "validate", str(folder), "--json"], capsys)
    assert code == 0
    assert json.loads(out) == {"valid": True, "hubs": ["east", "west"], "errors": []}


def test_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["hubs", "list", "--hubs", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert err.strip() == f"error: {tmp_path / 'nope'}: does not exist"


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="does not exist"):
        main(["--debug", "hubs", "list", "--hubs", str(tmp_path / "nope")])


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["hubs", "no-such-command"], capsys)
    assert code == 2
    assert "No such command" in err


def test_python_dash_m(tmp_path: Path) -> None:
    folder = make_hubs(tmp_path / "hubs")
    proc = subprocess.run(
        [sys.executable, "-m", "freighthub", "hubs", "show", "nowhere", "--hubs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == "error: unknown hub 'nowhere'; valid: east, west"
