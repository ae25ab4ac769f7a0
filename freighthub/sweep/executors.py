"""Where sweep tasks run: a local process pool or a Dask distributed cluster.

Both executors take the same tasks and yield one :class:`Outcome` per task as it
finishes (in completion order). A task that raises yields its error; the others go
on. A worker process that dies is handled by the executor:

* local (:class:`concurrent.futures.ProcessPoolExecutor`): a dead worker breaks
  the pool; the tasks that were running are re-run one at a time in a fresh pool,
  and the one that kills its worker again is reported as failed;
* Dask: the scheduler re-runs the task on another worker and gives up with
  ``KilledWorker`` after ``distributed.scheduler.allowed-failures`` deaths (a
  ``LocalCluster`` started here retries a task once, as the local pool does; an
  existing scheduler keeps its own setting, Dask's default being 3).

No distribution layer of freighthub's own: the local pool is the standard
library's, the cluster is Dask's (``LocalCluster`` or an existing scheduler).

Worker processes started here (the local pool, a ``LocalCluster``) end with the
sweep's main process: each watches it (:func:`freighthub.lifeline.exit_with`) and
exits within about a second of its end, even when it is killed with SIGKILL and
cleans nothing up.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

from freighthub.errors import FreighthubError
from freighthub.lifeline import exit_with
from freighthub.sweep.plan import CellInput, Task

__all__ = [
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "Outcome",
    "TaskFunction",
    "make_executor",
]

#: The function a worker runs: ``(cell input, seed) -> row``.
TaskFunction = Callable[[CellInput, int], dict[str, float]]


@dataclass(frozen=True)
class Outcome:
    """The result of one task: its row, or why it failed."""

    task: Task
    row: dict[str, float] | None
    error: str | None


#: How long to wait for the pool to fail the tasks in flight once it is broken [s].
_BROKEN_GRACE_S = 10.0

#: Deaths of a task's worker before a ``LocalCluster`` started here gives the task up
#: (Dask's ``distributed.scheduler.allowed-failures``): one retry, as the local pool.
_DASK_RETRIES_AFTER_DEATH = 1

#: How long a new worker waits for the others to start [s].
_START_TIMEOUT_S = 120.0


def _init_worker(started: threading.Barrier, main_pid: int) -> None:
    """Worker initializer: end with the main process, prepare the worker
    (:func:`~freighthub.sweep.task.prepare_worker`), wait until every worker has started."""
    from freighthub.sweep.task import prepare_worker

    exit_with(main_pid)
    prepare_worker()
    started.wait(_START_TIMEOUT_S)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Executor(ABC):
    """Runs tasks and yields their outcomes as they finish (a context manager: on
    exit it releases its workers, waiting for them unless the block raised)."""

    workers: int

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(wait=exc_type is None)

    @abstractmethod
    def close(self, *, wait: bool) -> None:
        """Release the workers (``wait``: let running tasks end first, where it can)."""

    @abstractmethod
    def run(
        self, tasks: Sequence[Task], inputs: Mapping[int, CellInput], fn: TaskFunction
    ) -> Iterator[Outcome]:
        """Run ``fn(inputs[cell], seed)`` for every task; yield outcomes as they finish."""


class LocalExecutor(Executor):
    """A local pool of worker processes (``forkserver`` start method, one BLAS thread each).

    Parameters
    ----------
    workers
        Number of worker processes [-] (default: the number of CPUs).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = _workers(workers)
        self._pool: ProcessPoolExecutor | None = None
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["freighthub.sweep.task"])
        _start_forkserver()

    def _new_pool(self) -> ProcessPoolExecutor:
        self.close(wait=True)
        # Start every worker now. Otherwise the pool starts one in ``submit`` when none
        # is idle, and one started while a dying worker breaks the pool is missed by
        # the pool's clean-up, which then waits for it forever (Python 3.11). Each
        # worker waits at the barrier until all have started, so the first ``workers``
        # submits find none idle and start one each.
        started = self._ctx.Barrier(self.workers)
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._ctx,
            initializer=_init_worker,
            initargs=(started, os.getpid()),
        )
        for f in [pool.submit(os.getpid) for _ in range(self.workers)]:
            f.result()
        self._pool = pool
        return pool

    def close(self, *, wait: bool) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def run(
        self, tasks: Sequence[Task], inputs: Mapping[int, CellInput], fn: TaskFunction
    ) -> Iterator[Outcome]:
        """Run ``fn(inputs[cell], seed)`` for every task; yield outcomes as they finish.

        At most ``workers`` tasks are in flight, so that when a worker dies the
        suspects are only the tasks that were running.
        """
        queue = deque(tasks)
        suspects: deque[Task] = deque()
        pool = self._pool or self._new_pool()  # one pool per executor, renewed if it breaks
        inflight: dict[Future[dict[str, float]], Task] = {}
        while queue or suspects or inflight:
            isolating = bool(suspects)
            source, limit = (suspects, 1) if isolating else (queue, self.workers)
            broken = False
            while source and len(inflight) < limit:
                t = source.popleft()
                try:
                    inflight[pool.submit(fn, inputs[t.cell_index], t.seed)] = t
                except BrokenProcessPool:  # a worker died since the last completion
                    source.appendleft(t)
                    broken = True
                    break
            if not broken:
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                broken = any(isinstance(f.exception(), BrokenProcessPool) for f in done)
            if broken:  # every future still in flight fails the same way; collect them all
                # (a task submitted while the pool was breaking may never be failed: after
                # the grace period it is counted as broken too)
                wait(inflight, timeout=_BROKEN_GRACE_S)
                done = set(inflight)
            for f in sorted(done, key=lambda f: (inflight[f].cell_index, inflight[f].replication)):
                t = inflight.pop(f)
                exc = f.exception() if f.done() else BrokenProcessPool("pool broke before it ran")
                if exc is None:
                    yield Outcome(t, f.result(), None)
                elif isinstance(exc, BrokenProcessPool):
                    if isolating:
                        yield Outcome(t, None, f"worker process died running this task ({exc})")
                    else:
                        suspects.append(t)
                elif isinstance(exc, Exception):
                    yield Outcome(t, None, _reason(exc))
                else:  # KeyboardInterrupt, SystemExit raised in the worker: stop the sweep
                    raise exc
            if broken:
                pool = self._new_pool()


