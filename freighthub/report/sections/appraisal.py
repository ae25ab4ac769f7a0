"""Appraisal and candidate-site comparison: NPV/BCR/IRR of a project; the budgeted selection.

``build_appraisal`` runs :func:`freighthub.appraisal.appraise_file` on the spec's
``[appraisal] project``; ``build_candidates`` runs
:func:`freighthub.appraisal.select.select_file` on ``[candidates] file`` with its
budget. Both are left out (not run) when the spec does not name them.
"""

from __future__ import annotations

from freighthub.appraisal.appraise import Appraisal, SensitivityRow, appraise_file
from freighthub.appraisal.select import CandidateSelection, select_file
from freighthub.report.content import (
    Block,
    Cell,
    Contribution,
    KeyFigures,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    SourceEntry,
    Table,
    Text,
)
from freighthub.report.i18n import translations
from freighthub.report.inputs import ReportInputs
from freighthub.report.localise import Localiser
from freighthub.report.values import value_of_time_source

__all__ = ["build_appraisal", "build_candidates", "irr_note"]


def _ratio(value: float | None) -> Param:
    return Text("appraisal.none") if value is None else Quantity(value, "", 3)


def _rate(value: float | None) -> Param:
    return Text("appraisal.none") if value is None else Quantity(value, "share", 2)


def _case(s: SensitivityRow) -> Param:
    """A sensitivity case in the report's language."""
    if s.parameter == "discount_rate":
        return Text("appraisal.case.discount_rate", {"rate": Quantity(s.value, "share", 1)})
    if s.parameter in ("carbon_price_scale", "demand_scale"):
        key = "carbon" if s.parameter == "carbon_price_scale" else "demand"
        return Text(
            f"appraisal.case.{key}", {"change": Quantity(s.value - 1.0, "share", 0, signed=True)}
        )
    return Text("appraisal.case.base")


def _no_irr(a: Appraisal) -> Text:
    """Why there is no single IRR, in the report's language (the roots, if several)."""
    if a.irr_note_kind != "several":
        return Text(f"appraisal.irr_reason.{a.irr_note_kind}")
    rates: Param = Quantity(a.irr_rates[0], "share", 2)
    for r in a.irr_rates[1:]:
        rates = Text("list.pair", {"a": rates, "b": Quantity(r, "share", 2)})
    return Text("appraisal.irr_reason.several", {"rates": rates})


def irr_note(a: Appraisal, lang: str) -> str | None:
    """Why there is no single IRR, as plain text in ``lang``; ``None`` when there is one.

    The same words as the report's appraisal section (keys
    ``appraisal.irr_reason.<code>``, the code being ``a.irr_note_kind``).

    Raises
    ------
    UnknownIdentifierError
        If ``lang`` is not a report language.
    """
    if not a.irr_note_kind:
        return None
    return Localiser(translations(lang)).plain(_no_irr(a))


