"""Helpers of the questionnaire tests: a respondent's answers and a script that fills them in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

PROFILE = "example-ministry-inland-port"

#: What a respondent writes, by field: a metadata value, or (value, source, confidence[, date]).
ANSWERS: dict[str, Any] = {
    "id": "yueyang-chenglingji",
    "names.en": "Yueyang Chenglingji Port",
    "names.zh": "岳阳城陵矶港",
    "country": "CN",
    "lon_deg": 113.14,
    "lat_deg": 29.46,
    "location_source": "assumption: approximate position of the container terminal",
    "hub_types": "inland_port",
    "modes": "road, rail, inland_waterway",
    "respondent": "A. Analyst, provincial transport department",
    "waterway.berth_length_m": (900, "port fact sheet 2023, p. 2", "secondary"),
    "rail.max_train_length_m": (
        850,
        "China Transport News via xd56b.com, 2022-11-10",
        "secondary",
        dt.date(2022, 11, 10),
    ),
    "operations.annual_throughput_t": (1_000_000, "provincial yearbook 2023", "verified"),
    "operations.open_access": (True, "operator's tariff page", "secondary"),
}


def fill(template: Path, target: Path, answers: dict[str, Any]) -> Path:
    """Fill in a questionnaire workbook with openpyxl, as a respondent's script would."""
    wb = load_workbook(template)
    ws = wb["questionnaire"]
    for row in range(2, ws.max_row + 1):
        field = ws.cell(row, 1).value
        if field not in answers:
            continue
        answer = answers[field]
        if isinstance(answer, tuple):
            for col, value in zip((5, 6, 7, 8), answer, strict=False):
                ws.cell(row, col).value = value
        else:
            ws.cell(row, 5).value = answer
    wb.save(target)
    return target
