"""Terminal model (#19) in the compiler and the demand draws: compiled arrays, truck
arrivals by profile (chi-square against the profile, totals and common random numbers
kept), terminal draws from streams of their own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from freighthub.model.scenario import load_scenario
from freighthub.sim.arrival_rows import take
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals, terminal_draws
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.terminal import PRIORITIES, TASK_GATE, TASK_QUAY, TASK_RAIL, TASK_YARD, TASKS
from tests.model.test_terminal_schema import terminal_text

TINY = Path(__file__).resolve().parent / "tiny"


@pytest.fixture(scope="module")
def terminal_net(tmp_path_factory: pytest.TempPathFactory) -> CompiledNetwork:
    path = tmp_path_factory.mktemp("t") / "tiny.toml"
    path.write_text(terminal_text(), encoding="utf-8")
    return compile_network(load_scenario(path, TINY / "hubs"))


@pytest.fixture(scope="module")
def plain_net() -> CompiledNetwork:
    return compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))


def test_a_scenario_without_terminal_model_compiles_to_none(plain_net: CompiledNetwork) -> None:
    assert plain_net.terminal is None
    assert plain_net.demand.arrival_weight is None
    assert generate_arrivals(plain_net, 3).terminal is None


def test_compiled_pools(terminal_net: CompiledNetwork) -> None:
    term = terminal_net.terminal
    assert term is not None
    pools = term.pools
    beta = terminal_net.node_ids.index("beta")
    alpha = terminal_net.node_ids.index("alpha")
    assert pools.ids == ("beta/quay", "beta/rail", "beta/yard", "beta/gate")
    assert list(term.pool_of[beta]) == [0, 1, 2, 3]
    assert list(term.pool_of[alpha]) == [-1] * len(TASKS)
    assert [TASKS[t] for t in pools.task] == ["quay", "rail", "yard", "gate"]
    assert list(pools.task) == [TASK_QUAY, TASK_RAIL, TASK_YARD, TASK_GATE]
    assert list(pools.units) == [2, 1, 2, 1]
    # 1 / moves_per_h; empirical: the samples' mean (0.03 + 0.05 + 0.04) / 3
    np.testing.assert_allclose(pools.mean_service_h, [1 / 20, 0.04, 1 / 12, 1 / 60])
    np.testing.assert_allclose(pools.samples_h[1], [0.03, 0.04, 0.05])  # sorted
    assert pools.samples_h[0].size == 0
    assert pools.distribution == ("lognormal", "empirical", "erlang", "deterministic")
    assert list(pools.shape) == [1, 1, 2, 1]
    assert pools.cv[0] == 0.5 and np.isnan(pools.cv[1:]).all()
    assert PRIORITIES[pools.priority[0]] == "service_first"
    assert PRIORITIES[pools.priority[1]] == "fifo"
    assert list(pools.shift) == [0, -1, -1, -1]
    assert pools.mtbf_h[0] == 200 and pools.mttr_h[0] == 4
    assert np.isinf(pools.mtbf_h[1:]).all() and (pools.mttr_h[1:] == 0).all()
    assert term.shifts.ids == ("days",)
    np.testing.assert_array_equal(term.shifts.start_h[0], [0.0, 6.0])
    np.testing.assert_array_equal(term.shifts.on_duty_share[0], [0.0, 1.0])
    svc = terminal_net.services.ids
    np.testing.assert_array_equal(
        term.loading_window_h, [6.0 if k == "barge-ab" else 0.0 for k in svc]
    )
    np.testing.assert_array_equal(term.travel_time_cv, [0.1 if k == "rail-ab" else 0 for k in svc])
    assert term.truck_wait_threshold_h[beta] == pytest.approx(0.333)
    assert np.isnan(term.truck_wait_threshold_h[alpha])


def test_arrival_weights_are_the_profile_with_mean_one(terminal_net: CompiledNetwork) -> None:
    w = terminal_net.demand.arrival_weight
    assert w is not None and w.shape == (2, 168)
    od = terminal_net.demand.ids.index("alpha-beta")
    np.testing.assert_array_equal(w[1 - od], 1.0)  # the OD without a profile
    assert w[od].mean() == pytest.approx(1.0)
    hours = np.arange(168) % 24
    assert (w[od][(hours < 6) | (hours >= 18)] == 0).all()
    # day 0, 10:00 against day 6, 10:00: day weights 1 and 0.5
    assert w[od][10] == pytest.approx(2 * w[od][6 * 24 + 10])


def _with_profile(net: CompiledNetwork, weights: np.ndarray | None) -> CompiledNetwork:
    demand = dataclasses.replace(net.demand, arrival_weight=weights)
    return dataclasses.replace(net, demand=demand)


def _profile() -> np.ndarray:
    """A test profile (not a fact): busy weekday mornings, quiet nights, empty Sundays."""
    hour = np.arange(168) % 24
    day = np.arange(168) // 24
    w = np.where((hour >= 7) & (hour < 12), 3.0, np.where(hour >= 20, 0.2, 1.0))
    w = w * np.where(day == 6, 0.0, 1.0)
    return np.asarray(w / w.mean(), dtype=np.float64)


def test_hourly_counts_follow_the_profile_and_totals_are_unchanged(
    plain_net: CompiledNetwork,
) -> None:
    horizon = 8760.0
    base = dataclasses.replace(plain_net, horizon_h=horizon, warmup_h=0.0)
    profile = _profile()
    weights = np.vstack([profile, np.ones(168)])  # OD 0 follows it, OD 1 does not
    net = _with_profile(base, weights)
    before = generate_arrivals(base, 11)
    after = generate_arrivals(net, 11)
    for od in range(2):
        a, b = before.od == od, after.od == od
        assert a.sum() == b.sum()  # the same count
        # common random numbers: the OD's boxes keep their draws, in order
        for field in ("teu", "route", "loaded"):
            np.testing.assert_array_equal(getattr(before, field)[a], getattr(after, field)[b])
        u_a, u_b = take(before, a).visit_handling_u, take(after, b).visit_handling_u
        np.testing.assert_array_equal(u_a, u_b)
    np.testing.assert_array_equal(before.time_h[before.od == 1], after.time_h[after.od == 1])
    t = after.time_h[after.od == 0]
    counts = np.bincount(np.floor(t).astype(np.int64) % 168, minlength=168)
    assert counts[profile == 0].sum() == 0
    # expected count per hour of the week: the seasonal rate x the weight, summed
    # over the year's hours (the seasonality of OD 0 varies by month)
    hours = np.arange(int(horizon))
    month_edges = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24
    month = np.searchsorted(month_edges, hours, side="right") - 1
    rate = base.demand.seasonality[0][month] * profile[hours % 168]
    expected = np.bincount(hours % 168, weights=rate, minlength=168)
    on = profile > 0
    expected = expected[on] / expected[on].sum() * counts[on].sum()
    chi2, p = stats.chisquare(counts[on], expected)
    assert p > 1e-3, (chi2, p)
    # and the profile is not the flat one: the same test rejects flat expectations
    flat = np.full(on.sum(), counts[on].sum() / on.sum())
    assert stats.chisquare(counts[on], flat)[1] < 1e-12


def _same_rows(a: Arrivals, b: Arrivals) -> None:
    for f in dataclasses.fields(Arrivals):
        if f.name in ("terminal", "background"):
            continue
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def test_terminal_draws_leave_the_other_streams_unchanged(
    plain_net: CompiledNetwork, terminal_net: CompiledNetwork
) -> None:
    # The terminal net also has an arrival profile on OD alpha-beta: compare it with the
    # plain net given the same weights, so only the terminal model differs.
    plain = _with_profile(plain_net, terminal_net.demand.arrival_weight)
    a = generate_arrivals(plain, 5, 1)
    b = generate_arrivals(terminal_net, 5, 1)
    _same_rows(a, b)
    assert a.terminal is None and b.terminal is not None
    draws = b.terminal
    assert draws.gate_u.shape == (b.n,) and draws.yard_u.shape == (b.n, 2)
    assert ((draws.gate_u >= 0) & (draws.gate_u < 1)).all()
    assert len(draws.down_start_h) == terminal_net.terminal.pools.n  # type: ignore[union-attr]
    again = generate_arrivals(terminal_net, 5, 1).terminal
    assert again is not None
    np.testing.assert_array_equal(draws.gate_u, again.gate_u)
    np.testing.assert_array_equal(draws.yard_u, again.yard_u)
    other = generate_arrivals(terminal_net, 5, 2).terminal
    assert other is not None and not np.array_equal(draws.gate_u, other.gate_u)


def test_gate_and_yard_draws_are_kept_per_od_when_another_od_changes(
    terminal_net: CompiledNetwork,
) -> None:
    d = terminal_net.demand
    changed = dataclasses.replace(
        terminal_net, demand=dataclasses.replace(d, teu_per_year=d.teu_per_year * [1.0, 1.7])
    )
    a = generate_arrivals(terminal_net, 9)
    b = generate_arrivals(changed, 9)
    assert a.terminal is not None and b.terminal is not None
    od = 0  # unchanged (OD 1 changes)
    np.testing.assert_array_equal(a.terminal.gate_u[a.od == od], b.terminal.gate_u[b.od == od])
    np.testing.assert_array_equal(a.terminal.yard_u[a.od == od], b.terminal.yard_u[b.od == od])


def test_travel_extra_is_a_lognormal_factor_with_mean_one_and_the_cv(
    terminal_net: CompiledNetwork,
) -> None:
    term = terminal_net.terminal
    assert term is not None
    cv = 0.3
    services = terminal_net.services
    many = dataclasses.replace(
        services,
        departures_h=tuple(np.arange(40_000, dtype=np.float64) for _ in range(services.n)),
        capacity_teu=tuple(np.ones(40_000) for _ in range(services.n)),
    )
    net = dataclasses.replace(
        terminal_net,
        services=many,
        terminal=dataclasses.replace(term, travel_time_cv=np.array([cv, 0.0])),
    )
    draws = terminal_draws(net, 4, 0, np.zeros(0, dtype=np.int64))
    travel = services.travel_time_h
    factor = 1.0 + draws.travel_extra_h[0] / travel[0]
    assert (factor > 0).all()
    # mean 1 and CV cv, within 5 standard errors of 40 000 draws
    se = cv / np.sqrt(factor.size)
    assert abs(factor.mean() - 1.0) < 5 * se
    assert abs(factor.std() / factor.mean() - cv) < 0.02
    # lognormal: ln(factor) is normal with sigma^2 = ln(1 + cv^2)
    sigma = np.sqrt(np.log1p(cv**2))
    assert stats.kstest(np.log(factor), "norm", args=(-(sigma**2) / 2, sigma)).pvalue > 1e-3
    np.testing.assert_array_equal(draws.travel_extra_h[1], 0.0)
    assert draws.travel_extra_h[1].size == 40_000


def test_synthetic_terminal_pools_meet_their_target_utilisation() -> None:
    from freighthub.sim.network import mode_code
    from freighthub.sim.synthetic import SyntheticParameters, SyntheticTerminal, synthetic_network
    from freighthub.vocabulary import Mode

    t = SyntheticTerminal()
    params = SyntheticParameters(n_hubs=8, n_od=30, teu_per_year=4e5, seed=2, horizon_h=24 * 28)
    plain = synthetic_network(params)
    net = synthetic_network(dataclasses.replace(params, terminal=t))
    term = net.terminal
    assert plain.terminal is None and term is not None
    pools = term.pools
    # pool_of points back at each pool; windows fit in the cut-off
    for i in range(pools.n):
        assert term.pool_of[pools.hub[i], pools.task[i]] == i
    assert (term.loading_window_h <= net.services.cutoff_h).all()
    # offered load per pool from the generated flows: service moves at both ends of each
    # service, truck-in moves at the first hub and truck-out at the last of each route
    offered = np.zeros((net.n_hubs, len(TASKS)))
    rate = net.demand.teu_per_year / 8760.0  # 20' boxes only: TEU = boxes
    routes = net.routes
    for r in range(routes.n):
        if routes.share[r] == 0:
            continue
        od = routes.od[r]
        legs = range(routes.leg_start[r], routes.leg_start[r + 1])
        for k in legs:
            if routes.leg_kind[k] == 1:
                svc = routes.leg_index[k]
                task = TASK_RAIL if net.services.mode[svc] == mode_code(Mode.RAIL) else TASK_QUAY
                offered[routes.leg_from[k], task] += rate[od] * routes.share[r]
                offered[routes.leg_to[k], task] += rate[od] * routes.share[r]
        if any(routes.leg_kind[k] == 1 for k in legs):
            first, last = routes.leg_to[legs[0]], routes.leg_from[legs[-1]]
            offered[first, TASK_YARD] += rate[od]
            offered[first, TASK_GATE] += rate[od]
            offered[last, TASK_YARD] += rate[od]
    available = (8 * t.night_share + 16) / 24 * t.mtbf_h / (t.mtbf_h + t.mttr_h)
    load = offered[pools.hub, pools.task] * pools.mean_service_h
    assert (load > 0).all()
    assert (load <= t.utilisation_share * available * pools.units + 1e-9).all()
    assert (pools.units >= 2).all()
    big = pools.units > 2  # ceil: one unit fewer would exceed the target
    assert (load[big] > t.utilisation_share * available * (pools.units[big] - 1)).all()
    # the terminal draws leave every box as it was
    a, b = generate_arrivals(plain, 4), generate_arrivals(net, 4)
    _same_rows(a, b)
    assert b.terminal is not None
    # shifts: a unit above the night count is down every night (00:00-06:00 of day 0)
    for p in range(pools.n):
        units = int(pools.units[p])
        night_on = int(np.floor(t.night_share * units + 0.5))
        if night_on < units:
            s, e = b.terminal.down_start_h[p][units - 1], b.terminal.down_end_h[p][units - 1]
            assert s[0] <= 0.0 and e[0] >= 6.0
