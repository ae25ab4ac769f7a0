"""Logit elasticities against finite differences, and the cost coefficient calibrated to a target."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.shift.attributes import Levers, RouteAttributes, route_attributes
from freighthub.shift.choice import (
    ChoiceParameters,
    choose_route_shares,
    out_of_pocket_price_cny_per_teu,
)
from freighthub.shift.elasticity import (
    ElasticityMarket,
    calibrate_cost_coefficient,
    cost_elasticities,
    group_elasticity,
    mean_group_elasticity,
)
from freighthub.shift.logit import Nest, multinomial_logit, nested_logit
from freighthub.shift.resolve import resolve_scenario

DATA = Path(__file__).parent / "data"
VOT = 52.5
REL_STEP = 1e-6  # central difference of ln x: truncation error O(h^2) ~ 1e-12


def _model_shares(
    beta: float, asc: np.ndarray, cost: np.ndarray, nests: list[Nest] | None
) -> np.ndarray:
    u = asc + beta * cost
    return nested_logit(u, nests) if nests else multinomial_logit(u)


def _finite_difference(
    beta: float, asc: np.ndarray, cost: np.ndarray, nests: list[Nest] | None
) -> np.ndarray:
    """``∂ ln P_i / ∂ ln x_j`` by central differences of the model itself."""
    n = cost.size
    out = np.zeros((n, n))
    for j in range(n):
        up, down = cost.copy(), cost.copy()
        up[j] *= 1 + REL_STEP
        down[j] *= 1 - REL_STEP
        p_up = _model_shares(beta, asc, up, nests)
        p_down = _model_shares(beta, asc, down, nests)
        out[:, j] = (np.log(p_up) - np.log(p_down)) / (2 * REL_STEP)
    return out


def test_mnl_formula_by_hand() -> None:
    # Two alternatives, equal utilities: P = 0.5 each; own = β x (1 - P), cross = -β x_j P_j.
    e = cost_elasticities(-0.001, [1000.0, 2000.0], [0.5, 0.5])
    assert e[0, 0] == pytest.approx(-0.5)
    assert e[1, 1] == pytest.approx(-1.0)
    assert e[0, 1] == pytest.approx(1.0)
    assert e[1, 0] == pytest.approx(0.5)


@settings(max_examples=60, deadline=None)
@given(
    beta=st.floats(-0.005, -1e-5),
    asc=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
    cost=st.lists(st.floats(100, 8000), min_size=4, max_size=4),
    scale=st.floats(0.2, 1.0),
    nested=st.booleans(),
)
def test_formulas_equal_finite_differences(
    beta: float, asc: list[float], cost: list[float], scale: float, nested: bool
) -> None:
    a, x = np.array(asc), np.array(cost)
    nests = [Nest("road", (0,), 1.0), Nest("intermodal", (1, 2, 3), scale)] if nested else None
    p = _model_shares(beta, a, x, nests)
    analytic = cost_elasticities(beta, x, p, nests)
    numeric = _finite_difference(beta, a, x, nests)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_group_elasticity_is_the_response_of_the_group_share() -> None:
    beta, nests = -0.0008, [Nest("road", (0, 1), 0.6), Nest("intermodal", (2, 3), 0.4)]
    a, x = np.array([0.3, -0.2, 0.0, 0.5]), np.array([3000.0, 3500.0, 2500.0, 2800.0])
    group = np.array([True, True, False, False])
    p = _model_shares(beta, a, x, nests)
    e = group_elasticity(cost_elasticities(beta, x, p, nests), p, group)
    up = _model_shares(beta, a, np.where(group, x * (1 + REL_STEP), x), nests)[group].sum()
    down = _model_shares(beta, a, np.where(group, x * (1 - REL_STEP), x), nests)[group].sum()
    assert e == pytest.approx((math.log(up) - math.log(down)) / (2 * REL_STEP), rel=1e-6)


def test_calibrated_coefficient_reproduces_target_and_split() -> None:
    markets = [
        ElasticityMarket(
            np.array([4000.0, 3000.0]), np.array([0.6, 0.4]), np.array([True, False]), 100.0
        ),
        ElasticityMarket(
            np.array([1500.0, 2500.0, 1800.0]),
            np.array([0.7, 0.2, 0.1]),
            np.array([True, False, False]),
            300.0,
            [Nest("road", (0,), 1.0), Nest("intermodal", (1, 2), 0.5)],
        ),
    ]
    beta = calibrate_cost_coefficient(-0.9, markets)
    assert beta < 0
    assert mean_group_elasticity(beta, markets) == pytest.approx(-0.9, rel=1e-12)
    # By hand: road elasticity of each market is β x_road (1 - S_road) (road alone in
    # its nest); weights volume × road share: 60 and 210.
    by_hand = (60 * 4000 * 0.4 + 210 * 1500 * 0.3) / 270
    assert beta == pytest.approx(-0.9 / by_hand, rel=1e-12)


@pytest.mark.parametrize("target", [0.0, 0.5, math.nan])
def test_target_must_be_negative(target: float) -> None:
    m = ElasticityMarket(np.array([1.0, 1.0]), np.array([0.5, 0.5]), np.array([True, False]), 1.0)
    with pytest.raises(ValueError, match=r"target elasticity = .*: must be < 0"):
        calibrate_cost_coefficient(target, [m])


def test_no_competing_route_cannot_calibrate() -> None:
    road_only = ElasticityMarket(np.array([1000.0]), np.array([1.0]), np.array([True]), 1.0)
    with pytest.raises(ValueError, match="does not depend on the cost coefficient"):
        calibrate_cost_coefficient(-0.9, [road_only])


def test_shapes_must_match() -> None:
    with pytest.raises(ValueError, match=r"cost: shape \(2,\) must be a vector"):
        cost_elasticities(-0.001, [1.0, 2.0], [1.0])


def test_choice_calibrated_to_target_on_a_scenario() -> None:
    """The full model on the test corridor: base split reproduced, road elasticity = target
    (finite difference of the model: all road prices up and down by a small share)."""
    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=DATA / "hubs")
    net = r.network
    a = route_attributes(net, r.pack, Levers(), VOT)
    shares = {k: float(s) for k, s in zip(net.routes.ids, net.routes.share, strict=True)}
    volumes = {k: float(v) for k, v in zip(net.demand.ids, net.demand.teu_per_year, strict=True)}
    params = ChoiceParameters(None, intermodal_nest_scale=0.5, target_road_price_elasticity=-0.9)
    result = choose_route_shares(a, shares, a, params, volumes)
    for rid, s in shares.items():
        assert result.shares[rid] == pytest.approx(s, abs=1e-9)
    assert result.road_price_elasticity == pytest.approx(-0.9, rel=1e-9)

    def road_volume(factor: float) -> float:
        v = replace(
            a,
            price_cny_per_teu=np.where(
                a.road_only, a.price_cny_per_teu * factor, a.price_cny_per_teu
            ),
        )
        v = replace(
            v,
            generalised_cost_cny_per_teu=a.generalised_cost_cny_per_teu
            + (v.price_cny_per_teu - a.price_cny_per_teu),
        )
        fixed = ChoiceParameters(result.cost_coefficient_per_cny, intermodal_nest_scale=0.5)
        out = choose_route_shares(a, shares, v, fixed).shares
        return sum(
            volumes[rid.split("/")[0]] * s
            for rid, s, road in zip(
                a.route_ids, (out[k] for k in a.route_ids), a.road_only, strict=True
            )
            if road
        )

    assert not np.any(out_of_pocket_price_cny_per_teu(a) < 0)
    numeric = (math.log(road_volume(1 + REL_STEP)) - math.log(road_volume(1 - REL_STEP))) / (
        2 * REL_STEP
    )
    assert numeric == pytest.approx(-0.9, rel=1e-5)


def test_new_route_constant_rule_is_recorded() -> None:
    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=DATA / "hubs")
    a = route_attributes(r.network, r.pack, Levers(), VOT)
    shares = {
        k: float(s) for k, s in zip(r.network.routes.ids, r.network.routes.share, strict=True)
    }
    params = ChoiceParameters(-0.0005, intermodal_nest_scale=0.5)
    result = choose_route_shares(a, shares, a, params)
    assert all(rule == "calibrated" for od in result.ods for rule in od.asc_rule)


def test_parameters_need_exactly_one_cost_rule() -> None:
    with pytest.raises(ValueError, match="exactly one of cost_coefficient_per_cny"):
        ChoiceParameters(-0.001, target_road_price_elasticity=-0.9)
    with pytest.raises(ValueError, match="exactly one of cost_coefficient_per_cny"):
        ChoiceParameters(None)
    with pytest.raises(ValueError, match=r"target_road_price_elasticity = 0.2: must be < 0"):
        ChoiceParameters(None, target_road_price_elasticity=0.2)


REPO = Path(__file__).resolve().parents[2]


def test_shipped_yangtze_v2_road_elasticities_inside_the_literature_range() -> None:
    """Done-when of issue #18: the shipped Yangtze parameters give road own-price
    elasticities inside the sourced range (standards/elasticities/freight-road-own-price.toml)."""
    from freighthub.model.elasticity_reference import load_elasticity_reference
    from freighthub.shift.choice_summary import mode_choice_summary

    v = resolve_scenario(REPO / "scenarios" / "variants" / "yangtze-carbon-price.toml")
    summary = mode_choice_summary(v.choices[-1], v.network, v.pack)
    ref, _ = load_elasticity_reference("freight-road-own-price")
    assert summary.parameters_id == "yangtze-container-v2"
    assert summary.cost_coefficient_rule == "target-bounded"
    assert summary.all_inside_range is True
    for od in summary.ods:
        assert ref.range_low.value <= round(od.road_price_elasticity, 2) <= ref.range_high.value
    # The version-1 coefficient put the Chongqing road elasticity far outside (-7.9).
    v1 = ChoiceParameters(-0.0015, intermodal_nest_scale=0.5)
    base = v.choices[-1]
    a = route_attributes(base.base_network, v.pack, base.base_levers, VOT, VOT)
    shares = {
        k: float(s)
        for k, s in zip(base.base_network.routes.ids, base.base_network.routes.share, strict=True)
    }
    old = choose_route_shares(a, shares, a, v1)
    assert min(od.road_price_elasticity for od in old.ods) < ref.range_low.value
    # Sensitivity rows: as calibrated, x0.5, x2, multinomial; a bigger |beta| moves more.
    cases = {c.case: c for c in summary.sensitivity}
    moved = {k: abs(c.road_share_variant - c.road_share_base) for k, c in cases.items()}
    assert moved["cost coefficient x 2"] > moved["as calibrated"] > moved["cost coefficient x 0.5"]


def test_bounds_move_beta_into_the_range() -> None:
    steep = ElasticityMarket(
        np.array([6000.0, 2000.0]), np.array([0.1, 0.9]), np.array([True, False]), 1.0
    )
    flat = ElasticityMarket(
        np.array([800.0, 700.0]), np.array([0.5, 0.5]), np.array([True, False]), 1.0
    )
    beta = calibrate_cost_coefficient(-0.9, [steep, flat], bounds=(-1.34, -0.05))
    # steep market: x (1 - S) = 5400 -> beta >= -1.34 / 5400; it binds.
    assert beta == pytest.approx(-1.34 / 5400)
    free = calibrate_cost_coefficient(-0.9, [steep, flat])
    assert free < beta
    with pytest.raises(ValueError, match=r"bounds = .*: must satisfy low <= high < 0"):
        calibrate_cost_coefficient(-0.9, [steep], bounds=(-0.05, -1.34))


def test_value_of_time_by_segment() -> None:
    """An OD of a segment is costed at the segment's value of time, the others at the default."""
    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=DATA / "hubs")
    net = r.network
    segments = tuple("high-value" if o == 0 else "" for o in range(net.demand.n))
    tagged = replace(net, demand=replace(net.demand, segment=segments))
    plain = route_attributes(net, r.pack, Levers(), VOT)
    seg = route_attributes(
        tagged, r.pack, Levers(), VOT, value_of_time_by_segment={"high-value": 200.0}
    )
    first = net.routes.od == 0
    expected = plain.generalised_cost_cny_per_teu + np.where(
        first, (200.0 - VOT) * plain.duration_h, 0.0
    )
    np.testing.assert_allclose(seg.generalised_cost_cny_per_teu, expected, rtol=1e-12)
    with pytest.raises(
        ValueError,
        match=r"segment = 'high-value': the mode-choice parameters give no value_of_time_by_segment for it; valid: \(none\)",
    ):
        route_attributes(tagged, r.pack, Levers(), VOT)


