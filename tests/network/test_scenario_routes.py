"""Scenario services and road links with ``network_route = true``."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km
from freighthub.model.hub import Hub
from freighthub.model.network import Network, load_network
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.network.routing import shortest_route
from freighthub.network.scenario import circuity_assumptions
from freighthub.sim.compiler import compile_network
from freighthub.vocabulary import Confidence, Mode

SHIPPED = data_dir("scenarios") / "yangtze-corridor.toml"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


_ROAD_ROUTE = (
    "network_route = true                                 "
    "# distance: zone access link + shortest expressway path on networks/"
)
_RAIL_ROUTE = (
    "network_route = true                                 "
    "# distance: shortest rail path on networks/ (Yuli - Yiwan - Hanyi, networks/yangtze-rail.toml)"
)
_FACTOR = (
    'circuity_factor = { value = 1.3, source = "Wang et al. (2024)", confidence = "secondary" }'
)


def _with_circuity(tmp_path: Path) -> Path:
    """The shipped scenario with its road links and rail service on a circuity factor."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(_ROAD_ROUTE) == 7 and text.count(_RAIL_ROUTE) == 1
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text.replace(_ROAD_ROUTE, _FACTOR).replace(_RAIL_ROUTE, _FACTOR), "utf-8")
    return p


def test_shipped_barges_use_network_distances(shipped: Network) -> None:
    loaded = load_scenario(SHIPPED)
    by_id = {s.id: s for s in loaded.scenario.services}
    barge = by_id["guoyuan-yangshan-barge"]
    expected = shortest_route(
        shipped, "chongqing-guoyuan", "shanghai-yangshan", Mode.INLAND_WATERWAY
    )
    assert barge.distance_km is not None
    assert barge.distance_km.value == pytest.approx(expected.distance_km)
    assert "three-gorges-locks" in (barge.distance_km.source or "")
    # the route holds assumption links (split reaches), so the distance says so
    assert barge.distance_km.confidence is Confidence.ASSUMPTION
    assert barge.network_route is None


def test_service_without_path_for_its_mode(tmp_path: Path) -> None:
    # Nanjing Longtan has no rail link in the network
    text = SHIPPED.read_text(encoding="utf-8")
    i = text.index('id = "guoyuan-yangluo-rail"')
    j = text.index("network_route", i)
    block = text[i:j].replace('to = "wuhan-yangluo"', 'to = "nanjing-longtan"')
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text[:i] + block + text[j:], encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"services\[4\]\.network_route = True: no rail path between 'chongqing-guoyuan' "
        r"and 'nanjing-longtan' in the network: 'nanjing-longtan' has no rail link",
    ):
        load_scenario(p)


def test_both_distance_and_route_refused(tmp_path: Path) -> None:
    p = _edited(
        tmp_path, 'id = "guoyuan-yangluo-barge"', 'id = "guoyuan-yangluo-barge"\ndistance_km = 5'
    )
    with pytest.raises(DataFileError, match=r"distance: give only one of 'distance_km' or"):
        load_scenario(p)


def test_shipped_rail_service_runs_on_the_yangtze_rail_lines(shipped: Network) -> None:
    loaded = load_scenario(SHIPPED)
    rail = next(s for s in loaded.scenario.services if s.id == "guoyuan-yangluo-rail")
    expected = shortest_route(shipped, "chongqing-guoyuan", "wuhan-yangluo", Mode.RAIL)
    assert expected.path == (
        "chongqing-guoyuan",
        "liangwu",
        "yichang-east",
        "hankou-station",
        "wuhan-yangluo",
    )
    published = {"rail-liangwu-yichang-east": 288.0, "rail-yichang-east-hankou-station": 293.1}
    lengths = {link.id: link.length_km.value for link in expected.links}
    assert {k: lengths[k] for k in published} == published
    assert rail.distance_km is not None
    assert rail.distance_km.value == pytest.approx(expected.distance_km)
    assert rail.distance_km.value == pytest.approx(sum(lengths.values()))


def test_a_zone_too_far_from_every_road_node_is_refused(tmp_path: Path) -> None:
    # Liangjiang moved to Paris: no road node of networks/ within max_geodesic_km
    p = _edited(tmp_path, "lon_deg = 106.53\nlat_deg = 29.72", "lon_deg = 2.35\nlat_deg = 48.86")
    with pytest.raises(
        DataFileError,
        match=r"road_links\[0\]\.from = 'chongqing-liangjiang': network_route: zone "
        r"'chongqing-liangjiang' lies more than 60 km from every road node of networks/",
    ):
        load_scenario(p)


# --- lengths that rest on a circuity factor -------------------------------------------


