"""China-Europe corridor intensities composed section by section (method corridor_mix).

The rule: EI = sum(d_i x (s_i x EI_electric,i + (1 - s_i) x EI_diesel,i)) / sum(d_i), with
d_i the section length on the shipped network, s_i the electric traction share
([[traction_share]]) and the country's electric and diesel container train intensities.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pytest

from freighthub.emissions.corridor import CorridorSection, corridor_bounds, corridor_intensity
from freighthub.emissions.intensity import EmissionsInputError
from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km
from freighthub.model.factors import (
    corridor_breakdown,
    default_pack_dir,
    load_factor_pack,
    load_pack_file,
)
from freighthub.model.paths import data_dir
from tests.emissions.test_cn_derived import _copy_pack

PACK = "cn-derived-2026"

# Each corridor entry and the links of networks/china-europe-rail.toml its route takes.
CORRIDOR_LINKS = {
    "rail-corridor-alashankou-malaszewicze": (
        "rail-alashankou-aktogay",
        "rail-aktogay-brest",
        "rail-brest-malaszewicze",
    ),
    "rail-corridor-khorgos-malaszewicze": (
        "rail-khorgos-aktogay",
        "rail-aktogay-brest",
        "rail-brest-malaszewicze",
    ),
    "rail-corridor-zhengzhou-erenhot-malaszewicze": (
        "rail-zhengzhou-jining",
        "rail-jining-erenhot",
        "rail-erenhot-ulan-ude",
        "rail-ulan-ude-moscow",
        "rail-moscow-brest",
        "rail-brest-malaszewicze",
    ),
    "rail-corridor-zhengzhou-manzhouli-malaszewicze": (
        "rail-zhengzhou-harbin",
        "rail-harbin-manzhouli",
        "rail-manzhouli-ulan-ude",
        "rail-ulan-ude-moscow",
        "rail-moscow-brest",
        "rail-brest-malaszewicze",
    ),
    "rail-corridor-malaszewicze-duisburg": ("rail-malaszewicze-warsaw", "rail-warsaw-duisburg"),
    "rail-corridor-malaszewicze-hamburg": ("rail-malaszewicze-warsaw", "rail-warsaw-hamburg"),
}


def _network() -> dict[str, dict[str, object]]:
    with (data_dir("networks") / "china-europe-rail.toml").open("rb") as f:
        net = tomllib.load(f)
    return {link["id"]: link for link in net["link"]}


def test_hand_computed_two_section_corridor() -> None:
    # 100 km all electric (10 / 0) and 300 km half electric (20 / 0) half diesel (30 / 20):
    # WTW (100 x 10 + 300 x (0.5 x 20 + 0.5 x 30)) / 400 = 8,500 / 400 = 21.25 g/tkm;
    # TTW (100 x 0 + 300 x 0.5 x 20) / 400 = 7.5; all electric (1,000 + 6,000) / 400 = 17.5;
    # all diesel 30.
    sections = (
        CorridorSection("AA", 100.0, 1.0, 10.0, 0.0, 30.0, 20.0),
        CorridorSection("BB", 300.0, 0.5, 20.0, 0.0, 30.0, 20.0),
    )
    assert corridor_intensity(sections) == pytest.approx((21.25, 7.5))
    assert corridor_bounds(sections) == pytest.approx((17.5, 30.0))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (CorridorSection("AA", 0.0, 0.5, 10, 0, 30, 20), "distance_km = 0"),
        (CorridorSection("AA", 10.0, 1.2, 10, 0, 30, 20), "electric_share = 1.2"),
    ],
)
def test_bad_sections_are_refused(section: CorridorSection, message: str) -> None:
    with pytest.raises(EmissionsInputError, match=message):
        corridor_intensity((section,))
    with pytest.raises(EmissionsInputError, match="at least one section"):
        corridor_intensity(())


@pytest.mark.parametrize("intensity_id", sorted(CORRIDOR_LINKS))
def test_shipped_corridor_recomputed_from_its_inputs(intensity_id: str) -> None:
    """Recompute from the pack file's raw entries, independently of the loader."""
    pack = load_factor_pack(PACK)
    raw = load_pack_file(default_pack_dir() / f"{PACK}.toml")
    shares = {t.id: t.electric_share for t in raw.traction_share}
    entry = next(t for t in raw.transport if t.id == intensity_id)
    assert entry.derivation is not None
    num_wtw = num_ttw = total_km = 0.0
    for sec in entry.derivation.section:
        s = shares[sec.traction_share_id]
        e = pack.transport[sec.electric_intensity_id] if sec.electric_intensity_id else None
        d = pack.transport[sec.diesel_intensity_id or ""]
        e_wtw, e_ttw = (e.intensity_wtw, e.intensity_ttw or 0.0) if e else (0.0, 0.0)
        num_wtw += sec.distance_km * (s * e_wtw + (1 - s) * d.intensity_wtw)
        num_ttw += sec.distance_km * (s * e_ttw + (1 - s) * (d.intensity_ttw or 0.0))
        total_km += sec.distance_km
    t = pack.transport[intensity_id]
    assert t.intensity_wtw == pytest.approx(num_wtw / total_km, abs=1e-4)
    assert t.intensity_ttw == pytest.approx(num_ttw / total_km, abs=1e-4)
    b = corridor_breakdown(PACK, intensity_id)
    assert b.all_electric_wtw <= b.wtw <= b.all_diesel_wtw


