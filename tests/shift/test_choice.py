"""Route choice on generalised cost: calibration, levers, and the emissions it uses."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freighthub.emissions import leg_emissions_kg
from freighthub.model.scenario import load_scenario
from freighthub.model.variant import apply_variant, load_variant_chain
from freighthub.shift.attributes import Levers, RouteAttributes, route_attributes
from freighthub.shift.choice import ChoiceParameters, choose_route_shares
from freighthub.shift.resolve import ResolvedScenario, resolve_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.network import CompiledNetwork

DATA = Path(__file__).parent / "data"
HUBS = DATA / "hubs"
VOT = 52.5  # CNY/(TEU h), standards/mode-choice/yangtze-container-v1.toml
NESTED = ChoiceParameters(-0.0015, nested=True, intermodal_nest_scale=0.5)
MNL = ChoiceParameters(-0.0015, nested=False)


@pytest.fixture(scope="module")
def base() -> ResolvedScenario:
    return resolve_scenario(DATA / "corridor.toml", hubs_dir=HUBS)


def attrs(
    r: ResolvedScenario, levers: Levers, network: CompiledNetwork | None = None
) -> RouteAttributes:
    return route_attributes(network or r.network, r.pack, levers, VOT)


def base_shares(network: CompiledNetwork) -> dict[str, float]:
    return {k: float(s) for k, s in zip(network.routes.ids, network.routes.share, strict=True)}


def predict(
    r: ResolvedScenario,
    levers: Levers,
    params: ChoiceParameters,
    network: CompiledNetwork | None = None,
) -> dict[str, float]:
    b = attrs(r, Levers())
    v = attrs(r, levers, network)
    return choose_route_shares(b, base_shares(r.network), v, params).shares


@pytest.mark.parametrize("params", [NESTED, MNL], ids=["nested", "mnl"])
def test_calibration_reproduces_the_base_split(
    base: ResolvedScenario, params: ChoiceParameters
) -> None:
    a = attrs(base, Levers())
    result = choose_route_shares(a, base_shares(base.network), a, params)
    assert result.calibration_residual <= 1e-12
    for rid, share in base_shares(base.network).items():
        assert result.shares[rid] == pytest.approx(share, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    carbon=st.floats(0, 5000),
    toll=st.floats(0, 20),
    subsidy=st.floats(0, 3000),
    nested=st.booleans(),
)
def test_shares_are_probabilities(
    base: ResolvedScenario, carbon: float, toll: float, subsidy: float, nested: bool
) -> None:
    levers = Levers(carbon, toll, {"rail": subsidy})
    shares = predict(base, levers, NESTED if nested else MNL)
    for od in base.network.demand.ids:
        mine = [s for rid, s in shares.items() if rid.startswith(f"{od}/")]
        assert all(0.0 <= s <= 1.0 for s in mine)
        assert math.fsum(mine) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("params", [NESTED, MNL], ids=["nested", "mnl"])
def test_every_lever_moves_the_right_way(base: ResolvedScenario, params: ChoiceParameters) -> None:
    s0 = predict(base, Levers(), params)
    road, rail, barge = "west-east/road", "west-east/rail", "west-east/barge"
    # carbon price: road emits most per TEU here, so road loses and intermodal gains
    a = attrs(base, Levers())
    rows = {rid: i for i, rid in enumerate(a.route_ids)}
    assert a.emissions_kgco2e_wtw_per_teu[rows[road]] > a.emissions_kgco2e_wtw_per_teu[rows[rail]]
    s = predict(base, Levers(carbon_price_cny_per_tco2e=500), params)
    assert s[road] < s0[road] and s[rail] + s[barge] > s0[rail] + s0[barge]
    # road toll
    s = predict(base, Levers(road_toll_cny_per_vehicle_km=2.0), params)
    assert s[road] < s0[road]
    # rail subsidy by mode, barge subsidy by service
    s = predict(base, Levers(subsidy_cny_per_teu_by_mode={"rail": 300}), params)
    assert s[rail] > s0[rail] and s[road] < s0[road]
    s = predict(base, Levers(subsidy_cny_per_teu_by_service={"barge-ab": 300}), params)
    assert s[barge] > s0[barge]


def test_more_frequent_barges_attract_more(base: ResolvedScenario, tmp_path: Path) -> None:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    path = tmp_path / "freq.toml"
    path.write_text(
        'id = "freq"\nname = "f"\nbase = "corridor.toml"\n'
        '[[change_services]]\nid = "barge-ab"\ndepartures_per_week = 6\n',
        encoding="utf-8",
    )
    ((vpath, variant),) = load_variant_chain(path).variants
    loaded, _ = apply_variant(load_scenario(tmp_path / "corridor.toml", HUBS), variant, vpath, HUBS)
    network = compile_network(loaded)
    before = attrs(base, Levers())
    after = attrs(base, Levers(), network)
    i = list(before.route_ids).index("west-east/barge")
    assert after.duration_h[i] < before.duration_h[i]  # half a shorter headway
    for params in (NESTED, MNL):
        s0 = predict(base, Levers(), params)
        s = predict(base, Levers(), params, network)
        assert s["west-east/barge"] > s0["west-east/barge"]


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0, 2000), step=st.floats(1, 2000))
def test_road_share_falls_as_the_carbon_price_rises(
    base: ResolvedScenario, low: float, step: float
) -> None:
    a = predict(base, Levers(carbon_price_cny_per_tco2e=low), MNL)
    b = predict(base, Levers(carbon_price_cny_per_tco2e=low + step), MNL)
    assert b["west-east/road"] < a["west-east/road"]


def test_route_emissions_come_from_the_emissions_module(base: ResolvedScenario) -> None:
    a = attrs(base, Levers())
    net, pack = base.network, base.pack
    i = list(a.route_ids).index("west-east/road")
    od = int(net.routes.od[i])
    d = net.demand
    # freight mass per TEU: cargo of loaded boxes, tare of empty ones (GLEC v3.0 p.21)
    mass_t = (
        d.loaded_share[od] * d.cargo_t_per_teu[od] + (1 - d.loaded_share[od]) * d.tare_t_per_teu[od]
    )
    link = int(net.routes.leg_index[net.routes.leg_start[i]])
    wtw, _ = leg_emissions_kg(pack, net.road.intensity_id[link], mass_t, net.road.distance_km[link])
    assert a.emissions_kgco2e_wtw_per_teu[i] == pytest.approx(float(wtw), rel=1e-12)
    # and the carbon price enters the generalised cost as price x tCO2e
    c = attrs(base, Levers(carbon_price_cny_per_tco2e=100))
    assert c.generalised_cost_cny_per_teu[i] - a.generalised_cost_cny_per_teu[i] == pytest.approx(
        100 * float(wtw) / 1000
    )


def test_unchanged_variant_with_mode_choice_keeps_the_base_split(tmp_path: Path) -> None:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    path = tmp_path / "choice.toml"
    path.write_text(
        'id = "choice"\nname = "c"\nbase = "corridor.toml"\n'
        '[mode_choice]\nparameters = "yangtze-container-v1"\n',
        encoding="utf-8",
    )
    r = resolve_scenario(path, hubs_dir=HUBS)
    b = resolve_scenario(tmp_path / "corridor.toml", hubs_dir=HUBS)
    assert np.allclose(r.network.routes.share, b.network.routes.share, atol=1e-9)
    assert r.choices[0].result.calibration_residual <= 1e-12
    assert any(p.name == "yangtze-container-v1.toml" for p in r.input_files)
    assert path in r.input_files


def test_choice_parameters_reject_a_positive_cost_coefficient() -> None:
    with pytest.raises(ValueError, match=r"cost_coefficient_per_cny = 0\.1: must be < 0"):
        ChoiceParameters(0.1)


def test_a_new_route_gets_a_share_from_the_choice(tmp_path: Path) -> None:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    path = tmp_path / "new.toml"
    path.write_text(
        """id = "new"
