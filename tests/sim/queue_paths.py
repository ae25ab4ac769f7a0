"""Sample-path identities of a FIFO pool, shared by the engine and baseline tests."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray


def assert_littles_law(arrived_h: NDArray[np.float64], start_h: NDArray[np.float64]) -> None:
    """L = lambda W on the sample path of one pool's queue, exact up to rounding.

    The area under the number-waiting curve, built from the jobs' arrival and start
    events, equals the sum of their waits. Jobs still waiting at the horizon are not in
    the arrays, so the path ends at the last start.
    """
    times = np.concatenate([arrived_h, start_h])
    steps = np.concatenate([np.ones(arrived_h.size), -np.ones(start_h.size)])
    order = np.lexsort((-steps, times))
    queue = np.cumsum(steps[order])
    assert queue.min() >= 0
    area = float(np.sum(queue[:-1] * np.diff(times[order])))
    span = float(times.max() - times.min())
    rate = arrived_h.size / span
    assert area / span == pytest.approx(rate * float(np.mean(start_h - arrived_h)), rel=1e-9)
