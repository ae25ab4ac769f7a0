"""The ranking section: headline ranking with its stability, and how far the methods agree.

Built on the assessments that :mod:`freighthub.report.sections.assessment` runs once
per MCDA method of the spec (split from it along the compliance/ranking seam).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import kendalltau

from freighthub.assessment import Assessment
from freighthub.report.content import (
    Block,
    Bullets,
    Cell,
    Contribution,
    Heading,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    StackedBarChart,
    Table,
    Text,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.assessment import (
    _FIRM_CRITERIA_SHARE,
    _FIRM_FILLED_SHARE,
    _SCORE_DECIMALS,
    _SHARE_DECIMALS,
    _TAU_DECIMALS,
    AssessmentRuns,
    _runs,
)
from freighthub.report.sections.hubs import hub_name
from freighthub.scoring.mcda import MISSING_POLICIES, MissingTreatment
from freighthub.scoring.stability import Stability

__all__ = ["build_ranking"]


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
