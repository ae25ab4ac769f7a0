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
from freighthub.sim.compiler import compile_network
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.experiment import run_network
from freighthub.sim.flows import flows_geojson
from freighthub.sim.output import write_outputs
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
