"""The handling draws as ragged visit rows (Arrivals.visit_handling_u, issue #20)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from freighthub.sim import engine, reference
from freighthub.sim.arrival_rows import take, visit_draws
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import Arrivals, CompiledNetwork, visit_offsets
from freighthub.sim.streams import stream
from freighthub.sim.synthetic import SyntheticParameters, SyntheticTerminal, synthetic_network

SMALL = SyntheticParameters(
    n_hubs=6, n_od=14, teu_per_year=1.0e5, horizon_h=24 * 10.0, seed=4, box_40ft_share=0.3
)


def _matrix(network: CompiledNetwork, arr: Arrivals, seed: int, replication: int) -> np.ndarray:
    """The ``(n, max_visits)`` matrix drawn before issue #20: column k of an OD's boxes
    (in arrival order) from its ``"handling"`` stream k, for every box."""
    out = np.full((arr.n, network.routes.max_visits), np.nan)
    for od in range(network.demand.n):
        mine = np.flatnonzero(arr.od == od)  # (time order = the OD's arrival order)
        for k in range(out.shape[1]):
            key = network.demand.ids[od]
            out[mine, k] = stream(seed, replication, key, "handling", k).random(mine.size)
    return out


@pytest.mark.parametrize("terminal", [None, SyntheticTerminal()], ids=["plain", "terminal"])
def test_rows_are_the_matrix_cells_of_the_routes_visits(terminal: SyntheticTerminal) -> None:
    network = synthetic_network(dataclasses.replace(SMALL, terminal=terminal))
    arr = generate_arrivals(network, 5, replication=2)
    visits = np.diff(network.routes.visit_start)
    assert visits.max() > visits.min()  # (routes of different lengths: a ragged layout)
    np.testing.assert_array_equal(arr.visits_per_route, visits)
    np.testing.assert_array_equal(arr.visit_offset, visit_offsets(visits, arr.route))
    matrix = _matrix(network, arr, 5, 2)
    np.testing.assert_array_equal(arr.visit_handling_u, visit_draws(matrix, visits, arr.route))


def test_take_keeps_each_boxs_draws_and_the_engines_agree_on_a_window() -> None:
    network = synthetic_network(dataclasses.replace(SMALL, terminal=SyntheticTerminal()))
    arr = generate_arrivals(network, 6)
    matrix = _matrix(network, arr, 6, 0)
    keep = arr.time_h < 24 * 3.0
    short = take(arr, keep)
    assert short.n == int(keep.sum())
    np.testing.assert_array_equal(short.time_h, arr.time_h[keep])
    np.testing.assert_array_equal(
        short.visit_handling_u, visit_draws(matrix[keep], arr.visits_per_route, arr.route[keep])
    )
    assert arr.terminal is not None and short.terminal is not None
    np.testing.assert_array_equal(short.terminal.gate_u, arr.terminal.gate_u[keep])
    np.testing.assert_array_equal(short.terminal.yard_u, arr.terminal.yard_u[keep])
    picked = np.array([7, 2, 2, 0])  # indices, in the order given (repeats allowed)
    np.testing.assert_array_equal(
        take(arr, picked).visit_handling_u,
        visit_draws(matrix[picked], arr.visits_per_route, arr.route[picked]),
    )
    window = dataclasses.replace(network, horizon_h=24 * 3.0, warmup_h=0.0)
    fast, slow = engine.run(window, short), reference.run(window, short)
    np.testing.assert_allclose(fast.delivered_h, slow.delivered_h, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.visit_handling_h, slow.visit_handling_h, rtol=1e-12)


def test_rows_must_fit_the_layout() -> None:
    network = synthetic_network(SMALL)
    arr = generate_arrivals(network, 1)
    with pytest.raises(ValueError, match=r"arrivals\.visit_handling_u has \d+ rows"):
        dataclasses.replace(arr, visit_handling_u=arr.visit_handling_u[:-1])
