"""Atomic writes: a result file or folder appears whole or not at all.

Every file freighthub writes goes through this module. The rules:

* A result is built under a hidden *staging* name next to it
  (``.NAME.<pid>.<random>.partial`` for a folder, ``.NAME.<pid>.<random>.tmp`` for a
  file) and moved into place with one rename; a kill at any moment leaves either
  the old result or the new one, never a mix.
* An existing result is replaced only with ``overwrite=True`` (``--force``). A
  folder is swapped with the new one in one step (``renameat2(RENAME_EXCHANGE)``
  on Linux; elsewhere two renames whose middle state the next run undoes), then the
  old one is removed: after success nothing of the old result remains, hidden or not.
* Staging names left by a killed run (their process id is no longer running) are
  removed, or put back, by the next write in the same folder
  (:func:`clean_staging`). Only names of exactly this form are touched.
* Files and folders get the usual permissions (``0o666`` / ``0o777`` less the umask),
  as ``open`` and ``mkdir`` would give them.
* Any operating-system error (read-only folder, full disk, a file where a folder
  should be) becomes an :class:`OutputError` naming the path and the reason.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from freighthub.errors import FreighthubError

__all__ = [
    "ExistingResultError",
    "OutputError",
    "atomic_directory",
    "check_output",
    "clean_staging",
    "make_folder",
    "probe_output",
    "remove_tree",
    "write_bytes_atomic",
    "write_staged",
    "write_text_atomic",
]

_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.(?P<kind>partial|old|tmp)$")


class ExistingResultError(FreighthubError):
    """The output already exists and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: already exists: pass --force to replace it")


class OutputError(FreighthubError):
    """An output cannot be written: read-only folder, full disk, a file in the way ...

    The message reads ``path: cannot write: reason``.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: cannot write: {reason}")


def _why(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]


@contextlib.contextmanager
def _as_output_error(path: Path) -> Iterator[None]:
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(path, _why(exc)) from exc


def _staging_name(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.{kind}")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by another user
        return True
    return True


def clean_staging(folder: str | Path, name: str | None = None) -> None:
    """Remove staging names left in ``folder`` by runs that no longer run.

    A left ``.NAME.<pid>.<random>.old`` (a replaced result, moved aside by a run
    killed before the new one was in place) is put back at ``NAME`` if ``NAME`` is
    missing; every other left staging entry is removed. Staging entries of running
    processes and every other name are left alone.

    Parameters
    ----------
    folder
        The folder to clean (a missing folder is nothing to clean).
    name
        Only the staging entries of this result name (default: all).

    Raises
    ------
    OutputError
        If a left entry cannot be removed or put back.
    """
    root = Path(folder)
    try:
        entries = sorted(os.listdir(root))
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise OutputError(root, _why(exc)) from exc
    for entry in entries:
        m = _STAGING.match(entry)
        if m is None or (name is not None and m["name"] != name):
            continue
        if _running(int(m["pid"])):
            continue
        path = root / entry
        with _as_output_error(path):
            target = root / m["name"]
            if m["kind"] == "old" and not os.path.lexists(target):
                os.replace(path, target)
            elif path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def make_folder(path: str | Path, *, result: str | Path | None = None) -> Path:
    """Create ``path`` and its parents (usual permissions) if missing.

    Parameters
    ----------
    path
        The folder.
    result
        The result the folder is made for, named in errors (default ``path``).

    Raises
    ------
    OutputError
        If it cannot be created, or a file stands where a folder is needed.
    """
    folder = Path(path)
    named = Path(result) if result is not None else folder
    with _as_output_error(named):
        for part in reversed([folder, *folder.parents]):
            if os.path.lexists(part) and not part.is_dir():
                raise OutputError(named, f"{part} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_tree(path: str | Path) -> None:
    """Remove a file or folder if present, in one step.

    A folder is first renamed to a staging name, so that a kill while it is being
    removed leaves no half-removed folder at ``path`` (the next run removes the rest).

    Raises
    ------
    OutputError
        If it cannot be removed.
    """
    p = Path(path)
    with _as_output_error(p):
        if p.is_dir() and not p.is_symlink():
            aside = _staging_name(p, "partial")
            os.replace(p, aside)
            shutil.rmtree(aside)
        else:
            p.unlink(missing_ok=True)


def check_output(path: str | Path, *, folder: bool, overwrite: bool) -> bool:
    """Whether the result ``path`` exists; refuse one of the wrong kind or an unasked overwrite.

    Parameters
    ----------
    path
        The result (a folder if ``folder``, else a file).
    folder, overwrite
        The kind of result; whether an existing one may be replaced (``--force``).

    Raises
    ------
    ExistingResultError
        If ``path`` exists and ``overwrite`` is false.
    OutputError
        If ``path`` is a file where a folder is wanted or the other way round.

    Staging entries of ``path`` left by a killed run are cleaned first
    (:func:`clean_staging`), so a result moved aside is back before the check.
    """
    target = Path(path)
    clean_staging(target.parent, target.name)
    if not os.path.lexists(target):
        return False
    if folder and not target.is_dir():
        raise OutputError(target, "is a file, not a folder: choose another path")
    if not folder and target.is_dir():
        raise OutputError(target, "is a folder, not a file: choose another path")
    if not overwrite:
        raise ExistingResultError(target)
    return True


def probe_output(path: str | Path) -> None:
    """Fail early if nothing can be written where ``path`` would go.

    Creates and removes a staging file in the nearest existing folder above ``path``
    (creating no folder), so that a read-only folder is reported before a long run.

    Raises
    ------
    OutputError
        If the file cannot be created there, or a file stands where a folder is needed.
    """
    target = Path(path)
    folder = target.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(target, f"{folder} is a file, not a folder")
    probe = _staging_name(folder / target.name, "tmp")
    with _as_output_error(target):
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` through a staging file and an atomic rename.

    Raises
    ------
    ExistingResultError
        If ``path`` exists and ``overwrite`` is false.
    OutputError
        If the file cannot be written (its path and the reason).
    """
    target = Path(path)
    check_output(target, folder=False, overwrite=overwrite)
    make_folder(target.parent, result=target)
    tmp = _staging_name(target, "tmp")
    try:
        with _as_output_error(target):
            _write_new(tmp, data)
            check_output(target, folder=False, overwrite=overwrite)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return target


