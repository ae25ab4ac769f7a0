"""The shared field types: the frozen base, the id types, numbers, exactly_one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    HubId,
    Id,
    MixedCaseId,
    NonNegativeFloat,
    PositiveFloat,
    Share,
    Text,
    exactly_one,
    first_repeat,
)
from freighthub.model.files import unique_ids, validate


class _Ids(Frozen):
    hub: HubId = "a"
    item: Id = "a"
    chain: MixedCaseId = "a"


class _Numbers(Frozen):
    positive: PositiveFloat = 1.0
    non_negative: NonNegativeFloat = 0.0
    share: Share = 0.5
    text: Text = "x"


class _Choice(Frozen):
    a: float | None = None
    b: float | None = None

    @model_validator(mode="after")
    def _one(self) -> _Choice:
        exactly_one(self, ("a", "b"), "choice")
        return self


def _load(model: type[Frozen], **data: Any) -> Frozen:
    return validate(model, data, "f.toml")


@pytest.mark.parametrize("good", ["wuhan-yangluo", "eu-tent-2024-1679", "a1"])
def test_hub_id_accepts_lowercase_words_joined_by_hyphens(good: str) -> None:
    assert _Ids(hub=good).hub == good


@pytest.mark.parametrize(
    "bad", ["rail_1", "v2.barge", "Wuhan", "-a", "a-", "a--b", "", "wuhan yangluo"]
)
def test_hub_id_refuses_other_separators_and_capitals(bad: str) -> None:
    with pytest.raises(
        DataFileError,
        match=r"f\.toml: hub = .*: must match the pattern .* \(lower-case letters and digits, "
        r"words joined by '-'\)$",
    ):
        _load(_Ids, hub=bad)


@pytest.mark.parametrize("good", ["wuhan-yangluo", "rail_1", "v2.barge", "a-b_c.d"])
def test_id_accepts_hyphen_underscore_and_dot(good: str) -> None:
    assert _Ids(item=good).item == good


@pytest.mark.parametrize("bad", ["Rail_1", "rail__1", "_a", "a.", "a b", "a/b", ""])
def test_id_refuses_capitals_doubled_or_edge_separators(bad: str) -> None:
    with pytest.raises(
        DataFileError,
        match=r"f\.toml: item = .*: must match the pattern .* \(lower-case letters and digits, "
        r"words joined by '-', '_' or '\.'\)$",
    ):
        _load(_Ids, item=bad)


def test_mixed_case_id_accepts_capitals_and_refuses_spaces() -> None:
    assert _Ids(chain="TCE-1.leg_A").chain == "TCE-1.leg_A"
    with pytest.raises(
        DataFileError,
        match=r"f\.toml: chain = 'TCE 1': must match the pattern .* \(letters and digits",
    ):
        _load(_Ids, chain="TCE 1")


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("positive", 0.0, "must be > 0"),
        ("positive", float("inf"), "finite number"),
        ("non_negative", -0.1, "must be >= 0"),
        ("non_negative", float("nan"), "finite number"),
        ("share", 1.01, "must be <= 1"),
        ("share", -0.01, "must be >= 0"),
        ("text", "", "must not be empty"),
    ],
)
def test_number_and_text_rules(field: str, value: object, rule: str) -> None:
    with pytest.raises(DataFileError, match=rf"f\.toml: {field} = .*{rule}"):
        _load(_Numbers, **{field: value})


def test_share_accepts_both_ends() -> None:
    assert _Numbers(share=0.0).share == 0.0
    assert _Numbers(share=1.0).share == 1.0


def test_frozen_refuses_unknown_fields_and_changes() -> None:
    with pytest.raises(DataFileError, match=r"f\.toml: hubb"):
        _load(_Ids, hubb="x")
    ids = _Ids()
    with pytest.raises(ValidationError, match="frozen"):
        ids.hub = "b"  # type: ignore[misc]


def test_exactly_one_names_the_second_field_given_or_the_first_missing() -> None:
    assert _Choice(a=1.0).a == 1.0
    assert _Choice(b=2.0).b == 2.0
    with pytest.raises(ValidationError, match="choice: give only one of 'a' or 'b', not a and b"):
        _Choice(a=1.0, b=2.0)
    with pytest.raises(ValidationError, match="choice: give one of 'a' or 'b'"):
        _Choice()


def test_field_rule_keeps_field_rule_and_value() -> None:
    rule = FieldRule("end_h", "must be after start_h", 3.0)
    assert (rule.field, rule.rule, rule.value, str(rule)) == (
        "end_h",
        "must be after start_h",
        3.0,
        "end_h: must be after start_h",
    )
    assert FieldRule("x", "needed").value is FieldRule.NO_VALUE


def test_first_repeat_gives_the_index_of_the_second_occurrence() -> None:
    assert first_repeat(["a", "b", "c", "b", "a"]) == (3, "b")
    assert first_repeat(iter([("t", 1), ("t", 2), ("t", 1)])) == (2, ("t", 1))
    assert first_repeat(["a", "b"]) is None
    assert first_repeat([]) is None


def test_unique_ids_names_the_field_of_the_repeat_and_its_rule() -> None:
    items = [("zones[0].id", "a"), ("zones[1].id", "b"), ("zones[2].id", "a")]
    with pytest.raises(DataFileError) as default:
        unique_ids("s.toml", iter(items), "zone")
    assert str(default.value) == "s.toml: zones[2].id = 'a': duplicate zone id"
    with pytest.raises(DataFileError) as own:
        unique_ids("s.toml", items, rule="named twice")
    assert str(own.value) == "s.toml: zones[2].id = 'a': named twice"
    unique_ids("s.toml", items[:2])
