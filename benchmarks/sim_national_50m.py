"""Benchmark: the national-scale year of issue 20 (50 M TEU, 300 hubs, 10,000 OD pairs).

Run alone (``.venv/bin/python benchmarks/sim_national_50m.py``) or through
``benchmarks/run.py`` (``make bench``). One simulated year of a generated network the
size of China's inland container system as issue 20 asks (at least 300 hubs, 10,000 OD
pairs, 50 M TEU a year) with the fast engine (the compiled loop; no terminal model:
its per-box records need about three times the memory, see the README), timed once
(``--repeats``). Prints wall and CPU time, the peak resident memory during the run
(inputs included) and of the whole process (the arrivals' draws included), the bytes
per box, and the targets of the issue (30 s wall, 8 GiB).

Before anything is drawn it estimates the peak from the boxes the demand will give
(TEU / (1 + ``--box-40ft-share``)) and ``--bytes-per-box``, and does not start (exit
code 0, saying what it would need) when that is more than the memory the machine has
available now (``MemAvailable`` less ``--reserve-gib``): the machine is shared.

The network comes from :func:`freighthub.sim.synthetic.synthetic_network`; its sizes,
speeds, capacities, handling times and its share of 40' boxes are benchmark
parameters, not facts. ``--box-40ft-share`` (default 0.5, assumption: half the boxes
are 40', so 50 M TEU are about 33 M boxes; not a measured share of Chinese inland
traffic) sets how many boxes carry the TEU.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import numpy as np
from _memory import Phase, peak_rss_bytes, phase_peaks, reset_peak_rss, rss_bytes

from freighthub.sim import engine, engine_terminal, terminal_loop
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network

GIB = 1024**3
#: Peak resident bytes per box of the plain year above the process itself (inputs,
#: records and the loop's arrays), and the process without them [GiB]: software figures
#: for the memory guard, not facts, rounded up from the 300-hub network's years (8 Dec
#: 2026, ragged leg rows: 146 bytes per box, 4.54 GiB in all at 50 M TEU, 33.3 M boxes,
#: 153 and 4.73 GiB before them in the same session; no set-up temporaries above the
#: result and int32 routes: 153 bytes per box; 179 before, 236 on 7 Dec).
BYTES_PER_BOX = 180.0
PROCESS_GIB = 0.5


def available_bytes() -> int | None:
    """``MemAvailable`` of ``/proc/meminfo`` [bytes]; None where there is none."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _phase_targets() -> list[tuple[object, str]]:
    """The steps of a plain year whose memory ``--phases`` shows, in run order."""
    from freighthub.sim import terminal_kernel  # (numba: loaded by the first run already)

    return [
        (engine._Engine, "__init__"),
        (engine, "handling_rows_h"),
        (engine_terminal.TerminalRun, "__init__"),
        (terminal_loop, "initial_arrays"),
        (terminal_kernel, "run_loop"),
        (terminal_loop._Loop, "finish"),
        (engine._Engine, "road_walk"),
        (engine, "engine_result"),
        (engine_terminal.TerminalRun, "finish"),
    ]


