"""Atomic writes: a result file or folder appears whole or not at all.

The report writer and the Parquet writers use these helpers; nothing else in
freighthub writes files. An existing result is never replaced unless the caller
passes ``overwrite=True``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from freighthub.errors import FreighthubError

__all__ = ["ExistingResultError", "atomic_directory", "write_bytes_atomic", "write_text_atomic"]


class ExistingResultError(FreighthubError):
    """The output already exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: already exists: pass --force to replace it")


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    Raises
    ------
    ExistingResultError
        If ``path`` exists and ``overwrite`` is false.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise ExistingResultError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return target


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 ``text`` atomically; see :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


@contextlib.contextmanager
def atomic_directory(path: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Build a result folder in a hidden sibling and move it into place at the end.

    If the block raises (or is interrupted), the partial folder is removed and any
    existing folder at ``path`` is left untouched.

    Raises
    ------
    ExistingResultError
        If ``path`` exists and ``overwrite`` is false.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise ExistingResultError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    try:
        yield staging
        if target.exists():
            backup = target.with_name(f".{target.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(target, backup)
            os.replace(staging, target)
            shutil.rmtree(backup)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
