"""Compliance matrix and ranking sections, from :func:`freighthub.assessment.assess`.

Both sections share one assessment per MCDA method of the spec (computed once
through :meth:`ReportInputs.shared`). The first method is the headline ranking and
carries the stability analysis (rank acceptability, rank reversal); the others show
how far the methods agree (Kendall's tau-b between their rankings).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau

from freighthub.assessment import Assessment, assess
from freighthub.errors import UnknownIdentifierError
from freighthub.model.paths import data_dir
from freighthub.model.standard import Criterion, Standard, load_standards, load_weights
from freighthub.report.content import (
    Block,
    Bullets,
    Card,
    Cell,
    Contribution,
    Heading,
    Localised,
    Note,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    SourceEntry,
    StackedBarChart,
    Status,
    Table,
    Text,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.hubs import hub_name
from freighthub.report.values import measured
from freighthub.scoring.compliance import (
    ComplianceStatus,
    CriterionResult,
    HubCompliance,
    NotAssessed,
    NotAssessedKind,
)
from freighthub.scoring.mcda import MISSING_POLICIES, MissingTreatment
from freighthub.scoring.stability import Stability

__all__ = ["AssessmentRuns", "build_compliance", "build_ranking", "reason_text", "run_assessments"]

_SCORE_DECIMALS = 3
_TAU_DECIMALS = 2
_SHARE_DECIMALS = 0
_WEIGHT_DECIMALS = 1
# The title page's recommendation names a hub firmly only if the ranking rests on at
# least half of the criteria and at most half of its values were filled in for gaps
# (a presentation rule of this report, not a threshold from a standard).
_FIRM_CRITERIA_SHARE = 0.5
_FIRM_FILLED_SHARE = 0.5


@dataclass(frozen=True)
class AssessmentRuns:
    """One assessment per method (the first is the headline) and the files read."""

    by_method: dict[str, Assessment]
    files: tuple[Path, ...]

    @property
    def headline(self) -> Assessment:
        """The assessment of the first method (with the stability analysis)."""
        return next(iter(self.by_method.values()))


def run_assessments(inputs: ReportInputs) -> AssessmentRuns:
    """Assess the report's hubs with every method of the spec.

    Raises
    ------
    UnknownIdentifierError
        For an unknown standard, method or missing-data policy.
    DataFileError
        If a standard or the weights file is invalid.
    """
    spec = inputs.spec.assessment
    assert spec is not None
    folder = spec.standards_dir or data_dir("standards")
    catalogue = load_standards(folder)
    if spec.standard not in catalogue:
        raise UnknownIdentifierError("standard", spec.standard, catalogue)
    standard = catalogue[spec.standard]
    weights = None if spec.weights is None else load_weights(spec.weights)
    by_method = {
        method: assess(
            inputs.hubs,
            standard,
            method=method,
            weights=weights,
            missing=spec.missing,
            n_samples=spec.samples if i == 0 else 0,
            seed=spec.seed,
        )
        for i, method in enumerate(spec.methods)
    }
    files = [standard.path]
    for origin in sorted(set(standard.origin.values()) - {standard.id}):
        files.append(catalogue[origin].path)
    if spec.weights is not None:
        files.append(spec.weights)
    return AssessmentRuns(by_method, tuple(p.resolve() for p in files))


def _runs(inputs: ReportInputs) -> AssessmentRuns:
    return inputs.shared("assessment", lambda: run_assessments(inputs))


def _title(standard: Standard) -> Localised:
    return Localised(standard.info.title.en, standard.info.title.zh)


def _criterion_name(c: Criterion) -> Localised:
    return Localised(c.name.en, c.name.zh)


def _source(c: Criterion) -> str:
    text = c.source.one_line()
    return f"{text}, {c.source.url}" if c.source.url else text


def _threshold(c: Criterion) -> Param:
    """The pass condition of a criterion, composed from its rule and limits."""
    rule = c.rule.value
    if rule in {"minimum", "maximum"} and c.threshold is not None:
        key = f"compliance.threshold.{rule}" + ("_strict" if c.strict else "")
        return Text(key, {"limit": measured(c.threshold, c.unit)})
    if rule == "boolean" and c.required is not None:
        return Text(f"compliance.threshold.boolean_{str(c.required).lower()}")
    if rule == "one_of" and c.allowed:
        return Text("compliance.threshold.one_of", {"values": ", ".join(c.allowed)})
    band_id = c.pass_band or (c.bands[0].id if c.bands else None)
    band = next((b for b in c.bands if b.id == band_id), None)
    if rule == "graded" and band is not None:
        side = "minimum" if c.direction.value == "benefit" else "maximum"
        return Text(
            f"compliance.threshold.band_{side}" + ("_strict" if band.strict else ""),
            {"band": Localised(band.name.en, band.name.zh), "limit": measured(band.limit, c.unit)},
        )
    return c.spec().describe_threshold()


def _names(kind: str, values: Iterable[str]) -> Param:
    """Translated names (``mode.rail`` ...) joined pairwise with the list separator."""
    ordered = sorted(values)
    out: Param = Text(f"{kind}.{ordered[0]}")
    for value in ordered[1:]:
        out = Text("list.pair", {"a": out, "b": Text(f"{kind}.{value}")})
    return out


def reason_text(reason: NotAssessed) -> Text:
    """The compliance result's own reason for not judging a hub, as translatable text."""
    if reason.kind is NotAssessedKind.HUB_TYPE:
        return Text("compliance.reason.hub_type", {"types": _names("hub_type", reason.hub_types)})
    if reason.kind is NotAssessedKind.MODES:
        return Text("compliance.reason.modes", {"modes": _names("mode", reason.modes)})
    return Text("compliance.reason.no_data")


