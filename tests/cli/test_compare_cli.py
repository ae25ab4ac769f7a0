"""``freighthub compare``: JSON shape, rich output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from freighthub.cli import main

DATA = Path(__file__).parents[1] / "shift" / "data"
HUBS = DATA / "hubs"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(DATA / "corridor.toml"), str(DATA / "variants" / "more-barges.toml")]
    code, out, err = run([*args, "--hubs", str(HUBS), "-r", "2", "--seed", "3", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)  # only JSON on stdout
    assert data["base_id"] == "corridor" and data["variant_id"] == "more-barges"
    assert data["seed"] == 3 and data["replications"] == 2
    m = data["metrics"]["emissions_kgco2e_wtw_per_teu"]
    assert set(m) == {"base", "variant", "delta"}
    assert set(m["delta"]) == {"mean", "ci95_low", "ci95_high", "n", "unit"}
    assert m["delta"]["unit"] == "kgco2e_per_teu"
    assert data["metrics"]["hubs.beta.utilisation"]["base"]["unit"] == "share"
    for key in (
        "throughput_teu", "modal_split_teu_share.road", "modal_split_tkm_share.rail",
        "door_to_door_mean_h", "hubs.beta.mean_wait_h", "hubs.beta.utilisation", "cost_cny",
        "emissions_kgco2e_wtw", "emissions_kgco2e_ttw", "emissions_kgco2e_ttw_per_teu",
    ):  # fmt: skip
        assert key in data["metrics"], key
    assert data["bottleneck_variant"]["kind"] in {"hub", "service"}
    assert {s["service"] for s in data["services_variant"]} == {"rail-ab", "barge-ab"}
    assert isinstance(data["not_carried"], list)
    assert any("departures_per_week" in c for c in data["changes"])
    assert data["manifest"]["seed"] == 3


def test_compare_renders_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(DATA / "corridor.toml"), str(DATA / "variants" / "carbon-price.toml")]
    code, out, err = run([*args, "--hubs", str(HUBS), "-r", "2"], capsys)
    assert code == 0, err
    assert "carbon-price versus corridor" in out
    assert "bottleneck (variant)" in out and "calibration residual" in out


def test_compare_bad_variant_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    (tmp_path / "loop.toml").write_text(
        'id = "loop"\nname = "l"\nbase = "loop.toml"\n', encoding="utf-8"
    )
    code, out, err = run(
        [
            "compare",
            str(tmp_path / "corridor.toml"),
            str(tmp_path / "loop.toml"),
            "--hubs",
            str(HUBS),
        ],
        capsys,
    )
    assert code == 2 and out == ""
    assert "variants form a cycle: loop.toml -> loop.toml" in err


NEW_TRAIN = """
[[add_services]]
id = "rail-ab-2"
mode = "rail"
from = "alpha"
to = "beta"
departures_per_week = 7
first_departure_h = 30
train_type = "short-train"
cutoff_h = 4
speed_kmh = 40
circuity_factor = 1.3
intensity_id = "rail-electric-container-eu"
cost_cny_per_teu_km = 0.8
cost_cny_per_departure = 5000
"""


def _variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "variants" / "extra.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'id = "extra"\nname = "extra"\nbase = "{DATA / "corridor.toml"}"\n{body}',
        encoding="utf-8",
    )
    return path


def test_compare_routes_paired_and_only_in_variant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "220")
    variant = _variant(
        tmp_path,
        NEW_TRAIN + '\n[[add_routes]]\ndemand = "west-east"\nname = "rail-2"\nshare = 0.1\n'
        'legs = [{ road = "west-alpha" }, { service = "rail-ab-2" }, { road = "beta-east" }]\n',
    )
    base = DATA / "corridor.toml"
    args = ["compare", str(base), str(variant), "--hubs", str(HUBS), "-r", "2", "--seed", "3"]
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    routes = {r["id"]: r for r in json.loads(out)["routes"]}
    assert routes["west-east/rail-2"]["only_in"] == "variant"
    new = routes["west-east/rail-2"]["figures"]["price_cny_per_teu"]
    assert new["base"]["mean"] is None and new["variant"]["mean"] > 0
    assert new["delta"]["mean"] is None
    road = routes["west-east/road"]
    assert road["only_in"] == "" and road["info"]["origin"] == "west"
    d = road["figures"]["delivered_teu"]
    assert d["delta"]["mean"] == pytest.approx(d["variant"]["mean"] - d["base"]["mean"])
    assert d["delta"]["unit"] == "teu"
    assert road["figures"]["price_cny_per_teu"]["delta"]["unit"] == "cny_per_teu"
    code, text, err = run(args, capsys)
    assert code == 0, err
    assert "Routes: base → variant" in text
    assert "west → east / rail-2 (only in variant)" in text
    assert "west → east / road" in text


def test_compare_warns_about_an_added_service_no_route_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "220")
    variant = _variant(tmp_path, NEW_TRAIN)
    base = DATA / "corridor.toml"
    args = ["compare", str(base), str(variant), "--hubs", str(HUBS), "-r", "1", "--seed", "3"]
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    unused = [w for w in warnings if w["code"] == "service_unused"]
    assert [w["subject"] for w in unused] == ["rail-ab-2"]
    assert unused[0]["message"].startswith("variant extra: service rail-ab-2: no route uses it")
    code, text, err = run(args, capsys)
    assert code == 0
    assert "warning [service_unused]: variant extra: service rail-ab-2" in err.replace("\n", " ")
    # the added service is in the table, not only in the JSON's only_in_variant
    rows = [line for line in text.splitlines() if "rail-ab-2" in line]
    assert any("service rail-ab-2 carried [TEU] (only in variant)" in r for r in rows)
    assert any("service rail-ab-2 empty departures (only in variant)" in r for r in rows)
    carried = next(r for r in rows if "carried [TEU]" in r)
    assert carried.split("│")[2].strip() == "–" and carried.split("│")[3].strip() == "0"


def test_compare_refuses_a_base_the_variant_is_not_built_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        (DATA / "corridor.toml")
        .read_text(encoding="utf-8")
        .replace('id = "corridor"', 'id = "other"', 1),
        encoding="utf-8",
    )
    variant = DATA / "variants" / "more-barges.toml"
    code, out, err = run(["compare", str(other), str(variant), "--hubs", str(HUBS)], capsys)
    assert code == 2 and out == ""
    line = err.strip().replace("\n", " ")
    assert "more-barges.toml: base = '../corridor.toml'" in line
    assert "variant 'more-barges' is built on 'corridor'" in line
    assert "not on 'other'" in line and str(other) in line
    assert str((DATA / "corridor.toml").resolve()) in line


def test_compare_accepts_the_scenario_below_a_chain(tmp_path: Path) -> None:
    from freighthub.shift.compare import check_base

    top = tmp_path / "variants" / "top.toml"
    top.parent.mkdir()
    top.write_text(
        f'id = "top"\nname = "t"\nbase = "{DATA / "variants" / "more-barges.toml"}"\n',
        encoding="utf-8",
    )
    check_base(DATA / "corridor.toml", top)  # the scenario at the bottom of the chain
    check_base(DATA / "variants" / "more-barges.toml", top)  # its own base
    check_base(DATA / "corridor.toml", DATA / "corridor.toml")  # two scenarios
    from freighthub.errors import DataFileError

    with pytest.raises(DataFileError, match=r"top\.toml: base = .*built on 'more-barges'"):
        check_base(DATA / "variants" / "carbon-price.toml", top)


def test_units_agree_across_simulate_compare_and_sweep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same figure, seed and replications give the same number and unit in simulate
    # (--json) and compare (the base's side), in CNY/TEU and kgCO2e/TEU.
    base = DATA / "corridor.toml"
    variant = DATA / "variants" / "unchanged.toml"
    opts = ["--hubs", str(HUBS), "-r", "2", "--seed", "4", "--json"]
    code, out, err = run(["simulate", str(base), *opts], capsys)
    assert code == 0, err
    sim = json.loads(out)
    code, out, err = run(["compare", str(base), str(variant), *opts], capsys)
    assert code == 0, err
    metrics = json.loads(out)["metrics"]
    for name, unit in (
        ("cost_cny_per_teu", "cny_per_teu"),
        ("emissions_kgco2e_wtw_per_teu", "kgco2e_per_teu"),
        ("cost_cny", "cny"),
        ("emissions_kgco2e_wtw", "kgco2e"),
    ):
        assert metrics[name]["base"]["unit"] == unit
        assert metrics[name]["base"]["mean"] == pytest.approx(sim[name], rel=1e-12)
    code, text, err = run(["simulate", str(base), *opts[:-1]], capsys)
    assert "cost per TEU [CNY/TEU]" in text and "emissions WTW per TEU [kgCO2e/TEU]" in text
