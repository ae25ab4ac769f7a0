"""China-derived intensities (pack cn-derived-2026): recomputed from their sourced inputs.

Inputs, as the pack file states them with sources:

- China electricity carbon-footprint factor 2023: 0.6205 kgCO2e/kWh (MEE/NBS/NEA);
- China average CO2 emission factor 2023: 0.5306 kgCO2/kWh (MEE/NBS);
- electric traction energy 0.024 kWh/tkm (GLEC3 p.113, EU example incl. losses);
- EcoTransIT 2010 Table 23 electric-train energy, 19.4 (heavy) to 49.5 (light) Wh/Ntkm;
- diesel container train 0.0066 kg/tkm (GLEC3 Table 4), diesel 4.13 / 3.17 kgCO2e/kg.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.emissions import FactorPack, Leg, chain_emissions
from freighthub.emissions.ileap import chain_to_ileap
from freighthub.errors import DataFileError
from freighthub.model.factors import default_pack_dir, derived_intensity, load_factor_pack

# China-Europe corridor grids as the Ember data copied by co2.js print them [gCO2e/kWh]
# (grid-electricity.toml): the inputs of the corridor countries' electric entries
# (Mongolia has none: its railway is diesel-only, see the pack file).
CORRIDOR_GRID_G_PER_KWH = {
    "kz-2022": 830.41,
    "ru-2022": 436.28,
    "by-2022": 441.74,
    "pl-2023": 661.93,
}


# The China-Europe corridors composed by country (tests/emissions/test_corridor.py).
CORRIDORS = (
    "alashankou-malaszewicze",
    "khorgos-malaszewicze",
    "zhengzhou-erenhot-malaszewicze",
    "zhengzhou-manzhouli-malaszewicze",
    "malaszewicze-duisburg",
    "malaszewicze-hamburg",
)


@pytest.fixture(scope="module")
def cn() -> FactorPack:
    return load_factor_pack("cn-derived-2026")


def test_pack_extends_glec_and_adds_the_derived_entries(cn: FactorPack) -> None:
    glec = load_factor_pack("glec-v3-2023")
    assert set(glec.transport) < set(cn.transport)
    assert set(glec.hubs) == set(cn.hubs)
    assert cn.transport["iww-container-110m"] == glec.transport["iww-container-110m"]
    added = set(cn.transport) - set(glec.transport)
    assert added == {
        "rail-electric-container-cn-2023",
        "rail-electric-container-cn-2023-co2",
        "rail-diesel-container-cn",
        *(f"rail-electric-container-{c}" for c in CORRIDOR_GRID_G_PER_KWH),
        "rail-electric-container-de-ecotransit",
        *(f"rail-corridor-{c}" for c in CORRIDORS),
    }
    assert all(cn.transport[i].derivation for i in added)


def test_china_electric_rail_recomputed_from_its_inputs(cn: FactorPack) -> None:
    t = cn.transport["rail-electric-container-cn-2023"]
    grid = cn.energy[t.energy_factor_id or ""]
    assert (grid.factor_wtw, grid.year, grid.scope) == (0.6205, 2023, "co2e_lifecycle")
    assert t.energy_per_activity == 0.024
    assert t.intensity_wtw == pytest.approx(0.024 * 0.6205 * 1000)  # 14.892 g/tkm
    assert t.intensity_ttw == 0.0  # electric traction has no tank-to-wheel emissions
    assert derived_intensity(0.024, 0.6205) == pytest.approx(14.892)


def test_china_electric_rail_lies_in_the_range_its_inputs_imply(cn: FactorPack) -> None:
    low = 0.0194 * 0.5306 * 1000  # heavy train, CO2-only grid factor: 10.29 g/tkm
    high = 0.0495 * 0.6205 * 1000  # light train, footprint grid factor: 30.71 g/tkm
    wtw = cn.transport["rail-electric-container-cn-2023"].intensity_wtw
    assert low <= wtw <= high
    # and it is about 2.3 times the EU container train of GLEC3 Table 5 (6.4 g/tkm)
    assert wtw / cn.transport["rail-electric-container-eu"].intensity_wtw == pytest.approx(
        2.33, abs=0.01
    )


def test_china_electric_rail_lies_below_the_railway_system_average(cn: FactorPack) -> None:
    """China's whole railway used 4.94 tce per million converted tkm in 2010.

    "Green Low-Carbon Development in China", Table 3.5 (citing the Bulletin of Railway
    Statistics): all energy of all trains and facilities per converted tkm. 1 kgce =
    29,307 kJ (GB/T 2589 definition). An electric freight train's traction energy must lie
    below that average (no station energy, no diesel), and so must its WTW intensity.
    """
    system_kwh_per_tkm = 4.94 * 29_307 / 3_600 / 1000  # 0.0402 kWh per converted tkm
    t = cn.transport["rail-electric-container-cn-2023"]
    assert t.energy_per_activity is not None
    assert t.energy_per_activity < system_kwh_per_tkm
    grid = cn.energy[t.energy_factor_id or ""]
    bound_g_per_tkm = system_kwh_per_tkm * grid.factor_wtw * 1000  # 24.9 g/tkm
    assert t.intensity_wtw < bound_g_per_tkm
    assert bound_g_per_tkm == pytest.approx(24.95, abs=0.01)


def test_co2_only_and_diesel_variants_recomputed(cn: FactorPack) -> None:
    co2 = cn.transport["rail-electric-container-cn-2023-co2"]
    assert co2.intensity_wtw == pytest.approx(0.024 * 0.5306 * 1000)  # 12.734
    diesel = cn.transport["rail-diesel-container-cn"]
    assert diesel.intensity_wtw == pytest.approx(0.0066 * 4.13 * 1000)  # 27.258
    assert diesel.intensity_ttw == pytest.approx(0.0066 * 3.17 * 1000)  # 20.922
    # within rounding of GLEC's printed 27.6 / 21.2 for the same train
    assert diesel.intensity_wtw == pytest.approx(27.6, rel=0.02)


def test_chain_with_china_rail_and_its_ileap_factor(cn: FactorPack) -> None:
    # 1,000 km x 10 t = 10,000 tkm x 14.892 g = 148.92 kg
    result = chain_emissions(
        cn, [Leg("rail", "rail-electric-container-cn-2023", 1000.0, mass_t=10)]
    )
    assert result.total_kgco2e_wtw == pytest.approx(148.92)
    toc = chain_to_ileap(result, cn, "S")["tocs"][0]
    assert toc["co2eIntensityWTW"] == "0.014892"
    assert toc["energyCarriers"][0]["emissionFactorWTW"] == "0.6205"
    assert toc["energyCarriers"][0]["energyConsumptionUnit"] == "kWh"
    assert toc["energyCarriers"][0]["energyConsumption"] == "0.024"


def _copy_pack(tmp_path: Path, old: str, new: str) -> Path:
    text = (default_pack_dir() / "cn-derived-2026.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "cn-derived-2026.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_derived_value_that_does_not_follow_from_its_inputs_is_refused(
    tmp_path: Path,
) -> None:
    path = _copy_pack(tmp_path, "wtw = 14.892", "wtw = 16.0")
    with pytest.raises(
        DataFileError,
        match=r"cn-derived-2026\.toml.*transport\[0\]\.wtw.*16.*grid-cn-2023-footprint",
    ):
        load_factor_pack(path)


def test_a_derived_value_without_its_energy_input_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(tmp_path, "energy_per_activity = 0.024\n", "")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.derivation.*needs energy_factor_id"):
        load_factor_pack(path)


def test_an_unknown_energy_factor_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(
        tmp_path, 'energy_factor_id = "grid-cn-2023-footprint"', 'energy_factor_id = "grid-cn-2099"'
    )
    with pytest.raises(DataFileError, match=r"transport\[0\]\.energy_factor_id.*grid-cn-2099"):
        load_factor_pack(path)


def test_an_unknown_base_pack_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(tmp_path, 'extends = "glec-v3-2023"', 'extends = "glec-v9"')
    with pytest.raises(DataFileError, match=r"extends.*glec-v9"):
        load_factor_pack(path)


def test_a_factor_without_a_source_is_refused(tmp_path: Path) -> None:
    path = _copy_pack(
        tmp_path,
        'source = "derived: 0.024 kWh/tkm (GLEC3 p.113, EU electric rail example',
        'sourcex = "derived: 0.024 kWh/tkm (GLEC3 p.113, EU electric rail example',
    )
    with pytest.raises(DataFileError, match=r"cn-derived-2026\.toml.*transport\[0\].*source"):
        load_factor_pack(path)


@pytest.mark.parametrize(("country", "grid_g_per_kwh"), sorted(CORRIDOR_GRID_G_PER_KWH.items()))
def test_corridor_country_electric_rail_recomputed_from_its_inputs(
    cn: FactorPack, country: str, grid_g_per_kwh: float
) -> None:
    t = cn.transport[f"rail-electric-container-{country}"]
    grid = cn.energy[t.energy_factor_id or ""]
    assert grid.factor_wtw == pytest.approx(grid_g_per_kwh / 1000)
    assert (grid.scope, grid.factor_ttw) == ("co2e_lifecycle", 0.0)
    # e.g. Kazakhstan: 0.024 kWh/tkm x 0.83041 kg/kWh x 1000 g/kg = 19.93 g/tkm
    assert t.intensity_wtw == pytest.approx(0.024 * grid_g_per_kwh)
    assert t.intensity_ttw == 0.0
    assert t.provenance.confidence == "uncertain"


def test_corridor_grids_order_as_their_generation_mixes(cn: FactorPack) -> None:
    # same traction energy, so the trains rank as their grids: coal-heavy Kazakhstan above
    # Poland, Poland above gas- and nuclear-heavy Belarus and Russia
    wtw = {
        c: cn.transport[f"rail-electric-container-{c}"].intensity_wtw
        for c in CORRIDOR_GRID_G_PER_KWH
    }
    assert wtw["kz-2022"] > wtw["pl-2023"] > wtw["by-2022"] > wtw["ru-2022"]
    # every corridor electric train is above GLEC's EU container train (6.4 g/tkm, Table 5)
    eu = cn.transport["rail-electric-container-eu"].intensity_wtw
    assert min(wtw.values()) > eu
