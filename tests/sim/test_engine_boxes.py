"""The fast engine's compiled passes over all boxes equal their numpy specification."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from freighthub.sim import engine, engine_terminal
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import RoadClosures
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network

SMALL = SyntheticParameters(n_hubs=6, n_od=14, teu_per_year=3.0e5, horizon_h=24 * 40.0, seed=4)
CLOSURES = RoadClosures(  # back to back on link 0 (waited out twice), one on link 1
    link=np.array([0, 0, 1]),
    start_h=np.array([100.0, 160.0, 300.0]),
    end_h=np.array([160.0, 200.0, 330.0]),
)


@pytest.mark.parametrize("closed", [False, True])
def test_compiled_road_legs_equal_road_until_hub(closed: bool) -> None:
    network = synthetic_network(SMALL)
    if closed:
        network = dataclasses.replace(network, road_closures=CLOSURES)
    arrivals = generate_arrivals(network, 3)
    spec, fast = engine._Engine(network, arrivals), engine._Engine(network, arrivals)
    every = np.arange(arrivals.n, dtype=np.int64)
    ids, t, hub = spec.road_until_hub(every, arrivals.time_h.copy())
    got = fast.road_walk(every.copy(), arrivals.time_h.copy())
    order = np.argsort(ids)
    for want, value in zip((ids, t, hub), got, strict=True):
        np.testing.assert_array_equal(value, want[order])
    for name in ("leg_dep", "pos", "delivered_h"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(spec, name), err_msg=name)
    assert np.isfinite(fast.delivered_h).sum() > 0 and ids.size > 1000


@pytest.mark.parametrize("closed", [False, True])
def test_compiled_passes_equal_the_python_loop(
    closed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # First and last road legs, horizon blanking, ready/departure and trips: compiled
    # (engine_boxes) against the numpy passes of the Python loop, bit for bit.
    network = synthetic_network(SMALL)
    if closed:
        network = dataclasses.replace(network, road_closures=CLOSURES)
    arrivals = generate_arrivals(network, 3)
    compiled = engine.run(network, arrivals)
    monkeypatch.setattr(engine_terminal, "COMPILED", False)
    python = engine.run(network, arrivals)
    for field in dataclasses.fields(compiled):
        got, want = getattr(compiled, field.name), getattr(python, field.name)
        if want is None:
            assert got is None, field.name
            continue
        assert got.dtype == want.dtype, field.name
        if field.name == "trip_mass_t":  # (summed box by box here, by numpy there)
            np.testing.assert_allclose(got, want, rtol=1e-12, err_msg=field.name)
            continue
        np.testing.assert_array_equal(got, want, err_msg=field.name)
    assert np.isnan(compiled.delivered_h).any() and np.isfinite(compiled.delivered_h).any()


@pytest.mark.parametrize("case", ["nearly sorted", "ties and a crowd", "one time", "empty"])
def test_entry_stream_is_a_stable_sort_by_time(case: str) -> None:
    from freighthub.sim.engine_boxes import entry_stream

    rng = np.random.default_rng(5)
    n = {"empty": 0, "one time": 50}.get(case, 20_000)
    if case == "nearly sorted":  # arrivals plus one of a few road times
        t = np.sort(rng.uniform(0.0, 500.0, n)) + rng.choice([1.5, 3.25, 7.0], n)
    elif case == "ties and a crowd":  # rounded times, and half the entries in a bucket
        t = np.round(rng.uniform(0.0, 10.0, n), 1)
        t[: n // 2] = 0.5 + rng.uniform(0.0, 1e-9, n // 2)
    else:
        t = np.full(n, 3.0)
    ids, hub = np.arange(n, dtype=np.int64), rng.integers(0, 9, n)
    got = entry_stream(ids, t, hub)
    order = np.argsort(t, kind="stable")
    for value, want in zip(got, (t[order], ids[order], hub[order]), strict=True):
        np.testing.assert_array_equal(value, want)


def test_a_small_road_tail_walked_when_full_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The compiled loop walks its road tail (boxes with road legs only left) whenever
    # the tail is full instead of growing it; a tail of 64 rows at first, walked often,
    # gives the result of the default one, bit for bit.
    from freighthub.sim import terminal_loop

    network = dataclasses.replace(synthetic_network(SMALL), road_closures=CLOSURES)
    arrivals = generate_arrivals(network, 3)
    default = engine.run(network, arrivals)
    initial, walks = terminal_loop.initial_arrays, []

    def small_tail(tr: object) -> dict[str, np.ndarray]:
        arrays = initial(tr)
        arrays["tail_i"], arrays["tail_t"] = (
            arrays["tail_i"][:64].copy(),
            arrays["tail_t"][:64].copy(),
        )
        return arrays

    road_tail = terminal_loop._Loop.road_tail

    def counted(loop: terminal_loop._Loop) -> None:
        walks.append(int(loop.a.n[terminal_loop.S.N_TAIL]))
        road_tail(loop)

    monkeypatch.setattr(terminal_loop, "initial_arrays", small_tail)
    monkeypatch.setattr(terminal_loop._Loop, "road_tail", counted)
    small = engine.run(network, arrivals)
    assert len(walks) > 10  # (the tail also grows where a trip may unload more)
    for field in dataclasses.fields(default):
        got, want = getattr(small, field.name), getattr(default, field.name)
        if want is not None:
            np.testing.assert_array_equal(got, want, err_msg=field.name)
