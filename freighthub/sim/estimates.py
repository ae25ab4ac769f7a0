"""Estimates over replications: typed figures with 95 % confidence intervals.

:func:`combine` turns the per-replication :class:`~freighthub.sim.summary.Summary`
objects into a :class:`SummaryEstimate` of the same shape, each numeric figure an
:class:`Estimate` (mean, 95 % Student-t interval, unit, replications). Readers (the
CLI, the JSON writers, the report, compare) read it by attribute, so a renamed
figure fails in mypy, not at report time. :class:`ExperimentResult` bundles it with
the summaries and raw runs of an experiment.

References
----------
Student-t confidence interval of a mean: e.g. Law, *Simulation Modeling and
Analysis*, 5th ed. (2015), §9.4.1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
from scipy import stats

from freighthub.frames import ESTIMATE_COLUMNS, data_frame, estimate_columns
from freighthub.model.provenance import Manifest
from freighthub.sim import terminal_stats as ts
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.summary import HubSummary, RouteSummary, ServiceSummary, Summary

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PER_TEU",
    "WARNING_CODES",
    "Estimate",
    "ExperimentResult",
    "HubEstimate",
    "PoolEstimate",
    "Replication",
    "RouteEstimate",
    "ServiceEstimate",
    "SimulationWarning",
    "SummaryEstimate",
    "TerminalEstimate",
    "TerminalHubEstimate",
    "TerminalRouteEstimate",
    "combine",
    "confidence_interval",
    "estimate",
    "estimates_by_path",
    "figure_unit",
    "with_per_teu",
]


@dataclass(frozen=True)
class Estimate:
    """The mean of a figure over replications with its 95 % t-interval.

    Attributes
    ----------
    mean
        Mean over replications [unit].
    ci95_low, ci95_high
        Bounds of the 95 % Student-t interval of the mean [unit]; NaN with one replication.
    n
        Number of replications with a value (NaNs are left out) [-].
    unit
        The figure's unit (``teu``, ``t``, ``boxes``, ``h``, ``share`` (0-1), ``cny``,
        ``kgco2e``, ``tkm``, ``count``, ``cny_per_teu``, ``kgco2e_per_teu``, ``per_h``); empty where the caller did not name one.
    """

    mean: float
    ci95_low: float
    ci95_high: float
    n: int
    unit: str = ""

    @property
    def half_width(self) -> float:
        """Half the width of the confidence interval [unit]."""
        return (self.ci95_high - self.ci95_low) / 2.0


def confidence_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float]:
    """Student-t confidence interval of the mean of independent replications.

    Parameters
    ----------
    values
        One value per replication (NaNs are dropped).
    level
        Confidence level [0-1].

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` with fewer than two values.

    Raises
    ------
    ValueError
        If ``level`` is not strictly between 0 and 1.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level = {level}: must be between 0 and 1")
    x = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
    if x.size < 2:
        return math.nan, math.nan
    mean = float(np.mean(x))
    se = float(np.std(x, ddof=1)) / math.sqrt(x.size)
    half = float(stats.t.ppf(0.5 + level / 2.0, x.size - 1)) * se
    return mean - half, mean + half


def estimate(values: Sequence[float], unit: str = "") -> Estimate:
    """Mean and 95 % t-interval of one figure over replications (NaNs left out)."""
    x = [float(v) for v in values]
    finite = [v for v in x if not math.isnan(v)]
    low, high = confidence_interval(finite)
    return Estimate(
        mean=float(np.mean(finite)) if finite else math.nan,
        ci95_low=low,
        ci95_high=high,
        n=len(finite),
        unit=unit,
    )


@dataclass(frozen=True)
class HubEstimate:
    """:class:`~freighthub.sim.summary.HubSummary` over replications (same fields)."""

    handled_teu: Estimate = field(metadata={"unit": "teu"})
    handled_t: Estimate = field(metadata={"unit": "t"})
    moves: Estimate = field(metadata={"unit": "count"})
    mean_wait_h: Estimate = field(metadata={"unit": "h"})
    p95_wait_h: Estimate = field(metadata={"unit": "h"})
    mean_yard_hold_h: Estimate = field(metadata={"unit": "h"})
    utilisation: Estimate = field(metadata={"unit": "share"})
    emissions_kgco2e_wtw: Estimate = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_ttw: Estimate = field(metadata={"unit": "kgco2e"})
    traced_teu: Estimate = field(metadata={"unit": "teu"})
    background_teu: Estimate = field(metadata={"unit": "teu"})
    background_moves: Estimate = field(metadata={"unit": "count"})
    background_mean_wait_h: Estimate = field(metadata={"unit": "h"})


@dataclass(frozen=True)
class ServiceEstimate:
    """:class:`~freighthub.sim.summary.ServiceSummary` over replications (same fields)."""

    departures: Estimate = field(metadata={"unit": "count"})
    empty_departures: Estimate = field(metadata={"unit": "count"})
    teu: Estimate = field(metadata={"unit": "teu"})
    capacity_teu: Estimate = field(metadata={"unit": "teu"})
    routed_teu: Estimate = field(metadata={"unit": "teu"})
    utilisation: Estimate = field(metadata={"unit": "share"})
    background_teu: Estimate = field(metadata={"unit": "teu"})


@dataclass(frozen=True)
class RouteEstimate:
    """:class:`~freighthub.sim.routes.RouteSummary` over replications (same fields)."""

    arrived_teu: Estimate = field(metadata={"unit": "teu"})
    delivered_teu: Estimate = field(metadata={"unit": "teu"})
    delivered_boxes: Estimate = field(metadata={"unit": "boxes"})
    left_behind_boxes: Estimate = field(metadata={"unit": "boxes"})
    left_behind_repeatedly_boxes: Estimate = field(metadata={"unit": "boxes"})
    door_to_door_mean_h: Estimate = field(metadata={"unit": "h"})
    door_to_door_p95_h: Estimate = field(metadata={"unit": "h"})
    cost_cny: Estimate = field(metadata={"unit": "cny"})
    price_cny_per_teu: Estimate = field(metadata={"unit": "cny_per_teu"})
    emissions_kgco2e_wtw: Estimate = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_wtw_per_teu: Estimate = field(metadata={"unit": "kgco2e_per_teu"})
    on_time_share: Estimate = field(metadata={"unit": "share"})


@dataclass(frozen=True)
class PoolEstimate:
    """:class:`~freighthub.sim.terminal_stats.PoolSummary` over replications (same fields)."""

    units: Estimate = field(metadata={"unit": "count"})
    jobs: Estimate = field(metadata={"unit": "count"})
    throughput_per_h: Estimate = field(metadata={"unit": "per_h"})
    utilisation: Estimate = field(metadata={"unit": "share"})
    mean_waiting: Estimate = field(metadata={"unit": "count"})
    mean_in_system: Estimate = field(metadata={"unit": "count"})
    mean_wait_h: Estimate = field(metadata={"unit": "h"})
    p50_wait_h: Estimate = field(metadata={"unit": "h"})
    p95_wait_h: Estimate = field(metadata={"unit": "h"})


@dataclass(frozen=True)
class TerminalHubEstimate:
    """:class:`~freighthub.sim.terminal_stats.TerminalHubSummary` over replications."""

    trucks: Estimate = field(metadata={"unit": "count"})
    truck_wait_mean_h: Estimate = field(metadata={"unit": "h"})
    truck_wait_p95_h: Estimate = field(metadata={"unit": "h"})
    truck_wait_above_threshold_share: Estimate = field(metadata={"unit": "share"})
    truck_turnaround_mean_h: Estimate = field(metadata={"unit": "h"})
    truck_turnaround_p95_h: Estimate = field(metadata={"unit": "h"})
    yard_mean_teu: Estimate = field(metadata={"unit": "teu"})
    yard_p95_teu: Estimate = field(metadata={"unit": "teu"})
    yard_max_teu: Estimate = field(metadata={"unit": "teu"})


@dataclass(frozen=True)
class TerminalRouteEstimate:
    """:class:`~freighthub.sim.terminal_stats.TerminalRouteSummary` over replications."""

    boxes: Estimate = field(metadata={"unit": "boxes"})
    terminal_wait_mean_h: Estimate = field(metadata={"unit": "h"})
    terminal_wait_p95_h: Estimate = field(metadata={"unit": "h"})
    truck_wait_mean_h: Estimate = field(metadata={"unit": "h"})


@dataclass(frozen=True)
class TerminalEstimate:
    """:class:`~freighthub.sim.terminal_stats.TerminalSummary` over replications."""

    pools: dict[str, PoolEstimate]
    hubs: dict[str, TerminalHubEstimate]
    routes: dict[str, TerminalRouteEstimate]


@dataclass(frozen=True)
class SummaryEstimate:
    """:class:`~freighthub.sim.summary.Summary` over replications (same fields).

    Every number of the summary is an :class:`Estimate`; a mapping (by mode, hub,
    service or leg) keeps the keys of the first replication, a key missing in a
    later replication counting as no value there. ``emissions_ttw_complete`` is true
    only if it is true in every replication. ``terminal`` is ``None`` for a scenario
    without a terminal model.
    """

    arrived_teu: Estimate = field(metadata={"unit": "teu"})
    delivered_teu: Estimate = field(metadata={"unit": "teu"})
    in_system_teu: Estimate = field(metadata={"unit": "teu"})
    arrived_boxes: Estimate = field(metadata={"unit": "boxes"})
    delivered_boxes: Estimate = field(metadata={"unit": "boxes"})
    diverted_boxes: Estimate = field(metadata={"unit": "boxes"})
    left_behind_boxes: Estimate = field(metadata={"unit": "boxes"})
    throughput_teu: Estimate = field(metadata={"unit": "teu"})
    throughput_t: Estimate = field(metadata={"unit": "t"})
    throughput_teu_by_mode: dict[str, Estimate] = field(metadata={"unit": "teu"})
    throughput_t_by_mode: dict[str, Estimate] = field(metadata={"unit": "t"})
    modal_split_teu_share: dict[str, Estimate] = field(metadata={"unit": "share"})
    tkm_by_mode: dict[str, Estimate] = field(metadata={"unit": "tkm"})
    modal_split_tkm_share: dict[str, Estimate] = field(metadata={"unit": "share"})
    door_to_door_mean_h: Estimate = field(metadata={"unit": "h"})
    door_to_door_p50_h: Estimate = field(metadata={"unit": "h"})
    door_to_door_p95_h: Estimate = field(metadata={"unit": "h"})
    door_to_door_mean_h_by_mode: dict[str, Estimate] = field(metadata={"unit": "h"})
    hubs: dict[str, HubEstimate]
    services: dict[str, ServiceEstimate]
    cost_cny: Estimate = field(metadata={"unit": "cny"})
    cost_cny_by_component: dict[str, Estimate] = field(metadata={"unit": "cny"})
    cost_unallocated_cny: Estimate = field(metadata={"unit": "cny"})
    routes: dict[str, RouteEstimate]
    emissions_kgco2e_wtw: Estimate = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_ttw: Estimate = field(metadata={"unit": "kgco2e"})
    emissions_ttw_complete: bool
    emissions_kgco2e_wtw_by_mode: dict[str, Estimate] = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_ttw_by_mode: dict[str, Estimate] = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_wtw_by_leg: dict[str, Estimate] = field(metadata={"unit": "kgco2e"})
    emissions_kgco2e_ttw_by_leg: dict[str, Estimate] = field(metadata={"unit": "kgco2e"})
    legs_without_intensity_tkm: Estimate = field(metadata={"unit": "tkm"})
    terminal: TerminalEstimate | None = None

    def to_pandas(self) -> pd.DataFrame:
        """One row per figure: ``figure`` (the dotted path of :func:`estimates_by_path`),
        ``mean``, ``ci95_low``, ``ci95_high``, ``n``, ``unit``."""
        rows = (
            {"figure": path} | estimate_columns(est)
            for path, est in estimates_by_path(self).items()
        )
        return data_frame(rows, ("figure", *ESTIMATE_COLUMNS))


#: The estimate class of each summary class (one row per summary class).
_ESTIMATE_OF: dict[type, type] = {
    Summary: SummaryEstimate,
    HubSummary: HubEstimate,
    ServiceSummary: ServiceEstimate,
    RouteSummary: RouteEstimate,
    ts.TerminalSummary: TerminalEstimate,
    ts.PoolSummary: PoolEstimate,
    ts.TerminalHubSummary: TerminalHubEstimate,
    ts.TerminalRouteSummary: TerminalRouteEstimate,
}


def _combine_values(values: Sequence[Any], unit: str) -> Any:
    """One figure (or mapping or summary) over replications; ``None`` where missing."""
    first = values[0]
    if first is None:  # an optional part (``terminal``) the run does not have
        return None
    if isinstance(first, bool):
        return all(bool(v) for v in values if v is not None)
    if isinstance(first, (int, float)):
        return estimate([math.nan if v is None else float(v) for v in values], unit)
    if isinstance(first, dict):
        return {
            k: _combine_values([None if v is None else v.get(k) for v in values], unit)
            for k in first
        }
    return _combine_objects(type(first), values)


def _combine_objects(kind: type, values: Sequence[Any]) -> Any:
    """Each figure's unit is the ``unit`` of its field's metadata."""
    target = _ESTIMATE_OF[kind]
    return target(
        **{
            f.name: _combine_values(
                [None if v is None else getattr(v, f.name) for v in values],
                f.metadata.get("unit", ""),
            )
            for f in fields(target)
        }
    )


def combine(summaries: Sequence[Summary]) -> SummaryEstimate:
    """Every figure of the summaries as an :class:`Estimate` over replications.

    Raises
    ------
    ValueError
        If ``summaries`` is empty.
    """
    if not summaries:
        raise ValueError("summaries is empty: need at least one replication")
    result: SummaryEstimate = _combine_objects(Summary, summaries)
    return result


def estimates_by_path(tree: Any, prefix: str = "") -> dict[str, Estimate]:
    """Every :class:`Estimate` of an estimate tree by dotted path (``hubs.<id>.utilisation``).

    The flat view for files that list figures by name (``summary.json``); booleans are
    left out. Paths are the dotted paths of
    :func:`freighthub.sim.summary.flatten` for the same figures.
    """
    if isinstance(tree, Estimate):
        return {prefix.rstrip("."): tree}
    out: dict[str, Estimate] = {}
    if is_dataclass(tree) and not isinstance(tree, type):
        for f in fields(tree):
            out.update(estimates_by_path(getattr(tree, f.name), f"{prefix}{f.name}."))
    elif isinstance(tree, dict):
        for k, v in tree.items():
            out.update(estimates_by_path(v, f"{prefix}{k}."))
    return out


#: (estimate class, field) -> (estimate class inside, path parts: 2 per-id mapping, 1 tree).
_NESTED: dict[tuple[type, str], tuple[type, int]] = {
    (SummaryEstimate, "hubs"): (HubEstimate, 2),
    (SummaryEstimate, "services"): (ServiceEstimate, 2),
    (SummaryEstimate, "routes"): (RouteEstimate, 2),
    (SummaryEstimate, "terminal"): (TerminalEstimate, 1),
    (TerminalEstimate, "pools"): (PoolEstimate, 2),
    (TerminalEstimate, "hubs"): (TerminalHubEstimate, 2),
    (TerminalEstimate, "routes"): (TerminalRouteEstimate, 2),
}


#: Per-TEU figures derived from a flat summary row: name -> (numerator, denominator).
#: They divide by the TEU that arrived in the statistics window (``arrived_teu``), the
#: population whose legs and costs are counted. ``compare`` and sweep summaries add them.
PER_TEU: dict[str, tuple[str, str]] = {
    "emissions_kgco2e_wtw_per_teu": ("emissions_kgco2e_wtw", "arrived_teu"),
    "emissions_kgco2e_ttw_per_teu": ("emissions_kgco2e_ttw", "arrived_teu"),
    "cost_cny_per_teu": ("cost_cny", "arrived_teu"),
}


def with_per_teu(row: dict[str, float]) -> dict[str, float]:
    """A flat summary row with the :data:`PER_TEU` figures added (NaN without arrived TEU)."""
    out = dict(row)
    for name, (num, den) in PER_TEU.items():
        d = row.get(den, math.nan)
        out[name] = row.get(num, math.nan) / d if d > 0 else math.nan
    return out


def figure_unit(path: str) -> str:
    """The unit of a figure named by its dotted path (``hubs.<id>.utilisation`` -> ``share``).

    For rows that hold figures by name (sweep rows, compare's paired figures); a
    :data:`PER_TEU` figure is ``<numerator unit>_per_<denominator unit>``; ``""`` for
    a path that is not a figure of :class:`SummaryEstimate`.
    """
    if path in PER_TEU:
        num, den = PER_TEU[path]
        return f"{figure_unit(num)}_per_{figure_unit(den)}"
    parts = path.split(".")
    kind: type = SummaryEstimate
    while parts:
        f = {f.name: f for f in fields(kind)}.get(parts[0])
        if f is None:
            return ""
        if "unit" in f.metadata:
            return str(f.metadata["unit"])
        if (kind, f.name) not in _NESTED:
            return ""
        kind, skip = _NESTED[kind, f.name]
        parts = parts[skip:]
    return ""


WarningCode = Literal[
    "service_unused", "empty_departures", "cannot_carry", "nothing_delivered", "left_behind"
]

#: Every warning code, in the order warnings are listed.
WARNING_CODES: tuple[WarningCode, ...] = get_args(WarningCode)


@dataclass(frozen=True)
class SimulationWarning:
    """One warning about a simulation result.

    Attributes
    ----------
    code
        One of :data:`WARNING_CODES` (see :mod:`freighthub.sim.checks`).
    message
        One line in English naming the subject and the figures.
    subject
        The service id or route id (``"<od id>/<route name>"``) it is about.
    figures
        The numbers in the message by name (units in the names; ``share`` 0-1), for
        readers that word it themselves (the report, in English and Chinese).
    """

    code: WarningCode
    message: str
    subject: str
    figures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Replication:
    """One replication: its inputs, the engine's raw result and its summary."""

    index: int
    arrivals: Arrivals
    result: EngineResult
    summary: Summary


@dataclass(frozen=True)
class ExperimentResult:
    """Result of a simulation experiment.

    Attributes
    ----------
    network
        The compiled network that was simulated.
    pack_id
        Emission factor pack used.
    seed, replications
        Seed and number of replications.
    summaries
        One :class:`~freighthub.sim.summary.Summary` per replication.
    estimates
        Every figure as mean with 95 % t-interval, shaped like the summaries.
    runs
        The raw replications (arrivals and engine results) for the Parquet writers;
        empty unless ``keep_runs`` was asked for.
    manifest
        Tool version, seed, replications and SHA-256 of every input file.
    warnings
        What a planner should look at (:func:`freighthub.sim.checks.result_warnings`).
    """

    network: CompiledNetwork
    pack_id: str
    seed: int
    replications: int
    summaries: tuple[Summary, ...]
    estimates: SummaryEstimate
    runs: tuple[Replication, ...]
    manifest: Manifest
    warnings: tuple[SimulationWarning, ...] = ()

    def to_pandas(self) -> pd.DataFrame:
        """The estimates, one row per figure (see :meth:`SummaryEstimate.to_pandas`)."""
        return self.estimates.to_pandas()
