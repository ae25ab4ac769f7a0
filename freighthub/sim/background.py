"""Background traffic: the arrays, jobs and results of flows that are not traced.

The simulation clock is in hours [h].

A scenario's ``[[background_hub_flows]]`` and ``[[background_service_flows]]``
(:mod:`freighthub.model.background_schema`) carry a hub's published volume beyond
the corridor's own boxes. They are simulated as *batch jobs*, never as boxes:

- a **call** of a hub flow (a vessel, barge or train call of ``moves_per_call`` boxes)
  is one job of the hub's FIFO handling pool, on one server, for the sum of its
  moves' handling times (:func:`batch_service_h`), or ``cranes_per_call`` such jobs
  arriving together, each with an equal share of the moves;
- a **lot** of a service flow (``lot_teu`` TEU) is one job of its service's origin
  pool (the load moves), then waits for a departure FIFO by ready time among the
  traced boxes, with the same cut-off; a departure fills in ready-time order up to
  its capacity and may take part of a lot (whole TEU); the lot's TEU on each trip is
  unloaded at the destination as one job at the trip's arrival;
- a **truck group** of a hub flow with ``road_share`` > 0 (under a terminal model) is
  one job of the hub's gate pool and one of its yard pool for ``trucks_per_job``
  trucks' work, carrying no TEU (:mod:`freighthub.sim.background_trucks`).

Both engines implement these rules; ties at the same instant put traced jobs (and
boxes) before background ones. Results are per job (about 1e5 a year at national
scale) and per trip, never per box.

:class:`BackgroundArrays` is the compiled input (on
:attr:`~freighthub.sim.network.CompiledNetwork.background`), :class:`BackgroundJobs`
one replication's draws (on :attr:`~freighthub.sim.network.Arrivals.background`,
from :func:`freighthub.sim.demand.generate_background`) and
:class:`BackgroundResult` what an engine returns (on
:attr:`~freighthub.sim.network.EngineResult.background`).

References
----------
The sum of k independent exponential moves of mean m is Erlang-k with mean k m
(e.g. Ross, *Introduction to Probability Models*, 11th ed., 2014, §5.2.3), drawn by
inverse transform from one uniform with the inverse regularised incomplete gamma
function, as :func:`freighthub.sim.plan.handling_time_h` draws single moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from freighthub.sim.arrays import (
    SERVICE_DISTRIBUTIONS,
    BoolArray,
    FloatArray,
    HubArrays,
    IntArray,
    _check_len,
)

__all__ = [
    "BackgroundArrays",
    "BackgroundFlowArrays",
    "BackgroundJobs",
    "BackgroundResult",
    "Unload",
    "background_result",
    "batch_service_h",
]


@dataclass(frozen=True)
class BackgroundFlowArrays:
    """Background flows of one kind (hub flows or service flows), one entry per flow.

    Attributes
    ----------
    ids
        Flow ids from the scenario.
    target
        Hub index (hub flows) or service index (service flows).
    teu_per_year
        Volume [TEU/year] (365 days = 8760 h).
    box_40ft_share
        Share of the moves that are 40' boxes [0-1].
    batch
        Boxes per call (hub flows) or TEU per lot (service flows) [-].
    seasonality
        Shape ``(n, 12)``: relative volume per calendar month, day-weighted mean 1.
    split
        Jobs per call, each with an equal share of its moves and TEU (cranes working
        one call) [-]; ``None``: one job per call or lot.
    road_share
        Hub flows: share of the boxes that enter or leave the hub by truck [0-1]
        (background trucks, see :mod:`freighthub.sim.background_trucks`); ``None``: 0.
    trucks_per_job
        Hub flows: trucks grouped in one gate or yard job [-]; ``None``: 1.
    """

    ids: tuple[str, ...]
    target: IntArray
    teu_per_year: FloatArray
    box_40ft_share: FloatArray
    batch: IntArray
    seasonality: FloatArray
    split: IntArray | None = None
    road_share: FloatArray | None = None
    trucks_per_job: IntArray | None = None

    @property
    def n(self) -> int:
        """Number of flows."""
        return len(self.ids)

    def __post_init__(self) -> None:
        for name in ("target", "teu_per_year", "box_40ft_share", "batch", "seasonality"):
            _check_len(f"background.{name}", getattr(self, name), self.n)
        if self.seasonality.ndim != 2 or (self.n and self.seasonality.shape[1] != 12):
            raise ValueError("background.seasonality must have shape (n, 12)")


@dataclass(frozen=True)
class BackgroundArrays:
    """The compiled background of a network.

    Attributes
    ----------
    hub_flows
        ``target`` is the hub; ``batch`` the boxes per call.
    service_flows
        ``target`` is the service; ``batch`` the TEU per lot; at most one per service.
    """

    hub_flows: BackgroundFlowArrays
    service_flows: BackgroundFlowArrays

    def service_flow_of(self, n_services: int) -> IntArray:
        """Per service, the index of its service flow, or -1."""
        out = np.full(n_services, -1, dtype=np.int64)
        out[self.service_flows.target] = np.arange(self.service_flows.n)
        return out


@dataclass(frozen=True)
class BackgroundJobs:
    """One replication's background jobs: calls and lot loads, sorted by arrival.

    Attributes
    ----------
    hub
        Hub index of the job's pool.
    arrival_h
        Arrival at the pool [h], sorted ascending (ties in flow order).
    service_h
        Handling time of the whole batch [h].
    teu
        TEU of the batch [TEU].
    moves
        Handling moves of the batch [moves] (fractional for lots: ``lot_teu / (1 +
        box_40ft_share)``).
    service
        Service index the job's lot waits for after its load job; -1 for a call.
    unload_u
        Per service, one U(0, 1) draw per departure for the unload job of that trip's
        background TEU (an empty array for services without a background flow).
    moves_per_teu
        Per service, handling moves per background TEU, ``1 / (1 + box_40ft_share)``
        of its flow (0 without one) [moves/TEU].
    task
        Per job, -1 for a call or a lot's load (crane work), or the terminal task
        (``TASK_GATE``, ``TASK_YARD``) of a background truck job, which carries no TEU
        and no moves; ``None``: every job is crane work.
    """

    hub: IntArray
    arrival_h: FloatArray
    service_h: FloatArray
    teu: FloatArray
    moves: FloatArray
    service: IntArray
    unload_u: tuple[FloatArray, ...]
    moves_per_teu: FloatArray
    task: IntArray | None = None

    @property
    def n(self) -> int:
        """Number of jobs."""
        return int(self.arrival_h.shape[0])

    @property
    def crane(self) -> BoolArray:
        """Per job, whether it is crane work (a call or a lot's load), not a truck job."""
        if self.task is None:
            return np.ones(self.n, dtype=bool)
        return np.asarray(self.task < 0, dtype=bool)

    def __post_init__(self) -> None:
        for name in ("hub", "service_h", "teu", "moves", "service"):
            _check_len(f"background.{name}", getattr(self, name), self.n)
        if self.task is not None:
            _check_len("background.task", self.task, self.n)


@dataclass(frozen=True)
class BackgroundResult:
    """What an engine returns about the background (times in [h]).

    Attributes
    ----------
    job_start_h
        Start of handling of each job of :class:`BackgroundJobs` (aligned with it);
        NaN where not started before the horizon.
    trip_teu
        Background TEU carried by each trip, aligned with the ``trip_*`` arrays of
        the :class:`~freighthub.sim.network.EngineResult` [TEU].
    unload_hub, unload_arrival_h, unload_service_h, unload_teu, unload_moves, unload_start_h
        One row per trip that carried background: the unload job at the destination
        (hub index, arrival at the pool, handling time, TEU, moves, start; start NaN
        where not started before the horizon), sorted by service, then departure.
    unload_service, unload_departure
        The trip of each unload row: service index and departure number.
    left_behind_teu
        Per service, the background TEU-departures left behind: at each departure,
        the background TEU ready for it (past the cut-off) that it did not take [TEU].
    waiting_teu
        Per service, background TEU whose load move ended before the horizon but that
        no departure carried [TEU].
    """

    job_start_h: FloatArray
    trip_teu: FloatArray
    unload_service: IntArray
    unload_departure: IntArray
    unload_hub: IntArray
    unload_arrival_h: FloatArray
    unload_service_h: FloatArray
    unload_teu: FloatArray
    unload_moves: FloatArray
    unload_start_h: FloatArray
    left_behind_teu: FloatArray
    waiting_teu: FloatArray


#: One unload job as an engine records it: ``(service, departure, hub, arrival_h,
#: service_h, teu, moves)`` in [-], [-], [-], [h], [h], [TEU], [moves].
Unload = tuple[int, int, int, float, float, float, float]


def background_result(
    job_start_h: FloatArray,
    trip_teu: list[float],
    unloads: list[Unload],
    unload_start_h: list[float],
    left_behind_teu: FloatArray,
    waiting_teu: FloatArray,
) -> BackgroundResult:
    """An engine's :class:`BackgroundResult` from what it recorded; unload rows are
    sorted by service, then departure (engines record them in event order)."""
    rows = np.asarray(unloads, dtype=np.float64).reshape(-1, 7)
    order = np.lexsort((rows[:, 1], rows[:, 0]))
    rows = rows[order]
    return BackgroundResult(
        job_start_h=job_start_h,
        trip_teu=np.asarray(trip_teu, dtype=np.float64),
        unload_service=rows[:, 0].astype(np.int64),
        unload_departure=rows[:, 1].astype(np.int64),
        unload_hub=rows[:, 2].astype(np.int64),
        unload_arrival_h=rows[:, 3].copy(),
        unload_service_h=rows[:, 4].copy(),
        unload_teu=rows[:, 5].copy(),
        unload_moves=rows[:, 6].copy(),
        unload_start_h=np.asarray(unload_start_h, dtype=np.float64)[order],
        left_behind_teu=left_behind_teu,
        waiting_teu=waiting_teu,
    )


def batch_service_h(hubs: HubArrays, hub: IntArray, moves: FloatArray, u: FloatArray) -> FloatArray:
    """Handling time of batches of moves, by inverse transform of one uniform each.

    Parameters
    ----------
    hubs
        The hub arrays (mean move time and distribution per hub).
    hub
        Hub index of each batch.
    moves
        Moves per batch [moves], > 0 (may be fractional).
    u
        U(0, 1) draws, same shape.

    Returns
    -------
    numpy.ndarray
        Batch handling time [h]: exponential moves give Erlang-``moves`` (gamma with
        shape ``moves``, scale = mean), Erlang-s moves gamma with shape ``s x moves``
        and scale ``mean / s``, deterministic moves ``moves x mean``.
    """
    mean = hubs.handling_time_h[hub]
    codes = np.array(
        [SERVICE_DISTRIBUTIONS.index(d) for d in hubs.service_distribution], dtype=np.int64
    )[hub]
    shape = np.where(codes == 2, hubs.service_shape[hub], 1).astype(np.float64)
    out = mean / shape * special.gammaincinv(moves * shape, u)
    deterministic = codes == 1
    out[deterministic] = moves[deterministic] * mean[deterministic]
    return np.asarray(out, dtype=np.float64)