def _write_all(fd: int, data: memoryview) -> None:
    """Write every byte (the one place bytes reach a file)."""
    while data:
        data = data[os.write(fd, data) :]


def _write_new(path: Path, data: bytes | bytearray | memoryview) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_all(fd, memoryview(data).cast("B"))
        os.fsync(fd)
    finally:
        os.close(fd)


def write_staged(path: str | Path, data: str | bytes | bytearray | memoryview) -> Path:
    """Write a new file inside a staging folder (str as UTF-8).

    Use it in an :func:`atomic_directory` block; the folder makes the whole atomic.

    Raises
    ------
    OutputError
        If the file cannot be written (its path and the reason).
    """
    p = Path(path)
    with _as_output_error(p):
        _write_new(p, data.encode("utf-8") if isinstance(data, str) else data)
    return p


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 ``text`` atomically; see :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not on this file system
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


@contextlib.contextmanager
def atomic_directory(path: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Build a result folder in a hidden staging folder and move it into place at the end.

    If the block raises (or is interrupted), the staging folder is removed and any
    existing folder at ``path`` is left untouched. An operating-system error in the
    block (the block writes into the staging folder) is raised as :class:`OutputError`
    naming ``path``.

    Raises
    ------
    ExistingResultError
        If ``path`` exists and ``overwrite`` is false.
    OutputError
        If the folder cannot be written, or ``path`` is a file.
    """
    target = Path(path)
    make_folder(target.parent, result=target)
    check_output(target, folder=True, overwrite=overwrite)
    staging = _staging_name(target, "partial")
    with _as_output_error(target):
        os.mkdir(staging, 0o777)
    try:
        with _as_output_error(target), _named_in(staging, target):
            yield staging
            _fsync_tree(staging)
            if check_output(target, folder=True, overwrite=overwrite):
                _replace_folder(staging, target)
            else:
                os.replace(staging, target)
            _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)


@contextlib.contextmanager
def _named_in(staging: Path, target: Path) -> Iterator[None]:
    """Name a file of the staging folder in errors by its place in the result."""
    try:
        yield
    except OutputError as exc:
        if exc.path == staging or staging in exc.path.parents:
            raise OutputError(target / exc.path.relative_to(staging), exc.reason) from exc
        raise


def _replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target`` (which exists) and remove the old folder."""
    if _exchange(staging, target):
        _discard(staging)  # the old result, now at the staging name
        return
    # a kill between these two renames leaves the old result at the ``.old`` name,
    # which clean_staging puts back at ``target``
    backup = _staging_name(target, "old")
    os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(backup, target)
        raise
    _discard(backup)


def _discard(path: Path) -> None:
    """Remove a folder, or a symbolic link (a result given as a link to a folder)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path)
