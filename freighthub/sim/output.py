"""Writing simulation results: summary, manifest and Parquet event tables (atomically).

A result folder holds ``summary.json`` (headline figures with 95 % intervals, every
figure per replication), ``manifest.json`` (tool version, seed, replications,
SHA-256 of every input file), ``journeys.parquet`` (one row per container per
replication), ``trips.parquet`` (one row per train or barge departure per
replication) and the planner's route table (:func:`route_rows`) as ``routes.csv``
and ``routes.xlsx``, and the hubs and services with their figures on a map as
``flows.geojson`` and ``flows.parquet`` (GeoParquet, :mod:`freighthub.sim.flows`); with
a terminal model also ``terminal_pools.csv``, ``terminal_hubs.csv``,
``terminal_jobs.parquet`` and ``yard.parquet`` (:mod:`freighthub.sim.terminal_output`).
Times are in hours [h] from the start of the scenario. The folder
appears whole or not at all (:func:`freighthub.atomic.atomic_directory`) and an
existing folder is replaced only with ``force``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from freighthub.atomic import atomic_directory, check_output, probe_output, write_staged
from freighthub.frames import finite_or_none
from freighthub.network.geoparquet import geoparquet_bytes
from freighthub.sim.estimates import (
    PER_TEU,
    Estimate,
    ExperimentResult,
    estimate,
    estimates_by_path,
    figure_unit,
    with_per_teu,
)
from freighthub.sim.event_tables import journey_pieces, stream_parquet, trips_table
from freighthub.sim.flows import flows_geojson, shipped_network_or_none
from freighthub.sim.routes import ROUTE_FIGURES, route_info
from freighthub.sim.summary import Summary, flatten
from freighthub.sim.terminal_output import (
    pool_jobs_table,
    terminal_csv,
    terminal_headline,
    yard_table,
)

__all__ = [
    "ROUTE_COLUMNS",
    "check_output_folder",
    "headline",
    "per_teu_estimates",
    "route_rows",
    "routes_csv",
    "routes_xlsx",
    "write_outputs",
]


def check_output_folder(out: str | Path, *, force: bool) -> None:
    """Refuse early (before simulating) if ``out`` exists and ``force`` is false.

    Raises
    ------
    ExistingResultError
        If ``out`` exists and ``force`` is false.
    OutputError
        If ``out`` is a file, or its folder is not writable.
    """
    check_output(out, folder=True, overwrite=force)
    probe_output(out)


#: The columns of the route table (``routes.csv``, ``routes.xlsx``, ``--json`` ``routes``)
#: with their units; means over replications, ``_ci95_low``/``_ci95_high`` the 95 %
#: t-interval of the mean (empty with one replication).
ROUTE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("od", ""),
    ("origin", ""),
    ("destination", ""),
    ("route", ""),
    ("main_mode", ""),
    ("arrived_teu", "TEU"),
    ("delivered_teu", "TEU"),
    ("door_to_door_mean_h", "h"),
    ("door_to_door_mean_h_ci95_low", "h"),
    ("door_to_door_mean_h_ci95_high", "h"),
    ("door_to_door_p95_h", "h"),
    ("price_cny_per_teu", "CNY/TEU"),
    ("price_cny_per_teu_ci95_low", "CNY/TEU"),
    ("price_cny_per_teu_ci95_high", "CNY/TEU"),
    ("emissions_kgco2e_wtw_per_teu", "kgCO2e/TEU"),
    ("emissions_kgco2e_wtw_per_teu_ci95_low", "kgCO2e/TEU"),
    ("emissions_kgco2e_wtw_per_teu_ci95_high", "kgCO2e/TEU"),
    ("on_time_share", "0-1"),
)

_ROUTE_CI = ("door_to_door_mean_h", "price_cny_per_teu", "emissions_kgco2e_wtw_per_teu")


def route_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    """The planner's route table: one row per route that any box travelled.

    Rows follow the network's route order (OD by OD); keys are the names of
    :data:`ROUTE_COLUMNS`; a figure without a value (no promise, nothing delivered,
    one replication for an interval) is ``None``, never invented. Means over
    replications of :class:`~freighthub.sim.routes.RouteSummary` figures.
    """
    info = route_info(result.network)
    rows: list[dict[str, Any]] = []
    for rid, e in result.estimates.routes.items():
        if not e.arrived_teu.mean > 0:
            continue
        i = info[rid]
        row: dict[str, Any] = {
            "od": i.od,
            "origin": i.origin,
            "destination": i.destination,
            "route": i.route,
            "main_mode": i.main_mode,
        }
        for name in ROUTE_FIGURES:
            figure: Estimate = getattr(e, name)
            row[name] = finite_or_none(figure.mean)
            if name in _ROUTE_CI:
                row[f"{name}_ci95_low"] = finite_or_none(figure.ci95_low)
                row[f"{name}_ci95_high"] = finite_or_none(figure.ci95_high)
        rows.append({name: row[name] for name, _ in ROUTE_COLUMNS})
    return rows


def _route_headers() -> list[str]:
    return [f"{name} [{unit}]" if unit else name for name, unit in ROUTE_COLUMNS]


def routes_csv(rows: list[dict[str, Any]]) -> str:
    """The route table as CSV text (header with units; empty cell for no value)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_route_headers())
    for row in rows:
        writer.writerow(["" if row[name] is None else row[name] for name, _ in ROUTE_COLUMNS])
    return buffer.getvalue()