name = "n"
base = "corridor.toml"

[mode_choice]
parameters = "yangtze-container-v1"

[[add_services]]
id = "rail-ab-2"
mode = "rail"
from = "alpha"
to = "beta"
departures_per_week = 7
train_type = "short-train"
cutoff_h = 4
speed_kmh = 50
circuity_factor = 1.3
intensity_id = "rail-electric-container-eu"
cost_cny_per_teu_km = 0.7

[[add_routes]]
demand = "west-east"
name = "rail-2"
legs = [{ road = "west-alpha" }, { service = "rail-ab-2" }, { road = "beta-east" }]
""",
        encoding="utf-8",
    )
    r = resolve_scenario(path, hubs_dir=HUBS)
    s = dict(zip(r.network.routes.ids, r.network.routes.share, strict=True))
    b = dict(zip(*_ids_shares(DATA / "corridor.toml"), strict=True))
    assert s["west-east/rail-2"] > 0.05  # borrows the rail route's constant; faster and cheaper
    assert s["west-east/road"] < b["west-east/road"]
    assert math.fsum(v for k, v in s.items() if k.startswith("west-east/")) == pytest.approx(1.0)


def _ids_shares(path: Path) -> tuple[tuple[str, ...], list[float]]:
    r = resolve_scenario(path, hubs_dir=HUBS)
    return r.network.routes.ids, [float(x) for x in r.network.routes.share]
