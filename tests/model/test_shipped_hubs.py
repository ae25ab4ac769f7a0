"""Integrity of the shipped hub data in ``hubs/``.

Every shipped hub must load, carry a source and a confidence label on every value,
mark every assumption as such, lie inside its country and leave unknown values
out rather than writing zero. The checks are collected by :func:`problems_of`, which
is itself tested on a deliberately broken hub so that the integrity test can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.model.hub import Hub, check_hub_files, load_hub, load_hubs
from freighthub.vocabulary import Confidence, HubType

HUBS_DIR = Path(__file__).resolve().parents[2] / "hubs"
HUB_FILES = sorted(HUBS_DIR.glob("*.toml"))

# Loose bounding boxes (lon_min, lon_max, lat_min, lat_max) [deg, WGS84] that
# contain each country's territory, rounded outwards. They catch swapped lon/lat,
# sign errors and a wrong country code, not small position errors. A hub in a
# country without a box fails until a box is added here.
COUNTRY_BOX_DEG: dict[str, tuple[float, float, float, float]] = {
    "CN": (73.0, 135.5, 18.0, 53.6),
    "DE": (5.8, 15.1, 47.2, 55.1),
    "NL": (3.3, 7.3, 50.7, 53.6),
    "PL": (14.1, 24.2, 49.0, 54.9),
    "KZ": (46.4, 87.4, 40.5, 55.5),
    "BE": (2.5, 6.5, 49.4, 51.6),
}

CN_NLH_TYPES = {t for t in HubType if t.value.startswith("cn_nlh_")}

MIN_SHIPPED_HUBS = 10

# Fields where zero is a real value (``docs/nomenclature.md``), not "unknown".
ZERO_IS_A_VALUE = {"road.hdv_charging_distance_km", "road.truck_parking_places"}


def problems_of(hub: Hub) -> list[str]:
    """Every integrity rule a hub breaks, as readable lines (empty if none)."""
    found: list[str] = []
    if not (hub.location_source and hub.location_source.strip()):
        found.append("location_source is missing")
    box = COUNTRY_BOX_DEG.get(hub.country)
    if box is None:
        found.append(f"no bounding box for country {hub.country!r}")
    else:
        lon_min, lon_max, lat_min, lat_max = box
        if not (lon_min <= hub.lon_deg <= lon_max and lat_min <= hub.lat_deg <= lat_max):
            found.append(f"({hub.lon_deg}, {hub.lat_deg}) lies outside the box of {hub.country}")
    if hub.country == "CN" and not hub.names.zh:
        found.append("a Chinese hub needs a Chinese name (names.zh)")
    if hub.country != "CN" and CN_NLH_TYPES & set(hub.hub_types):
        found.append("a Chinese national-logistics-hub type on a hub outside China")
    for path, item in hub.iter_sourced():
        if not (item.source and item.source.strip()):
            found.append(f"{path} has no source")
        if item.confidence is None:
            found.append(f"{path} has no confidence label")
        is_assumption = item.confidence is Confidence.ASSUMPTION
        says_assumption = (item.source or "").lstrip().lower().startswith("assumption")
        if is_assumption and not says_assumption:
            found.append(f"{path} is an assumption but its source does not start with 'assumption'")
        if says_assumption and not is_assumption:
            found.append(f"{path} says 'assumption' but is labelled {item.confidence}")
        is_number = isinstance(item.value, (int, float)) and not isinstance(item.value, bool)
        if is_number and item.value == 0 and path not in ZERO_IS_A_VALUE:
            found.append(f"{path} is zero; an unknown value must be left out")
    ops = hub.operations
    has_throughput = ops is not None and (
        ops.annual_throughput_teu is not None or ops.annual_throughput_t is not None
    )
    if has_throughput and ops is not None and ops.year is None:
        found.append("operations gives a throughput without operations.year")
    return found


@pytest.fixture(scope="module")
def shipped() -> dict[str, Hub]:
    return load_hubs(HUBS_DIR)


def test_enough_hubs_are_shipped(shipped: dict[str, Hub]) -> None:
    assert len(HUB_FILES) >= MIN_SHIPPED_HUBS
    assert len(shipped) == len(HUB_FILES)


def test_ids_are_unique_and_every_file_is_clean() -> None:
    hubs, errors = check_hub_files([HUBS_DIR])
    assert errors == []
    assert sorted(hubs) == sorted(f.stem for f in HUB_FILES)


@pytest.mark.parametrize("path", HUB_FILES, ids=lambda p: p.stem)
def test_shipped_hub_passes_integrity_rules(path: Path) -> None:
    hub = load_hub(path)
    assert hub.id == path.stem
    assert problems_of(hub) == []


def test_both_corridors_are_covered(shipped: dict[str, Hub]) -> None:
    yangtze = {"chongqing-guoyuan", "wuhan-yangluo", "nanjing-longtan", "shanghai-yangshan"}
    china_europe = {
        "zhengzhou-international-land-port",
        "xian-international-port",
        "chengdu-international-railway-port",
        "malaszewicze",
        "duisburg-duisport",
    }
    assert yangtze <= set(shipped)
    assert china_europe <= set(shipped)
    assert {"alashankou", "khorgos"} & set(shipped)


def test_problems_of_catches_a_broken_hub(tmp_path: Path) -> None:
    """The integrity rules can fail: a hub breaking each of them is reported."""
    text = """\
