"""The compliance section: the hub x criterion matrix, gaps and a profile card per hub.

Built on the assessments that :mod:`freighthub.report.sections.assessment` runs once
per MCDA method of the spec (split from it along the compliance/ranking seam).
"""

from __future__ import annotations

from freighthub.assessment import Assessment
from freighthub.report.content import (
    Block,
    Card,
    Cell,
    Contribution,
    Heading,
    Note,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    SourceEntry,
    Status,
    Table,
    Text,
    estimate_interval,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.assessment import (
    _WEIGHT_DECIMALS,
    _criterion_name,
    _matrix_cell,
    _runs,
    _source,
    _threshold,
    _title,
)
from freighthub.report.sections.hubs import hub_name
from freighthub.report.values import measured
from freighthub.scoring.compliance import (
    ComplianceStatus,
    HubCompliance,
)

__all__ = ["build_compliance"]


def _profile_card(
    inputs: ReportInputs, a: Assessment, hc: HubCompliance, codes: dict[str, str]
) -> Card:
    """One hub's profile: rank, criteria met, data coverage and the gaps to close."""
    hub = inputs.hubs[hc.hub_id]
    criteria = {c.id: c for c in a.standard.criteria}
    applicable = len(hc.results) - hc.counts[ComplianceStatus.NOT_APPLICABLE]
    observed = applicable - hc.counts[ComplianceStatus.NO_DATA]
    facts: list[tuple[Text, Param]] = []
    if a.ranking is not None:
        rank = next((x.rank for x in a.ranking.alternatives if x.id == hc.hub_id), None)
        facts.append(
            (
                Text("compliance.card.rank", {"method": Text(f"method.{a.method}")}),
                Text("value.unknown")
                if rank is None
                else Text(
                    "compliance.card.rank_value",
                    {"rank": Quantity(rank), "n": Quantity(len(a.ranking.alternatives))},
                ),
            )
        )
    facts.append(
        (
            Text("compliance.card.passed"),
            Text(
                "compliance.passed_of",
                {
                    "passed": Quantity(hc.counts[ComplianceStatus.PASS]),
                    "applicable": Quantity(applicable),
                },
            ),
        )
    )
    facts.append(
        (
            Text("compliance.card.coverage"),
            Text(
                "compliance.card.coverage_value",
                {
                    "share": Quantity(observed / applicable if applicable else 0.0, "share"),
                    "observed": Quantity(observed),
                    "applicable": Quantity(applicable),
                },
            ),
        )
    )
    facts.extend(_context_facts(a, hc.hub_id))
    items: list[Text] = []
    for r in hc.gaps:
        c = criteria[r.criterion_id]
        items.append(
            Text(
                "compliance.card.gap",
                {
                    "code": codes[c.id],
                    "criterion": _criterion_name(c),
                    "status": Status(r.status.value),
                    "value": "–" if r.value is None else measured(r.value, r.unit),
                    "threshold": _threshold(c),
                },
            )
        )
    missing = [r for r in hc.results if r.status is ComplianceStatus.NO_DATA]
    for r in missing:
        c = criteria[r.criterion_id]
        items.append(
            Text(
                "compliance.card.no_data",
                {"code": codes[c.id], "criterion": _criterion_name(c), "threshold": _threshold(c)},
            )
        )
    return Card(
        f"profile-{hc.hub_id}",
        hub_name(hub),
        tuple(facts),
        Text("compliance.card.gaps_title"),
        tuple(items),
        Text("compliance.card.no_gaps"),
    )


#: Decimals of each simulated context figure (by its unit).
_CONTEXT_DECIMALS = {"share": 1, "teu": 0, "kgco2e_per_teu": 1, "min": 1}


def _context_facts(a: Assessment, hub_id: str) -> list[tuple[Text, Param]]:
    """The simulated figures no criterion reads (context evidence), without pass or fail."""
    out: list[tuple[Text, Param]] = []
    for figure, sim in a.context.get(hub_id, {}).items():
        decimals = _CONTEXT_DECIMALS.get(sim.unit, 1)
        value = Text(
            "compliance.context.value",
            {
                "value": Quantity(float(sim.value), sim.unit, decimals),  # type: ignore[arg-type]
                "ci": estimate_interval(sim.estimate, sim.unit, decimals),
                "replications": Quantity(sim.replications),
                "scenario": sim.scenario_id,
                "seed": str(sim.seed),
            },
        )
        out.append((Text(f"compliance.context.{figure}"), value))
    return out


def build_compliance(inputs: ReportInputs) -> Contribution | NotRun:
    """The hub compliance matrix (hubs × criteria), criteria key and largest gaps."""
    if inputs.spec.assessment is None:
        return NotRun(Text("not_run.no_assessment"))
    runs = _runs(inputs)
    a = runs.headline
    std = a.standard
    codes = {c.id: f"C{i + 1}" for i, c in enumerate(std.criteria)}
    blocks: list[Block] = [
        Paragraph(
            Text(
                "compliance.against",
                {
                    "standard": _title(std),
                    "document": std.info.document,
                    "edition": std.info.edition,
                    "n": Quantity(len(std.criteria)),
                },
            )
        )
    ]
    if std.info.example:
        blocks.append(Paragraph(Text("compliance.example_warning")))
    if a.year is not None:
        blocks.append(Paragraph(Text("compliance.assessment_year", {"year": str(a.year)})))
    for origin, by in sorted(
        {(std.origin[c.id], c.superseded_by) for c in std.criteria if c.superseded_by}
    ):
        blocks.append(Paragraph(Text("compliance.superseded", {"standard": origin, "by": by})))
    rows = []
    totals = dict.fromkeys(ComplianceStatus, 0)
    best: tuple[int, int, str] | None = None
    for hc in a.compliance:
        hub = inputs.hubs[hc.hub_id]
        for status, n in hc.counts.items():
            totals[status] += n
        applicable = len(hc.results) - hc.counts[ComplianceStatus.NOT_APPLICABLE]
        passed = hc.counts[ComplianceStatus.PASS]
        if applicable and (best is None or (passed, applicable) > best[:2]):
            best = (passed, applicable, hc.hub_id)
        rows.append(
            (
                Cell(hub_name(hub)),
                *(
                    _matrix_cell(hc.result(c.id), c, a.simulated.get(hc.hub_id, {}).get(c.id))
                    for c in std.criteria
                ),
                Cell(
                    Text(
                        "compliance.passed_of",
                        {"passed": Quantity(passed), "applicable": Quantity(applicable)},
                    )
                ),
            )
        )
    blocks.append(
        Table(
            "compliance-matrix",
            Text("compliance.matrix_caption"),
            (Text("compliance.col.hub"), *codes.values(), Text("compliance.col.passed")),
            tuple(rows),
        )
    )
    if a.context:
        blocks.append(Paragraph(Text("compliance.context.note")))
    blocks.append(Heading("profiles", Text("compliance.profiles_heading")))
    blocks.extend(_profile_card(inputs, a, hc, codes) for hc in a.compliance)
    blocks.append(Heading("criteria", Text("compliance.criteria_heading")))
    blocks.append(
        Table(
            "criteria-table",
            Text("compliance.criteria_caption"),
            tuple(
                Text(f"compliance.col.{k}")
                for k in ("code", "criterion", "standard", "threshold", "weight", "confidence")
            ),
            tuple(
                (
                    Cell(codes[c.id]),
                    Cell(_criterion_name(c), note=Note(c.id, _source(c), c.confidence)),
                    Cell(std.origin[c.id]),
                    Cell(_threshold(c)),
                    Cell(Quantity(a.weights[c.id], "share", _WEIGHT_DECIMALS)),
                    Cell(c.confidence),
                )
                for c in std.criteria
            ),
        )
    )
    gap_rows = []
    criteria = {c.id: c for c in std.criteria}
    for hc in a.compliance:
        for r in hc.gaps[:1]:
            gap_rows.append(
                (
                    Cell(hub_name(inputs.hubs[hc.hub_id])),
                    Cell(f"{codes[r.criterion_id]} {r.criterion_id}"),
                    Cell(Status(r.status.value)),
                    Cell("–" if r.value is None else measured(r.value, r.unit)),
                    Cell(_threshold(criteria[r.criterion_id])),
                    Cell("–" if r.gap is None else measured(r.gap, r.unit)),
                )
            )
    if gap_rows:
        blocks.append(Heading("gaps", Text("compliance.gaps_heading")))
        blocks.append(
            Table(
                "gap-table",
                Text("compliance.gaps_caption"),
                tuple(
                    Text(f"compliance.col.{k}")
                    for k in ("hub", "criterion", "status", "value", "threshold", "gap")
                ),
                tuple(gap_rows),
            )
        )

    findings = [
        Text(
            "compliance.finding_totals",
            {
                "standard": _title(std),
                "hubs": Quantity(len(a.compliance)),
                "criteria": Quantity(len(std.criteria)),
                **{s.value: Quantity(n) for s, n in totals.items()},
            },
        )
    ]
    if best is not None:
        findings.append(
            Text(
                "compliance.finding_best",
                {
                    "hub": hub_name(inputs.hubs[best[2]]),
                    "passed": Quantity(best[0]),
                    "applicable": Quantity(best[1]),
                },
            )
        )
    sources = [
        SourceEntry(std.origin[c.id], c.id, _threshold(c), _source(c), c.confidence)
        for c in std.criteria
    ]
    if a.weights_basis == "standard":
        sources.extend(
            SourceEntry(
                std.id,
                f"weight {c.id}",
                Quantity(a.weights[c.id], "share", _WEIGHT_DECIMALS),
                std.info.note or std.info.document,
                None,
            )
            for c in std.criteria
        )
    spec = inputs.spec.assessment
    applicable = sum(totals.values()) - totals[ComplianceStatus.NOT_APPLICABLE]
    observed = applicable - totals[ComplianceStatus.NO_DATA]
    return Contribution(
        section=Section("compliance", Text("section.compliance.title"), tuple(blocks)),
        findings=tuple(findings),
        recommendation=(
            Text(
                "compliance.recommend_coverage",
                {
                    "observed": Quantity(observed),
                    "applicable": Quantity(applicable),
                    "share": Quantity(observed / applicable if applicable else 0.0, "share"),
                },
            ),
        ),
        method_notes=(
            Text("compliance.method"),
            Text("compliance.method_weights", {"basis": Text(f"weights.{a.weights_basis}")}),
        ),
        sources=tuple(sources),
        inputs=runs.files,
        parameters=(
            ("standard", std.id),
            ("weights", str(spec.weights) if spec.weights else a.weights_basis),
        ),
    )
