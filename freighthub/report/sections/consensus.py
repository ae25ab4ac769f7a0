"""The ranking section's data and agreement parts: coverage, data treatment, consensus, lead.

Built from the headline assessment's :class:`~freighthub.scoring.robust.RobustRanking`
and its coverage (split from :mod:`freighthub.report.sections.ranking`).
"""

from __future__ import annotations

from freighthub.assessment import Assessment
from freighthub.report.content import (
    Block,
    Bullets,
    Cell,
    Heading,
    Localised,
    Paragraph,
    Param,
    Quantity,
    Table,
    Text,
    listed,
    quantity_or_undefined,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.assessment import _SHARE_DECIMALS, _TAU_DECIMALS
from freighthub.report.sections.hubs import hub_name
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.robust import LeadDependence, RobustRanking

__all__ = [
    "ahp_text",
    "consensus_blocks",
    "coverage_blocks",
    "evidence_counts",
    "hubs_text",
    "lead_text",
    "samples_of",
    "treatment_text",
]

_CR_DECIMALS = 3
_COUNTED = (
    DataStatus.OBSERVED,
    DataStatus.ASSUMED,
    DataStatus.IMPUTED,
    DataStatus.MISSING,
    DataStatus.NOT_APPLICABLE,
)


def _hub(inputs: ReportInputs, hub_id: str) -> Param:
    return hub_name(inputs.hubs[hub_id]) if hub_id in inputs.hubs else hub_id


def _criterion(a: Assessment, criterion_id: str) -> Param:
    """A criterion's display name (its id if the standard does not have it)."""
    for c in a.standard.criteria:
        if c.id == criterion_id:
            return Localised(c.name.en, c.name.zh)
    return criterion_id


def _criteria(a: Assessment, ids: tuple[str, ...] | list[str]) -> Param:
    return listed([_criterion(a, criterion_id) for criterion_id in ids])


def hubs_text(inputs: ReportInputs, ids: tuple[str, ...] | list[str]) -> Param:
    """Hub names joined with the list separator."""
    return listed([_hub(inputs, hub_id) for hub_id in ids])


def samples_of(robust: RobustRanking) -> Text:
    """What the stability samples drew: ``weight`` or ``weight and data``."""
    return Text(f"ranking.samples.{robust.samples_of.replace(', ', ' ').replace(' ', '_')}")


def treatment_text(robust: RobustRanking) -> Text:
    """What was done about missing values, from the structured fields."""
    n = Quantity(len(robust.imputed))
    if robust.missing in {"sample", "worst"}:
        main = Text(f"ranking.missing.{robust.missing}", {"n": n})
        if not robust.not_applicable:
            return main
        na = Text("ranking.missing.not_applicable", {"n": Quantity(robust.not_applicable)})
        return Text("ranking.missing.with_not_applicable", {"main": main, "na": na})
    treatment = robust.ranking.missing_treatment
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


def ahp_text(a: Assessment) -> Text | None:
    """The AHP derivation of the weights with its consistency ratio, if any."""
    h = a.ahp
    if h is None:
        return None
    cr = quantity_or_undefined(h.consistency_ratio, "", _CR_DECIMALS)
    return Text(
        "ranking.ahp",
        {
            "lambda_max": Quantity(h.lambda_max, "", 4),
            "ci": Quantity(h.consistency_index, "", 4),
            "ri": Quantity(h.random_index, "", 2),
            "cr": cr,
            "threshold": Quantity(h.threshold, "", 2),
        },
    )


def evidence_counts(a: Assessment, robust: RobustRanking) -> dict[DataStatus, int]:
    """Counts of the values ranked (hubs and criteria of the ranking) by data status."""
    used = set(robust.ranking.criteria)
    ranked = {x.id for x in robust.ranking.alternatives}
    counts = dict.fromkeys(DataStatus, 0)
    for hc in a.coverage:
        if hc.hub_id not in ranked:
            continue
        for cell in hc.cells:
            if cell.criterion_id in used:
                counts[cell.status] += 1
    return counts


def coverage_blocks(inputs: ReportInputs, a: Assessment, robust: RobustRanking) -> list[Block]:
    """Coverage per hub, what was imputed, and what was left out of the ranking."""
    counted: tuple[DataStatus, ...] = _COUNTED
    if any(hc.counts[DataStatus.SIMULATED] for hc in a.coverage):
        counted = (*_COUNTED[:2], DataStatus.SIMULATED, *_COUNTED[2:])
    columns: list[Param] = [Text("ranking.col.hub")]
    columns += [Text(f"data_status.{s.value}") for s in counted]
    columns.append(Text("ranking.col.observed_share"))
    rows = []
    for hc in a.coverage:
        counts = hc.counts
        share = hc.observed_share
        rows.append(
            (
                Cell(_hub(inputs, hc.hub_id)),
                *(Cell(Quantity(counts[s])) for s in counted),
                Cell("–" if share is None else Quantity(share, "share", _SHARE_DECIMALS)),
            )
        )
    blocks: list[Block] = [
        Heading("coverage", Text("ranking.coverage_heading")),
        Table("coverage-table", Text("ranking.coverage_caption"), tuple(columns), tuple(rows)),
    ]
    lines: list[Text] = []
    for hc in a.coverage:
        if simulated := hc.criteria(DataStatus.SIMULATED):
            lines.append(
                Text(
                    "ranking.simulated_cells",
                    {"hub": _hub(inputs, hc.hub_id), "criteria": _criteria(a, simulated)},
                )
            )
        imputed = hc.criteria(DataStatus.IMPUTED)
        if imputed:
            lines.append(
                Text(
                    "ranking.imputed_cells",
                    {"hub": _hub(inputs, hc.hub_id), "criteria": _criteria(a, imputed)},
                )
            )
    for name, _reason in robust.dropped_criteria:
        observed = sum(hc.cell(name).status is DataStatus.OBSERVED for hc in a.coverage)
        lines.append(
            Text(
                "ranking.dropped_criterion",
                {
                    "criterion": _criterion(a, name),
                    "n": Quantity(observed),
                    "min": Quantity(robust.min_observed),
                },
            )
        )
    for hub_id, _reason in robust.dropped_alternatives:
        lines.append(Text("ranking.not_ranked", {"hub": _hub(inputs, hub_id)}))
    if lines:
        blocks.append(Bullets(tuple(lines)))
    return blocks


def lead_text(inputs: ReportInputs, a: Assessment, lead: LeadDependence) -> Text:
    """One first place that an assumed or imputed value decides."""
    values = listed(
        [
            Text(
                "ranking.lead_value",
                {"criterion": _criterion(a, c), "status": Text(f"data_status_word.{status.value}")},
            )
            for c, status in zip(lead.criteria, lead.statuses, strict=True)
        ]
    )
    return Text(
        "ranking.lead",
        {
            "hub": _hub(inputs, lead.leader),
            "values": values,
            "other": hubs_text(inputs, lead.first_after),
            "which": Text(f"ranking.lead_ranking.{lead.ranking}"),
        },
    )


def consensus_blocks(inputs: ReportInputs, robust: RobustRanking) -> list[Block]:
    """The consensus table, the methods' disagreement and Kendall's tau between them."""
    c = robust.consensus
    p = robust.consensus_first_probability()
    columns: list[Param] = [
        Text("ranking.col.hub"),
        Text("ranking.col.consensus"),
        Text("ranking.col.copeland"),
        Text("ranking.col.borda"),
        *(Text("ranking.col.rank", {"method": Text(f"method.{m}")}) for m in c.methods),
    ]
    if p:
        columns.append(Text("ranking.col.first_consensus"))
    rows = []
    for alt in c.order:
        i = c.alternatives.index(alt)
        row = [
            Cell(_hub(inputs, alt)),
            Cell(Quantity(c.ranks[i])),
            Cell(Quantity(c.copeland[i], "", 0, signed=True)),
            Cell(Quantity(c.borda[i], "", 1)),
            *(Cell(Quantity(c.method_ranks[m][i])) for m in c.methods),
        ]
        if p:
            row.append(Cell(Quantity(p[alt], "share", _SHARE_DECIMALS)))
        rows.append(tuple(row))
    blocks: list[Block] = [
        Heading("consensus", Text("ranking.consensus_heading")),
        Table(
            "consensus-table",
            Text("ranking.consensus_caption", {"n": Quantity(len(c.methods))}),
            tuple(columns),
            tuple(rows),
        ),
    ]
    if c.unanimous:
        blocks.append(Paragraph(Text("ranking.methods_agree", {"n": Quantity(len(c.methods))})))
    else:
        blocks.append(
            Bullets(
                tuple(
                    Text(
                        "ranking.recommend_disagree",
                        {
                            "method": Text(f"method.{m}"),
                            "hub": hubs_text(inputs, c.first_by(m)),
                        },
                    )
                    for m in c.dissenting
                )
            )
        )
    if len(c.alternatives) > 1:
        pairs = []
        for i, m1 in enumerate(c.methods):
            for m2 in c.methods[i + 1 :]:
                tau = c.tau[m1][m2]
                shown = quantity_or_undefined(tau, "", _TAU_DECIMALS)
                pairs.append((Cell(Text(f"method.{m1}")), Cell(Text(f"method.{m2}")), Cell(shown)))
        blocks.append(Heading("agreement", Text("ranking.agreement_heading")))
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
    return blocks
