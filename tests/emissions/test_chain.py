"""Chain elements, units, energy-based intensities."""

from __future__ import annotations

import math

import pytest

from freighthub.emissions import (
    EmissionsInputError,
    FactorPack,
    HubOperation,
    Leg,
    chain_emissions,
)
from freighthub.emissions.energy import hub_intensity_from_energy, vehicle_intensity_from_energy
from freighthub.emissions.intensity import EmptyRunningConvention, energy_factor
from freighthub.model.factors import load_factor_pack
from freighthub.vocabulary import DistanceType, Mode


@pytest.fixture(scope="module")
def glec() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


def test_chain_totals_and_intensities(tiny_pack: FactorPack) -> None:
    chain = [
        Leg("a", "road", 100.0, DistanceType.ACTUAL, mass_t=10.0),  # 100 kg WTW, 80 TTW
        HubOperation("h", "per-t-split", mass_t=10.0),  # 20 kg WTW, 15 TTW
        Leg("b", "rail", 900.0, mass_t=10.0),  # 90 kg WTW, 0 TTW
    ]
    r = chain_emissions(tiny_pack, chain)
    assert r.total_kgco2e_wtw == pytest.approx(210.0)
    assert r.total_kgco2e_ttw == pytest.approx(95.0)
    assert r.total_kgco2e_wtt == pytest.approx(115.0)
    assert r.transport_activity_tkm == pytest.approx(10_000.0)
    assert r.intensity_gco2e_per_tkm_wtw == pytest.approx(21.0)
    assert r.intensity_gco2e_per_teukm_wtw is None  # TEU unknown
    assert r.ttw_unknown == ()


def test_unknown_ttw_propagates_as_nan(tiny_pack: FactorPack) -> None:
    r = chain_emissions(
        tiny_pack, [Leg("a", "rail", 100.0, mass_t=1.0), HubOperation("h", "per-t", mass_t=1.0)]
    )
    assert math.isnan(r.total_kgco2e_ttw)
    assert r.ttw_unknown == ("h",)
    assert r.known_kgco2e_ttw == 0.0


def test_mass_and_teu_both_given_use_the_intensity_unit(tiny_pack: FactorPack) -> None:
    # 36 t in 4 TEU: the per-TEU-km ship uses TEU, the per-tkm rail uses tonnes
    r = chain_emissions(
        tiny_pack,
        [
            Leg("ship", "ship", 1000.0, mass_t=36.0, teu=4.0),
            Leg("rail", "rail", 1000.0, mass_t=36.0, teu=4.0),
        ],
    )
    assert r.elements[0].kgco2e_wtw == pytest.approx(4 * 1000 * 50 / 1000)
    assert r.elements[1].kgco2e_wtw == pytest.approx(36 * 1000 * 10 / 1000)
    assert r.transport_activity_teukm == pytest.approx(8000.0)


def test_hub_per_box_uses_boxes(tiny_pack: FactorPack) -> None:
    r = chain_emissions(tiny_pack, [HubOperation("h", "per-box", mass_t=36.0, teu=4.0, boxes=2)])
    assert r.elements[0].kgco2e_wtw == pytest.approx(20.0)
    assert r.elements[0].hub_activity_unit == "boxes"


def test_errors_name_the_element(tiny_pack: FactorPack) -> None:
    with pytest.raises(EmissionsInputError, match="leg 'x': no distance adjustment factor"):
        chain_emissions(tiny_pack, [Leg("x", "rail", 1.0, DistanceType.ACTUAL, mass_t=1.0)])
    with pytest.raises(
        EmissionsInputError, match="leg 'x': mode 'sea' differs from the mode 'rail'"
    ):
        chain_emissions(tiny_pack, [Leg("x", "rail", 1.0, mass_t=1.0, mode=Mode.SEA)])
    with pytest.raises(
        EmissionsInputError, match=r"hub operation 'h': .*give mass_t or teu or boxes"
    ):
        chain_emissions(tiny_pack, [HubOperation("h", "per-t")])
    with pytest.raises(EmissionsInputError, match="element id 'x' is used twice"):
        chain_emissions(
            tiny_pack, [Leg("x", "rail", 1.0, mass_t=1.0), Leg("x", "rail", 1.0, mass_t=1.0)]
        )
    with pytest.raises(EmissionsInputError, match="at least one element"):
        chain_emissions(tiny_pack, [])


def test_vehicle_round_trip_allocation_conventions_agree(glec: FactorPack) -> None:
    """EcoTransIT 2010 Table 11: truck LF 60%, ET 20% per loaded km -> CU = 0.6/1.2 = 50%.

    The same empty running as a share of total km is 0.2/1.2 = 1/6; both conventions
    must give the same intensity, equal to energy/vkm x factor / (capacity x CU).
    """
    diesel = energy_factor(glec, "diesel-eu-per-l")
    per_loaded = vehicle_intensity_from_energy(
        0.30, diesel, 25.0, 0.6, 0.2, EmptyRunningConvention.PER_LOADED_KM
    )
    share_total = vehicle_intensity_from_energy(
        0.30, diesel, 25.0, 0.6, 0.2 / 1.2, EmptyRunningConvention.SHARE_OF_TOTAL_KM
    )
    expected = 0.30 * diesel.factor_wtw * 1000 / (25.0 * 0.5)
    assert per_loaded[0] == pytest.approx(expected, rel=1e-12)
    assert share_total[0] == pytest.approx(expected, rel=1e-12)
    assert per_loaded[1] < per_loaded[0]


def test_vehicle_intensity_refuses_unstated_convention(glec: FactorPack) -> None:
    diesel = energy_factor(glec, "diesel-eu-per-l")
    with pytest.raises(EmissionsInputError, match="convention = 'not_stated'"):
        vehicle_intensity_from_energy(0.3, diesel, 25, 0.6, 0.2, "not_stated")
    with pytest.raises(EmissionsInputError, match=r"empty_running_share = 1\.0: must be < 1"):
        vehicle_intensity_from_energy(0.3, diesel, 25, 0.6, 1.0, "share_of_total_km")
    with pytest.raises(EmissionsInputError, match=r"load_factor_share = 1\.5: must be <= 1"):
        vehicle_intensity_from_energy(0.3, diesel, 25, 1.5, 0.2, "per_loaded_km")


def test_hub_intensity_from_energy_electricity_has_no_ttw(glec: FactorPack) -> None:
    grid = energy_factor(glec, "grid-cn-2023-footprint")
    wtw, ttw = hub_intensity_from_energy([(1000.0, grid)], 500.0)  # 1,000 kWh for 500 t
    assert wtw == pytest.approx(1000 * grid.factor_wtw / 500)
    assert ttw == 0.0
