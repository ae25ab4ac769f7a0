"""Compile the engine's loop into numba's cache: one run of a tiny generated network.

Run as a short-lived child process by :func:`freighthub.sim.kernel_cache.compile_in_child`
(``python -m freighthub.sim.kernel_warmup``) when the cache lacks the compiled loop, so
that the memory LLVM takes to compile it (about 0.3 GiB, not given back while the
process lives) is held by the child, not by the process that then runs a large year.
The network's sizes are software settings, not facts: any network compiles the same
code (the loop's state has one type in every run).
"""

from __future__ import annotations

from freighthub.sim import engine
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.synthetic import SyntheticParameters, synthetic_network

__all__ = ["main"]

#: A network just large enough to have services, routes with visits and boxes.
TINY = SyntheticParameters(n_hubs=4, n_od=4, teu_per_year=2.0e4, horizon_h=72.0, seed=1)


def main() -> None:
    """Run the fast engine once on :data:`TINY` (numba compiles and caches the loop)."""
    network = synthetic_network(TINY)
    engine.run(network, generate_arrivals(network, 1))


if __name__ == "__main__":
    main()