def routes_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The route table as an Excel workbook (one sheet ``routes``; empty cell for no value)."""
    from openpyxl import Workbook  # imported here: only --out writes workbooks

    book = Workbook()
    sheet = book.active
    sheet.title = "routes"
    sheet.append(_route_headers())
    for row in rows:
        sheet.append([row[name] for name, _ in ROUTE_COLUMNS])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _json_text(obj: Any) -> str:
    from dataclasses import asdict, is_dataclass

    def clean(x: Any) -> Any:
        if is_dataclass(x) and not isinstance(x, type):
            return clean(asdict(x))
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        if isinstance(x, float) and not np.isfinite(x):
            return None
        if isinstance(x, np.generic):
            return clean(x.item())
        return x

    return json.dumps(clean(obj), ensure_ascii=False, indent=2) + "\n"


def write_outputs(result: ExperimentResult, out: str | Path, *, force: bool = False) -> Path:
    """Write the result folder (see the module docstring) atomically.

    Raises
    ------
    ExistingResultError
        If ``out`` exists and ``force`` is false.
    OutputError
        If the folder cannot be written (read-only, full disk, a file in the way).
    ValueError
        If the result holds no raw runs (run it with ``keep_runs=True``).
    """
    if not result.runs:
        raise ValueError("the result holds no raw runs: run with keep_runs=True to write Parquet")
    with atomic_directory(out, overwrite=force) as staging:
        summary = {
            "headline": headline(result),
            "replications": [_summary_json(s) for s in result.summaries],
            "estimates": {
                path: {"mean": e.mean, "ci95_low": e.ci95_low, "ci95_high": e.ci95_high, "n": e.n}
                for path, e in estimates_by_path(result.estimates).items()
            },
        }
        write_staged(staging / "summary.json", _json_text(summary))
        write_staged(staging / "manifest.json", _json_text(result.manifest))
        routes = route_rows(result)
        write_staged(staging / "routes.csv", routes_csv(routes))
        write_staged(staging / "routes.xlsx", routes_xlsx(routes))
        flows = flows_geojson(result, shipped_network_or_none())
        write_staged(staging / "flows.geojson", _json_text(flows))
        write_staged(staging / "flows.parquet", geoparquet_bytes(flows))
        trips = pa.concat_tables(
            [trips_table(result.network, r.result, r.index) for r in result.runs]
        )
        metadata = {
            b"freighthub.tool_version": result.manifest.tool_version.encode(),
            b"freighthub.seed": str(result.seed).encode(),
            b"freighthub.replications": str(result.replications).encode(),
            b"freighthub.inputs_sha256": json.dumps(result.manifest.inputs_sha256).encode(),
        }
        stream_parquet(staging / "journeys.parquet", journey_pieces(result), metadata)
        tables = [("trips", trips)]
        if result.estimates.terminal is not None:
            for name, text in terminal_csv(result.estimates.terminal).items():
                write_staged(staging / name, text)
            records = [(r.index, r.result.terminal) for r in result.runs]
            net = result.network
            tables += [
                (
                    name,
                    pa.concat_tables([make(net, rec, i) for i, rec in records if rec is not None]),
                )
                for name, make in (("terminal_jobs", pool_jobs_table), ("yard", yard_table))
            ]
        for name, table in tables:
            sink = pa.BufferOutputStream()
            pq.write_table(table.replace_schema_metadata(metadata), sink)
            write_staged(staging / f"{name}.parquet", memoryview(sink.getvalue()))
    return Path(out)


def _summary_json(s: Summary) -> dict[str, Any]:
    """One replication's summary for ``summary.json`` (no ``terminal`` key without one)."""
    out = asdict(s)
    if s.terminal is None:
        del out["terminal"]
    return out


def _ci(e: Estimate | None) -> list[float] | None:
    if e is None or math.isnan(e.ci95_low):
        return None
    return [e.ci95_low, e.ci95_high]


