"""The Parquet event tables of a simulation result: journeys and trips (issue #20: streamed).

:func:`journeys_table` (one row per container) and :func:`trips_table` (one row per
train or barge departure) of one replication as Arrow tables; :func:`journey_pieces`
and :func:`stream_parquet` write ``journeys.parquet`` a piece of
:data:`JOURNEY_ROWS` containers at a time, so a national year's millions of rows never
sit in memory as one table. :mod:`freighthub.sim.output` writes the result folder.
Times are in hours [h] from the start of the scenario.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from freighthub.sim.network import (
    Arrivals,
    CompiledNetwork,
    EngineResult,
    mode_codes,
    visit_column,
)

if TYPE_CHECKING:
    from freighthub.sim.estimates import ExperimentResult

__all__ = ["JOURNEY_ROWS", "journey_pieces", "journeys_table", "stream_parquet", "trips_table"]


#: Containers per piece of ``journeys.parquet`` (memory: one piece's table at a time;
#: each piece is a row group, at most pyarrow's default row group size).
JOURNEY_ROWS = 1 << 20


def journey_pieces(result: ExperimentResult) -> Iterator[pa.Table]:
    """The journeys of every run in pieces of :data:`JOURNEY_ROWS` containers (one piece,
    empty, for a run without containers)."""
    for r in result.runs:
        n = r.arrivals.n
        for a in range(0, max(n, 1), JOURNEY_ROWS):
            yield journeys_table(
                result.network, r.arrivals, r.result, r.index, slice(a, a + JOURNEY_ROWS)
            )


def stream_parquet(path: Path, pieces: Iterable[pa.Table], metadata: dict[bytes, bytes]) -> None:
    """Write ``pieces`` (same columns) as one new Parquet file, a piece at a time, and
    flush it to disk (inside an :func:`~freighthub.atomic.atomic_directory` block)."""
    writer: pq.ParquetWriter | None = None
    try:
        for piece in pieces:
            piece = piece.replace_schema_metadata(metadata)
            if writer is None:
                writer = pq.ParquetWriter(str(path), piece.schema)
            writer.write_table(piece.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def journeys_table(
    network: CompiledNetwork,
    arrivals: Arrivals,
    result: EngineResult,
    replication: int,
    rows: slice | None = None,
) -> pa.Table:
    """Per-container journeys of one replication as an Arrow table.

    Columns: ``replication``, ``container``, ``od``, ``route_assigned``, ``route``,
    ``main_mode``, ``teu``, ``mass_t``, ``loaded``, ``arrival_h``, ``ready_h``,
    ``departure_h``, ``delivered_h``, ``door_to_door_h``, ``yard_hold_h``,
    ``left_behind``, ``diverted``, ``counted`` (arrived after the warm-up), and per
    handling visit ``k``: ``visit{k}_hub``, ``visit{k}_wait_h``, ``visit{k}_handling_h``.
    ``rows`` (a step-1 slice of the containers) gives those rows only, the same values
    (:func:`write_outputs` streams the table in such pieces).
    """
    a, b, _ = (rows or slice(None)).indices(arrivals.n)
    b = max(a, b)

    def part(x: Any) -> Any:
        return x[a:b]

    routes = network.routes
    route_ids = np.asarray(routes.ids, dtype=object)
    od_ids = np.asarray(network.demand.ids, dtype=object)
    modes = np.asarray(list(mode_codes()), dtype=object)
    route = part(result.route)
    n_visits = np.diff(routes.visit_start)[route]
    arrival, delivered = part(result.arrival_h), part(result.delivered_h)
    cols: dict[str, Any] = {
        "replication": np.full(b - a, replication, dtype=np.int32),
        "container": np.arange(a, b, dtype=np.int64),
        "od": od_ids[part(arrivals.od)],
        "route_assigned": route_ids[part(arrivals.route)],
        "route": route_ids[route],
        "main_mode": modes[routes.main_mode[route]],
        "teu": part(arrivals.teu).astype(np.int8),
        "mass_t": part(arrivals.mass_t),
        "loaded": part(arrivals.loaded),
        "arrival_h": arrival,
        "ready_h": part(result.ready_h),
        "departure_h": part(result.departure_h),
        "delivered_h": delivered,
        "door_to_door_h": delivered - arrival,
        "yard_hold_h": part(result.yard_hold_h),
        "left_behind": part(result.left_behind).astype(np.int32),
        "diverted": part(result.diverted),
        "counted": part(arrivals.time_h) >= network.warmup_h,
    }
    hub_ids = np.asarray((*network.hubs.ids, ""), dtype=object)
    offset = result.visit_offset[a : b + 1]  # (absolute rows: a piece's offsets as they are)
    for k in range(routes.max_visits):  # (the same columns whichever routes ran)
        has = k < n_visits
        g = np.where(has, routes.visit_start[route] + k, 0)
        hub = np.where(has, routes.visit_hub[g] if routes.visit_hub.size else -1, -1)
        cols[f"visit{k}_hub"] = hub_ids[hub]
        cols[f"visit{k}_wait_h"] = visit_column(result.visit_wait_h, offset, k)
        cols[f"visit{k}_handling_h"] = visit_column(result.visit_handling_h, offset, k)
    return pa.table(cols)


def trips_table(network: CompiledNetwork, result: EngineResult, replication: int) -> pa.Table:
    """Per-vehicle trips (train and barge departures) of one replication as an Arrow table.

    ``teu``, ``mass_t`` and ``boxes`` are the traced boxes', ``background_teu`` the
    background traffic's (0 without any); ``load_factor_share`` counts both.
    """
    svc = network.services
    ids = np.asarray(svc.ids, dtype=object)
    modes = np.asarray(list(mode_codes()), dtype=object)
    hubs = np.asarray(network.hubs.ids, dtype=object)
    k = result.trip_service
    cap = result.trip_capacity_teu
    bg = result.background.trip_teu if result.background is not None else np.zeros(k.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        load = np.where(cap > 0, (result.trip_teu + bg) / cap, np.nan)
    return pa.table(
        {
            "replication": np.full(k.size, replication, dtype=np.int32),
            "service": ids[k] if k.size else np.zeros(0, dtype=object),
            "mode": modes[svc.mode[k]] if k.size else np.zeros(0, dtype=object),
            "origin": hubs[svc.origin[k]] if k.size else np.zeros(0, dtype=object),
            "destination": hubs[svc.destination[k]] if k.size else np.zeros(0, dtype=object),
            "departure_h": result.trip_departure_h,
            "arrival_h": result.trip_arrival_h,
            "teu": result.trip_teu,
            "background_teu": bg,
            "mass_t": result.trip_mass_t,
            "boxes": result.trip_boxes,
            "capacity_teu": cap,
            "load_factor_share": load,
            "distance_km": svc.distance_km[k] if k.size else np.zeros(0),
        }
    )