def test_circuity_assumptions_are_every_circuity_length_the_simulation_uses(
    shipped: Network, tmp_path: Path
) -> None:
    assert circuity_assumptions(load_scenario(SHIPPED), shipped) == []
    p = _with_circuity(tmp_path)
    raw = tomllib.loads(p.read_text(encoding="utf-8"))
    expected = {
        (kind, x["id"])
        for kind, key in (("service", "services"), ("road_link", "road_links"))
        for x in raw.get(key, [])
        if "circuity_factor" in x
    }
    loaded = load_scenario(p)
    found = circuity_assumptions(loaded, shipped)
    assert {(x.kind, x.id) for x in found} == expected and len(found) == 8
    compiled = compile_network(loaded)
    road_km = dict(zip(compiled.road.ids, compiled.road.distance_km, strict=True))
    service_km = dict(zip(compiled.services.ids, compiled.services.distance_km, strict=True))
    for x in found:
        # geodesic x factor is the length the simulation runs on
        assert x.distance_km == pytest.approx(x.geodesic_km * x.circuity_factor)
        km = road_km[x.id] if x.kind == "road_link" else service_km[x.id]
        assert x.distance_km == pytest.approx(float(km))
        assert x.factor_source
    for x in found:  # zones join the road network, so every one could be routed
        assert "network_route = true would use that path" in x.reason
    rail = next(x for x in found if x.id == "guoyuan-yangluo-rail")
    path = shortest_route(shipped, rail.from_, rail.to, Mode.RAIL)
    assert f"{path.distance_km:,.1f} km" in rail.reason and "network_route = true" in rail.reason


@pytest.mark.parametrize("name", sorted(p.name for p in data_dir("scenarios").glob("*.toml")))
def test_every_shipped_scenario_uses_network_distances(shipped: Network, name: str) -> None:
    """Issue #14: no shipped service or road link rests on a circuity factor."""
    assert circuity_assumptions(load_scenario(data_dir("scenarios") / name), shipped) == []


def test_the_ruhr_last_mile_is_an_access_link_from_the_duisburg_road_node(
    shipped: Network,
) -> None:
    loaded = load_scenario(data_dir("scenarios") / "china-europe-rail.toml")
    zone = next(z for z in loaded.scenario.zones if z.id == "ruhr-consignees")
    last = next(x for x in loaded.scenario.road_links if x.id == "duisburg-last-mile")
    hub = shipped.nodes["duisburg-duisport"]
    crow = geodesic_distance_km(zone.lon_deg, zone.lat_deg, hub.lon_deg, hub.lat_deg)
    # the hub is a road node (the A 40 of networks/de-ruhr-roads.toml) within the access
    # limit, and the A 40 path by Dortmund is longer than the direct access link
    assert "duisburg-duisport" in {
        n for x in shipped.links_of(Mode.ROAD) for n in (x.from_node, x.to_node)
    }
    assert shipped.zone_access is not None
    assert crow <= shipped.zone_access.max_geodesic_km.value
    assert last.distance_km is not None and last.network_route is None
    assert last.distance_km.value == pytest.approx(crow * 1.3)
    assert "network route" in (last.distance_km.source or "")


def test_a_hub_to_hub_road_link_says_whether_the_network_could_route_it(
    tmp_path: Path, shipped: Network, hubs: dict[str, Hub]
) -> None:
    p = _with_circuity(tmp_path)  # the road route now drives via Yangluo
    text = p.read_text(encoding="utf-8")
    old = 'from = "wuhan-edz"\nto = "shanghai-yangshan"'
    assert old in text
    text = text.replace(old, 'from = "wuhan-yangluo"\nto = "shanghai-yangshan"', 1)
    old = 'legs = [{ road = "wuhan-yangshan" }]'
    assert old in text
    new = 'legs = [{ road = "wuhan-yangluo" }, { road = "wuhan-yangshan" }]'
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    loaded = load_scenario(p)
    link = next(x for x in circuity_assumptions(loaded, shipped) if x.id == "wuhan-yangshan")
    assert "road path" in link.reason and "network_route = true" in link.reason
    waterway_only = load_network(data_dir("networks") / "yangtze-trunk.toml", hubs)
    link = next(x for x in circuity_assumptions(loaded, waterway_only) if x.id == "wuhan-yangshan")
    assert link.reason == "no road path between them on the network"


def test_cli_validate_lists_circuity_lengths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", "--scenario", str(SHIPPED)])
    assert exc.value.code == 0
    assert "0 length(s) from a circuity factor" in capsys.readouterr().out
    p = _with_circuity(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", "--scenario", str(p)])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert "8 length(s) from a circuity factor" in out
    assert "road_links[0] liangjiang-guoyuan" in out
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", "--scenario", str(p), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert exc.value.code == 0 and doc["valid"]
    items = doc["circuity"][str(p)]
    assert len(items) == 8 and {x["kind"] for x in items} == {"service", "road_link"}


def test_cli_validate_with_a_missing_scenario_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", "--scenario", str(tmp_path / "nope.toml")])
    assert exc.value.code == 2
    assert "nope.toml" in capsys.readouterr().err
