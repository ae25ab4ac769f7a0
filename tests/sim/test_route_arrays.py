"""route_arrays (routes from their legs, the hub visits derived from the service legs)
and seasonality_rows (monthly shapes scaled to a day-weighted mean of 1)."""

from __future__ import annotations

import numpy as np

from freighthub.sim.demand_compiler import route_arrays
from freighthub.sim.network import LEG_ROAD, LEG_SERVICE, VISIT_LOAD, VISIT_UNLOAD


def test_visits_follow_the_service_legs() -> None:
    # route 0: road 5 (node 9 -> 0), service 2 (0 -> 1), service 3 (1 -> 4); route 1: road 6.
    legs = [
        [(LEG_ROAD, 5, 9, 0), (LEG_SERVICE, 2, 0, 1), (LEG_SERVICE, 3, 1, 4)],
        [(LEG_ROAD, 6, 9, 4)],
    ]
    r = route_arrays(["a/rail", "a/road"], [0, 0], [0.25, 0.75], [1, 0], legs, [1, 1])
    assert r.leg_start.tolist() == [0, 3, 4]
    assert r.leg_kind.tolist() == [LEG_ROAD, LEG_SERVICE, LEG_SERVICE, LEG_ROAD]
    assert r.leg_index.tolist() == [5, 2, 3, 6]
    assert r.leg_from.tolist() == [9, 0, 1, 9]
    assert r.leg_to.tolist() == [0, 1, 4, 4]
    # Two visits per service leg (load where it leaves, unload where it ends), none for road.
    assert r.visit_start.tolist() == [0, 4, 4]
    assert r.visit_hub.tolist() == [0, 1, 1, 4]
    assert r.visit_kind.tolist() == [VISIT_LOAD, VISIT_UNLOAD, VISIT_LOAD, VISIT_UNLOAD]
    assert r.visit_leg.tolist() == [1, 1, 2, 2]
    assert r.share.dtype == np.float64
    assert all(a.dtype == np.int64 for a in (r.leg_start, r.visit_hub, r.visit_leg, r.od))


def test_no_routes() -> None:
    r = route_arrays([], [], [], [], [], [])
    assert r.leg_start.tolist() == [0]
    assert r.visit_start.tolist() == [0]
    assert r.leg_kind.size == 0
    assert r.visit_hub.size == 0


def test_seasonality_rows_day_weighted_mean_one() -> None:
    from freighthub.sim.demand_compiler import seasonality_rows
    from freighthub.units import MONTH_DAYS

    shape = [2.0] * 6 + [1.0] * 6  # first half of the year twice the second
    rows = seasonality_rows([shape, None])
    days = np.asarray(MONTH_DAYS, dtype=np.float64)
    assert abs(np.dot(rows[0], days) / days.sum() - 1.0) < 1e-12
    assert rows[0][0] / rows[0][11] == 2.0  # proportions kept
    assert rows[1].tolist() == [1.0] * 12  # no shape: flat
    assert seasonality_rows([]).shape == (0, 12)