id = "broken-hub"
country = "DE"
lon_deg = 51.45
lat_deg = 6.76
hub_types = ["inland_port", "cn_nlh_port"]
modes = ["road", "rail", "inland_waterway"]

[names]
en = "Broken Hub"

[rail]
handling_tracks = 4
electrified = { value = true, source = "a guess", confidence = "assumption" }
handling_track_length_m = { value = 700, source = "assumption: typical", confidence = "secondary" }

[road]
truck_parking_places = { value = 0, source = "Operator page", confidence = "verified" }

[operations]
annual_throughput_teu = { value = 1000, source = "Operator page", confidence = "verified" }
mean_dwell_days = { value = 0, source = "Operator page", confidence = "verified" }
"""
    path = tmp_path / "broken-hub.toml"
    path.write_text(text, encoding="utf-8")
    found = "\n".join(problems_of(load_hub(path)))
    assert "location_source is missing" in found
    assert "outside the box of DE" in found  # lon and lat swapped
    assert "national-logistics-hub type on a hub outside China" in found
    assert "rail.handling_tracks has no source" in found
    assert "rail.handling_tracks has no confidence label" in found
    assert "rail.electrified is an assumption but its source does not start" in found
    assert "rail.handling_track_length_m says 'assumption' but is labelled" in found
    assert "operations.mean_dwell_days is zero" in found
    assert "truck_parking_places" not in found  # zero parking places is a real value
    assert "throughput without operations.year" in found


def test_problems_of_wants_zh_for_chinese_hubs_and_a_known_country(tmp_path: Path) -> None:
    base = """\
id = "{id}"
country = "{country}"
lon_deg = {lon}
lat_deg = {lat}
location_source = "test"
hub_types = ["rail_road_terminal"]
modes = ["road", "rail"]

[names]
en = "Test"
"""
    cn = tmp_path / "cn-hub.toml"
    cn.write_text(base.format(id="cn-hub", country="CN", lon=114.0, lat=30.0), encoding="utf-8")
    assert problems_of(load_hub(cn)) == ["a Chinese hub needs a Chinese name (names.zh)"]
    fr = tmp_path / "fr-hub.toml"
    fr.write_text(base.format(id="fr-hub", country="FR", lon=2.35, lat=48.85), encoding="utf-8")
    assert problems_of(load_hub(fr)) == ["no bounding box for country 'FR'"]


def test_cli_validate_shipped_hubs_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        main(["hubs", "validate", str(HUBS_DIR)])
    except SystemExit as exc:
        assert exc.code in (0, None)
    out = capsys.readouterr().out
    assert f"{len(HUB_FILES)} hub(s) valid" in out


def test_data_audit_2026_12_corrections() -> None:
    """data-audit-2026-12.md section 4: W1 (Yangluo berth length) and U2 (Małaszewicze speed)."""
    yangluo = load_hub(HUBS_DIR / "wuhan-yangluo.toml")
    # W1: 862 was Wuhan New Port's 862 km of Yangtze shoreline, not a Yangluo quay length
    assert yangluo.waterway is not None and yangluo.waterway.berth_length_m is None
    text = (HUBS_DIR / "wuhan-yangluo.toml").read_text(encoding="utf-8")
    assert "862 km" in text and "H13" in text  # the reason stays in the file
    # U2: polot.net (2022): freight trains up to 120 km/h on line 2 -> secondary
    speed = load_hub(HUBS_DIR / "malaszewicze.toml").attribute("rail.line_speed_kmh")
    assert speed is not None and speed.value == 120
    assert speed.confidence is Confidence.SECONDARY and "polot.net" in (speed.source or "")


def test_tent_tiers_of_shipped_hubs_follow_annex_ii() -> None:
    """Reg. (EU) 2024/1679 Annex II (list of nodes), rows 'Duisburg' (inland port Core,
    rail-road terminals Core), 'Hamburg' and 'Rotterdam' (maritime port, inland port and
    rail-road terminals Core), 'Malaszewicze/Terespol' (rail-road terminals Comprehensive).
    Hubs outside the EU (China, Kazakhstan) have no [tent] section."""
    hubs = load_hubs(HUBS_DIR)
    tiers = {h.id: (h.tent.tier.value if h.tent else None) for h in hubs.values()}
    assert tiers["duisburg-duisport"] == tiers["hamburg-port"] == tiers["rotterdam"] == "core"
    assert tiers["malaszewicze"] == "comprehensive"
    for hub in hubs.values():
        if hub.tent is not None:
            assert "Annex II" in hub.tent.source and hub.tent.confidence is Confidence.VERIFIED
        if hub.country in {"CN", "KZ"}:
            assert hub.tent is None, hub.id
    assert sum(h.tent is not None for h in hubs.values()) == 4
