"""The per-container SimPy reference against the fast engine, container for container."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freighthub.model.scenario import load_scenario
from freighthub.sim import engine, reference
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.queueing import mmc_mean_wait_h
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network
from tests.sim.background_cases import with_background

BASE = SyntheticParameters(n_hubs=6, n_od=12, teu_per_year=1.5e5, horizon_h=24 * 20.0, seed=2)


def assert_same(fast: Any, slow: Any) -> None:
    """Every per-container and per-trip array equal; times to 1e-9 h.

    The tolerance covers only floating-point rounding: the fast engine computes some
    times vectorised, in another order of operations than the reference.
    Integer and boolean arrays, and where NaN appears, must match exactly.
    """
    for field in dataclasses.fields(fast):
        a, b = getattr(fast, field.name), getattr(slow, field.name)
        if field.name in ("background", "terminal"):
            assert (a is None) == (b is None), field.name
            if a is not None:
                assert_same(a, b)
            continue
        assert a.shape == b.shape, field.name
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=field.name)
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, err_msg=field.name)
        else:
            np.testing.assert_array_equal(a, b, err_msg=field.name)


CASES = {
    "base": {},
    "yard full, hold": {"yard_capacity_teu": 60.0, "box_40ft_share": 0.4},
    "yard full, divert, gate": {
        "yard_capacity_teu": 60.0,
        "yard_full_policy": "divert_road",
        "box_40ft_share": 0.4,
        "gate_lanes": 2,
        "gate_time_h": 0.1,
    },
    "closures, erlang": {
        "road_closures": ((0, 10.0, 50.0), (3, 100.0, 200.0), (3, 200.0, 210.0)),
        "service_distribution": "erlang",
        "gate_lanes": 1,
        "gate_time_h": 0.02,
    },
    "transshipment, deterministic": {
        "service_distribution": "deterministic",
        "transshipment_share": 1.0,
        "road_only_share": 0.1,
        "rail_share": 0.1,
        "yard_capacity_teu": 150.0,
    },
    "busy services": {"service_utilisation_share": 1.1, "cutoff_rail_h": 6.0},
    # every cut-off longer than every headway: boxes catch a later departure
    "cut-off longer than the headway": {
        "min_headway_h": 4.0,
        "max_headway_h": 10.0,
        "cutoff_rail_h": 25.0,
        "cutoff_barge_h": 31.0,
        "service_utilisation_share": 1.05,
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_engine_equals_reference(case: str) -> None:
    network = synthetic_network(dataclasses.replace(BASE, **CASES[case]))  # type: ignore[arg-type]
    arrivals = generate_arrivals(network, 5)
    fast = engine.run(network, arrivals)
    slow = reference.run(network, arrivals)
    assert_same(fast, slow)
    # The case exercises what it says.
    if "hold" in case:
        assert (fast.yard_hold_h > 0).any()
    if "divert" in case:
        assert fast.diverted.any()
    if "busy" in case:
        assert fast.left_behind.sum() > 0
    if "cut-off" in case:
        headways = [np.diff(d).max() for d in network.services.departures_h if d.size > 1]
        assert np.all(network.services.cutoff_h > max(headways))
        assert (fast.trip_teu > 0).sum() > 10


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    yard=st.sampled_from([math.inf, 30.0, 80.0]),
    policy=st.sampled_from(["hold", "divert_road"]),
    gate=st.integers(0, 2),
    box_40ft_share=st.sampled_from([0.0, 0.5]),
    transshipment_share=st.sampled_from([0.0, 0.6]),
    utilisation=st.sampled_from([0.7, 1.05]),
    cutoff_h=st.sampled_from([2.0, 30.0]),  # 30 h exceeds most headways
    background=st.sampled_from([None, (5e4, 5e3), (2e5, 3e4)]),  # hub, service TEU/year
)
def test_engine_equals_reference_property(
    seed: int,
    yard: float,
    policy: str,
    gate: int,
    box_40ft_share: float,
    transshipment_share: float,
    utilisation: float,
    cutoff_h: float,
    background: tuple[float, float] | None,
) -> None:
    p = SyntheticParameters(
        n_hubs=5,
        n_od=8,
        teu_per_year=8.0e4,
        horizon_h=24 * 10.0,
        seed=seed,
        yard_capacity_teu=yard,
        yard_full_policy=policy,
        gate_lanes=gate,
        gate_time_h=0.05 if gate else 0.0,
        box_40ft_share=box_40ft_share,
        transshipment_share=transshipment_share,
        service_utilisation_share=utilisation,
        cutoff_rail_h=cutoff_h,
        cutoff_barge_h=cutoff_h,
    )
    network = synthetic_network(p)
    if background is not None:
        network = with_background(network, *background, moves_per_call=7, lot_teu=3)
    arrivals = generate_arrivals(network, seed)
    assert_same(engine.run(network, arrivals), reference.run(network, arrivals))


def test_reference_hub_matches_erlang_c() -> None:
    # The reference on its own: one rail OD, the origin hub is M/M/2 at ρ = 0.75
    # (λ = 30/h, 3-minute moves). 60 days (~43 000 boxes), 2 % warm-up, 20 batch
    # means, tolerance 4 standard errors.
    p = SyntheticParameters(
        n_hubs=3,
        n_od=1,
        teu_per_year=30 * 8760.0,
        road_only_share=0.0,
        rail_share=1.0,
        seed=3,
        horizon_h=24 * 60.0,
    )
    network = synthetic_network(p)
    result = reference.run(network, generate_arrivals(network, 8))
    wait = result.visit_column(result.visit_wait_h, 0)
    wait = wait[~np.isnan(wait)][wait.size // 50 :]
    batches = wait[: wait.size // 20 * 20].reshape(20, -1).mean(axis=1)
    se = float(batches.std(ddof=1) / math.sqrt(20))
    expected = mmc_mean_wait_h(30.0, 20.0, 2)
    assert abs(float(batches.mean()) - expected) < 4 * se, (batches.mean(), expected, se)


def test_reference_rejects_unsorted_arrivals() -> None:
    network = synthetic_network(dataclasses.replace(BASE, horizon_h=48.0))
    arrivals = generate_arrivals(network, 1)
    shuffled = dataclasses.replace(arrivals, time_h=arrivals.time_h[::-1].copy())
    with pytest.raises(ValueError, match=r"arrivals\.time_h must be sorted"):
        reference.run(network, shuffled)


@pytest.mark.parametrize("scenario", ["yangtze-corridor", "china-europe-rail"])
def test_engine_equals_reference_on_shipped_scenarios(repo_root: Path, scenario: str) -> None:
    # The real samples (timetables, disruptions, mixed boxes), cut to 45 days.
    network = compile_network(load_scenario(repo_root / "scenarios" / f"{scenario}.toml"))
    network = dataclasses.replace(network, horizon_h=45 * 24.0, warmup_h=0.0)
    arrivals = generate_arrivals(network, 7)
    fast = engine.run(network, arrivals)
    assert_same(fast, reference.run(network, arrivals))
    assert np.isfinite(fast.delivered_h).sum() > 0.5 * arrivals.n


def test_engine_equals_reference_with_lock_waits(repo_root: Path) -> None:
    # Per-departure lock waits reach both engines through ServiceArrays.trip_time_h.
    network = compile_network(
        load_scenario(
            repo_root / "tests" / "sim" / "tiny" / "tiny.toml",
            repo_root / "tests" / "sim" / "tiny" / "hubs",
        )
    )
    rng = np.random.default_rng(9)
    waits = tuple(rng.exponential(6.0, d.shape) for d in network.services.departures_h)
    locked = dataclasses.replace(
        network, services=dataclasses.replace(network.services, queue_wait_h=waits)
    )
    arrivals = generate_arrivals(locked, 4)
    fast = engine.run(locked, arrivals)
    assert_same(fast, reference.run(locked, arrivals))
    plain = engine.run(network, arrivals)
    delivered = np.isfinite(fast.delivered_h) & np.isfinite(plain.delivered_h)
    assert np.nanmean(fast.delivered_h[delivered]) > np.nanmean(plain.delivered_h[delivered])
    k = locked.services.ids.index("barge-ab")
    dep = float(locked.services.departures_h[k][3])
    assert locked.services.trip_time_h(k, dep) == pytest.approx(
        float(locked.services.travel_time_h[k]) + float(waits[k][3])
    )
    with pytest.raises(ValueError, match="queue_wait_h needs one wait per departure"):
        dataclasses.replace(network.services, queue_wait_h=waits[:1])


BACKGROUND_CASES = {
    "background": {},
    "background, busy services": {"service_utilisation_share": 1.1, "cutoff_rail_h": 6.0},
    "background, yard, gate, erlang": {
        "yard_capacity_teu": 60.0,
        "box_40ft_share": 0.4,
        "gate_lanes": 1,
        "gate_time_h": 0.05,
        "service_distribution": "erlang",
    },
    "background, 3 cranes per call, erlang": {"service_distribution": "erlang"},
    "background, transshipment, deterministic": {
        "service_distribution": "deterministic",
        "transshipment_share": 1.0,
        "road_only_share": 0.1,
    },
}


@pytest.mark.parametrize("case", list(BACKGROUND_CASES))
def test_engine_equals_reference_with_background(case: str) -> None:
    params = dataclasses.replace(BASE, **BACKGROUND_CASES[case])  # type: ignore[arg-type]
    cranes = 3 if "3 cranes" in case else 1
    network = with_background(synthetic_network(params), 1e5, 2e4, cranes_per_call=cranes)
    arrivals = generate_arrivals(network, 5)
    fast = engine.run(network, arrivals)
    slow = reference.run(network, arrivals)
    assert_same(fast, slow)
    bg = fast.background
    assert bg is not None and arrivals.background is not None
    # The case exercises the background: jobs served, lots carried and unloaded.
    assert np.count_nonzero(~np.isnan(bg.job_start_h)) > 20
    assert bg.trip_teu.sum() > 0 and bg.unload_teu.size > 0
    if "busy" in case:
        assert bg.left_behind_teu.sum() > 0
        assert fast.left_behind.sum() > 0
