"""Common checks over every registered mode (one row in MODE_FACTS, no new test code)."""

from __future__ import annotations

import re

import pytest

from freighthub.report.i18n import translations
from freighthub.vocabulary import (
    MODE_FACTS,
    DistanceType,
    Mode,
    mode_facts,
    mode_ids,
    scheduled_modes,
)


def test_every_mode_has_one_row() -> None:
    assert mode_ids() == tuple(m.value for m in Mode)
    assert all(mode_facts(m).id == m for m in Mode)


@pytest.mark.parametrize("mode", list(MODE_FACTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_mode_has_labels(mode: str, lang: str) -> None:
    tr = translations(lang)
    facts = mode_facts(mode)
    assert tr.label(facts.label_key).strip()
    assert tr.label(f"scenarios.figure.modal_split_teu_share.{mode}").strip()


@pytest.mark.parametrize("mode", list(MODE_FACTS))
def test_every_mode_has_a_colour_and_facts(mode: str) -> None:
    facts = mode_facts(mode)
    assert re.fullmatch(r"#[0-9a-f]{6}", facts.colour)
    assert isinstance(facts.default_distance_type, DistanceType)
    assert re.fullmatch(r"[A-Z][A-Za-z]+", facts.ileap_mode)


def test_colours_and_ileap_names_are_distinct() -> None:
    rows = MODE_FACTS.values()
    assert len({f.colour for f in rows}) == len(rows)
    assert len({f.ileap_mode for f in rows}) == len(rows)


def test_scheduled_and_waterborne_facts() -> None:
    assert scheduled_modes() == ("rail", "inland_waterway", "sea")
    assert {m for m, f in MODE_FACTS.items() if f.waterborne} == {"inland_waterway", "sea"}
    assert not mode_facts(Mode.ROAD).scheduled
    # a great-circle leg of these modes needs a DAF (a river's bends, a railway's detours)
    daf = {m for m, f in MODE_FACTS.items() if f.great_circle_needs_daf}
    assert daf == {"rail", "inland_waterway"}


def test_every_alias_names_one_mode() -> None:
    aliases = [a for f in MODE_FACTS.values() for a in f.aliases]
    assert len(set(aliases)) == len(aliases) and not set(aliases) & set(MODE_FACTS)


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match=r"mode = 'pipeline': unknown mode; valid: road, rail"):
        mode_facts("pipeline")
