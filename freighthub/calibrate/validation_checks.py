"""The checks of model validation: the simulated value of each published figure.

For every published figure of the scenario's statistics files
(:mod:`freighthub.model.statistics`) one :class:`Check`: the quantity, its subject,
the simulated value (mean over replications with its 95 % t-interval), the published
value, the unit, the source, the tolerance of ``statistics/tolerances.toml`` and
whether the model's mean lies within it. Quantities, all per year:

``hub_throughput_teu``, ``hub_throughput_t``
    The hub's handled TEU and tonnes (:class:`~freighthub.sim.summary.HubSummary`).
``service_teu``, ``service_departures``
    TEU carried and departures (trains or sailings) of a service, a set of services
    or every service through a border crossing, summed.
``mode_share``
    Share of the subject's delivered TEU whose route's main mode (its longest leg) is
    the mode, or with ``basis = "uses_mode"`` whose route has any leg by the mode
    [0-1]; the subject is the routes handled at a hub, a set of demands or the whole
    corridor.
``transit_days``
    Mean door-to-door time of the delivered boxes of the matching demands [d],
    checked against the published range.

Figures of the statistics window ``[warmup_h, horizon_h)`` are annualised by
``HOURS_PER_YEAR / (horizon_h - warmup_h)`` (published figures are yearly). The pass
rule compares the mean, not the interval: the interval tells how far the verdict is
settled by the number of replications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from freighthub.frames import finite_or_none
from freighthub.model.scenario import LoadedScenario
from freighthub.model.sourced import Sourced
from freighthub.model.statistics import (
    ModeShare,
    StatisticsFile,
    Tolerance,
    Tolerances,
    TransitDays,
)
from freighthub.sim.arrays import LEG_SERVICE, mode_codes
from freighthub.sim.estimates import estimate
from freighthub.sim.network import CompiledNetwork
from freighthub.sim.summary import Summary
from freighthub.units import HOURS_PER_DAY, HOURS_PER_YEAR
from freighthub.vocabulary import Confidence, Mode

__all__ = ["QUANTITIES", "Check", "FigureContext", "checks_of"]

#: Every quantity a check can have, with its unit.
QUANTITIES: dict[str, str] = {
    "hub_throughput_teu": "TEU/year",
    "hub_throughput_t": "t/year",
    "service_teu": "TEU/year",
    "service_departures": "departures/year",
    "mode_share": "share",
    "transit_days": "d",
}


@dataclass(frozen=True)
class Check:
    """One published figure against the model.

    Attributes
    ----------
    quantity
        One of :data:`QUANTITIES`.
    subject
        What the figure is about (hub id, service, ``hub X``, ``from -> to`` ...).
    model
        Mean of the simulated figure over replications [unit]; NaN if the model has
        no value (nothing delivered).
    model_ci
        95 % t-interval of the mean [unit]; NaN bounds with one replication.
    published
        The published value [unit]; for a range, its midpoint.
    published_range
        ``(low, high)`` of a published range, else None.
    unit
        Unit of ``model`` and ``published`` (:data:`QUANTITIES`).
    tolerance_rel, tolerance_abs
        The relative [-] or absolute [unit] tolerance; None where the rule is the
        published range (or the other kind).
    source, confidence
        Of the published figure.
    statistics_id
        The statistics file it comes from.
    passed
        True if the model's mean lies within the tolerance.
    """

    quantity: str
    subject: str
    model: float
    model_ci: tuple[float, float]
    published: float
    published_range: tuple[float, float] | None
    unit: str
    tolerance_rel: float | None
    tolerance_abs: float | None
    source: str | None
    confidence: Confidence | None
    statistics_id: str
    passed: bool

    @property
    def deviation(self) -> float:
        """``model - published`` [unit] (outside the range for a range: 0 inside)."""
        if self.published_range is not None:
            low, high = self.published_range
            return min(0.0, self.model - low) + max(0.0, self.model - high)
        return self.model - self.published

    def to_json(self) -> dict[str, Any]:
        """The check as the ``--json`` record (NaN as null)."""
        return {
            "quantity": self.quantity,
            "subject": self.subject,
            "model": finite_or_none(self.model),
            "model_ci": [finite_or_none(self.model_ci[0]), finite_or_none(self.model_ci[1])],
            "published": self.published,
            "published_range": (
                list(self.published_range) if self.published_range is not None else None
            ),
            "unit": self.unit,
            "tolerance_rel": self.tolerance_rel,
            "tolerance_abs": self.tolerance_abs,
            "source": self.source,
            "confidence": self.confidence.value if self.confidence is not None else None,
            "statistics": self.statistics_id,
            "pass": self.passed,
        }


class FigureContext:
    """What the figure functions need from the compiled network."""

    def __init__(self, network: CompiledNetwork, loaded: LoadedScenario) -> None:
        self.per_year = HOURS_PER_YEAR / (network.horizon_h - network.warmup_h)
        routes = network.routes
        codes = mode_codes()
        demand_ids = network.demand.ids
        self.route_mode = {rid: codes[int(routes.main_mode[r])] for r, rid in enumerate(routes.ids)}
        self.route_demand = {rid: demand_ids[int(routes.od[r])] for r, rid in enumerate(routes.ids)}
        service_mode = network.services.mode
        self.route_leg_modes = {
            rid: {
                codes[int(service_mode[k])] if kind == LEG_SERVICE else Mode.ROAD.value
                for kind, k in zip(
                    routes.leg_kind[routes.leg_start[r] : routes.leg_start[r + 1]],
                    routes.leg_index[routes.leg_start[r] : routes.leg_start[r + 1]],
                    strict=True,
                )
            }
            for r, rid in enumerate(routes.ids)
        }
        hub_ids = network.hubs.ids
        self.route_hubs = {
            rid: {
                hub_ids[int(h)]
                for h in routes.visit_hub[routes.visit_start[r] : routes.visit_start[r + 1]]
            }
            for r, rid in enumerate(routes.ids)
        }
        s = loaded.scenario
        self.demand_ends = {d.id: (d.from_, d.to) for d in s.demand}
        self.crossings = {v.id: v.border_crossing for v in s.services}


def _check(
    quantity: str,
    subject: str,
    values: Sequence[float],
    published: Sourced[Any],
    tolerance: Tolerance,
    statistics_id: str,
) -> Check:
    est = estimate(values)
    value = published.value
    rng: tuple[float, float] | None = None
    if isinstance(value, tuple):
        rng = (float(value[0]), float(value[1]))
        pub = (rng[0] + rng[1]) / 2.0
    else:
        pub = float(value)
    rel = tolerance.relative.value if tolerance.relative is not None else None
    abs_ = tolerance.absolute.value if tolerance.absolute is not None else None
    m = est.mean
    if math.isnan(m):
        ok = False
    elif rel is not None:
        ok = abs(m - pub) <= rel * pub
    elif abs_ is not None:
        ok = abs(m - pub) <= abs_
    else:
        low, high = rng if rng is not None else (pub, pub)
        ok = low <= m <= high
    return Check(
        quantity=quantity,
        subject=subject,
        model=m,
        model_ci=(est.ci95_low, est.ci95_high),
        published=pub,
        published_range=rng,
        unit=QUANTITIES[quantity],
        tolerance_rel=rel,
        tolerance_abs=abs_,
        source=published.source,
        confidence=published.confidence,
        statistics_id=statistics_id,
        passed=ok,
    )


def _share_routes(m: ModeShare, ctx: FigureContext) -> list[str]:
    if m.hub is not None:
        return [r for r, hubs in ctx.route_hubs.items() if m.hub in hubs]
    if m.demands is not None:
        wanted = set(m.demands)
        return [r for r, d in ctx.route_demand.items() if d in wanted]
    return list(ctx.route_demand)


def _mode_share(s: Summary, routes: list[str], m: ModeShare, ctx: FigureContext) -> float:
    total = sum(s.routes[r].delivered_teu for r in routes)
    if total <= 0:
        return math.nan
    if m.basis == "uses_mode":
        counted = [r for r in routes if m.mode in ctx.route_leg_modes[r]]
    else:
        counted = [r for r in routes if ctx.route_mode[r] == m.mode]
    return sum(s.routes[r].delivered_teu for r in counted) / total


def _transit_routes(t: TransitDays, ctx: FigureContext) -> list[str]:
    if t.demands is not None:
        wanted = set(t.demands)
    else:
        wanted = {d for d, ends in ctx.demand_ends.items() if ends == (t.from_, t.to)}
    return [r for r, d in ctx.route_demand.items() if d in wanted]


def _transit_days(s: Summary, routes: list[str]) -> float:
    boxes = sum(s.routes[r].delivered_boxes for r in routes)
    if boxes <= 0:
        return math.nan
    hours = sum(
        s.routes[r].door_to_door_mean_h * s.routes[r].delivered_boxes
        for r in routes
        if s.routes[r].delivered_boxes > 0
    )
    return hours / boxes / HOURS_PER_DAY


def checks_of(
    stats: StatisticsFile,
    summaries: Sequence[Summary],
    ctx: FigureContext,
    tol: Tolerances,
) -> list[Check]:
    """One check per published figure of ``stats``, in file order, from the replications."""
    f = ctx.per_year
    out: list[Check] = []

    for h in stats.hub_throughput:
        hub = h.hub
        out.append(
            _check(
                "hub_throughput_teu", hub, [s.hubs[hub].handled_teu * f for s in summaries],
                h.teu, tol.hub_throughput, stats.id,
            )
        )  # fmt: skip
        if h.t is not None:
            out.append(
                _check(
                    "hub_throughput_t", hub, [s.hubs[hub].handled_t * f for s in summaries],
                    h.t, tol.hub_throughput, stats.id,
                )
            )  # fmt: skip
    for v in stats.service_volume:
        ids = v.service_ids(ctx.crossings)
        if v.teu is not None:
            out.append(
                _check(
                    "service_teu", v.subject,
                    [sum(s.services[k].teu for k in ids) * f for s in summaries],
                    v.teu, tol.service_volume, stats.id,
                )
            )  # fmt: skip
        departures = v.trains if v.trains is not None else v.sailings
        if departures is not None:
            out.append(
                _check(
                    "service_departures", v.subject,
                    [sum(s.services[k].departures for k in ids) * f for s in summaries],
                    departures, tol.service_volume, stats.id,
                )
            )  # fmt: skip
    for m in stats.mode_share:
        routes = _share_routes(m, ctx)
        out.append(
            _check(
                "mode_share",
                f"{m.subject_key}: {m.mode}" + (" (any leg)" if m.basis == "uses_mode" else ""),
                [_mode_share(s, routes, m, ctx) for s in summaries],
                m.share, tol.mode_share, stats.id,
            )
        )  # fmt: skip
    for t in stats.transit_days:
        routes = _transit_routes(t, ctx)
        out.append(
            _check(
                "transit_days", t.subject, [_transit_days(s, routes) for s in summaries],
                t.days, tol.transit_days, stats.id,
            )
        )  # fmt: skip
    return out
