"""The compiled loop's numba cache is dropped when any of the loop's sources changes."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from freighthub.sim import kernel_cache

MODULES = ("kernel_a", "kernel_b")


def _package(tmp_path: Path) -> Path:
    for name in MODULES:
        (tmp_path / f"{name}.py").write_text(f"# {name}\n")
    (tmp_path / "__pycache__").mkdir()
    return tmp_path


def _cached(folder: Path, name: str) -> list[Path]:
    entries = [
        folder / "__pycache__" / f"{name}.run-10.py311.nbi",
        folder / "__pycache__" / f"{name}.run-10.py311.1.nbc",
    ]
    for entry in entries:
        entry.write_bytes(b"compiled")
    return entries


def test_a_changed_callee_drops_every_cached_module(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    other = folder / "__pycache__" / "other.cpython-311.pyc"
    other.write_bytes(b"bytecode")
    first = _cached(folder, "kernel_a") + _cached(folder, "kernel_b")
    assert kernel_cache.drop_stale(folder, MODULES)  # no stamp yet
    assert not any(p.exists() for p in first) and other.exists()

    kept = _cached(folder, "kernel_a") + _cached(folder, "kernel_b")
    assert not kernel_cache.drop_stale(folder, MODULES)  # sources unchanged
    assert all(p.exists() for p in kept)

    (folder / "kernel_b.py").write_text("# kernel_b, edited\n")  # only the callee changes
    assert kernel_cache.drop_stale(folder, MODULES)
    assert not any(p.exists() for p in kept)  # the caller's cache goes too
    assert not kernel_cache.drop_stale(folder, MODULES)


def test_a_cache_folder_that_cannot_be_written_is_left_alone(tmp_path: Path) -> None:
    for name in MODULES:
        (tmp_path / f"{name}.py").write_text(f"# {name}\n")
    (tmp_path / "__pycache__").write_text("not a folder")  # mkdir fails: OSError
    assert not kernel_cache.drop_stale(tmp_path, MODULES)


def test_the_shipped_loop_is_stamped_once_imported() -> None:
    from freighthub.sim import terminal_state  # noqa: F401  (imports stamp the cache)

    assert not kernel_cache.drop_stale()


def _index(folder: Path, stamp: object, version: str, overloads: dict[str, str]) -> Path:
    """A numba index file of ``terminal_kernel.run_loop`` as numba writes one."""
    path = folder / "__pycache__" / "terminal_kernel.run_loop-404.py311.nbi"
    with path.open("wb") as f:
        pickle.dump(version, f, protocol=-1)
        f.write(pickle.dumps((stamp, overloads), protocol=-1))
    return path


def test_loop_cached_reads_numbas_index_and_source_stamp(tmp_path: Path) -> None:
    import numba
    from numba.core.caching import _hash_source_file

    if numba.config.CACHE_DIR:  # (numba caches in that folder, not beside the source)
        pytest.skip("NUMBA_CACHE_DIR is set")
    source = tmp_path / "terminal_kernel.py"
    source.write_text("# the loop\n")
    (tmp_path / "__pycache__").mkdir()
    assert kernel_cache.loop_cached(tmp_path) is False  # nothing cached
    st = source.stat()
    stamp = _hash_source_file(str(source), st.st_mtime, st.st_size)
    _index(tmp_path, stamp, numba.__version__, {"signature": "file.1.nbc"})
    assert kernel_cache.loop_cached(tmp_path) is True
    _index(tmp_path, stamp, "0.0.0", {"signature": "file.1.nbc"})  # another numba
    assert kernel_cache.loop_cached(tmp_path) is False
    _index(tmp_path, b"an older source", numba.__version__, {"signature": "file.1.nbc"})
    assert kernel_cache.loop_cached(tmp_path) is False


def test_a_missing_loop_is_compiled_by_a_child(tmp_path: Path, monkeypatch: Any) -> None:
    folder = tmp_path / "freighthub" / "sim"
    folder.mkdir(parents=True)
    (folder / "terminal_kernel.py").write_text("# the loop\n")
    calls: list[tuple[list[str], dict[str, str]]] = []
    cached = [False]

    def child(args: list[str], env: dict[str, str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append((args, env))
        cached[0] = True  # (the child fills the cache)
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(kernel_cache, "loop_cached", lambda folder: cached[0])
    monkeypatch.setattr(kernel_cache.subprocess, "run", child)
    monkeypatch.delenv(kernel_cache.CHILD_ENV, raising=False)
    assert kernel_cache.compile_in_child(folder)
    ((args, env),) = calls
    assert args[0] == sys.executable and "freighthub.sim.kernel_warmup" in args[-1]
    assert str(tmp_path) in args[-1]  # (the child imports this package, not another one)
    assert env[kernel_cache.CHILD_ENV] == "1"  # (no grandchild)
    assert not kernel_cache.compile_in_child(folder)  # cached now: no second child
    cached[0] = False
    monkeypatch.setenv(kernel_cache.CHILD_ENV, "1")  # in the child itself
    assert not kernel_cache.compile_in_child(folder)
    assert len(calls) == 1


def test_a_failing_child_leaves_the_compile_to_the_process(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(kernel_cache, "loop_cached", lambda folder: False)
    monkeypatch.setattr(
        kernel_cache.subprocess, "run", lambda args, **_: subprocess.CompletedProcess(args, 1)
    )
    monkeypatch.delenv(kernel_cache.CHILD_ENV, raising=False)
    assert not kernel_cache.compile_in_child(tmp_path / "freighthub" / "sim")


def test_the_shipped_loop_is_in_the_cache_once_imported() -> None:
    from freighthub.sim import terminal_state  # noqa: F401  (the import readies the cache)

    assert kernel_cache.loop_cached() in (True, None)  # (None: numba's layout unknown)
