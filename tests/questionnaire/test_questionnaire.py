"""Questionnaire: template, import, export, and their round trips (issue #17)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from _filling import ANSWERS, PROFILE, fill  # type: ignore[import-not-found]
from openpyxl import load_workbook

from freighthub.atomic import ExistingResultError, OutputError
from freighthub.errors import DataFileError
from freighthub.model.hub import Hub, HubStatus, load_hub, load_hubs
from freighthub.model.standard import find_standard, load_standards
from freighthub.questionnaire import (
    QuestionnaireError,
    export_questionnaire,
    import_questionnaire,
    read_hubs,
    read_table,
    template_rows,
    write_template,
)
from freighthub.questionnaire.layout import profile_attributes, unit_symbol

DAY = dt.date(2026, 12, 7)
REPO = Path(__file__).resolve().parents[2]


def _plain(hub: Hub) -> dict[str, object]:
    return hub.model_dump(exclude={"imported_from"})


# --- template ------------------------------------------------------------------------


def test_template_asks_every_attribute_the_profile_reads_with_unit_and_rule(
    tmp_path: Path,
) -> None:
    profile = find_standard(PROFILE)
    path = write_template(profile, tmp_path / "q.xlsx")
    rows = {r.row.field: r.row for r in read_table(path)}
    for attribute in profile_attributes(profile):
        assert attribute in rows
        assert rows[attribute].unit == unit_symbol(attribute)
        assert rows[attribute].definition
    assert rows["operations.annual_throughput_t"].unit == "t/year"
    assert "tent2024-inland-port-volume" in rows["operations.annual_throughput_t"].rule
    assert "> 500000 t/year" in rows["operations.annual_throughput_t"].rule
    assert "Regulation (EU) 2024/1679" in rows["operations.annual_throughput_t"].rule
    assert {"id", "names.en", "country", "status", "planned_year", "respondent"} <= set(rows)


def test_template_workbook_carries_data_validation(tmp_path: Path) -> None:
    path = write_template(find_standard(PROFILE), tmp_path / "q.xlsx")
    ws = load_workbook(path)["questionnaire"]
    kinds = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal", "whole", "date"} <= set(kinds)
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert '"verified,secondary,uncertain,assumption"' in lists
    assert '"existing,planned,expansion"' in lists
    fields = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    draught = f"E{fields['waterway.draught_m']}"
    assert any(
        draught in dv.sqref for dv in ws.data_validations.dataValidation if dv.type == "decimal"
    )


def test_template_status_selects_current_or_planned_rows() -> None:
    profile = find_standard(PROFILE)
    n = len(profile_attributes(profile))
    fields = {s: [r.field for r in template_rows(profile, s)] for s in HubStatus}
    assert sum(f.startswith("planned.rail") for f in fields[HubStatus.EXISTING]) == 0
    assert sum(f.startswith("planned.") for f in fields[HubStatus.PLANNED]) == n + 1
    expansion = fields[HubStatus.EXPANSION]
    assert sum(f.startswith("planned.") for f in expansion) == n + 1  # + planned.operations.year
    assert "waterway.draught_m" in expansion and "planned.waterway.draught_m" in expansion


def test_template_csv_has_the_same_rows(tmp_path: Path) -> None:
    profile = find_standard(PROFILE)
    xlsx = [r.row for r in read_table(write_template(profile, tmp_path / "q.xlsx"))]
    csv = [r.row for r in read_table(write_template(profile, tmp_path / "q.csv"))]
    assert csv == xlsx
    assert (tmp_path / "q.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8


def test_template_refuses_a_wrong_suffix_and_an_existing_file(tmp_path: Path) -> None:
    profile = find_standard(PROFILE)
    with pytest.raises(DataFileError, match=r"q\.ods: file name = 'q\.ods': must end in"):
        write_template(profile, tmp_path / "q.ods")
    write_template(profile, tmp_path / "q.csv")
    with pytest.raises(ExistingResultError, match="already exists: pass --force"):
        write_template(profile, tmp_path / "q.csv")
    write_template(profile, tmp_path / "q.csv", overwrite=True)


# --- import --------------------------------------------------------------------------


def test_import_writes_a_hub_file_with_provenance(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "hubs"
    (written,) = import_questionnaire(filled, out, imported=DAY)
    hub = load_hub(written)
    assert written.name == "yueyang-chenglingji.toml"
    assert hub.names.zh == "岳阳城陵矶港"
    assert hub.waterway is not None and hub.waterway.berth_length_m is not None
    assert hub.waterway.berth_length_m.value == 900
    assert hub.rail is not None and hub.rail.max_train_length_m is not None
    assert hub.rail.max_train_length_m.date == dt.date(2022, 11, 10)
    assert hub.operations is not None and hub.operations.open_access is not None
    assert hub.operations.open_access.value is True
    record = hub.imported_from
    assert record is not None
    assert record.questionnaire == "filled.xlsx"
    assert record.respondent == ANSWERS["respondent"]
    assert record.imported == DAY
    import hashlib

    assert record.sha256 == hashlib.sha256(filled.read_bytes()).hexdigest()
    assert "Imported by freighthub hubs import from filled.xlsx" in written.read_text("utf-8")


def test_import_never_replaces_a_hub_file_unasked(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "hubs"
    import_questionnaire(filled, out, imported=DAY)
    before = (out / "yueyang-chenglingji.toml").read_bytes()
    with pytest.raises(ExistingResultError, match=r"yueyang-chenglingji\.toml: already exists"):
        import_questionnaire(filled, out, imported=DAY + dt.timedelta(days=1))
    assert (out / "yueyang-chenglingji.toml").read_bytes() == before
    import_questionnaire(filled, out, imported=DAY + dt.timedelta(days=1), overwrite=True)
    assert load_hub(out / "yueyang-chenglingji.toml").imported_from.imported == DAY + dt.timedelta(  # type: ignore[union-attr]
        days=1
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_import_into_a_read_only_folder_is_one_clear_error(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="locked"):
            import_questionnaire(filled, out, imported=DAY)
    finally:
        out.chmod(0o755)
    assert list(out.iterdir()) == []


# --- round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_identical_hubs(tmp_path: Path, suffix: str) -> None:
    hubs = load_hubs(REPO / "hubs")
    path = export_questionnaire(hubs.values(), tmp_path / f"all{suffix}")
    back = read_hubs(path, imported=DAY)
    assert [h.id for h in back] == list(hubs)
    assert [_plain(h) for h in back] == [_plain(h) for h in hubs.values()]


def _expansion() -> Hub:
    base = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    base.update(
        status="expansion",
        planned_year=2030,
        planned={
            "waterway": {
                "berth_length_m": {
                    "value": 1500.0,
                    "source": "port master plan 2021-2035, p. 14",
                    "confidence": "secondary",
                    "date": dt.date(2022, 3, 1),
                },
            },
            "handling": {
                "equipment": [
                    {
                        "type": "sts_crane",
                        "count": {"value": 12, "source": "master plan", "confidence": "secondary"},
                    }
                ]
            },
            "operations": {"year": 2030},
        },
    )
    return Hub.model_validate(base)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_candidate_hub_round_trip_keeps_plans_and_dates(tmp_path: Path, suffix: str) -> None:
    hub = _expansion()
    path = export_questionnaire([hub], tmp_path / f"c{suffix}")
    (back,) = read_hubs(path, imported=DAY)
    assert _plain(back) == _plain(hub)
    assert back.plan("waterway.berth_length_m") == hub.plan("waterway.berth_length_m")


def test_export_with_a_profile_adds_empty_rows_for_what_is_missing(tmp_path: Path) -> None:
    hub = load_hub(REPO / "hubs" / "nanjing-longtan.toml")
    path = export_questionnaire([hub], tmp_path / "n.csv", profile=find_standard(PROFILE))
    rows = {r.row.field: r.row for r in read_table(path)}
    assert rows["waterway.draught_m"].value is None
    assert "agn-draught" in rows["waterway.draught_m"].rule
    (back,) = read_hubs(path, imported=DAY)  # the empty rows import as "not known"
    assert _plain(back) == _plain(hub)


# --- malformed questionnaires --------------------------------------------------------


def _problems(path: Path) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        read_hubs(path, imported=DAY)
    return [str(p) for p in info.value.problems]


def _row_of(path: Path, field: str) -> int:
    ws = load_workbook(path)["questionnaire"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == field)


def test_text_in_a_number_cell_names_sheet_row_column(filled: Path, tmp_path: Path) -> None:
    bad = fill(filled, tmp_path / "bad.xlsx", {"waterway.berth_length_m": ("about 900",)})
    row = _row_of(bad, "waterway.berth_length_m")
    (line,) = _problems(bad)
    assert line == (
        f"{bad}: sheet 'questionnaire', row {row}, column E (value): "
        "waterway.berth_length_m = 'about 900': must be a number"
    )


@pytest.mark.parametrize(
    ("answer", "column", "rule"),
    [
        ((900, None, "secondary"), "F (source)", "missing source"),
        ((900, "fact sheet", "sure"), "G (confidence)", "must be one of verified, secondary"),
        ((900, "fact sheet", "secondary", "next year"), "H (date)", "must be a date YYYY-MM-DD"),
        (("1,250", "fact sheet", "secondary"), "E (value)", "no thousands separators"),
        ((-5, "fact sheet", "secondary"), "E (value)", "must be > 0"),
    ],
)
def test_bad_cells_are_located(
    filled: Path, tmp_path: Path, answer: tuple[object, ...], column: str, rule: str
) -> None:
    wb = load_workbook(filled)
    ws = wb["questionnaire"]
    row = _row_of(filled, "waterway.berth_length_m")
    for col in (5, 6, 7, 8):
        ws.cell(row, col).value = None
    wb.save(tmp_path / "bad.xlsx")
    bad = fill(tmp_path / "bad.xlsx", tmp_path / "bad.xlsx", {"waterway.berth_length_m": answer})
    (line,) = _problems(bad)
    assert f"sheet 'questionnaire', row {row}, column {column}: waterway.berth_length_m" in line
    assert rule in line


def test_a_wrong_unit_is_refused(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    row = _row_of(filled, "operations.annual_throughput_t")
    wb["questionnaire"].cell(row, 3).value = "TEU/year"
    wb.save(tmp_path / "bad.xlsx")
    (line,) = _problems(tmp_path / "bad.xlsx")
    assert f"row {row}, column C (unit): operations.annual_throughput_t = 'TEU/year'" in line
    assert "which is in t/year" in line


def test_duplicate_and_unknown_rows_are_refused(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    ws = wb["questionnaire"]
    ws.append(["waterway.berth_length_m", None, "m", None, 950, "other sheet", "secondary"])
    ws.append(["rail.max_train_lenght_m", None, "m", None, 850, "x", "secondary"])
    wb.save(tmp_path / "bad.xlsx")
    first = _row_of(filled, "waterway.berth_length_m")
    dup, typo = _problems(tmp_path / "bad.xlsx")
    assert "column A (field): field = 'waterway.berth_length_m': listed twice" in dup
    assert f"(first in row {first})" in dup
    assert "did you mean 'rail.max_train_length_m'?" in typo


def test_a_metadata_error_is_reported_on_its_row(filled: Path, tmp_path: Path) -> None:
    bad = fill(filled, tmp_path / "bad.xlsx", {"lat_deg": 129.46})
    (line,) = _problems(bad)
    assert (
        f"row {_row_of(bad, 'lat_deg')}, column E (value): lat_deg = 129.46: must be <= 90" in line
    )


def test_values_of_a_mode_the_hub_does_not_serve_point_at_modes(
    filled: Path, tmp_path: Path
) -> None:
    bad = fill(filled, tmp_path / "bad.xlsx", {"modes": "road, inland_waterway"})
    (line,) = _problems(bad)
    assert f"row {_row_of(bad, 'modes')}, column E (value)" in line
    assert "has a [rail] section but 'rail' is not in modes" in line


def test_nothing_is_written_when_any_hub_is_bad(filled: Path, tmp_path: Path) -> None:
    good = load_hub(REPO / "hubs" / "wuhan-yangluo.toml")
    both = export_questionnaire([good], tmp_path / "both.xlsx")
    wb = load_workbook(both)
    ws = wb["questionnaire"]
    for row in load_workbook(filled)["questionnaire"].iter_rows(min_row=2, values_only=True):
        ws.append(list(row))
    last = max(
        r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "rail.max_train_length_m"
    )
    ws.cell(last, 5).value = "long"
    wb.save(both)
    out = tmp_path / "hubs"
    with pytest.raises(QuestionnaireError, match=f"row {last}, column E"):
        import_questionnaire(both, out, imported=DAY)
    assert not out.exists()


def test_a_hub_id_given_twice_is_refused(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    ws = wb["questionnaire"]
    for row in list(ws.iter_rows(min_row=2, values_only=True)):
        ws.append(list(row))
    wb.save(tmp_path / "twice.xlsx")
    (line,) = _problems(tmp_path / "twice.xlsx")
    assert "id = 'yueyang-chenglingji': hub id given twice (first in row 2)" in line


def test_wrong_sheet_empty_and_broken_files(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb["questionnaire"].title = "Sheet1"
    wb.save(tmp_path / "renamed.xlsx")
    with pytest.raises(
        DataFileError, match=r"renamed\.xlsx: has no sheet 'questionnaire'; sheets: Sheet1"
    ):
        read_hubs(tmp_path / "renamed.xlsx", imported=DAY)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(DataFileError, match=r"empty\.xlsx: not a readable \.xlsx workbook"):
        read_hubs(tmp_path / "empty.xlsx", imported=DAY)
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DataFileError, match=r"empty\.csv: is empty: no header row"):
        read_hubs(tmp_path / "empty.csv", imported=DAY)
    (tmp_path / "header.csv").write_text("field,definition,unit\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"row 1, column D \(rule\): the header must read"):
        read_hubs(tmp_path / "header.csv", imported=DAY)
    (tmp_path / "latin1.csv").write_bytes("field,é\n".encode("latin-1"))
    with pytest.raises(DataFileError, match=r"latin1\.csv: not UTF-8 text"):
        read_hubs(tmp_path / "latin1.csv", imported=DAY)
    with pytest.raises(DataFileError, match=r"nothing\.csv: does not exist"):
        read_hubs(tmp_path / "nothing.csv", imported=DAY)
    shutil.copy(filled, tmp_path / "copy.xlsx")
    only = tmp_path / "only-header.csv"
    only.write_text("field,definition,unit,rule,value,source,confidence,date\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="holds no rows below the header"):
        read_hubs(only, imported=DAY)


def test_rows_before_the_first_id_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "field,definition,unit,rule,value,source,confidence,date\ncountry,,,,CN,,,\n",
        encoding="utf-8",
    )
    (line,) = _problems(path)
    assert (
        line
        == f"{path}: row 2, column A (field): field = 'country': a hub's rows start with the row 'id'"
    )


def test_an_unsourced_value_exports_with_an_empty_source_that_import_asks_for(
    tmp_path: Path,
) -> None:
    data = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    data["road"] = {"gate_lanes": {"value": 8}}  # a plain value: allowed in a hub file
    path = export_questionnaire([Hub.model_validate(data)], tmp_path / "w.csv")
    (line,) = _problems(path)
    assert "column F (source): road.gate_lanes = '8': missing source" in line


def test_teu_units_are_checked_against_the_attribute(tmp_path: Path) -> None:
    hub = load_hub(REPO / "hubs" / "wuhan-yangluo.toml")
    path = export_questionnaire([hub], tmp_path / "w.csv")
    rows = {r.row.field: r.row for r in read_table(path)}
    assert rows["handling.yard_capacity_teu"].unit == "TEU"
    assert rows["operations.annual_throughput_teu"].unit == "TEU/year"
    text = path.read_text(encoding="utf-8-sig")
    swapped = text.replace("handling.yard_capacity_teu,static container yard capacity,TEU,",
                           "handling.yard_capacity_teu,static container yard capacity,TEU/year,")  # fmt: skip
    assert swapped != text
    path.write_text(swapped, encoding="utf-8")
    (line,) = _problems(path)
    assert "column C (unit): handling.yard_capacity_teu = 'TEU/year': does not fit" in line
    assert "which is in TEU:" in line


def test_an_unfilled_template_lists_every_required_row(tmp_path: Path) -> None:
    path = write_template(find_standard(PROFILE), tmp_path / "q.csv")
    rows = {r.row.field: r.number for r in read_table(path)}
    problems = _problems(path)
    required = ("id", "names.en", "country", "lon_deg", "lat_deg", "hub_types", "modes")
    assert problems == [
        f"{path}: row {rows[f]}, column E (value): {f}: required: fill in" for f in required
    ]


def test_every_attribute_of_the_hub_format_has_a_definition_and_a_unit() -> None:
    """The questionnaire can ask for any attribute a standard may read (a registry check)."""
    from freighthub.model.hub import attribute_paths
    from freighthub.questionnaire.layout import definition

    for path in attribute_paths():
        assert definition(path), path
        assert unit_symbol(path), path


@pytest.mark.parametrize("standard_id", sorted(load_standards()))
def test_a_template_can_be_written_for_every_shipped_standard(
    standard_id: str, tmp_path: Path
) -> None:
    standard = find_standard(standard_id)
    if not standard.criteria:
        pytest.skip(f"{standard_id} codifies no criterion")
    path = write_template(standard, tmp_path / "q.csv")
    fields = {r.row.field for r in read_table(path)}
    assert set(profile_attributes(standard)) <= fields


def test_a_formula_the_file_never_computed_is_refused(filled: Path, tmp_path: Path) -> None:
    """openpyxl writes a formula without its result: read as data it is an empty cell, so
    the value would be lost; the import names the cell instead."""
    bad = fill(filled, tmp_path / "bad.xlsx", {"waterway.berth_length_m": ("=450*2",)})
    row = _row_of(bad, "waterway.berth_length_m")
    with pytest.raises(DataFileError) as info:
        read_hubs(bad, imported=DAY)
    line = str(info.value)
    assert line.startswith(f"{bad}: sheet 'questionnaire', row {row}, column E (value): ")
    assert "berth_length_m = '=450*2': a formula whose result the file does not hold" in line


def test_a_second_questionnaire_sheet_is_not_dropped_silently(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb.copy_worksheet(wb["questionnaire"]).title = "Wuhu"
    wb.create_sheet("notes").append(["called the port on 3 Dec"])  # other sheets are fine
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(DataFileError, match="sheet 'Wuhu' looks like a questionnaire but only"):
        read_hubs(tmp_path / "two.xlsx", imported=DAY)
    del wb["Wuhu"]
    wb.save(tmp_path / "notes.xlsx")
    assert [h.id for h in read_hubs(tmp_path / "notes.xlsx", imported=DAY)] == [ANSWERS["id"]]


def test_a_bad_required_cell_is_one_problem_not_two(filled: Path, tmp_path: Path) -> None:
    bad = fill(filled, tmp_path / "bad.xlsx", {"modes": "road, railway"})
    (line,) = _problems(bad)
    assert f"row {_row_of(bad, 'modes')}, column E (value): modes = 'railway'" in line


def test_wagons_per_day_is_asked_in_wagons_per_day() -> None:
    """The station-class criterion reads wagons/day; the row said 'class' before."""
    assert unit_symbol("rail.wagons_handled_per_day") == "wagons/day"
