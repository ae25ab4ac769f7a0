"""The Dask executor on a real LocalCluster of worker processes: same rows as the local pool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from freighthub.errors import FreighthubError
from freighthub.sweep import read_results, run_sweep

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
