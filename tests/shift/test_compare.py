"""Base versus variant with common random numbers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from freighthub.emissions import (
    FactorPack,
    hub_emissions_kg,
    hub_intensity,
    leg_emissions_kg,
    transport_intensity,
)
from freighthub.errors import DataFileError
from freighthub.shift.compare import compare_scenarios, compare_variant
from freighthub.shift.resolve import resolve_scenario
from freighthub.sim.demand import generate_arrivals

DATA = Path(__file__).parent / "data"
HUBS = DATA / "hubs"


def variant(folder: Path, name: str, body: str, base: str = "corridor.toml") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\nname = "{name}"\nbase = "{base}"\n{body}', encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    return tmp_path


def test_unchanged_variant_gives_exactly_zero_deltas(folder: Path) -> None:
    path = variant(folder, "same", "")
    c = compare_scenarios(folder / "corridor.toml", path, hubs_dir=HUBS, replications=2)
    assert c.only_in("base") == {} and c.only_in("variant") == {}
    assert len(c.figures_by_path()) > 50
    for key, m in c.figures_by_path().items():
        if np.isnan(m.base.mean):
            continue
        assert m.delta.mean == 0.0, key
        assert m.delta.ci95_low == 0.0 and m.delta.ci95_high == 0.0, key
    assert c.bottleneck_base == c.bottleneck_variant
    assert c.changes == ()


def _wtw_leg(pack: FactorPack, intensity_id: str, freight_t: float, teu: int, km: float) -> float:
    if str(transport_intensity(pack, intensity_id).unit) == "gco2e_per_teukm":
        return float(leg_emissions_kg(pack, intensity_id, None, km, teu=float(teu))[0])
    return float(leg_emissions_kg(pack, intensity_id, freight_t, km)[0])


def _wtw_hub(pack: FactorPack, category: str, freight_t: float, teu: int) -> float:
    unit = str(hub_intensity(pack, category).unit)
    if unit == "kgco2e_per_teu":
        return float(hub_emissions_kg(pack, category, teu=float(teu))[0])
    if unit == "kgco2e_per_container":
        return float(hub_emissions_kg(pack, category, boxes=1.0)[0])
    return float(hub_emissions_kg(pack, category, freight_t)[0])


def test_shift_to_electric_rail_saves_what_the_emissions_module_gives(tmp_path: Path) -> None:
    # Demand only in January and February (seasonality ~0 afterwards) so that every box
    # is delivered well before the 2016 h horizon: then the variant's WTW change is
    # exactly the moved boxes' road leg replaced by road-rail-road and two hub passages.
    text = (DATA / "corridor.toml").read_text(encoding="utf-8")
    quiet = "[1, 1, " + ", ".join(["1e-9"] * 10) + "]"
    text = text.replace(
        "seasonality = [1, 1, 1, 1, 1, 1, 1.2, 1.2, 1, 1, 0.8, 0.8]", f"seasonality = {quiet}"
    )
    text = text.replace(
        'arrival_process = "deterministic"',
        f'arrival_process = "deterministic"\nseasonality = {quiet}',
    )
    assert text.count(quiet) == 2
    # seasonality is normalised to a mean of 1 over the year: scale the yearly demand
    # by 59/365 days to keep the January-February rate of the corridor
    text = text.replace("teu_per_year = 20000", "teu_per_year = 3233")
    text = text.replace("teu_per_year = 3000", "teu_per_year = 485")
    (tmp_path / "corridor.toml").write_text(text, encoding="utf-8")
    path = variant(
        tmp_path,
        "to-rail",
        '[[shift]]\ndemand = "west-east"\nroad_share = 0.5\nto_routes = ["rail"]\n',
    )
    seed, reps = 11, 2
    c = compare_scenarios(
        tmp_path / "corridor.toml", path, hubs_dir=HUBS, seed=seed, replications=reps
    )
    assert c.base.in_system_teu.mean == 0.0
    assert c.variant.in_system_teu.mean == 0.0

    base = resolve_scenario(tmp_path / "corridor.toml", hubs_dir=HUBS)
    var = resolve_scenario(path, hubs_dir=HUBS)
    net, pack = base.network, base.pack
    ids = list(net.routes.ids)
    road_route, rail_route = ids.index("west-east/road"), ids.index("west-east/rail")
    road_ids = list(net.road.ids)
    services = list(net.services.ids)

    def link(name: str) -> int:
        return road_ids.index(name)

    expected = []
    for r in range(reps):
        a = generate_arrivals(net, seed, r)
        b = generate_arrivals(var.network, seed, r)
        assert np.array_equal(a.time_h, b.time_h)  # common random numbers
        moved = (a.route == road_route) & (b.route == rail_route) & (a.time_h >= net.warmup_h)
        assert moved.sum() > 100
        total = 0.0
        d = net.demand
        for i in np.flatnonzero(moved):
            od = int(a.od[i])
            per_teu = d.cargo_t_per_teu[od] if a.loaded[i] else d.tare_t_per_teu[od]
            freight_t = float(a.teu[i] * per_teu)
            teu = int(a.teu[i])
            old = _wtw_leg(pack, net.road.intensity_id[link("west-east")], freight_t, teu,
                           float(net.road.distance_km[link("west-east")]))  # fmt: skip
            k = services.index("rail-ab")
            new = (
                _wtw_leg(pack, net.road.intensity_id[link("west-alpha")], freight_t, teu,
                         float(net.road.distance_km[link("west-alpha")]))
                + _wtw_leg(pack, net.services.intensity_id[k], freight_t, teu,
                           float(net.services.distance_km[k]))
                + _wtw_leg(pack, net.road.intensity_id[link("beta-east")], freight_t, teu,
                           float(net.road.distance_km[link("beta-east")]))
                + sum(_wtw_hub(pack, net.hubs.handling_intensity_id[h], freight_t, teu)
                      for h in range(2))
            )  # fmt: skip
            total += new - old
        expected.append(total)
    delta = c.delta.emissions_kgco2e_wtw.mean
    assert delta < 0
    # same additions in another order: agreement to rounding
    assert delta == pytest.approx(float(np.mean(expected)), rel=1e-9)


def test_a_shift_the_network_cannot_carry_is_reported(folder: Path) -> None:
    body = """
