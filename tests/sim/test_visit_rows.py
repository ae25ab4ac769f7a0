"""The ragged layout of the per-visit and per-leg results (EngineResult.visit_offset,
leg_offset; issue #20)."""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim import engine
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import (
    Arrivals,
    CompiledNetwork,
    EngineResult,
    visit_column,
    visit_offsets,
    visit_rows,
)
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


def _diverting_run() -> tuple[CompiledNetwork, Arrivals, EngineResult]:
    """A small network whose full yards divert boxes to road, its arrivals and result."""
    p = SyntheticParameters(
        n_hubs=6, n_od=14, teu_per_year=2.0e5, horizon_h=24 * 20.0, seed=4,
        yard_capacity_teu=40.0, box_40ft_share=0.3, yard_full_policy="divert_road",
    )  # fmt: skip
    network = synthetic_network(p)
    arrivals = generate_arrivals(network, 3)
    return network, arrivals, engine.run(network, arrivals)


def test_engine_rows_follow_the_assigned_routes_and_match_the_matrix() -> None:
    network, arrivals, result = _diverting_run()
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


def test_leg_rows_fit_the_assigned_route_and_its_road_alternative() -> None:
    network, arrivals, result = _diverting_run()
    n_legs = np.diff(network.routes.leg_start)
    alt = network.routes.road_alternative[arrivals.route]
    rows = np.diff(result.leg_offset)
    assert (rows >= n_legs[arrivals.route]).all()
    assert (rows[alt >= 0] >= n_legs[alt[alt >= 0]]).all()
    assert (rows == np.maximum(n_legs[arrivals.route], np.where(alt >= 0, n_legs[alt], 0))).all()
    assert result.leg_departure_h.size == int(result.leg_offset[-1])
    assert result.diverted.any()
    # Legs are written from row 0 along the route travelled; the rest of a row is NaN.
    matrix = result.leg_matrix()
    assert matrix.shape == (arrivals.n, int(rows.max()))
    np.testing.assert_array_equal(visit_rows(matrix, result.leg_offset), result.leg_departure_h)
    for k in range(result.max_legs):
        np.testing.assert_array_equal(result.leg_column(k), matrix[:, k])
        beyond = k >= n_legs[result.route]
        assert np.isnan(matrix[beyond, k]).all()
    delivered = ~np.isnan(result.delivered_h)
    travelled = np.arange(matrix.shape[1]) < n_legs[result.route][:, None]
    assert not np.isnan(matrix[delivered[:, None] & travelled]).any()
    # Without diversion a box's rows are its assigned route's legs only.
    held = engine.run(dataclasses.replace(network, yard_full_policy="hold"), arrivals)
    np.testing.assert_array_equal(np.diff(held.leg_offset), n_legs[arrivals.route])
