"""Integrity of the shipped sample scenarios: they load, every value is sourced, they run."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from freighthub.emissions import hub_category_ids, intensity_ids
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.experiment import run_network
from freighthub.vocabulary import Confidence

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO / "scenarios").glob("*.toml"))
PACK = load_factor_pack("cn-derived-2026")  # the shipped scenarios' pack (GLEC v3.0 + China)


def test_the_two_samples_are_shipped() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"yangtze-corridor", "china-europe-rail"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_loads_with_known_intensities(path: Path) -> None:
    ids = set(intensity_ids(PACK)) | set(hub_category_ids(PACK))
    loaded = load_scenario(path, REPO / "hubs", intensity_ids=ids)
    assert loaded.scenario.emission_pack == PACK.id


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_value_is_sourced(path: Path) -> None:
    loaded = load_scenario(path, REPO / "hubs")
    unsourced = [name for name, v in loaded.scenario.iter_sourced() if not v.is_sourced]
    assert unsourced == []
    for name, v in loaded.scenario.iter_sourced():
        assert v.source is not None
        if v.confidence is Confidence.ASSUMPTION:
            assert "assumption" in v.source.lower(), f"{name}: an assumption must say so and why"
    for z in loaded.scenario.zones:
        assert z.location_source


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_runs_and_conserves_teu(path: Path) -> None:
    # A shortened horizon (8 weeks) keeps the test fast; the full year is run by the CLI.
    network = compile_network(load_scenario(path, REPO / "hubs"))
    short = dataclasses.replace(network, horizon_h=8 * 168.0, warmup_h=168.0)
    result = run_network(short, PACK, seed=1, replications=1)
    s = result.summaries[0]
    assert s.throughput_teu > 0
    assert s.arrived_teu == s.delivered_teu + s.in_system_teu
    assert math.fsum(s.modal_split_teu_share.values()) == pytest.approx(1.0)
    assert s.emissions_kgco2e_wtw > 0


def test_sample_scenario_path() -> None:
    from freighthub.errors import UnknownIdentifierError
    from freighthub.sim.experiment import sample_scenario_path

    assert sample_scenario_path().name == "yangtze-corridor.toml"
    with pytest.raises(
        UnknownIdentifierError, match=r"unknown scenario 'nowhere'; valid: .*yangtze-corridor"
    ):
        sample_scenario_path("nowhere")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_chinese_rail_legs_use_china_derived_factors(path: Path) -> None:
    # December 2026: rail inside China no longer borrows an EU factor (issue 15).
    loaded = load_scenario(path, REPO / "hubs")
    chinese_hubs = {
        "chongqing-guoyuan",
        "wuhan-yangluo",
        "chengdu-international-railway-port",
        "xian-international-port",
        "zhengzhou-international-land-port",
    }
    rail_in_china = [
        s for s in loaded.scenario.services if s.mode == "rail" and s.from_ in chinese_hubs
    ]
    assert rail_in_china
    ids = {s.intensity_id for s in rail_in_china}
    # Through trains to Europe take a corridor factor composed by country
    # (tests/emissions/test_corridor.py) whose Chinese sections use the Chinese entries.
    corridors = {i for i in ids if i.startswith("rail-corridor-")}
    assert ids - corridors == {"rail-electric-container-cn-2023"}
    from freighthub.model.factors import corridor_breakdown, load_factor_pack

    cn_electric = load_factor_pack("cn-derived-2026").transport["rail-electric-container-cn-2023"]
    for corridor in corridors:
        sections = corridor_breakdown("cn-derived-2026", corridor).sections
        assert {x.electric_wtw for x in sections if x.country == "CN"} == {
            cn_electric.intensity_wtw
        }