def build_appraisal(inputs: ReportInputs) -> Contribution | NotRun:
    """The "Appraisal" section, or not run without ``[appraisal]``."""
    spec = inputs.spec.appraisal
    if spec is None:
        return NotRun(Text("not_run.no_appraisal"))
    a: Appraisal = inputs.shared("appraisal", lambda: appraise_file(spec.project))
    irr_text = (
        Text("appraisal.irr_one", {"irr": Quantity(a.irr, "share", 2)})
        if a.irr is not None
        else Text("appraisal.irr_none", {"why": _no_irr(a)})
    )
    blocks: list[Block] = [
        Paragraph(
            Text(
                "appraisal.intro",
                {
                    "project": a.project_name,
                    "rate": Quantity(a.discount_rate, "share", 1),
                    "base": str(a.discount_base_year),
                    "prices": str(a.price_base_year),
                },
            )
        ),
        KeyFigures(
            (
                (Text("appraisal.kf.npv"), Quantity(a.npv_cny, "cny", 0)),
                (Text("appraisal.kf.bcr"), Quantity(a.bcr if a.bcr is not None else 0.0, "", 3)),
                (Text("appraisal.kf.pv_costs"), Quantity(a.pv_costs_cny, "cny", 0)),
            )
        ),
        Paragraph(irr_text),
        Table(
            "appraisal-years",
            Text("appraisal.years_caption"),
            (
                Text("appraisal.col.year"),
                Text("appraisal.col.benefits"),
                Text("appraisal.col.costs"),
                Text("appraisal.col.net"),
                Text("appraisal.col.factor"),
                Text("appraisal.col.discounted"),
            ),
            tuple(
                (
                    Cell(str(r.year)),
                    Cell(Quantity(r.benefits_cny, "cny", 0)),
                    Cell(Quantity(r.costs_cny, "cny", 0)),
                    Cell(Quantity(r.net_cny, "cny", 0)),
                    Cell(Quantity(r.discount_factor, "", 4)),
                    Cell(Quantity(r.discounted_net_cny, "cny", 0)),
                )
                for r in a.years
            ),
        ),
        Table(
            "appraisal-sensitivity",
            Text("appraisal.sensitivity_caption"),
            (
                Text("appraisal.col.case"),
                Text("appraisal.col.npv"),
                Text("appraisal.col.bcr"),
                Text("appraisal.col.irr"),
            ),
            tuple(
                (
                    Cell(_case(s)),
                    Cell(Quantity(s.npv_cny, "cny", 0)),
                    Cell(_ratio(s.bcr)),
                    Cell(_rate(s.irr)),
                )
                for s in a.sensitivity
            ),
        ),
    ]
    finding = Text(
        "appraisal.finding",
        {"project": a.project_name, "npv": Quantity(a.npv_cny, "cny", 0), "bcr": _ratio(a.bcr)},
    )
    return Contribution(
        section=Section("appraisal", Text("section.appraisal.title"), tuple(blocks)),
        findings=(finding,),
        method_notes=(Text("appraisal.method"),),
        recommendation=(finding,),
        sources=tuple(
            SourceEntry(a.project_id, x.parameter, str(x.value), x.source, x.confidence)
            for x in a.assumptions
        ),
        inputs=(spec.project,),
    )


def build_candidates(inputs: ReportInputs) -> Contribution | NotRun:
    """The "Candidate-site comparison" section, or not run without ``[candidates]``."""
    spec = inputs.spec.candidates
    if spec is None:
        return NotRun(Text("not_run.no_candidates"))
    r: CandidateSelection = inputs.shared(
        "candidates",
        lambda: select_file(
            spec.file, spec.budget_cny, solver=spec.solver, hubs_dir=inputs.spec.hubs
        ),
    )
    chosen = [c.label for c in r.candidates if c.chosen]
    blocks: list[Block] = [
        Paragraph(
            Text(
                "candidates.intro",
                {"name": r.name, "budget": Quantity(r.budget_cny, "cny", 0), "solver": r.solver},
            )
        ),
        Table(
            "candidates-table",
            Text("candidates.caption"),
            (
                Text("candidates.col.candidate"),
                Text("candidates.col.capex"),
                Text("candidates.col.annual_cost"),
                Text("candidates.col.benefit"),
                Text("candidates.col.chosen"),
            ),
            tuple(
                (
                    Cell(c.label),
                    Cell(Quantity(c.capex_cny, "cny", 0)),
                    Cell(Quantity(c.annual_cost_cny, "cny", 0)),
                    Cell(
                        Text("candidates.needed")
                        if c.benefit_cny_per_year is None
                        else Quantity(c.benefit_cny_per_year, "cny", 0)
                    ),
                    Cell(Text("candidates.yes" if c.chosen else "candidates.no")),
                )
                for c in r.candidates
            ),
        ),
    ]
    finding = Text(
        "candidates.finding",
        {
            "chosen": ", ".join(chosen) if chosen else "–",
            "capex": Quantity(r.selection.capex_cny, "cny", 0),
            "budget": Quantity(r.budget_cny, "cny", 0),
        },
    )
    return Contribution(
        section=Section("candidates", Text("section.candidates.title"), tuple(blocks)),
        findings=(finding,),
        method_notes=(Text("candidates.method"),),
        recommendation=(finding,),
        sources=(
            value_of_time_source(r.id, r.value_of_time_cny_per_teu_h, r.value_of_time_source),
        ),
        inputs=(spec.file, r.scenario_path),
    )
