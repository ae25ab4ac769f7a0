"""Integrity of the shipped network files and every bad-input path of the loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.hub import Hub
from freighthub.model.network import Network, NodeKind, check_network_files, load_network
from freighthub.vocabulary import Confidence, Mode

_NODE = """
[[node]]
id = "junction-a"
kind = "junction"
name = "A"
country = "CN"
lon_deg = 110.0
lat_deg = 30.0
location_source = "test"
"""


def _link(a: str, b: str, length: object = 100, extra: str = "", mode: str = "rail") -> str:
    return f"""
[[link]]
id = "l-{a}-{b}"
mode = "{mode}"
from = "{a}"
to = "{b}"
length_km = {{ value = {length}, source = "test", confidence = "assumption" }}
{extra}
"""


def test_every_length_is_sourced(shipped: Network) -> None:
    assert shipped.links
    for link in shipped.links.values():
        assert link.length_km.is_sourced, link.id
        assert link.length_km.value > 0
        if link.length_km.confidence is Confidence.ASSUMPTION:
            assert link.source.startswith(("assumption", "derived")), link.id


def test_shipped_content(shipped: Network) -> None:
    kinds = {n.kind for n in shipped.nodes.values()}
    assert {NodeKind.HUB, NodeKind.JUNCTION, NodeKind.LOCK, NodeKind.BORDER_CROSSING} <= kinds
    assert {Mode.INLAND_WATERWAY, Mode.RAIL, Mode.ROAD} <= {
        lk.mode for lk in shipped.links.values()
    }
    assert shipped.nodes["three-gorges-locks"].kind is NodeKind.LOCK


def test_valid_small_file(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    folder = write_network('id = "t"\n' + _NODE + _link("junction-a", "alashankou"))
    network = load_network(folder, hubs)
    assert network.links["l-junction-a-alashankou"].length_km.value == 100


def test_link_to_unknown_node(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    folder = write_network('id = "t"\n' + _link("alashankou", "atlantis"))
    with pytest.raises(DataFileError, match=r"net\.toml: link\[0\]\.to = 'atlantis': unknown node"):
        load_network(folder, hubs)


@pytest.mark.parametrize("length", [0, -5])
def test_zero_or_negative_length(
    write_network: Callable[[str], Path], hubs: dict[str, Hub], length: int
) -> None:
    folder = write_network('id = "t"\n' + _link("alashankou", "khorgos", length))
    with pytest.raises(DataFileError, match=rf"link\[0\]\.length_km = {length}: must be > 0"):
        load_network(folder, hubs)


def test_unsourced_length(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    text = 'id = "t"\n[[link]]\nid = "x"\nmode = "rail"\nfrom = "alashankou"\nto = "khorgos"\nlength_km = 10\n'
    with pytest.raises(DataFileError, match=r"link\[0\]\.length_km = .*give source and confidence"):
        load_network(write_network(text), hubs)


def test_disconnected_node(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    folder = write_network('id = "t"\n' + _NODE + _link("alashankou", "khorgos"))
    with pytest.raises(
        DataFileError, match=r"node\[0\]\.id = 'junction-a': node has no link \(disconnected\)"
    ):
        load_network(folder, hubs)


def test_rail_fields_on_road_link(
    write_network: Callable[[str], Path], hubs: dict[str, Hub]
) -> None:
    extra = 'gauge_mm = { value = 1435, source = "s", confidence = "verified" }'
    folder = write_network('id = "t"\n' + _link("alashankou", "khorgos", extra=extra, mode="road"))
    with pytest.raises(
        DataFileError, match=r"link\[0\]\.gauge_mm = 1435: a rail field on a road link"
    ):
        load_network(folder, hubs)


def test_self_loop(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    folder = write_network('id = "t"\n' + _link("khorgos", "khorgos"))
    with pytest.raises(
        DataFileError, match=r"link\[0\]\.to = 'khorgos': from and to are the same node"
    ):
        load_network(folder, hubs)


def test_duplicate_hub_node(write_network: Callable[[str], Path], hubs: dict[str, Hub]) -> None:
    text = 'id = "t"\n' + _NODE.replace("junction-a", "khorgos") + _link("khorgos", "alashankou")
    with pytest.raises(DataFileError, match=r"node\[0\]\.id = 'khorgos': duplicate node id"):
        load_network(write_network(text), hubs)


def test_check_collects_every_error(
    write_network: Callable[[str], Path], hubs: dict[str, Hub]
) -> None:
    folder = write_network('id = "t"\n' + _link("a-x", "khorgos") + _link("khorgos", "b-y"))
    _, errors = check_network_files([folder], hubs)
    assert [e.field for e in errors] == ["link[0].from", "link[1].to"]


def test_empty_folder(tmp_path: Path, hubs: dict[str, Hub]) -> None:
    with pytest.raises(DataFileError, match=r"folder holds no network files"):
        load_network(tmp_path, hubs)
