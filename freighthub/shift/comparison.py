"""The result of comparing a variant with its base: paired deltas, loads, routes, bottlenecks.

Base, variant and delta are typed trees (:class:`~freighthub.sim.run_estimate.RunEstimate`:
a :class:`~freighthub.sim.estimates.SummaryEstimate` plus the per-TEU figures), read by
attribute (``c.delta.throughput_teu``, ``c.paired(lambda t: t.cost_cny_per_teu)``), so a
renamed figure fails in mypy. The flat views by dotted path (``compare --json``'s
``metrics``, ``to_pandas()``) come from one walk of the trees,
:meth:`Comparison.figures_by_path` (:func:`~freighthub.sim.estimates.estimates_by_path`).

Split from :mod:`freighthub.shift.compare` (which runs the comparison and re-exports
these types).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

from freighthub.frames import data_frame, estimate_columns
from freighthub.model.provenance import Manifest
from freighthub.shift.choice_summary import ModeChoiceSummary
from freighthub.shift.feedback import FeedbackReport
from freighthub.sim.estimates import (
    Estimate,
    RouteEstimate,
    SimulationWarning,
    estimate,
    estimates_by_path,
)
from freighthub.sim.operator_costs import ServiceOperatorCost
from freighthub.sim.routes import RouteInfo
from freighthub.sim.run_estimate import ROUTE_READERS, Figure, RouteFigure, RunEstimate

if TYPE_CHECKING:
    import pandas as pd

#: A side without the figure (a route without boxes in that run): no value, no unit.
_NONE = estimate([])


#: The columns of :meth:`Comparison.to_pandas`.
_COMPARISON_COLUMNS = (
    "figure",
    "unit",
    "n",
    *(
        f"{side}_{name}"
        for side in ("base", "variant", "delta")
        for name in ("mean", "ci95_low", "ci95_high")
    ),
)


@dataclass(frozen=True)
class MetricDelta:
    """One figure in base and variant, and the paired difference (variant - base)."""

    base: Estimate
    variant: Estimate
    delta: Estimate


@dataclass(frozen=True)
class Resource:
    """A hub or a service and how hard it is used (means over replications).

    Attributes
    ----------
    kind
        ``"hub"`` or ``"service"``.
    id
        Hub or service id.
    utilisation
        Handling-pool utilisation (hub) or TEU carried / capacity (service) [0-1].
    left_behind_boxes
        Boxes that missed at least one full departure, counted at the first service
        leg of their route (services only; 0 for hubs) [-].
    """

    kind: Literal["hub", "service"]
    id: str
    utilisation: float
    left_behind_boxes: float


@dataclass(frozen=True)
class ServiceLoad:
    """Demand routed over a service versus what it offers (variant, mean over replications).

    Attributes
    ----------
    service
        Service id.
    routed_teu
        TEU that arrived in the window on routes using the service [TEU].
    capacity_teu
        Capacity offered by its departures in the window [TEU].
    carried_teu
        TEU carried by its departures in the window [TEU].
    left_behind_boxes
        Boxes that found at least one departure full (first service leg of the
        route) [-].
    waiting_teu_at_horizon
        TEU whose next leg, at the horizon, is this service (waiting or on the way
        to it) [TEU].
    over_capacity
        True if ``routed_teu > capacity_teu``: the network cannot carry the demand.
    overloaded_months
        Calendar months (1-12) in which more TEU were routed over the service than its
        departures offered: carried late, if at all (seasonal shortfall).
    """

    service: str
    routed_teu: float
    capacity_teu: float
    carried_teu: float
    left_behind_boxes: float
    waiting_teu_at_horizon: float
    over_capacity: bool
    overloaded_months: tuple[int, ...] = ()


@dataclass(frozen=True)
class RouteDelta:
    """One route of base or variant: its figures in each, paired deltas where both have it.

    Attributes
    ----------
    id
        Route id (``"<od id>/<route name>"``).
    info
        OD, origin, destination, route name and main mode.
    base, variant
        The route's figures in each run; ``None`` in a run without boxes on it.
    delta
        The paired differences (variant - base) with their 95 % t-intervals, when boxes
        travelled the route in both runs; else ``None``.
    only_in
        ``"base"`` or ``"variant"`` when boxes travelled the route in one run only;
        ``""`` when in both.
    """

    id: str
    info: RouteInfo
    base: RouteEstimate | None
    variant: RouteEstimate | None
    delta: RouteEstimate | None
    only_in: Literal["", "base", "variant"]

    def paired(self, figure: RouteFigure) -> MetricDelta:
        """One figure in base, variant and delta; a side without it has no value."""
        base, variant, delta = (
            _NONE if tree is None else figure(tree)
            for tree in (self.base, self.variant, self.delta)
        )
        return MetricDelta(base=base, variant=variant, delta=delta)

    def figures(self) -> dict[str, MetricDelta]:
        """The :data:`~freighthub.sim.routes.ROUTE_FIGURES` by name (``compare --json``),
        each read by :meth:`paired` (:data:`~freighthub.sim.run_estimate.ROUTE_READERS`)."""
        return {name: self.paired(read) for name, read in ROUTE_READERS.items()}


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare_scenarios`.

    Attributes
    ----------
    base_id, variant_id
        Scenario ids.
    seed, replications, pack_id
        Experiment settings shared by both runs.
    base, variant
        Every figure of each run (mean and 95 % t-interval over replications).
    delta
        The paired differences (variant - base, replication by replication) with their
        95 % t-intervals, for the figures both runs have: a mapping (by mode, hub,
        service, route, leg) holds the keys of both, ``terminal`` is ``None`` unless
        both have a terminal model.
    bottleneck_base, bottleneck_variant
        The most used hub or service.
    services_base, services_variant
        Load of every service of the base and of the variant.
    not_carried
        The variant's services that cannot carry the demand routed over them, over
        the window or in some months.
    routes
        Every route that boxes travelled in base or variant (:class:`RouteDelta`).
    warnings
        The variant's then the base's simulation warnings
        (:func:`freighthub.sim.checks.result_warnings`), each message starting with
        ``variant <id>:`` or ``base <id>:``.
    changes
        What the variant changed (``file: field: before -> after``).
    calibration_residual
        Largest calibration residual of the variant's mode choice (NaN without).
    feedback
        The congestion-feedback report, if asked for.
    manifest
        Tool version, seed, replications and SHA-256 of every input of both runs.
    mode_choice
        Elasticities, constants and sensitivity of the variant's last mode choice
        (None without ``[mode_choice]``).
    operators_base, operators_variant
        The operators' departures, fleet and yearly cost per service of each run
        (:func:`freighthub.sim.operator_costs.service_operator_costs`).
    """

    base_id: str
    variant_id: str
    seed: int
    replications: int
    pack_id: str
    base: RunEstimate
    variant: RunEstimate
    delta: RunEstimate
    bottleneck_base: Resource | None
    bottleneck_variant: Resource | None
    services_base: tuple[ServiceLoad, ...]
    services_variant: tuple[ServiceLoad, ...]
    not_carried: tuple[ServiceLoad, ...]
    routes: tuple[RouteDelta, ...]
    warnings: tuple[SimulationWarning, ...]
    changes: tuple[str, ...]
    calibration_residual: float
    feedback: FeedbackReport | None
    manifest: Manifest
    mode_choice: ModeChoiceSummary | None = None
    operators_base: tuple[ServiceOperatorCost, ...] = ()
    operators_variant: tuple[ServiceOperatorCost, ...] = ()

    def paired(self, figure: Figure) -> MetricDelta | None:
        """One figure in base, variant and delta (``None`` if not in both runs).

        ``c.paired(lambda t: t.hubs["beta"].utilisation)`` reads the same figure of
        the three trees.
        """
        delta = figure(self.delta)
        if delta is None:
            return None
        base, variant = figure(self.base), figure(self.variant)
        assert base is not None and variant is not None  # the delta's keys are in both
        return MetricDelta(base=base, variant=variant, delta=delta)

    def figures_by_path(self) -> dict[str, MetricDelta]:
        """Every figure of both runs by dotted path (``hubs.<id>.utilisation``), tree order.

        ``compare --json``'s ``metrics``; the paths are those of
        :func:`~freighthub.sim.estimates.estimates_by_path` (per-TEU figures last).
        """
        base, variant = estimates_by_path(self.base), estimates_by_path(self.variant)
        return {
            path: MetricDelta(base=base[path], variant=variant[path], delta=delta)
            for path, delta in estimates_by_path(self.delta).items()
        }

    def only_in(self, side: Literal["base", "variant"]) -> dict[str, Estimate]:
        """The figures of one run only (a removed or added service, hub, mode), by path."""
        paired = estimates_by_path(self.delta)
        tree = self.base if side == "base" else self.variant
        return {p: e for p, e in estimates_by_path(tree).items() if p not in paired}

    def document(self) -> dict[str, object]:
        """The comparison as ``compare --json`` writes it (before JSON encoding).

        Each field as it is, except the trees, flat by dotted path: ``metrics``
        (:meth:`figures_by_path`), ``only_in_base`` and ``only_in_variant``
        (:meth:`only_in`); and each route's figures by name (:meth:`RouteDelta.figures`).
        """
        doc: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, RunEstimate):
                if f.name == "base":
                    doc["metrics"] = self.figures_by_path()
                    doc["only_in_base"] = self.only_in("base")
                    doc["only_in_variant"] = self.only_in("variant")
            elif f.name == "routes":
                doc["routes"] = [
                    {"id": r.id, "info": r.info, "figures": r.figures(), "only_in": r.only_in}
                    for r in self.routes
                ]
            else:
                doc[f.name] = value
        return doc

    def to_pandas(self) -> pd.DataFrame:
        """One row per figure of both runs: ``figure``, ``unit``, ``n``, then
        ``base_``, ``variant_`` and ``delta_`` ``mean``/``ci95_low``/``ci95_high``
        (``delta`` = variant - base, paired by replication)."""
        rows = []
        for path, m in self.figures_by_path().items():
            row = {"figure": path, "unit": m.delta.unit, "n": m.delta.n}
            for side, est in (("base", m.base), ("variant", m.variant), ("delta", m.delta)):
                row |= estimate_columns(est, f"{side}_")
            rows.append({k: v for k, v in row.items() if k in _COMPARISON_COLUMNS})
        return data_frame(rows, _COMPARISON_COLUMNS)
