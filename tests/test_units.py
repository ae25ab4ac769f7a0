"""The one unit table: keys, symbols, field suffixes and the translation files."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.standard import KNOWN_UNITS
from freighthub.report.i18n import LANGUAGES, TRANSLATED_UNITS, _check_units, translations
from freighthub.report.values import unit_key, unit_of
from freighthub.units import STANDARD_UNITS, UNITS, unit_by_key, unit_of_field


def test_keys_and_symbols_are_unique() -> None:
    assert len({u.key for u in UNITS}) == len(UNITS)
    assert len({u.symbol for u in UNITS}) == len(UNITS)
    assert len({u.suffix for u in UNITS if u.suffix}) == len([u for u in UNITS if u.suffix])


def test_every_base_is_a_unit_of_the_table() -> None:
    for u in UNITS:
        assert unit_by_key(u.quantity).key == u.quantity
    with pytest.raises(KeyError, match="furlong"):
        unit_by_key("furlong")


def test_standard_files_know_teu_and_teu_per_year() -> None:
    assert set(KNOWN_UNITS) == set(STANDARD_UNITS)
    assert STANDARD_UNITS["TEU"].key == "teu"
    assert STANDARD_UNITS["TEU/year"].key == "teu_per_year"
    assert STANDARD_UNITS["TEU/year"].per_year and STANDARD_UNITS["TEU/year"].quantity == "teu"


@pytest.mark.parametrize(
    ("field", "symbol"),
    [
        ("rail.line_speed_kmh", "km/h"),
        ("rail.max_train_length_m", "m"),
        ("road.hdv_charging_distance_km", "km"),
        ("rail.axle_load_t", "t"),
        ("handling.yard_capacity_teu", "TEU"),
        ("operations.annual_throughput_teu", "TEU/year"),
        ("operations.annual_throughput_t", "t/year"),
        ("operations.opening_hours_per_week", "h/week"),
        ("operations.mean_truck_wait_min", "min"),
        ("operations.mean_dwell_days", "d"),
        ("energy.electric_handling_share", "share"),
        ("equipment.moves_per_h", "moves/h"),
    ],
)
def test_the_unit_follows_the_field_name(field: str, symbol: str) -> None:
    unit = unit_of_field(field)
    assert unit is not None and unit.symbol == symbol
    assert unit_of(field) == unit.key


@pytest.mark.parametrize(
    "field", ["rail.handling_tracks", "waterway.ecmt_class", "rail.electrified"]
)
def test_a_name_without_a_unit_has_none(field: str) -> None:
    assert unit_of_field(field) is None
    assert unit_of(field) == ""


@pytest.mark.parametrize(
    ("symbol", "key"),
    [
        ("km/h", "kmh"),
        ("TEU", "teu"),
        ("t/axle", "t_per_axle"),
        ("bool", ""),
        ("count", ""),
        ("departures/year", "departures_per_year"),
        ("d", "d"),
        ("no such unit", "no such unit"),
    ],
)
def test_unit_symbols_map_to_report_keys(symbol: str, key: str) -> None:
    assert unit_key(symbol) == key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_translation_files_name_exactly_the_shown_units(lang: str) -> None:
    tr = translations(lang)
    assert set(tr.units) == TRANSLATED_UNITS
    assert {"teu", "teu_per_year"} <= set(tr.units)


def test_a_translation_file_missing_a_unit_is_refused() -> None:
    tr = translations("zh")
    units = {k: v for k, v in tr.units.items() if k != "teu_per_year"}
    with pytest.raises(
        DataFileError, match=r"zh\.toml: units\.teu_per_year: missing: every shown unit"
    ):
        _check_units(tr.model_copy(update={"units": units}), Path("zh.toml"))


def test_a_translation_file_with_an_unknown_unit_is_refused() -> None:
    tr = translations("en")
    units = {**tr.units, "km/h": "km/h"}
    with pytest.raises(
        DataFileError, match=r"en\.toml: units\.km/h = 'km/h': not a unit key of freighthub"
    ):
        _check_units(tr.model_copy(update={"units": units}), Path("en.toml"))
