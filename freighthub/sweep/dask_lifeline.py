"""A Dask worker plugin that ends each worker of a ``LocalCluster`` with the sweep.

Imported only when the Dask executor starts a ``LocalCluster`` (Dask is an extra).
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from freighthub.lifeline import exit_with

__all__ = ["ExitWithMain"]


class ExitWithMain(WorkerPlugin):
    """Worker plugin: the worker process ends when process ``pid`` ends (:func:`exit_with`)."""

    name = "freighthub-exit-with-main"

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def setup(self, worker: Any) -> None:
        """Start watching the main process in this worker."""
        exit_with(self.pid)
