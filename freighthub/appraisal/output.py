"""The appraisal as a JSON document and as a result folder (written atomically).

``appraisal_document`` is the one JSON shape (``freighthub appraise --json`` and
``appraisal.json``): ``npv_cny``, ``bcr``, ``irr``, ``discount_rate``, ``years``
(``year``, ``benefits_cny``, ``costs_cny``, ``net_cny``, ``discount_factor`` and
more), ``assumptions``, plus ``sensitivity``, ``surplus_checks`` and the rest.
Why there is no single IRR is ``irr_note_code`` (a stable code: ``all_zero``,
``all_positive``, ``all_negative``, ``no_crossing``, ``several``; ``null`` when the
IRR is unique) and ``irr_note``, its text in the language the caller localised it to
(``lang``; the CLI uses the report's translations, English by default).
``write_appraisal`` writes ``appraisal.json``, ``years.csv``, ``sensitivity.csv``
and ``manifest.json`` (tool version and input hashes) into a folder that appears
whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from freighthub.appraisal.appraise import Appraisal
from freighthub.atomic import atomic_directory, write_staged
from freighthub.model.provenance import build_manifest

__all__ = ["appraisal_document", "write_appraisal"]


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


#: Turns an appraisal into the text of its IRR note (``None`` when the IRR is unique).
IrrNote = Callable[[Appraisal], str | None]


def _english_note(a: Appraisal) -> str | None:
    return a.irr_note or None


def appraisal_document(
    a: Appraisal, *, irr_note: IrrNote = _english_note, lang: str = "en"
) -> dict[str, Any]:
    """The appraisal as one JSON-ready dict (see the module docstring).

    ``irr_note`` writes the IRR note in ``lang`` (default: the calculation's English).
    """
    doc: dict[str, Any] = _clean(
        {
            "project": a.project_id,
            "name": a.project_name,
            "npv_cny": a.npv_cny,
            "bcr": a.bcr,
            "irr": a.irr,
            "irr_rates": list(a.irr_rates),
            "irr_note_code": a.irr_note_kind or None,
            "irr_note": irr_note(a),
            "lang": lang,
            "discount_rate": a.discount_rate,
            "discount_base_year": a.discount_base_year,
            "price_base_year": a.price_base_year,
            "pv_benefits_cny": a.pv_benefits_cny,
            "pv_costs_cny": a.pv_costs_cny,
            "payback_year": a.payback_year,
            "years": [asdict(r) for r in a.years],
            "pv_benefits_by_item_cny": a.pv_benefits_by_item_cny,
            "pv_costs_by_item_cny": a.pv_costs_by_item_cny,
            "surplus_checks": [asdict(c) for c in a.surplus_checks],
            "sensitivity": [asdict(s) for s in a.sensitivity],
            "assumptions": [asdict(x) for x in a.assumptions],
            "inputs": list(a.inputs),
        }
    )
    return doc


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue()


def write_appraisal(
    a: Appraisal,
    out: str | Path,
    *,
    force: bool = False,
    irr_note: IrrNote = _english_note,
    lang: str = "en",
) -> Path:
    """Write the appraisal's result folder (``irr_note``, ``lang``: as :func:`appraisal_document`).

    Raises
    ------
    ExistingResultError
        If ``out`` exists and ``force`` is false.
    OutputError
        If the folder cannot be written.
    """
    doc = appraisal_document(a, irr_note=irr_note, lang=lang)
    manifest = build_manifest(a.inputs)
    with atomic_directory(out, overwrite=force) as staging:
        write_staged(
            staging / "appraisal.json", json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        )
        write_staged(staging / "years.csv", _csv(doc["years"]))
        write_staged(staging / "sensitivity.csv", _csv(doc["sensitivity"]))
        write_staged(
            staging / "manifest.json",
            json.dumps(asdict(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        )
    return Path(out)
