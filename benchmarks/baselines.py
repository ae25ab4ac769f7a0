"""Benchmark: one simulated year of each real-scale baseline, background traffic included.

Run alone (``.venv/bin/python benchmarks/baselines.py``) or through ``benchmarks/run.py``
(``make bench``). For ``scenarios/yangtze-baseline.toml`` and
``scenarios/china-europe-baseline.toml`` it loads, compiles and runs one replication of
the full horizon (365 days, the scenario's warm-up) with the fast engine and prints the
wall time of the load + compile and of the run, the peak memory of the process, and the
traced TEU, background TEU and crane utilisation of the busiest hub, so that a slower
engine or a heavier baseline shows up here. Not a timed test: nothing fails on time.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from _memory import peak_rss_bytes, reset_peak_rss

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.experiment import run_network

GIB = 1024**3
REPO = Path(__file__).resolve().parents[1]
BASELINES = ("yangtze-baseline", "china-europe-baseline")


def bench(name: str, seed: int) -> None:
    """Time one simulated year of one baseline and print its figures."""
    exact = reset_peak_rss()
    start = time.perf_counter()
    loaded = load_scenario(REPO / "scenarios" / f"{name}.toml", REPO / "hubs")
    network = compile_network(loaded)
    pack = load_factor_pack(loaded.scenario.emission_pack or "glec-v3.0")
    compiled = time.perf_counter()
    cpu = time.process_time()
    result = run_network(network, pack, seed=seed, replications=1)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    peak = peak_rss_bytes()
    s = result.summaries[0]
    busiest, hub = max(s.hubs.items(), key=lambda item: item[1].utilisation)
    # background_teu: per hub once the engine simulates background (issue #16)
    background = sum(getattr(h, "background_teu", 0.0) for h in s.hubs.values())
    print(f"{name}: {len(loaded.scenario.hubs)} hubs, {len(loaded.scenario.services)} services")
    print(
        f"  load + compile: {compiled - start:.1f} s; one simulated year: {done - compiled:.1f} s"
    )
    print(
        f"  peak memory (RSS {'since reset' if exact else 'of the process'}): {peak / GIB:.2f} GiB"
    )
    print(f"  traced TEU arrived: {s.arrived_teu:,.0f}; background TEU handled: {background:,.0f}")
    print(f"  busiest hub: {busiest} at {hub.utilisation:.1%} crane utilisation")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "names", nargs="*", help=f"baselines to run (default: {', '.join(BASELINES)})"
    )
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BASELINES)
    if unknown:
        parser.error(f"unknown baseline(s) {sorted(unknown)}; valid: {', '.join(BASELINES)}")
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    for name in args.names or BASELINES:
        bench(name, args.seed)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
