"""Hub files: every way a hub file can be wrong gives one clear DataFileError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.hub import Hub, attribute_paths, check_hub_files, load_hub, load_hubs
from freighthub.vocabulary import Confidence, HubType, Mode

VALID = """\
id = "{id}"
country = "CN"
lon_deg = 114.56
lat_deg = 30.66
hub_types = ["inland_port"]
modes = ["road", "rail", "inland_waterway"]

[names]
en = "Test Port"
zh = "测试港"

[rail]
handling_track_length_m = {{ value = 850, source = "Operator fact sheet, p. 2", confidence = "secondary" }}
electrified = true

[waterway]
ecmt_class = "Vb"

[[handling.equipment]]
type = "rail_mounted_gantry"
count = 4
moves_per_h = {{ value = 25, source = "assumption: typical", confidence = "assumption" }}
"""


def write(folder: Path, hub_id: str, text: str | None = None) -> Path:
    path = folder / f"{hub_id}.toml"
    path.write_text(VALID.format(id=hub_id) if text is None else text, encoding="utf-8")
    return path


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_valid_hub_loads_with_sourced_values(tmp_path: Path) -> None:
    hub = load_hub(write(tmp_path, "test-port"))
    assert isinstance(hub, Hub)
    assert hub.modes == (Mode.ROAD, Mode.RAIL, Mode.INLAND_WATERWAY)
    assert hub.hub_types == (HubType.INLAND_PORT,)
    track = hub.attribute("rail.handling_track_length_m")
    assert track is not None
    assert track.value == 850
    assert track.confidence is Confidence.SECONDARY
    electrified = hub.attribute("rail.electrified")
    assert electrified is not None and electrified.value is True
    assert electrified.source is None  # a plain value carries no provenance
    assert hub.handling is not None
    assert hub.handling.equipment[0].count.value == 4


def test_missing_value_is_absent_not_zero(tmp_path: Path) -> None:
    hub = load_hub(write(tmp_path, "test-port"))
    assert hub.attribute("rail.axle_load_t") is None
    assert hub.attribute("road.gate_lanes") is None  # whole section absent


def test_attribute_rejects_unknown_path(tmp_path: Path) -> None:
    hub = load_hub(write(tmp_path, "test-port"))
    with pytest.raises(KeyError):
        hub.attribute("rail.no_such_field")
    with pytest.raises(KeyError):
        hub.attribute("nowhere")
    assert "rail.handling_track_length_m" in attribute_paths()


def test_hubs_are_frozen(tmp_path: Path) -> None:
    hub = load_hub(write(tmp_path, "test-port"))
    with pytest.raises(Exception, match="frozen"):
        hub.lat_deg = 0.0  # type: ignore[misc]


CASES = [
    # (what, edit old -> new, expected message pattern)
    ("toml syntax", ("lat_deg = 30.66", "lat_deg = = 30.66"), r"TOML syntax error: .*line 4"),
    (
        "unknown field",
        ("electrified = true", "electrifed = true"),
        r"rail\.electrifed = True: unknown field; did you mean 'electrified'\?",
    ),
    ("wrong type", ("lon_deg = 114.56", 'lon_deg = "east"'), r"lon_deg = 'east': must be a number"),
    (
        "negative length",
        ("value = 850", "value = -450"),
        r"rail\.handling_track_length_m = -450: must be > 0",
    ),
    ("latitude 95", ("lat_deg = 30.66", "lat_deg = 95"), r"lat_deg = 95: must be <= 90"),
    (
        "unknown mode",
        ('"inland_waterway"]', '"hyperloop"]'),
        r"modes\[2\] = 'hyperloop': must be one of: road, rail, inland_waterway, sea",
    ),
    (
        "unknown hub type",
        ('["inland_port"]', '["spaceport"]'),
        r"hub_types\[0\] = 'spaceport': must be one of: rail_road_terminal",
    ),
    (
        "bad confidence",
        ('confidence = "secondary"', 'confidence = "sure"'),
        r"rail\.handling_track_length_m\.confidence = 'sure': must be one of: verified",
    ),
    (
        "bad ecmt class",
        ('ecmt_class = "Vb"', 'ecmt_class = "V"'),
        r"waterway\.ecmt_class = 'V': must be one of: I, II",
    ),
    ("missing name", ('en = "Test Port"', ""), r"names\.en: required field is missing"),
    (
        "share above 1",
        ("[waterway]", "[energy]\nelectric_handling_share = 1.5\n\n[waterway]"),
        r"energy\.electric_handling_share = 1\.5: must be <= 1",
    ),
    (
        "count not whole",
        ("count = 4", "count = 4.5"),
        r"handling\.equipment\[0\]\.count = 4\.5: must be a whole number",
    ),
    (
        "unknown equipment",
        ('type = "rail_mounted_gantry"', 'type = "sky_hook"'),
        r"handling\.equipment\[0\]\.type = 'sky_hook': must be one of",
    ),
    (
        "rail section without rail mode",
        ('"road", "rail", "inland_waterway"', '"road", "inland_waterway"'),
        r"has a \[rail\] section but 'rail' is not in modes",
    ),
    (
        "lower-case country",
        ('country = "CN"', 'country = "cn"'),
        r"country = 'cn': must match the pattern",
    ),
]


@pytest.mark.parametrize(("what", "edit", "pattern"), CASES, ids=[c[0] for c in CASES])
def test_bad_hub_file_names_file_field_value_and_rule(
    tmp_path: Path, what: str, edit: tuple[str, str], pattern: str
) -> None:
    path = write(tmp_path, "test-port", replace(VALID.format(id="test-port"), *edit))
    with pytest.raises(DataFileError, match=pattern) as info:
        load_hub(path)
    message = str(info.value)
    assert message.startswith(str(path) + ":"), message
    assert "\n" not in message


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "other-name", VALID.format(id="test-port"))
    with pytest.raises(
        DataFileError,
        match=r"other-name\.toml: id = 'test-port': must equal the file name 'other-name'",
    ):
        load_hub(path)


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty", "")
    with pytest.raises(DataFileError, match=r"empty\.toml: file is empty"):
        load_hub(path)


def test_only_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "comments", "# nothing here\n")
    with pytest.raises(DataFileError, match=r"comments\.toml: file holds no fields"):
        load_hub(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'id = "caf\xe9"\n')
    with pytest.raises(DataFileError, match=r"latin\.toml: not UTF-8 text"):
        load_hub(path)


def test_path_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nowhere\.toml: does not exist"):
        load_hub(tmp_path / "nowhere.toml")
    with pytest.raises(DataFileError, match=r"no-folder: does not exist"):
        load_hubs(tmp_path / "no-folder")


def test_folder_with_no_hubs(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("not a hub")
    with pytest.raises(
        DataFileError, match=re.escape(f"{tmp_path}: folder holds no hub files (*.toml)")
    ):
        load_hubs(tmp_path)


def test_duplicate_hub_id_across_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(first, "test-port")
    write(second, "test-port")
    with pytest.raises(
        DataFileError,
        match=r"b/test-port\.toml: id = 'test-port': duplicate hub id, already defined in .*a/test-port\.toml",
    ):
        load_hubs([first, second])


def test_equipment_type_listed_twice(tmp_path: Path) -> None:
    text = (
        VALID.format(id="test-port")
        + '\n[[handling.equipment]]\ntype = "rail_mounted_gantry"\ncount = 2\n'
    )
    with pytest.raises(
        DataFileError,
        match=r"handling\.equipment = .*: equipment type 'rail_mounted_gantry' is listed twice",
    ):
        load_hub(write(tmp_path, "test-port", text))


def test_check_hub_files_collects_every_error(tmp_path: Path) -> None:
    write(tmp_path, "good-port")
    write(
        tmp_path,
        "bad-port",
        replace(VALID.format(id="bad-port"), "lat_deg = 30.66", "lat_deg = 95"),
    )
    write(tmp_path, "empty-port", "")
    hubs, errors = check_hub_files([tmp_path])
    assert list(hubs) == ["good-port"]
    assert sorted(Path(e.path).name for e in errors) == ["bad-port.toml", "empty-port.toml"]


def test_loaded_hubs_are_sorted_by_id(tmp_path: Path) -> None:
    for hub_id in ("zeta", "alpha", "mid"):
        write(tmp_path, hub_id)
    assert list(load_hubs(tmp_path)) == ["alpha", "mid", "zeta"]
