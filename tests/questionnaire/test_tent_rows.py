"""The hub's [tent] section in the questionnaire: template rows, export, import, errors,
and the round trip of every shipped hub file (issue #17)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from _filling import ANSWERS, PROFILE, fill  # type: ignore[import-not-found]
from openpyxl import load_workbook

from freighthub.model.hub import Hub, load_hub
from freighthub.model.standard import find_standard
from freighthub.model.tent import HUB_FACTS, TentListing
from freighthub.questionnaire import (
    QuestionnaireError,
    export_questionnaire,
    hub_toml,
    import_questionnaire,
    read_hubs,
    read_table,
    template_rows,
    write_template,
)
from freighthub.questionnaire.layout import TENT, TENT_SOURCED
from freighthub.vocabulary import Confidence, NetworkTier

DAY = dt.date(2026, 12, 7)
REPO = Path(__file__).resolve().parents[2]
HUB_FILES = sorted((REPO / "hubs").glob("*.toml"))
LISTING = ("tent2024 test listing, Annex II row 'Yueyang'", "verified")


def _without_record(hub: Hub) -> Hub:
    return hub.model_copy(update={"imported_from": None})


def _problems(path: Path) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        read_hubs(path, imported=DAY)
    return [str(p) for p in info.value.problems]


def _row_of(path: Path, field: str) -> int:
    ws = load_workbook(path)["questionnaire"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == field)


def test_the_tent_rows_are_the_fields_of_the_section() -> None:
    fields = {f.removeprefix("tent.") for f, *_ in TENT}
    assert fields | {"source", "confidence"} == set(TentListing.model_fields)
    assert set(HUB_FACTS) <= fields
    assert TENT[0][0] == TENT_SOURCED == "tent.tier"


@pytest.mark.parametrize("path", HUB_FILES, ids=[p.stem for p in HUB_FILES])
def test_every_shipped_hub_file_survives_export_then_import(path: Path, tmp_path: Path) -> None:
    """Export -> import gives the same hub and the same hub-file text (but the import record)."""
    hub = load_hub(path)
    sheet = export_questionnaire([hub], tmp_path / f"{hub.id}.csv")
    (written,) = import_questionnaire(sheet, tmp_path / "out", imported=DAY)
    back = load_hub(written)
    assert back.imported_from is not None and back.imported_from.questionnaire == sheet.name
    assert _without_record(back) == hub
    assert hub_toml(_without_record(back)) == hub_toml(hub)
    assert back.tent == hub.tent


def test_the_shipped_eu_hubs_export_their_tent_rows(tmp_path: Path) -> None:
    hub = load_hub(REPO / "hubs" / "malaszewicze.toml")
    assert hub.tent is not None
    rows = {r.row.field: r.row for r in read_table(export_questionnaire([hub], tmp_path / "m.csv"))}
    tier = rows["tent.tier"]
    assert (tier.value, tier.unit) == ("comprehensive", "class")
    assert tier.source == hub.tent.source and tier.confidence == "verified"
    assert "tent.rail_tier" not in rows  # not given, and no profile asks for it
    cn = load_hub(REPO / "hubs" / "wuhan-yangluo.toml")
    fields = [r.row.field for r in read_table(export_questionnaire([cn], tmp_path / "w.csv"))]
    assert not [f for f in fields if f.startswith("tent.")]


def test_template_asks_the_tent_rows_the_profile_reads() -> None:
    """example-ministry-inland-port reads tent2024-rail-axle-load: stages by the rail tier,
    an Art. 15(3) condition on the comprehensive stage, the Art. 14(1)(d) exemption."""
    rows = {r.field: r for r in template_rows(find_standard(PROFILE))}
    assert {"tent.tier", "tent.rail_tier", "tent.rail_access_connection"} <= set(rows)
    assert "tent.rail_art15_3_line" in rows
    assert "tent.waterway_tier" not in rows  # no criterion of the profile is staged by waterway
    assert "tent2024-rail-axle-load: the tier selects the stage" in rows["tent.rail_tier"].rule
    assert "2030-12-31" in rows["tent.rail_tier"].rule
    assert "exempt where true (Art. 14(1)(d)" in rows["tent.rail_access_connection"].rule
    assert "applies only where true" in rows["tent.rail_art15_3_line"].rule
    assert all(rows[f].value is None for f in rows if f.startswith("tent."))


def test_a_filled_in_tent_block_imports_into_the_section(tmp_path: Path) -> None:
    template = write_template(find_standard(PROFILE), tmp_path / "q.xlsx")
    answers = {
        **ANSWERS,
        "tent.tier": ("comprehensive", *LISTING),
        "tent.rail_tier": ("core",),
        "tent.rail_access_connection": (True,),
    }
    (hub,) = read_hubs(fill(template, tmp_path / "f.xlsx", answers), imported=DAY)
    assert hub.tent == TentListing(
        tier=NetworkTier.COMPREHENSIVE,
        rail_tier=NetworkTier.CORE,
        rail_access_connection=True,
        source=LISTING[0],
        confidence=Confidence.VERIFIED,
    )
    assert hub.tent.tiers() == {
        "node": "comprehensive",
        "rail": "core",
        "waterway": "comprehensive",
    }


def test_the_template_workbook_lists_the_tiers(tmp_path: Path) -> None:
    path = write_template(find_standard(PROFILE), tmp_path / "q.xlsx")
    ws = load_workbook(path)["questionnaire"]
    row = _row_of(path, "tent.tier")
    tiers = '"core,extended_core,comprehensive"'
    assert any(
        f"E{row}" in dv.sqref and dv.formula1 == tiers for dv in ws.data_validations.dataValidation
    )
    confidence = [dv for dv in ws.data_validations.dataValidation if "verified" in str(dv.formula1)]
    assert any(f"G{row}" in dv.sqref for dv in confidence)
    other = _row_of(path, "tent.rail_tier")
    assert not any(f"G{other}" in dv.sqref for dv in confidence)  # a value only


@pytest.mark.parametrize(
    ("answers", "field", "column", "rule"),
    [
        ({"tent.tier": ("core",)}, "tent.tier", "F (source)", "missing source"),
        (
            {"tent.tier": ("core", LISTING[0], "sure")},
            "tent.tier",
            "G (confidence)",
            "must be one of verified",
        ),
        (
            {"tent.tier": ("central", *LISTING)},
            "tent.tier",
            "E (value)",
            "must be one of core, extended_core, comprehensive",
        ),
        (
            {"tent.tier": ("core", *LISTING, dt.date(2024, 6, 13))},
            "tent.tier",
            "H (date)",
            "the [tent] section takes no date",
        ),
        (
            {"tent.tier": ("core", *LISTING), "tent.rail_tier": ("core", "Annex II")},
            "tent.rail_tier",
            "F (source)",
            "takes a value only: the [tent] section's source and confidence go on the row "
            "'tent.tier'",
        ),
        (
            {"tent.tier": ("core", *LISTING), "tent.rail_access_connection": ("maybe",)},
            "tent.rail_access_connection",
            "E (value)",
            "must be true or false",
        ),
        (
            {"tent.rail_tier": ("core",)},
            "tent.tier",
            "E (value)",
            "tent.tier: required with tent.rail_tier: fill in the hub's TEN-T tier",
        ),
        ({"tent.tier": (None, *LISTING)}, "tent.tier", "F (source)", "given without a value"),
    ],
)
def test_bad_tent_cells_are_located(
    tmp_path: Path, answers: dict[str, tuple[object, ...]], field: str, column: str, rule: str
) -> None:
    template = write_template(find_standard(PROFILE), tmp_path / "q.xlsx")
    bad = fill(template, tmp_path / "bad.xlsx", {**ANSWERS, **answers})
    (line,) = _problems(bad)
    assert f"sheet 'questionnaire', row {_row_of(bad, field)}, column {column}:" in line
    assert rule in line


def test_a_wrong_tent_unit_is_refused(tmp_path: Path) -> None:
    hub = load_hub(REPO / "hubs" / "rotterdam.toml")
    path = export_questionnaire([hub], tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    (row,) = [i for i, cells in enumerate(table) if cells[0] == "tent.tier"]
    assert table[row][2] == "class"
    table[row][2] = "bool"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    (line,) = _problems(path)
    assert f"row {row + 1}, column C (unit): tent.tier = 'bool': does not fit tent.tier" in line
    assert "which is a class" in line
