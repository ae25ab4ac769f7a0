"""Chain legs that name a network route, and the great-circle rule for river and rail legs."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.emissions.intensity import EmissionsInputError
from freighthub.errors import DataFileError
from freighthub.model.chain import evaluate_chain_file, example_chain_path
from freighthub.model.hub import load_hubs
from freighthub.model.network import load_network
from freighthub.model.paths import data_dir
from freighthub.network.routing import shortest_route
from freighthub.vocabulary import Mode

_HEAD = 'id = "t"\npack = "glec-v3-2023"\n[shipment]\nmass_t = 10\n'


def _chain(tmp_path: Path, leg: str) -> Path:
    p = tmp_path / "chain.toml"
    p.write_text(_HEAD + '[[element]]\nkind = "leg"\nid = "barge"\n' + leg, encoding="utf-8")
    return p


def test_example_uses_the_network_distance() -> None:
    network = load_network(data_dir("networks"), load_hubs(data_dir("hubs")))
    expected = shortest_route(
        network, "chongqing-guoyuan", "shanghai-waigaoqiao", Mode.INLAND_WATERWAY
    ).distance_km
    ev = evaluate_chain_file(example_chain_path(), network=network)
    barge = next(e for e in ev.emissions.elements if e.id == "barge-guoyuan-to-waigaoqiao")
    assert barge.distance_km == pytest.approx(expected)
    assert barge.distance_km > 2000  # not the 1,441 km great-circle of issue #14


def test_route_leg_emissions_scale_with_route(tmp_path: Path) -> None:
    leg = (
        'mode = "inland_waterway"\nintensity = "iww-container-110m"\n'
        'route = { from = "chongqing-guoyuan", to = "wuhan-yangluo" }\n'
    )
    by_route = evaluate_chain_file(_chain(tmp_path, leg)).emissions.total_kgco2e_wtw
    network = load_network(data_dir("networks"), load_hubs(data_dir("hubs")))
    d = shortest_route(
        network, "chongqing-guoyuan", "wuhan-yangluo", Mode.INLAND_WATERWAY
    ).distance_km
    typed = _chain(
        tmp_path,
        f'mode = "inland_waterway"\nintensity = "iww-container-110m"\ndistance_km = {d}\n'
        'distance_type = "shortest_feasible"\n',
    )
    assert by_route == pytest.approx(evaluate_chain_file(typed).emissions.total_kgco2e_wtw)


def test_route_with_distance_refused(tmp_path: Path) -> None:
    leg = (
        'mode = "inland_waterway"\nintensity = "iww-container-110m"\ndistance_km = 5\n'
        'route = { from = "chongqing-guoyuan", to = "wuhan-yangluo" }\n'
    )
    with pytest.raises(
        DataFileError, match=r"element\[0\]\.distance_km = 5(\.0)?: give distance_km or route"
    ):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_route_without_mode_refused(tmp_path: Path) -> None:
    leg = 'intensity = "iww-container-110m"\nroute = { from = "chongqing-guoyuan", to = "wuhan-yangluo" }\n'
    with pytest.raises(DataFileError, match=r"element\[0\]\.mode: required with route"):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_route_as_great_circle_refused(tmp_path: Path) -> None:
    leg = (
        'mode = "inland_waterway"\nintensity = "iww-container-110m"\ndistance_type = "great_circle"\n'
        'route = { from = "chongqing-guoyuan", to = "wuhan-yangluo" }\n'
    )
    with pytest.raises(DataFileError, match=r"distance_type = 'great_circle': a network route is"):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_route_to_unknown_node(tmp_path: Path) -> None:
    leg = 'mode = "inland_waterway"\nintensity = "iww-container-110m"\nroute = { from = "chongqing-guoyuan", to = "atlantis" }\n'
    with pytest.raises(
        DataFileError, match=r"chain\.toml: element\[0\]\.route\.to = 'atlantis': not a node"
    ):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_route_without_path_for_mode(tmp_path: Path) -> None:
    leg = 'mode = "inland_waterway"\nintensity = "iww-container-110m"\nroute = { from = "chongqing-guoyuan", to = "alashankou" }\n'
    with pytest.raises(
        DataFileError,
        match=r"element\[0\]\.route = 'chongqing-guoyuan -> alashankou': no inland_waterway path "
        r"between 'chongqing-guoyuan' and 'alashankou'",
    ):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_neither_distance_nor_route(tmp_path: Path) -> None:
    with pytest.raises(
        DataFileError, match=r"element\[0\]: give distance_km \(with distance_type\) or route"
    ):
        evaluate_chain_file(_chain(tmp_path, 'intensity = "iww-container-110m"\n'))


def test_great_circle_barge_refused_without_daf(tmp_path: Path) -> None:
    leg = 'intensity = "iww-container-110m"\ndistance_km = 1441.3\ndistance_type = "great_circle"\n'
    with pytest.raises(
        EmissionsInputError, match=r"a great_circle distance understates a inland_waterway route"
    ):
        evaluate_chain_file(_chain(tmp_path, leg))


def test_great_circle_barge_with_own_daf(tmp_path: Path) -> None:
    leg = (
        'intensity = "iww-container-110m"\ndistance_km = 1000\ndistance_type = "great_circle"\n'
        "distance_adjustment_factor = 1.6\n"
    )
    sfd = 'intensity = "iww-container-110m"\ndistance_km = 1600\ndistance_type = "shortest_feasible"\n'
    got = evaluate_chain_file(_chain(tmp_path, leg)).emissions.total_kgco2e_wtw
    assert got == pytest.approx(
        evaluate_chain_file(_chain(tmp_path, sfd)).emissions.total_kgco2e_wtw
    )


def test_great_circle_daf_below_one_refused(tmp_path: Path) -> None:
    leg = (
        'intensity = "iww-container-110m"\ndistance_km = 1000\ndistance_type = "great_circle"\n'
        "distance_adjustment_factor = 0.9\n"
    )
    with pytest.raises(
        EmissionsInputError, match=r"distance_adjustment_factor = 0.9: must be >= 1"
    ):
        evaluate_chain_file(_chain(tmp_path, leg))
