"""The result of comparing a variant with its base: paired deltas, loads, routes, bottlenecks.

Split from :mod:`freighthub.shift.compare` (which runs the comparison and re-exports
these types).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from freighthub.frames import data_frame, estimate_columns
from freighthub.model.provenance import Manifest
from freighthub.shift.choice_summary import ModeChoiceSummary
from freighthub.shift.feedback import FeedbackReport
from freighthub.sim.estimates import (
    Estimate,
    SimulationWarning,
)
from freighthub.sim.operator_costs import ServiceOperatorCost
from freighthub.sim.routes import RouteInfo

if TYPE_CHECKING:
    import pandas as pd


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
    figures
        Per figure of :data:`ROUTE_FIGURES`: base and variant means and the paired
        difference (variant - base) with its 95 % t-interval, when boxes travelled the
        route in both runs.
    only_in
        ``"base"`` or ``"variant"`` when boxes travelled the route in one run only
        (``figures`` then holds that run's figure as ``base`` or ``variant`` and a NaN
        delta); ``""`` when in both.
    """

    id: str
    info: RouteInfo
    figures: dict[str, MetricDelta]
    only_in: Literal["", "base", "variant"]


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare_scenarios`.

    Attributes
    ----------
    base_id, variant_id
        Scenario ids.
    seed, replications, pack_id
        Experiment settings shared by both runs.
    metrics
        Every figure present in both runs (dotted path, as in
        :func:`freighthub.sim.summary.flatten`, plus the per-TEU figures).
    only_in_base, only_in_variant
        Figures of one run only (a removed or added service, hub or mode).
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
    metrics: dict[str, MetricDelta]
    only_in_base: dict[str, Estimate]
    only_in_variant: dict[str, Estimate]
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

    def to_pandas(self) -> pd.DataFrame:
        """One row per figure of both runs: ``figure``, ``unit``, ``n``, then
        ``base_``, ``variant_`` and ``delta_`` ``mean``/``ci95_low``/``ci95_high``
        (``delta`` = variant - base, paired by replication)."""
        rows = []
        for path, m in self.metrics.items():
            row = {"figure": path, "unit": m.delta.unit, "n": m.delta.n}
            for side, est in (("base", m.base), ("variant", m.variant), ("delta", m.delta)):
                row |= estimate_columns(est, f"{side}_")
            rows.append({k: v for k, v in row.items() if k in _COMPARISON_COLUMNS})
        return data_frame(rows, _COMPARISON_COLUMNS)
