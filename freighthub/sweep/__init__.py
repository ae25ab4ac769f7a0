"""Scenario sweeps and replications at scale: local process pool or Dask distributed.

A sweep file (:mod:`freighthub.model.sweep`) names a base scenario, a grid or list
of changes in the vocabulary of scenario variants, replications and a seed.
:func:`run_sweep` resolves every cell (:mod:`.plan`), runs each cell x replication as
one task with a derived seed (:mod:`.task`) on an executor (:mod:`.executors`),
writes one Parquet row per task as it finishes and resumes where a previous run
stopped (:mod:`.store`), and summarises each cell with 95 % intervals (:mod:`.summary`).
"""

from __future__ import annotations

from freighthub.sweep.executors import DaskExecutor, LocalExecutor, Outcome, make_executor
from freighthub.sweep.plan import CellInput, CellPlan, SweepPlan, Task, plan_sweep, task_seed
from freighthub.sweep.run import SweepResult, TaskFailure, default_out, run_sweep
from freighthub.sweep.store import SweepOutputError, read_results
from freighthub.sweep.summary import CellSummary, SweepSummary, summarise_rows
from freighthub.sweep.task import run_task

__all__ = [
    "CellInput",
    "CellPlan",
    "CellSummary",
    "DaskExecutor",
    "LocalExecutor",
    "Outcome",
    "SweepOutputError",
    "SweepPlan",
    "SweepResult",
    "SweepSummary",
    "Task",
    "TaskFailure",
    "default_out",
    "make_executor",
    "plan_sweep",
    "read_results",
    "run_sweep",
    "run_task",
    "summarise_rows",
    "task_seed",
]
