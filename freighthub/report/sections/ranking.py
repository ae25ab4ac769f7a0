"""The ranking section: data coverage, ranking with its stability, consensus across methods.

Built on the assessments that :mod:`freighthub.report.sections.assessment` runs once
per MCDA method of the spec (split from it along the compliance/ranking seam).
"""

from __future__ import annotations

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
    _runs,
)
from freighthub.report.sections.consensus import (
    ahp_text,
    consensus_blocks,
    coverage_blocks,
    evidence_counts,
    hubs_text,
    lead_text,
    samples_of,
    treatment_text,
)
from freighthub.report.sections.hubs import hub_name
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.robust import RobustRanking
from freighthub.scoring.stability import Stability

__all__ = ["build_ranking"]


def _perturbation(stability: Stability) -> Text:
    """How the weights were perturbed, from the stability's Monte Carlo set-up."""
    concentration = stability.concentration
    decimals = 0 if float(concentration).is_integer() else 2
    return Text(
        "ranking.perturbation"
        + {"weight": "", "weight and data": "_data"}.get(stability.samples_of, "_simulation"),
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
    # The ranking refused the decision matrix (every criterion below the minimum
    # observed, a treatment that leaves nothing ...); the library's reason is English
    # text, so the report points to the command that states it.
    return Text("not_run.no_ranking_invalid")


def _recommendation(
    inputs: ReportInputs, head: Assessment, robust: RobustRanking
) -> tuple[Text, ...]:
    """The consensus's decisive result and the caveats that qualify it."""
    ranking = robust.ranking
    c = robust.consensus
    counts = evidence_counts(head, robust)
    cells = sum(counts.values()) - counts[DataStatus.NOT_APPLICABLE]  # applicable values ranked
    filled = counts[DataStatus.IMPUTED]
    params: dict[str, Param] = {
        "hub": hubs_text(inputs, c.first),
        "methods": Quantity(len(c.methods)),
        "n": Quantity(len(ranking.criteria)),
        "total": Quantity(len(head.standard.criteria)),
    }
    weak = (
        len(ranking.criteria) < _FIRM_CRITERIA_SHARE * len(head.standard.criteria)
        or filled > _FIRM_FILLED_SHARE * cells
    )
    p = robust.consensus_first_probability()
    if weak:
        params["filled"] = Quantity(filled)
        params["cells"] = Quantity(cells)
        out = [Text("ranking.recommend_weak", params)]
    elif p and len(c.first) == 1 and head.stability is not None:
        params["share"] = Quantity(p[c.first[0]], "share")
        params["samples"] = Quantity(head.stability.n_samples)
        params["what"] = samples_of(robust)
        out = [Text("ranking.recommend_stable", params)]
    else:
        out = [Text("ranking.recommend", params)]
    if c.unanimous:
        out.append(Text("ranking.recommend_agree", {"n": Quantity(len(c.methods))}))
    for m in c.dissenting:
        out.append(
            Text(
                "ranking.recommend_disagree",
                {"method": Text(f"method.{m}"), "hub": hubs_text(inputs, c.first_by(m))},
            )
        )
    out += [lead_text(inputs, head, x) for x in robust.lead if x.ranking == "consensus"]
    if filled and not weak:
        key = "sample" if robust.missing == "sample" else "worst"
        out.append(
            Text(
                f"ranking.recommend_imputed.{key}",
                {"n": Quantity(filled), "cells": Quantity(cells)},
            )
        )
    return tuple(out)


def _findings(inputs: ReportInputs, head: Assessment, robust: RobustRanking) -> list[Text]:
    """The summary's lines: consensus first place, its probability, disagreement, evidence."""
    c = robust.consensus
    n = Quantity(len(c.methods))
    out: list[Text] = []
    if c.unanimous:
        out.append(Text("ranking.finding_consensus", {"n": n, "hub": hubs_text(inputs, c.first)}))
    else:
        out.append(
            Text("ranking.finding_consensus_split", {"n": n, "hub": hubs_text(inputs, c.first)})
        )
        out += [
            Text(
                "ranking.recommend_disagree",
                {"method": Text(f"method.{m}"), "hub": hubs_text(inputs, c.first_by(m))},
            )
            for m in c.dissenting
        ]
    p = robust.consensus_first_probability()
    s = head.stability
    if p and s is not None and len(c.first) == 1:
        out.append(
            Text(
                "ranking.finding_stability",
                {
                    "hub": hubs_text(inputs, c.first),
                    "share": Quantity(p[c.first[0]], "share", _SHARE_DECIMALS),
                    "samples": Quantity(s.n_samples),
                    "what": samples_of(robust),
                },
            )
        )
    counts = evidence_counts(head, robust)
    out.append(
        Text(
            "ranking.finding_evidence",
            {
                "cells": Quantity(sum(counts.values()) - counts[DataStatus.NOT_APPLICABLE]),
                "observed": Quantity(counts[DataStatus.OBSERVED]),
                "assumed": Quantity(counts[DataStatus.ASSUMED]),
                "imputed": Quantity(counts[DataStatus.IMPUTED]),
            },
        )
    )
    out += [lead_text(inputs, head, x) for x in robust.lead if x.ranking == "consensus"]
    return out


def build_ranking(inputs: ReportInputs) -> Contribution | NotRun:
    """The ranking, its data coverage and stability, and the consensus across methods."""
    spec = inputs.spec.assessment
    if spec is None:
        return NotRun(Text("not_run.no_assessment"))
    runs = _runs(inputs)
    head = runs.headline
    if head.ranking is None or head.robust is None:
        return NotRun(_no_ranking(head))
    robust = head.robust
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

    intro = [
        Paragraph(
            Text(
                "ranking.intro",
                {
                    "method": Text(f"method.{methods[0]}"),
                    "n": Quantity(len(ranking.criteria)),
                    "basis": Text(f"weights.{head.weights_basis}"),
                },
            )
        )
    ]
    ahp = ahp_text(head)
    if ahp is not None:
        intro.append(Paragraph(ahp))
    for hub in inputs.hubs.values():  # planned sites not built by the assessment year
        if not hub.exists_in(head.year):
            when = {"planned_year": str(hub.planned_year), "year": str(head.year)}
            intro.append(Paragraph(Text("ranking.not_built", {"hub": hub_name(hub), **when})))
    blocks: list[Block] = [
        *intro,
        Paragraph(treatment_text(robust)),
        Table("ranking-table", Text("ranking.table_caption"), tuple(columns), tuple(rows)),
        *coverage_blocks(inputs, head, robust),
    ]
    if stability is not None:
        index = {hub_id: i for i, hub_id in enumerate(stability.alternatives)}
        n = len(order)
        blocks.append(Heading("stability", Text("ranking.stability_heading")))
        blocks.append(
            StackedBarChart(
                "rank-acceptability",
                Text(
                    "ranking.acceptability_caption",
                    {"samples": Quantity(stability.n_samples), "what": samples_of(robust)},
                ),
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
    blocks += consensus_blocks(inputs, robust)
    notes: tuple[Text, ...] = (Text("ranking.method"),)
    if ahp is not None:
        notes += (ahp,)
    return Contribution(
        section=Section("ranking", Text("section.ranking.title"), tuple(blocks)),
        findings=tuple(_findings(inputs, head, robust)),
        recommendation=_recommendation(inputs, head, robust),
        method_notes=notes,
        parameters=(
            ("methods", ", ".join(methods)),
            ("missing", spec.missing),
            ("seed", spec.seed),
            ("samples", spec.samples),
        ),
    )