@pytest.mark.parametrize(("intensity_id", "links"), sorted(CORRIDOR_LINKS.items()))
def test_sections_cover_the_shipped_network_route(intensity_id: str, links: tuple[str]) -> None:
    network = _network()
    route_km = math.fsum(float(network[x]["length_km"]["value"]) for x in links)  # type: ignore[index]
    b = corridor_breakdown(PACK, intensity_id)
    assert math.fsum(s.distance_km for s in b.sections) == pytest.approx(route_km, abs=0.05)


def _split(points: list[tuple[float, float, str]]) -> dict[str, float]:
    """Geodesic length per country of a polyline whose border points carry "|"."""
    out: dict[str, float] = {}
    for (a_lon, a_lat, a_c), (b_lon, b_lat, _) in itertools.pairwise(points):
        country = a_c.split("|")[-1] if "|" in a_c else a_c
        out[country] = out.get(country, 0.0) + geodesic_distance_km(a_lon, a_lat, b_lon, b_lat)
    return out


def test_aktogay_brest_split_by_country_recomputed_from_the_network_polyline() -> None:
    # Aktogay, the link's waypoints, Brest; border points (stated in the pack as an
    # assumption): KZ/RU (68.2 E, 55.0 N), RU/BY (31.3 E, 54.6 N).
    link = _network()["rail-aktogay-brest"]
    wp = [tuple(p) for p in link["waypoints"]]  # type: ignore[attr-defined]
    pts = [
        (79.613, 46.949, "KZ"),
        *((lon, lat, "KZ") for lon, lat in wp[:3]),
        (68.2, 55.0, "KZ|RU"),
        *((lon, lat, "RU") for lon, lat in wp[3:8]),
        (31.3, 54.6, "RU|BY"),
        (wp[8][0], wp[8][1], "BY"),
        (23.69, 52.097, "BY"),
    ]
    by_country = _split(pts)
    total = sum(by_country.values())
    scale = float(link["length_km"]["value"]) / total  # type: ignore[index]
    got = {c: round(v * scale, 1) for c, v in by_country.items()}
    assert got == {"KZ": 1872.9, "RU": 3136.9, "BY": 768.6}


def test_shipped_values_and_bounds() -> None:
    """The Alashankou corridor: 15.94 g/tkm WTW between 13.93 (all electric) and 27.6
    (all diesel: GLEC's EU diesel container train, Table 4, on every section)."""
    b = corridor_breakdown(PACK, "rail-corridor-alashankou-malaszewicze")
    assert b.wtw == pytest.approx(15.9367, abs=1e-4)
    assert (b.all_electric_wtw, b.all_diesel_wtw) == pytest.approx((13.9318, 27.6), abs=1e-4)


def test_china_europe_scenarios_use_the_corridor_factors() -> None:
    for name in ("china-europe-baseline", "china-europe-rail"):
        with (data_dir("scenarios") / f"{name}.toml").open("rb") as f:
            scenario = tomllib.load(f)
        for svc in scenario["services"]:
            if "malaszewicze" in (svc["from"], svc["to"]):
                assert svc["intensity_id"].startswith("rail-corridor-"), (name, svc["id"])
                assert svc["intensity_id"] in CORRIDOR_LINKS


def test_a_corridor_value_that_does_not_follow_from_its_sections_is_refused(
    tmp_path: Path,
) -> None:
    path = _copy_pack(tmp_path, "wtw = 15.9367", "wtw = 16.5")
    with pytest.raises(DataFileError, match=r"transport\[\d+\]\.wtw.*16\.5.*corridor mix"):
        load_factor_pack(path)


def test_an_unknown_traction_share_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(
        tmp_path, 'traction_share_id = "traction-kz-network"', 'traction_share_id = "traction-x"'
    )
    with pytest.raises(DataFileError, match=r"section\[0\]\.traction_share_id.*traction-x"):
        load_factor_pack(path)


def test_a_share_outside_0_1_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(tmp_path, "electric_share = 0.28", "electric_share = 1.28")
    with pytest.raises(DataFileError, match=r"traction_share\[1\]\.electric_share.*1\.28"):
        load_factor_pack(path)


def test_a_missing_diesel_intensity_is_refused(tmp_path: Path) -> None:
    old = 'traction_share_id = "traction-kz-network"\nelectric_intensity_id = "rail-electric-container-kz-2022"\ndiesel_intensity_id = "rail-diesel-container-eu"'
    new = 'traction_share_id = "traction-kz-network"\nelectric_intensity_id = "rail-electric-container-kz-2022"'
    path = _copy_pack(tmp_path, old, new)
    with pytest.raises(DataFileError, match=r"section\[0\]\.diesel_intensity_id.*share is 0\.28"):
        load_factor_pack(path)


def test_bad_corridor_pack_through_the_cli_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from freighthub.cli import main

    path = _copy_pack(tmp_path, "electric_share = 0.28", "electric_share = -0.28")
    with pytest.raises(SystemExit) as exc:
        main(["emissions", "--pack", str(path), "--list-intensities", "--json"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "cn-derived-2026.toml" in err and "electric_share" in err and "-0.28" in err