def _print_phases(log: list[Phase], base: int, n: int) -> None:
    """One line per traced step (calls of the same step summed; in the order of their RSS
    at the start), MiB above ``base``."""
    steps: dict[str, list[float]] = {}
    for _, label, before, peak, after, wall in log:
        row = steps.setdefault(label, [before, peak, after, 0.0, 0])
        row[1] = max(row[1], peak)
        row[2] = after
        row[3] += wall
        row[4] += 1
    mib = 1024**2
    print("memory by step (MiB above the RSS before the run; bytes per box at the peak):")
    for label, (before, peak, after, wall, calls) in sorted(steps.items(), key=lambda x: x[1][0]):
        print(
            f"  {label:28s} at start {(before - base) / mib:8.0f}  peak {(peak - base) / mib:8.0f}"
            f" ({(peak - base) / n:5.0f} B/box)  after {(after - base) / mib:8.0f}"
            f"  {wall:6.1f} s, {calls} call(s)"
        )


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=300)
    parser.add_argument("--ods", type=int, default=10_000)
    parser.add_argument("--teu", type=float, default=50.0e6, help="TEU per year")
    parser.add_argument("--box-40ft-share", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1, help="timed full-year runs")
    parser.add_argument("--bytes-per-box", type=float, default=BYTES_PER_BOX)
    parser.add_argument("--reserve-gib", type=float, default=2.0)
    parser.add_argument(
        "--phases", action="store_true", help="also print the memory of each step of the run"
    )
    args = parser.parse_args(argv)

    boxes = args.teu / (1.0 + args.box_40ft_share)
    need = boxes * args.bytes_per_box + PROCESS_GIB * GIB
    free = available_bytes()
    print(
        f"machine: {os.cpu_count()} CPUs {platform.machine()}, Python "
        f"{platform.python_version()}, load average {_load():.1f} at start; about "
        f"{boxes / 1e6:.1f} M boxes, estimated peak {need / GIB:.1f} GiB "
        f"({args.bytes_per_box:.0f} bytes per box), available "
        + (f"{free / GIB:.1f} GiB" if free is not None else "unknown")
    )
    if free is not None and need > free - args.reserve_gib * GIB:
        print(
            f"not started: the year needs about {need / GIB:.1f} GiB and "
            f"{free / GIB:.1f} GiB are available (less {args.reserve_gib:g} GiB kept "
            "free); run it on a quieter machine, or with fewer TEU (--teu)"
        )
        return

    params = SyntheticParameters(
        n_hubs=args.hubs,
        n_od=args.ods,
        teu_per_year=args.teu,
        seed=args.seed,
        box_40ft_share=args.box_40ft_share,
    )
    t0 = time.perf_counter()
    network = synthetic_network(params)
    arrivals = generate_arrivals(network, args.seed)
    t_inputs = time.perf_counter() - t0
    n = arrivals.n
    drawn_peak = peak_rss_bytes()
    n_deps = sum(d.size for d in network.services.departures_h)
    print(
        f"network: {network.n_hubs} hubs, {network.demand.n:,} OD pairs, "
        f"{network.services.n:,} services ({n_deps:,} departures), {network.routes.n:,} "
        f"routes; {int(arrivals.teu.sum(dtype=np.int64)):,} TEU in {n:,} boxes over "
        f"{network.horizon_h:.0f} h (inputs built in {t_inputs:.1f} s, not timed; peak RSS "
        f"while drawing {drawn_peak / GIB:.2f} GiB)"
    )
    inputs_rss = rss_bytes()
    start = time.perf_counter()
    engine.run(dataclasses.replace(network, horizon_h=48.0, warmup_h=0.0), arrivals)
    print(
        f"first run, 2 days (loads the compiled loop; not timed): {time.perf_counter() - start:.1f} s"
    )
    walls: list[float] = []
    cpus: list[float] = []
    peak = 0
    delivered = trips = 0
    for _ in range(args.repeats):
        exact = reset_peak_rss()
        start, start_cpu = time.perf_counter(), time.process_time()
        with phase_peaks(_phase_targets() if args.phases else []) as log:
            result = engine.run(network, arrivals)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
        peak = max(peak, peak_rss_bytes(), *(p[3] for p in log))  # (steps reset the counter)
        if log:
            _print_phases(log, inputs_rss, n)
        delivered = int(np.count_nonzero(~np.isnan(result.delivered_h)))
        trips = int(result.trip_service.size)
        del result
    wall, cpu = float(np.median(walls)), float(np.median(cpus))
    label = "during the run" if exact else "of the whole process"
    print(
        f"fast engine, 1 year: wall {wall:.1f} s, CPU {cpu:.1f} s (median of {len(walls)}); "
        f"{n / wall / 1e6:.2f} M boxes/s; {delivered:,} delivered, {trips:,} train/barge trips"
    )
    print(
        f"peak memory (RSS {label}, inputs included): {peak / GIB:.2f} GiB = {peak / n:.0f} "
        f"bytes per box (RSS with the inputs before the run {inputs_rss / GIB:.2f} GiB; "
        f"whole process including the draws {max(peak, drawn_peak) / GIB:.2f} GiB)"
    )
    print(f"load average {_load():.1f} at the end")
    print(
        "targets (issue 20): wall <= 30 s {} | peak <= 8 GiB {}".format(
            *("met" if ok else "MISSED" for ok in (wall <= 30.0, peak <= 8 * GIB))
        )
    )


if __name__ == "__main__":
    main()
