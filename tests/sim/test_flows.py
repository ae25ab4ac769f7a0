"""flows.geojson: the simulated hubs and services on a map (issue #14)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.network.routing import route_if_any
from freighthub.sim.compiler import compile_network
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.experiment import run_network
from freighthub.sim.flows import flows_geojson, shipped_network_or_none
from freighthub.sim.output import write_outputs
from freighthub.vocabulary import Mode
from tests.network.test_geoparquet import assert_geoparquet_matches

SCENARIO = data_dir("scenarios") / "yangtze-corridor.toml"


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    """Three weeks of the Yangtze tutorial (barges along the river), two replications."""
    scenario = load_scenario(SCENARIO)
    network = dataclasses.replace(compile_network(scenario), horizon_h=24 * 21.0, warmup_h=0.0)
    pack = load_factor_pack("cn-derived-2026")  # the scenario's emission_pack
    return run_network(network, pack, seed=3, replications=2, keep_runs=True)


@pytest.fixture(scope="module")
def out(result: ExperimentResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(result, tmp_path_factory.mktemp("run") / "out")


@pytest.fixture(scope="module")
def flows(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "flows.geojson").read_text(encoding="utf-8"))
    return data


def _features(flows: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        f["properties"]["id"]: f for f in flows["features"] if f["properties"]["feature"] == kind
    }


def test_every_hub_and_service_is_a_feature_with_its_simulated_figures(
    flows: dict[str, Any],
    result: ExperimentResult,
) -> None:
    hubs, services = _features(flows, "hub"), _features(flows, "service")
    assert set(hubs) == set(result.estimates.hubs)
    assert set(services) == set(result.network.services.ids)
    for hub_id, f in hubs.items():
        est = result.estimates.hubs[hub_id]
        assert f["geometry"]["type"] == "Point"
        assert f["properties"]["handled_teu"] == pytest.approx(est.handled_teu.mean)
        assert f["properties"]["utilisation_ci95"] == pytest.approx(
            [est.utilisation.ci95_low, est.utilisation.ci95_high]
        )
    for service_id, f in services.items():
        est = result.estimates.services[service_id]
        assert f["properties"]["teu"] == pytest.approx(est.teu.mean)
        assert f["properties"]["departures"] == pytest.approx(est.departures.mean)
    assert flows["freighthub"]["scenario"] == "yangtze-corridor"
    assert (flows["freighthub"]["seed"], flows["freighthub"]["replications"]) == (3, 2)


def test_a_barge_service_follows_the_river_from_hub_to_hub(flows: dict[str, Any]) -> None:
    hubs, services = _features(flows, "hub"), _features(flows, "service")
    barge = services["guoyuan-yangshan-barge"]
    line = barge["geometry"]["coordinates"]
    assert barge["properties"]["geometry_basis"].startswith("network path chongqing-guoyuan")
    assert len(line) > 10  # through the Three Gorges, Wuhan, Nanjing ...
    assert line[0] == pytest.approx(hubs["chongqing-guoyuan"]["geometry"]["coordinates"])
    assert line[-1] == pytest.approx(hubs["shanghai-yangshan"]["geometry"]["coordinates"])


def test_without_a_network_every_service_is_a_straight_line(result: ExperimentResult) -> None:
    flows = flows_geojson(result, None)
    for f in _features(flows, "service").values():
        assert len(f["geometry"]["coordinates"]) == 2
        assert f["properties"]["geometry_basis"].startswith("straight line")


def test_the_file_is_strict_json_without_nan(flows: dict[str, Any], tmp_path: Path) -> None:
    text = json.dumps(flows, allow_nan=False)  # raises on NaN or infinity
    assert '"type": "FeatureCollection"' in text


def test_flows_parquet_is_geoparquet_holding_the_geojson_features(
    out: Path, flows: dict[str, Any]
) -> None:
    table = assert_geoparquet_matches((out / "flows.parquet").read_bytes(), flows)
    assert table.column("feature").to_pylist() == [
        f["properties"]["feature"] for f in flows["features"]
    ]
    meta = json.loads(table.schema.metadata[b"freighthub"])
    assert meta == flows["freighthub"]


def _road_legs_by_route() -> dict[str, list[tuple[str, bool]]]:
    """Per route id, its road legs as (link id, walked from the link's ``from``), read
    from the scenario file (not from the compiled arrays)."""
    s = load_scenario(SCENARIO).scenario
    links = {link.id: link for link in s.road_links}
    services = {svc.id: svc for svc in s.services}
    out: dict[str, list[tuple[str, bool]]] = {}
    for d in s.demand:
        for route in d.routes:
            at, legs = d.from_, []
            for leg in route.legs:
                if leg.road is not None:
                    link = links[leg.road]
                    forward = at == link.from_
                    legs.append((link.id, forward))
                    at = link.to if forward else link.from_
                else:
                    assert leg.service is not None
                    at = services[leg.service].to
            out[f"{d.id}/{route.name}"] = legs
    return out


def test_road_link_teu_adds_up_to_the_routes_delivered_teu(
    flows: dict[str, Any], result: ExperimentResult
) -> None:
    roads = _features(flows, "road_link")
    assert set(roads) == {link.id for link in load_scenario(SCENARIO).scenario.road_links}
    legs = _road_legs_by_route()
    # per replication, each link's TEU from the routes' delivered TEU (conservation)
    per_rep: dict[str, list[float]] = {link: [0.0] * result.replications for link in roads}
    forward: dict[str, float] = dict.fromkeys(roads, 0.0)
    for i, summary in enumerate(result.summaries):
        for rid, route in summary.routes.items():
            for link_id, fwd in legs[rid]:
                per_rep[link_id][i] += route.delivered_teu
                if fwd:
                    forward[link_id] += route.delivered_teu / result.replications
    for link_id, f in roads.items():
        p = f["properties"]
        assert p["teu"] == pytest.approx(sum(per_rep[link_id]) / result.replications)
        low, high = p["teu_ci95"]
        assert low <= p["teu"] <= high
        assert p["teu_forward"] == pytest.approx(forward[link_id])
        assert p["teu_forward"] + p["teu_reverse"] == pytest.approx(p["teu"])
    # the whole: road-link TEU = sum over routes of delivered TEU x road legs
    total = sum(e.delivered_teu.mean * len(legs[rid]) for rid, e in result.estimates.routes.items())
    assert total > 0
    assert sum(f["properties"]["teu"] for f in roads.values()) == pytest.approx(total)


def test_road_links_are_straight_unless_their_length_is_the_network_path(
    flows: dict[str, Any], result: ExperimentResult
) -> None:
    hubs = _features(flows, "hub")
    net = result.network
    for f in _features(flows, "road_link").values():  # zones join the road network
        path = f["properties"]["geometry_basis"].removeprefix("network path ").split(" -> ")
        assert f["properties"]["geometry_basis"].startswith("network path")
        assert len(path) >= 2 and path[0] == f["properties"]["from"]
        zone = net.node_ids.index(f["properties"]["from"])
        start = [float(net.node_lon_deg[zone]), float(net.node_lat_deg[zone])]
        assert f["geometry"]["coordinates"][0] == pytest.approx(start)
    # a long road leg runs along the expressways, not straight
    long_haul = _features(flows, "road_link")["wuhan-yangshan"]
    assert len(long_haul["geometry"]["coordinates"]) > 2
    assert "wuhan-yangluo" in long_haul["properties"]["geometry_basis"]
    # move the wuhan-yangshan link to start at Yangluo, with the network's road length
    network = shipped_network_or_none()
    assert network is not None
    a, b = net.node_ids.index("wuhan-yangluo"), net.node_ids.index("shanghai-yangshan")
    road_km = route_if_any(network, "wuhan-yangluo", "shanghai-yangshan", Mode.ROAD)
    assert road_km is not None
    ks = [k for k, x in enumerate(net.road.ids) if x == "wuhan-yangshan"]
    origin, destination = net.road.origin.copy(), net.road.destination.copy()
    distance = net.road.distance_km.copy()
    origin[ks], destination[ks] = [a, b], [b, a]
    for km, basis in ((road_km.distance_km, "network path wuhan-yangluo"), (1.0, "straight")):
        distance[ks] = km
        road = dataclasses.replace(
            net.road, origin=origin, destination=destination, distance_km=distance
        )
        moved = dataclasses.replace(result, network=dataclasses.replace(net, road=road))
        f = _features(flows_geojson(moved, network), "road_link")["wuhan-yangshan"]
        line = f["geometry"]["coordinates"]
        assert f["properties"]["geometry_basis"].startswith(basis)
        assert line[0] == pytest.approx(hubs["wuhan-yangluo"]["geometry"]["coordinates"])
        assert line[-1] == pytest.approx(hubs["shanghai-yangshan"]["geometry"]["coordinates"])
        assert (len(line) > 2) is (km > 1.0)


def test_features_list_the_network_links_they_run_on(flows: dict[str, Any]) -> None:
    network = shipped_network_or_none()
    assert network is not None
    for kind in ("service", "road_link"):
        for f in _features(flows, kind).values():
            links = f["properties"]["network_links"]
            basis = f["properties"]["geometry_basis"]
            assert bool(links) is basis.startswith("network path")
            known = [x for x in links if not x.startswith("access-")]
            # the links' lengths add up to the distance the simulation ran on
            total = sum(network.links[x].length_km.value for x in known)
            if len(known) == len(links):
                assert total == pytest.approx(f["properties"]["distance_km"])


def test_network_map_draws_the_flows_as_line_widths(
    out: Path, flows: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    from freighthub.cli import main
    from freighthub.network.flowmap import read_link_flows

    read = read_link_flows(out)
    expected: dict[str, float] = {}
    for kind in ("service", "road_link"):
        for f in _features(flows, kind).values():
            for link_id in f["properties"]["network_links"]:
                expected[link_id] = expected.get(link_id, 0.0) + (f["properties"]["teu"] or 0.0)
    assert read.teu_by_link == pytest.approx(expected)
    svg_path = tmp_path / "map.svg"
    with pytest.raises(SystemExit) as exc:
        main(["network", "map", "--flows", str(out), "--out", str(svg_path)])
    assert exc.value.code == 0
    svg = svg_path.read_text(encoding="utf-8")
    widths = {
        m[1]: float(m[0])
        for m in re.findall(r'stroke-width="([0-9.]+)"[^>]*data-link="([^"]+)"', svg)
    }
    top = max(expected.values())
    busiest = max(expected, key=lambda k: expected[k])
    assert widths[busiest] == pytest.approx(10.0, abs=0.05)  # 1 + 9 x sqrt(1)
    for link_id, teu in expected.items():  # zones' access links are drawn too
        assert widths[link_id] == pytest.approx(1.0 + 9.0 * (teu / top) ** 0.5, abs=0.05)
    assert any(k.startswith("access-") for k in widths)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["features"][-1]["properties"].update(teu=-1.0), "properties.teu = -1.0"),
        (lambda d: d.update(type="Feature"), "type = 'Feature': not a GeoJSON FeatureCollection"),
        (
            lambda d: d["features"][-1]["properties"].update(network_links="x"),
            "network_links = 'x': must be a list of link ids",
        ),
    ],
)
def test_network_map_with_bad_flows_is_one_line_exit_2(
    flows: dict[str, Any],
    edit: Any,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from freighthub.cli import main

    doc = json.loads(json.dumps(flows))
    edit(doc)
    bad = tmp_path / "flows.geojson"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    for given in (bad, tmp_path / "missing.geojson"):
        with pytest.raises(SystemExit) as exc:
            main(["network", "map", "--flows", str(given), "--out", str(tmp_path / "m.svg")])
        err = capsys.readouterr().err.strip()
        assert exc.value.code == 2 and len(err.splitlines()) == 1 and str(given) in err
        assert (message if given == bad else "no such file") in err
