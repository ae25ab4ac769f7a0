"""The work of one sweep task: one replication of one cell through the simulation.

Runs in a worker process (local pool or Dask worker); imports only the simulation.
"""

from __future__ import annotations

from freighthub.sim.experiment import run_network
from freighthub.sim.summary import flatten
from freighthub.sweep.plan import CellInput

__all__ = ["run_task"]


def run_task(cell: CellInput, seed: int) -> dict[str, float]:
    """Simulate one replication of a cell and return its figures as a flat row.

    The row holds every numeric figure of :class:`freighthub.sim.summary.Summary`
    by dotted name (``throughput_teu``, ``modal_split_teu_share.rail``,
    ``emissions_kgco2e_wtw``, ``door_to_door_p95_h``, ``left_behind_boxes``,
    ``hubs.<id>.mean_wait_h`` ...), each in the unit its name carries.

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
    return flatten(result.summaries[0])
