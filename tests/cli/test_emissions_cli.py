"""``freighthub emissions``: table, --json, --pack, --ileap (atomic, --force), errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.model.chain import example_chain_path

EXAMPLE = example_chain_path()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["emissions", str(EXAMPLE)], capsys)
    assert code == 0, err
    assert "total" in out and "kgCO2e WTW" in out
    assert "TTW n/a" in out  # hub defaults have no published TTW


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["emissions", str(EXAMPLE), "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["pack_id"] == "glec-v3-2023"
    assert {"total_kgco2e_wtw", "total_kgco2e_ttw", "elements"} <= set(doc)
    assert doc["total_kgco2e_ttw"] is None  # unknown, not 0
    kinds = [e["kind"] for e in doc["elements"]]
    assert kinds == ["leg", "hub", "leg", "hub"]
    for e in doc["elements"]:
        assert {"kind", "id", "kgco2e_wtw", "kgco2e_ttw"} <= set(e)
    assert doc["total_kgco2e_wtw"] == pytest.approx(sum(e["kgco2e_wtw"] for e in doc["elements"]))
    assert doc["intensity_gco2e_per_tkm_wtw"] > 0


def test_pack_by_path(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    pack = repo_root / "standards" / "emissions" / "glec-v3-2023.toml"
    code, out, _ = run(["emissions", str(EXAMPLE), "--pack", str(pack), "--json"], capsys)
    assert code == 0
    assert json.loads(out)["pack_id"] == "glec-v3-2023"


def test_unknown_pack_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["emissions", str(EXAMPLE), "--pack", "nope"], capsys)
    assert code == 2
    assert "unknown factor pack 'nope'; valid: cn-derived-2026, glec-v3-2023" in err
    assert out == ""


def test_bad_chain_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\npack = "glec-v3-2023"\n[shipment]\nmass_t = "heavy"\n')
    code, _, err = run(["emissions", str(bad)], capsys)
    assert code == 2
    assert "bad.toml: shipment.mass_t = 'heavy': must be a number" in err


def test_ileap_export_atomic_and_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "footprint.json"
    code, _, err = run(["emissions", str(EXAMPLE), "--ileap", str(target), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(target.read_text())
    tces = doc["shipmentFootprint"]["tces"]
    assert tces[0]["tocId"] == "road-artic-40t-container-diesel-asia"
    assert not list(target.parent.glob(".*.tmp"))  # no temporary left behind
    before = target.read_text()
    code, _, err = run(["emissions", str(EXAMPLE), "--ileap", str(target)], capsys)
    assert code == 2
    assert "already exists: pass --force to replace it" in err
    assert target.read_text() == before
    code, _, _ = run(["emissions", str(EXAMPLE), "--ileap", str(target), "--force"], capsys)
    assert code == 0


def test_list_intensities(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["emissions", "--list-intensities", "--pack", "glec-v3-2023", "--json"], capsys
    )
    assert code == 0
    doc = json.loads(out)
    assert "rail-electric-container-eu" in doc["transport"]["rail"]
    assert "transshipment-ambient" in doc["hubs"]
    code, out, _ = run(["emissions", "--list-intensities", "--pack", "glec-v3-2023"], capsys)
    assert code == 0 and "iww-container-110m" in out


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["emissions"], capsys)
    assert code == 2 and "give a chain file" in err
    code, _, err = run(["emissions", "--list-intensities"], capsys)
    assert code == 2 and "--list-intensities needs --pack" in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "wtw = 14.892",
            "wtw = 16.0",
            "transport[0].wtw = 16.0: differs from energy_per_activity x "
            "grid-cn-2023-footprint wtw x 1000 = 14.89 beyond rounding",
        ),
        (
            'extends = "glec-v3-2023"',
            'extends = "cn-derived-2026"',
            "extends = 'cn-derived-2026': a pack may not extend itself",
        ),
        (
            'source = "derived: 0.024 kWh/tkm (GLEC3 p.113, EU electric',
            'sourcex = "derived: 0.024 kWh/tkm (GLEC3 p.113, EU electric',
            "transport[0].source",
        ),
    ],
    ids=["derived-value-off", "extends-itself", "no-source"],
)
def test_bad_derived_pack_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
    repo_root: Path,
    tmp_path: Path,
    old: str,
    new: str,
    message: str,
) -> None:
    text = (repo_root / "standards" / "emissions" / "cn-derived-2026.toml").read_text("utf-8")
    assert old in text
    pack = tmp_path / "cn-derived-2026.toml"
    pack.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(["emissions", str(EXAMPLE), "--pack", str(pack)], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and str(pack) in err and message in err
