"""Model validation: a simulated scenario against the published statistics it names.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freighthub.errors import DataFileError
from freighthub.frames import data_frame
from freighthub.model.paths import data_dir, shipped_dir
from freighthub.model.scenario import LoadedScenario, load_scenario
from freighthub.model.sourced import Sourced
from freighthub.model.statistics import (
    TOLERANCES_FILE,
    ModeShare,
    StatisticsFile,
    Tolerance,
    Tolerances,
    TransitDays,
    load_scenario_statistics,
    load_tolerances,
)
from freighthub.sim.arrays import LEG_SERVICE, mode_codes
from freighthub.sim.estimates import ExperimentResult, estimate
from freighthub.sim.experiment import Progress, run_scenario
from freighthub.sim.network import CompiledNetwork
from freighthub.sim.summary import Summary
from freighthub.units import HOURS_PER_DAY, HOURS_PER_YEAR
from freighthub.vocabulary import Mode

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "QUANTITIES",
    "Check",
    "CheckedStatistics",
    "ValidationResult",
    "check_statistics",
    "compare_with_statistics",
    "validate_model",
]

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
    confidence: str | None
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
            "model": _finite(self.model),
            "model_ci": [_finite(self.model_ci[0]), _finite(self.model_ci[1])],
            "published": self.published,
            "published_range": (
                list(self.published_range) if self.published_range is not None else None
            ),
            "unit": self.unit,
            "tolerance_rel": self.tolerance_rel,
            "tolerance_abs": self.tolerance_abs,
            "source": self.source,
            "confidence": self.confidence,
            "statistics": self.statistics_id,
            "pass": self.passed,
        }


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class ValidationResult:
    """Every check of a scenario, with the run and the files behind them.

    Attributes
    ----------
    scenario_id
        The scenario.
    checks
        One per published figure, in file order.
    statistics_files
        The statistics files read.
    tolerances
        The tolerance policy applied.
    result
        The simulation the checks were computed from.
    """

    scenario_id: str
    checks: tuple[Check, ...]
    statistics_files: tuple[Path, ...]
    tolerances: Tolerances
    result: ExperimentResult | None = field(default=None, compare=False, repr=False)

    @property
    def passed(self) -> int:
        """Number of checks passed."""
        return sum(c.passed for c in self.checks)

    @property
    def total(self) -> int:
        """Number of checks."""
        return len(self.checks)

    @property
    def all_passed(self) -> bool:
        """True if every check passed."""
        return self.passed == self.total

    def to_json(self) -> dict[str, Any]:
        """``{"scenario", "checks": [...], "passed", "total"}`` (``--json``)."""
        return {
            "scenario": self.scenario_id,
            "checks": [c.to_json() for c in self.checks],
            "passed": self.passed,
            "total": self.total,
        }

    def to_pandas(self) -> pd.DataFrame:
        """One row per check (the ``--json`` record flattened)."""
        rows = []
        for c in self.checks:
            row = c.to_json()
            row["model_ci_low"], row["model_ci_high"] = row.pop("model_ci")
            rows.append(row)
        columns = (
            "quantity", "subject", "model", "model_ci_low", "model_ci_high", "published",
            "published_range", "unit", "tolerance_rel", "tolerance_abs", "source",
            "confidence", "statistics", "pass",
        )  # fmt: skip
        return data_frame(rows, columns)


class _Context:
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
        confidence=published.confidence.value if published.confidence is not None else None,
        statistics_id=statistics_id,
        passed=ok,
    )


def _share_routes(m: ModeShare, ctx: _Context) -> list[str]:
    if m.hub is not None:
        return [r for r, hubs in ctx.route_hubs.items() if m.hub in hubs]
    if m.demands is not None:
        wanted = set(m.demands)
        return [r for r, d in ctx.route_demand.items() if d in wanted]
    return list(ctx.route_demand)


def _mode_share(s: Summary, routes: list[str], m: ModeShare, ctx: _Context) -> float:
    total = sum(s.routes[r].delivered_teu for r in routes)
    if total <= 0:
        return math.nan
    if m.basis == "uses_mode":
        counted = [r for r in routes if m.mode in ctx.route_leg_modes[r]]
    else:
        counted = [r for r in routes if ctx.route_mode[r] == m.mode]
    return sum(s.routes[r].delivered_teu for r in counted) / total


def _transit_routes(t: TransitDays, ctx: _Context) -> list[str]:
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


def _checks_of(
    stats: StatisticsFile,
    summaries: Sequence[Summary],
    ctx: _Context,
    tol: Tolerances,
) -> list[Check]:
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


def compare_with_statistics(
    result: ExperimentResult,
    loaded: LoadedScenario,
    statistics: Sequence[tuple[StatisticsFile, Path]],
    tolerances: Tolerances,
) -> ValidationResult:
    """Compare a simulation of ``loaded`` with published statistics.

    Parameters
    ----------
    result
        The simulation of the scenario (any number of replications).
    loaded
        The scenario it simulated.
    statistics
        The statistics files and their paths (:func:`load_scenario_statistics`).
    tolerances
        The tolerance policy.
    """
    ctx = _Context(result.network, loaded)
    checks: list[Check] = []
    for stats, _ in statistics:
        checks.extend(_checks_of(stats, result.summaries, ctx, tolerances))
    return ValidationResult(
        scenario_id=loaded.scenario.id,
        checks=tuple(checks),
        statistics_files=tuple(p for _, p in statistics),
        tolerances=tolerances,
        result=result,
    )


def tolerances_for(statistics_dir: str | Path | None) -> Tolerances:
    """The tolerance policy: ``tolerances.toml`` of ``statistics_dir`` if it has one,
    else that of ``data_dir("statistics")``, else the one shipped beside the source.

    Raises
    ------
    DataFileError
        If none exists (naming the first place looked) or the file is invalid.
    """
    places = [Path(statistics_dir)] if statistics_dir is not None else []
    places += [data_dir("statistics"), shipped_dir("statistics")]
    for folder in places:
        if (folder / TOLERANCES_FILE).is_file():
            return load_tolerances(folder / TOLERANCES_FILE)
    return load_tolerances(places[0] / TOLERANCES_FILE)  # raises: does not exist


@dataclass(frozen=True)
class CheckedStatistics:
    """A scenario and its statistics, loaded and cross-checked, not yet simulated.

    Attributes
    ----------
    loaded
        The scenario.
    statistics
        Its statistics files and their paths.
    tolerances
        The tolerance policy in force.
    """

    loaded: LoadedScenario
    statistics: tuple[tuple[StatisticsFile, Path], ...]
    tolerances: Tolerances

    @property
    def figures(self) -> int:
        """Number of published figures (one check each)."""
        n = 0
        for stats, _ in self.statistics:
            n += sum(1 + (h.t is not None) for h in stats.hub_throughput)
            n += sum(
                (v.teu is not None) + (v.trains is not None or v.sailings is not None)
                for v in stats.service_volume
            )
            n += len(stats.mode_share) + len(stats.transit_days)
        return n


def check_statistics(
    path: str | Path,
    *,
    hubs_dir: str | Path | None = None,
    statistics_dir: str | Path | None = None,
) -> CheckedStatistics:
    """Load a scenario, the statistics its ``[validation]`` names and the tolerances,
    and check them against each other, without simulating.

    Raises
    ------
    DataFileError
        For an invalid scenario, a scenario without ``[validation]``, an invalid or
        contradictory statistics file (:mod:`freighthub.model.statistics`) or an
        invalid tolerance policy.
    """
    loaded = load_scenario(path, hubs_dir)
    if loaded.scenario.validation is None:
        raise DataFileError(
            path,
            "required by validate-model: add [validation] with year and statistics = [ids]",
            "validation",
        )
    statistics = load_scenario_statistics(loaded, statistics_dir)
    return CheckedStatistics(loaded, statistics, tolerances_for(statistics_dir))


def validate_model(
    path: str | Path,
    *,
    seed: int | None = None,
    replications: int | None = None,
    hubs_dir: str | Path | None = None,
    statistics_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Simulate a scenario and compare it with the published statistics it names.

    The statistics are loaded and checked before the simulation runs, so bad input
    fails at once.

    Parameters
    ----------
    path
        Scenario file with a ``[validation]`` table.
    seed, replications
        Override the scenario's ``[experiment]`` values.
    hubs_dir
        Folder of hub files (default: the shipped ``hubs/``).
    statistics_dir
        Folder of statistics files (default ``data_dir("statistics")``); its
        ``tolerances.toml`` if it has one, else the shipped one.
    progress
        Called after each replication with ``(done, total)``.

    Raises
    ------
    DataFileError
        For an invalid scenario, a scenario without ``[validation]``, an invalid or
        contradictory statistics file (:mod:`freighthub.model.statistics`).
    """
    checked = check_statistics(path, hubs_dir=hubs_dir, statistics_dir=statistics_dir)
    result = run_scenario(
        path, seed=seed, replications=replications, hubs_dir=hubs_dir, progress=progress
    )
    return compare_with_statistics(result, checked.loaded, checked.statistics, checked.tolerances)
