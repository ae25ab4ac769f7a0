"""The Dask executor on a real LocalCluster of worker processes: same rows as the local pool."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import _faults
import pytest
from pandas.testing import assert_frame_equal

from freighthub.errors import FreighthubError
from freighthub.sweep import read_results, run_sweep, task_seed

distributed = pytest.importorskip("distributed")

# the scheduler's HTTP server moves to a free port if another cluster holds 8787
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")


def test_dask_cluster_gives_the_local_pools_results(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    path = write_sweep(reps=2)
    local = run_sweep(path, out=tmp_path / "local", workers=2, hubs_dir=hubs_dir)
    assert local.ok
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        remote = run_sweep(
            path,
            executor="dask",
            scheduler=cluster.scheduler_address,
            out=tmp_path / "dask",
            hubs_dir=hubs_dir,
        )
    assert remote.ok, remote.failures
    assert (remote.executor, remote.workers, remote.tasks_run) == ("dask", 2, 8)
    expected = read_results(tmp_path / "local").to_pandas()
    assert_frame_equal(read_results(tmp_path / "dask").to_pandas(), expected, check_exact=True)


def test_dask_local_cluster_started_by_freighthub_resumes_a_local_run(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    """Half the tasks on the local pool, the rest on a Dask LocalCluster: one complete dataset."""
    path = write_sweep(reps=1)
    out = tmp_path / "out"

    def stop(done: int, failed: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, out=out, workers=1, hubs_dir=hubs_dir, progress=stop)
    result = run_sweep(path, executor="dask", workers=2, out=out, hubs_dir=hubs_dir)
    assert (result.tasks_skipped, result.tasks_run, result.ok) == (2, 2, True)
    full = run_sweep(path, out=tmp_path / "full", workers=2, hubs_dir=hubs_dir)
    assert full.ok
    assert_frame_equal(
        read_results(out).to_pandas(), read_results(tmp_path / "full").to_pandas(), check_exact=True
    )


def test_scheduler_and_workers_together_are_refused(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(FreighthubError, match=r"give --scheduler .* or --workers .*, not both"):
        run_sweep(write_sweep(), executor="dask", scheduler="tcp://127.0.0.1:1", workers=2,
                  out=tmp_path / "o", hubs_dir=hubs_dir)  # fmt: skip


def test_scheduler_needs_the_dask_executor(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(FreighthubError, match=r"--scheduler needs --executor dask"):
        run_sweep(
            write_sweep(), scheduler="tcp://127.0.0.1:1", out=tmp_path / "o", hubs_dir=hubs_dir
        )


def test_unreachable_scheduler_is_a_clear_error(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(
        FreighthubError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        run_sweep(write_sweep(reps=1), executor="dask", scheduler="tcp://127.0.0.1:9",
                  out=tmp_path / "o", hubs_dir=hubs_dir)  # fmt: skip


# --- the worker set-up: freed arrays reuse the heap in Dask workers as in the local pool ---


def _faults_in(executor: str, hubs_dir: Path, write_sweep: Callable[..., Path]) -> float:
    from freighthub.model.sweep import load_sweep
    from freighthub.sweep import make_executor, plan_sweep

    plan = plan_sweep(load_sweep(write_sweep(reps=1)), hubs_dir=hubs_dir)
    inputs = {c.cell.index: c.input for c in plan.cells if c.input is not None}
    with make_executor(executor, workers=1) as ex:  # type: ignore[arg-type]
        rows = [o.row for o in ex.run(plan.tasks[:2], inputs, _faults.page_faults)]
    assert all(r is not None for r in rows)
    return max(r["minflt"] for r in rows if r is not None)


def test_prepare_worker_keeps_freed_arrays_on_the_heap(tmp_path: Path) -> None:
    """With Dask's MALLOC_TRIM_THRESHOLD_=65536 every 1 MiB array is a fresh mmap
    (256 page faults each); after prepare_worker the heap reuses the memory."""
    code = (
        f"import sys; sys.path.insert(0, {str(Path(_faults.__file__).parent)!r})\n"
        "import _faults\n"
        "from freighthub.sweep.task import prepare_worker\n"
        "before = _faults.page_faults(None, 0)['minflt']\n"
        "assert prepare_worker()\n"
        "after = _faults.page_faults(None, 0)['minflt']\n"
        "print(before, after)\n"
    )
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    before, after = float(out[0]), float(out[1])
    assert before > 200 * 256 * 0.9  # 200 arrays x 256 pages, faulted in again each time
    assert after < before / 20


def test_dask_workers_are_prepared_like_the_local_pools(
    write_sweep: Callable[..., Path], hubs_dir: Path
) -> None:
    local = _faults_in("local", hubs_dir, write_sweep)
    dask_ = _faults_in("dask", hubs_dir, write_sweep)
    assert dask_ < 200 * 256 / 20, (local, dask_)  # not one mmap per array
    assert local < 200 * 256 / 20


# --- worker death: on a real scheduler and workers started as separate processes ---


@pytest.fixture()
def dask_processes(tmp_path: Path) -> Iterator[str]:
    """A ``dask scheduler`` and two ``dask worker`` processes on localhost; the address."""
    with contextlib.ExitStack() as stack:
        yield from _start_dask_processes(tmp_path, stack)


def _start_dask_processes(tmp_path: Path, stack: contextlib.ExitStack) -> Iterator[str]:
    dask_cli = Path(sys.executable).with_name("dask")
    file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(Path(_faults.__file__).parent)}
    common = ["--no-dashboard"]
    log = stack.enter_context((tmp_path / "dask.log").open("a"))  # the processes' logs
    procs = [
        subprocess.Popen(
            [str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--scheduler-file", str(file), *common],
            env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        address = None
        while address is None:  # the scheduler writes its file once it listens
            try:
                address = json.loads(file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                assert time.monotonic() < deadline, "dask scheduler did not start"
                time.sleep(0.2)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [str(dask_cli), "worker", "--scheduler-file", str(file), "--nthreads", "1",
                     "--nworkers", "1", *common],
                    env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
                )
            )  # fmt: skip
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        # Each process leads its own session: a worker that its nanny restarted after the
        # death may still be retrying the closed scheduler (30 s), so what outlives a
        # short grace is killed with its whole group (no orphan stays behind).
        for p in procs[::-1]:
            p.terminate()
        grace = time.monotonic() + 5
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=max(0.0, grace - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def test_a_worker_dying_mid_task_on_a_real_cluster_is_retried_and_the_sweep_completes(
    dask_processes: str, write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    path = write_sweep(reps=1)
    local = run_sweep(path, out=tmp_path / "local", workers=1, hubs_dir=hubs_dir)
    assert local.ok
    deaths = tmp_path / "deaths"
    deaths.mkdir()
    victim = task_seed(11, 1, 0)
    result = run_sweep(
        path, executor="dask", scheduler=dask_processes, out=tmp_path / "dask",
        hubs_dir=hubs_dir, task=functools.partial(_faults.die_once_for, victim, str(deaths)),
    )  # fmt: skip
    assert len(os.listdir(deaths)) == 1  # the worker did die once
    assert result.ok, result.failures
    assert (result.workers, result.tasks_run) == (2, 4)
    assert_frame_equal(
        read_results(tmp_path / "dask").to_pandas(),
        read_results(tmp_path / "local").to_pandas(),
        check_exact=True,
    )


def test_a_local_cluster_retries_a_killing_task_once_then_reports_it(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    path = write_sweep(reps=1)
    deaths = tmp_path / "deaths"
    deaths.mkdir()
    victim = task_seed(11, 1, 0)
    result = run_sweep(
        path, executor="dask", workers=2, out=tmp_path / "out", hubs_dir=hubs_dir,
        task=functools.partial(_faults.always_die_for, victim, str(deaths)),
    )  # fmt: skip
    assert len(os.listdir(deaths)) == 2  # the first run and one retry
    assert [f.replication for f in result.failures] == [0]
    assert "KilledWorker" in result.failures[0].reason
    assert result.tasks_run == 3
