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

from typing import TYPE_CHECKING

from freighthub.lazy import lazy_names, lazy_table

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

#: Defining module -> its public names.
_LAZY = lazy_table(
    {
        "freighthub.sim.experiment": ("run_network", "run_scenario"),
        "freighthub.sim.estimates": (
            "Estimate",
            "ExperimentResult",
            "Replication",
            "SummaryEstimate",
            "combine",
            "estimates_by_path",
        ),
        "freighthub.sim.compiler": ("compile_network",),
        "freighthub.sim.demand": ("generate_arrivals",),
        "freighthub.sim.network": ("Arrivals", "CompiledNetwork", "EngineResult"),
        "freighthub.sim.summary": ("Summary", "summarise"),
        "freighthub.sim.synthetic": ("SyntheticParameters", "synthetic_network"),
    }
)

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)
