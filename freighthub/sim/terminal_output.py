"""Terminal operations in the result files and ``--json`` (issue #19).

Only for a scenario with a terminal model (``SummaryEstimate.terminal`` set); the
other outputs are unchanged. :func:`terminal_headline` is the ``terminal`` part of
``freighthub simulate --json``; :func:`terminal_csv` the planner's tables
``terminal_pools.csv``, ``terminal_hubs.csv``, ``terminal_routes.csv`` (one row per
pool, hub or route, each figure with its 95 % t-interval); :func:`pool_jobs_table` and :func:`yard_table` the raw
records of every replication (``terminal_jobs.parquet``, ``yard.parquet``).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import fields
from typing import Any

import numpy as np
import pyarrow as pa

from freighthub.frames import finite_or_none
from freighthub.sim.estimates import (
    Estimate,
    PoolEstimate,
    TerminalEstimate,
    TerminalHubEstimate,
    TerminalRouteEstimate,
)
from freighthub.sim.network import CompiledNetwork
from freighthub.sim.terminal import MOVE_CLASSES, MOVE_KINDS, TerminalRecords
from freighthub.sim.terminal_stats import pool_layout

__all__ = [
    "pool_jobs_table",
    "terminal_csv",
    "terminal_headline",
    "yard_table",
]


def _ci(e: Estimate) -> list[float] | None:
    if math.isnan(e.ci95_low):
        return None
    return [e.ci95_low, e.ci95_high]


def _figures(e: PoolEstimate | TerminalHubEstimate | TerminalRouteEstimate) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(e):
        est: Estimate = getattr(e, f.name)
        out[f.name] = finite_or_none(est.mean)
        out[f"{f.name}_ci95"] = _ci(est)
    return out


def terminal_headline(est: TerminalEstimate) -> dict[str, Any]:
    """``{"pools": {id: figures}, "hubs": {id: figures}}``: each figure's mean over
    replications and ``<figure>_ci95`` its 95 % t-interval (``None`` with one
    replication or without a value)."""
    return {
        "pools": {pid: _figures(p) for pid, p in est.pools.items()},
        "hubs": {hid: _figures(h) for hid, h in est.hubs.items()},
        "routes": {rid: _figures(r) for rid, r in est.routes.items()},
    }


def _table(key: str, rows: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    first: Any = next(iter(rows.values()), None)
    names = [] if first is None else [f.name for f in fields(first)]
    header = [key]
    for name in names:
        unit = getattr(first, name).unit
        suffix = f" [{unit}]" if unit else ""
        header += [f"{name}{suffix}", f"{name}_ci95_low{suffix}", f"{name}_ci95_high{suffix}"]
    writer.writerow(header)
    for ident, row in rows.items():
        cells: list[Any] = [ident]
        for name in names:
            e: Estimate = getattr(row, name)
            cells += ["" if not math.isfinite(x) else x for x in (e.mean, e.ci95_low, e.ci95_high)]
        writer.writerow(cells)
    return buffer.getvalue()


def terminal_csv(est: TerminalEstimate) -> dict[str, str]:
    """File name -> CSV text: ``terminal_pools.csv`` and ``terminal_hubs.csv`` (header
    with units; empty cell for no value)."""
    return {
        "terminal_pools.csv": _table("pool", est.pools),
        "terminal_hubs.csv": _table("hub", est.hubs),
        "terminal_routes.csv": _table("route", est.routes),
    }


def pool_jobs_table(network: CompiledNetwork, rec: TerminalRecords, replication: int) -> pa.Table:
    """Every pool job of one replication: ``replication``, ``pool``, ``hub``, ``kind``,
    ``class``, ``container`` (-1 for background), ``arrival_h``, ``start_h``,
    ``end_h``, ``wait_h`` (NaN when not started before the horizon)."""
    assert network.terminal is not None
    ids, hub, _ = pool_layout(network.terminal, network.hubs)
    pool_ids = np.asarray(ids, dtype=object)
    hub_ids = np.asarray(network.hubs.ids, dtype=object)
    kinds = np.asarray(MOVE_KINDS, dtype=object)
    classes = np.asarray(MOVE_CLASSES, dtype=object)
    p = rec.job_pool
    return pa.table(
        {
            "replication": np.full(p.size, replication, dtype=np.int32),
            "pool": pool_ids[p] if p.size else np.zeros(0, dtype=object),
            "hub": hub_ids[hub[p]] if p.size else np.zeros(0, dtype=object),
            "kind": kinds[rec.job_kind] if p.size else np.zeros(0, dtype=object),
            "class": classes[rec.job_class] if p.size else np.zeros(0, dtype=object),
            "container": rec.job_box,
            "arrival_h": rec.job_arrival_h,
            "start_h": rec.job_start_h,
            "end_h": rec.job_end_h,
            "wait_h": rec.job_start_h - rec.job_arrival_h,
        }
    )


def yard_table(network: CompiledNetwork, rec: TerminalRecords, replication: int) -> pa.Table:
    """Every change of a hub's yard in one replication: ``replication``, ``hub``,
    ``time_h``, ``delta_teu`` and ``occupancy_teu`` after the change (empty at t = 0)."""
    hub_ids = np.asarray(network.hubs.ids, dtype=object)
    level = np.zeros(rec.yard_h.size)
    for h in np.unique(rec.yard_hub):
        mine = rec.yard_hub == h
        level[mine] = np.cumsum(rec.yard_delta_teu[mine])
    return pa.table(
        {
            "replication": np.full(rec.yard_h.size, replication, dtype=np.int32),
            "hub": hub_ids[rec.yard_hub] if rec.yard_h.size else np.zeros(0, dtype=object),
            "time_h": rec.yard_h,
            "delta_teu": rec.yard_delta_teu,
            "occupancy_teu": level,
        }
    )