def test_new_route_borrows_a_stated_constant() -> None:
    """A route the base lacks takes the mean constant of the OD's base routes of its main
    mode, else of its nest, and the rule is recorded (not borrowed silently)."""
    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=DATA / "hubs")
    a = route_attributes(r.network, r.pack, Levers(), VOT)
    shares = {
        k: float(s) for k, s in zip(r.network.routes.ids, r.network.routes.share, strict=True)
    }
    # Drop one non-road route of an OD with at least two non-road routes from the base.
    od_of = [rid.split("/")[0] for rid in a.route_ids]
    target = next(
        i
        for i, rid in enumerate(a.route_ids)
        if not a.road_only[i]
        and sum(1 for j, o in enumerate(od_of) if o == od_of[i] and not a.road_only[j]) >= 2
    )
    keep = np.array([i != target for i in range(len(a.route_ids))])

    def subset(x: RouteAttributes) -> RouteAttributes:
        return replace(
            x,
            route_ids=tuple(rid for rid, k in zip(x.route_ids, keep, strict=True) if k),
            od=x.od[keep],
            road_only=x.road_only[keep],
            main_mode=tuple(m for m, k in zip(x.main_mode, keep, strict=True) if k),
            price_cny_per_teu=x.price_cny_per_teu[keep],
            toll_cny_per_teu=x.toll_cny_per_teu[keep],
            subsidy_cny_per_teu=x.subsidy_cny_per_teu[keep],
            duration_h=x.duration_h[keep],
            duration_sd_h=x.duration_sd_h[keep],
            emissions_kgco2e_wtw_per_teu=x.emissions_kgco2e_wtw_per_teu[keep],
            generalised_cost_cny_per_teu=x.generalised_cost_cny_per_teu[keep],
        )

    base = subset(a)
    od_id = od_of[target]
    base_shares = {k: v for k, v in shares.items() if k != a.route_ids[target]}
    total = sum(v for k, v in base_shares.items() if k.startswith(f"{od_id}/"))
    base_shares = {
        k: (v / total if k.startswith(f"{od_id}/") else v) for k, v in base_shares.items()
    }
    result = choose_route_shares(
        base, base_shares, a, ChoiceParameters(-0.0005, intermodal_nest_scale=0.5)
    )
    od = next(o for o in result.ods if o.od_id == od_id)
    j = od.route_ids.index(a.route_ids[target])
    same_mode = [
        od.asc[i]
        for i, rid in enumerate(od.route_ids)
        if i != j and a.main_mode[a.route_ids.index(rid)] == a.main_mode[target]
    ]
    if same_mode:
        assert od.asc_rule[j] == "same-mode"
        assert od.asc[j] == pytest.approx(float(np.mean(same_mode)))
    else:
        assert od.asc_rule[j] == "same-nest"
        nest = [
            od.asc[i]
            for i, rid in enumerate(od.route_ids)
            if i != j and not a.road_only[a.route_ids.index(rid)]
        ]
        assert od.asc[j] == pytest.approx(float(np.mean(nest)))
    assert all(rule == "calibrated" for i, rule in enumerate(od.asc_rule) if i != j)
