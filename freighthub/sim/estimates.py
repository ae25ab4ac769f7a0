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
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
from scipy import stats

from freighthub.frames import ESTIMATE_COLUMNS, data_frame, estimate_columns
from freighthub.model.provenance import Manifest
from freighthub.sim.figures import (
    HubFigures,
    PoolFigures,
    RouteFigures,
    ServiceFigures,
    SummaryFigures,
    TerminalFigures,
    TerminalHubFigures,
    TerminalRouteFigures,
    field_unit,
    figures_by_path,
    inner_figures,
)
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.summary import Summary

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
    "estimate_figures",
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


#: The figures groups over replications: the classes of :mod:`freighthub.sim.figures`
#: with every figure an :class:`Estimate` (each the estimate of the ``float`` summary
#: of the same name: :data:`~freighthub.sim.summary.HubSummary` -> ``HubEstimate``).
HubEstimate = HubFigures[Estimate]
ServiceEstimate = ServiceFigures[Estimate]
RouteEstimate = RouteFigures[Estimate]
PoolEstimate = PoolFigures[Estimate]
TerminalHubEstimate = TerminalHubFigures[Estimate]
TerminalRouteEstimate = TerminalRouteFigures[Estimate]
TerminalEstimate = TerminalFigures[Estimate]


@dataclass(frozen=True)
class SummaryEstimate(SummaryFigures[Estimate]):
    """:class:`~freighthub.sim.summary.Summary` over replications: every figure of
    :class:`~freighthub.sim.figures.SummaryFigures` as an :class:`Estimate`.

    A mapping (by mode, hub, service or leg) keeps the keys of the first replication,
    a key missing in a later replication counting as no value there.
    ``emissions_ttw_complete`` is true only if it is true in every replication.
    ``terminal`` is ``None`` for a scenario without a terminal model.
    """

    def to_pandas(self) -> pd.DataFrame:
        """One row per figure: ``figure`` (the dotted path of :func:`estimates_by_path`),
        ``mean``, ``ci95_low``, ``ci95_high``, ``n``, ``unit``."""
        rows = (
            {"figure": path} | estimate_columns(est)
            for path, est in estimates_by_path(self).items()
        )
        return data_frame(rows, ("figure", *ESTIMATE_COLUMNS))


def estimate_figures(replications: Sequence[Any], unit: str = "", root: type | None = None) -> Any:
    """One figure, mapping or figures tree over replications, shaped as the first one.

    The one walk from ``F = float`` to ``F =`` :class:`Estimate` of every figures
    class of :mod:`freighthub.sim.figures`: a number becomes its :func:`estimate`
    (with the unit of its field), a mapping keeps the first replication's keys (a key
    missing later counts as no value there), a flag is true if true in every
    replication, an optional part missing in the first replication is ``None``.

    Parameters
    ----------
    replications
        The same figure (or tree) of each replication; ``None`` where missing.
    unit
        The unit of a number or of the numbers of a mapping.
    root
        The class to build instead of the first replication's (a subclass of it over
        :class:`Estimate`, such as :class:`SummaryEstimate`).
    """
    first = replications[0]
    if first is None:  # an optional part (``terminal``) the run does not have
        return None
    if isinstance(first, bool):
        return all(bool(v) for v in replications if v is not None)
    if isinstance(first, (int, float)):
        return estimate([math.nan if v is None else float(v) for v in replications], unit)
    if isinstance(first, dict):
        return {
            k: estimate_figures([None if v is None else v.get(k) for v in replications], unit)
            for k in first
        }
    return (root or type(first))(
        **{
            f.name: estimate_figures(
                [None if v is None else getattr(v, f.name) for v in replications],
                field_unit(f),
            )
            for f in fields(first)
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
    result: SummaryEstimate = estimate_figures(summaries, root=SummaryEstimate)
    return result


def estimates_by_path(tree: Any) -> dict[str, Estimate]:
    """Every :class:`Estimate` of an estimate tree by dotted path (``hubs.<id>.utilisation``).

    The flat view for files that list figures by name (``summary.json``); booleans are
    left out. Paths are the dotted paths of
    :func:`freighthub.sim.summary.flatten` for the same figures (the same walk,
    :func:`~freighthub.sim.figures.figures_by_path`).
    """
    return figures_by_path(tree, lambda x: isinstance(x, Estimate))


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
    kind: type = SummaryFigures
    while parts:
        f = {f.name: f for f in fields(kind)}.get(parts[0])
        if f is None:
            return ""
        if field_unit(f):
            return field_unit(f)
        inner = inner_figures(kind, f.name)
        if inner is None:
            return ""
        kind, skip = inner
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
