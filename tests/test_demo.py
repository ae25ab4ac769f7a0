"""The demo: the main job on the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from freighthub.atomic import ExistingResultError
from freighthub.cli import main
from freighthub.demo import run_demo, validate_shipped_data
from freighthub.errors import DataFileError


def test_every_kind_of_shipped_data_is_validated() -> None:
    data = validate_shipped_data()
    checked = data.checked
    assert len(checked["hubs"]) >= 10
    for kind in (
        "standards",
        "networks",
        "emission factor packs",
        "mode-choice parameters",
        "scenarios",
        "scenario variants",
        "sweeps",
        "transport chains",
        "report specs",
    ):
        assert checked[kind], f"no shipped {kind} were validated"


def test_a_broken_shipped_file_stops_the_demo(tmp_path: Path, repo_root: Path) -> None:
    for folder in ("hubs", "standards", "scenarios", "docs"):
        (tmp_path / folder).symlink_to(repo_root / folder)
    broken = tmp_path / "hubs-copy"
    broken.mkdir()
    for hub in (repo_root / "hubs").glob("*.toml"):
        (broken / hub.name).write_text(hub.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "wuhan-yangluo.toml").write_text("id = 'wuhan-yangluo'\nlat_deg = 95\n")
    (tmp_path / "hubs").unlink()
    broken.rename(tmp_path / "hubs")
    with pytest.raises(DataFileError, match=r"wuhan-yangluo\.toml: "):
        validate_shipped_data(tmp_path)


def test_a_broken_network_file_stops_the_demo(tmp_path: Path, repo_root: Path) -> None:
    for folder in ("hubs", "standards", "scenarios", "docs"):
        (tmp_path / folder).symlink_to(repo_root / folder)
    (tmp_path / "networks").mkdir()
    (tmp_path / "networks" / "bad.toml").write_text(
        'id = "bad"\n[[link]]\nid = "x"\nmode = "rail"\nfrom = "khorgos"\nto = "nowhere"\n'
        'length_km = { value = 5, source = "s", confidence = "assumption" }\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"bad\.toml: link\[0\]\.to = 'nowhere': unknown node"):
        validate_shipped_data(tmp_path)


def test_demo_writes_the_report_keeps_it_and_answers_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run of the whole demo (the main job takes minutes, so the CLI's JSON and the
    library's report are checked on the same run)."""
    with pytest.raises(SystemExit) as info:
        main(["demo", "--out", str(tmp_path), "--lang", "en", "--format", "html,json", "--json"])
    assert info.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    files = doc["reports"]["en"]
    assert set(files) == {"html", "json"}
    assert Path(files["json"]) == tmp_path / "demo" / "report.json"
    assert Path(files["html"]).is_file()
    report = json.loads(Path(files["json"]).read_text(encoding="utf-8"))
    ids = [s["id"] for s in report["sections"]]
    assert ids[:3] == ["summary", "hubs", "compliance"]
    # every section of the demo report runs, model validation included (the baseline
    # names its published statistics)
    assert {"simulation", "validation", "scenarios", "optimisation", "manifest"} <= set(ids)
    assert report["not_run"] == []
    assert any("Simulation of yangtze-baseline" in line for line in doc["findings"])
    # the example chain's total is the sum of its elements
    chain = doc["chain"]
    assert chain["total_kgco2e_wtw"] > 0
    assert chain["total_kgco2e_wtw"] == pytest.approx(
        sum(e["kgco2e_wtw"] for e in chain["elements"])
    )
    assert "wuhan-yangluo" in doc["distance_matrix_km"]
    # an existing result is never overwritten silently
    with pytest.raises(ExistingResultError, match=r"demo: already exists: pass --force"):
        run_demo(tmp_path, languages=("en",), formats="html,json")
