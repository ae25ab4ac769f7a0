"""The output folder of a sweep: manifest, one Parquet file per finished task, summary.

Layout of ``OUT/``::

    manifest.json                       written once: tool version, sweep seed, cells,
                                        SHA-256 of every input file
    results/cell=<cell id>/rep-0000.parquet
                                        one row per finished task (hive-partitioned
                                        by cell), written atomically as it finishes
    summary.json                        means and 95 % CIs per cell (rewritten at the end)
    failures.json                       failed tasks with their reasons (if any)

A task file appears whole or not at all (:func:`freighthub.atomic.write_bytes_atomic`),
so after a crash, a kill or Ctrl-C every file present is a finished task: a rerun
skips them and runs the rest, nothing lost or duplicated. The manifest is written
the same way, before any task, so a folder holds results only under the manifest
of the sweep that made them; a rerun also removes the staging files a killed run
left (:func:`freighthub.atomic.clean_staging`). A folder whose manifest records
other inputs (a changed sweep, scenario, hub or factor file) is refused unless
``force``, which starts the sweep over.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from freighthub.atomic import (
    OutputError,
    check_output,
    clean_staging,
    make_folder,
    remove_tree,
    write_bytes_atomic,
    write_text_atomic,
)
from freighthub.errors import FreighthubError
from freighthub.model.provenance import Manifest
from freighthub.sweep.plan import Task

__all__ = [
    "KEY_COLUMNS",
    "SweepOutputError",
    "finished_tasks",
    "manifest_doc",
    "prepare_output",
    "read_results",
    "task_path",
    "write_json",
    "write_row",
]

RESULTS = "results"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
FAILURES = "failures.json"
#: Columns every row starts with (the cell comes from the folder: ``cell=<id>``).
KEY_COLUMNS = ("cell_index", "replication", "seed")
_TASK_FILE = re.compile(r"^rep-(\d{4,})\.parquet$")


class SweepOutputError(FreighthubError):
    """The output folder holds something else than this sweep's results."""


def task_path(out: str | Path, cell_id: str, replication: int) -> Path:
    """The Parquet file of one task."""
    return Path(out) / RESULTS / f"cell={cell_id}" / f"rep-{replication:04d}.parquet"


def _fingerprint(doc: dict[str, Any]) -> dict[str, Any]:
    sweep = doc.get("sweep", {})
    inputs = doc.get("manifest", {}).get("inputs_sha256", {})
    return {**{k: sweep.get(k) for k in ("id", "seed", "replications", "cells")}, "inputs": inputs}


def prepare_output(out: str | Path, manifest: dict[str, Any], *, force: bool) -> bool:
    """Check the output folder against this sweep and write the manifest if new.

    Parameters
    ----------
    out
        The output folder.
    manifest
        The sweep manifest (``{"sweep": ..., "manifest": ...}``).
    force
        Start over: remove this folder's results, summary and failures first.

    Returns
    -------
    bool
        True if the folder already held results of this same sweep (a resume).

    Raises
    ------
    SweepOutputError
        If the folder exists and is not an output of this sweep (other inputs, or
        no sweep manifest), and ``force`` is false.
    """
    folder = Path(out)
    mpath = folder / MANIFEST
    check_output(folder, folder=True, overwrite=True)
    make_folder(folder)
    _clean(folder)
    resume = False
    if mpath.is_file():
        try:
            old = json.loads(mpath.read_text(encoding="utf-8"))
        except ValueError as exc:
            old = {"unreadable": str(exc)}
        except OSError as exc:
            raise OutputError(mpath, f"cannot read the sweep manifest: {exc.strerror}") from exc
        same = _fingerprint(old) == _fingerprint(manifest)
        if not same and not force:
            raise SweepOutputError(_difference(mpath, old, manifest))
        resume = same and not force
    elif any(folder.iterdir()) and not force:
        raise SweepOutputError(
            f"{folder}: exists and holds no sweep manifest ({MANIFEST}); "
            "choose another --out or pass --force"
        )
    if force:
        # results first (moved aside in one rename, so that a kill never leaves old
        # results under the new manifest), then the manifest
        for name in (RESULTS, SUMMARY, FAILURES):
            remove_tree(folder / name)
    if not resume:
        write_json(mpath, manifest)
    return resume