def _matrix_cell(r: CriterionResult, c: Criterion) -> Cell:
    status = Status(r.status.value)
    if r.reason is not None:
        return Cell(status, tooltip=reason_text(r.reason))
    value_conf = r.value_confidence
    detail = None if r.value is None else measured(r.value, r.unit)
    evidence = Text(
        "compliance.evidence",
        {"value": detail if detail is not None else "–", "threshold": _threshold(c)},
    )
    return Cell(
        status,
        note=Note(evidence, r.value_source, value_conf),
        confidence=value_conf if value_conf is not None and value_conf.flagged else None,
        detail=detail,
    )


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
                *(_matrix_cell(hc.result(c.id), c) for c in std.criteria),
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


def _tau(a: Sequence[int], b: Sequence[int]) -> Param:
    if len(a) < 2:
        return Text("value.undefined")
    tau = float(kendalltau(a, b).statistic)
    return Text("value.undefined") if math.isnan(tau) else Quantity(tau, "", _TAU_DECIMALS)


def _missing_treatment(treatment: MissingTreatment) -> Text:
    """What was done about missing values, from the treatment's structured fields."""
    if treatment.filled_cells:
        return Text("ranking.missing.worst", {"n": Quantity(len(treatment.filled_cells))})
    if treatment.dropped_criteria:
        names = treatment.dropped_criteria
        return Text(
            "ranking.missing.exclude_criterion",
            {"n": Quantity(len(names)), "names": ", ".join(names)},
        )
    if treatment.dropped_alternatives:
        names = treatment.dropped_alternatives
        return Text(
            "ranking.missing.exclude_alternative",
            {"n": Quantity(len(names)), "names": ", ".join(names)},
        )
    return Text("ranking.missing.none")


def _perturbation(stability: Stability) -> Text:
    """How the weights were perturbed, from the stability's Monte Carlo set-up."""
    concentration = stability.concentration
    decimals = 0 if float(concentration).is_integer() else 2
    return Text(
        "ranking.perturbation",
        {
            "concentration": Quantity(concentration, "", decimals),
            "samples": Quantity(stability.n_samples),
            "seed": str(stability.seed),
        },
    )


