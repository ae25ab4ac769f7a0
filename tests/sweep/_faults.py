"""Task functions that fail on purpose, for the sweep tests (importable by workers)."""

from __future__ import annotations

import os

from freighthub.sweep.plan import CellInput
from freighthub.sweep.task import run_task


def die_for(target_seed: int, cell: CellInput, seed: int) -> dict[str, float]:
    """Kill the worker process on the task with ``target_seed``; else simulate."""
    if seed == target_seed:
        os._exit(3)
    return run_task(cell, seed)


def interrupt_for(target_seed: int, cell: CellInput, seed: int) -> dict[str, float]:
    """Raise KeyboardInterrupt (as Ctrl-C would) on the task with ``target_seed``."""
    if seed == target_seed:
        raise KeyboardInterrupt
    return run_task(cell, seed)


def fail_for(target_seed: int, cell: CellInput, seed: int) -> dict[str, float]:
    """Raise an ordinary error on the task with ``target_seed``."""
    if seed == target_seed:
        raise RuntimeError("boom in the simulation")
    return run_task(cell, seed)


def blas_env(cell: CellInput, seed: int) -> dict[str, float]:
    """The worker's BLAS thread settings as a row (no simulation)."""
    return {k: float(os.environ.get(k, "0")) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
