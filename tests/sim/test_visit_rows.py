"""The ragged layout of the per-visit results (EngineResult.visit_offset, issue #20)."""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim import engine
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import visit_column, visit_offsets, visit_rows
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network


def test_rows_offsets_and_columns_by_hand() -> None:
    per_route = np.array([0, 2, 4])
    route = np.array([2, 0, 1, 2])
    offset = visit_offsets(per_route, route)
    np.testing.assert_array_equal(offset, [0, 4, 4, 6, 10])
    nan = np.nan
    matrix = np.array(
        [[1.0, 2.0, 3.0, 4.0], [nan, nan, nan, nan], [5.0, 6.0, nan, nan], [7.0, 8.0, 9.0, 10.0]]
    )
    rows = visit_rows(matrix, offset)
    np.testing.assert_array_equal(rows, np.arange(1.0, 11.0))
    np.testing.assert_array_equal(visit_column(rows, offset, 0), [1.0, nan, 5.0, 7.0])
    np.testing.assert_array_equal(visit_column(rows, offset, 3), [4.0, nan, nan, 10.0])
    np.testing.assert_array_equal(visit_column(rows, offset, 4), [nan, nan, nan, nan])


def test_engine_rows_follow_the_assigned_routes_and_match_the_matrix() -> None:
    p = SyntheticParameters(
        n_hubs=6, n_od=14, teu_per_year=2.0e5, horizon_h=24 * 20.0, seed=4,
        yard_capacity_teu=40.0, box_40ft_share=0.3, yard_full_policy="divert_road",
    )  # fmt: skip
    network = synthetic_network(p)
    arrivals = generate_arrivals(network, 3)
    result = engine.run(network, arrivals)
    per_route = np.diff(network.routes.visit_start)
    np.testing.assert_array_equal(result.visit_offset, visit_offsets(per_route, arrivals.route))
    assert result.visit_start_h.size == int(per_route[arrivals.route].sum())
    assert result.diverted.any()  # (their rows stay, NaN: tested in test_engine)
    # The matrix view puts every row back in its column; rows round-trip through it.
    for name in ("visit_start_h", "visit_wait_h", "visit_handling_h"):
        rows = getattr(result, name)
        matrix = result.visit_matrix(rows)
        assert matrix.shape == (arrivals.n, network.routes.max_visits)
        np.testing.assert_array_equal(visit_rows(matrix, result.visit_offset), rows)
        # A started visit's wait is at most its start: starts, waits and handling agree.
        started = ~np.isnan(result.visit_start_h)
        assert np.array_equal(started, ~np.isnan(result.visit_wait_h))
    used = np.arange(network.routes.max_visits) < per_route[result.route][:, None]
    assert np.isnan(result.visit_matrix(result.visit_start_h)[~used]).all()
    short = dataclasses.replace(network, horizon_h=24.0)
    assert engine.run(short, arrivals).visit_start_h.size == result.visit_start_h.size
