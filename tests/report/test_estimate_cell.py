"""The one rule for a simulated figure's cell: the mean, and its 95 % interval below it
("undefined" with fewer than two replications), used by the simulation, terminal and
scenario-comparison tables alike, and for the interval of a simulated hub value in the
compliance and assessment sections."""

from __future__ import annotations

import math

import pytest

from freighthub.evidence import SimulatedObservation
from freighthub.report.content import (
    Quantity,
    Text,
    estimate_cell,
    estimate_interval,
    estimate_mean,
    has_interval,
    interval_of,
)
from freighthub.sim.estimates import Estimate, estimate
from freighthub.units import KG_PER_T

#: Student t quantile t(0.975; 2 degrees of freedom), e.g. Law (2015), Table T.1: 4.303.
_T_975_2DF = 4.302652729911275


def _bounds(detail: object) -> tuple[Quantity, Quantity]:
    assert isinstance(detail, Text) and detail.key == "simulation.ci"
    low, high = detail.params["low"], detail.params["high"]
    assert isinstance(low, Quantity) and isinstance(high, Quantity)
    return low, high


def test_three_replications_give_the_mean_and_the_t_interval() -> None:
    cell = estimate_cell(estimate([1.0, 2.0, 3.0]), "teu", 0)
    assert cell.content == Quantity(2.0, "teu", 0)
    low, high = _bounds(cell.detail)
    half = _T_975_2DF * 1.0 / math.sqrt(3.0)  # sample standard deviation 1
    assert low.value == pytest.approx(2.0 - half) and high.value == pytest.approx(2.0 + half)
    assert low.unit == high.unit == ""  # the mean above names the unit


def test_one_replication_shows_the_mean_and_says_the_interval_is_undefined() -> None:
    cell = estimate_cell(estimate([5.0]), "h", 1)
    assert cell.content == Quantity(5.0, "h", 1)
    assert cell.detail == Text("value.undefined")
    assert estimate_interval(estimate([5.0]), "h", 1) == Text("value.undefined")


@pytest.mark.parametrize(
    "est", [None, estimate([]), estimate([math.nan, math.nan]), Estimate(math.nan, 0.0, 1.0, 2)]
)
def test_no_value_gives_an_undefined_cell_without_detail(est: Estimate | None) -> None:
    cell = estimate_cell(est, "teu", 0)
    assert cell.content == Text("value.undefined") and cell.detail is None


def test_scale_divides_mean_and_bounds() -> None:
    est = estimate([1000.0, 2000.0, 3000.0])
    cell = estimate_cell(est, "tco2e", 0, KG_PER_T)
    assert cell.content == Quantity(2.0, "tco2e", 0)
    low, high = _bounds(cell.detail)
    assert (low.value, high.value) == (est.ci95_low / KG_PER_T, est.ci95_high / KG_PER_T)


@pytest.mark.parametrize("unit", ["share", "share_pp"])
def test_percentage_bounds_carry_their_unit_and_differences_their_sign(unit: str) -> None:
    cell = estimate_cell(estimate([-0.02, 0.01, 0.04]), unit, 1, signed=True)
    assert cell.content == Quantity(0.01, unit, 1, signed=True)
    low, high = _bounds(cell.detail)
    assert low.unit == high.unit == unit and low.signed and high.signed
    assert low.value < 0.0 < high.value


def test_a_value_shown_in_its_own_way_keeps_the_one_interval_rule() -> None:
    est = estimate([1.0, 2.0, 3.0])
    shown = interval_of(est, lambda x: f"{x:.1f} min")
    assert isinstance(shown, Text) and shown.key == "simulation.ci"
    assert shown.params == {"low": f"{est.ci95_low:.1f} min", "high": f"{est.ci95_high:.1f} min"}
    assert interval_of(estimate([1.0]), str) == Text("value.undefined")
    assert has_interval(est) and not has_interval(estimate([1.0, math.nan]))


def test_the_mean_alone_follows_the_cell_rule() -> None:
    assert estimate_mean(estimate([2.0, 4.0]), "h", 1) == Quantity(3.0, "h", 1)
    assert estimate_mean(estimate([]), "h", 1) == Text("value.undefined")
    assert estimate_mean(None, "h", 1) == Text("value.undefined")


def test_simulated_evidence_reads_as_an_estimate() -> None:
    values = (1.0, math.nan, 3.0)
    est = estimate(list(values), "min")
    obs = SimulatedObservation(
        value=est.mean,
        replications=3,
        ci95_low=est.ci95_low,
        ci95_high=est.ci95_high,
        unit="min",
        replication_values=values,
    )
    assert obs.estimate == est  # n counts the replications with a value (2 of 3)
    assert estimate_interval(obs.estimate, "min", 1) == estimate_interval(est, "min", 1)
