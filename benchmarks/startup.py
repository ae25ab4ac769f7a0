"""Benchmark: CPU seconds the command line needs to start (issue 12).

Run alone (``.venv/bin/python benchmarks/startup.py``) or through
``benchmarks/run.py``. Each case runs in a fresh interpreter; the cases are
interleaved (one of each, then the next round) so that a change in machine load
hits all of them alike, and the median over the rounds is reported. CPU seconds
(user + system of the child) rather than wall time, since the machine is shared.
Ratios are against ``python -c pass`` measured in the same run, so that the numbers
travel between machines.

Target: ``freighthub --version`` and ``--help`` under 0.3 s of CPU.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# --- benchmark parameters (not facts) -----------------------------------------------
ROUNDS = 7
TARGET_CPU_S = 0.3  # the target for --version and --help

CASES: dict[str, list[str]] = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "freighthub --version": [sys.executable, "-m", "freighthub", "--version"],
    "freighthub --help": [sys.executable, "-m", "freighthub", "--help"],
    "freighthub hubs list": [sys.executable, "-m", "freighthub", "hubs", "list"],
}
TARGETED = ("freighthub --version", "freighthub --help")


def cpu_seconds(argv: list[str]) -> float:
    """User + system CPU seconds of one run of ``argv`` (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        argv,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="interleaved rounds")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, argv in CASES.items():
            samples[name].append(cpu_seconds(argv))
    median = {name: statistics.median(values) for name, values in samples.items()}
    baseline = next(iter(median.values()))
    print(f"CPU seconds, median of {args.rounds} interleaved rounds (user + system)")
    print(f"{'case':<28} {'CPU s':>7} {'x baseline':>11}")
    for name, value in median.items():
        print(f"{name:<28} {value:7.3f} {value / baseline:11.1f}")
    for name in TARGETED:
        verdict = "met" if median[name] < TARGET_CPU_S else "NOT met"
        print(f"target {name} < {TARGET_CPU_S} s CPU: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
