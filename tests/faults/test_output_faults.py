"""Output faults of every writing command: read-only folder, full disk, a file in the way.

Each ends with exit 2 and one line on stderr naming the path and the reason (never a
traceback, never exit 1), and writes nothing. Tests run as root here, which ignores
permissions: the read-only folder is both ``chmod 0o555`` (effective for a normal
user) and guarded by patched ``os`` calls that refuse to create, rename or remove
anything inside it (effective for root), so the test means the same for both.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from freighthub import atomic
from freighthub.cli import main
from freighthub.model.chain import example_chain_path

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "sim" / "tiny"
SWEEP_DATA = ROOT / "tests" / "sweep" / "data"
SWEEP = """
id = "fault-sweep"
name = "Fault sweep"
base = "{base}"
seed = 5
replications = 1
[[cells]]
id = "base"
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _report(out: Path, tmp: Path) -> list[str]:
    spec = tmp / "spec.toml"
    spec.write_text(
        f'name = "faults"\nhubs = "{(ROOT / "hubs").as_posix()}"\n'
        'hub_ids = ["wuhan-yangluo"]\n[title]\nen = "Faults"\nzh = "故障"\n',
        encoding="utf-8",
    )
    return ["report", str(spec), "--format", "html,json", "--out", str(out)]


def _simulate(out: Path, tmp: Path) -> list[str]:
    tiny = [str(TINY / "tiny.toml"), "--hubs", str(TINY / "hubs"), "--replications", "1"]
    return ["simulate", *tiny, "--out", str(out)]


def _sweep(out: Path, tmp: Path) -> list[str]:
    path = tmp / "fault-sweep.toml"
    path.write_text(SWEEP.format(base=(SWEEP_DATA / "corridor.toml").as_posix()))
    hubs = str(SWEEP_DATA / "hubs")
    return ["sweep", str(path), "--workers", "1", "--out", str(out), "--hubs", hubs]


def _ileap(out: Path, tmp: Path) -> list[str]:
    return ["emissions", str(example_chain_path()), "--ileap", str(out)]


COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "report": _report,
    "simulate": _simulate,
    "sweep": _sweep,
    "ileap": _ileap,
}


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


@pytest.fixture()
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nothing can be created in, renamed in or removed from (root or not)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "kept.txt").write_text("kept")
    prefix = str(folder) + os.sep

    def inside(path: Any) -> bool:
        return isinstance(path, (str, bytes, os.PathLike)) and os.path.abspath(
            os.fsdecode(path)
        ).startswith(prefix)

    def guard(name: str, writes: Callable[..., bool]) -> None:
        real = getattr(os, name)

        def fake(*args: Any, **kwargs: Any) -> Any:
            if writes(*args) and any(inside(a) for a in args[:2]):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(args[0]))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, fake)

    creating = os.O_WRONLY | os.O_RDWR | os.O_CREAT
    guard("open", lambda path, flags=0, *rest: bool(flags & creating))
    for name in ("mkdir", "replace", "rename", "unlink", "rmdir"):
        guard(name, lambda *args: True)
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("under", [False, True], ids=["in", "under-new-folder"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_read_only_folder(
    read_only: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    under: bool,
) -> None:
    out = read_only / "sub" / "out" if under else read_only / "out"
    code, err = _run(COMMANDS[command](out, tmp_path), capsys)
    assert code == 2, err
    line = _one_line(err)
    assert str(out if not under else out.parent) in line or str(out) in line
    assert "cannot write: permission denied" in line
    assert sorted(p.name for p in read_only.iterdir()) == ["kept.txt"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_full_disk(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    def full(fd: int, data: memoryview) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    parent = tmp_path / "disk"
    out = parent / "out"
    code, err = _run(COMMANDS[command](out, tmp_path), capsys)
    assert code == 2, err
    line = _one_line(err)
    assert f"{out}" in line and "cannot write: no space left on device" in line
    written = [p for p in parent.rglob("*") if not p.is_dir()] if parent.exists() else []
    assert written == []  # nothing half-written, no staging file


def test_sweep_full_disk_at_a_task_then_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = atomic._write_all
    calls = [0]

    def full_after_manifest(fd: int, data: memoryview) -> None:
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(atomic, "_write_all", full_after_manifest)
    out = tmp_path / "out"
    code, err = _run(_sweep(out, tmp_path), capsys)
    assert code == 2
    assert "rep-0000.parquet: cannot write: no space left on device" in _one_line(err)
    monkeypatch.setattr(atomic, "_write_all", real)
    code, err = _run([*_sweep(out, tmp_path), "--json"], capsys)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cells"][0]["replications"] == 1
    assert [p.name for p in out.rglob(".*")] == []


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_in_the_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, force: bool
) -> None:
    user = tmp_path / "notes"
    user.write_text("the user's notes")
    extra = ["--force"] if force else []
    if command == "ileap":  # a folder where the file should go, or a file above it
        folder = tmp_path / "folder"
        folder.mkdir()
        cases = [(folder, "is a folder, not a file"), (user / "x.json", "is a file, not a folder")]
    else:
        cases = [(user, "is a file, not a folder"), (user / "out", "is a file, not a folder")]
    for out, reason in cases:
        code, err = _run([*COMMANDS[command](out, tmp_path), *extra], capsys)
        assert code == 2, err
        line = _one_line(err)
        assert str(out) in line and reason in line
    assert user.read_text() == "the user's notes"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("command", ["report", "simulate", "sweep"])
def test_folders_get_the_usual_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        code, err = _run(COMMANDS[command](out, tmp_path), capsys)
    finally:
        os.umask(old)
    assert code == 0, err
    assert out.stat().st_mode & 0o777 == 0o755
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {p.stat().st_mode & 0o777 for p in files} == {0o644}


def test_stale_staging_cleaned_user_files_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = [".out.999999999.0123abcd.partial", ".out.999999999.89abcdef.tmp"]
    (tmp_path / stale[0]).mkdir()
    (tmp_path / stale[0] / "half.json").write_text("{")
    (tmp_path / stale[1]).write_text("half")
    users = [".out.old", ".out.partial", ".out.1.2.partial", ".other.999999999.0123abcd.old"]
    for name in users:
        (tmp_path / name).write_text("the user's")
    code, err = _run(_simulate(tmp_path / "out", tmp_path), capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == sorted(users)


def test_force_replaces_and_hides_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run(_simulate(out, tmp_path), capsys)[0] == 0
    code, err = _run(_simulate(out, tmp_path), capsys)
    assert code == 2 and f"{out}: already exists: pass --force" in _one_line(err)
    assert _run([*_simulate(out, tmp_path), "--force", "--seed", "9"], capsys)[0] == 0
    assert json.loads((out / "summary.json").read_text())["headline"]["seed"] == 9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", ["report", "simulate"])
def test_read_only_refused_before_the_work(
    read_only: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the work ran before the output was checked")

    monkeypatch.setattr("freighthub.sim.experiment._replicate", no_work)
    monkeypatch.setattr("freighthub.report.writer.build_report", no_work)
    out = read_only / "out"
    code, err = _run(COMMANDS[command](out, tmp_path), capsys)
    assert code == 2
    assert f"{out}: cannot write: permission denied" in _one_line(err)
