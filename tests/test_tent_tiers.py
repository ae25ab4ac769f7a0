"""Regulation (EU) 2024/1679 as the text applies it, on constructed hubs and the shipped file.

Tiers and deadlines: Art. 6 (core 2030, extended core 2040, comprehensive 2050),
Art. 15(2) / 16(1) / 16(3). Exemptions: Art. 14(1)(d) (rail access connections to
terminals are not covered by Arts 15-16), Art. 36(6)(a) (800,000 t of non-bulk
freight), Art. 23 (good navigation status on core waterways). Facts as read in
shared/research/standards-2.md section 1 and data-audit-2026-12.md R1-R5.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from freighthub.assessment import Assessment, assess
from freighthub.cli import main
from freighthub.errors import DataFileError
from freighthub.model.hub import Hub, load_hub
from freighthub.model.standard import Standard, check_standard_files
from freighthub.scoring.compliance import ComplianceStatus, NotAssessedKind
from tests.test_assessment import hub, src

REPO = Path(__file__).resolve().parents[1]
PASS, FAIL, NA, NO_DATA = (
    ComplianceStatus.PASS,
    ComplianceStatus.FAIL,
    ComplianceStatus.NOT_APPLICABLE,
    ComplianceStatus.NO_DATA,
)
LINE_CRITERIA = (
    "tent2024-rail-electrified",
    "tent2024-rail-axle-load",
    "tent2024-rail-freight-speed",
    "tent2024-rail-740m-line",
)


@pytest.fixture(scope="module")
def tent() -> Standard:
    found, errors = check_standard_files([REPO / "standards"], catalogue={})
    assert not errors
    return found["eu-tent-2024-1679"]


def listing(tent: dict[str, Any] | None) -> dict[str, Any]:
    """The hub's [tent] section (empty: no section)."""
    return (
        {}
        if tent is None
        else {"tent": {"source": "test listing", "confidence": "secondary", **tent}}
    )


def make_hub(tent: dict[str, Any] | None = None, **sections: Any) -> Hub:
    """A rail-road terminal whose rail line fails every 2024/1679 line requirement."""
    rail = {
        "electrified": src(False),
        "axle_load_t": src(20.0),
        "line_speed_kmh": src(80.0),
        "max_train_length_m": src(600.0),
    }
    return hub(
        "t", ["rail_road_terminal"], ["road", "rail"], rail=rail, **listing(tent), **sections
    )


def results(a: Assessment) -> dict[str, Any]:
    return {r.criterion_id: r for r in a.compliance[0].results}


@pytest.mark.parametrize(
    ("tier", "year", "deadline", "due"),
    [
        ("core", 2030, 2030, True),
        ("extended_core", 2030, 2040, False),
        ("extended_core", 2040, 2040, True),
        ("comprehensive", 2040, 2050, False),
        ("comprehensive", 2050, 2050, True),
    ],
)
def test_axle_load_deadline_by_tier_and_year(
    tent: Standard, tier: str, year: int, deadline: int, due: bool
) -> None:
    a = assess([make_hub({"tier": tier})], tent, year=year, n_samples=0)
    r = results(a)["tent2024-rail-axle-load"]
    assert r.status is FAIL and r.gap == pytest.approx(2.5)
    assert r.deadline == dt.date(deadline, 12, 31) and r.due is due
    assert a.to_dict()["compliance"]["t"]["results"][1]["deadline"] == f"{deadline}-12-31"


def test_freight_speed_not_required_on_the_comprehensive_network(tent: Standard) -> None:
    r = results(assess([make_hub({"tier": "comprehensive"})], tent, year=2050, n_samples=0))
    assert r["tent2024-rail-freight-speed"].status is NA
    assert r["tent2024-rail-freight-speed"].reason.kind is NotAssessedKind.TIER
    core = results(assess([make_hub({"tier": "core"})], tent, year=2050, n_samples=0))
    assert core["tent2024-rail-freight-speed"].status is FAIL


def test_rail_tier_overrides_the_hub_tier(tent: Standard) -> None:
    h = make_hub({"tier": "core", "rail_tier": "extended_core"})
    r = results(assess([h], tent, year=2035, n_samples=0))["tent2024-rail-electrified"]
    assert r.deadline == dt.date(2040, 12, 31) and r.due is False


def test_hub_without_tier_is_judged_as_core(tent: Standard) -> None:
    r = results(assess([make_hub()], tent, n_samples=0))["tent2024-rail-axle-load"]
    assert r.tier_assumed and r.tier == "core" and r.deadline == dt.date(2030, 12, 31)
    assert r.due is None


def test_access_connection_exempt_from_all_four_line_requirements(tent: Standard) -> None:
    """Art. 14(1)(d): not only electrification, also 22.5 t, 740 m and 100 km/h."""
    h = make_hub({"tier": "core", "rail_access_connection": True})
    r = results(assess([h], tent, year=2030, n_samples=0))
    for cid in LINE_CRITERIA:
        assert r[cid].status is NA, cid
        assert str(r[cid].reason) == "exempt: rail_access_connection (Art. 14(1)(d))"
    # the terminal's own 740 m handling (Art. 39(e)) is not a line requirement
    assert r["tent2024-terminal-740m-trains"].status is FAIL
    line = results(assess([make_hub({"tier": "core"})], tent, year=2030, n_samples=0))
    assert all(line[cid].status is FAIL for cid in LINE_CRITERIA)


