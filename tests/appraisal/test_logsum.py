"""``shift.logit.logsum``: analytic values and its link to consumer surplus."""

from __future__ import annotations

import math

import numpy as np
import pytest

from freighthub.shift.logit import logsum, multinomial_logit


def test_logsum_of_equal_utilities_is_log_n() -> None:
    assert logsum([0.0, 0.0, 0.0]) == pytest.approx(math.log(3.0), abs=1e-15)
    assert logsum([[1.0, 1.0], [2.0, -math.inf]]) == pytest.approx([1.0 + math.log(2.0), 2.0])


def test_logsum_is_stable_for_large_utilities() -> None:
    assert logsum([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert logsum([-1000.0, -1001.0]) == pytest.approx(-1000.0 + math.log1p(math.exp(-1.0)))


def test_gradient_of_logsum_is_the_choice_probability() -> None:
    # d logsum / d V_j = P_j (Williams-Daly-Zachary): a finite-difference check
    v = np.array([0.3, -1.2, 0.8])
    h = 1e-6
    grad = [(logsum(v + h * e) - logsum(v - h * e)) / (2 * h) for e in np.eye(3)]
    assert grad == pytest.approx(multinomial_logit(v), abs=1e-9)


def test_logsum_refuses_what_the_logit_refuses() -> None:
    with pytest.raises(ValueError, match="every alternative is unavailable"):
        logsum([-math.inf, -math.inf])
    with pytest.raises(ValueError, match="must be finite or -inf"):
        logsum([math.nan, 0.0])
