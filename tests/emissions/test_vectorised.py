"""The vectorised entry points used by the simulation and the optimiser."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from freighthub.emissions import (
    EmissionsInputError,
    FactorPack,
    hub_category_ids,
    hub_emissions_kg,
    intensity_ids,
    leg_emissions_kg,
)
from freighthub.emissions.intensity import HubIntensityUnit
from freighthub.errors import UnknownIdentifierError


def test_scalar_leg_on_its_basis_has_no_daf(tiny_pack: FactorPack) -> None:
    # 10 t x 100 km x 10 g/tkm = 10,000 g = 10 kg; TTW 0 (electric)
    wtw, ttw = leg_emissions_kg(tiny_pack, "rail", 10.0, 100.0, "shortest_feasible")
    assert isinstance(wtw, float)
    assert wtw == pytest.approx(10.0)
    assert ttw == 0.0


def test_daf_applies_only_when_distance_type_differs(tiny_pack: FactorPack) -> None:
    same, _ = leg_emissions_kg(tiny_pack, "road", 1.0, 100.0, "actual")
    sfd, _ = leg_emissions_kg(tiny_pack, "road", 1.0, 100.0, "shortest_feasible")
    assert same == pytest.approx(10.0)
    assert sfd == pytest.approx(11.0)


def test_reverse_daf_divides(tiny_pack: FactorPack) -> None:
    # road intensity is on actual km; there is a DAF sfd->actual 1.1 but none for gcd
    with pytest.raises(EmissionsInputError, match="no distance adjustment factor for a road leg"):
        leg_emissions_kg(tiny_pack, "road", 1.0, 100.0, "great_circle")


def test_missing_rail_daf_is_an_error_and_user_daf_works(tiny_pack: FactorPack) -> None:
    with pytest.raises(EmissionsInputError, match="rail leg with distance type 'actual'"):
        leg_emissions_kg(tiny_pack, "rail", 1.0, 100.0, "actual")
    wtw, _ = leg_emissions_kg(
        tiny_pack, "rail", 1.0, 100.0, "actual", distance_adjustment_factor=0.9
    )
    assert wtw == pytest.approx(0.9)


def test_user_daf_on_matching_type_is_refused(tiny_pack: FactorPack) -> None:
    with pytest.raises(EmissionsInputError, match="not applicable"):
        leg_emissions_kg(
            tiny_pack, "rail", 1.0, 1.0, "shortest_feasible", distance_adjustment_factor=1.2
        )


def test_arrays_broadcast(tiny_pack: FactorPack) -> None:
    mass_t = np.array([1.0, 2.0, 3.0])
    wtw, ttw = leg_emissions_kg(tiny_pack, "road", mass_t, 100.0, "actual")
    np.testing.assert_allclose(wtw, [10.0, 20.0, 30.0])
    np.testing.assert_allclose(ttw, [8.0, 16.0, 24.0])
    wtw2, _ = leg_emissions_kg(tiny_pack, "road", mass_t, np.array([100.0, 50.0, 0.0]), "actual")
    np.testing.assert_allclose(wtw2, [10.0, 10.0, 0.0])


def test_unknown_ttw_is_nan_not_zero(tiny_pack: FactorPack) -> None:
    wtw, ttw = leg_emissions_kg(tiny_pack, "rail-wtw-only", 1.0, 1000.0)
    assert wtw == pytest.approx(20.0)
    assert math.isnan(ttw)


def test_teu_intensity_needs_teu_or_explicit_convention(tiny_pack: FactorPack) -> None:
    wtw, _ = leg_emissions_kg(tiny_pack, "ship", None, 1000.0, teu=2.0)
    assert wtw == pytest.approx(100.0)  # 2 TEU x 1000 km x 50 g
    with pytest.raises(EmissionsInputError, match="give tonnes_per_teu"):
        leg_emissions_kg(tiny_pack, "ship", 20.0, 1000.0)
    wtw_t, _ = leg_emissions_kg(tiny_pack, "ship", 20.0, 1000.0, tonnes_per_teu=10.0)
    assert wtw_t == pytest.approx(100.0)


def test_leg_takes_the_quantity_its_intensity_is_in(tiny_pack: FactorPack) -> None:
    # the caller gives the shipment (mass and TEU); the formula picks the intensity's unit
    mass_t = np.array([20.0, 5.0])
    teu = np.array([2.0, 1.0])
    per_tkm, _ = leg_emissions_kg(tiny_pack, "rail", mass_t, 100.0, teu=teu)
    np.testing.assert_allclose(per_tkm, [20.0, 5.0])  # t x 100 km x 10 g/tkm
    per_teukm, _ = leg_emissions_kg(tiny_pack, "ship", mass_t, 1000.0, teu=teu)
    np.testing.assert_allclose(per_teukm, [100.0, 50.0])  # TEU x 1000 km x 50 g/TEU-km
    # the quantity given is used as is even where a convention is also given
    same, _ = leg_emissions_kg(tiny_pack, "ship", 99.0, 1000.0, teu=2.0, tonnes_per_teu=10.0)
    assert same == pytest.approx(100.0)


def test_leg_missing_quantity_is_never_assumed(tiny_pack: FactorPack) -> None:
    with pytest.raises(
        EmissionsInputError,
        match=r"'rail' is gco2e_per_tkm but the leg gives teu, not mass_t: give mass_t, or give "
        r"tonnes_per_teu",
    ):
        leg_emissions_kg(tiny_pack, "rail", None, 100.0, teu=2.0)
    with pytest.raises(EmissionsInputError, match="give mass_t or teu"):
        leg_emissions_kg(tiny_pack, "road", None, 1.0, "actual")
    with pytest.raises(EmissionsInputError, match=r"teu = -1\.0: must be a finite number >= 0"):
        leg_emissions_kg(tiny_pack, "ship", 1.0, 1.0, teu=-1.0)


def _with_per_teu_hub(pack: FactorPack) -> FactorPack:
    per_box = pack.hubs["per-box"]
    per_teu = replace(
        per_box, id="per-teu", unit=HubIntensityUnit.KGCO2E_PER_TEU, intensity_wtw=4.0
    )
    return replace(pack, hubs={**pack.hubs, "per-teu": per_teu})


def test_hub_takes_the_quantity_its_intensity_is_in(tiny_pack: FactorPack) -> None:
    pack = _with_per_teu_hub(tiny_pack)
    mass_t, teu, boxes = np.array([20.0, 8.0]), np.array([2.0, 1.0]), np.array([1.0, 1.0])
    by_t, _ = hub_emissions_kg(pack, "per-t", mass_t, teu=teu, boxes=boxes)
    np.testing.assert_allclose(by_t, [10.0, 4.0])  # t x 0.5 kg/t
    by_teu, _ = hub_emissions_kg(pack, "per-teu", mass_t, teu=teu, boxes=boxes)
    np.testing.assert_allclose(by_teu, [8.0, 4.0])  # TEU x 4 kg/TEU
    by_box, _ = hub_emissions_kg(pack, "per-box", mass_t, teu=teu, boxes=boxes)
    np.testing.assert_allclose(by_box, [10.0, 10.0])  # boxes x 10 kg/box


def test_hub_missing_quantity_is_never_assumed(tiny_pack: FactorPack) -> None:
    pack = _with_per_teu_hub(tiny_pack)
    with pytest.raises(
        EmissionsInputError,
        match=r"'per-box' is kgco2e_per_container: give boxes, not mass_t or teu",
    ):
        hub_emissions_kg(pack, "per-box", 10.0, teu=1.0)
    with pytest.raises(
        EmissionsInputError, match=r"'per-teu' is kgco2e_per_teu: give teu, not boxes"
    ):
        hub_emissions_kg(pack, "per-teu", boxes=1.0)
    with pytest.raises(
        EmissionsInputError,
        match=r"'per-teu' is kgco2e_per_teu but mass_t is given, not teu: give teu, or give "
        r"tonnes_per_teu",
    ):
        hub_emissions_kg(pack, "per-teu", 10.0, boxes=1.0)
    wtw, _ = hub_emissions_kg(pack, "per-teu", 10.0, tonnes_per_teu=5.0)
    assert wtw == pytest.approx(8.0)  # 10 t / 5 t/TEU x 4 kg/TEU
    with pytest.raises(EmissionsInputError, match="give mass_t or teu or boxes"):
        hub_emissions_kg(pack, "per-t")


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_negative_or_non_finite_inputs_are_refused(tiny_pack: FactorPack, bad: float) -> None:
    with pytest.raises(
        EmissionsInputError, match=r"distance_km = .*: must be a finite number >= 0"
    ):
        leg_emissions_kg(tiny_pack, "rail", 1.0, np.array([1.0, bad]))
    with pytest.raises(EmissionsInputError, match=r"mass_t = .*: must be a finite number >= 0"):
        hub_emissions_kg(tiny_pack, "per-t", bad)


def test_unknown_ids_list_the_valid_ones(tiny_pack: FactorPack) -> None:
    with pytest.raises(
        UnknownIdentifierError, match=r"unknown transport intensity .*'rial'; valid: rail"
    ):
        leg_emissions_kg(tiny_pack, "rial", 1.0, 1.0)
    with pytest.raises(UnknownIdentifierError, match="valid: per-box, per-t, per-t-split"):
        hub_emissions_kg(tiny_pack, "nope", 1.0)


def test_id_lookups_by_mode(tiny_pack: FactorPack) -> None:
    assert intensity_ids(tiny_pack, "rail") == ["rail", "rail-wtw-only"]
    assert intensity_ids(tiny_pack) == ["rail", "rail-wtw-only", "road", "ship"]
    assert hub_category_ids(tiny_pack) == ["per-box", "per-t", "per-t-split"]
    with pytest.raises(UnknownIdentifierError, match="unknown mode 'train'"):
        intensity_ids(tiny_pack, "train")


def test_hub_units(tiny_pack: FactorPack) -> None:
    wtw, ttw = hub_emissions_kg(tiny_pack, "per-t-split", np.array([10.0, 0.0]))
    np.testing.assert_allclose(wtw, [20.0, 0.0])
    np.testing.assert_allclose(ttw, [15.0, 0.0])
    wtw_box, ttw_box = hub_emissions_kg(tiny_pack, "per-box", boxes=3)
    assert wtw_box == pytest.approx(30.0)
    assert math.isnan(ttw_box)
    with pytest.raises(EmissionsInputError, match="is kgco2e_per_container: give boxes, not teu"):
        hub_emissions_kg(tiny_pack, "per-box", teu=3)
    with pytest.raises(EmissionsInputError, match="give tonnes_per_teu to convert"):
        hub_emissions_kg(tiny_pack, "per-t", teu=3)
    wtw_teu, _ = hub_emissions_kg(tiny_pack, "per-t", teu=3, tonnes_per_teu=10.0)
    assert wtw_teu == pytest.approx(15.0)