def test_comprehensive_axle_and_740m_only_on_art15_3_lines(tent: Standard) -> None:
    h = make_hub({"tier": "comprehensive", "rail_art15_3_line": False})
    r = results(assess([h], tent, year=2050, n_samples=0))
    assert r["tent2024-rail-axle-load"].status is NA
    assert r["tent2024-rail-740m-line"].status is NA
    assert r["tent2024-rail-electrified"].status is FAIL  # Art. 15(2)(a) covers every line


def test_listing_test_counts_non_bulk_freight(tent: Standard) -> None:
    ops = {"annual_throughput_t": src(2_000_000.0), "annual_non_bulk_throughput_t": src(500_000.0)}
    r = results(assess([make_hub(operations=ops)], tent, n_samples=0))
    assert r["tent2024-terminal-listing-volume"].status is FAIL
    assert r["tent2024-terminal-listing-volume"].value == 500_000.0
    total_only = {"annual_throughput_t": src(2_000_000.0)}
    r = results(assess([make_hub(operations=total_only)], tent, n_samples=0))
    assert r["tent2024-terminal-listing-volume"].status is NO_DATA


def port(tier: str | None) -> Hub:
    waterway = {"draught_m": src(2.0), "bridge_clearance_m": src(4.5)}
    tent = None if tier is None else {"tier": tier}
    return hub(
        "p", ["inland_port"], ["road", "inland_waterway"], waterway=waterway, **listing(tent)
    )


def test_good_navigation_status_applies_to_core_waterways_only(tent: Standard) -> None:
    comp = results(assess([port("comprehensive")], tent, year=2030, n_samples=0))
    for cid in ("tent2024-iww-draught", "tent2024-iww-bridge-clearance"):
        assert comp[cid].status is NA and comp[cid].reason.kind is NotAssessedKind.TIER
    core = results(assess([port("core")], tent, year=2030, n_samples=0))
    assert core["tent2024-iww-draught"].status is FAIL and core["tent2024-iww-draught"].due


def test_profile_assessment_year_is_the_default(tent: Standard, tmp_path: Path) -> None:
    info = tent.info.model_copy(update={"assessment_year": 2040})
    std = tent.model_copy(update={"info": info})
    h = make_hub({"tier": "extended_core"})
    a = assess([h], std, n_samples=0)
    assert a.year == 2040 and results(a)["tent2024-rail-axle-load"].due is True
    assert assess([h], std, n_samples=0, year=2030).year == 2030


def test_score_year_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hubs = tmp_path / "hubs"
    hubs.mkdir()
    (hubs / "x.toml").write_text(
        'id = "x"\ncountry = "DE"\nlon_deg = 7.0\nlat_deg = 51.0\n'
        'hub_types = ["rail_road_terminal"]\nmodes = ["road", "rail"]\n'
        '[names]\nen = "X"\n[rail]\naxle_load_t = 20.0\n'
        '[tent]\ntier = "extended_core"\nsource = "test"\nconfidence = "secondary"\n',
        encoding="utf-8",
    )
    argv = ["score", "--standard", "eu-tent-2024-1679", "--hubs", str(hubs), "--samples", "0"]
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--year", "2040", "--json"])
    assert exc.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["assessment_year"] == 2040
    axle = next(
        r for r in data["compliance"]["x"]["results"] if r["criterion"] == "tent2024-rail-axle-load"
    )
    assert (axle["deadline"], axle["due"], axle["tier"]) == ("2040-12-31", True, "extended_core")
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--year", "1800"])
    assert exc.value.code == 2
    assert "--year" in capsys.readouterr().err


def test_bad_tier_in_a_hub_file_names_file_field_and_value(tmp_path: Path) -> None:
    f = tmp_path / "y.toml"
    f.write_text(
        'id = "y"\ncountry = "DE"\nlon_deg = 7.0\nlat_deg = 51.0\n'
        'hub_types = ["rail_road_terminal"]\nmodes = ["road"]\n[names]\nen = "Y"\n'
        '[tent]\ntier = "central"\nsource = "test"\nconfidence = "secondary"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"y\.toml.*tent\.tier.*central"):
        load_hub(f)


@pytest.mark.parametrize(
    ("tier", "deadline", "due_2026"),
    [("core", 2024, True), ("extended_core", 2029, False), ("comprehensive", 2029, False)],
)
def test_afir_shore_power_by_tier(tier: str, deadline: int, due_2026: bool) -> None:
    """AFIR Art. 10: core inland ports by 2024, comprehensive by 2029; AFIR's 'comprehensive'
    covers the extended core too (Reg. 2024/1679 Art. 10)."""
    found, errors = check_standard_files([REPO / "standards"], catalogue={})
    assert not errors
    p = hub(
        "p",
        ["inland_port"],
        ["road", "inland_waterway"],
        energy={"shore_power": src(False)},
        **listing({"tier": tier}),
    )
    r = results(assess([p], found["eu-afir-2023-1804"], year=2026, n_samples=0))
    shore = r["afir-inland-port-shore-power"]
    assert shore.status is FAIL and shore.deadline == dt.date(deadline, 12, 31)
    assert shore.due is due_2026