class DaskExecutor(Executor):
    """A Dask distributed cluster: a ``LocalCluster`` started here, or a running scheduler.

    Parameters
    ----------
    scheduler
        Address of a running scheduler (``tcp://host:8786``); ``None`` starts a
        ``LocalCluster`` of worker processes (one thread each, no dashboard).
    workers
        Worker processes of the ``LocalCluster`` [-] (default: the number of CPUs);
        must be ``None`` with ``scheduler``.

    Raises
    ------
    FreighthubError
        If both ``scheduler`` and ``workers`` are given, or dask is not installed.
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        if scheduler is not None and workers is not None:
            raise FreighthubError(
                "give --scheduler (an existing cluster) or --workers (a local cluster), not both"
            )
        try:
            import distributed  # noqa: F401
        except ImportError:  # pragma: no cover - dask is a declared extra
            raise FreighthubError(
                "the Dask executor needs dask[distributed]: pip install 'freighthub[dask]'"
            ) from None
        self.scheduler = scheduler
        self.workers = _workers(workers) if scheduler is None else 0
        self._cluster: Any = None
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            import dask

            # the statistical profiler samples the task thread's stack every 10 ms,
            # which slows the pure-Python event loop of the engine; the workers
            # (separate processes) get this setting from their nannies. A task whose
            # worker dies is retried once, as in the local pool:
            with dask.config.set(
                {
                    "distributed.worker.profile.enabled": False,
                    "distributed.scheduler.allowed-failures": _DASK_RETRIES_AFTER_DEATH,
                    # one task on a worker at a time (the others wait at the scheduler):
                    # a dying worker then takes down only the task it runs, never an
                    # innocent one queued behind it, which a second death of the same
                    # worker would give up for good (the local pool does the same)
                    "distributed.scheduler.worker-saturation": 1.0,
                }
            ):
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers,
                    processes=True,
                    threads_per_worker=1,
                    dashboard_address=None,
                )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
            plugin_pid: int | None = os.getpid()
        else:
            try:
                self._client = Client(self.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise FreighthubError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from None
            self.workers = len(self._client.scheduler_info().get("workers", {}))
            plugin_pid = None  # workers of an existing cluster outlive the sweep
        from freighthub.sweep.dask_worker import SweepWorker

        self._client.register_plugin(SweepWorker(plugin_pid))
        return self

    def close(self, *, wait: bool) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def run(
        self, tasks: Sequence[Task], inputs: Mapping[int, CellInput], fn: TaskFunction
    ) -> Iterator[Outcome]:
        """Submit every task (each cell's input sent once); yield outcomes as they finish."""
        from distributed import as_completed

        client = self._client
        if client is None:
            raise RuntimeError("use DaskExecutor as a context manager")
        run_id = uuid.uuid4().hex[:8]
        needed = sorted({t.cell_index for t in tasks})
        # Each cell's input is a task of its own (the identity of the input), not
        # scattered data: when the worker that holds it dies, the scheduler computes it
        # again on another worker, where scattered data would be lost for good and
        # every task that needs it cancelled ("already forgotten") instead of retried.
        # Unique keys: a second run on the same client never shares (or loses) data.
        scattered = {
            i: client.submit(
                _cell_input, inputs[i], key=f"freighthub-cell-{run_id}-{i}", pure=False
            )
            for i in needed
        }
        futures = {
            client.submit(
                fn,
                scattered[t.cell_index],
                t.seed,
                key=f"freighthub-sweep-{run_id}-{t.cell_id}-r{t.replication}",
                pure=False,
            ): t
            for t in tasks
        }
        try:
            for f in as_completed(futures):  # type: ignore[no-untyped-call]
                t = futures[f]
                try:
                    row = f.result()
                except Exception as exc:  # the task's error, KilledWorker, cancelled ...
                    yield Outcome(t, None, _reason(exc))
                else:
                    yield Outcome(t, row, None)
                f.release()
        finally:
            client.cancel(list(futures))
            client.cancel(list(scattered.values()))


def _cell_input(cell: CellInput) -> CellInput:
    """A cell's input as the result of a Dask task (so that it can be computed again)."""
    return cell


#: Thread pools of numeric libraries limited to one thread in worker processes (one
#: task per process per CPU; as Dask's nanny does), unless the user set them.
SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _start_forkserver() -> None:
    """Start the forkserver (if not running) with one-thread numeric libraries.

    The workers fork from the forkserver, which imports numpy at start (preload), so
    the environment it starts with sets their BLAS thread pools. The caller's
    environment is restored at once.
    """
    from multiprocessing import forkserver

    saved = {k: os.environ.get(k) for k in SINGLE_THREAD_ENV}
    try:
        for k in SINGLE_THREAD_ENV:
            os.environ.setdefault(k, "1")
        forkserver.ensure_running()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _workers(workers: int | None) -> int:
    if workers is None:
        return os.cpu_count() or 1
    if workers < 1:
        raise FreighthubError(f"workers = {workers}: must be >= 1")
    return workers


def make_executor(
    kind: Literal["local", "dask"], *, workers: int | None = None, scheduler: str | None = None
) -> Executor:
    """The executor named by ``kind`` (``"local"`` or ``"dask"``).

    Raises
    ------
    FreighthubError
        For ``scheduler`` with the local executor, or invalid ``workers``.
    """
    if kind == "local":
        if scheduler is not None:
            raise FreighthubError("--scheduler needs --executor dask")
        return LocalExecutor(workers)
    return DaskExecutor(scheduler, workers)
