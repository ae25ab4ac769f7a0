"""Erlang C formulas against closed forms that follow from them by hand."""

from __future__ import annotations

import math

import pytest

from freighthub.sim.queueing import erlang_c, mmc_mean_wait_h, mmc_utilisation_share


@pytest.mark.parametrize(("lam", "mu"), [(1.0, 2.0), (16.0, 20.0), (0.3, 0.31)])
def test_single_server_is_mm1(lam: float, mu: float) -> None:
    # M/M/1: P(wait) = ρ and Wq = ρ / (μ - λ) (Gross et al. 2008, chapter 2).
    rho = lam / mu
    assert erlang_c(lam, mu, 1) == pytest.approx(rho, rel=1e-12)
    assert mmc_mean_wait_h(lam, mu, 1) == pytest.approx(rho / (mu - lam), rel=1e-12)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.8, 0.99])
def test_two_servers_closed_form(rho: float) -> None:
    # M/M/2: C = 2ρ² / (1 + ρ), from the Erlang C formula with c = 2 by algebra.
    mu = 3.0
    lam = 2 * mu * rho
    assert erlang_c(lam, mu, 2) == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-12)


def test_direct_formula_for_many_servers() -> None:
    # The stable recursion equals the textbook sum for a case where the sum is exact enough.
    lam, mu, c = 85.0, 20.0, 5
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    direct = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert erlang_c(lam, mu, c) == pytest.approx(direct, rel=1e-12)
    assert mmc_mean_wait_h(lam, mu, c) == pytest.approx(direct / (c * mu - lam), rel=1e-12)
    assert mmc_utilisation_share(lam, mu, c) == pytest.approx(0.85)


def test_large_server_count_is_finite() -> None:
    # 500 servers overflow a!/k! sums in floating point; the recursion must not.
    value = erlang_c(490.0, 1.0, 500)
    assert 0.0 < value < 1.0


@pytest.mark.parametrize(
    ("lam", "mu", "c", "match"),
    [
        (1.0, 1.0, 0, "servers = 0: must be >= 1"),
        (0.0, 1.0, 1, "arrival_rate_per_h = 0.0: must be > 0"),
        (1.0, -1.0, 1, "service_rate_per_h = -1.0: must be > 0"),
        (2.0, 1.0, 2, "utilisation .* = 1: must be < 1"),
    ],
)
def test_errors(lam: float, mu: float, c: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        erlang_c(lam, mu, c)
    with pytest.raises(ValueError, match=match):
        mmc_mean_wait_h(lam, mu, c)
