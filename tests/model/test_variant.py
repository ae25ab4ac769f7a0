"""Scenario variants: chains, structural changes, and every error path."""

from __future__ import annotations

import math
import shutil
import tomllib
from pathlib import Path

import pytest

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.mode_choice import load_mode_choice_parameters
from freighthub.model.scenario import load_scenario
from freighthub.model.variant import (
    apply_variant,
    is_variant_file,
    load_variant_chain,
)

DATA = Path(__file__).parents[1] / "shift" / "data"
HUBS = DATA / "hubs"
REPO = Path(__file__).parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    return tmp_path


def write(folder: Path, name: str, body: str, base: str = "corridor.toml") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\nname = "{name}"\nbase = "{base}"\n{body}', encoding="utf-8")
    return path


def resolve(path: Path):  # type: ignore[no-untyped-def]
    chain = load_variant_chain(path)
    loaded = load_scenario(chain.scenario_path, HUBS)
    changes = []
    for vpath, variant in chain.variants:
        loaded, made = apply_variant(loaded, variant, vpath, HUBS)
        changes.extend(made)
    return chain, loaded, changes


def shares(loaded, od: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    d = next(d for d in loaded.scenario.demand if d.id == od)
    return {r.name: r.share.value for r in d.routes}


def test_empty_variant_is_the_base_scenario(folder: Path) -> None:
    path = write(folder, "same", "")
    chain, loaded, changes = resolve(path)
    base = load_scenario(folder / "corridor.toml", HUBS)
    assert changes == []
    assert loaded.scenario.model_dump(exclude={"id", "name"}) == base.scenario.model_dump(
        exclude={"id", "name"}
    )
    assert loaded.scenario.id == "same"
    assert chain.files == [(folder / "corridor.toml").resolve(), path]
    assert is_variant_file(path) and not is_variant_file(folder / "corridor.toml")


def test_shift_moves_road_share_in_proportion(folder: Path) -> None:
    path = write(
        folder,
        "shift",
        '[[shift]]\ndemand = "west-east"\nroad_share = 0.5\nto_routes = ["rail", "barge"]\n',
    )
    _, loaded, changes = resolve(path)
    s = shares(loaded, "west-east")
    # base 0.4 / 0.35 / 0.25: 0.2 moves, split 0.35:0.25 over rail and barge
    assert s["road"] == pytest.approx(0.2)
    assert s["rail"] == pytest.approx(0.35 + 0.2 * 0.35 / 0.6)
    assert s["barge"] == pytest.approx(0.25 + 0.2 * 0.25 / 0.6)
    assert math.fsum(s.values()) == pytest.approx(1.0, abs=1e-12)
    assert any(c.field == "demand.west-east.road_share_moved" for c in changes)


def test_remove_service_drops_its_routes_and_rescales(folder: Path) -> None:
    path = write(folder, "nobarge", 'remove_services = ["barge-ab"]\n')
    _, loaded, _ = resolve(path)
    s = shares(loaded, "west-east")
    assert set(s) == {"road", "rail"}
    assert s["road"] == pytest.approx(0.4 / 0.75)
    assert not any(x.mode == "inland_waterway" for x in loaded.scenario.services)


def test_add_service_and_route_and_change_frequency(folder: Path) -> None:
    body = """
[[add_services]]
id = "rail-ab-2"
mode = "rail"
from = "alpha"
to = "beta"
departures_per_week = 3
train_type = "short-train"
cutoff_h = 4
speed_kmh = 50
circuity_factor = 1.3
intensity_id = "rail-electric-container-eu"
cost_cny_per_teu_km = 0.7

[[add_routes]]
demand = "west-east"
name = "rail-2"
share = 0.2
legs = [{ road = "west-alpha" }, { service = "rail-ab-2" }, { road = "beta-east" }]

[[change_services]]
id = "barge-ab"
departures_per_week = 4
capacity_teu = 150
"""
    _, loaded, changes = resolve(write(folder, "more", body))
    s = shares(loaded, "west-east")
    assert s["rail-2"] == pytest.approx(0.2)
    assert s["road"] == pytest.approx(0.4 * 0.8)
    barge = next(x for x in loaded.scenario.services if x.id == "barge-ab")
    assert barge.departures_per_week is not None and barge.departures_per_week.value == 4
    assert barge.weekly_departure_h is None and barge.vessel_class is None
    assert {c.field for c in changes} >= {
        "services.rail-ab-2",
        "services.barge-ab.departures_per_week",
        "services.barge-ab.capacity_teu",
    }


def test_variant_of_a_variant_applies_both_in_order(folder: Path) -> None:
    write(folder, "first", '[[change_demand]]\nid = "west-east"\nteu_per_year = 30000\n')
    second = write(
        folder, "second", '[[change_hubs]]\nhub = "beta"\nservers = 4\n', base="first.toml"
    )
    chain, loaded, changes = resolve(second)
    assert [p.name for p in chain.files] == ["corridor.toml", "first.toml", "second.toml"]
    assert (
        next(d for d in loaded.scenario.demand if d.id == "west-east").teu_per_year.value == 30000
    )
    beta = next(r for r in loaded.scenario.hub_resources if r.hub == "beta")
    assert beta.servers is not None and beta.servers.value == 4
    assert [c.file.name for c in changes] == ["first.toml", "second.toml"]


def test_cycle_is_an_error_naming_the_chain(folder: Path) -> None:
    write(folder, "a", "", base="b.toml")
    write(folder, "b", "", base="a.toml")
    with pytest.raises(DataFileError, match=r"cycle: a\.toml -> b\.toml -> a\.toml"):
        load_variant_chain(folder / "a.toml")


def test_self_reference_is_a_cycle(folder: Path) -> None:
    write(folder, "me", "", base="me.toml")
    with pytest.raises(DataFileError, match=r"base = 'me\.toml': variants form a cycle"):
        load_variant_chain(folder / "me.toml")


def test_unknown_base(folder: Path) -> None:
    path = write(folder, "lost", "", base="nowhere.toml")
    with pytest.raises(DataFileError, match=r"base = 'nowhere\.toml': base file does not exist"):
        load_variant_chain(path)


def test_unknown_service_to_remove(folder: Path) -> None:
    path = write(folder, "rm", 'remove_services = ["ferry"]\n')
    with pytest.raises(
        DataFileError, match=r"remove_services\[0\] = 'ferry': unknown service .*barge-ab, rail-ab"
    ):
        resolve(path)


def test_shift_share_above_one(folder: Path) -> None:
    path = write(folder, "big", '[[shift]]\nroad_share = 1.5\nto_routes = ["rail"]\n')
    with pytest.raises(DataFileError, match=r"shift\[0\]\.road_share = 1\.5: must be <= 1"):
        load_variant_chain(path)


def test_shift_to_unknown_route(folder: Path) -> None:
    path = write(
        folder, "odd", '[[shift]]\ndemand = "west-east"\nroad_share = 0.3\nto_routes = ["air"]\n'
    )
    with pytest.raises(DataFileError, match=r"to_routes = 'air': unknown route of demand"):
        resolve(path)


def test_shift_to_a_road_route(folder: Path) -> None:
    path = write(
        folder, "odd", '[[shift]]\ndemand = "west-east"\nroad_share = 0.3\nto_routes = ["road"]\n'
    )
    with pytest.raises(DataFileError, match="is a road-only route"):
        resolve(path)


def test_removing_every_route_of_an_od(folder: Path) -> None:
    path = write(folder, "norail", 'remove_services = ["rail-ab"]\n')
    with pytest.raises(DataFileError, match="leaves demand 'alpha-beta' without a route"):
        resolve(path)


def test_levers_need_mode_choice(folder: Path) -> None:
    path = write(folder, "tax", "[policy]\ncarbon_price_cny_per_tco2e = 100\n")
    with pytest.raises(DataFileError, match=r"policy levers act through the mode choice"):
        load_variant_chain(path)


def test_shift_and_mode_choice_conflict(folder: Path) -> None:
    body = (
        '[mode_choice]\nparameters = "yangtze-container-v1"\n'
        '[[shift]]\nroad_share = 0.3\nto_routes = ["rail"]\n'
    )
    with pytest.raises(DataFileError, match=r"give \[\[shift\]\] or \[mode_choice\], not both"):
        load_variant_chain(write(folder, "both", body))


def test_unknown_field_and_wrong_id(folder: Path) -> None:
    with pytest.raises(DataFileError, match=r"remove_service = .*unknown field; did you mean"):
        load_variant_chain(write(folder, "typo", 'remove_service = ["rail-ab"]\n'))
    path = folder / "named.toml"
    path.write_text('id = "other"\nname = "x"\nbase = "corridor.toml"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"id = 'other': must equal the file name 'named'"):
        load_variant_chain(path)


def test_result_gets_the_scenario_checks(folder: Path) -> None:
    # a disruption that starts after the scenario's horizon passes the Variant model
    # but not check_scenario
    text = (
        '[[add_disruptions]]\nid = "late"\ndescription = "after the end"\n'
        'start_h = 1e6\nend_h = 2e6\nservice = "barge-ab"\nclosed = true\n'
    )
    path = write(folder, "late", text)
    with pytest.raises(
        DataFileError,
        match=r"late\.toml: disruptions\[2\]\.start_h = 1000000\.0: starts after the horizon",
    ):
        resolve(path)


def test_cutoff_longer_than_headway_is_accepted(folder: Path) -> None:
    # 14 departures a week make the headway 12 h, equal to the barge's 12 h cut-off:
    # a box then catches a later departure (docs/gotchas.md)
    path = write(folder, "fast", '[[change_services]]\nid = "barge-ab"\ndepartures_per_week = 14\n')
    _, loaded, _ = resolve(path)
    barge = next(v for v in loaded.scenario.services if v.id == "barge-ab")
    assert barge.cutoff_h.value == 12.0
    assert barge.even_spacing_h() == 12.0


def test_unknown_things_to_change(folder: Path) -> None:
    cases = {
        '[[change_hubs]]\nhub = "gamma"\nservers = 2\n': r"change_hubs\[0\]\.hub = 'gamma'",
        '[[change_road_links]]\nid = "x"\nspeed_kmh = 2\n': r"change_road_links\[0\]\.id = 'x'",
        '[[change_demand]]\nid = "x"\nteu_per_year = 2\n': r"change_demand\[0\]\.id = 'x'",
        'remove_disruptions = ["flood"]\n': r"remove_disruptions\[0\] = 'flood'",
        '[[change_services]]\nid = "x"\ncapacity_teu = 2\n': r"change_services\[0\]\.id = 'x'",
    }
    for i, (body, pattern) in enumerate(cases.items()):
        with pytest.raises(DataFileError, match=pattern):
            resolve(write(folder, f"c{i}", body))


# --- shipped data ------------------------------------------------------------------------


def _unsourced(node: object, path: str = "") -> list[str]:
    """Inline tables with a 'value' but without source and confidence."""
    out: list[str] = []
    if isinstance(node, dict):
        if "value" in node and not ("source" in node and "confidence" in node):
            out.append(path)
        for k, v in node.items():
            out += _unsourced(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _unsourced(v, f"{path}[{i}]")
    return out


SHIPPED_VARIANTS = sorted((REPO / "scenarios" / "variants").glob("*.toml"))


def test_at_least_two_yangtze_variants_are_shipped() -> None:
    names = [p.stem for p in SHIPPED_VARIANTS if p.stem.startswith("yangtze-")]
    assert len(names) >= 2


@pytest.mark.parametrize("path", SHIPPED_VARIANTS, ids=lambda p: p.stem)
def test_shipped_variant_values_are_sourced(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert _unsourced(data) == []
    numbers = [
        k for k, v in data.get("policy", {}).items() if isinstance(v, (int, float))
    ]  # plain numbers would carry no source
    assert numbers == []


@pytest.mark.parametrize("path", SHIPPED_VARIANTS, ids=lambda p: p.stem)
def test_shipped_variant_resolves(path: Path) -> None:
    chain = load_variant_chain(path)
    loaded = load_scenario(chain.scenario_path, REPO / "hubs")
    for vpath, variant in chain.variants:
        loaded, _ = apply_variant(loaded, variant, vpath, REPO / "hubs")
    assert loaded.scenario.id == path.stem


# --- mode-choice parameters ---------------------------------------------------------------


def test_shipped_mode_choice_parameters() -> None:
    params, path = load_mode_choice_parameters("yangtze-container-v1")
    assert path.name == "yangtze-container-v1.toml"
    assert params.cost_coefficient_per_cny.value < 0
    assert 0 < params.intermodal_nest_scale.value <= 1
    assert _unsourced(tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_mode_choice_parameter_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownIdentifierError, match="unknown mode-choice parameters 'nope'"):
        load_mode_choice_parameters("nope")
    good = (REPO / "standards" / "mode-choice" / "yangtze-container-v1.toml").read_text()
    bad = tmp_path / "yangtze-container-v1.toml"
    bad.write_text(good.replace("value = -0.0015", "value = 0.0015"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"cost_coefficient_per_cny = 0\.0015: must be < 0"):
        load_mode_choice_parameters(bad)
    text = """id = "bare"
name = "x"
cost_coefficient_per_cny = -0.001
value_of_time_cny_per_teu_h = 1
value_of_reliability_cny_per_teu_h = 1
intermodal_nest_scale = 0.5
road_nest_scale = 1
"""
    plain = tmp_path / "bare.toml"
    plain.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"bare\.toml: cost_coefficient_per_cny = -0\.001: give source and confidence",
    ):
        load_mode_choice_parameters(plain)


def test_change_record_names_what_it_replaced(folder: Path) -> None:
    body = '[[change_services]]\nid = "barge-ab"\ndepartures_per_week = 4\ncapacity_teu = 150\n'
    _, _, changes = resolve(write(folder, "rec", body))
    by_field = {c.field: c for c in changes}
    assert by_field["services.barge-ab.departures_per_week"].before == {
        "weekly_departure_h": [20.0, 92.0]
    }
    assert by_field["services.barge-ab.capacity_teu"].before == {"vessel_class": "small-barge"}


def test_shift_to_modes(folder: Path) -> None:
    path = write(folder, "tomode", '[[shift]]\nroad_share = 0.5\nto_modes = ["inland_waterway"]\n')
    _, loaded, _ = resolve(path)
    s = shares(loaded, "west-east")
    assert s["road"] == pytest.approx(0.2)
    assert s["barge"] == pytest.approx(0.45)
    assert s["rail"] == pytest.approx(0.35)


def test_shift_needs_one_kind_of_target(folder: Path) -> None:
    both = '[[shift]]\nroad_share = 0.5\nto_modes = ["rail"]\nto_routes = ["rail"]\n'
    with pytest.raises(DataFileError, match="give one of 'to_routes' or 'to_modes'"):
        load_variant_chain(write(folder, "both", both))
    with pytest.raises(DataFileError, match=r"to_modes\[0\] = 'air': must be one of"):
        load_variant_chain(
            write(folder, "air", '[[shift]]\nroad_share = 0.5\nto_modes = ["air"]\n')
        )


def test_a_variant_without_base_says_so(folder: Path) -> None:
    path = folder / "nobase.toml"
    path.write_text('id = "nobase"\nname = "n"\nremove_services = ["rail-ab"]\n', encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"nobase\.toml: base: required field is missing: a variant \(it has remove_services\)",
    ):
        load_variant_chain(path)


def test_a_subsidy_for_an_unknown_service(folder: Path) -> None:
    path = write(
        folder,
        "sub",
        '[mode_choice]\nparameters = "yangtze-container-v1"\n'
        '[[policy.subsidies]]\nservice = "ferry"\ncny_per_teu = 10\n',
    )
    with pytest.raises(
        DataFileError, match=r"policy\.subsidies\[0\]\.service = 'ferry': unknown service"
    ):
        resolve(path)


def test_a_service_changed_twice(folder: Path) -> None:
    change = '[[change_services]]\nid = "rail-ab"\ndepartures_per_week = 3\n'
    path = write(folder, "twice", change + change)
    with pytest.raises(DataFileError, match=r"change_services = .*: lists 'rail-ab' twice"):
        load_variant_chain(path)


def test_a_change_that_changes_nothing(folder: Path) -> None:
    path = write(folder, "idle", '[[change_services]]\nid = "rail-ab"\n')
    with pytest.raises(DataFileError, match=r"change_services\[0\] = .*: changes nothing"):
        load_variant_chain(path)


def test_a_route_shifted_to_twice(folder: Path) -> None:
    path = write(folder, "rr", '[[shift]]\nroad_share = 0.1\nto_routes = ["rail", "rail"]\n')
    with pytest.raises(DataFileError, match=r"shift\[0\]\.to_routes = .*: lists 'rail' twice"):
        load_variant_chain(path)


def test_demand_change_above_the_cap(folder: Path) -> None:
    path = write(folder, "cap", '[[change_demand]]\nid = "west-east"\nteu_per_year = 1e8\n')
    with pytest.raises(
        DataFileError,
        match=r"change_demand\[0\]\.teu_per_year = 100000000\.0: must be <= 10000000:",
    ):
        load_variant_chain(path)


def test_remove_service_drops_its_background_flow(folder: Path) -> None:
    base = folder / "corridor.toml"
    base.write_text(
        base.read_text(encoding="utf-8")
        + '\n[[background_service_flows]]\nid = "barge-other"\nservice = "barge-ab"\n'
        "teu_per_year = 1000\nbox_40ft_share = 0.5\nlot_teu = 5\n"
        '\n[[background_service_flows]]\nid = "rail-other"\nservice = "rail-ab"\n'
        "teu_per_year = 1000\nbox_40ft_share = 0.5\nlot_teu = 5\n",
        encoding="utf-8",
    )
    path = write(folder, "nobarge", 'remove_services = ["barge-ab"]\n')
    _, loaded, changes = resolve(path)
    assert [f.id for f in loaded.scenario.background_service_flows] == ["rail-other"]
    assert any(c.field == "background_service_flows.barge-other" for c in changes)
