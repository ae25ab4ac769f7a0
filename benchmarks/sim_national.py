"""Benchmark: one simulated year of a generated national network with the fast engine.

Run alone (``.venv/bin/python benchmarks/sim_national.py``) or through
``benchmarks/run.py`` (``make bench``). Prints containers simulated per second, wall
time, CPU time and peak memory of the fast engine over a full year (after a first
2-day run that loads or compiles the compiled loop: compilation is not timed), and its
speed ratio against the per-container SimPy reference measured in the same run on the
same scenario over shorter horizons: the first ``--short-days`` (2) and the first
``--reference-days`` (14) of the same network and the same containers. The fast engine
is timed on each window too (median of ``--window-repeats`` runs), so the ratios are
paired, and both results are checked to be identical on each window.

Which window: the 14-day window (191 k boxes; the reference takes 10-30 s of CPU on it
on the project's machine) is the fairer measure of speed per box and is the one judged.
On the 2-day window (27 k boxes) the reference is itself faster per box (measured 7 Dec
2026, load 4: 48 us of CPU per box against 74 us over 14 days; fewer boxes are in its
system at once), while the fast engine costs about the same per box (0.55 against
0.59 us), so the 2-day ratio is lower (86x against 126x by CPU time); it is printed as
what a user of a very short horizon gets. Issue 20's target (at least 150x the
reference) is judged on the 14-day window by CPU time: the reference's wall time
stretches more than the fast engine's when other work shares the CPUs (22 s wall for
14 s CPU at load 4), which inflates a wall ratio.
Measured 8 Dec 2026 with the passes over all boxes compiled
(``freighthub.sim.engine_boxes``), load 1.9: the year 1.77 s of CPU (median of 3),
151.6x by CPU time on the 14-day window (11.27 s against 0.074 s), 96x on the 2-day
window (183x and 91x at load 6).

Peak memory of the plain year, and its floor (measured 8 Dec 2026, 5.0 M boxes, 1.2
visit rows and 2.15 leg rows per box): 0.88 GiB, 189 bytes per box (0.91 GiB, 196
before the ragged leg rows; 3 interleaved pairs, load 0.9) = the process before any box
(0.24 GiB: Python and numpy 0.03, importing numba 0.15 of which 0.11 are the LLVM
library's file pages, the cached loop 0.06) + the inputs (``Arrivals``, 36.6 bytes per
box: ``time_h`` 8, ``od`` 4, ``route`` 4, ``mass_t`` 8, ``visit_handling_u`` 9.6,
``boxes``, ``teu``, ``loaded`` 1 each) + the result beyond the inputs (98.9 bytes per
box: the leg rows ``leg_departure_h`` 17.2 and ``leg_offset`` 8, ``ready_h``,
``departure_h``, ``delivered_h``, ``yard_hold_h`` and ``visit_offset`` 8 each, the three
visit rows 9.6 each, ``left_behind`` 4, ``diverted`` 1; ``arrival_h`` and ``route`` are
the inputs' arrays). The run adds less than 25 MiB above its result; the loop needs
both offsets while it runs, so deriving them after the run would not lower the peak.
Issue 20's 0.6 GiB would leave about 80 bytes per box for inputs and result together:
not reachable with exact float64 per-box results held in memory. Ready and departure
derived on demand (-16 bytes per box), ``mass_t`` derived from OD, TEU and loaded (-8)
and int32 visit and leg offsets (-8) would give about 0.73 GiB; below that only
results streamed to disk.

The network comes from :func:`freighthub.sim.synthetic.synthetic_network`; its
sizes, speeds, capacities and handling times are benchmark parameters, not facts.
Targets from issue 5: at least 30× the reference, a full year under 10 s of wall
time on the project's 2-core machine, peak memory under 2 GiB.

``--terminal`` also runs the same year with the terminal model of issue 19 at every hub
(:class:`freighthub.sim.synthetic.SyntheticTerminal`: pools by task, shifts,
breakdowns, loading windows, stochastic travel; benchmark parameters) on the same
boxes, in interleaved pairs with the run without it (``--terminal-repeats``), and
prints the ratio of the median CPU times, the load average and its peak memory
(target: within 2×).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time

import numpy as np
from _memory import peak_rss_bytes, reset_peak_rss, rss_bytes

from freighthub.sim import engine, reference
from freighthub.sim.arrival_rows import take
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
from freighthub.sim.synthetic import SyntheticParameters, SyntheticTerminal, synthetic_network

GIB = 1024**3


def _window(
    network: CompiledNetwork, arrivals: Arrivals, horizon_h: float
) -> tuple[CompiledNetwork, Arrivals]:
    """The same network and containers, cut to ``[0, horizon_h)``."""
    short = take(arrivals, arrivals.time_h < horizon_h)  # (no background in this benchmark)
    return dataclasses.replace(network, horizon_h=horizon_h, warmup_h=0.0), short


def _identical(a: EngineResult, b: EngineResult) -> bool:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if x is None or y is None:  # no background traffic in this benchmark
            if (x is None) != (y is None):
                return False
            continue
        if x.dtype.kind == "f":
            if not np.array_equal(np.isnan(x), np.isnan(y)):
                return False
            if not np.allclose(np.nan_to_num(x), np.nan_to_num(y), rtol=0, atol=1e-9):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


def _terminal_year(
    params: SyntheticParameters,
    network: CompiledNetwork,
    arrivals: Arrivals,
    seed: int,
    repeats: int,
) -> None:
    """Time the same year and boxes with the terminal model at every hub, in pairs with
    the year without it (interleaved, so both see the same load; medians compared)."""
    with_net = synthetic_network(dataclasses.replace(params, terminal=SyntheticTerminal()))
    start = time.perf_counter()
    with_terminal = generate_arrivals(with_net, seed)
    t_draws = time.perf_counter() - start
    same_boxes = all(
        np.array_equal(getattr(arrivals, f.name), getattr(with_terminal, f.name))
        for f in dataclasses.fields(arrivals)
        if f.name not in ("background", "terminal")
    )
    term = with_net.terminal
    assert term is not None
    print(
        f"terminal model: {term.pools.n} pools ({int(term.pools.units.sum()):,} units), "
        f"shifts, breakdowns, loading windows, stochastic travel; terminal draws "
        f"{t_draws:.1f} s with the arrivals (not timed); same boxes: "
        f"{'yes' if same_boxes else 'NO'}"
    )
    start = time.perf_counter()
    engine.run(dataclasses.replace(with_net, horizon_h=48.0, warmup_h=0.0), with_terminal)
    print(
        f"first terminal run (loads or compiles the loop; not timed): {time.perf_counter() - start:.1f} s"
    )
    cpu: dict[str, list[float]] = {"without": [], "with": []}
    wall: dict[str, list[float]] = {"without": [], "with": []}
    peak = 0
    result: EngineResult | None = None
    for _ in range(repeats):
        for name, (net, arr) in (
            ("without", (network, arrivals)),
            ("with", (with_net, with_terminal)),
        ):
            result = None
            exact_peak = reset_peak_rss()
            start, start_cpu = time.perf_counter(), time.process_time()
            result = engine.run(net, arr)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            if name == "with":
                peak = max(peak, peak_rss_bytes())
    assert result is not None
    c0, c1 = statistics.median(cpu["without"]), statistics.median(cpu["with"])
    w0, w1 = statistics.median(wall["without"]), statistics.median(wall["with"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"fast engine with the terminal model, 1 year, {repeats} interleaved pairs: CPU "
        f"{c1:.2f} s against {c0:.2f} s without it = {c1 / c0:.2f}x (pairs: "
        + ", ".join(f"{b / a:.2f}" for a, b in zip(cpu["without"], cpu["with"], strict=True))
        + f"); wall {w1:.2f} s against {w0:.2f} s = {w1 / w0:.2f}x; "
        f"{c1 / arrivals.n * 1e6:.1f} us CPU per box; peak memory "
        f"({'RSS during the run' if exact_peak else 'of the process'}) {peak / GIB:.2f} GiB "
        f"= {peak / arrivals.n:.0f} bytes per box; "
        f"load average {load:.1f}; target within 2x (CPU): {'met' if c1 <= 2 * c0 else 'MISSED'}"
    )
    if result.terminal is None:
        print(
            "note: this engine does not implement the terminal model yet (EngineResult."
            "terminal is None): the ratio times the same model twice"
        )
    if not same_boxes:
        raise SystemExit("the terminal draws changed the boxes (common random numbers broken)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=24)
    parser.add_argument("--ods", type=int, default=100)
    parser.add_argument("--teu", type=float, default=5.0e6, help="TEU per year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="timed full-year runs")
    parser.add_argument(
        "--reference-days", type=float, default=14.0, help="the longer paired window [days]"
    )
    parser.add_argument(
        "--short-days", type=float, default=2.0, help="the short paired window [days]"
    )
    parser.add_argument(
        "--window-repeats", type=int, default=5, help="fast engine runs per window (median)"
    )
    parser.add_argument(
        "--terminal", action="store_true", help="also time the year with the terminal model"
    )
    parser.add_argument(
        "--terminal-repeats", type=int, default=3, help="interleaved pairs with --terminal"
    )
    args = parser.parse_args(argv)

    params = SyntheticParameters(
        n_hubs=args.hubs, n_od=args.ods, teu_per_year=args.teu, seed=args.seed
    )
    t0 = time.perf_counter()
    network = synthetic_network(params)
    arrivals = generate_arrivals(network, args.seed)
    t_inputs = time.perf_counter() - t0
    n = arrivals.n
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {os.cpu_count()} CPUs {platform.machine()}, Python "
        f"{platform.python_version()}, load average {load:.1f} at start "
        "(wall times stretch when other work shares the CPUs; CPU times do not)"
    )
    print(
        f"network: {network.n_hubs} hubs, {network.demand.n} OD pairs, {network.services.n} "
        f"services, {network.routes.n} routes; {int(arrivals.teu.sum()):,} TEU in {n:,} "
        f"boxes over {network.horizon_h:.0f} h (inputs built in {t_inputs:.1f} s, not timed)"
    )

    # Full year, fast engine (after a 2-day run that loads or compiles the loop).
    start = time.perf_counter()
    engine.run(*_window(network, arrivals, 48.0))
    print(
        f"first run, 2 days (loads or compiles the loop; not timed): {time.perf_counter() - start:.1f} s"
    )
    times: list[float] = []
    cpu: list[float] = []
    peak = 0
    inputs_rss = rss_bytes()  # the process with the network, the arrivals and the loop
    result: EngineResult | None = None
    for _ in range(args.repeats):
        result = None
        exact_peak = reset_peak_rss()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = engine.run(network, arrivals)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        peak = max(peak, peak_rss_bytes())
    assert result is not None
    wall = statistics.median(times)
    delivered = int(np.sum(~np.isnan(result.delivered_h)))
    print(
        f"fast engine, 1 year: wall {wall:.2f} s (median of {len(times)}: "
        + ", ".join(f"{t:.2f}" for t in times)
        + f"), CPU {statistics.median(cpu):.2f} s; {n / wall / 1e6:.2f} M containers/s; "
        f"{delivered:,} delivered, "
        f"{result.trip_service.size:,} train/barge trips"
    )
    label = "during the run" if exact_peak else "of the whole process"
    print(
        f"peak memory (RSS {label}, inputs included): {peak / GIB:.2f} GiB = "
        f"{peak / n:.0f} bytes per box (RSS before the run, with the inputs and the loop: "
        f"{inputs_rss / GIB:.2f} GiB; issue 20 target 0.6 GiB, 100 bytes per box)"
    )
    if args.terminal:
        _terminal_year(params, network, arrivals, args.seed, args.terminal_repeats)

    # Reference on windows of the same scenario, paired with the engine on each window.
    ratios: dict[float, float] = {}  # by CPU time (wall times stretch under load)
    same = True
    for days in sorted({args.short_days, args.reference_days}):
        short_net, short_arr = _window(network, arrivals, days * 24.0)
        start, start_cpu = time.perf_counter(), time.process_time()
        slow = reference.run(short_net, short_arr)
        t_ref, cpu_ref = time.perf_counter() - start, time.process_time() - start_cpu
        t_fast_runs, cpu_fast_runs = [], []
        for _ in range(args.window_repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            fast = engine.run(short_net, short_arr)
            t_fast_runs.append(time.perf_counter() - start)
            cpu_fast_runs.append(time.process_time() - start_cpu)
        t_fast, cpu_fast = statistics.median(t_fast_runs), statistics.median(cpu_fast_runs)
        same_here = _identical(fast, slow)
        same = same and same_here
        ratios[days] = cpu_ref / cpu_fast
        wall_ratio = t_ref / t_fast
        ref_rate = short_arr.n / t_ref
        print(
            f"reference, first {days:g} days ({short_arr.n:,} boxes): {t_ref:.2f} s wall, "
            f"{cpu_ref:.2f} s CPU, {ref_rate / 1e3:.1f} k containers/s; fast engine on the "
            f"same window {t_fast:.3f} s wall, {cpu_fast:.3f} s CPU (median of "
            f"{len(t_fast_runs)}); identical results: {'yes' if same_here else 'NO'}"
        )
        print(
            f"speed ratio vs reference, {days:g}-day window: {t_ref / t_fast:.1f}x paired "
            f"({cpu_ref / cpu_fast:.1f}x by CPU time), {n / wall / ref_rate:.1f}x full-year "
            f"rate vs reference rate; reference scaled to the year: {n / ref_rate:.0f} s"
        )
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load_end:.1f} at the end")
    long_days = max(ratios)
    ok_speed = wall_ratio >= 30
    ok_speed20 = ratios[long_days] >= 150
    ok_wall = wall < 10
    ok_mem = peak < 2 * GIB
    ok_cpu = statistics.median(cpu) <= 1.5
    print(
        "targets: >=30x {} | year < 10 s {} | peak < 2 GiB {} | issue 20: >=150x by CPU "
        "time on the {:g}-day window {} | year <= 1.5 s CPU {}".format(
            *("met" if ok else "MISSED" for ok in (ok_speed, ok_wall, ok_mem)),
            long_days,
            *("met" if ok else "MISSED" for ok in (ok_speed20, ok_cpu)),
        )
    )
    if not same:
        raise SystemExit("the fast engine and the reference disagree")


if __name__ == "__main__":
    main()
