"""The national benchmark script runs end to end on a small network (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_sim_national_benchmark_runs_small(repo_root: Path) -> None:
    script = repo_root / "benchmarks" / "run.py"
    completed = subprocess.run(
        [sys.executable, str(script), "--help-only-names"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "sim_national" in completed.stderr
    small = subprocess.run(
        [
            sys.executable,
            str(repo_root / "benchmarks" / "sim_national.py"),
            "--hubs=20",
            "--ods=40",
            "--teu=20000",
            "--repeats=1",
            "--reference-days=5",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=repo_root,
    )
    out = small.stdout
    assert "20 hubs, 40 OD pairs" in out
    assert "identical results: yes" in out
    assert "containers/s" in out
    assert "peak memory" in out
    assert "speed ratio vs reference" in out


def test_background_benchmark_runs_small(repo_root: Path) -> None:
    small = subprocess.run(
        [
            sys.executable,
            str(repo_root / "benchmarks" / "background.py"),
            "--hubs=6",
            "--ods=12",
            "--teu=20000",
            "--background-teu=2e6",
            "--repeats=1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=repo_root,
    )
    out = small.stdout
    assert "background 2,000,000 TEU/year in" in out
    assert "without background (same cranes): wall" in out and "with background:" in out
    assert "background adds" in out and "target:" in out
