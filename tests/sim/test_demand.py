"""Demand generator: rates match the TEU/year input, seasonality, box mix, reproducibility, CRN."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.model.scenario import load_scenario
from freighthub.sim.arrival_rows import take
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import cumulative_boxes, generate_arrivals
from freighthub.sim.network import CompiledNetwork, DemandArrays, RouteArrays
from freighthub.units import HOURS_PER_YEAR, MONTH_DAYS

TINY = Path(__file__).resolve().parent / "tiny"


@pytest.fixture(scope="module")
def network() -> CompiledNetwork:
    return compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))


def _with_horizon(net: CompiledNetwork, horizon_h: float) -> CompiledNetwork:
    return dataclasses.replace(net, horizon_h=horizon_h, warmup_h=0.0)


def _with_demand(net: CompiledNetwork, **changes: object) -> CompiledNetwork:
    return dataclasses.replace(net, demand=dataclasses.replace(net.demand, **changes))


def test_mean_rate_matches_teu_per_year(network: CompiledNetwork) -> None:
    # Ten simulated years of OD 0 (20 000 TEU/year, 60 % 40' boxes). The TEU count is a
    # compound Poisson sum: mean = teu_per_year x years, variance = Λ E[teu²] with
    # Λ = expected boxes and E[teu²] = 0.4 x 1 + 0.6 x 4. A 4-sigma band fails with
    # probability < 1e-4 for a correct generator; the seed is fixed, so the test is
    # deterministic.
    years = 10
    net = _with_horizon(network, years * HOURS_PER_YEAR)
    arr = generate_arrivals(net, seed=11)
    teu = float(np.sum(arr.teu[arr.od == 0]))
    share_40 = float(net.demand.box_40ft_share[0])
    expected_teu = float(net.demand.teu_per_year[0]) * years
    boxes = expected_teu / (1 + share_40)
    sd = math.sqrt(boxes * ((1 - share_40) * 1 + share_40 * 4))
    assert abs(teu - expected_teu) < 4 * sd
    assert sd / expected_teu < 0.01  # the test is sharp: a 1 % rate error would fail it


def test_box_mix_and_loaded_share(network: CompiledNetwork) -> None:
    net = _with_horizon(network, 5 * HOURS_PER_YEAR)
    arr = generate_arrivals(net, seed=3)
    od0 = arr.od == 0
    n = int(np.sum(od0))
    for observed, p in (
        (np.mean(arr.teu[od0] == 2), net.demand.box_40ft_share[0]),
        (np.mean(arr.loaded[od0]), net.demand.loaded_share[0]),
    ):
        # binomial proportion, 4 standard errors
        assert abs(observed - p) < 4 * math.sqrt(p * (1 - p) / n)


def test_mass_is_tare_plus_cargo(network: CompiledNetwork) -> None:
    arr = generate_arrivals(network, seed=1)
    d = network.demand
    expected = arr.teu * (
        d.tare_t_per_teu[arr.od] + np.where(arr.loaded, d.cargo_t_per_teu[arr.od], 0.0)
    )
    np.testing.assert_allclose(arr.mass_t, expected)
    assert np.all(
        arr.mass_t[~arr.loaded] == arr.teu[~arr.loaded] * d.tare_t_per_teu[arr.od[~arr.loaded]]
    )


def test_seasonality_shapes_monthly_counts(network: CompiledNetwork) -> None:
    # OD 0 has July and August at 1.2 and November, December at 0.8 (relative).
    net = _with_horizon(network, 20 * HOURS_PER_YEAR)
    arr = generate_arrivals(net, seed=5)
    t = arr.time_h[arr.od == 0] % HOURS_PER_YEAR
    edges = np.concatenate([[0.0], np.cumsum(np.array(MONTH_DAYS) * 24.0)])
    counts = np.histogram(t, bins=edges)[0] / np.array(MONTH_DAYS)  # per day
    assert counts[6] / counts[10] == pytest.approx(1.2 / 0.8, rel=0.05)
    assert counts[0] / counts[1] == pytest.approx(1.0, rel=0.05)


def test_cumulative_rate_equals_yearly_boxes(network: CompiledNetwork) -> None:
    net = _with_horizon(network, HOURS_PER_YEAR)
    _, cum = cumulative_boxes(net, 0)
    expected = net.demand.teu_per_year[0] / (1 + net.demand.box_40ft_share[0])
    assert cum[-1] == pytest.approx(expected, rel=1e-12)


def test_deterministic_process_is_evenly_spaced(network: CompiledNetwork) -> None:
    arr = generate_arrivals(network, seed=1)
    t = arr.time_h[arr.od == 1]  # alpha-beta: deterministic, no seasonality
    gaps = np.diff(t)
    expected_gap = HOURS_PER_YEAR / (3000 / 1.5)
    np.testing.assert_allclose(gaps, expected_gap, rtol=1e-9)


def test_poisson_counts_have_unit_dispersion(network: CompiledNetwork) -> None:
    # Counts of a Poisson process in equal windows have variance = mean (index of
    # dispersion 1). With 200 windows the index has sd sqrt(2/199) = 0.1.
    net = _with_demand(
        _with_horizon(network, HOURS_PER_YEAR), seasonality=np.ones_like(network.demand.seasonality)
    )
    arr = generate_arrivals(net, seed=9)
    counts = np.histogram(arr.time_h[arr.od == 0], bins=200, range=(0, HOURS_PER_YEAR))[0]
    assert np.var(counts, ddof=1) / np.mean(counts) == pytest.approx(1.0, abs=0.4)


def test_arrivals_sorted_and_within_horizon(network: CompiledNetwork) -> None:
    arr = generate_arrivals(network, seed=2)
    assert np.all(np.diff(arr.time_h) >= 0)
    assert arr.time_h.min() >= 0 and arr.time_h.max() < network.horizon_h
    assert np.all(arr.boxes == 1)
    visits = np.diff(network.routes.visit_start)
    np.testing.assert_array_equal(arr.visits_per_route, visits)
    assert arr.visit_handling_u.shape == (int(visits[arr.route].sum()),)
    assert np.all((arr.visit_handling_u >= 0) & (arr.visit_handling_u < 1))
    # every row's route belongs to its OD
    assert np.all(network.routes.od[arr.route] == arr.od)


def test_same_seed_same_arrivals_other_replication_differs(network: CompiledNetwork) -> None:
    a = generate_arrivals(network, seed=4)
    b = generate_arrivals(network, seed=4)
    for f in dataclasses.fields(a):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name))
    c = generate_arrivals(network, seed=4, replication=1)
    assert a.n != c.n or not np.array_equal(a.time_h, c.time_h)


def test_common_random_numbers_other_od_unchanged(network: CompiledNetwork) -> None:
    # Doubling OD 1's demand leaves OD 0's arrivals exactly as they were.
    base = generate_arrivals(network, seed=8)
    teu = network.demand.teu_per_year.copy()
    teu[1] *= 2
    variant = generate_arrivals(_with_demand(network, teu_per_year=teu), seed=8)
    for name in ("time_h", "teu", "mass_t", "loaded", "route"):
        np.testing.assert_array_equal(
            getattr(base, name)[base.od == 0], getattr(variant, name)[variant.od == 0]
        )
    np.testing.assert_array_equal(
        take(base, base.od == 0).visit_handling_u, take(variant, variant.od == 0).visit_handling_u
    )
    assert np.sum(variant.od == 1) > np.sum(base.od == 1)


def test_common_random_numbers_route_shares(network: CompiledNetwork) -> None:
    # Moving 5 % of OD 0 from road to rail re-assigns only boxes whose route uniform
    # falls in the moved band: about 5 % of the boxes, all from road to rail.
    base = generate_arrivals(network, seed=8)
    share = network.routes.share.copy()
    share[0] -= 0.05
    share[1] += 0.05
    routes: RouteArrays = dataclasses.replace(network.routes, share=share)
    variant = generate_arrivals(dataclasses.replace(network, routes=routes), seed=8)
    np.testing.assert_array_equal(base.time_h, variant.time_h)
    changed = base.route != variant.route
    assert np.all(base.route[changed] == 0) and np.all(variant.route[changed] == 1)
    assert np.mean(changed[base.od == 0]) == pytest.approx(0.05, abs=0.02)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), share=st.floats(0.0, 1.0))
def test_route_assignment_respects_shares(
    network: CompiledNetwork, seed: int, share: float
) -> None:
    routes = dataclasses.replace(
        network.routes,
        share=np.array([share, (1 - share) / 2, (1 - share) / 2, 1.0]),
    )
    arr = generate_arrivals(dataclasses.replace(network, routes=routes), seed=seed)
    od0 = arr.od == 0
    n = int(np.sum(od0))
    observed = np.mean(arr.route[od0] == 0)
    assert abs(observed - share) <= 5 * math.sqrt(max(share * (1 - share), 1e-9) / n) + 1e-12
    if share == 0.0:
        assert not np.any(arr.route[od0] == 0)


def test_negative_seed_refused(network: CompiledNetwork) -> None:
    with pytest.raises(ValueError, match="seed = -1, replication = 0: must be >= 0"):
        generate_arrivals(network, seed=-1)


def test_demand_arrays_shape_checked(network: CompiledNetwork) -> None:
    with pytest.raises(ValueError, match=r"demand\.seasonality must have shape"):
        DemandArrays(
            **{
                **{
                    f.name: getattr(network.demand, f.name)
                    for f in dataclasses.fields(network.demand)
                },
                "seasonality": np.ones((2, 11)),
            }
        )


def test_arrival_columns_are_compact_and_consistent(network: CompiledNetwork) -> None:
    # Memory (issue 20): integer columns are int32 (od, route) and int8 (teu, boxes):
    # 8 + 4 + 4 + 1 + 1 + 8 + 1 bytes per box plus the handling draws.
    arr = generate_arrivals(network, 5)
    assert (arr.od.dtype, arr.route.dtype) == (np.int32, np.int32)
    assert (arr.teu.dtype, arr.boxes.dtype) == (np.int8, np.int8)
    per_box = sum(
        getattr(arr, name).nbytes
        for name in ("time_h", "od", "route", "boxes", "teu", "mass_t", "loaded")
    )
    assert per_box == 27 * arr.n
    # Each box's route belongs to its OD; 20' or 40'; one box per row.
    np.testing.assert_array_equal(network.routes.od[arr.route], arr.od)
    assert set(np.unique(arr.teu).tolist()) <= {1, 2}
    assert (arr.boxes == 1).all()
