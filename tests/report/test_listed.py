"""``report.content.listed``: the one way report texts join a list of names."""

from __future__ import annotations

import pytest

from freighthub.report.content import Text, listed
from freighthub.report.i18n import translations
from freighthub.report.localise import Localiser


def test_one_item_is_itself() -> None:
    only = Text("mode.rail")
    assert listed([only]) is only


def test_items_nest_left_to_right() -> None:
    a, b, c = Text("mode.road"), Text("mode.rail"), Text("mode.inland_waterway")
    assert listed([a, b, c]) == Text(
        "list.pair", {"a": Text("list.pair", {"a": a, "b": b}), "b": c}
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "road, rail, sea"), ("zh", "公路、铁路、海运")]
)
def test_joined_with_the_languages_separator(lang: str, expected: str) -> None:
    joined = listed([Text("mode.road"), Text("mode.rail"), Text("mode.sea")])
    assert isinstance(joined, Text)
    tr = translations(lang)
    names = [tr.text["mode"][m] for m in ("road", "rail", "sea")]
    assert Localiser(tr).plain(joined) == tr.text["list"]["pair"].format(
        a=tr.text["list"]["pair"].format(a=names[0], b=names[1]), b=names[2]
    )
    assert Localiser(tr).plain(joined) == expected


def test_nothing_to_join_is_an_error() -> None:
    with pytest.raises(ValueError, match="no items"):
        listed([])
