"""Multinomial and nested logit, generalised cost, calibration of constants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from freighthub.shift.logit import (
    Nest,
    calibrate_constants,
    generalised_cost,
    multinomial_logit,
    nested_logit,
)

utilities = arrays(np.float64, st.integers(2, 6), elements=st.floats(-20, 20))


def test_binary_logit_is_the_logistic_function() -> None:
    # Ben-Akiva & Lerman (1985), eq. 4.30: P1 = 1 / (1 + exp(-(V1 - V2)))
    p = multinomial_logit([0.3, -0.9])
    assert p[0] == pytest.approx(1 / (1 + math.exp(-1.2)), rel=1e-14)


def test_hand_computed_nested_logit() -> None:
    # Road alone (λ = 1), rail and barge in an intermodal nest (λ = 0.5).
    v = np.array([-1.0, -2.0, -1.5])
    i_im = math.log(math.exp(-2.0 / 0.5) + math.exp(-1.5 / 0.5))
    p_im = math.exp(0.5 * i_im) / (math.exp(-1.0) + math.exp(0.5 * i_im))
    p_rail = p_im * math.exp(-4.0) / (math.exp(-4.0) + math.exp(-3.0))
    nests = [Nest("road", (0,), 1.0), Nest("intermodal", (1, 2), 0.5)]
    p = nested_logit(v, nests)
    assert p[0] == pytest.approx(1 - p_im, rel=1e-13)
    assert p[1] == pytest.approx(p_rail, rel=1e-13)


@given(utilities)
def test_probabilities_sum_to_one_and_show_iia(v: np.ndarray) -> None:
    p = multinomial_logit(v)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert (p >= 0).all()
    # independence of irrelevant alternatives: odds depend only on the two utilities
    if p[0] > 1e-300 and p[1] > 1e-300:
        assert math.log(p[0] / p[1]) == pytest.approx(v[0] - v[1], abs=1e-8)


@given(utilities)
def test_nested_logit_with_unit_scales_is_multinomial(v: np.ndarray) -> None:
    n = v.shape[0]
    nests = [Nest("a", tuple(range(n // 2)), 1.0), Nest("b", tuple(range(n // 2, n)), 1.0)]
    if not nests[0].members:
        nests = [nests[1]]
    np.testing.assert_allclose(nested_logit(v, nests), multinomial_logit(v), atol=1e-12)


@given(utilities, st.floats(0.05, 1.0), st.integers(0, 5), st.floats(0.01, 5.0))
def test_better_alternative_gains_share_and_others_lose(
    v: np.ndarray, scale: float, which: int, gain: float
) -> None:
    n = v.shape[0]
    j = which % n
    nests = [Nest("road", (0,), 1.0), Nest("intermodal", tuple(range(1, n)), scale)]
    for probs in (lambda u: multinomial_logit(u), lambda u: nested_logit(u, nests)):
        before = probs(v)
        better = v.copy()
        better[j] += gain
        after = probs(better)
        assert after.sum() == pytest.approx(1.0, abs=1e-12)
        assert after[j] >= before[j] - 1e-12
        others = [k for k in range(n) if k != j]
        assert (after[others] <= before[others] + 1e-12).all()


def test_unavailable_alternative_gets_zero() -> None:
    p = multinomial_logit([0.0, -np.inf, 1.0])
    assert p[1] == 0.0
    p = nested_logit([0.0, -np.inf, -np.inf], [Nest("r", (0,), 1.0), Nest("im", (1, 2), 0.5)])
    np.testing.assert_allclose(p, [1.0, 0.0, 0.0])


def test_carbon_price_raises_the_cost_of_the_dirtier_alternative_more() -> None:
    road, rail = generalised_cost(
        price_cny_per_teu=[3000.0, 2500.0],
        duration_h=[30.0, 60.0],
        emissions_tco2e_per_teu=[1.2, 0.3],
        value_of_time_cny_per_teu_h=10.0,
        carbon_price_cny_per_tco2e=100.0,
    )
    assert road == pytest.approx(3000 + 300 + 120)
    assert rail == pytest.approx(2500 + 600 + 30)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, 4, elements=st.floats(-5, 5)),
    arrays(np.float64, 4, elements=st.floats(0.05, 1.0)),
    st.floats(0.1, 1.0),
)
def test_calibration_reproduces_the_base_split(
    v: np.ndarray, raw: np.ndarray, scale: float
) -> None:
    target = raw / raw.sum()
    for nests in (None, [Nest("road", (0,), 1.0), Nest("intermodal", (1, 2, 3), scale)]):
        asc, residual = calibrate_constants(v, target, nests)
        assert residual <= 1e-12
        assert asc[0] == 0.0
        p = multinomial_logit(v + asc) if nests is None else nested_logit(v + asc, nests)
        np.testing.assert_allclose(p, target, atol=1e-11)


def test_calibration_with_a_zero_share_marks_it_unavailable() -> None:
    asc, _ = calibrate_constants([0.0, -1.0, -2.0], [0.6, 0.4, 0.0])
    assert np.isneginf(asc[2])
    np.testing.assert_allclose(
        multinomial_logit(np.array([0.0, -1.0, -2.0]) + asc), [0.6, 0.4, 0.0]
    )


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: multinomial_logit([np.nan, 0.0]), r"utility: must be finite"),
        (lambda: multinomial_logit([-np.inf, -np.inf]), r"every alternative is unavailable"),
        (lambda: Nest("im", (1, 2), 1.5), r"nest 'im': scale = 1\.5: must be in \(0, 1\]"),
        (lambda: Nest("im", (), 0.5), r"nest 'im': members: must not be empty"),
        (
            lambda: nested_logit([0.0, 1.0, 2.0], [Nest("a", (0, 1), 1.0)]),
            r"must list each of the 3",
        ),
        (lambda: calibrate_constants([0.0, 1.0], [0.7, 0.4]), r"must be >= 0 and sum to 1"),
        (lambda: calibrate_constants([0.0, 1.0], [0.0, 1.0]), r"reference = 0: its target share"),
        (lambda: calibrate_constants([0.0, 1.0], [0.5, 0.5, 0.0]), r"shape \(3,\) must equal"),
        (lambda: generalised_cost(1.0, 1.0, 1.0, -1.0), r"value_of_time_cny_per_teu_h = -1\.0"),
        (lambda: generalised_cost(1.0, 1.0, 1.0, 1.0, -5.0), r"carbon_price_cny_per_tco2e = -5\.0"),
    ],
)
def test_errors_name_the_bad_input(call: object, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        call()  # type: ignore[operator]
