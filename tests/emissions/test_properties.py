"""Invariants of the emissions formula (hypothesis, deterministic seed via the profile)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.emissions import (
    FactorPack,
    HubOperation,
    Leg,
    chain_emissions,
    hub_emissions_kg,
    leg_emissions_kg,
)
from freighthub.model.factors import load_factor_pack
from freighthub.vocabulary import DistanceType

PACK: FactorPack = load_factor_pack("glec-v3-2023")
TKM_IDS = sorted(k for k, v in PACK.transport.items() if v.unit.value == "gco2e_per_tkm")
TEU_IDS = sorted(k for k, v in PACK.transport.items() if v.unit.value == "gco2e_per_teukm")
HUB_T_IDS = sorted(k for k, v in PACK.hubs.items() if v.unit.value == "kgco2e_per_t")

mass = st.floats(0, 5_000, allow_nan=False, allow_infinity=False)
dist = st.floats(0, 20_000, allow_nan=False, allow_infinity=False)
factor = st.floats(0.01, 100, allow_nan=False, allow_infinity=False)
dtype = st.sampled_from(["shortest_feasible", "actual"])


def _basis_type(intensity_id: str) -> str:
    return PACK.transport[intensity_id].distance_basis[0].value


@settings(max_examples=200, derandomize=True)
@given(st.sampled_from(TKM_IDS), mass, dist, dtype)
def test_non_negative_and_wtw_at_least_ttw(iid: str, m: float, d: float, dt: str) -> None:
    if (
        dt not in {t.value for t in PACK.transport[iid].distance_basis}
        and PACK.transport[iid].mode.value != "road"
    ):
        dt = _basis_type(iid)  # only road has a DAF in the pack
    wtw, ttw = leg_emissions_kg(PACK, iid, m, d, dt)
    assert wtw >= 0
    if not math.isnan(ttw):
        assert 0 <= ttw <= wtw + 1e-9 * max(1.0, wtw)


@settings(max_examples=200, derandomize=True)
@given(st.sampled_from(TKM_IDS), mass, dist, factor)
def test_linear_in_mass_and_in_distance(iid: str, m: float, d: float, k: float) -> None:
    dt = _basis_type(iid)
    base, _ = leg_emissions_kg(PACK, iid, m, d, dt)
    scaled_m, _ = leg_emissions_kg(PACK, iid, m * k, d, dt)
    scaled_d, _ = leg_emissions_kg(PACK, iid, m, d * k, dt)
    assert scaled_m == pytest.approx(base * k, rel=1e-9, abs=1e-9)
    assert scaled_d == pytest.approx(base * k, rel=1e-9, abs=1e-9)


@settings(max_examples=100, derandomize=True)
@given(st.sampled_from(TKM_IDS), mass, dist, dist)
def test_additive_in_distance(iid: str, m: float, d1: float, d2: float) -> None:
    dt = _basis_type(iid)
    a, _ = leg_emissions_kg(PACK, iid, m, d1, dt)
    b, _ = leg_emissions_kg(PACK, iid, m, d2, dt)
    ab, _ = leg_emissions_kg(PACK, iid, m, d1 + d2, dt)
    assert ab == pytest.approx(a + b, rel=1e-9, abs=1e-9)


@settings(max_examples=100, derandomize=True)
@given(st.sampled_from(HUB_T_IDS), mass, factor)
def test_hub_linear_in_mass(hid: str, m: float, k: float) -> None:
    a, _ = hub_emissions_kg(PACK, hid, m)
    b, _ = hub_emissions_kg(PACK, hid, m * k)
    assert a >= 0
    assert b == pytest.approx(a * k, rel=1e-9, abs=1e-9)


@settings(max_examples=100, derandomize=True)
@given(st.sampled_from(TEU_IDS), st.floats(0, 50, allow_nan=False), dist)
def test_forty_foot_box_counts_twice_a_twenty(iid: str, boxes: float, d: float) -> None:
    teu_per_40 = PACK.container_types["40ft"].teu_per_container
    teu_per_20 = PACK.container_types["20ft"].teu_per_container
    forty, _ = leg_emissions_kg(PACK, iid, None, d, teu=boxes * teu_per_40)
    twenty, _ = leg_emissions_kg(PACK, iid, None, d, teu=boxes * teu_per_20)
    assert forty == pytest.approx(2 * twenty, rel=1e-9, abs=1e-9)


@st.composite
def chains(draw: st.DrawFn) -> list[Leg | HubOperation]:
    n = draw(st.integers(1, 6))
    out: list[Leg | HubOperation] = []
    for i in range(n):
        if draw(st.booleans()):
            iid = draw(st.sampled_from(TKM_IDS))
            out.append(
                Leg(
                    f"leg-{i}",
                    iid,
                    draw(dist),
                    DistanceType(_basis_type(iid)),
                    mass_t=draw(mass),
                )
            )
        else:
            out.append(
                HubOperation(f"hub-{i}", draw(st.sampled_from(HUB_T_IDS)), mass_t=draw(mass))
            )
    return out


@settings(max_examples=100, deadline=None, derandomize=True)
@given(chains())
def test_chain_total_is_the_sum_of_its_elements(elements: list[Leg | HubOperation]) -> None:
    result = chain_emissions(PACK, elements)
    assert result.total_kgco2e_wtw == pytest.approx(
        sum(e.kgco2e_wtw for e in result.elements), rel=1e-12, abs=1e-9
    )
    ttws = [e.kgco2e_ttw for e in result.elements]
    if any(math.isnan(t) for t in ttws):
        assert math.isnan(result.total_kgco2e_ttw)
        assert result.ttw_unknown
    else:
        assert result.total_kgco2e_ttw == pytest.approx(sum(ttws), rel=1e-12, abs=1e-9)
        assert result.total_kgco2e_ttw <= result.total_kgco2e_wtw + 1e-9
    assert result.known_kgco2e_ttw <= result.total_kgco2e_wtw + 1e-9


def test_vectorised_equals_elementwise() -> None:
    rng = np.random.default_rng(20261129)
    m = rng.uniform(0, 40, 50)
    d = rng.uniform(0, 2000, 50)
    wtw, ttw = leg_emissions_kg(PACK, "rail-diesel-container-eu", m, d)
    for i in range(50):
        w, t = leg_emissions_kg(PACK, "rail-diesel-container-eu", float(m[i]), float(d[i]))
        assert wtw[i] == pytest.approx(w, rel=1e-12)
        assert ttw[i] == pytest.approx(t, rel=1e-12)