def _no_ranking(a: Assessment) -> Text:
    """Why no ranking was computed, from the assessment's structured fields."""
    if a.matrix is None:
        return Text("not_run.no_ranking_empty")
    missing = int(np.isnan(a.matrix.values).sum())
    if missing and a.missing is None:
        return Text(
            "not_run.no_ranking_missing",
            {"n": Quantity(missing), "policies": " | ".join(MISSING_POLICIES)},
        )
    # The ranking refused the decision matrix; the library's reason is English text,
    # so the report points to the command that states it.
    return Text("not_run.no_ranking_invalid")


def _recommendation(
    inputs: ReportInputs, runs: AssessmentRuns, order: Sequence[str], first_p: dict[str, float]
) -> tuple[Text, ...]:
    """The ranking's decisive result and the caveats that qualify it."""
    head = runs.headline
    ranking = head.ranking
    assert ranking is not None
    methods = list(runs.by_method)
    top = order[0]
    params: dict[str, Param] = {
        "hub": hub_name(inputs.hubs[top]),
        "method": Text(f"method.{methods[0]}"),
        "n": Quantity(len(ranking.criteria)),
        "total": Quantity(len(head.standard.criteria)),
    }
    filled = ranking.missing_treatment.filled_cells
    cells = len(ranking.criteria) * len(ranking.alternatives)
    weak = (
        len(ranking.criteria) < _FIRM_CRITERIA_SHARE * len(head.standard.criteria)
        or len(filled) > _FIRM_FILLED_SHARE * cells
    )
    if weak:
        params["filled"] = Quantity(len(filled))
        params["cells"] = Quantity(cells)
        out = [Text("ranking.recommend_weak", params)]
    elif head.stability is not None:
        params["share"] = Quantity(first_p[top], "share")
        params["samples"] = Quantity(head.stability.n_samples)
        out = [Text("ranking.recommend_stable", params)]
    else:
        out = [Text("ranking.recommend", params)]
    others = []
    for method, a in list(runs.by_method.items())[1:]:
        if a.ranking is None or not a.ranking.alternatives:
            continue
        first = a.ranking.alternatives[0].id
        if first != top:
            others.append((method, first))
    if len(methods) > 1 and not others:
        out.append(Text("ranking.recommend_agree", {"n": Quantity(len(methods) - 1)}))
    for method, first in others:
        out.append(
            Text(
                "ranking.recommend_disagree",
                {"method": Text(f"method.{method}"), "hub": hub_name(inputs.hubs[first])},
            )
        )
    if filled and not weak:
        out.append(
            Text(
                "ranking.recommend_imputed", {"n": Quantity(len(filled)), "cells": Quantity(cells)}
            )
        )
    return tuple(out)