def _clean(folder: Path) -> None:
    """Remove staging files a killed run left in the folder and its results."""
    clean_staging(folder)
    results = folder / RESULTS
    clean_staging(results)
    if results.is_dir():
        for cell_dir in results.iterdir():
            if cell_dir.is_dir():
                clean_staging(cell_dir)


def _difference(path: Path, old: dict[str, Any], new: dict[str, Any]) -> str:
    a, b = _fingerprint(old), _fingerprint(new)
    changed = sorted(k for k in ("id", "seed", "replications", "cells") if a.get(k) != b.get(k))
    ia, ib = a["inputs"], b["inputs"]
    files = sorted(f for f in set(ia) | set(ib) if ia.get(f) != ib.get(f))
    what = ", ".join(changed + [Path(f).name for f in files]) or "the manifest"
    return (
        f"{path}: the output folder holds a sweep with other inputs (changed: {what}); "
        "pass --force to start over or choose another --out"
    )


def write_json(path: str | Path, doc: Any) -> Path:
    """Write a JSON document atomically (replacing an existing file)."""
    return write_text_atomic(
        path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n", overwrite=True
    )


def manifest_doc(manifest: Manifest, sweep: dict[str, Any]) -> dict[str, Any]:
    """The manifest file's content: the sweep's identity and the reproducibility manifest."""
    return {"sweep": sweep, "manifest": asdict(manifest)}


def finished_tasks(out: str | Path) -> set[tuple[str, int]]:
    """``(cell id, replication)`` of every task whose file is present."""
    root = Path(out) / RESULTS
    done: set[tuple[str, int]] = set()
    if not root.is_dir():
        return done
    for cell_dir in root.iterdir():
        if not (cell_dir.is_dir() and cell_dir.name.startswith("cell=")):
            continue
        for f in cell_dir.iterdir():
            m = _TASK_FILE.match(f.name)
            if m:
                done.add((cell_dir.name.removeprefix("cell="), int(m.group(1))))
    return done


def write_row(out: str | Path, task: Task, row: dict[str, float]) -> Path:
    """Write one task's row atomically (never over an existing task file).

    Raises
    ------
    ExistingResultError
        If the task's file exists already.
    """
    columns: dict[str, pa.Array] = {
        "cell_index": pa.array([task.cell_index], pa.int64()),
        "replication": pa.array([task.replication], pa.int64()),
        "seed": pa.array([task.seed], pa.uint64()),
    }
    for name, value in row.items():
        columns[name] = pa.array([float(value)], pa.float64())
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return write_bytes_atomic(
        task_path(out, task.cell_id, task.replication), sink.getvalue().to_pybytes()
    )


def read_results(out: str | Path) -> pa.Table:
    """Every finished task of a sweep folder as one table, sorted by cell and replication.

    Columns: ``cell`` (from the partition folder), ``cell_index``, ``replication``,
    ``seed``, then the figures; a figure that some cells lack (a service one cell
    adds) is null there.

    Raises
    ------
    SweepOutputError
        If the folder holds no results.
    """
    root = Path(out) / RESULTS
    tables = []
    for cell_id, rep in sorted(finished_tasks(out)):
        t = pq.read_table(task_path(out, cell_id, rep))
        tables.append(t.add_column(0, "cell", pa.array([cell_id] * t.num_rows, pa.string())))
    if not tables:
        raise SweepOutputError(f"{root}: holds no sweep results")
    table = pa.concat_tables(tables, promote_options="default")
    return table.sort_by([("cell_index", "ascending"), ("replication", "ascending")])
