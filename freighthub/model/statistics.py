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
  the scenario's ``[validation].year`` (so also from another statistics file's year);
  an unknown hub, service, demand, node, border crossing or mode; ``trains`` on a
  service that is not rail, ``sailings`` on one that is; and, when the scenario
  declares background traffic, a published hub throughput below the hub's traced
  plus background TEU a year (:func:`check_published_totals`).

The schema (field types and the rules within one file) is
:mod:`freighthub.model.statistics_schema`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from freighthub.errors import DataFileError
from freighthub.model.files import id_is_file_name, read_toml, unknown_value, validate
from freighthub.model.paths import data_dir
from freighthub.model.scenario import LoadedScenario
from freighthub.model.scenario_schema import Scenario
from freighthub.model.statistics_schema import (
    HubThroughput,
    ModeShare,
    ServiceVolume,
    StatisticsFile,
    Tolerance,
    Tolerances,
    TransitDays,
)
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
    "check_published_totals",
    "declares_background",
    "load_scenario_statistics",
    "load_statistics",
    "load_tolerances",
    "scenario_ids",
    "yearly_hub_teu",
]

#: File name of the tolerance policy in a statistics folder (not a statistics file).
TOLERANCES_FILE = "tolerances.toml"


def load_statistics(path: str | Path) -> StatisticsFile:
    """Load and validate one statistics file; its ``id`` must equal the file name.

    Raises
    ------
    DataFileError
        For a missing or invalid file or a broken per-file rule (see the module).
    """
    p = Path(path)
    stats = validate(StatisticsFile, read_toml(p), p)
    id_is_file_name(p, stats.id)
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
    return unknown_value(p, field, value, f"{kind} of the scenario", valid)


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


def yearly_hub_teu(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Traced and background TEU a year each hub handles, by the scenario's inputs.

    Traced: every demand's ``teu_per_year`` x route share, counted once per handling
    visit (the load before and the unload after each service leg), as port statistics
    count lifts. Background (when the scenario declares it): each
    ``[[background_hub_flows]]`` entry's ``teu_per_year`` at its hub, and each
    ``[[background_service_flows]]`` entry's at both ends of its service.

    Returns
    -------
    dict
        Hub id -> ``(traced, background)`` [TEU/year].
    """
    traced = dict.fromkeys(scenario.hubs, 0.0)
    background = dict.fromkeys(scenario.hubs, 0.0)
    services = {v.id: v for v in scenario.services}
    for d in scenario.demand:
        for route in d.routes:
            teu = d.teu_per_year.value * route.share.value
            for leg in route.legs:
                if leg.service is not None and leg.service in services:
                    v = services[leg.service]
                    for hub in (v.from_, v.to):
                        if hub in traced:
                            traced[hub] += teu
    for flow in scenario.background_hub_flows:
        if flow.hub in background:
            background[flow.hub] += flow.teu_per_year.value
    for lot in scenario.background_service_flows:
        carrier = services.get(lot.service)
        if carrier is not None:
            for hub in (carrier.from_, carrier.to):
                if hub in background:
                    background[hub] += lot.teu_per_year.value
    return {h: (traced[h], background[h]) for h in scenario.hubs}


def declares_background(scenario: Scenario) -> bool:
    """True if the scenario has background hub or service flows."""
    return bool(scenario.background_hub_flows or scenario.background_service_flows)


def check_published_totals(stats: StatisticsFile, p: Path, scenario: Scenario) -> None:
    """Refuse a published hub throughput below the scenario's traced plus background TEU.

    Applies only to a scenario that declares background traffic: its background is
    meant to fill each hub up to the published total, so traced plus background
    above it contradicts the statistics.

    Raises
    ------
    DataFileError
        Naming the statistics file, the ``hub_throughput[i].teu`` field, the value and
        the scenario's traced and background TEU.
    """
    if not declares_background(scenario):
        return
    volumes = yearly_hub_teu(scenario)
    for i, h in enumerate(stats.hub_throughput):
        traced, background = volumes.get(h.hub, (0.0, 0.0))
        if traced + background > h.teu.value:
            raise DataFileError(
                p,
                f"below the scenario's traced {traced:,.0f} + background {background:,.0f}"
                f" = {traced + background:,.0f} TEU/year at {h.hub}: the published total"
                " must hold both",
                f"hub_throughput[{i}].teu",
                h.teu.value,
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
        check_published_totals(stats, p, loaded.scenario)
        out.append((stats, p))
    return tuple(out)
