"""Running sweeps on the local pool: rows, resume, interruption, failures, output folder."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import _faults  # type: ignore[import-not-found]  # tests/sweep is on sys.path (conftest)
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pandas.testing import assert_frame_equal

from freighthub.model.sweep import load_sweep
from freighthub.sweep import SweepOutputError, read_results, run_sweep, task_seed
from freighthub.sweep.store import finished_tasks

CELLS = ["today.none", "today.s30", "more.none", "more.s30"]


def _rows(out: Path) -> list[tuple[str, int, int]]:
    t = read_results(out)
    return list(
        zip(t["cell"].to_pylist(), t["replication"].to_pylist(), t["seed"].to_pylist(), strict=True)
    )


def _same(a: pa.Table, b: pa.Table) -> None:
    """Equal tables (NaN equals NaN: a figure without observations is NaN in both)."""
    assert_frame_equal(a.to_pandas(), b.to_pandas(), check_exact=True)


def _expected(reps: int = 2) -> list[tuple[str, int, int]]:
    return [(c, r, task_seed(11, i, r)) for i, c in enumerate(CELLS) for r in range(reps)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pa.Table]:
    """One complete local run of the 2 x 2 grid, 2 replications (shared by the tests)."""
    from conftest import DATA, GRID, HEADER  # type: ignore[import-not-found]

    folder = tmp_path_factory.mktemp("ref")
    path = folder / "test-sweep.toml"
    path.write_text(
        HEADER.format(id="test-sweep", base=(DATA / "corridor.toml").as_posix(), reps=2) + GRID,
        encoding="utf-8",
    )
    result = run_sweep(path, out=folder / "out", workers=2, hubs_dir=DATA / "hubs")
    assert result.ok, result.failures
    return path, read_results(folder / "out")


def test_one_row_per_task_with_its_seed(reference: tuple[Path, pa.Table]) -> None:
    _, table = reference
    got = list(zip(table["cell"].to_pylist(), table["replication"].to_pylist(),
                   table["seed"].to_pylist(), strict=True))  # fmt: skip
    assert got == _expected()
    for col in ("throughput_teu", "emissions_kgco2e_wtw", "emissions_kgco2e_ttw",
                "door_to_door_mean_h", "door_to_door_p95_h", "left_behind_boxes",
                "modal_split_teu_share.road"):  # fmt: skip
        assert col in table.column_names
        assert all(v is not None and v >= 0 for v in table[col].to_pylist())


def test_cells_change_what_they_say(reference: tuple[Path, pa.Table]) -> None:
    """Shifting 30 % of road to rail and barge lowers the road share in every replication."""
    _, table = reference
    d = table.to_pydict()
    road = {(c, r): s for c, r, s in zip(d["cell"], d["replication"], d["modal_split_teu_share.road"], strict=True)}  # fmt: skip
    for barges in ("today", "more"):
        for r in range(2):
            assert road[(f"{barges}.s30", r)] < road[(f"{barges}.none", r)]


def test_rerun_skips_finished_tasks(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    path = write_sweep(reps=1)
    out = tmp_path / "out"
    first = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir)
    assert (first.tasks_run, first.tasks_skipped) == (4, 0)
    again = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir)
    assert (again.tasks_run, again.tasks_skipped, again.ok) == (0, 4, True)
    assert _rows(out) == _expected(reps=1)
    assert again.summary is not None
    assert [c.replications for c in again.summary.cells] == [1, 1, 1, 1]


def test_interrupted_sweep_resumes_with_nothing_lost_or_duplicated(
    reference: tuple[Path, pa.Table], tmp_path: Path, hubs_dir: Path
) -> None:
    """Ctrl-C after 3 finished tasks, then a rerun: the same rows as an uninterrupted run."""
    path, table = reference
    out = tmp_path / "out"
    seen: list[int] = []

    def stop_after_three(done: int, failed: int, total: int) -> None:
        seen.append(done)
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir, progress=stop_after_three)
    assert len(finished_tasks(out)) == 3
    assert not list(out.rglob("*.tmp"))  # no half-written file
    resumed = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir)
    assert (resumed.tasks_skipped, resumed.tasks_run, resumed.ok) == (3, 5, True)
    _same(read_results(out), table)


def test_task_raising_keyboard_interrupt_in_a_worker_stops_the_sweep(
    reference: tuple[Path, pa.Table], tmp_path: Path, hubs_dir: Path
) -> None:
    path, table = reference
    out = tmp_path / "out"
    fn = functools.partial(_faults.interrupt_for, task_seed(11, 2, 0))
    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, out=out, workers=1, hubs_dir=hubs_dir, task=fn)
    assert 0 < len(finished_tasks(out)) < 8
    run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir)
    _same(read_results(out), table)


def test_failing_task_is_reported_and_the_others_finish(
    reference: tuple[Path, pa.Table], tmp_path: Path, hubs_dir: Path
) -> None:
    path, table = reference
    out = tmp_path / "out"
    bad = task_seed(11, 1, 1)
    result = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir,
                       task=functools.partial(_faults.fail_for, bad))  # fmt: skip
    assert not result.ok
    assert [(f.cell, f.replication, f.seed) for f in result.failures] == [("today.s30", 1, bad)]
    assert result.failures[0].reason == "RuntimeError: boom in the simulation"
    assert result.tasks_run == 7
    failures = json.loads((out / "failures.json").read_text(encoding="utf-8"))
    assert failures[0]["cell"] == "today.s30"
    # a rerun retries only the failed task
    again = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir)
    assert (again.tasks_run, again.tasks_skipped, again.ok) == (1, 7, True)
    assert not (out / "failures.json").exists()
    _same(read_results(out), table)


def test_worker_that_dies_is_reported_and_the_others_finish(
    reference: tuple[Path, pa.Table], tmp_path: Path, hubs_dir: Path
) -> None:
    path, table = reference
    out = tmp_path / "out"
    bad = task_seed(11, 2, 1)
    result = run_sweep(path, out=out, workers=2, hubs_dir=hubs_dir,
                       task=functools.partial(_faults.die_for, bad))  # fmt: skip
    assert [(f.cell, f.replication) for f in result.failures] == [("more.none", 1)]
    assert "worker process died" in result.failures[0].reason
    assert result.tasks_run == 7
    rows = read_results(out)
    expected = table.filter(pc.not_equal(table["seed"], pa.scalar(bad, pa.uint64())))
    _same(rows, expected)


def test_invalid_cell_is_reported_and_the_others_finish(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    body = """
[[cells]]
id = "ok"
[[cells]]
id = "bad"
[[cells.change_services]]
id = "no-such-service"
departures_per_week = 3
"""
    result = run_sweep(write_sweep(body), out=tmp_path / "out", workers=1, hubs_dir=hubs_dir)
    assert [(f.cell, f.replication) for f in result.failures] == [("bad", 0), ("bad", 1)]
    assert "change_services[0].id = 'no-such-service': unknown service" in result.failures[0].reason
    assert result.tasks_run == 2
    assert result.summary is not None
    assert [c.id for c in result.summary.cells] == ["ok"]


def test_changed_sweep_file_is_refused_unless_force(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    body = '[[cells]]\nid = "only"\n'
    path = write_sweep(body, reps=1)
    run_sweep(path, out=out, workers=1, hubs_dir=hubs_dir)
    write_sweep(body, reps=2)
    with pytest.raises(
        SweepOutputError,
        match=r"holds a sweep with other inputs \(changed: replications, test-sweep\.toml\); pass --force",
    ):
        run_sweep(path, out=out, workers=1, hubs_dir=hubs_dir)
    again = run_sweep(path, out=out, workers=1, hubs_dir=hubs_dir, force=True)
    assert (again.tasks_run, again.tasks_skipped, again.ok) == (2, 0, True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sweep"]["replications"] == 2
    assert manifest["manifest"]["seed"] == 11
    assert str(path.resolve()) in manifest["manifest"]["inputs_sha256"]


def test_foreign_output_folder_is_refused(
    write_sweep: Callable[..., Path], hubs_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SweepOutputError, match=r"out: exists and holds no sweep manifest"):
        run_sweep(
            write_sweep('[[cells]]\nid = "a"\n', reps=1), out=out, workers=1, hubs_dir=hubs_dir
        )
    assert (out / "notes.txt").exists()


def test_summary_means_match_the_rows(
    reference: tuple[Path, pa.Table], tmp_path: Path, hubs_dir: Path
) -> None:
    path, table = reference
    result = run_sweep(path, out=tmp_path / "out", workers=2, hubs_dir=hubs_dir)
    assert result.summary is not None
    loaded = load_sweep(path)
    assert [c.id for c in result.summary.cells] == [c.id for c in loaded.cells]
    d = table.to_pydict()
    for cell in result.summary.cells:
        values = [v for c, v in zip(d["cell"], d["throughput_teu"], strict=True) if c == cell.id]
        e = cell.estimates["throughput_teu"]
        assert e.mean == pytest.approx(sum(values) / len(values), rel=1e-12)
        assert e.n == 2
        assert e.ci95_low <= e.mean <= e.ci95_high
    doc = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert doc["cells"][0]["estimates"]["throughput_teu"]["n"] == 2
    # as docs/data-formats.md gives it: each figure with its unit
    assert doc["cells"][0]["estimates"]["throughput_teu"]["unit"] == "teu"
    assert doc["cells"][0]["estimates"]["cost_cny_per_teu"]["unit"] == "cny_per_teu"


def test_local_workers_run_numpy_with_one_blas_thread(
    reference: tuple[Path, pa.Table], hubs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One task per process per CPU: the workers' BLAS pools are limited to one thread."""
    import os

    from freighthub.sweep.executors import SINGLE_THREAD_ENV, LocalExecutor
    from freighthub.sweep.plan import plan_sweep

    if any(k in os.environ for k in SINGLE_THREAD_ENV):
        pytest.skip("the environment sets BLAS threads itself")
    plan = plan_sweep(load_sweep(reference[0]), hubs_dir=hubs_dir)
    inputs = {c.cell.index: c.input for c in plan.cells if c.input is not None}
    with LocalExecutor(1) as ex:
        rows = [o.row for o in ex.run(plan.tasks[:1], inputs, _faults.blas_env)]
    assert rows == [{"OMP_NUM_THREADS": 1.0, "OPENBLAS_NUM_THREADS": 1.0}]
    assert not any(k in os.environ for k in SINGLE_THREAD_ENV)  # the caller's env is restored


def test_summary_per_teu_and_routes_from_rows() -> None:
    from freighthub.sweep.summary import summarise_rows

    table = pa.table(
        {
            "cell": ["a", "a"],
            "cell_index": [0, 0],
            "arrived_teu": [100.0, 0.0],
            "cost_cny": [5000.0, 0.0],
            "emissions_kgco2e_wtw": [2000.0, 0.0],
            "routes.od/rail.price_cny_per_teu": [40.0, 60.0],
            "routes.od/rail.delivered_teu": [90.0, 0.0],
        }
    )
    s = summarise_rows(table, sweep_id="s", seed=1, replications=2, levels={})
    est = s.cells[0].estimates
    # per row: 5000 / 100 = 50 CNY/TEU; the row without arrived TEU has no value
    assert est["cost_cny_per_teu"].mean == 50.0 and est["cost_cny_per_teu"].n == 1
    assert est["emissions_kgco2e_wtw_per_teu"].unit == "kgco2e_per_teu"
    assert est["routes.od/rail.price_cny_per_teu"].mean == 50.0
    assert "routes.od/rail.on_time_share" not in est  # not in the rows: not invented
