"""Typed variant operations: items edited in place of a dict round trip, validated once."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.scenario import load_scenario
from freighthub.model.variant import apply_variant, load_variant_chain, with_route_shares
from freighthub.model.variant_ops import ScenarioDraft

DATA = Path(__file__).parents[1] / "shift" / "data"
HUBS = DATA / "hubs"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    return tmp_path


def variant(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\nname = "{name}"\nbase = "corridor.toml"\n{body}', "utf-8")
    return path


def apply(path: Path):  # type: ignore[no-untyped-def]
    chain = load_variant_chain(path)
    base = load_scenario(chain.scenario_path, HUBS)
    ((vpath, v),) = chain.variants
    loaded, changes = apply_variant(base, v, vpath, HUBS)
    return base, loaded, changes


def test_items_a_variant_does_not_touch_are_kept_as_they_are(folder: Path) -> None:
    body = '[[change_services]]\nid = "barge-ab"\ndepartures_per_week = 4\n'
    base, loaded, _ = apply(variant(folder, "barges", body))
    old, new = base.scenario, loaded.scenario
    # not dumped and validated again: the very same objects
    assert all(a is b for a, b in zip(old.road_links, new.road_links, strict=True))
    assert all(a is b for a, b in zip(old.demand, new.demand, strict=True))
    assert new.services[0] is old.services[0]  # rail-ab, unchanged
    barge = new.services[1]
    assert barge is not old.services[1]
    assert barge.departures_per_week is not None and barge.departures_per_week.value == 4.0
    # the base's other timetable goes, so "exactly one timetable" still holds
    assert barge.weekly_departure_h is None
    assert barge.even_spacing_h() == pytest.approx(168.0 / 4)


def test_a_value_breaking_its_field_rule_is_named_on_the_variant_field(folder: Path) -> None:
    # the change's field has the scenario field's type, cap included: named where written
    one = '[[change_services]]\nid = "rail-ab"\ndepartures_per_week = 20000\n'
    with pytest.raises(DataFileError) as info:
        load_variant_chain(variant(folder, "cap", one))
    assert str(info.value).startswith(
        f"{folder / 'cap.toml'}: change_services[0].departures_per_week = 20000"
    )
    assert ": must be <= 10080: a simulation size cap" in str(info.value)
    assert "\n" not in str(info.value)
    two = one + '[[change_services]]\nid = "barge-ab"\ndepartures_per_week = 30000\n'
    with pytest.raises(DataFileError, match=r"change_services\[0\].*\(and 1 more error\)$"):
        load_variant_chain(variant(folder, "cap2", two))


def test_a_rule_across_fields_a_change_breaks_is_reported_on_the_scenario_field(
    folder: Path,
) -> None:
    # barge-ab loads 10 h before its 12 h cut-off; a 6 h cut-off leaves no room for that
    base = folder / "corridor.toml"
    text = base.read_text("utf-8")
    anchor = "cutoff_h = 12\n"
    base.write_text(text.replace(anchor, anchor + "loading_window_h = 10\n", 1), "utf-8")
    body = '[[change_services]]\nid = "barge-ab"\ncutoff_h = 6\n'
    with pytest.raises(DataFileError) as info:
        apply(variant(folder, "late", body))
    assert str(info.value).startswith(f"{folder / 'late.toml'}: services[1].loading_window_h = 10")
    assert "must be <= cutoff_h = 6" in str(info.value)


def test_shifted_shares_are_typed_and_sum_to_one(folder: Path) -> None:
    body = '[[shift]]\nroad_share = 0.5\nto_routes = ["rail", "barge"]\n'
    base, loaded, changes = apply(variant(folder, "half", body))
    west_east = loaded.scenario.demand[0]
    assert math.fsum(r.share.value for r in west_east.routes) == pytest.approx(1.0, abs=1e-12)
    road = west_east.routes[0]
    assert road.share.value == pytest.approx(0.4 * 0.5)
    assert road.share.source == "shifted by variant half" and road.share.confidence is None
    # alpha-beta has no road-only route: untouched, the same object
    assert loaded.scenario.demand[1] is base.scenario.demand[1]
    moved = {c.field: c.after for c in changes}
    assert moved == {"demand.west-east.road_share_moved": pytest.approx(0.2)}


def test_route_shares_from_a_choice_are_normalised_and_checked(folder: Path) -> None:
    base = load_scenario(folder / "corridor.toml", HUBS)
    shares = {"west-east/road": 0.2, "west-east/rail": 0.5, "west-east/barge": 0.3}
    out = with_route_shares(base, shares, "test logit", HUBS)
    got = {r.name: r.share.value for r in out.scenario.demand[0].routes}
    assert got == pytest.approx({"road": 0.2, "rail": 0.5, "barge": 0.3})
    assert {r.share.source for d in out.scenario.demand for r in d.routes} == {"test logit"}
    assert out.scenario.road_links[0] is base.scenario.road_links[0]


def test_the_draft_validates_what_it_made_on_the_scenario_path(folder: Path) -> None:
    base = load_scenario(folder / "corridor.toml", HUBS).scenario
    draft = ScenarioDraft()
    dem = base.demand[1]
    routes = (draft.reshared(dem.routes[0], 1.5, "typo"),)
    edited = draft.copy(base, demand=(base.demand[0], draft.copy(dem, routes=routes)))
    with pytest.raises(
        DataFileError, match=r"demand\[1\]\.routes\[0\]\.share = 1\.5: must be <= 1"
    ):
        draft.validated(edited, folder / "v.toml")
    # without edits, validation returns an equal scenario
    assert ScenarioDraft().validated(base, folder / "v.toml") == base
