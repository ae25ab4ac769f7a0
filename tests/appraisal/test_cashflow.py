"""Discounted cash-flow measures: analytic results and invariants."""

from __future__ import annotations

import math

import pytest

from freighthub.appraisal.cashflow import (
    benefit_cost_ratio,
    discount_factors,
    discounted_payback_index,
    internal_rates_of_return,
    net_present_value,
)


def test_one_period_irr_is_the_return() -> None:
    # -100 now, +110 in a year: the NPV is zero at exactly 10 %.
    irr = internal_rates_of_return([-100.0, 110.0], [0, 1])
    assert irr.unique == pytest.approx(0.10, abs=1e-12)
    assert irr.reason == ""


def test_two_sign_changes_give_two_rates_and_no_single_irr() -> None:
    # -100, +230, -132 = -(1 - 1.1 x)(... ): NPV zero at 10 % and at 20 % (x = 1/(1+r)).
    irr = internal_rates_of_return([-100.0, 230.0, -132.0], [0, 1, 2])
    assert irr.unique is None
    assert irr.rates == pytest.approx((0.10, 0.20), abs=1e-12)
    assert "no single IRR" in irr.reason


@pytest.mark.parametrize(
    ("net", "why"),
    [
        ([100.0, 50.0], "every net flow is positive"),
        ([-100.0, -50.0], "every net flow is negative"),
        ([0.0, 0.0], "every net flow is zero"),
    ],
)
def test_no_irr_when_the_npv_never_crosses_zero(net: list[float], why: str) -> None:
    irr = internal_rates_of_return(net, [0, 1])
    assert irr.rates == ()
    assert why in irr.reason


def test_irr_zeroes_the_npv() -> None:
    net = [-1000.0, -500.0, 300.0, 400.0, 500.0, 600.0]
    offsets = list(range(6))
    irr = internal_rates_of_return(net, offsets).unique
    assert irr is not None
    assert abs(net_present_value(net, offsets, irr)) < 1e-9


def test_bcr_and_npv_agree() -> None:
    b, c, t = [0.0, 60.0, 60.0], [100.0, 5.0, 5.0], [0, 1, 2]
    npv = net_present_value([x - y for x, y in zip(b, c, strict=True)], t, 0.05)
    bcr = benefit_cost_ratio(b, c, t, 0.05)
    assert bcr is not None
    pv_c = math.fsum(x * f for x, f in zip(c, discount_factors(0.05, t), strict=True))
    assert npv == pytest.approx((bcr - 1.0) * pv_c, rel=1e-12)
    assert benefit_cost_ratio([1.0], [0.0], [0], 0.05) is None


def test_discount_rate_of_minus_100_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a finite number > -1"):
        discount_factors(-1.0, [0, 1])


def test_payback_is_the_year_the_cumulative_turns_non_negative() -> None:
    assert discounted_payback_index([-100.0, 60.0, 60.0], [0, 1, 2], 0.0) == 2
    assert discounted_payback_index([-100.0, 10.0], [0, 1], 0.0) is None
    # a later dip below zero moves the payback to after the dip
    assert discounted_payback_index([-10.0, 20.0, -20.0, 30.0], [0, 1, 2, 3], 0.0) == 3