[[shift]]
demand = "west-east"
road_share = 1.0
to_routes = ["barge"]

[[change_services]]
id = "barge-ab"
capacity_teu = 20
"""
    c = compare_scenarios(
        folder / "corridor.toml", variant(folder, "jam", body), hubs_dir=HUBS, replications=2
    )
    jam = {x.service: x for x in c.not_carried}
    assert "barge-ab" in jam
    barge = jam["barge-ab"]
    assert barge.routed_teu > barge.capacity_teu
    assert barge.left_behind_boxes > 0 and barge.waiting_teu_at_horizon > 0
    assert c.delta.in_system_teu.mean > 0  # never silently absorbed
    assert c.bottleneck_variant is not None and c.bottleneck_variant.id == "barge-ab"


def test_carbon_price_variant_lowers_road_share_and_wtw(folder: Path) -> None:
    body = '[mode_choice]\nparameters = "yangtze-container-v1"\n[policy]\ncarbon_price_cny_per_tco2e = 500\n'
    c = compare_scenarios(
        folder / "corridor.toml", variant(folder, "tax", body), hubs_dir=HUBS, replications=2
    )
    assert c.delta.modal_split_teu_share["road"].mean < 0
    assert c.delta.emissions_kgco2e_wtw_per_teu.mean < 0
    assert c.calibration_residual <= 1e-12
    assert any(re.search(r"west-east/road\.share", x) for x in c.changes)
    # recorded changes show 6 significant digits, not the float's full repr
    assert not any(re.search(r"\d\.\d{7,}", x) for x in c.changes), c.changes


def test_an_added_or_removed_value_is_recorded_without_english() -> None:
    # the zh report shows recorded changes as they are, so "absent" is a dash, not "(none)"
    from freighthub.shift.compare import _shown

    assert _shown(None) == "—"
    assert _shown(0.123456789) == "0.123457"


def test_congestion_feedback_reports_its_residual(folder: Path) -> None:
    body = '[mode_choice]\nparameters = "yangtze-container-v1"\n[policy]\ncarbon_price_cny_per_tco2e = 500\n'
    c = compare_scenarios(
        folder / "corridor.toml", variant(folder, "tax", body), hubs_dir=HUBS, replications=1,
        feedback_iterations=2,
    )  # fmt: skip
    assert c.feedback is not None
    assert 1 <= c.feedback.iterations <= 2
    assert len(c.feedback.residuals) == c.feedback.iterations
    assert c.feedback.converged == (c.feedback.residuals[-1] <= c.feedback.tolerance)
    for od in ("west-east", "alpha-beta"):
        total = sum(s for rid, s in c.feedback.shares.items() if rid.startswith(f"{od}/"))
        assert total == pytest.approx(1.0)


def test_feedback_needs_a_mode_choice(folder: Path) -> None:
    with pytest.raises(
        ValueError, match=r"congestion feedback needs a variant with \[mode_choice\]"
    ):
        compare_scenarios(
            folder / "corridor.toml", variant(folder, "same", ""), hubs_dir=HUBS, replications=1,
            feedback_iterations=1,
        )  # fmt: skip


def test_compare_variant_uses_its_own_base(folder: Path) -> None:
    path = variant(folder, "same", "")
    c = compare_variant(path, hubs_dir=HUBS, replications=1)
    assert (c.base_id, c.variant_id) == ("corridor", "same")
    with pytest.raises(DataFileError, match=r"base: is a scenario, not a variant"):
        compare_variant(folder / "corridor.toml", hubs_dir=HUBS)


def test_a_seasonal_shortfall_is_reported_by_month(folder: Path) -> None:
    body = """
