"""The Dask worker plugin of a sweep: sets each worker up as the local pool's workers are.

Imported only when the Dask executor starts (Dask is an extra).
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from freighthub.lifeline import exit_with
from freighthub.sweep.task import prepare_worker

__all__ = ["SweepWorker"]


class SweepWorker(WorkerPlugin):
    """Worker plugin: :func:`prepare_worker` in every worker of the cluster, and for a
    ``LocalCluster`` started by the sweep, end the worker with process ``main_pid``
    (:func:`exit_with`)."""

    name = "freighthub-sweep-worker"

    def __init__(self, main_pid: int | None = None) -> None:
        self.main_pid = main_pid

    def setup(self, worker: Any) -> None:
        """Prepare this worker; watch the main process if it started the cluster."""
        prepare_worker()
        if self.main_pid is not None:
            exit_with(self.main_pid)
