"""Model validation: a simulated scenario against the published statistics it names.

:func:`validate_model` loads a scenario, the statistics files its ``[validation]``
names (:mod:`freighthub.model.statistics`) and the tolerance policy
(``statistics/tolerances.toml``), checks them against each other, simulates and
compares: one :class:`~freighthub.calibrate.validation_checks.Check` per published
figure, computed in :mod:`freighthub.calibrate.validation_checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freighthub.calibrate.validation_checks import Check, FigureContext, checks_of
from freighthub.errors import DataFileError
from freighthub.frames import data_frame
from freighthub.model.paths import data_dir, shipped_dir
from freighthub.model.scenario import LoadedScenario, load_scenario
from freighthub.model.statistics import (
    TOLERANCES_FILE,
    StatisticsFile,
    Tolerances,
    load_scenario_statistics,
    load_tolerances,
)
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.experiment import Progress, run_scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CheckedStatistics",
    "ValidationResult",
    "check_statistics",
    "compare_with_statistics",
    "validate_model",
]


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
    ctx = FigureContext(result.network, loaded)
    checks: list[Check] = []
    for stats, _ in statistics:
        checks.extend(checks_of(stats, result.summaries, ctx, tolerances))
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
