"""SIGKILL of a sweep's main process: its worker processes end within seconds.

The sweep runs in a subprocess (``sweep_runner.py``) whose tasks sleep for two
minutes; once both workers have started a task, the main process is killed with
SIGKILL (no clean-up of any kind) and every process it had started, directly or
not, must be gone within :data:`GRACE_S`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SWEEP_DATA = HERE.parent / "sweep" / "data"
#: Time allowed for the workers to notice [s]; they watch the main process directly
#: (measured: about 0.4 s on a loaded machine).
GRACE_S = 5.0
#: Time allowed for the helpers (forkserver, resource tracker) that end once the
#: workers have: the forkserver's interpreter shutdown takes about 2 s under load [s].
HELPERS_GRACE_S = 30.0

SWEEP = """
id = "orphans"
name = "Orphans"
base = "{base}"
seed = 3
replications = 4
[[cells]]
id = "base"
"""


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def _assert_all_end(family: set[int], workers: set[int]) -> None:
    """The workers end within GRACE_S, every other process of ``family`` within
    HELPERS_GRACE_S (those left are killed, then the test fails)."""
    start = time.monotonic()
    for group, grace in ((workers, GRACE_S), (family, HELPERS_GRACE_S)):
        while any(_alive(p) for p in group) and time.monotonic() < start + grace:
            time.sleep(0.05)
        left = sorted(p for p in group if _alive(p))
        for p in left:  # do not leave them to the next test
            os.kill(p, signal.SIGKILL)
        assert left == [], f"processes of the killed main process still running: {left}"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("executor", ["local", "dask"])
def test_workers_end_with_a_killed_main_process(tmp_path: Path, executor: str) -> None:
    if executor == "dask":
        pytest.importorskip("distributed")
    sweep = tmp_path / "orphans.toml"
    sweep.write_text(SWEEP.format(base=(SWEEP_DATA / "corridor.toml").as_posix()))
    started = tmp_path / "started"
    started.mkdir()
    env = {**os.environ, "FH_TEST_STARTED_DIR": str(started)}
    cmd = [sys.executable, str(HERE / "sweep_runner.py"), executor, str(sweep)]
    cmd += [str(tmp_path / "out"), str(SWEEP_DATA / "hubs")]
    main = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while len(list(started.iterdir())) < 2:
            assert main.poll() is None, main.communicate()[1]
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        workers = {int(p.name) for p in started.iterdir()}
        family = _descendants(main.pid)
        assert workers <= family
    finally:
        main.send_signal(signal.SIGKILL)
        main.wait()
    _assert_all_end(family, workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_simulate_workers_end_with_a_killed_main_process(tmp_path: Path) -> None:
    tiny = HERE.parent / "sim" / "tiny"
    cmd = [sys.executable, "-m", "freighthub", "simulate", str(tiny / "tiny.toml")]
    cmd += ["--hubs", str(tiny / "hubs"), "--replications", "400", "--workers", "2", "--json"]
    main = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while len(family := _descendants(main.pid)) < 2:
            assert main.poll() is None, main.communicate()[1]
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        time.sleep(1.0)  # the workers are simulating
        family = _descendants(main.pid)
    finally:
        main.send_signal(signal.SIGKILL)
        main.wait()
    _assert_all_end(family, family)  # the pool's workers are the main process's children
