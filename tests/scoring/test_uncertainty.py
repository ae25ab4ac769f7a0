"""Plausible ranges, the data sampler and the ranking-uncertainty policy file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.methods import load_ranking_uncertainty
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.matrix import DecisionMatrix, DecisionMatrixError
from freighthub.scoring.uncertainty import DataSampler, DataUncertainty, plausible_range
from freighthub.vocabulary import Confidence

OBS, A, M, NA = (
    DataStatus.OBSERVED,
    DataStatus.ASSUMED,
    DataStatus.MISSING,
    DataStatus.NOT_APPLICABLE,
)
POLICY = DataUncertainty(
    relative_half_width={"assumption": 0.3, "verified": 0.0}, degenerate_relative_half_width=0.5
)


def test_plausible_range() -> None:
    assert plausible_range([3.0, 7.0], [5.0], 0.5) == (3.0, 7.0)
    assert plausible_range([3.0], [10.0], 0.5) == (3.0, 10.0)  # a threshold widens it
    assert plausible_range([4.0], [], 0.5) == (2.0, 6.0)  # one value: +-50 %
    assert plausible_range([0.0], [], 0.5) == (-0.5, 0.5)
    with pytest.raises(DecisionMatrixError, match="no value and no threshold"):
        plausible_range([], [], 0.5)


def matrix() -> DecisionMatrix:
    # benefit column b, cost column c
    return DecisionMatrix(
        ("x", "y", "z"),
        ("b", "c"),
        np.array([[100.0, 10.0], [math.nan, 20.0], [50.0, math.nan]]),
        (True, False),
    )


def test_sampler_point_and_ranges() -> None:
    status = [[OBS, A], [M, OBS], [OBS, NA]]
    conf = [[Confidence.VERIFIED, Confidence.ASSUMPTION], [None, None], [None, None]]
    s = DataSampler.build(matrix(), status, conf, POLICY, anchors={"c": (15.0,)})
    # b: benefit, span of 100, 50 and 0 -> [0, 100]; y's missing b at the middle
    assert s.low[0] == 0.0 and s.high[0] == 100.0
    assert s.point.values[1, 0] == 50.0 and s.missing[1, 0]
    # c: cost, span of 10, 20 and the threshold 15 -> [10, 20]; z not applicable -> worst 20
    assert (s.low[1], s.high[1]) == (10.0, 20.0)
    assert s.point.values[2, 1] == 20.0 and not s.missing[2, 1]
    assert s.worst.tolist() == [0.0, 20.0]
    # x's assumed cost is perturbed by +-30 %, its verified benefit not; unlabelled: 0 here
    assert s.half_width[0, 1] == 0.3 and s.half_width[0, 0] == 0.0
    worst = DataSampler.build(matrix(), status, conf, POLICY, fill="worst")
    assert worst.point.values[1, 0] == 0.0


def test_samples_stay_in_range_and_are_reproducible() -> None:
    status = [[OBS, A], [M, OBS], [OBS, NA]]
    conf = [[Confidence.VERIFIED, Confidence.ASSUMPTION], [None, None], [None, None]]
    s = DataSampler.build(matrix(), status, conf, POLICY)
    rng = np.random.default_rng(5)
    draws = np.array([s.sample(rng) for _ in range(2000)])
    assert draws[:, 1, 0].min() >= 0.0 and draws[:, 1, 0].max() <= 100.0
    assert draws[:, 1, 0].mean() == pytest.approx(50.0, abs=2.0)  # uniform over [0, 100]
    assert draws[:, 0, 1].min() >= 7.0 and draws[:, 0, 1].max() <= 13.0  # 10 +- 30 %
    assert np.all(draws[:, 0, 0] == 100.0) and np.all(draws[:, 2, 1] == 20.0)
    again = np.array([s.sample(np.random.default_rng(5)) for _ in range(1)])
    assert np.array_equal(again[0], draws[0])


def test_discrete_criterion_is_a_coin() -> None:
    m = DecisionMatrix(("x", "y"), ("ok",), np.array([[1.0], [math.nan]]), (True,))
    s = DataSampler.build(m, [[OBS], [M]], [[None], [None]], POLICY, discrete=("ok",))
    rng = np.random.default_rng(0)
    values = {float(s.sample(rng)[1, 0]) for _ in range(50)}
    assert values == {0.0, 1.0}


def test_policy_errors() -> None:
    with pytest.raises(DecisionMatrixError, match="min_observed = -1"):
        DataUncertainty(min_observed=-1)
    with pytest.raises(DecisionMatrixError, match=r"relative_half_width\['assumption'\] = 1.0"):
        DataUncertainty(relative_half_width={"assumption": 1.0})
    with pytest.raises(DecisionMatrixError, match=r"ranges\['b'\] = \(5, 1\)"):
        DataUncertainty(ranges={"b": (5, 1)})
    with pytest.raises(DecisionMatrixError, match="degenerate_relative_half_width = 0"):
        DataUncertainty(degenerate_relative_half_width=0)


def test_shipped_policy_file_is_labelled_assumption() -> None:
    p = load_ranking_uncertainty()
    assert p.min_observed == 1 and p.benefit_from_zero
    assert p.half_width(Confidence.ASSUMPTION) == 0.3 and p.half_width(None) == 0.15
    assert "assumptions: min_observed, relative_half_width" in p.source


def test_policy_file_errors(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "standards/methods/ranking-uncertainty.toml"
    text = shipped.read_text(encoding="utf-8")
    bad = tmp_path / "u.toml"
    bad.write_text(text.replace("assumption = 0.3", "guess = 0.3"), encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"u\.toml: relative_half_width\.values.*unknown label 'guess'"
    ):
        load_ranking_uncertainty(bad)
    bad.write_text(
        text + '\n[ranges.x]\nmin = 5\nmax = 1\nsource = "s"\nconfidence = "assumption"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"u\.toml: ranges\.x.*min 5 must be < max 1"):
        load_ranking_uncertainty(bad)
