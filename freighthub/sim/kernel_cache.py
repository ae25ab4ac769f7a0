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
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["KERNEL_MODULES", "drop_stale"]

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
