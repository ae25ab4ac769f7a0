"""Published statistics: ``statistics/*.toml`` loaded into frozen, validated models.

A statistics file holds figures published for one year (hub throughputs, service and
corridor volumes, mode shares, transit times), each a
:class:`~freighthub.model.sourced.Sourced` value with its source and confidence. A
scenario names the files it is validated against in its ``[validation]`` table (ids
looked up in ``data_dir("statistics")``); ``freighthub validate-model`` compares the
simulated figures with them under the tolerances of ``statistics/tolerances.toml``.
The format is documented in ``docs/data-formats.md``.

Rules checked here, each refused with one line ``file: field = value: rule``:

- per file: a share above 1; the shares of one subject summing above 1; a transit
  range whose low is above its high; a volume entry with no figure; a subject given
  twice or not at all;
- against the scenario (:func:`load_scenario_statistics`): a year that differs from
  the scenario's ``[validation].year`` or from another statistics file's year; an
  unknown hub, service, demand, node, border crossing or mode; ``trains`` on a
  service that is not rail, ``sailings`` on one that is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    HubId,
    Id,
    NonNegativeFloat,
    PositiveFloat,
    Share,
    Text,
    exactly_one,
)
from freighthub.model.files import read_toml, validate
from freighthub.model.paths import data_dir
from freighthub.model.scenario import LoadedScenario
from freighthub.model.sourced import Sourced
from freighthub.vocabulary import Mode, mode_ids

__all__ = [
    "TOLERANCES_FILE",
    "HubThroughput",
    "ModeShare",
    "ScenarioIds",
    "ServiceVolume",
    "StatisticsFile",
    "Tolerance",
    "Tolerances",
    "TransitDays",
    "check_against",
    "load_scenario_statistics",
    "load_statistics",
    "load_tolerances",
    "scenario_ids",
]

#: File name of the tolerance policy in a statistics folder (not a statistics file).
TOLERANCES_FILE = "tolerances.toml"

Year = Annotated[int, Field(ge=1900, le=2100)]
DayRange = Annotated[tuple[NonNegativeFloat, NonNegativeFloat], Field(min_length=2, max_length=2)]


class HubThroughput(Frozen):
    """Published container throughput of a hub in the file's year.

    ``teu`` [TEU/year] and optionally ``t`` [t/year]: everything the hub handled
    (the model's ``handled_teu``/``handled_t``, annualised).
    """

    hub: Id
    teu: Sourced[PositiveFloat]
    t: Sourced[PositiveFloat] | None = None


class ServiceVolume(Frozen):
    """Published volume of one service, a set of services or a border crossing.

    Exactly one subject: ``service`` (a service id), ``services`` (several, summed)
    or ``border_crossing`` (every rail service of the scenario that queues at it).
    At least one figure: ``teu`` [TEU/year], ``trains`` (rail departures per year) or
    ``sailings`` (waterborne departures per year).
    """

    name: Id | None = None
    service: Id | None = None
    services: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    border_crossing: Id | None = None
    teu: Sourced[PositiveFloat] | None = None
    trains: Sourced[PositiveFloat] | None = None
    sailings: Sourced[PositiveFloat] | None = None

    @model_validator(mode="after")
    def _one_subject_a_figure(self) -> ServiceVolume:
        exactly_one(self, ("service", "services", "border_crossing"), "subject")
        if self.teu is None and self.trains is None and self.sailings is None:
            raise FieldRule("teu", "give at least one of teu, trains or sailings")
        if self.trains is not None and self.sailings is not None:
            raise FieldRule("sailings", "give trains (rail) or sailings (waterborne), not both")
        return self

    @property
    def subject(self) -> str:
        """The subject as shown in tables: ``name``, else the service id(s) or crossing."""
        if self.name is not None:
            return self.name
        if self.service is not None:
            return self.service
        if self.services is not None:
            return "+".join(self.services)
        return f"border crossing {self.border_crossing}"

    def service_ids(self, crossings: dict[str, str | None]) -> tuple[str, ...]:
        """The service ids the entry sums over.

        Parameters
        ----------
        crossings
            Border crossing of each service of the scenario, by service id.
        """
        if self.service is not None:
            return (self.service,)
        if self.services is not None:
            return self.services
        return tuple(s for s, c in crossings.items() if c == self.border_crossing)


class ModeShare(Frozen):
    """Published share of a mode in the flows of one subject.

    Exactly one subject: ``hub`` (the routes handled at the hub), ``demands`` (these
    demand ids) or ``corridor = true`` (every demand of the scenario). ``share`` is
    the share of the subject's delivered TEU whose route's main mode is ``mode``
    [0-1]; ``definition`` says in words what the publication counted.
    """

    hub: Id | None = None
    demands: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    corridor: Literal[True] | None = None
    mode: Text
    share: Sourced[Share]
    definition: Text

    @model_validator(mode="after")
    def _one_subject(self) -> ModeShare:
        exactly_one(self, ("hub", "demands", "corridor"), "subject")
        return self

    @property
    def subject_key(self) -> str:
        """The subject as one text (shares of one subject must sum to at most 1)."""
        if self.hub is not None:
            return f"hub {self.hub}"
        if self.demands is not None:
            return "demands " + "+".join(sorted(self.demands))
        return "corridor"


class TransitDays(Frozen):
    """Published door-to-door transit time range between two nodes [d].

    ``days.value = [low, high]``. The model figure is the mean door-to-door time of
    the delivered boxes of the demands from ``from`` to ``to`` (or of ``demands``).
    """

    from_: Annotated[Id, Field(alias="from")]
    to: Id
    demands: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    days: Sourced[DayRange]

    @model_validator(mode="after")
    def _low_not_above_high(self) -> TransitDays:
        low, high = self.days.value
        if low > high:
            raise FieldRule("days", f"low {low:g} must be <= high {high:g}", list(self.days.value))
        return self

    @property
    def subject(self) -> str:
        """``from -> to``."""
        return f"{self.from_} -> {self.to}"


class StatisticsFile(Frozen):
    """One statistics file: published figures of one year (see the module docstring)."""

    id: HubId
    year: Year
    description: Text | None = None
    hub_throughput: tuple[HubThroughput, ...] = ()
    service_volume: tuple[ServiceVolume, ...] = ()
    mode_share: tuple[ModeShare, ...] = ()
    transit_days: tuple[TransitDays, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> StatisticsFile:
        if not (self.hub_throughput or self.service_volume or self.mode_share or self.transit_days):
            raise FieldRule(
                "hub_throughput",
                "the file holds no figure: give [[hub_throughput]], [[service_volume]],"
                " [[mode_share]] or [[transit_days]]",
            )
        seen: dict[str, int] = {}
        for i, h in enumerate(self.hub_throughput):
            if h.hub in seen:
                raise FieldRule(
                    f"hub_throughput[{i}].hub", f"given twice (also [{seen[h.hub]}])", h.hub
                )
            seen[h.hub] = i
        totals: dict[str, float] = {}
        for i, m in enumerate(self.mode_share):
            totals[m.subject_key] = totals.get(m.subject_key, 0.0) + m.share.value
            if totals[m.subject_key] > 1.0 + _SHARE_SUM_TOLERANCE:
                raise FieldRule(
                    f"mode_share[{i}].share",
                    f"shares of {m.subject_key} sum to {totals[m.subject_key]:.4g}: must be <= 1",
                    m.share.value,
                )
        return self


#: Rounding allowed when shares of one subject are summed [-].
_SHARE_SUM_TOLERANCE = 1e-9


class Tolerance(Frozen):
    """How close the model must come to one kind of figure.

    ``relative``: ``|model - published| <= relative x published``; ``absolute``:
    ``|model - published| <= absolute`` (in the figure's unit); ``range``: the model
    lies within the published range (no number).
    """

    relative: Sourced[PositiveFloat] | None = None
    absolute: Sourced[PositiveFloat] | None = None
    rule: Literal["within_published_range"] | None = None

    @model_validator(mode="after")
    def _one(self) -> Tolerance:
        exactly_one(self, ("relative", "absolute", "rule"), "tolerance")
        return self


class Tolerances(Frozen):
    """The tolerance policy: one :class:`Tolerance` per kind of figure."""

    id: HubId
    description: Text | None = None
    hub_throughput: Tolerance
    service_volume: Tolerance
    mode_share: Tolerance
    transit_days: Tolerance


def load_statistics(path: str | Path) -> StatisticsFile:
    """Load and validate one statistics file; its ``id`` must equal the file name.

    Raises
    ------
    DataFileError
        For a missing or invalid file or a broken per-file rule (see the module).
    """
    p = Path(path)
    stats = validate(StatisticsFile, read_toml(p), p)
    if stats.id != p.stem:
        raise DataFileError(p, f"must equal the file name {p.stem!r}", "id", stats.id)
    return stats


def load_tolerances(path: str | Path | None = None) -> Tolerances:
    """Load the tolerance policy (default ``data_dir("statistics")/tolerances.toml``).

    Raises
    ------
    DataFileError
        For a missing or invalid file.
    """
    p = Path(path) if path is not None else data_dir("statistics") / TOLERANCES_FILE
    return validate(Tolerances, read_toml(p), p)


@dataclass(frozen=True)
class ScenarioIds:
    """The ids of a scenario that statistics may name (for the cross-check).

    Attributes
    ----------
    hubs, services, demands, nodes
        Hub, service, demand and node (hub or zone) ids.
    service_modes
        Mode of each service, by id.
    service_crossings
        Border crossing of each service (or None), by id.
    demand_ends
        ``(from, to)`` of each demand, by id.
    """

    hubs: frozenset[str]
    services: frozenset[str]
    demands: frozenset[str]
    nodes: frozenset[str]
    service_modes: dict[str, str]
    service_crossings: dict[str, str | None]
    demand_ends: dict[str, tuple[str, str]]


def _unknown(p: Path, field: str, value: str, kind: str, valid: Iterable[str]) -> DataFileError:
    shown = ", ".join(sorted(valid)) or "(none)"
    return DataFileError(p, f"unknown {kind} of the scenario; valid: {shown}", field, value)


def check_against(stats: StatisticsFile, p: Path, ids: ScenarioIds) -> None:
    """Check that every id a statistics file names exists in the scenario.

    Raises
    ------
    DataFileError
        Naming the first unknown hub, service, demand, node, border crossing or
        mode, a transit pair no demand runs, or ``trains``/``sailings`` on a service
        of the wrong mode.
    """
    for i, h in enumerate(stats.hub_throughput):
        if h.hub not in ids.hubs:
            raise _unknown(p, f"hub_throughput[{i}].hub", h.hub, "hub", ids.hubs)
    crossings = {c for c in ids.service_crossings.values() if c is not None}
    for i, v in enumerate(stats.service_volume):
        where = f"service_volume[{i}]"
        if v.border_crossing is not None and v.border_crossing not in crossings:
            raise _unknown(
                p, f"{where}.border_crossing", v.border_crossing, "border crossing", crossings
            )
        for j, s in enumerate(v.service_ids(ids.service_crossings)):
            field = f"{where}.service" if v.service is not None else f"{where}.services[{j}]"
            if s not in ids.services:
                raise _unknown(p, field, s, "service", ids.services)
            mode = ids.service_modes[s]
            if v.trains is not None and mode != Mode.RAIL:
                raise DataFileError(
                    p, f"trains are for rail services; {s!r} is {mode}", f"{where}.trains",
                    v.trains.value,
                )  # fmt: skip
            if v.sailings is not None and mode == Mode.RAIL:
                raise DataFileError(
                    p, f"sailings are for waterborne services; {s!r} is rail",
                    f"{where}.sailings", v.sailings.value,
                )  # fmt: skip
    for i, m in enumerate(stats.mode_share):
        if m.mode not in mode_ids():
            raise _unknown(p, f"mode_share[{i}].mode", m.mode, "mode", mode_ids())
        if m.hub is not None and m.hub not in ids.hubs:
            raise _unknown(p, f"mode_share[{i}].hub", m.hub, "hub", ids.hubs)
        for j, d in enumerate(m.demands or ()):
            if d not in ids.demands:
                raise _unknown(p, f"mode_share[{i}].demands[{j}]", d, "demand", ids.demands)
    for i, t in enumerate(stats.transit_days):
        for end, node in (("from", t.from_), ("to", t.to)):
            if node not in ids.nodes:
                raise _unknown(p, f"transit_days[{i}].{end}", node, "hub or zone", ids.nodes)
        for j, d in enumerate(t.demands or ()):
            if d not in ids.demands:
                raise _unknown(p, f"transit_days[{i}].demands[{j}]", d, "demand", ids.demands)
        if t.demands is None and (t.from_, t.to) not in set(ids.demand_ends.values()):
            raise DataFileError(
                p, "no demand of the scenario runs from 'from' to 'to'; name them in demands",
                f"transit_days[{i}].to", t.to,
            )  # fmt: skip


def scenario_ids(loaded: LoadedScenario) -> ScenarioIds:
    """The ids of a loaded scenario that statistics may name."""
    s = loaded.scenario
    return ScenarioIds(
        hubs=frozenset(s.hubs),
        services=frozenset(v.id for v in s.services),
        demands=frozenset(d.id for d in s.demand),
        nodes=frozenset(s.hubs) | {z.id for z in s.zones},
        service_modes={v.id: v.mode for v in s.services},
        service_crossings={v.id: v.border_crossing for v in s.services},
        demand_ends={d.id: (d.from_, d.to) for d in s.demand},
    )


def load_scenario_statistics(
    loaded: LoadedScenario, statistics_dir: str | Path | None = None
) -> tuple[tuple[StatisticsFile, Path], ...]:
    """Load the statistics files a scenario names and check them against it.

    Parameters
    ----------
    loaded
        The loaded scenario; its ``[validation]`` table names the statistics ids and
        the year (no table: no statistics, an empty tuple).
    statistics_dir
        Folder of statistics files (default ``data_dir("statistics")``).

    Returns
    -------
    tuple
        ``(statistics file, its path)`` in the scenario's order.

    Raises
    ------
    DataFileError
        For a missing or invalid file, an id named twice, a year that differs from
        the scenario's or another file's, or an unknown id (:func:`check_against`).
    """
    validation = loaded.scenario.validation
    if validation is None:
        return ()
    scenario_path = loaded.path
    ids = scenario_ids(loaded)
    year = validation.year
    folder = Path(statistics_dir) if statistics_dir is not None else data_dir("statistics")
    out: list[tuple[StatisticsFile, Path]] = []
    for i, sid in enumerate(validation.statistics):
        field = f"validation.statistics[{i}]"
        if sid in {s.id for s, _ in out}:
            raise DataFileError(scenario_path, "names a statistics file twice", field, sid)
        p = folder / f"{sid}.toml"
        if not p.is_file():
            shipped = sorted(
                f.stem for f in folder.glob("*.toml") if f.name != TOLERANCES_FILE
            ) if folder.is_dir() else []  # fmt: skip
            shown = ", ".join(shipped) or "(none)"
            raise DataFileError(
                scenario_path, f"no such file {p}; statistics in {folder}: {shown}", field, sid
            )
        stats = load_statistics(p)
        if stats.year != year:
            raise DataFileError(
                p, f"differs from the scenario's validation.year = {year} ({scenario_path})",
                "year", stats.year,
            )  # fmt: skip
        check_against(stats, p, ids)
        out.append((stats, p))
    return tuple(out)
