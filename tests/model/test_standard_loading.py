"""Standard and profile files: valid files load, every error path gives one clear DataFileError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.standard import (
    check_standard_files,
    find_standard,
    load_standard,
    load_standards,
    load_weights,
)
from freighthub.scoring.compliance import Direction, RuleKind

HEADER = """\
[standard]
id = "{id}"
title = {{ en = "Test standard", zh = "测试标准" }}
document = "Test document"
edition = "2024"
licence = "test"
"""

SOURCE = 'source = { document = "Test document", clause = "Art. 1", edition = "2024" }'

MINIMUM = f"""
[[criteria]]
id = "CID"
name = {{ en = "Axle load" }}
unit = "t/axle"
modes = ["rail"]
attribute = "rail.axle_load_t"
rule = "minimum"
threshold = 22.5
partial = {{ threshold = 20, basis = "standard", note = "at present" }}
direction = "benefit"
confidence = "verified"
{SOURCE}
"""


def minimum(cid: str = "axle") -> str:
    return MINIMUM.replace("CID", cid)


GRADED = f"""
[[criteria]]
id = "grades"
name = {{ en = "Station grade" }}
unit = "TEU/year"
attribute = "operations.annual_throughput_teu"
rule = "graded"
bands = [
  {{ id = "low", name = {{ en = "low" }}, limit = 4000 }},
  {{ id = "high", name = {{ en = "high" }}, limit = 8000 }},
]
pass_band = "high"
partial_band = "low"
direction = "benefit"
confidence = "secondary"
{SOURCE}
"""

BOOLEAN = f"""
[[criteria]]
id = "open"
name = {{ en = "Open access" }}
unit = "bool"
attribute = "operations.open_access"
rule = "boolean"
required = true
direction = "benefit"
confidence = "verified"
{SOURCE}
"""

ONE_OF = f"""
[[criteria]]
id = "ecmt"
name = {{ en = "ECMT class" }}
unit = "class"
attribute = "waterway.ecmt_class"
rule = "one_of"
allowed = ["IV", "Va"]
direction = "benefit"
confidence = "verified"
{SOURCE}
"""

RATIO = f"""
[[criteria]]
id = "intensity"
name = {{ en = "Intensity" }}
unit = "t/(ha*year)"
attribute = "operations.annual_throughput_t"
per = "handling.area_ha"
rule = "minimum"
threshold = 50000
direction = "benefit"
confidence = "secondary"
{SOURCE}
"""

VALUE = f"""
[[values]]
id = "teu-length"
name = {{ en = "20 ft length" }}
unit = "m"
value = 6.058
confidence = "secondary"
{SOURCE}
"""


def text(std_id: str = "test-std", body: str | None = None) -> str:
    if body is None:
        body = minimum() + GRADED + BOOLEAN + ONE_OF + RATIO + VALUE
    return HEADER.format(id=std_id) + body


def write(folder: Path, std_id: str = "test-std", content: str | None = None) -> Path:
    path = folder / f"{std_id}.toml"
    path.write_text(text(std_id) if content is None else content, encoding="utf-8")
    return path


def swap(old: str, new: str, content: str | None = None) -> str:
    content = text() if content is None else content
    assert old in content, old
    return content.replace(old, new, 1)


def fails(tmp_path: Path, content: str, match: str) -> DataFileError:
    path = write(tmp_path, "test-std", content)
    with pytest.raises(DataFileError, match=match) as info:
        load_standard(path, catalogue={})
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)
    return info.value


# --- valid files ---------------------------------------------------------------------------


def test_valid_standard_loads(tmp_path: Path) -> None:
    std = load_standard(write(tmp_path), catalogue={})
    assert std.id == "test-std"
    assert [c.id for c in std.criteria] == ["axle", "grades", "open", "ecmt", "intensity"]
    axle = std.criterion("axle")
    assert axle.rule is RuleKind.MINIMUM and axle.direction is Direction.BENEFIT
    assert axle.partial is not None and axle.partial.threshold == 20
    spec = axle.spec()
    assert spec.threshold == 22.5 and spec.partial_threshold == 20
    assert spec.modes == frozenset({"rail"})
    assert std.values[0].value == pytest.approx(6.058)
    assert std.origin == dict.fromkeys(["axle", "grades", "open", "ecmt", "intensity"], "test-std")
    with pytest.raises(UnknownIdentifierError, match="valid: axle, ecmt"):
        std.criterion("nope")


def test_profile_resolves_references_with_its_weights(tmp_path: Path) -> None:
    write(tmp_path)
    profile = HEADER.format(id="my-profile").replace(
        "[standard]\n", '[standard]\nkind = "profile"\n'
    ) + (
        '\n[[criteria]]\nstandard = "test-std"\ncriterion = "axle"\nweight = 3\n'
        '\n[[criteria]]\nstandard = "test-std"\ncriterion = "open"\nweight = 1\n'
    )
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "my-profile.toml").write_text(profile, encoding="utf-8")
    standards = load_standards(tmp_path)
    assert set(standards) == {"my-profile", "test-std"}
    p = standards["my-profile"]
    assert [(c.id, c.weight) for c in p.criteria] == [("axle", 3), ("open", 1)]
    assert p.origin == {"axle": "test-std", "open": "test-std"}
    assert find_standard("my-profile", tmp_path).info.kind == "profile"


# --- field and file errors -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope.toml: (file )?does not exist"):
        load_standard(tmp_path / "nope.toml", catalogue={})


def test_unknown_field_suggests(tmp_path: Path) -> None:
    fails(
        tmp_path, swap('unit = "t/axle"', 'unit = "t/axle"\nunits = "x"'), r"criteria\[0\]\.units"
    )


def test_id_must_equal_file_name(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('id = "test-std"', 'id = "other"'),
        r"standard\.id = 'other': must equal the file name",
    )


def test_bad_enum(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('rule = "minimum"', 'rule = "at_least"'),
        r"criteria\[0\]\.rule = 'at_least': must be one of",
    )


def test_bad_confidence(tmp_path: Path) -> None:
    fails(tmp_path, swap('confidence = "verified"', 'confidence = "sure"'), r"confidence = 'sure'")


def test_missing_source(tmp_path: Path) -> None:
    content = text("test-std", BOOLEAN.replace(SOURCE, ""))
    fails(tmp_path, content, r"criteria\[0\]\.source: required field is missing")


def test_unknown_unit(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('unit = "t/axle"', 'unit = "tonnes"'),
        r"criteria\[0\]\.unit = 'tonnes': unknown unit",
    )


def test_unknown_attribute(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('attribute = "rail.axle_load_t"', 'attribute = "rail.axle_load"'),
        r"criteria\[0\]\.attribute = 'rail.axle_load': not a hub attribute",
    )


def test_attribute_type_must_fit_rule(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('attribute = "rail.axle_load_t"', 'attribute = "rail.electrified"'),
        r"is a bool attribute; rule minimum needs a number",
    )


def test_per_must_be_numeric(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('per = "handling.area_ha"', 'per = "energy.shore_power"'),
        r"criteria\[4\]\.per",
    )


def test_assumption_needs_note(tmp_path: Path) -> None:
    content = text("test-std", BOOLEAN.replace('"verified"', '"assumption"'))
    fails(tmp_path, content, r"confidence is 'assumption' must say why in note")


def test_minimum_needs_threshold(tmp_path: Path) -> None:
    content = text("test-std", RATIO.replace("threshold = 50000\n", ""))
    fails(tmp_path, content, r"criteria\[0\]\.threshold: required for rule minimum")


def test_minimum_needs_benefit(tmp_path: Path) -> None:
    content = text("test-std", RATIO.replace('direction = "benefit"', 'direction = "cost"'))
    fails(tmp_path, content, r"rule minimum needs direction benefit")


def test_partial_on_the_wrong_side(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap("threshold = 20, basis", "threshold = 25, basis"),
        r"partial\.threshold = 25\.0: must lie below the pass threshold 22\.5",
    )


def test_partial_on_the_wrong_side_of_a_maximum(tmp_path: Path) -> None:
    body = (
        RATIO.replace('rule = "minimum"', 'rule = "maximum"')
        .replace('direction = "benefit"', 'direction = "cost"')
        .replace(
            "threshold = 50000",
            'threshold = 50000\npartial = { threshold = 40000, basis = "assumption", note = "why" }',
        )
    )
    fails(tmp_path, text("test-std", body), r"must lie above the pass threshold")


def test_partial_basis_is_standard_or_assumption(tmp_path: Path) -> None:
    fails(tmp_path, swap('basis = "standard"', 'basis = "guess"'), r"partial\.basis = 'guess'")


def test_rule_fields_that_do_not_belong(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap("threshold = 22.5", 'threshold = 22.5\nallowed = ["x"]'),
        r"allowed = \['x'\]: not used by rule minimum",
    )
    content = text("test-std", BOOLEAN.replace("required = true", "required = true\nthreshold = 1"))
    fails(tmp_path, content, r"threshold = 1\.0: not used by rule boolean")


def test_boolean_needs_required(tmp_path: Path) -> None:
    content = text("test-std", BOOLEAN.replace("required = true\n", ""))
    fails(tmp_path, content, r"criteria\[0\]\.required: required for rule boolean")


def test_boolean_needs_benefit(tmp_path: Path) -> None:
    content = text("test-std", BOOLEAN.replace('direction = "benefit"', 'direction = "cost"'))
    fails(tmp_path, content, r"rule boolean needs direction benefit")


def test_unit_bool_needs_boolean_rule(tmp_path: Path) -> None:
    fails(
        tmp_path,
        swap('unit = "t/axle"', 'unit = "bool"'),
        r"unit = 'bool': unit bool needs rule boolean",
    )


def test_one_of_needs_allowed(tmp_path: Path) -> None:
    content = text("test-std", ONE_OF.replace('allowed = ["IV", "Va"]\n', ""))
    fails(tmp_path, content, r"allowed: required for rule one_of")


def test_one_of_duplicate_value(tmp_path: Path) -> None:
    content = text("test-std", ONE_OF.replace('["IV", "Va"]', '["IV", "IV"]'))
    fails(tmp_path, content, r"lists a value twice")


def test_one_of_needs_benefit(tmp_path: Path) -> None:
    content = text("test-std", ONE_OF.replace('direction = "benefit"', 'direction = "cost"'))
    fails(tmp_path, content, r"rule one_of needs direction benefit")


def test_graded_needs_bands(tmp_path: Path) -> None:
    body = re.sub(r"bands = \[.*?\]\n(?=pass_band)", "", GRADED, flags=re.S)
    body = body.replace('pass_band = "high"\npartial_band = "low"\n', "")
    fails(tmp_path, text("test-std", body), r"bands: required for rule graded")


def test_graded_bands_must_rise(tmp_path: Path) -> None:
    content = text("test-std", GRADED.replace("limit = 8000", "limit = 3000"))
    fails(
        tmp_path,
        content,
        r"bands\[1\]\.limit = 3000\.0: must be greater than the limit of the band before",
    )


def test_graded_cost_bands_must_fall(tmp_path: Path) -> None:
    content = text("test-std", GRADED.replace('direction = "benefit"', 'direction = "cost"'))
    fails(tmp_path, content, r"must be smaller than the limit of the band before")


def test_graded_band_ids_unique(tmp_path: Path) -> None:
    content = text("test-std", GRADED.replace('id = "high"', 'id = "low"'))
    fails(tmp_path, content, r"bands\[1\]\.id = 'low': band id used twice")


def test_graded_pass_band_must_exist(tmp_path: Path) -> None:
    content = text("test-std", GRADED.replace('pass_band = "high"', 'pass_band = "top"'))
    fails(tmp_path, content, r"pass_band = 'top': must be one of the band ids: low, high")


def test_graded_partial_band_below_pass(tmp_path: Path) -> None:
    content = text("test-std", GRADED.replace('partial_band = "low"', 'partial_band = "high"'))
    fails(tmp_path, content, r"partial_band = 'high': must be a band below pass_band")


def test_duplicate_criterion_id_in_file(tmp_path: Path) -> None:
    content = text("test-std", minimum() + minimum())
    fails(tmp_path, content, r"criteria\[1\]\.id = 'axle': criterion id used twice")


def test_duplicate_value_id(tmp_path: Path) -> None:
    fails(
        tmp_path,
        text("test-std", VALUE + VALUE),
        r"values\[1\]\.id = 'teu-length': value id used twice",
    )


def test_value_unit_known(tmp_path: Path) -> None:
    fails(
        tmp_path,
        text("test-std", VALUE.replace('unit = "m"', 'unit = "ft"')),
        r"values\[0\]\.unit = 'ft'",
    )


def test_weights_all_or_none(tmp_path: Path) -> None:
    body = minimum().replace('direction = "benefit"', 'direction = "benefit"\nweight = 2') + BOOLEAN
    fails(
        tmp_path,
        text("test-std", body),
        r"criteria\[1\]\.weight: weights must be given for every criterion",
    )


def test_weight_positive(tmp_path: Path) -> None:
    body = BOOLEAN.replace('direction = "benefit"', 'direction = "benefit"\nweight = -1')
    fails(tmp_path, text("test-std", body), r"criteria\[0\]\.weight = -1: must be > 0")


def test_reference_needs_profile(tmp_path: Path) -> None:
    body = '\n[[criteria]]\nstandard = "x"\ncriterion = "y"\n'
    fails(
        tmp_path,
        text("test-std", body),
        r"criteria\[0\]\.criterion = 'y': a reference to another standard needs kind = 'profile'",
    )


def test_profile_needs_criteria(tmp_path: Path) -> None:
    content = HEADER.format(id="test-std").replace("[standard]\n", '[standard]\nkind = "profile"\n')
    fails(tmp_path, content, r"criteria: a profile needs at least one criterion")


def _profile(ref: str) -> str:
    return (
        HEADER.format(id="test-std").replace("[standard]\n", '[standard]\nkind = "profile"\n') + ref
    )


def test_profile_unknown_standard(tmp_path: Path) -> None:
    other = load_standard(write(tmp_path, "base-std", text("base-std")), catalogue={})
    path = write(
        tmp_path, "test-std", _profile('\n[[criteria]]\nstandard = "nope"\ncriterion = "axle"\n')
    )
    with pytest.raises(
        DataFileError, match=r"criteria\[0\]\.standard = 'nope': unknown standard; valid: base-std"
    ):
        load_standard(path, catalogue={"base-std": other})


def test_profile_unknown_criterion(tmp_path: Path) -> None:
    other = load_standard(write(tmp_path, "base-std", text("base-std")), catalogue={})
    path = write(
        tmp_path,
        "test-std",
        _profile('\n[[criteria]]\nstandard = "base-std"\ncriterion = "nope"\n'),
    )
    with pytest.raises(
        DataFileError, match=r"criterion = 'nope': not a criterion of base-std; valid: axle"
    ):
        load_standard(path, catalogue={"base-std": other})


# --- across files ------------------------------------------------------------------------------


def test_criterion_id_unique_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a-std", text("a-std", minimum()))
    write(tmp_path, "b-std", text("b-std", minimum()))
    with pytest.raises(
        DataFileError,
        match=r"b-std\.toml: criteria\[0\]\.id = 'axle': criterion id already defined in standard a-std",
    ):
        load_standards(tmp_path)


def test_standard_id_unique_across_folders(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    write(tmp_path / "one", "a-std", text("a-std", BOOLEAN))
    write(tmp_path / "two", "a-std", text("a-std", ONE_OF))
    standards, errors = check_standard_files([tmp_path / "one", tmp_path / "two"], catalogue={})
    assert list(standards) == ["a-std"]
    assert len(errors) == 1
    assert re.search(r"standard\.id = 'a-std': standard id already defined in", str(errors[0]))


def test_check_collects_every_error(tmp_path: Path) -> None:
    write(tmp_path, "good-std", text("good-std", BOOLEAN))
    write(tmp_path, "bad-one", swap('unit = "t/axle"', 'unit = "x"', text("bad-one")))
    write(tmp_path, "bad-two", swap('rule = "minimum"', 'rule = "y"', text("bad-two")))
    standards, errors = check_standard_files([tmp_path], catalogue={})
    assert list(standards) == ["good-std"]
    assert sorted(Path(e.path).name for e in errors) == ["bad-one.toml", "bad-two.toml"]


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="folder holds no standard files"):
        load_standards(tmp_path)


def test_find_standard_lists_valid_ids(tmp_path: Path) -> None:
    write(tmp_path)
    with pytest.raises(
        UnknownIdentifierError, match=r"unknown standard 'eu-tent'; valid: test-std"
    ):
        find_standard("eu-tent", tmp_path)


# --- weights files -------------------------------------------------------------------------------


def test_weights_file(tmp_path: Path) -> None:
    p = tmp_path / "w.toml"
    p.write_text("[weights]\naxle = 2\nopen = 1\n", encoding="utf-8")
    assert load_weights(p) == {"axle": 2.0, "open": 1.0}
    p.write_text("[weights]\naxle = -2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"weights\.axle = -2: must be >= 0"):
        load_weights(p)
    p.write_text("[weights]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"weights: must hold at least one"):
        load_weights(p)


# --- property: malformed files only ever raise DataFileError -------------------------------------

_LINES = text().splitlines(keepends=True)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drop=st.sets(st.integers(min_value=0, max_value=len(_LINES) - 1), max_size=4),
    junk=st.sampled_from(
        ["", "x = 1\n", "= =\n", "threshold = 'a'\n", "[criteria]\n", "limit = -1e999\n"]
    ),
    at=st.integers(min_value=0, max_value=len(_LINES)),
)
def test_malformed_files_raise_only_data_file_errors(
    tmp_path: Path, drop: set[int], junk: str, at: int
) -> None:
    lines = [line for i, line in enumerate(_LINES) if i not in drop]
    lines.insert(min(at, len(lines)), junk)
    path = tmp_path / "test-std.toml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        load_standard(path, catalogue={})
    except DataFileError as exc:
        assert str(exc).startswith(str(path))


def _yard(unit: str) -> str:
    """A minimum criterion on the yard capacity (an attribute in TEU) with ``unit``."""
    return text(
        "test-std",
        minimum()
        .replace('unit = "t/axle"', f'unit = "{unit}"')
        .replace("rail.axle_load_t", "handling.yard_capacity_teu")
        .replace('modes = ["rail"]\n', ""),
    )


def test_teu_is_a_unit_and_fits_an_attribute_in_teu(tmp_path: Path) -> None:
    std = load_standard(write(tmp_path, "test-std", _yard("TEU")), catalogue={})
    assert std.criteria[0].unit == "TEU"


@pytest.mark.parametrize(
    ("attribute", "unit", "carried"),
    [
        ("handling.yard_capacity_teu", "TEU/year", "TEU"),  # a stock is not a flow
        ("handling.yard_capacity_teu", "t", "TEU"),
        ("operations.annual_throughput_teu", "TEU", "TEU/year"),
        ("operations.annual_throughput_teu", "t/year", "TEU/year"),
        ("rail.axle_load_t", "m", "t"),
        ("rail.line_speed_kmh", "km", "km/h"),
    ],
)
def test_unit_must_fit_the_unit_in_the_attribute_name(
    tmp_path: Path, attribute: str, unit: str, carried: str
) -> None:
    content = text(
        "test-std",
        minimum()
        .replace('unit = "t/axle"', f'unit = "{unit}"')
        .replace("rail.axle_load_t", attribute),
    )
    fails(
        tmp_path,
        content,
        rf"criteria\[0\]\.unit = '{re.escape(unit)}': does not fit {attribute}, "
        rf"which is in {re.escape(carried)}$",
    )


def test_units_of_the_same_quantity_fit(tmp_path: Path) -> None:
    # rail.axle_load_t carries t: t/axle counts tonnes (per axle) and fits
    assert load_standard(write(tmp_path), catalogue={}).criterion("axle").unit == "t/axle"
