"""Factor packs: integrity of every shipped file and every loader error path."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from freighthub.emissions.intensity import HubIntensityUnit, TransportIntensityUnit
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.factors import (
    available_packs,
    default_pack_dir,
    load_factor_pack,
    load_pack_file,
)
from freighthub.vocabulary import Confidence

SHIPPED = sorted(default_pack_dir().glob("*.toml"))


def test_there_are_shipped_files() -> None:
    assert {p.stem for p in SHIPPED} >= {
        "glec-v3-2023",
        "fuels-glec-v3",
        "grid-electricity",
        "conversions",
    }
    assert "glec-v3-2023" in available_packs()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_file_loads_and_every_entry_is_sourced(path: Path) -> None:
    part = load_pack_file(path)
    assert part.source.document and part.source.licence
    entries = [
        *part.transport,
        *part.hub,
        *part.distance_adjustment,
        *part.energy,
        *part.tonnes_per_teu,
        *part.container_type,
    ]
    assert entries, f"{path.name} holds no values"
    for entry in entries:
        assert entry.source.strip(), entry
        assert isinstance(entry.confidence, Confidence)
        if entry.confidence is Confidence.ASSUMPTION:
            assert entry.note, f"{entry}: an assumption must say why"


@pytest.mark.parametrize("pack_id", sorted(available_packs()))
def test_every_shipped_pack_is_consistent(pack_id: str) -> None:
    pack = load_factor_pack(pack_id)
    assert pack.licence
    for t in pack.transport.values():
        assert t.unit in set(TransportIntensityUnit)
        assert t.intensity_wtw > 0
        if t.intensity_ttw is not None:
            assert 0 <= t.intensity_ttw <= t.intensity_wtw
        assert t.distance_basis
        for share in (t.load_factor_share, t.empty_running_share):
            assert share is None or 0 <= share <= 1
    for h in pack.hubs.values():
        assert h.unit in set(HubIntensityUnit)
        assert h.intensity_wtw > 0
    for e in pack.energy.values():
        assert e.unit in {"kgco2e_per_l", "kgco2e_per_kg", "kgco2e_per_kwh"}
        assert 0 <= e.factor_ttw <= e.factor_wtw
        if e.carrier.startswith("electricity"):
            assert e.factor_ttw == 0  # electricity has no tank-to-wheel emissions
    for d in pack.distance_adjustments:
        assert d.factor > 0 and math.isfinite(d.factor)
    assert pack.container_types["40ft"].teu_per_container == 2.0


def test_glec_pack_ids_unique_across_files() -> None:
    pack = load_factor_pack("glec-v3-2023")
    assert len(pack.files) == 4
    assert len(pack.transport) == len(set(pack.transport))


# --- error paths ------------------------------------------------------------------------

_GOOD_HEAD = """
kind = "factor_pack"
id = "{id}"
title = "t"
edition = "e"
[source]
document = "d"
licence = "l"
"""

_GOOD_ROAD = """
[[transport]]
id = "road-x"
mode = "road"
vehicle = "v"
region = "r"
energy_carrier = "diesel"
unit = "gco2e_per_tkm"
wtw = 95
ttw = 73
wtt = 22
distance_basis = ["actual"]
distance_basis_confidence = "uncertain"
source = "s"
confidence = "verified"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_own_pack_by_path(tmp_path: Path) -> None:
    p = _write(tmp_path, "mine", _GOOD_HEAD.format(id="mine") + _GOOD_ROAD)
    pack = load_factor_pack(p)
    assert pack.id == "mine"
    assert pack.transport["road-x"].intensity_wtt == pytest.approx(22)


def test_unknown_pack_lists_valid_ones() -> None:
    with pytest.raises(
        UnknownIdentifierError, match=r"unknown factor pack 'glec-v9'; valid: .*glec-v3-2023"
    ):
        load_factor_pack("glec-v9")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.toml: does not exist"):
        load_factor_pack(tmp_path / "nope.toml")


def test_id_must_match_file_name(tmp_path: Path) -> None:
    p = _write(tmp_path, "mine", _GOOD_HEAD.format(id="other") + _GOOD_ROAD)
    with pytest.raises(
        DataFileError, match=r"mine.toml: id = 'other': must equal the file name 'mine'"
    ):
        load_factor_pack(p)


