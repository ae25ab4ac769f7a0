"""The fast engine's background bookkeeping (rules in :mod:`freighthub.sim.background`).

:class:`BackgroundBook` holds one run's background state: the start of every job,
the lots waiting for each service, the background TEU of each trip and the unload
jobs; :class:`TerminalBackground` fills it from the terminal loops (the Python loop
job by job, the compiled loop through :meth:`TerminalBackground.record`).
:func:`fill_departure` is the loading rule of a departure with background lots.
The simulation clock is in hours [h].
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from freighthub.sim.arrays import FloatArray, IntArray
from freighthub.sim.background import (
    BackgroundJobs,
    BackgroundResult,
    Unload,
    background_result,
    batch_service_h,
)
from freighthub.sim.network import CompiledNetwork
from freighthub.sim.terminal import CLASS_SERVICE, CLASS_TRUCK

__all__ = ["BackgroundBook", "TerminalBackground", "fill_departure"]

_I8 = np.int64


def _c(a: IntArray, dtype: type) -> IntArray:
    return np.ascontiguousarray(a, dtype=dtype)


def fill_departure(
    ready_h: FloatArray,
    teu: FloatArray,
    lot_ready_h: FloatArray,
    lot_teu: FloatArray,
    capacity_teu: float,
) -> tuple[int, int, float]:
    """Fill a departure FIFO by ready time from traced boxes and background lots.

    Both inputs hold only the entries ready for the departure (past its cut-off),
    each sorted by ready time; at a tie a traced box goes first. Entries load whole
    until the first that does not fit; a lot there loads the whole TEU that still
    fit, and nothing after it loads.

    Parameters
    ----------
    ready_h, teu
        Traced boxes: ready time [h] and TEU [TEU].
    lot_ready_h, lot_teu
        Background lots: ready time [h] and TEU still waiting [TEU]; ``lot_teu`` is
        reduced in place by a partial load.
    capacity_teu
        Capacity of the departure [TEU].

    Returns
    -------
    n_boxes, n_lots, lot_teu_loaded
        Traced boxes loaded (the first ``n_boxes``), lots loaded whole (the first
        ``n_lots``) and the background TEU loaded [TEU].
    """
    n = ready_h.size
    times = np.concatenate([ready_h, lot_ready_h])
    order = times.argsort(kind="stable")
    cum = np.concatenate([teu, lot_teu])[order].cumsum()
    m = int(cum.searchsorted(capacity_teu, "right"))
    n_boxes = int(np.count_nonzero(order[:m] < n))
    n_lots = m - n_boxes
    loaded = float(lot_teu[:n_lots].sum())
    if m < order.size and order[m] >= n:
        x = math.floor(capacity_teu - (float(cum[m - 1]) if m else 0.0))
        if x > 0:
            lot_teu[n_lots] -= x
            loaded += x
    return n_boxes, n_lots, loaded


class BackgroundBook:
    """One fast-engine run's background state."""

    def __init__(self, network: CompiledNetwork, jobs: BackgroundJobs) -> None:
        self.net = network
        self.jobs = jobs
        self.start_h = np.full(jobs.n, np.nan)
        n_services = network.services.n
        self.lots: list[list[tuple[FloatArray, FloatArray]]] = [[] for _ in range(n_services)]
        self.trip_teu: list[float] = []
        self.unloads: list[Unload] = []
        self.unload_start: list[float] = []
        self.left_behind_teu = np.zeros(n_services)

    def fill(
        self, k: int, now: float, capacity_teu: float, ready_h: FloatArray, teu: FloatArray
    ) -> tuple[int, float]:
        """Load departure ``k`` at ``now``: the traced boxes loaded (a prefix of
        ``ready_h``, sorted) and the background TEU loaded [TEU]."""
        cutoff = float(self.net.services.cutoff_h[k])
        chunks = self.lots[k]
        if len(chunks) == 1:
            lot_ready, lot_teu = chunks[0]
        else:
            lot_ready = np.concatenate([a for a, _ in chunks])
            lot_teu = np.concatenate([b for _, b in chunks])
        order = lot_ready.argsort(kind="stable")
        lot_ready, lot_teu = lot_ready[order], lot_teu[order]
        eligible = int((lot_ready + cutoff).searchsorted(now, "right"))
        boxes = int((ready_h + cutoff).searchsorted(now, "right"))
        n_boxes, n_lots, loaded = fill_departure(
            ready_h[:boxes], teu[:boxes], lot_ready[:eligible], lot_teu[:eligible], capacity_teu
        )
        self.left_behind_teu[k] += float(lot_teu[n_lots:eligible].sum())
        self.lots[k] = [(lot_ready[n_lots:], lot_teu[n_lots:])] if n_lots < lot_ready.size else []
        return n_boxes, loaded

    def result(self) -> BackgroundResult:
        """The run's background result; starts at or after the horizon become NaN."""
        horizon = self.net.horizon_h
        start = self.start_h
        np.copyto(start, np.nan, where=start >= horizon)
        u_start = np.asarray(self.unload_start, dtype=np.float64)
        np.copyto(u_start, np.nan, where=u_start >= horizon)
        waiting = np.array(
            [sum(float(b[a < horizon].sum()) for a, b in chunks) for chunks in self.lots]
        )
        return background_result(
            start, self.trip_teu, self.unloads, u_start.tolist(), self.left_behind_teu, waiting
        )


