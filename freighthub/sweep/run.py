"""Running a sweep end to end: plan, skip finished tasks, execute, write, summarise.

:func:`run_sweep` is the one library call behind ``freighthub sweep``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from freighthub.atomic import remove_tree
from freighthub.emissions import FactorPack
from freighthub.frames import estimate_record
from freighthub.model.paths import data_dir
from freighthub.model.provenance import build_manifest
from freighthub.model.sweep import load_sweep
from freighthub.sweep.executors import TaskFunction, make_executor
from freighthub.sweep.plan import SweepPlan, Task, plan_sweep
from freighthub.sweep.store import (
    FAILURES,
    SUMMARY,
    finished_tasks,
    manifest_doc,
    prepare_output,
    read_results,
    write_json,
    write_row,
)
from freighthub.sweep.summary import SweepSummary, summarise_rows
from freighthub.sweep.task import run_task

__all__ = ["SEED_RULE", "SweepProgress", "SweepResult", "TaskFailure", "default_out", "run_sweep"]

#: How a task's seed is derived, as recorded in the manifest.
SEED_RULE = (
    "numpy.random.SeedSequence(sweep_seed, spawn_key=(cell_index, replication))"
    ".generate_state(1, numpy.uint64)[0], simulated as replication 0"
)

#: Called as tasks finish with ``(finished, failed, total)`` tasks; ``finished``
#: includes tasks finished by an earlier run.
SweepProgress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class TaskFailure:
    """A task that failed, with its cell and the reason."""

    cell: str
    cell_index: int
    replication: int
    seed: int
    reason: str


@dataclass(frozen=True)
class SweepResult:
    """What a sweep run did.

    Attributes
    ----------
    sweep_id
        The sweep's id.
    out
        The output folder.
    executor, workers
        Executor used (``"local"`` or ``"dask"``) and its worker processes [-].
    tasks_total
        Cells x replications [-].
    tasks_run
        Tasks finished by this run [-].
    tasks_skipped
        Tasks found finished from an earlier run and not run again [-].
    failures
        Tasks that failed in this run (they are retried by the next run).
    summary
        Means and 95 % intervals per cell over every finished replication (``None``
        if no task has finished).
    """

    sweep_id: str
    out: Path
    executor: str
    workers: int
    tasks_total: int
    tasks_run: int
    tasks_skipped: int
    failures: tuple[TaskFailure, ...]
    summary: SweepSummary | None

    @property
    def ok(self) -> bool:
        """True if every task has finished."""
        return not self.failures and self.tasks_run + self.tasks_skipped == self.tasks_total


def default_out(sweep_id: str) -> Path:
    """Default output folder of a sweep: ``reports/sweeps/<sweep id>``."""
    return data_dir("reports") / "sweeps" / sweep_id


def _failure(task: Task, reason: str) -> TaskFailure:
    return TaskFailure(task.cell_id, task.cell_index, task.replication, task.seed, reason)


def _identity(plan: SweepPlan) -> dict[str, object]:
    s = plan.sweep.sweep
    return {
        "id": s.id,
        "name": s.name,
        "seed": s.seed,
        "replications": s.replications,
        "seed_rule": SEED_RULE,
        "cells": [
            {"index": c.cell.index, "id": c.cell.id, "levels": c.cell.levels} for c in plan.cells
        ],
    }


def run_sweep(
    path: str | Path,
    *,
    executor: Literal["local", "dask"] = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    force: bool = False,
    hubs_dir: str | Path | None = None,
    pack: str | Path | FactorPack | None = None,
    mode_choice_dir: str | Path | None = None,
    progress: SweepProgress | None = None,
    task: TaskFunction | None = None,
) -> SweepResult:
    """Run (or resume) a sweep file.

    Every cell x replication is one task with a seed derived from the sweep seed
    (:func:`freighthub.sweep.plan.task_seed`). Finished tasks already in ``out``
    are skipped; each new task's row is written atomically as it finishes. A task
    that fails (invalid cell changes, an error in the simulation, a worker that
    dies) is reported in :attr:`SweepResult.failures` and the others finish.

    Parameters
    ----------
    path
        The sweep TOML file (``docs/data-formats.md``, "Scenario sweeps").
    executor
        ``"local"`` (a process pool) or ``"dask"`` (Dask distributed).
    workers
        Worker processes [-] of the local pool or of the Dask ``LocalCluster``
        (default: the number of CPUs).
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); dask only.
    out
        Output folder (default :func:`default_out`).
    force
        Start over in an ``out`` that holds results of other inputs (or any results).
    hubs_dir, pack, mode_choice_dir
        As for :func:`freighthub.shift.resolve.resolve_scenario`.
    progress
        Called as tasks finish.
    task
        The function each worker runs (default :func:`freighthub.sweep.task.run_task`);
        it must be importable by the workers.

    Raises
    ------
    DataFileError
        For an invalid sweep file, base scenario or variant chain.
    SweepOutputError
        If ``out`` holds other results and ``force`` is false.
    FreighthubError
        For an invalid executor setting or an unreachable scheduler.
    KeyboardInterrupt
        When interrupted; finished tasks stay written and a rerun resumes.
    """
    runner = make_executor(executor, workers=workers, scheduler=scheduler)  # usage errors first
    loaded = load_sweep(path)
    plan = plan_sweep(loaded, hubs_dir=hubs_dir, pack=pack, mode_choice_dir=mode_choice_dir)
    s = loaded.sweep
    folder = Path(out) if out is not None else default_out(s.id)
    manifest = build_manifest(plan.input_files, seed=s.seed, replications=s.replications)
    prepare_output(folder, manifest_doc(manifest, _identity(plan)), force=force)
    done = finished_tasks(folder)
    skipped = [t for t in plan.tasks if (t.cell_id, t.replication) in done]
    pending = [t for t in plan.tasks if (t.cell_id, t.replication) not in done]
    errors = {c.cell.index: c.error for c in plan.cells if c.error is not None}
    inputs = {c.cell.index: c.input for c in plan.cells if c.input is not None}
    failures = [_failure(t, str(errors[t.cell_index])) for t in pending if t.cell_index in errors]
    todo = [t for t in pending if t.cell_index not in errors]
    total = len(plan.tasks)
    finished = len(skipped)
    if progress is not None:
        progress(finished, len(failures), total)
    if todo:
        with runner as ex:
            for outcome in ex.run(todo, inputs, task or run_task):
                if outcome.row is not None:
                    write_row(folder, outcome.task, outcome.row)
                    finished += 1
                else:
                    failures.append(_failure(outcome.task, str(outcome.error)))
                if progress is not None:
                    progress(finished, len(failures), total)
    failures.sort(key=lambda f: (f.cell_index, f.replication))
    if failures:
        write_json(folder / FAILURES, [f.__dict__ for f in failures])
    else:
        remove_tree(folder / FAILURES)
    summary = None
    if finished:
        summary = summarise_rows(
            read_results(folder),
            sweep_id=s.id,
            seed=s.seed,
            replications=s.replications,
            levels={c.id: c.levels for c in loaded.cells},
        )
        write_json(folder / SUMMARY, _summary_doc(summary))
    return SweepResult(
        sweep_id=s.id,
        out=folder,
        executor=executor,
        workers=runner.workers,
        tasks_total=total,
        tasks_run=finished - len(skipped),
        tasks_skipped=len(skipped),
        failures=tuple(failures),
        summary=summary,
    )


def _summary_doc(summary: SweepSummary) -> dict[str, object]:
    """``summary.json``: per cell and figure the mean, interval, ``n`` and ``unit`` (NaN:
    null)."""
    return {
        "sweep": summary.sweep_id,
        "seed": summary.seed,
        "replications": summary.replications,
        "metrics": list(summary.metrics),
        "cells": [
            {
                "index": c.index,
                "id": c.id,
                "levels": c.levels,
                "replications": c.replications,
                "estimates": {k: estimate_record(e) for k, e in c.estimates.items()},
            }
            for c in summary.cells
        ],
    }
