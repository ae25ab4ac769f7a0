"""The two real-scale baselines (issue #16): their data add up to the published statistics.

The published figures live in ``statistics/``; the scenarios declare the traced corridor
flows (``[[demand]]``) and the rest of each hub's traffic as background. These tests check
the arithmetic of the shipped data, without simulating: every hub with a published
throughput gets, from traced lifts plus background, its published total within the
validation tolerance, and every published train count is matched by the timetable.
"""

from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from freighthub.model.scenario import LoadedScenario, load_scenario
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR

REPO = Path(__file__).resolve().parents[2]
BASELINES = {"yangtze-baseline": "yangtze-2023", "china-europe-baseline": "china-europe-2024"}
#: issue #16: hub throughputs and service volumes within 10 % of the published figure.
RELATIVE_TOLERANCE = 0.10


def _load(name: str) -> LoadedScenario:
    return load_scenario(REPO / "scenarios" / f"{name}.toml", REPO / "hubs")


def _statistics(name: str) -> dict[str, object]:
    with (REPO / "statistics" / f"{BASELINES[name]}.toml").open("rb") as f:
        return tomllib.load(f)


def traced_lifts_teu(loaded: LoadedScenario) -> dict[str, float]:
    """Traced TEU lifted per hub and year: each service leg once at each end."""
    s = loaded.scenario
    ends = {svc.id: (svc.from_, svc.to) for svc in s.services}
    lifts: dict[str, float] = defaultdict(float)
    for d in s.demand:
        for route in d.routes:
            teu = d.teu_per_year.value * route.share.value
            for leg in route.legs:
                if leg.service is not None:
                    for hub in ends[leg.service]:
                        lifts[hub] += teu
    return dict(lifts)


def background_teu(loaded: LoadedScenario) -> dict[str, float]:
    """Declared background TEU per hub and year (hub flows, and service flows at both ends)."""
    s = loaded.scenario
    ends = {svc.id: (svc.from_, svc.to) for svc in s.services}
    total: dict[str, float] = defaultdict(float)
    for f in s.background_hub_flows:
        total[f.hub] += f.teu_per_year.value
    for g in s.background_service_flows:
        for hub in ends[g.service]:
            total[hub] += g.teu_per_year.value
    return dict(total)


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_is_shipped_with_its_statistics(name: str) -> None:
    loaded = _load(name)
    stats = _statistics(name)
    assert loaded.scenario.id == name
    assert loaded.scenario.horizon_h == pytest.approx(HOURS_PER_YEAR)
    assert stats["id"] == BASELINES[name]
    assert loaded.scenario.background_hub_flows, "a real-scale baseline carries background"


def test_the_yangtze_baseline_has_at_least_eight_ports_from_chongqing_to_shanghai() -> None:
    hubs = _load("yangtze-baseline").scenario.hubs
    assert len(hubs) >= 8
    assert hubs[0] == "chongqing-guoyuan"
    assert {"shanghai-yangshan", "wuhan-yangluo", "nanjing-longtan", "taicang-port"} <= set(hubs)


def test_the_china_europe_baseline_crosses_every_main_border() -> None:
    s = _load("china-europe-baseline").scenario
    crossings = {svc.border_crossing for svc in s.services} - {None}
    assert crossings == {"alashankou", "khorgos", "erenhot", "manzhouli", "brest-malaszewicze"}
    assert {"duisburg-duisport", "hamburg-port"} <= set(s.hubs)


@pytest.mark.parametrize("name", list(BASELINES))
def test_traced_plus_background_equals_the_published_throughput(name: str) -> None:
    loaded = _load(name)
    traced, background = traced_lifts_teu(loaded), background_teu(loaded)
    published = _statistics(name).get("hub_throughput", [])
    assert isinstance(published, list)
    for row in published:
        hub, teu = row["hub"], row["teu"]["value"]
        declared = traced.get(hub, 0.0) + background.get(hub, 0.0)
        assert declared == pytest.approx(teu, rel=RELATIVE_TOLERANCE), hub
        # the background is the published total less the traced lifts, rounded to 1,000 TEU
        assert abs(declared - teu) <= 500.0, hub


def test_yangshan_cranes_can_carry_its_published_volume_at_40_to_90_percent() -> None:
    # Issue #16: at real volumes Yangshan's crane utilisation must lie between 40 and 90 %.
    # One lift per box; boxes = TEU / (1 + 40 ft share); capacity = servers x moves/h x year.
    loaded = _load("yangtze-baseline")
    handling = loaded.hubs["shanghai-yangshan"].handling
    assert handling is not None
    servers = sum(e.count.value for e in handling.equipment)
    moves_per_h = (
        sum(e.count.value * e.moves_per_h.value for e in handling.equipment if e.moves_per_h)
        / servers
    )
    (flow,) = [f for f in loaded.scenario.background_hub_flows if f.hub == "shanghai-yangshan"]
    traced = traced_lifts_teu(loaded)["shanghai-yangshan"]
    moves = flow.teu_per_year.value / (1 + flow.box_40ft_share.value) + traced / 1.5
    utilisation = moves / (servers * moves_per_h * HOURS_PER_YEAR)
    assert 0.4 < utilisation < 0.9


def test_timetables_run_the_published_trains_per_origin() -> None:
    s = _load("china-europe-baseline").scenario
    per_week = {
        svc.id: svc.departures_per_week.value
        for svc in s.services
        if svc.departures_per_week is not None
    }
    volumes = _statistics("china-europe-baseline")["service_volume"]
    assert isinstance(volumes, list)
    for row in volumes:
        weekly = math.fsum(per_week[sid] for sid in row["services"])
        trains = weekly * HOURS_PER_YEAR / HOURS_PER_WEEK
        assert trains == pytest.approx(row["trains"]["value"], rel=0.01), row["name"]
