"""Rules every data file follows: the magnitude cap and the simulation size caps."""

from __future__ import annotations

import re
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

import pytest

from freighthub.errors import DataFileError, UnknownIdentifierError, one_by_id
from freighthub.model.files import MAX_MAGNITUDE, check_magnitudes, unknown_in_file
from freighthub.model.scenario import load_scenario
from freighthub.model.scenario_schema import MAX_HORIZON_H, MAX_TEU_PER_YEAR

TINY = Path(__file__).parents[1] / "sim" / "tiny"


def test_numbers_above_the_magnitude_cap_are_named() -> None:
    data = {"a": {"b": [1.0, {"value": -1e300}]}}
    with pytest.raises(
        DataFileError, match=r"f\.toml: a\.b\[1\] = -1e\+300: must be at most 1e\+15"
    ):
        check_magnitudes(data, "f.toml")
    check_magnitudes({"a": MAX_MAGNITUDE, "b": float("inf"), "c": 10**18}, "f.toml")


def test_unknown_id_in_a_file() -> None:
    exc = UnknownIdentifierError("factor pack", "x", ["b", "a"])
    err = unknown_in_file(exc, "s.toml", "emission_pack")
    assert str(err) == "s.toml: emission_pack = 'x': unknown factor pack; valid: a, b"


def test_one_by_id_finds_by_key_or_lists_every_valid_key() -> None:
    items = [SimpleNamespace(id="b", hub_id="y"), SimpleNamespace(id="a", hub_id="x")]
    assert one_by_id(items, "a", "thing") is items[1]
    assert one_by_id(iter(items), "y", "hub", key=attrgetter("hub_id")) is items[0]
    with pytest.raises(UnknownIdentifierError, match=r"^unknown thing 'c'; valid: a, b$"):
        one_by_id(items, "c", "thing")
    with pytest.raises(UnknownIdentifierError, match=r"^unknown hub 'a'; valid: x, y$"):
        one_by_id(iter(items), "a", "hub", key=attrgetter("hub_id"))


def _tiny(tmp_path: Path, old: str, new: str) -> Path:
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), old
    path = tmp_path / "tiny.toml"
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")
    return path


def test_horizon_cap(tmp_path: Path) -> None:
    path = _tiny(tmp_path, r"^horizon_h = .*$", f"horizon_h = {MAX_HORIZON_H + 1}")
    with pytest.raises(
        DataFileError, match=r"horizon_h = 175201\.0: must be <= 175200: a simulation size cap"
    ):
        load_scenario(path, TINY / "hubs")


def test_demand_cap(tmp_path: Path) -> None:
    path = _tiny(tmp_path, r"teu_per_year = [^,}\n]*", f"teu_per_year = {MAX_TEU_PER_YEAR * 2}")
    with pytest.raises(
        DataFileError,
        match=r"teu_per_year = 20000000\.0: must be <= 10000000: a simulation size cap",
    ):
        load_scenario(path, TINY / "hubs")


def test_departures_cap(tmp_path: Path) -> None:
    # 1e12 departures a week is below the magnitude cap but would build 1e12 departures.
    path = _tiny(
        tmp_path,
        r"^departures_per_week = 7$",
        "departures_per_week = 1e12",
    )
    with pytest.raises(
        DataFileError,
        match=r"departures_per_week = 1000000000000\.0: must be <= 10080: a simulation size cap",
    ):
        load_scenario(path, TINY / "hubs")
