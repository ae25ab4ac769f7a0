"""Translations: both languages complete, numbers and units formatted per language."""

from __future__ import annotations

import pytest

from freighthub.errors import UnknownIdentifierError
from freighthub.report.content import Quantity, Text
from freighthub.report.i18n import LANGUAGES, format_number, translations
from freighthub.report.localise import Localiser


def test_every_language_has_the_same_keys_and_units() -> None:
    en = translations("en")
    for lang in LANGUAGES:
        tr = translations(lang)
        assert tr.text_keys() == en.text_keys(), f"{lang}: keys differ from en"
        assert set(tr.units) == set(en.units), f"{lang}: units differ from en"


def test_parameters_in_braces_match_across_languages() -> None:
    import string

    fmt = string.Formatter()
    en, zh = translations("en"), translations("zh")
    for key in sorted(en.text_keys()):
        fields_en = {f for _, f, _, _ in fmt.parse(en.label(key)) if f}
        fields_zh = {f for _, f, _, _ in fmt.parse(zh.label(key)) if f}
        assert fields_en == fields_zh, key


def test_unknown_language_names_the_valid_ones() -> None:
    with pytest.raises(
        UnknownIdentifierError, match=r"unknown report language 'fr'; valid: en, zh"
    ):
        translations("fr")


def test_missing_key_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        translations("en").label("no.such.key")


@pytest.mark.parametrize(
    ("number", "decimals", "expected"),
    [
        (1234.5, 1, "1,234.5"),
        (2468000, 0, "2,468,000"),
        (0.05, 1, "0.1"),  # round half to even on the binary value 0.05000000000000000277
        (-0.04, 1, "0.0"),  # no negative zero
        (-1234.5, 0, "-1,234"),  # banker's rounding of an exact .5
    ],
)
def test_format_number(number: float, decimals: int, expected: str) -> None:
    assert format_number(number, decimals, translations("en").number) == expected


def test_units_and_percentages_differ_by_language() -> None:
    en, zh = Localiser(translations("en")), Localiser(translations("zh"))
    assert en.quantity(Quantity(850, "m"))["text"] == "850 m"
    assert zh.quantity(Quantity(850, "m"))["text"] == "850米"
    assert en.quantity(Quantity(2468000, "teu"))["text"] == "2,468,000 TEU"
    assert zh.quantity(Quantity(2468000, "teu"))["text"] == "2,468,000标准箱"
    share = Quantity(0.375, "share", 1)
    assert en.quantity(share) == {
        "kind": "quantity",
        "value": 0.375,
        "unit": "share",
        "shown": 37.5,
        "text": "37.5%",
    }
    assert en.quantity(Quantity(114.56, "deg", 4))["text"] == "114.5600°"


def test_text_with_quantities_keeps_them_as_parts() -> None:
    loc = Localiser(translations("en"))
    out = loc.text(Text("hubs.finding_count", {"n": Quantity(3)}))
    assert out["kind"] == "text"
    assert out["text"] == "3 hub(s) covered by this report."
    assert out["parts"][0]["shown"] == 3.0


def test_text_missing_a_parameter_fails() -> None:
    with pytest.raises(KeyError, match=r"uses \{n\}"):
        Localiser(translations("en")).text(Text("hubs.finding_count"))
