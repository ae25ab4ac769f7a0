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


def die_once_for(target_seed: int, marker_dir: str, cell: CellInput, seed: int) -> dict[str, float]:
    """Kill the worker on the task with ``target_seed`` the first time it runs; each
    death leaves a file in ``marker_dir``, so a retry simulates as usual."""
    if seed == target_seed:
        deaths = len(os.listdir(marker_dir))
        if deaths == 0:
            open(os.path.join(marker_dir, f"death-{os.getpid()}"), "w").close()
            os._exit(3)
    return run_task(cell, seed)


def always_die_for(
    target_seed: int, marker_dir: str, cell: CellInput, seed: int
) -> dict[str, float]:
    """Kill the worker every time the task with ``target_seed`` runs, counting the deaths."""
    if seed == target_seed:
        open(os.path.join(marker_dir, f"death-{os.getpid()}-{os.urandom(4).hex()}"), "w").close()
        os._exit(3)
    return run_task(cell, seed)


#: Size of the arrays :func:`page_faults` allocates and frees again [bytes]: above
#: glibc's static mmap threshold (128 KiB) and below numpy's huge-page size (4 MiB).
_ARRAY_BYTES = 1024 * 1024


def page_faults(cell: CellInput, seed: int) -> dict[str, float]:
    """Minor page faults of this thread while 200 arrays of 1 MiB are filled and freed
    (no simulation): 256 per array when each is a fresh ``mmap``, a few hundred in all
    when the heap keeps the freed memory."""
    import resource

    import numpy as np

    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(200):
        a = np.ones(_ARRAY_BYTES // 8)
        del a
    return {"minflt": float(resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before)}
