"""Atomic writes: whole or nothing, never a silent overwrite."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from freighthub import atomic
from freighthub.atomic import (
    ExistingResultError,
    OutputError,
    atomic_directory,
    clean_staging,
    make_folder,
    remove_tree,
    write_text_atomic,
)


def test_write_then_refuse_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    write_text_atomic(target, "first")
    with pytest.raises(ExistingResultError, match=r"result\.json: already exists: pass --force"):
        write_text_atomic(target, "second")
    assert target.read_text() == "first"
    write_text_atomic(target, "second", overwrite=True)
    assert target.read_text() == "second"


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "result.json"

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("freighthub.atomic.os.replace", boom)
    with pytest.raises(OutputError, match=r"result\.json: cannot write: disk full"):
        write_text_atomic(target, "data")
    assert list(tmp_path.iterdir()) == []


def test_directory_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "report"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("a")
        assert not target.exists()
    assert (target / "a.txt").read_text() == "a"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_interrupted_directory_leaves_no_partial_folder(tmp_path: Path) -> None:
    target = tmp_path / "report"
    with pytest.raises(KeyboardInterrupt), atomic_directory(target) as staging:
        (staging / "half.txt").write_text("half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_kept_unless_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "report"
    with atomic_directory(target) as staging:
        (staging / "v1.txt").write_text("1")
    with pytest.raises(ExistingResultError), atomic_directory(target):
        pass
    with pytest.raises(RuntimeError), atomic_directory(target, overwrite=True) as staging:
        (staging / "v2.txt").write_text("2")
        raise RuntimeError("failed midway")
    assert [p.name for p in target.iterdir()] == ["v1.txt"]
    with atomic_directory(target, overwrite=True) as staging:
        (staging / "v2.txt").write_text("2")
    assert [p.name for p in target.iterdir()] == ["v2.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


#: A process id that no process has (above Linux's largest pid_max, 2**22).
DEAD_PID = 999_999_999


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_replaced_directory_leaves_no_old_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    target = tmp_path / "report"
    with atomic_directory(target) as staging:
        (staging / "v1.txt").write_text("1")
    with atomic_directory(target, overwrite=True) as staging:
        (staging / "v2.txt").write_text("2")
    assert [p.name for p in target.iterdir()] == ["v2.txt"]
    assert list(tmp_path.iterdir()) == [target]  # no hidden .report.old


def test_stale_staging_removed_and_old_result_put_back(tmp_path: Path) -> None:
    for name in (".report.%d.0123abcd.partial", ".data.json.%d.0123abcd.tmp"):
        p = tmp_path / (name % DEAD_PID)
        p.mkdir() if name.endswith("partial") else p.write_text("half")
    old = tmp_path / f".report.{DEAD_PID}.89abcdef.old"
    old.mkdir()
    (old / "v1.txt").write_text("1")
    live = tmp_path / f".other.{os.getpid()}.0123abcd.partial"  # a running write
    live.mkdir()
    users = [".report.old", ".report.partial", ".report.12.xyz.partial", "report.old"]
    for name in users:
        (tmp_path / name).write_text("user data")
    clean_staging(tmp_path)
    assert (tmp_path / "report" / "v1.txt").read_text() == "1"  # put back
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*users, "report", live.name])


def test_old_result_removed_when_new_one_is_in_place(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "v2.txt").write_text("2")
    (tmp_path / f".report.{DEAD_PID}.89abcdef.old").mkdir()
    with pytest.raises(ExistingResultError), atomic_directory(tmp_path / "report"):
        pass  # the next write cleans first, then refuses
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with atomic_directory(tmp_path / "out") as staging:
            atomic.write_staged(staging / "a.json", "{}")
        write_text_atomic(tmp_path / "b.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "out" / "a.json").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o640


def test_a_file_in_the_way(tmp_path: Path) -> None:
    user = tmp_path / "notes.txt"
    user.write_text("mine")
    for force in (False, True):
        file_msg = r"notes\.txt: cannot write: is a file, not a folder"
        with pytest.raises(OutputError, match=file_msg), atomic_directory(user, overwrite=force):
            pass
        under_msg = r"notes\.txt is a file, not a folder"
        with (
            pytest.raises(OutputError, match=under_msg),
            atomic_directory(user / "r", overwrite=force),
        ):
            pass
        with pytest.raises(OutputError, match=r"notes\.txt is a file, not a folder"):
            write_text_atomic(user / "x.json", "{}", overwrite=force)
    with pytest.raises(OutputError, match=r"cannot write: is a folder, not a file"):
        write_text_atomic(tmp_path, "{}", overwrite=True)
    with pytest.raises(OutputError, match=r"notes\.txt is a file, not a folder"):
        make_folder(user / "sub")
    assert user.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_errors_in_the_block_name_the_result(tmp_path: Path) -> None:
    full = r"/out: cannot write: no space left on device"
    with pytest.raises(OutputError, match=full), atomic_directory(tmp_path / "out"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_remove_tree(tmp_path: Path) -> None:
    (tmp_path / "results" / "a").mkdir(parents=True)
    (tmp_path / "f.json").write_text("{}")
    remove_tree(tmp_path / "results")
    remove_tree(tmp_path / "f.json")
    remove_tree(tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []


def test_probe_output_fails_early_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    atomic.probe_output(tmp_path / "a" / "b" / "out")  # creates no folder
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match=r"f/out: cannot write: .*f is a file, not a folder"):
        atomic.probe_output(tmp_path / "f" / "out")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(os, "open", refuse)
        with pytest.raises(OutputError, match=r"/out: cannot write: permission denied"):
            atomic.probe_output(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_forced_replace_of_a_link_to_a_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "v1.txt").write_text("1")
    link = tmp_path / "link"
    link.symlink_to(real)
    with atomic_directory(link, overwrite=True) as staging:
        (staging / "v2.txt").write_text("2")
    assert not link.is_symlink() and [p.name for p in link.iterdir()] == ["v2.txt"]
    assert [p.name for p in real.iterdir()] == ["v1.txt"]  # the link's target is not touched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
