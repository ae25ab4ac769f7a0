"""Background traffic from a scenario, and its figures in a replication's summary.

:func:`compile_background` turns a scenario's background flows into the
:class:`~freighthub.sim.background.BackgroundArrays` of its compiled network;
:func:`background_hub_figures` and :func:`background_service_teu` count what the
engine did with them over the statistics window (clock in hours [h]). The rules are
in :mod:`freighthub.sim.background`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from freighthub.model.background_schema import BackgroundHubFlow, BackgroundServiceFlow
from freighthub.model.scenario_schema import Scenario
from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.background import BackgroundArrays, BackgroundFlowArrays
from freighthub.sim.demand_compiler import seasonality_rows
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult

__all__ = [
    "BackgroundHubFigures",
    "background_hub_figures",
    "background_service_teu",
    "compile_background",
]


def _flows(
    flows: Sequence[BackgroundHubFlow | BackgroundServiceFlow],
    targets: Sequence[int],
    batches: Sequence[int],
) -> BackgroundFlowArrays:
    seasonality = seasonality_rows(
        [f.seasonality.value if f.seasonality is not None else None for f in flows]
    )
    return BackgroundFlowArrays(
        ids=tuple(f.id for f in flows),
        target=np.array(targets, dtype=np.int64),
        teu_per_year=np.array([f.teu_per_year.value for f in flows], dtype=np.float64),
        box_40ft_share=np.array([f.box_40ft_share.value for f in flows], dtype=np.float64),
        batch=np.array(batches, dtype=np.int64),
        seasonality=seasonality,
    )


def compile_background(
    s: Scenario, hub_index: Mapping[str, int], service_index: Mapping[str, int]
) -> BackgroundArrays | None:
    """The background flows of a cross-checked scenario; ``None`` if it has none.

    Monthly factors are rescaled to a day-weighted mean of 1 (as for demand), so a
    year carries ``teu_per_year``.
    """
    hub_flows, service_flows = s.background_hub_flows, s.background_service_flows
    if not hub_flows and not service_flows:
        return None
    split = [1 if f.cranes_per_call is None else f.cranes_per_call.value for f in hub_flows]
    return BackgroundArrays(
        hub_flows=dataclasses.replace(
            _flows(
                hub_flows,
                [hub_index[f.hub] for f in hub_flows],
                [f.moves_per_call.value for f in hub_flows],
            ),
            split=np.array(split, dtype=np.int64),
            road_share=np.array(
                [0.0 if f.road_share is None else f.road_share.value for f in hub_flows],
                dtype=np.float64,
            ),
            trucks_per_job=np.array(
                [1 if f.trucks_per_job is None else f.trucks_per_job.value for f in hub_flows],
                dtype=np.int64,
            ),
        ),
        service_flows=_flows(
            service_flows,
            [service_index[f.service] for f in service_flows],
            [f.lot_teu.value for f in service_flows],
        ),
    )


@dataclass(frozen=True)
class BackgroundHubFigures:
    """Background figures per hub over the statistics window (arrays by hub index).

    Crane work only (calls, lot loads and unloads); background truck jobs are in the
    terminal records' gate and yard pools.

    Attributes
    ----------
    teu, moves
        Background TEU and moves handled: jobs that arrived at the pool in the window
        and started before the horizon [TEU], [moves].
    jobs
        Those jobs [count].
    wait_h
        Their summed queueing wait [h].
    busy_h
        Busy time of background jobs inside the window [h].
    """

    teu: FloatArray
    moves: FloatArray
    jobs: FloatArray
    wait_h: FloatArray
    busy_h: FloatArray

    def mean_wait_h(self, h: int) -> float:
        """Mean wait of a background job at hub ``h`` [h]; NaN without jobs."""
        return float(self.wait_h[h] / self.jobs[h]) if self.jobs[h] > 0 else math.nan


def background_hub_figures(
    network: CompiledNetwork, arrivals: Arrivals, result: EngineResult
) -> BackgroundHubFigures:
    """Background TEU, moves, waits and busy time per hub in ``[warmup_h, horizon_h)``."""
    n = network.hubs.n
    jobs, res = arrivals.background, result.background
    if jobs is None or res is None:
        zero = np.zeros(n)
        return BackgroundHubFigures(zero, zero, zero, zero, zero)
    lo, hi = network.warmup_h, network.horizon_h
    crane = np.concatenate([jobs.crane, np.ones(res.unload_hub.size, dtype=bool)])
    hub = np.concatenate([jobs.hub, res.unload_hub])
    arrival = np.concatenate([jobs.arrival_h, res.unload_arrival_h])
    start = np.concatenate([res.job_start_h, res.unload_start_h])
    service = np.concatenate([jobs.service_h, res.unload_service_h])
    teu = np.concatenate([jobs.teu, res.unload_teu])
    moves = np.concatenate([jobs.moves, res.unload_moves])
    started = crane & ~np.isnan(start)
    counted = started & (arrival >= lo) & (arrival < hi)
    overlap = np.clip(
        np.minimum(start[started] + service[started], hi) - np.maximum(start[started], lo),
        0.0,
        None,
    )

    def by_hub(rows: np.ndarray, weights: FloatArray) -> FloatArray:
        return np.bincount(hub[rows], weights=weights, minlength=n).astype(np.float64)

    return BackgroundHubFigures(
        teu=by_hub(counted, teu[counted]),
        moves=by_hub(counted, moves[counted]),
        jobs=by_hub(counted, np.ones(int(counted.sum()))),
        wait_h=by_hub(counted, start[counted] - arrival[counted]),
        busy_h=by_hub(started, overlap),
    )


def background_service_teu(
    network: CompiledNetwork, result: EngineResult
) -> tuple[FloatArray, IntArray]:
    """Per service, over departures in ``[warmup_h, horizon_h)``: the background TEU
    carried [TEU] and the departures that ran and carried nothing at all [count]."""
    n = network.services.n
    lo, hi = network.warmup_h, network.horizon_h
    trips = (result.trip_departure_h >= lo) & (result.trip_departure_h < hi)
    bg_teu = result.background.trip_teu if result.background is not None else 0.0 * result.trip_teu
    empty = trips & (result.trip_capacity_teu > 0) & (result.trip_teu <= 0) & (bg_teu <= 0)
    carried = np.bincount(result.trip_service[trips], weights=bg_teu[trips], minlength=n)
    return carried.astype(np.float64), np.bincount(result.trip_service[empty], minlength=n)
