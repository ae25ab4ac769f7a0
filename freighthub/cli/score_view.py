"""``freighthub score`` output after the compliance matrix: coverage, ranking, consensus.

Split from :mod:`freighthub.cli.standards` (the compliance part).
"""

from __future__ import annotations

from rich.table import Table

from freighthub.assessment import Assessment
from freighthub.cli.output import new_table, out_console
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.robust import LeadDependence, RobustRanking

__all__ = ["headline", "lead_sentence", "render_ranking"]


def _share(x: float) -> str:
    return f"{100 * x:.0f} %"


def headline(robust: RobustRanking) -> list[str]:
    """The consensus first place, who disagrees and how often it wins, in English."""
    c = robust.consensus
    first = ", ".join(c.first)
    lines: list[str] = []
    n = len(c.methods)
    if c.unanimous:
        lines.append(f"All {n} methods rank {first} first.")
    else:
        lines.append(
            f"The methods disagree: the consensus of {n} methods (Copeland, ties broken by "
            f"Borda) ranks {first} first; "
            + "; ".join(f"{m} ranks {', '.join(c.first_by(m))} first" for m in c.dissenting)
            + "."
        )
    p = robust.consensus_first_probability()
    if len(c.first) == 1 and p:
        s = robust.stability
        assert s is not None
        lines.append(
            f"{first} is consensus first in {_share(p[first])} of {s.n_samples} "
            f"{robust.samples_of} samples."
        )
    lines += [lead_sentence(x) for x in robust.lead]
    return lines


def lead_sentence(x: LeadDependence) -> str:
    """One lead dependence in words."""
    which = "the consensus" if x.ranking == "consensus" else "the method's ranking"
    cells = ", ".join(
        f"{s.value} {c} = {v:,.4g} (worst {w:,.4g})"
        for c, s, v, w in zip(x.criteria, x.statuses, x.values, x.worst_values, strict=True)
    )
    return (
        f"warning: {x.leader}'s first place in {which} depends on {cells}: with "
        f"{'it' if len(x.criteria) == 1 else 'them'} at the worst, "
        f"{', '.join(x.first_after)} would be first."
    )


def _coverage(a: Assessment) -> Table:
    table = Table(title="Data coverage per hub (criteria the profile reads)")
    cols = ("hub", "observed", "assumed", "imputed", "missing", "n/a", "observed share")
    for col in cols:
        table.add_column(col, justify="left" if col == "hub" else "right", no_wrap=col == "hub")
    for hc in a.coverage:
        counts = hc.counts
        share = hc.observed_share
        table.add_row(
            hc.hub_id,
            str(counts[DataStatus.OBSERVED]),
            str(counts[DataStatus.ASSUMED]),
            str(counts[DataStatus.IMPUTED]),
            str(counts[DataStatus.MISSING]),
            str(counts[DataStatus.NOT_APPLICABLE]),
            "" if share is None else _share(share),
        )
    return table


def _consensus(robust: RobustRanking) -> Table:
    c = robust.consensus
    p = robust.consensus_first_probability()
    table = new_table(
        "Consensus of the methods (Copeland, ties broken by Borda)",
        ("rank", "hub", "Copeland", "Borda", *c.methods, "P(consensus 1st)"),
        left={"hub"},
    )
    for alt in c.order:
        i = c.alternatives.index(alt)
        table.add_row(
            str(c.ranks[i]),
            alt,
            str(c.copeland[i]),
            f"{c.borda[i]:g}",
            *(str(c.method_ranks[m][i]) for m in c.methods),
            f"{p[alt]:.2f}" if alt in p else "",
        )
    return table


def _tau(robust: RobustRanking) -> Table:
    c = robust.consensus
    table = Table(title="Kendall's tau-b between the methods' rankings")
    table.add_column("")
    for m in c.methods:
        table.add_column(m, justify="right")
    for a in c.methods:
        table.add_row(a, *("n/a" if (t := c.tau[a][b]) is None else f"{t:.2f}" for b in c.methods))
    return table


def render_ranking(a: Assessment) -> None:
    """Coverage, data treatment, the chosen method's ranking, the consensus and the headline."""
    out_console.print(_coverage(a))
    if a.ahp is not None:
        h = a.ahp
        cr = "n/a (n <= 2)" if h.consistency_ratio is None else f"{h.consistency_ratio:.3f}"
        out_console.print(
            f"AHP weights: lambda_max {h.lambda_max:.4f}, CI {h.consistency_index:.4f}, "
            f"RI {h.random_index:.2f}, CR {cr} (threshold {h.threshold})",
            markup=False,
        )
    robust = a.robust
    if a.ranking is None or robust is None:
        out_console.print(f"[yellow]{a.ranking_note}[/yellow]")
        return
    default = " (default)" if robust.missing == "sample" else ""
    out_console.print(
        f"missing data: {robust.missing}{default}: {robust.description}", markup=False
    )
    if robust.policy_source:
        out_console.print(f"sampling policy: {robust.policy_source}", markup=False)
    for name, reason in robust.dropped_criteria:
        out_console.print(f"dropped criterion {name}: {reason}", markup=False)
    for name, reason in robust.dropped_alternatives:
        out_console.print(f"not ranked {name}: {reason}", markup=False)
    ranked = a.ranking
    first: dict[str, float] = {}
    likely: dict[str, int] = {}
    s = a.stability
    if s is not None:
        first = dict(zip(s.alternatives, s.first_rank_probability, strict=True))
        likely = {
            alt: max(range(len(row)), key=row.__getitem__) + 1
            for alt, row in zip(s.alternatives, s.rank_acceptability, strict=True)
        }
    table = new_table(
        f"Ranking ({ranked.method}, score = {ranked.score_name})",
        ("rank", "hub", "score", "P(rank 1)", "most likely rank"),
        left={"hub"},
    )
    for alt in ranked.alternatives:
        table.add_row(
            str(alt.rank),
            alt.id,
            f"{alt.score:.4f}",
            f"{first[alt.id]:.2f}" if alt.id in first else "",
            str(likely.get(alt.id, "")),
        )
    out_console.print(table)
    out_console.print(_consensus(robust))
    if len(robust.consensus.alternatives) > 1:
        out_console.print(_tau(robust))
    for line in headline(robust):
        style = "bold yellow" if line.startswith("warning") else "bold"
        out_console.print(line, style=style, markup=False)
    if s is not None:
        out_console.print(f"stability: {s.perturbation}", markup=False)
        reversed_ = [rr for rr in s.rank_reversal if rr.order_changed]
        for rr in reversed_:
            pairs = ", ".join(f"{x}/{y}" for x, y in rr.changed_pairs)
            out_console.print(f"rank reversal: removing {rr.removed} changes the order of {pairs}")
        if not reversed_:
            out_console.print(
                "rank reversal: removing any one hub leaves the order of the others unchanged"
            )
