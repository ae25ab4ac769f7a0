"""A kill at every rename (and every removal) of report, simulate --out and sweep.

Each killed run is a subprocess (``kill_runner.py``) that ends with ``os._exit(9)``
at its Nth step, as SIGKILL would: no ``finally``, no clean-up. After each kill the
result is either the old one or the new one, whole; the next run (in this process)
leaves no staging entry behind, and a sweep resumes to the complete result.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from freighthub.cli import main
from freighthub.sweep.store import finished_tasks, read_results

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNNER = HERE / "kill_runner.py"
TINY = ROOT / "tests" / "sim" / "tiny"
SWEEP_DATA = ROOT / "tests" / "sweep" / "data"
KILLED = 9
#: Killed runs at once (each is a Python process; the machine may be small).
PARALLEL = 3

SIM_FILES = [
    "flows.geojson", "flows.parquet", "journeys.parquet", "manifest.json", "routes.csv",
    "routes.xlsx", "summary.json", "trips.parquet",
]  # fmt: skip
REPORT_FILES = ["report.html", "report.json"]

SWEEP = """
id = "kill-sweep"
name = "Killed sweep"
base = "{base}"
seed = 5
replications = 2

[[axes]]
id = "barges"
[[axes.levels]]
id = "today"
[[axes.levels]]
id = "more"
[[axes.levels.change_services]]
id = "barge-ab"
departures_per_week = 4
"""


def _cli(argv: Sequence[str]) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _killed_runs(
    args: Callable[[Path], list[str]], setups: Sequence[Path], steps: Sequence[int], *, swap: bool
) -> list[tuple[int, str]]:
    """Run ``args(folder)`` once per (folder, step), killed at that step; (exit code, stderr)."""

    def one(folder: Path, step: int) -> tuple[int, str]:
        cmd = [sys.executable, str(RUNNER), str(step), str(folder / ".count")]
        cmd += [] if swap else ["--no-exchange"]
        done = subprocess.run(
            [*cmd, "--", *args(folder)], capture_output=True, text=True, timeout=600, cwd=folder
        )
        return done.returncode, done.stderr

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(one, setups, steps))


def _steps(args: Callable[[Path], list[str]], folder: Path, *, swap: bool = True) -> int:
    """The number of steps of an unkilled run in ``folder`` (which it changes)."""
    [(code, err)] = _killed_runs(args, [folder], [0], swap=swap)
    assert code == 0, err
    return int((folder / ".count").read_text())


def _staging(root: Path) -> list[str]:
    """Hidden entries under ``root`` (staging names), except the runner's counter."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob(".*")
        if p.name != ".count" and ".pytest" not in p.name
    )


def _copies(template: Path, n: int, tag: str = "kill") -> list[Path]:
    out = []
    for i in range(n):
        target = template.parent / f"{tag}-{i + 1}"
        shutil.copytree(template, target, symlinks=True)
        out.append(target)
    return out


# -- simulate --out and report: a result folder -----------------------------------


def _simulate(seed: int) -> Callable[[Path], list[str]]:
    return lambda folder: [
        "simulate",
        str(TINY / "tiny.toml"),
        "--hubs",
        str(TINY / "hubs"),
        "--replications",
        "1",
        "--seed",
        str(seed),
        "--out",
        str(folder / "out"),
        "--force",
    ]


def _sim_version(out: Path) -> int | None:
    """The seed of a whole simulate result folder (asserting it is whole)."""
    assert sorted(p.name for p in out.iterdir()) == SIM_FILES
    pq.read_table(out / "journeys.parquet")
    return int(json.loads((out / "summary.json").read_text())["headline"]["seed"])


def _report(folder: Path) -> list[str]:
    spec = folder / "spec.toml"
    if not spec.exists():
        spec.write_text(
            f'name = "faults"\nhubs = "{(ROOT / "hubs").as_posix()}"\n'
            'hub_ids = ["wuhan-yangluo", "nanjing-longtan"]\n'
            '[title]\nen = "Faults"\nzh = "故障"\n',
            encoding="utf-8",
        )
    return ["report", str(spec), "--format", "html,json", "--out", str(folder / "out"), "--force"]


def _report_version(out: Path) -> int | None:
    """1 for the old report (it holds a marker file), 2 for the new one (whole)."""
    names = sorted(p.name for p in out.iterdir())
    if "old.marker" in names:
        return 1
    assert names == REPORT_FILES
    json.loads((out / "report.json").read_text(encoding="utf-8"))
    return 2


# A new folder takes one rename either way; the two-rename replace (where the file
# system has no exchange) is shared code, run once.
CASES = [
    ("simulate", False, True),
    ("simulate", True, True),
    ("simulate", True, False),
    ("report", False, True),
    ("report", True, True),
]


