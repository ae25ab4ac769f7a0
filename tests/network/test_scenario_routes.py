"""Scenario services and road links with ``network_route = true``."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.network import Network
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.network.routing import shortest_route
from freighthub.vocabulary import Confidence, Mode

SHIPPED = data_dir("scenarios") / "yangtze-corridor.toml"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
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
    j = text.index("circuity_factor", i)
    k = text.index("\n", j)
    block = text[i:j].replace('to = "wuhan-yangluo"', 'to = "nanjing-longtan"')
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text[:i] + block + "network_route = true" + text[k:], encoding="utf-8")
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


def test_road_link_from_a_zone_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    i = text.index('id = "liangjiang-guoyuan"')
    j = text.index("circuity_factor", i)
    k = text.index("\n", j)
    p = tmp_path / "yangtze-corridor.toml"
    p.write_text(text[:j] + "network_route = true" + text[k:], encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"road_links\[0\]\.from = 'chongqing-liangjiang': network_route: not a node",
    ):
        load_scenario(p)