def _mean(e: Estimate | None) -> float:
    return math.nan if e is None else e.mean


def per_teu_estimates(result: ExperimentResult) -> dict[str, Estimate]:
    """The :data:`~freighthub.sim.estimates.PER_TEU` figures over replications.

    Ratios per replication, then their mean and interval, as ``compare`` and sweep
    summaries compute them: ``cost_cny_per_teu`` [CNY/TEU],
    ``emissions_kgco2e_wtw_per_teu`` and ``emissions_kgco2e_ttw_per_teu`` [kgCO2e/TEU].
    """
    rows = [with_per_teu(flatten(s)) for s in result.summaries]
    return {name: estimate([r[name] for r in rows], figure_unit(name)) for name in PER_TEU}


def headline(result: ExperimentResult) -> dict[str, Any]:
    """The headline figures of an experiment as a JSON-ready dict.

    Each figure is the mean over replications; ``<name>_ci95`` gives the 95 %
    t-interval ``[low, high]`` (``None`` with one replication). The figures are read
    by attribute from :attr:`ExperimentResult.estimates`, so the JSON keys are the
    names of :class:`~freighthub.sim.estimates.SummaryEstimate` fields.
    """
    est = result.estimates
    hubs = {
        hub_id: {
            "mean_wait_h": h.mean_wait_h.mean,
            "mean_wait_h_ci95": _ci(h.mean_wait_h),
            "utilisation": h.utilisation.mean,
            "utilisation_ci95": _ci(h.utilisation),
            "handled_teu": h.handled_teu.mean,
            "handled_teu_ci95": _ci(h.handled_teu),
            "traced_teu": h.traced_teu.mean,
            "background_teu": h.background_teu.mean,
            "emissions_kgco2e_wtw": h.emissions_kgco2e_wtw.mean,
        }
        for hub_id, h in est.hubs.items()
    }
    services = {
        sid: {
            "utilisation": s.utilisation.mean,
            "utilisation_ci95": _ci(s.utilisation),
            "teu": s.teu.mean,
            "background_teu": s.background_teu.mean,
        }
        for sid, s in est.services.items()
    }
    out: dict[str, Any] = {
        "scenario": result.network.scenario_id,
        "seed": result.seed,
        "replications": result.replications,
        "emission_pack": result.pack_id,
        "warmup_h": result.network.warmup_h,
        "horizon_h": result.network.horizon_h,
        "tool_version": result.manifest.tool_version,
        "inputs_sha256": dict(result.manifest.inputs_sha256),
    }
    figures = {
        "throughput_teu": est.throughput_teu,
        "throughput_t": est.throughput_t,
        "arrived_teu": est.arrived_teu,
        "delivered_teu": est.delivered_teu,
        "in_system_teu": est.in_system_teu,
        "diverted_boxes": est.diverted_boxes,
        "left_behind_boxes": est.left_behind_boxes,
        "cost_cny": est.cost_cny,
        "emissions_kgco2e_wtw": est.emissions_kgco2e_wtw,
        "emissions_kgco2e_ttw": est.emissions_kgco2e_ttw,
    }
    figures.update(per_teu_estimates(result))
    for name, e in figures.items():
        out[name] = e.mean
        out[f"{name}_ci95"] = _ci(e)
    out["emissions_ttw_complete"] = est.emissions_ttw_complete
    modes = list(est.modal_split_teu_share)
    groups = {
        "modal_split_teu_share": est.modal_split_teu_share,
        "modal_split_tkm_share": est.modal_split_tkm_share,
        "throughput_teu_by_mode": est.throughput_teu_by_mode,
    }
    for group, by_mode in groups.items():
        out[group] = {m: _mean(by_mode.get(m)) for m in modes}
        out[f"{group}_ci95"] = {m: _ci(by_mode.get(m)) for m in modes}
    out["door_to_door_h"] = {
        "mean": est.door_to_door_mean_h.mean,
        "mean_ci95": _ci(est.door_to_door_mean_h),
        "p50": est.door_to_door_p50_h.mean,
        "p50_ci95": _ci(est.door_to_door_p50_h),
        "p95": est.door_to_door_p95_h.mean,
        "p95_ci95": _ci(est.door_to_door_p95_h),
    }
    out["emissions_kgco2e_wtw_by_mode"] = {
        m: e.mean for m, e in est.emissions_kgco2e_wtw_by_mode.items()
    }
    out["hubs"] = hubs
    out["services"] = services
    out["routes"] = route_rows(result)
    if est.terminal is not None:
        out["terminal"] = terminal_headline(est.terminal)
    out["warnings"] = [
        {"code": w.code, "message": w.message, "subject": w.subject, "figures": w.figures}
        for w in result.warnings
    ]
    return out
