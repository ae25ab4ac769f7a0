"""Every figure of one simulated run: the summary's estimates plus the per-TEU figures.

:class:`RunEstimate` is a :class:`~freighthub.sim.estimates.SummaryEstimate` with the
:data:`~freighthub.sim.estimates.PER_TEU` figures as typed fields, the tree that
``compare`` (base, variant and paired delta) and sweep cells hold. Readers take a
figure by attribute (a :data:`Figure`: ``lambda t: t.cost_cny_per_teu``), so a renamed
field fails in mypy; the flat view by dotted path is
:func:`~freighthub.sim.estimates.estimates_by_path` of the tree (per-TEU figures last).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from freighthub.sim.estimates import (
    PER_TEU,
    Estimate,
    RouteEstimate,
    SummaryEstimate,
    combine,
    estimate,
)
from freighthub.sim.summary import Summary

__all__ = [
    "ROUTE_READERS",
    "RUN_FIGURES",
    "Figure",
    "RouteFigure",
    "RunEstimate",
    "per_teu",
    "run_estimate",
    "teu_share",
    "with_per_teu_figures",
]


@dataclass(frozen=True, kw_only=True)
class RunEstimate(SummaryEstimate):
    """A :class:`~freighthub.sim.estimates.SummaryEstimate` plus the per-TEU figures.

    The per-TEU figures are those of :data:`~freighthub.sim.estimates.PER_TEU`,
    computed per replication over ``arrived_teu`` (NaN without arrived TEU), then
    estimated; they come after every figure of the summary.
    """

    emissions_kgco2e_wtw_per_teu: Estimate = field(metadata={"unit": "kgco2e_per_teu"})
    emissions_kgco2e_ttw_per_teu: Estimate = field(metadata={"unit": "kgco2e_per_teu"})
    cost_cny_per_teu: Estimate = field(metadata={"unit": "cny_per_teu"})


#: A figure of a whole run, read by attribute: ``lambda t: t.throughput_teu``
#: (``None`` for a key a mapping does not hold: ``t.modal_split_teu_share.get("rail")``).
Figure = Callable[[RunEstimate], Estimate | None]


def teu_share(mode: str) -> Figure:
    """The reader of ``mode``'s share of the delivered TEU (``None`` where it has none)."""
    return lambda t: t.modal_split_teu_share.get(mode)


#: A figure of one route, read by attribute: ``lambda r: r.delivered_teu``.
RouteFigure = Callable[[RouteEstimate], Estimate]

#: The figures of a whole run that tables show (``compare``, ``sweep``), by field name,
#: each read by attribute (so a renamed field fails in mypy, a name without its reader
#: at import).
RUN_FIGURES: dict[str, Figure] = {
    "arrived_teu": lambda t: t.arrived_teu,
    "throughput_teu": lambda t: t.throughput_teu,
    "in_system_teu": lambda t: t.in_system_teu,
    "left_behind_boxes": lambda t: t.left_behind_boxes,
    "door_to_door_mean_h": lambda t: t.door_to_door_mean_h,
    "door_to_door_p95_h": lambda t: t.door_to_door_p95_h,
    "cost_cny": lambda t: t.cost_cny,
    "cost_cny_per_teu": lambda t: t.cost_cny_per_teu,
    "emissions_kgco2e_wtw": lambda t: t.emissions_kgco2e_wtw,
    "emissions_kgco2e_ttw": lambda t: t.emissions_kgco2e_ttw,
    "emissions_kgco2e_wtw_per_teu": lambda t: t.emissions_kgco2e_wtw_per_teu,
    "emissions_kgco2e_ttw_per_teu": lambda t: t.emissions_kgco2e_ttw_per_teu,
}

#: The :data:`~freighthub.sim.routes.ROUTE_FIGURES` by name, each read by attribute.
ROUTE_READERS: dict[str, RouteFigure] = {
    "arrived_teu": lambda r: r.arrived_teu,
    "delivered_teu": lambda r: r.delivered_teu,
    "door_to_door_mean_h": lambda r: r.door_to_door_mean_h,
    "door_to_door_p95_h": lambda r: r.door_to_door_p95_h,
    "price_cny_per_teu": lambda r: r.price_cny_per_teu,
    "emissions_kgco2e_wtw_per_teu": lambda r: r.emissions_kgco2e_wtw_per_teu,
    "on_time_share": lambda r: r.on_time_share,
}


def per_teu(summary: Summary) -> dict[str, float]:
    """The :data:`~freighthub.sim.estimates.PER_TEU` figures of one replication."""
    return {
        name: getattr(summary, num) / d if (d := getattr(summary, den)) > 0 else math.nan
        for name, (num, den) in PER_TEU.items()
    }


def with_per_teu_figures(
    tree: SummaryEstimate, replications: Sequence[Mapping[str, float]]
) -> RunEstimate:
    """``tree`` with the per-TEU figures estimated over ``replications`` (:func:`per_teu`)."""
    units = {f.name: f.metadata["unit"] for f in fields(RunEstimate) if f.name in PER_TEU}
    figures: dict[str, Any] = {f.name: getattr(tree, f.name) for f in fields(SummaryEstimate)}
    for name, unit in units.items():
        figures[name] = estimate([r[name] for r in replications], unit)
    return RunEstimate(**figures)


def run_estimate(summaries: Sequence[Summary]) -> RunEstimate:
    """Every figure of the replications' summaries as an estimate, per-TEU figures included.

    Raises
    ------
    ValueError
        If ``summaries`` is empty.
    """
    return with_per_teu_figures(combine(summaries), [per_teu(s) for s in summaries])
