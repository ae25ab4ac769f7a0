"""Atomic writes: whole or nothing, never a silent overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.atomic import ExistingResultError, atomic_directory, write_text_atomic


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
    with pytest.raises(OSError, match="disk full"):
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
