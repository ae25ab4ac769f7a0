"""Model validation: the simulated scenario against the published statistics it names.

Reuses the simulation section's run (:func:`freighthub.report.sections.simulation.run_simulation`,
shared) and compares it with the scenario's statistics
(:func:`freighthub.calibrate.validation.compare_with_statistics`): one row per published
figure, with the model's mean and 95 % interval, the published value, the tolerance,
the source and pass or fail, and a sentence on how far the model can be trusted.
"""

from __future__ import annotations

import math

from freighthub.calibrate.validation import (
    ValidationResult,
    compare_with_statistics,
    tolerances_for,
)
from freighthub.calibrate.validation_checks import Check
from freighthub.model.scenario import load_scenario
from freighthub.model.statistics import TOLERANCES_FILE, load_scenario_statistics
from freighthub.report.content import (
    Cell,
    Contribution,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    SourceEntry,
    Status,
    Table,
    Text,
    interval_text,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.simulation import run_simulation
from freighthub.report.values import unit_key

__all__ = ["build_validation", "run_validation"]

#: Decimals shown for each quantity's unit (``QUANTITIES``), by report unit key.
_DECIMALS: dict[str, int] = {
    "teu_per_year": 0,
    "t_per_year": 0,
    "departures_per_year": 0,
    "share": 1,
    "d": 1,
}


def run_validation(inputs: ReportInputs) -> ValidationResult | None:
    """The checks of the spec's scenario, or None when it names no statistics.

    Raises
    ------
    DataFileError
        For an invalid or contradictory statistics file.
    """
    spec = inputs.spec.simulation
    assert spec is not None
    loaded = load_scenario(spec.scenario, inputs.spec.hubs)
    statistics = load_scenario_statistics(loaded, spec.statistics)
    if not statistics:
        return None
    result = inputs.shared("simulation", lambda: run_simulation(inputs))
    return compare_with_statistics(result, loaded, statistics, tolerances_for(spec.statistics))


def _q(value: float, unit: str) -> Param:
    if math.isnan(value):
        return Text("value.undefined")
    key = unit_key(unit)
    return Quantity(value, key, _DECIMALS[key])


def _model_cell(c: Check) -> Cell:
    low, high = c.model_ci
    if math.isnan(c.model) or math.isnan(low):
        return Cell(_q(c.model, c.unit))
    return Cell(
        _q(c.model, c.unit),
        detail=interval_text(low, high, lambda x: _q(x, c.unit)),
    )


def _published(c: Check) -> Param:
    if c.published_range is not None:
        low, high = c.published_range
        return Text("validation.range", {"low": _q(low, c.unit), "high": _q(high, c.unit)})
    return _q(c.published, c.unit)


def _tolerance(c: Check) -> Param:
    if c.tolerance_rel is not None:
        return Text("validation.tolerance_rel", {"share": Quantity(c.tolerance_rel, "share", 0)})
    if c.tolerance_abs is not None:
        if c.unit == "share":
            return Text("validation.tolerance_pp", {"pp": Quantity(c.tolerance_abs, "share_pp", 0)})
        return Text("validation.tolerance_abs", {"value": _q(c.tolerance_abs, c.unit)})
    return Text("validation.tolerance_range")


def _row(c: Check) -> tuple[Cell, ...]:
    return (
        Cell(Text(f"validation.quantity.{c.quantity}")),
        Cell(c.subject),
        _model_cell(c),
        Cell(_published(c), confidence=c.confidence),
        Cell(_tolerance(c)),
        Cell(c.statistics_id if c.source else Text("validation.no_source")),
        Cell(Status("pass" if c.passed else "fail")),
    )


def _trust(v: ValidationResult) -> Text:
    """The sentence on how far the model can be trusted."""
    if v.all_passed:
        return Text("validation.trust_all", {"n": Quantity(v.total)})
    failed = [c for c in v.checks if not c.passed]
    worst = max(failed, key=lambda c: abs(c.deviation) / c.published if c.published else 0.0)
    return Text(
        "validation.trust_some",
        {
            "passed": Quantity(v.passed),
            "total": Quantity(v.total),
            "quantity": Text(f"validation.quantity.{worst.quantity}"),
            "subject": worst.subject,
            "model": _q(worst.model, worst.unit),
            "published": _published(worst),
        },
    )


def build_validation(inputs: ReportInputs) -> Contribution | NotRun:
    """The "Model validation" section, or not run when there is no simulation or the
    scenario names no published statistics."""
    spec = inputs.spec.simulation
    if spec is None:
        return NotRun(Text("not_run.no_simulation"))
    v = inputs.shared("validation", lambda: run_validation(inputs))
    if v is None:
        return NotRun(Text("validation.not_run"))
    trust = _trust(v)
    table = Table(
        "validation-checks",
        Text("validation.caption"),
        tuple(
            Text(f"validation.col.{c}")
            for c in ("quantity", "subject", "model", "published", "tolerance", "source", "pass")
        ),
        tuple(_row(c) for c in v.checks),
        row_headers=False,
    )
    section = Section(
        "validation",
        Text("section.validation.title"),
        (
            Paragraph(
                Text(
                    "validation.intro",
                    {
                        "scenario": v.scenario_id,
                        "n": Quantity(v.total),
                        "files": ", ".join(p.stem for p in v.statistics_files),
                    },
                )
            ),
            table,
            Paragraph(trust),
        ),
    )
    sources = tuple(
        SourceEntry(c.statistics_id, c.quantity, _published(c), c.source, c.confidence)
        for c in v.checks
    )
    folder = v.statistics_files[0].parent if v.statistics_files else None
    tolerance_file = (folder / TOLERANCES_FILE) if folder is not None else None
    return Contribution(
        section=section,
        findings=(trust,),
        method_notes=(Text("validation.method"),),
        sources=sources,
        inputs=tuple(v.statistics_files)
        + ((tolerance_file,) if tolerance_file is not None and tolerance_file.is_file() else ()),
        recommendation=() if v.all_passed else (trust,),
    )
