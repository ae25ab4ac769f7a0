"""The discrete-event simulation of container flows (clock in hours [h]).

The face of the simulation: :func:`run_scenario` simulates a scenario file and gives an
:class:`ExperimentResult` whose ``estimates`` (a :class:`SummaryEstimate`, every
figure an :class:`Estimate` with its 95 % interval) convert with ``to_pandas()``.
The parts below it (:func:`compile_network`, :func:`generate_arrivals`,
``engine.run``, :func:`summarise`, :func:`combine`) run one step each.
See ``freighthub.sim.network`` for the data contract between the parts. The names
load on first use, so importing one module of the package loads no other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from freighthub.lazy import lazy_attribute, lazy_dir

if TYPE_CHECKING:
    from freighthub.sim.compiler import compile_network
    from freighthub.sim.demand import generate_arrivals
    from freighthub.sim.estimates import (
        Estimate,
        ExperimentResult,
        Replication,
        SummaryEstimate,
        combine,
        estimates_by_path,
    )
    from freighthub.sim.experiment import run_network, run_scenario
    from freighthub.sim.network import Arrivals, CompiledNetwork, EngineResult
    from freighthub.sim.summary import Summary, summarise
    from freighthub.sim.synthetic import SyntheticParameters, synthetic_network

__all__ = [
    "Arrivals",
    "CompiledNetwork",
    "EngineResult",
    "Estimate",
    "ExperimentResult",
    "Replication",
    "Summary",
    "SummaryEstimate",
    "SyntheticParameters",
    "combine",
    "compile_network",
    "estimates_by_path",
    "generate_arrivals",
    "run_network",
    "run_scenario",
    "summarise",
    "synthetic_network",
]

#: Public name -> module that defines it.
_LAZY = {
    "run_network": "freighthub.sim.experiment",
    "run_scenario": "freighthub.sim.experiment",
    "Estimate": "freighthub.sim.estimates",
    "ExperimentResult": "freighthub.sim.estimates",
    "Replication": "freighthub.sim.estimates",
    "SummaryEstimate": "freighthub.sim.estimates",
    "combine": "freighthub.sim.estimates",
    "estimates_by_path": "freighthub.sim.estimates",
    "compile_network": "freighthub.sim.compiler",
    "generate_arrivals": "freighthub.sim.demand",
    "Arrivals": "freighthub.sim.network",
    "CompiledNetwork": "freighthub.sim.network",
    "EngineResult": "freighthub.sim.network",
    "Summary": "freighthub.sim.summary",
    "summarise": "freighthub.sim.summary",
    "SyntheticParameters": "freighthub.sim.synthetic",
    "synthetic_network": "freighthub.sim.synthetic",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return lazy_dir(globals(), __all__)