[[add_disruptions]]
id = "february-closure"
description = "Barge service closed for February"
start_h = 744
end_h = 1416
service = "barge-ab"
closed = true
"""
    c = compare_scenarios(
        folder / "corridor.toml", variant(folder, "feb", body), hubs_dir=HUBS, replications=2
    )
    barge = next(x for x in c.services_variant if x.service == "barge-ab")
    assert not barge.over_capacity  # over the whole window the barges suffice ...
    assert barge.overloaded_months == (2,)  # ... but not in February
    assert barge in c.not_carried
    base = next(x for x in c.services_base if x.service == "barge-ab")
    assert base.overloaded_months == ()
    assert barge.left_behind_boxes > base.left_behind_boxes


def test_progress_counts_the_base_then_the_variant_replications(folder: Path) -> None:
    body = '[mode_choice]\nparameters = "yangtze-container-v1"\n[policy]\ncarbon_price_cny_per_tco2e = 100\n'
    calls: list[tuple[int, int]] = []
    compare_scenarios(
        folder / "corridor.toml",
        variant(folder, "price", body),
        hubs_dir=HUBS,
        replications=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_variants_of_one_base_share_its_runs_with_identical_results(folder: Path) -> None:
    from freighthub.shift.compare import BaseRuns
    from freighthub.sim.engine import run as fast_engine

    engine_calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        engine_calls.append(1)
        return fast_engine(*args, **kwargs)

    tax = variant(
        folder,
        "tax",
        '[mode_choice]\nparameters = "yangtze-container-v1"\n'
        "[policy]\ncarbon_price_cny_per_tco2e = 500\n",
    )
    feb = variant(
        folder,
        "feb",
        '[[add_disruptions]]\nid = "x"\ndescription = "x"\nstart_h = 744\nend_h = 1416\nservice = "barge-ab"\nclosed = true\n',
    )
    alone = [compare_variant(v, hubs_dir=HUBS, replications=2, engine=counted) for v in (tax, feb)]
    assert len(engine_calls) == 8  # 2 x (base + variant) x 2 replications
    engine_calls.clear()
    shared: BaseRuns = {}
    together = [
        compare_variant(v, hubs_dir=HUBS, replications=2, engine=counted, base_runs=shared)
        for v in (tax, feb)
    ]
    assert len(engine_calls) == 6  # the base once: 2 + 2 x 2
    assert len(shared) == 1
    for a, b in zip(alone, together, strict=True):
        fa, fb = a.figures_by_path(), b.figures_by_path()
        assert fa.keys() == fb.keys()
        for key, m in fa.items():
            np.testing.assert_array_equal(
                [m.base.mean, m.variant.mean, m.delta.mean],
                [fb[key].base.mean, fb[key].variant.mean, fb[key].delta.mean],
                err_msg=key,
            )
        assert a.services_base == b.services_base
    # another seed is another base run
    compare_variant(tax, hubs_dir=HUBS, replications=2, seed=9, engine=counted, base_runs=shared)
    assert len(shared) == 2


def test_paired_trees_pair_what_both_runs_have() -> None:
    # Closed form on hand-edited replications: the delta of a figure is the mean of
    # the paired differences; a hub, mode or terminal part of one run only is no delta.
    import dataclasses

    from freighthub.shift.compare import paired_trees
    from freighthub.sim.experiment import run_network
    from freighthub.sim.terminal_stats import TerminalSummary

    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=HUBS)
    runs = run_network(r.network, r.pack, seed=2, replications=2).summaries
    hub = next(iter(runs[0].hubs))
    base = list(runs)
    variant = [
        dataclasses.replace(
            s,
            throughput_teu=s.throughput_teu + 10.0 * (i + 1),
            hubs={k: v for k, v in s.hubs.items() if k != hub},
            terminal=TerminalSummary(pools={}, hubs={}),
        )
        for i, s in enumerate(runs)
    ]
    b, v, d = paired_trees(base, variant)
    assert d.throughput_teu.mean == pytest.approx(15.0) and d.throughput_teu.n == 2
    assert d.throughput_teu.unit == "teu"
    assert hub in b.hubs and hub not in v.hubs and hub not in d.hubs
    assert d.hubs.keys() == v.hubs.keys()
    assert b.terminal is None and v.terminal is not None and d.terminal is None
    # per TEU: the same arrived TEU on both sides, so the cost per TEU does not move
    assert d.cost_cny_per_teu.mean == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="must pair"):
        paired_trees(base, variant[:1])