class TerminalBackground:
    """Background jobs under a terminal model (``docs/terminal-operations.md``).

    A call uses its hub's general pool; a lot's load and a trip's background unload use
    the pool of the service's task at that hub, else the general pool; class
    ``service``. A background truck job uses the hub's pool of its task (a gate job
    without a gate pool: the hub's existing gate), class ``truck``. A lot is ready when
    its load job ends (a move may be suspended). ``pool_of_move(h, k)`` is the pool of
    service ``k``'s moves at hub ``h``.
    """

    def __init__(self, book: BackgroundBook, general_pool: list[int],
                 pool_of_move: Callable[[int, int], int]) -> None:  # fmt: skip
        self.book = book
        self.general = general_pool
        self.pool_of_move = pool_of_move
        net = book.net
        term = net.terminal
        jobs = book.jobs
        n_pools = term.pools.n if term is not None else 0
        self.task: list[int] = jobs.task.tolist() if jobs.task is not None else [-1] * jobs.n
        pool_of = term.pool_of.tolist() if term is not None else []
        gates = [n_pools + net.n_hubs + h for h in range(net.n_hubs)]  # existing gates
        self.truck_pool = [
            [p if p >= 0 else gates[h] for p in row] for h, row in enumerate(pool_of)
        ]

    def pool(self, hub: int, k: int) -> int:
        return self.pool_of_move(hub, k) if k >= 0 else self.general[hub]

    def call(self, j: int) -> tuple[int, float]:
        """Pool and work [h] of background job ``j`` (a call, a lot's load or a truck job)."""
        jobs = self.book.jobs
        task = self.task[j]
        if task >= 0:
            return self.truck_pool[int(jobs.hub[j])][task], float(jobs.service_h[j])
        return self.pool(int(jobs.hub[j]), int(jobs.service[j])), float(jobs.service_h[j])

    def job_class(self, j: int) -> int:
        """Priority class of background job ``j``: ``truck`` for a truck job, else
        ``service``."""
        return CLASS_TRUCK if self.task[j] >= 0 else CLASS_SERVICE

    def started(self, ref: int, start: float, end: float) -> None:
        """A background job (job index, or ``~row`` of the unload table) started."""
        book = self.book
        if ref < 0:
            book.unload_start[~ref] = start
            return
        book.start_h[ref] = start
        k = int(book.jobs.service[ref])
        if k >= 0:
            book.lots[k].append((np.asarray([end]), np.asarray([float(book.jobs.teu[ref])])))

    def trip(self, k: int, j: int, arrival_h: float, teu: float) -> tuple[int, int, float] | None:
        """Record a trip's background TEU; return its unload job (row, pool, work [h])."""
        book = self.book
        book.trip_teu.append(teu)
        if teu <= 0:
            return None
        hub = int(book.net.services.destination[k])
        moves = teu * float(book.jobs.moves_per_teu[k])
        u = np.asarray([book.jobs.unload_u[k][j]])
        service_h = float(
            batch_service_h(book.net.hubs, np.asarray([hub]), np.asarray([moves]), u)[0]
        )
        row = len(book.unloads)
        book.unloads.append((k, j, hub, arrival_h, service_h, teu, moves))
        book.unload_start.append(math.nan)
        return row, self.pool(hub, k), service_h

    # -- the compiled loop's side (freighthub.sim.terminal_loop) -----------------
    def arrays(self) -> tuple[IntArray, FloatArray, IntArray, IntArray]:
        """Per job the pool, work [h] and class of :meth:`call` and :meth:`job_class`;
        per service the pool of its trips' background unloads (:meth:`trip`)."""
        book = self.book
        jobs, net = book.jobs, book.net
        hub = np.asarray(jobs.hub, dtype=_I8)
        service = np.asarray(jobs.service, dtype=_I8)
        task = np.full(jobs.n, -1, dtype=_I8) if jobs.task is None else _c(jobs.task, _I8)
        pool = np.asarray(self.general, dtype=_I8)[hub] if hub.size else np.zeros(0, _I8)
        truck = task >= 0
        if truck.any():
            pool[truck] = np.asarray(self.truck_pool, dtype=_I8)[hub[truck], task[truck]]
        lot = ~truck & (service >= 0)
        if lot.any():
            pairs, inverse = np.unique(
                np.stack([hub[lot], service[lot]]), axis=1, return_inverse=True
            )
            moves = [self.pool(int(h), int(k)) for h, k in pairs.T.tolist()]
            pool[lot] = np.asarray(moves, dtype=_I8)[inverse.ravel()]
        klass = np.where(truck, CLASS_TRUCK, CLASS_SERVICE).astype(_I8)
        dest = net.services.destination.tolist()
        upool = np.asarray([self.pool(int(h), k) for k, h in enumerate(dest)], dtype=_I8)
        return pool, np.asarray(jobs.service_h, dtype=np.float64), klass, upool

    def unload_work_h(self, k: IntArray, j: IntArray, teu: FloatArray) -> FloatArray:
        """The work [h] of trips' background unloads (service ``k``, departure ``j``,
        ``teu`` [TEU]), as :meth:`trip` draws each."""
        jobs, net = self.book.jobs, self.book.net
        hub = net.services.destination[k]
        moves = teu * jobs.moves_per_teu[k]
        u = np.asarray([jobs.unload_u[a][b] for a, b in zip(k.tolist(), j.tolist(), strict=True)])
        return batch_service_h(net.hubs, hub, moves, u)

    def record(self, trip_teu: FloatArray, unloads: tuple[IntArray, IntArray, FloatArray,
               FloatArray, FloatArray, FloatArray], lots: list[tuple[FloatArray, FloatArray]],
               ) -> None:  # fmt: skip
        """The compiled loop's background records into the book (the job starts and the
        TEU left behind it wrote in place): the trips' TEU, the unloads (service,
        departure, arrival [h], work [h], TEU, start [h]) and per service its waiting
        lots (ready [h], TEU)."""
        book = self.book
        book.trip_teu = trip_teu.tolist()
        k, j, arrival, work, teu, start = unloads
        dest = book.net.services.destination[k]
        moves = teu * book.jobs.moves_per_teu[k]
        book.unloads = list(zip(*(c.tolist() for c in (k, j, dest, arrival, work, teu, moves)),
                                strict=True))  # fmt: skip
        book.unload_start = start.tolist()
        book.lots = [[lot] if lot[0].size else [] for lot in lots]
