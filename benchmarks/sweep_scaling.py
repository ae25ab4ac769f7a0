"""Benchmark: sweep throughput (tasks per second) with 1 and 2 workers, and their ratio.

Run alone (``.venv/bin/python benchmarks/sweep_scaling.py``) or through
``benchmarks/run.py`` (``make bench``). The sweep is one cell of the shipped Yangtze
corridor (``scenarios/yangtze-corridor.toml``, one simulated year per task) with
``--tasks`` replications, so every task does the same work. For each executor (the
local process pool and a Dask ``LocalCluster`` of worker processes) it starts the
executor with 1 and then 2 workers, warms every worker up with one task (imports,
first compile), then times the sweep's tasks through the executor, and prints tasks
per second and the 2-worker / 1-worker ratio measured in the same run (median of
``--repeat`` interleaved measurements, to damp the noise of other load on the
machine). Start-up (cluster and worker processes) is printed apart, not timed in
the rate.

On a real cluster: ``--executor dask --scheduler tcp://host:8786`` measures the
throughput of that cluster's workers (no ratio: the cluster sets the worker count).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from freighthub.model.sweep import load_sweep
from freighthub.sweep import Outcome, SweepPlan, Task, make_executor, plan_sweep, task_seed
from freighthub.sweep.plan import CellInput
from freighthub.sweep.task import run_task

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "yangtze-corridor.toml"


def _write_sweep(folder: Path, tasks: int) -> Path:
    path = folder / "bench-sweep.toml"
    path.write_text(
        f'id = "bench-sweep"\nname = "Sweep scaling benchmark"\nbase = "{BASE.as_posix()}"\n'
        f'seed = 1\nreplications = {tasks}\n[[cells]]\nid = "base"\n',
        encoding="utf-8",
    )
    return path


def _timed_task(cell: CellInput, seed: int) -> dict[str, float]:
    """:func:`run_task` and the CPU time of the thread that ran it [s] (``_task_cpu_s``)."""
    start = time.thread_time()
    row = run_task(cell, seed)
    return row | {"_task_cpu_s": time.thread_time() - start}


def _measure(
    plan: SweepPlan, executor: str, workers: int | None, scheduler: str | None
) -> tuple[float, float, float, int]:
    """Start the executor, warm every worker up with one task, then time the sweep's tasks.

    Returns start-up time [s] (workers started and warmed up), throughput [tasks/s]
    of the timed tasks, the median CPU time of one task in its worker [s] and the
    number of workers.
    """
    inputs = {c.cell.index: c.input for c in plan.cells if c.input is not None}
    start = time.perf_counter()
    with make_executor(
        "dask" if executor == "dask" else "local", workers=workers, scheduler=scheduler
    ) as ex:
        warm = [
            Task(0, "warm-up", 10_000 + i, task_seed(2, 0, i)) for i in range(max(ex.workers, 1))
        ]
        _check(ex.run(warm, inputs, _timed_task))
        ready = time.perf_counter()
        cpu = _check(ex.run(plan.tasks, inputs, _timed_task))
        end = time.perf_counter()
        return ready - start, len(cpu) / (end - ready), statistics.median(cpu), ex.workers


def _check(outcomes: Iterator[Outcome]) -> list[float]:
    """Every task's CPU time [s]; stop at the first failed task."""
    cpu = []
    for o in outcomes:
        if o.error is not None or o.row is None:
            raise SystemExit(f"task failed: {o.task}: {o.error}")
        cpu.append(o.row["_task_cpu_s"])
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=12, help="tasks per measurement (default 12)")
    parser.add_argument(
        "--executor", choices=["local", "dask", "both"], default="both", help="default: both"
    )
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="measurements per worker count, interleaved; median kept",
    )
    args = parser.parse_args(argv)
    executors = ["local", "dask"] if args.executor == "both" else [args.executor]
    if args.scheduler is not None:
        executors = ["dask"]
    print(
        f"sweep scaling: {args.tasks} tasks (one simulated year of {BASE.name} each), "
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    with tempfile.TemporaryDirectory(prefix="freighthub-bench-") as tmp:
        plan = plan_sweep(load_sweep(_write_sweep(Path(tmp), args.tasks)))
    if args.scheduler is not None:
        startup, rate, cpu, n = _measure(plan, "dask", None, args.scheduler)
        print(
            f"dask cluster {args.scheduler}: {n} worker(s), {rate:.3f} tasks/s, {cpu:.2f} s CPU/task"
        )
        return 0
    rates: dict[tuple[str, int], list[float]] = {}
    cpus: dict[str, list[float]] = {}
    for _ in range(args.repeat):  # interleaved: drift in the machine's load hits every case
        for workers in (1, 2):
            for executor in executors:
                startup, rate, cpu, _ = _measure(plan, executor, workers, None)
                rates.setdefault((executor, workers), []).append(rate)
                if workers == 1:
                    cpus.setdefault(executor, []).append(cpu)
                print(
                    f"{executor:5s} {workers} worker(s): {rate:.3f} tasks/s, {cpu:.2f} s CPU/task "
                    f"(start-up and warm-up {startup:.1f} s, not timed)"
                )
    median = {k: statistics.median(v) for k, v in rates.items()}
    for executor in executors:
        one, two = median[(executor, 1)], median[(executor, 2)]
        print(f"{executor:5s} median: 1 worker {one:.3f}, 2 workers {two:.3f} tasks/s")
        print(f"{executor:5s} ratio 2 workers / 1 worker: {two / one:.2f}x")
    if len(executors) == 2:
        cpu_local, cpu_dask = (statistics.median(cpus[e]) for e in ("local", "dask"))
        print(
            f"dask / local, 1 worker: throughput {median[('dask', 1)] / median[('local', 1)]:.2f}x, "
            f"CPU per task {cpu_dask / cpu_local:.2f}x (the CPU ratio does not depend on load)"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
