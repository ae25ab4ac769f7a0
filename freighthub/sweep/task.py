"""The work of one sweep task: one replication of one cell through the simulation.

Runs in a worker process (local pool or Dask worker); imports only the simulation.
:func:`prepare_worker` sets a worker process up once, before its first task.
"""

from __future__ import annotations

import ctypes
import ctypes.util

from freighthub.sim.experiment import run_network
from freighthub.sweep.plan import CellInput
from freighthub.sweep.rows import row_of_summary

__all__ = ["prepare_worker", "run_task"]

#: glibc ``mallopt`` parameters (``<malloc.h>``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

#: Arrays up to this size come from the heap, not from a fresh ``mmap`` [bytes]: glibc's
#: own ceiling for its dynamic threshold (DEFAULT_MMAP_THRESHOLD_MAX, 32 MiB on 64-bit).
_MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024

#: Free memory kept at the top of the heap before it is returned to the system [bytes]:
#: twice the mmap threshold, as glibc's dynamic rule sets it.
_TRIM_THRESHOLD_BYTES = 2 * _MMAP_THRESHOLD_BYTES


def prepare_worker() -> bool:
    """Let the engine's numpy arrays reuse freed memory in this process (glibc only).

    Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``
    (``distributed.nanny.pre-spawn-environ``) so that workers give memory back to
    the system. Setting it turns glibc's dynamic mmap threshold off: every array
    above 128 KiB is then a fresh ``mmap`` whose pages are faulted in and zeroed
    again, and a year of the Yangtze corridor took 45 % more CPU (system time, five
    times the page faults) in a Dask worker than in the local pool. This sets the
    thresholds to the values glibc's dynamic rule reaches on its own, in the local
    pool and in Dask workers alike.

    Returns
    -------
    bool
        True if the thresholds were set (the C library is glibc), else False.
    """
    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - no C library found (not Linux/glibc)
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # pragma: no cover - musl, macOS: no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)
        and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD_BYTES)
    )


def run_task(cell: CellInput, seed: int) -> dict[str, float]:
    """Simulate one replication of a cell and return its figures as a flat row.

    The row holds every numeric figure of :class:`freighthub.sim.summary.Summary`
    by dotted name (``throughput_teu``, ``modal_split_teu_share.rail``,
    ``emissions_kgco2e_wtw``, ``door_to_door_p95_h``, ``left_behind_boxes``,
    ``hubs.<id>.mean_wait_h`` ...), each in the unit its name carries, and the flag
    ``emissions_ttw_complete`` (1 or 0): :func:`freighthub.sweep.rows.row_of_summary`,
    read back by :func:`freighthub.sweep.rows.summary_of_row`.

    Parameters
    ----------
    cell
        Compiled network and emission factor pack of the cell.
    seed
        The task's seed [-] (:func:`freighthub.sweep.plan.task_seed`); simulated as
        replication 0 of :func:`freighthub.sim.experiment.run_network`.

    Raises
    ------
    ValueError
        If ``seed`` is negative.
    """
    result = run_network(cell.network, cell.pack, seed=seed, replications=1)
    return row_of_summary(result.summaries[0])