@pytest.mark.parametrize(
    ("command", "existing", "swap"),
    CASES,
    ids=[
        "simulate-new",
        "simulate-replace",
        "simulate-replace-2-renames",
        "report-new",
        "report-replace",
    ],
)
def test_kill_at_each_step_of_a_result_folder(
    tmp_path: Path, command: str, existing: bool, swap: bool
) -> None:
    if command == "simulate":
        args, version, old, new = _simulate(2), _sim_version, 1, 2
    else:
        args, version, old, new = _report, _report_version, 1, 2
    template = tmp_path / "case"
    template.mkdir()
    if existing:  # the result of an earlier run, to be replaced with --force
        if command == "simulate":
            assert _cli(_simulate(1)(template)) == 0
        else:
            assert _cli(_report(template)) == 0
            (template / "out" / "old.marker").write_text("old")
    reference = _copies(template, 1, "reference")[0]
    n = _steps(args, reference, swap=swap)
    assert version(reference / "out") == new and _staging(reference) == []
    folders = _copies(template, n)
    for (code, err), folder in zip(
        _killed_runs(args, folders, range(1, n + 1), swap=swap), folders, strict=True
    ):
        assert code == KILLED, err
        out = folder / "out"
        present = existing or out.exists()
        # nothing half-written: the old result or the new one, whole (or, between the
        # two renames of the fallback, the old one moved aside for the next run)
        if out.exists():
            assert version(out) in ((old, new) if existing else (new,))
        else:
            assert not existing or not swap
        # the next run cleans up (and, without --force, refuses to replace a result)
        code = _cli([a for a in args(folder) if a != "--force"])
        assert code == (2 if present else 0)
        assert _staging(folder) == [], folder
        assert version(out) in (old, new)  # never lost


# -- sweep: many files, resumed ----------------------------------------------------


def _sweep_args(folder: Path) -> list[str]:
    path = folder / "kill-sweep.toml"
    if not path.exists():
        base = (SWEEP_DATA / "corridor.toml").as_posix()
        path.write_text(SWEEP.format(base=base), encoding="utf-8")
    return [
        "sweep",
        str(path),
        "--workers",
        "1",
        "--out",
        str(folder / "out"),
        "--hubs",
        str(SWEEP_DATA / "hubs"),
        "--json",
    ]


def _check_sweep_whole(out: Path) -> None:
    """Every file present is whole (JSON parses, Parquet reads)."""
    for p in out.rglob("*"):
        if p.name.endswith(".json"):
            json.loads(p.read_text(encoding="utf-8"))
        elif p.name.endswith(".parquet"):
            assert pq.read_table(p).num_rows == 1


def _check_sweep_complete(out: Path) -> None:
    table = read_results(out)
    keys = list(zip(table["cell"].to_pylist(), table["replication"].to_pylist(), strict=True))
    assert sorted(keys) == sorted(set(keys))  # no duplicate
    assert sorted(keys) == [("more", 0), ("more", 1), ("today", 0), ("today", 1)]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [c["replications"] for c in summary["cells"]] == [2, 2]
    assert not (out / "failures.json").exists()


def test_sweep_killed_at_each_step_resumes(tmp_path: Path) -> None:
    template = tmp_path / "case"
    template.mkdir()
    reference = _copies(template, 1, "reference")[0]
    n = _steps(_sweep_args, reference)
    # the manifest, 4 task files and the summary at least
    assert n >= 6
    _check_sweep_complete(reference / "out")
    folders = _copies(template, n)
    results = _killed_runs(_sweep_args, folders, range(1, n + 1), swap=True)
    for step, ((code, err), folder) in enumerate(zip(results, folders, strict=True), 1):
        assert code == KILLED, err
        out = folder / "out"
        if out.exists():
            _check_sweep_whole(out)
            done_before = finished_tasks(out)
        else:
            done_before = set()
        assert len(done_before) <= 4
        code = _cli(_sweep_args(folder))
        assert code == 0, f"step {step}"
        _check_sweep_complete(out)
        assert _staging(folder) == [], f"step {step}"


def _seeds(out: Path) -> set[int]:
    if not finished_tasks(out):
        return set()
    return {int(s) for s in read_results(out)["seed"].to_pylist()}


def test_sweep_restarted_with_force_killed_at_each_step(tmp_path: Path) -> None:
    """--force over another sweep's results: killed anywhere, old results never survive
    under the new manifest; a rerun with --force completes."""
    template = tmp_path / "case"
    template.mkdir()
    args = _sweep_args(template)
    (template / "kill-sweep.toml").write_text(
        (template / "kill-sweep.toml").read_text().replace("seed = 5", "seed = 6")
    )
    assert _cli(args) == 0  # an earlier sweep (seed 6) in out/
    (template / "kill-sweep.toml").write_text(
        (template / "kill-sweep.toml").read_text().replace("seed = 6", "seed = 5")
    )

    def forced(folder: Path) -> list[str]:
        return [*_sweep_args(folder), "--force"]

    reference = _copies(template, 1, "reference")[0]
    n = _steps(forced, reference)
    folders = _copies(template, n)
    results = _killed_runs(forced, folders, range(1, n + 1), swap=True)
    for step, ((code, err), folder) in enumerate(zip(results, folders, strict=True), 1):
        assert code == KILLED, err
        out = folder / "out"
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        if manifest["sweep"]["seed"] == 5:  # the new manifest: no result of seed 6 left
            assert _seeds(out) <= _seeds(reference / "out"), f"step {step}"
        assert _cli(forced(folder)) == 0, f"step {step}"
        _check_sweep_complete(out)
        assert _staging(folder) == [], f"step {step}"