def build_ranking(inputs: ReportInputs) -> Contribution | NotRun:
    """The ranking, its stability and the agreement across methods."""
    spec = inputs.spec.assessment
    if spec is None:
        return NotRun(Text("not_run.no_assessment"))
    runs = _runs(inputs)
    head = runs.headline
    if head.ranking is None:
        return NotRun(_no_ranking(head))
    ranking = head.ranking
    methods = list(runs.by_method)
    order = [alt.id for alt in ranking.alternatives]
    stability = head.stability
    ranks: dict[str, dict[str, int]] = {}
    for method, a in runs.by_method.items():
        ranks[method] = {} if a.ranking is None else {x.id: x.rank for x in a.ranking.alternatives}

    columns: list[Param] = [Text("ranking.col.hub")]
    for method in methods:
        columns.append(Text("ranking.col.rank", {"method": Text(f"method.{method}")}))
    columns.append(
        Text(
            "ranking.col.score",
            {
                "method": Text(f"method.{methods[0]}"),
                "name": Text(f"score_name.{ranking.score_name}"),
            },
        )
    )
    first_p: dict[str, float] = {}
    if stability is not None:
        columns.append(Text("ranking.col.first"))
        first_p = dict(zip(stability.alternatives, stability.first_rank_probability, strict=True))
    rows = []
    for alt in ranking.alternatives:
        row = [Cell(hub_name(inputs.hubs[alt.id]))]
        for method in methods:
            rank = ranks[method].get(alt.id)
            row.append(Cell("–" if rank is None else Quantity(rank)))
        row.append(Cell(Quantity(alt.score, "", _SCORE_DECIMALS)))
        if stability is not None:
            row.append(Cell(Quantity(first_p[alt.id], "share", _SHARE_DECIMALS)))
        rows.append(tuple(row))

    blocks: list[Block] = [
        Paragraph(
            Text(
                "ranking.intro",
                {
                    "method": Text(f"method.{methods[0]}"),
                    "n": Quantity(len(ranking.criteria)),
                    "basis": Text(f"weights.{head.weights_basis}"),
                },
            )
        ),
        Paragraph(_missing_treatment(ranking.missing_treatment)),
        Table("ranking-table", Text("ranking.table_caption"), tuple(columns), tuple(rows)),
    ]
    findings = [
        Text(
            "ranking.finding_first",
            {
                "method": Text(f"method.{methods[0]}"),
                "hub": hub_name(inputs.hubs[order[0]]),
            },
        )
    ]
    if stability is not None:
        index = {hub_id: i for i, hub_id in enumerate(stability.alternatives)}
        n = len(order)
        blocks.append(Heading("stability", Text("ranking.stability_heading")))
        blocks.append(
            StackedBarChart(
                "rank-acceptability",
                Text("ranking.acceptability_caption", {"samples": Quantity(stability.n_samples)}),
                tuple(hub_name(inputs.hubs[h]) for h in order),
                tuple(Text("ranking.rank_n", {"n": Quantity(k + 1)}) for k in range(n)),
                tuple(
                    tuple(
                        Quantity(
                            stability.rank_acceptability[index[h]][k], "share", _SHARE_DECIMALS
                        )
                        for k in range(n)
                    )
                    for h in order
                ),
            )
        )
        blocks.append(Paragraph(_perturbation(stability)))
        reversals = [rr for rr in stability.rank_reversal if rr.order_changed]
        blocks.append(
            Bullets(
                tuple(
                    Text(
                        "ranking.reversal",
                        {
                            "hub": hub_name(inputs.hubs[rr.removed]),
                            "pairs": Quantity(len(rr.changed_pairs)),
                        },
                    )
                    for rr in reversals
                )
            )
            if reversals
            else Paragraph(Text("ranking.no_reversal"))
        )
        top = order[0]
        findings.append(
            Text(
                "ranking.finding_stability",
                {
                    "hub": hub_name(inputs.hubs[top]),
                    "share": Quantity(first_p[top], "share", _SHARE_DECIMALS),
                    "samples": Quantity(stability.n_samples),
                },
            )
        )
    blocks.append(Heading("agreement", Text("ranking.agreement_heading")))
    if len(methods) < 2:
        blocks.append(Paragraph(Text("ranking.single_method")))
    else:
        pairs = []
        for i, m1 in enumerate(methods):
            for m2 in methods[i + 1 :]:
                common = [h for h in order if h in ranks[m1] and h in ranks[m2]]
                tau = _tau([ranks[m1][h] for h in common], [ranks[m2][h] for h in common])
                pairs.append((Cell(Text(f"method.{m1}")), Cell(Text(f"method.{m2}")), Cell(tau)))
        blocks.append(
            Table(
                "agreement-table",
                Text("ranking.agreement_caption"),
                (
                    Text("ranking.col.method_a"),
                    Text("ranking.col.method_b"),
                    Text("ranking.col.tau"),
                ),
                tuple(pairs),
            )
        )
    return Contribution(
        section=Section("ranking", Text("section.ranking.title"), tuple(blocks)),
        findings=tuple(findings),
        recommendation=_recommendation(inputs, runs, order, first_p),
        method_notes=(Text("ranking.method"),),
        parameters=(
            ("methods", ", ".join(methods)),
            ("missing", spec.missing or "none"),
            ("seed", spec.seed),
            ("samples", spec.samples),
        ),
    )
