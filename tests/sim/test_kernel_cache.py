"""The compiled loop's numba cache is dropped when any of the loop's sources changes."""

from __future__ import annotations

from pathlib import Path

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
