"""numba's on-disk cache of the compiled loop, kept true to the loop's sources.

numba keys a cached function (``cache=True``) on its own source file only. A compiled
function that calls one from another file (``terminal_kernel.run_loop`` calls
``terminal_heap``, ``terminal_units``, ``terminal_departures``, ``terminal_background``
and ``terminal_state``) keeps the callee's old machine code in its cache after the
callee's file changes, with no warning. :func:`drop_stale` removes the cached entries of
every module of the loop when any of their sources changed since the stamp it wrote.

It acts on numba's default, in-tree cache (``__pycache__`` beside the sources). Where
that folder cannot be written (an installed, read-only package), numba caches in the
user's cache folder instead, and the sources do not change there, so there is nothing
to do.

Compiling the loop takes LLVM about 0.3 GiB (5 M TEU year, 7 Dec 2026: 0.83 GiB
resident before the run against 0.52 GiB with the loop loaded from the cache), which the
process does not give back.
:func:`compile_in_child` therefore has a short-lived child process
(:mod:`freighthub.sim.kernel_warmup`) compile it into the cache when numba's cache lacks
it, wherever numba keeps that cache (in-tree, ``NUMBA_CACHE_DIR`` or the user's cache
folder); the process itself then loads the compiled code. If the child fails, or where
the cache cannot be found or read, the process compiles the loop itself, as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "CHILD_ENV",
    "KERNEL_MODULES",
    "compile_in_child",
    "drop_stale",
    "loop_cached",
    "prepare_cache",
]

#: Set (to any value) in the child that compiles the loop, and by anyone who wants the
#: loop compiled in-process: :func:`compile_in_child` then starts no child.
CHILD_ENV = "FREIGHTHUB_KERNEL_IN_PROCESS"

#: The modules of the compiled loop whose functions numba caches.
KERNEL_MODULES: tuple[str, ...] = (
    "terminal_borrow",
    "terminal_state",
    "terminal_units",
    "terminal_heap",
    "terminal_departures",
    "terminal_background",
    "terminal_kernel",
)

_STAMP = "terminal-kernel.sources"


def _digest(folder: Path, modules: tuple[str, ...]) -> str:
    sha = hashlib.sha256()
    for name in modules:
        sha.update(name.encode())
        sha.update((folder / f"{name}.py").read_bytes())
    return sha.hexdigest()


def drop_stale(
    folder: Path = Path(__file__).parent, modules: tuple[str, ...] = KERNEL_MODULES
) -> bool:
    """Remove the cached compiled code of ``modules`` if any of their sources changed.

    Returns True when stale entries were looked for and removed (the stamp was missing
    or differed), False when the cache is current or cannot be written.
    """
    cache = folder / "__pycache__"
    stamp = cache / _STAMP
    try:
        digest = _digest(folder, modules)
    except OSError:  # sources not readable as files (zipped install): nothing to key on
        return False
    try:
        if stamp.read_text(encoding="ascii") == digest:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    try:
        for name in modules:
            for entry in cache.glob(f"{name}.*.nb[ic]"):
                entry.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        partial = cache / f"{_STAMP}.{os.getpid()}.tmp"
        partial.write_text(digest, encoding="ascii")
        os.replace(partial, stamp)
    except OSError:  # read-only folder: numba uses the user's cache folder instead
        return False
    return True


def loop_cached(folder: Path = Path(__file__).parent) -> bool | None:
    """Whether numba's cache holds the compiled loop (``terminal_kernel.run_loop``) for
    the current source; None if that cannot be told (no cache folder numba would use,
    another numba layout).

    Reads the cache as numba does (its locators, index files and source stamps), without
    compiling or loading anything.
    """
    source = folder / "terminal_kernel.py"
    try:
        import numba
        from numba.core import caching

        names = ("CacheImpl", "_CacheImpl")  # (numba 0.60 and later, earlier)
        impl: Any = next(getattr(caching, name) for name in names if hasattr(caching, name))
        for locator_class in impl._locator_classes:
            # (a locator reads the function only for its first line: any function will do)
            locator = locator_class.from_function(loop_cached, str(source))
            if locator is not None:
                break
        else:
            return None
        stamp = locator.get_source_stamp()
        for index in Path(locator.get_cache_path()).glob("terminal_kernel.run_loop-*.nbi"):
            with index.open("rb") as f:
                if pickle.load(f) != numba.__version__:
                    continue
                fresh, overloads = pickle.loads(f.read())
            if fresh == stamp and overloads:
                return True
        return False
    except Exception:  # (any surprise in numba's internals: cannot tell)
        return None


def compile_in_child(folder: Path = Path(__file__).parent, timeout_s: float = 900.0) -> bool:
    """Have a child process compile the loop into numba's cache if the cache lacks it.

    Returns True when a child compiled it (the caller then loads it from the cache),
    False when nothing was done: the loop is cached, cannot be told to be missing, this
    process is the child (or :data:`CHILD_ENV` is set), or the child failed (the caller
    then compiles it itself). ``timeout_s`` bounds the child's run [s].
    """
    if os.environ.get(CHILD_ENV) is not None or getattr(sys, "frozen", False):
        return False
    if loop_cached(folder) is not False:
        return False
    root = str(folder.parents[1])  # (the folder holding this freighthub package)
    code = f"import sys; sys.path.insert(0, {root!r}); import runpy; runpy.run_module('freighthub.sim.kernel_warmup', run_name='__main__')"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, CHILD_ENV: "1"},
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and loop_cached(folder) is True


def prepare_cache() -> None:
    """Ready numba's cache before the loop is compiled or loaded: :func:`drop_stale`,
    then :func:`compile_in_child` (run when ``terminal_state`` is imported)."""
    drop_stale()
    compile_in_child()
