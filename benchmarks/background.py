"""Benchmark: one simulated year with and without background traffic at national scale.

Run alone (``.venv/bin/python benchmarks/background.py``) or through
``benchmarks/run.py`` (``make bench``). Builds a generated network
(:func:`freighthub.sim.synthetic.synthetic_network`), then the same network with
background traffic (:mod:`freighthub.sim.background`): ``--background-teu`` TEU a
year spread over every hub as calls of ``--moves-per-call`` boxes, and a lot flow on
every other service. Each hub's cranes are raised so that its offered load
(the background's) is served at ``--crane-utilisation`` on top of the cranes the
generator gives it for the traced boxes. Times the fast engine on
both networks in the same run (the traced boxes are the same: common random
numbers, and the same cranes) and prints the ratio, the time to draw the background and
the peak memory.

The network, the volumes and the batch sizes are benchmark parameters, not facts.
Target from issue 16: background adds at most a few seconds per replication-year
at 60 M TEU, and little memory (it is held per job, never per box).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time

import numpy as np
from sim_national import GIB, _peak_rss_bytes, _reset_peak_rss

from freighthub.sim import engine
from freighthub.sim.background import BackgroundArrays, BackgroundFlowArrays
from freighthub.sim.demand import generate_arrivals, generate_background
from freighthub.sim.network import Arrivals, CompiledNetwork
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network
from freighthub.units import HOURS_PER_YEAR


def _flows(targets: list[int], teu: float, batch: int, share: float) -> BackgroundFlowArrays:
    n = len(targets)
    return BackgroundFlowArrays(
        ids=tuple(f"bench-{i}" for i in range(n)),
        target=np.array(targets, dtype=np.int64),
        teu_per_year=np.full(n, teu),
        box_40ft_share=np.full(n, share),
        batch=np.full(n, batch, dtype=np.int64),
        seasonality=np.ones((n, 12)),
    )


def with_background(network: CompiledNetwork, args: argparse.Namespace) -> CompiledNetwork:
    """The network with background on every hub and every other service, cranes raised."""
    hubs = list(range(network.n_hubs))
    share = 0.6
    per_hub = args.background_teu / len(hubs)
    services = list(range(0, network.services.n, 2))
    background = BackgroundArrays(
        hub_flows=_flows(hubs, per_hub, args.moves_per_call, share),
        service_flows=_flows(services, args.service_teu, args.lot_teu, share),
    )
    # The generator sizes the cranes for the traced boxes; add cranes for the calls.
    h = network.hubs
    bg_busy_h_per_h = per_hub / (1 + share) * h.handling_time_h / HOURS_PER_YEAR
    servers = h.servers + np.ceil(bg_busy_h_per_h / args.crane_utilisation).astype(np.int64)
    hubs_arrays = dataclasses.replace(h, servers=servers)
    return dataclasses.replace(network, hubs=hubs_arrays, background=background)


def _time(network: CompiledNetwork, arrivals: Arrivals, repeats: int) -> tuple[float, float, int]:
    times: list[float] = []
    cpu: list[float] = []
    peak = 0
    for _ in range(repeats):
        _reset_peak_rss()
        start, start_cpu = time.perf_counter(), time.process_time()
        engine.run(network, arrivals)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        peak = max(peak, _peak_rss_bytes())
    return statistics.median(times), statistics.median(cpu), peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=10)
    parser.add_argument("--ods", type=int, default=60)
    parser.add_argument("--teu", type=float, default=1.0e6, help="traced TEU per year")
    parser.add_argument("--background-teu", type=float, default=6.0e7, help="TEU per year")
    parser.add_argument("--moves-per-call", type=int, default=1000)
    parser.add_argument("--service-teu", type=float, default=2.0e4, help="TEU/year/service")
    parser.add_argument("--lot-teu", type=int, default=10)
    parser.add_argument("--crane-utilisation", type=float, default=0.7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    params = SyntheticParameters(
        n_hubs=args.hubs, n_od=args.ods, teu_per_year=args.teu, seed=args.seed
    )
    plain = synthetic_network(params)
    arrivals = generate_arrivals(plain, args.seed)
    network = with_background(plain, args)
    start = time.perf_counter()
    jobs = generate_background(network, args.seed)
    t_draw = time.perf_counter() - start
    assert jobs is not None
    mixed = dataclasses.replace(arrivals, background=jobs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"network: {plain.n_hubs} hubs, {plain.services.n} services; traced "
        f"{int(arrivals.teu.sum()):,} TEU in {arrivals.n:,} boxes; background "
        f"{args.background_teu:,.0f} TEU/year in {jobs.n:,} jobs "
        f"({int((jobs.service >= 0).sum()):,} lots), drawn in {t_draw:.2f} s; "
        f"load average {load:.1f} at start"
    )
    # The same network and cranes without the background: the ratio isolates its cost.
    same_cranes = dataclasses.replace(network, background=None)
    wall0, cpu0, peak0 = _time(same_cranes, arrivals, args.repeats)
    wall1, cpu1, peak1 = _time(network, mixed, args.repeats)
    result = engine.run(network, mixed)
    assert result.background is not None
    done = int(np.count_nonzero(~np.isnan(result.background.job_start_h)))
    print(
        f"without background (same cranes): wall {wall0:.2f} s, CPU {cpu0:.2f} s, "
        f"peak {peak0 / GIB:.2f} GiB"
    )
    print(
        f"with background:    wall {wall1:.2f} s, CPU {cpu1:.2f} s, peak {peak1 / GIB:.2f} GiB; "
        f"{done:,} background jobs served"
    )
    print(
        f"background adds {wall1 - wall0:.2f} s wall ({wall1 / wall0:.2f}x), "
        f"{cpu1 - cpu0:.2f} s CPU ({cpu1 / cpu0:.2f}x), "
        f"{(peak1 - peak0) / 2**20:.0f} MiB peak memory, plus {t_draw:.2f} s to draw it"
    )
    ok = cpu1 - cpu0 + t_draw < 5.0
    print(f"target: background adds < 5 s CPU per replication-year: {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
