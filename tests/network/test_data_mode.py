"""A mode's names live in its registry row: a mode added as data is routed by name.

The fixture adds a row (with an alias) to :data:`freighthub.vocabulary.MODE_FACTS`; a
network file gives a link of that mode, and ``freighthub network route --mode`` accepts
both the mode's id and its alias. Without the row, the network file and the name are
refused with the registered modes listed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from freighthub.cli import main
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.hub import Hub
from freighthub.model.network import load_network
from freighthub.network.routing import mode_from_name
from freighthub.vocabulary import MODE_FACTS, DistanceType, ModeFacts, mode_names

DUMMY = "dummy_hover"

_NET = f"""id = "t"
[[link]]
id = "hover-1"
mode = "{DUMMY}"
from = "alashankou"
to = "khorgos"
length_km = {{ value = 321.5, source = "test", confidence = "assumption" }}
controlling_depth_m = {{ value = 3.0, source = "test", confidence = "assumption" }}
"""


@pytest.fixture
def dummy_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    row = ModeFacts(DUMMY, True, True, DistanceType.SHORTEST_FEASIBLE, "#123456", "Dummy", ("hv",))
    monkeypatch.setitem(MODE_FACTS, DUMMY, row)
    yield DUMMY


def test_names_come_from_the_registry() -> None:
    names = mode_names()
    assert names["iww"] == "inland_waterway"
    assert all(names[m] == m for m in MODE_FACTS)
    assert mode_from_name("iww") == "inland_waterway"
    with pytest.raises(UnknownIdentifierError, match=r"unknown mode 'hv'; valid: .*iww"):
        mode_from_name("hv")


def test_unregistered_mode_is_refused_in_a_network_file(
    write_network: Callable[[str], Path], hubs: dict[str, Hub]
) -> None:
    with pytest.raises(DataFileError, match=rf"link\[0\]\.mode = '{DUMMY}': must be one of"):
        load_network(write_network(_NET), hubs)


@pytest.mark.parametrize("name", [DUMMY, "hv"])
def test_data_mode_is_routed_by_id_and_alias(
    dummy_mode: str,
    name: str,
    write_network: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert mode_names()["hv"] == dummy_mode
    folder = write_network(_NET)
    args = ["network", "route", "alashankou", "khorgos", "--mode", name, "--json"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--networks", str(folder)])
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    doc = json.loads(out)
    assert doc["mode"] == dummy_mode
    assert doc["distance_km"] == 321.5 and [x["id"] for x in doc["links"]] == ["hover-1"]


def test_unknown_mode_name_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["network", "route", "alashankou", "khorgos", "--mode", "hover"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "unknown mode 'hover'" in err and "iww" in err
