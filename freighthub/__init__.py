"""freighthub: intermodal freight hub evaluation and modal-shift simulation.

Score hubs against codified intermodal standards, simulate container flows over
road, rail and inland waterway, account for emissions per ISO 14083 / GLEC, and
report the results with every number traceable to its source.

The public API for notebooks and scripts is the names in ``__all__``: load hubs,
standards, scenarios, factor packs and decision matrices; score hubs
(:func:`assess`); rank (:func:`rank`); chain emissions (:func:`evaluate_chain_file`,
:func:`chain_emissions`); simulate (:func:`run_scenario`); compare
(:func:`compare_scenarios`); optimise (:func:`optimize_scenario`); sweep
(:func:`run_sweep`); report (:func:`write_report`). The main result types have
``to_pandas()``.

The names load on first use (PEP 562), so that ``import freighthub`` and the command
line's start-up do not pay for pydantic, pyproj, NumPy, SciPy, SimPy, PuLP, pandas or
Dask: each is imported only when a name that needs it is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from freighthub.lazy import lazy_attribute, lazy_dir

if TYPE_CHECKING:
    from freighthub.assessment import Assessment, assess, score_hubs
    from freighthub.emissions.chain import ChainEmissions, HubOperation, Leg, chain_emissions
    from freighthub.errors import DataFileError, FreighthubError, UnknownIdentifierError
    from freighthub.geo import distance_between_km, geodesic_distance_km
    from freighthub.model import Hub, Sourced, load_hub, load_hubs
    from freighthub.model.chain import evaluate_chain_file
    from freighthub.model.decision_matrix import load_decision_matrix
    from freighthub.model.factors import load_factor_pack
    from freighthub.model.scenario import load_scenario
    from freighthub.model.standard import Standard, find_standard, load_standard, load_standards
    from freighthub.optimize.results import ModeSplitPlan
    from freighthub.optimize.run import optimize_scenario
    from freighthub.report.writer import write_report
    from freighthub.scoring.mcda import DecisionMatrix, Ranking, rank
    from freighthub.shift.compare import Comparison, compare_scenarios, compare_variant
    from freighthub.sim.estimates import ExperimentResult
    from freighthub.sim.experiment import run_scenario
    from freighthub.sweep.run import run_sweep
    from freighthub.sweep.summary import SweepSummary
    from freighthub.version import __version__
    from freighthub.vocabulary import Confidence, HubType, Mode

__all__ = [
    "Assessment",
    "ChainEmissions",
    "Comparison",
    "Confidence",
    "DataFileError",
    "DecisionMatrix",
    "ExperimentResult",
    "FreighthubError",
    "Hub",
    "HubOperation",
    "HubType",
    "Leg",
    "Mode",
    "ModeSplitPlan",
    "Ranking",
    "Sourced",
    "Standard",
    "SweepSummary",
    "UnknownIdentifierError",
    "__version__",
    "assess",
    "chain_emissions",
    "compare_scenarios",
    "compare_variant",
    "distance_between_km",
    "evaluate_chain_file",
    "find_standard",
    "geodesic_distance_km",
    "load_decision_matrix",
    "load_factor_pack",
    "load_hub",
    "load_hubs",
    "load_scenario",
    "load_standard",
    "load_standards",
    "optimize_scenario",
    "rank",
    "run_scenario",
    "run_sweep",
    "score_hubs",
    "write_report",
]

#: Public name -> module that defines it.
_LAZY = {
    "__version__": "freighthub.version",
    "DataFileError": "freighthub.errors",
    "FreighthubError": "freighthub.errors",
    "UnknownIdentifierError": "freighthub.errors",
    "Confidence": "freighthub.vocabulary",
    "HubType": "freighthub.vocabulary",
    "Mode": "freighthub.vocabulary",
    "distance_between_km": "freighthub.geo",
    "geodesic_distance_km": "freighthub.geo",
    "Hub": "freighthub.model",
    "Sourced": "freighthub.model",
    "load_hub": "freighthub.model",
    "load_hubs": "freighthub.model",
    "Standard": "freighthub.model.standard",
    "find_standard": "freighthub.model.standard",
    "load_standard": "freighthub.model.standard",
    "load_standards": "freighthub.model.standard",
    "load_scenario": "freighthub.model.scenario",
    "load_factor_pack": "freighthub.model.factors",
    "load_decision_matrix": "freighthub.model.decision_matrix",
    "evaluate_chain_file": "freighthub.model.chain",
    "Assessment": "freighthub.assessment",
    "assess": "freighthub.assessment",
    "score_hubs": "freighthub.assessment",
    "DecisionMatrix": "freighthub.scoring.mcda",
    "Ranking": "freighthub.scoring.mcda",
    "rank": "freighthub.scoring.mcda",
    "ChainEmissions": "freighthub.emissions.chain",
    "HubOperation": "freighthub.emissions.chain",
    "Leg": "freighthub.emissions.chain",
    "chain_emissions": "freighthub.emissions.chain",
    "run_scenario": "freighthub.sim.experiment",
    "ExperimentResult": "freighthub.sim.estimates",
    "Comparison": "freighthub.shift.compare",
    "compare_scenarios": "freighthub.shift.compare",
    "compare_variant": "freighthub.shift.compare",
    "optimize_scenario": "freighthub.optimize.run",
    "ModeSplitPlan": "freighthub.optimize.results",
    "run_sweep": "freighthub.sweep.run",
    "SweepSummary": "freighthub.sweep.summary",
    "write_report": "freighthub.report.writer",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return lazy_dir(globals(), __all__)