def test_split_must_add_up(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace("wtt = 22", "wtt = 30")
    with pytest.raises(
        DataFileError, match=r"transport\[0\]\.wtt = 30.0: wtt \+ ttw = 103 differs from wtw = 95"
    ):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_ttw_above_wtw_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace("ttw = 73\nwtt = 22", "ttw = 120")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.ttw = 120.0: exceeds wtw = 95"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_wtt_without_ttw_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace("ttw = 73\n", "")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.wtt = 22.0: given without ttw"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_unknown_unit_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace("gco2e_per_tkm", "g_per_tkm")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.unit = 'g_per_tkm': must be one of"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_missing_source_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace('source = "s"\n', "")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.source: required field is missing"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_negative_value_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace("wtw = 95", "wtw = -95")
    with pytest.raises(DataFileError, match=r"transport\[0\]\.wtw = -95: must be >= 0"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_duplicate_id_in_a_file(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD + _GOOD_ROAD
    with pytest.raises(DataFileError, match=r"transport\[1\]\.id = 'road-x': id is given twice"):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_typo_in_field_name(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + _GOOD_ROAD.replace(
        "wtw = 95", "wtw = 95\nempty_runing_share = 0.3"
    )
    with pytest.raises(
        DataFileError,
        match=r"transport\[0\]\.empty_runing_share = 0.3: unknown field; did you mean 'empty_running_share'",
    ):
        load_factor_pack(_write(tmp_path, "mine", text))


def test_missing_include(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine").replace('title = "t"', 'title = "t"\nincludes = ["ghost"]')
    with pytest.raises(DataFileError, match=r"includes\[0\] = 'ghost': no file ghost.toml"):
        load_factor_pack(_write(tmp_path, "mine", text + _GOOD_ROAD))


def test_include_of_a_pack_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "other", _GOOD_HEAD.format(id="other"))
    text = _GOOD_HEAD.format(id="mine").replace('title = "t"', 'title = "t"\nincludes = ["other"]')
    with pytest.raises(DataFileError, match="an included file may not be a factor pack"):
        load_factor_pack(_write(tmp_path, "mine", text + _GOOD_ROAD))


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    inc = _GOOD_HEAD.format(id="inc").replace("factor_pack", "conversions") + (
        '[[tonnes_per_teu]]\nid = "average"\ntonnes_per_teu = 10\nsource = "s"\nconfidence = "verified"\n'
    )
    _write(tmp_path, "inc", inc)
    _write(tmp_path, "inc2", inc.replace('id = "inc"', 'id = "inc2"'))
    text = _GOOD_HEAD.format(id="mine").replace(
        'title = "t"', 'title = "t"\nincludes = ["inc", "inc2"]'
    )
    with pytest.raises(
        DataFileError, match=r"inc2.toml: tonnes_per_teu.id = 'average': duplicate id"
    ):
        load_factor_pack(_write(tmp_path, "mine", text + _GOOD_ROAD))


def test_conversions_file_may_not_hold_intensities(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="conv").replace("factor_pack", "conversions") + _GOOD_ROAD
    with pytest.raises(DataFileError, match=r"may not hold \[\[transport\]\]"):
        load_pack_file(_write(tmp_path, "conv", text))


def test_non_pack_file_as_pack(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="conv").replace("factor_pack", "conversions")
    with pytest.raises(DataFileError, match="kind = 'conversions': must be 'factor_pack'"):
        load_factor_pack(_write(tmp_path, "conv", text))


def test_daf_with_equal_types_is_refused(tmp_path: Path) -> None:
    text = _GOOD_HEAD.format(id="mine") + (
        '[[distance_adjustment]]\nmode = "road"\nleg_distance_type = "actual"\n'
        'intensity_distance_type = "actual"\nfactor = 1.05\nsource = "s"\nconfidence = "verified"\n'
    )
    with pytest.raises(
        DataFileError,
        match=r"distance_adjustment\[0\]\.intensity_distance_type = 'actual': equals leg_distance_type",
    ):
        load_factor_pack(_write(tmp_path, "mine", text))
