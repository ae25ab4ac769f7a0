"""freighthub: intermodal freight hub evaluation and modal-shift simulation.

Score hubs against codified intermodal standards, simulate container flows over
road, rail and inland waterway, account for emissions per ISO 14083 / GLEC, and
report the results with every number traceable to its source.

The public API for notebooks and scripts is the names in ``__all__``: load hubs,
standards, scenarios, factor packs and decision matrices; score hubs
(:func:`assess`); rank (:func:`rank`); chain emissions (:func:`evaluate_chain_file`,
:func:`chain_emissions`); simulate (:func:`run_scenario`); compare
(:func:`compare_scenarios`); optimise (:func:`optimize_scenario`); sweep
(:func:`run_sweep`); report (:func:`write_report`); appraise a project
(:func:`appraise_file`) and select candidates under a budget (:func:`select_file`). The main result types have
``to_pandas()``.

The names load on first use (PEP 562), so that ``import freighthub`` and the command
line's start-up do not pay for pydantic, pyproj, NumPy, SciPy, SimPy, PuLP, pandas or
Dask: each is imported only when a name that needs it is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from freighthub.lazy import lazy_names, lazy_table

if TYPE_CHECKING:
    from freighthub.appraisal.appraise import Appraisal, appraise_file
    from freighthub.appraisal.select import CandidateSelection, select_file
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
    "Appraisal",
    "Assessment",
    "CandidateSelection",
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
    "appraise_file",
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
    "select_file",
    "write_report",
]

#: Defining module -> its public names.
_LAZY = lazy_table(
    {
        "freighthub.version": ("__version__",),
        "freighthub.errors": ("DataFileError", "FreighthubError", "UnknownIdentifierError"),
        "freighthub.vocabulary": ("Confidence", "HubType", "Mode"),
        "freighthub.geo": ("distance_between_km", "geodesic_distance_km"),
        "freighthub.model": ("Hub", "Sourced", "load_hub", "load_hubs"),
        "freighthub.model.standard": (
            "Standard",
            "find_standard",
            "load_standard",
            "load_standards",
        ),
        "freighthub.model.scenario": ("load_scenario",),
        "freighthub.model.factors": ("load_factor_pack",),
        "freighthub.model.decision_matrix": ("load_decision_matrix",),
        "freighthub.model.chain": ("evaluate_chain_file",),
        "freighthub.assessment": ("Assessment", "assess", "score_hubs"),
        "freighthub.scoring.mcda": ("DecisionMatrix", "Ranking", "rank"),
        "freighthub.emissions.chain": ("ChainEmissions", "HubOperation", "Leg", "chain_emissions"),
        "freighthub.sim.experiment": ("run_scenario",),
        "freighthub.sim.estimates": ("ExperimentResult",),
        "freighthub.shift.compare": ("Comparison", "compare_scenarios", "compare_variant"),
        "freighthub.optimize.run": ("optimize_scenario",),
        "freighthub.optimize.results": ("ModeSplitPlan",),
        "freighthub.sweep.run": ("run_sweep",),
        "freighthub.sweep.summary": ("SweepSummary",),
        "freighthub.report.writer": ("write_report",),
        "freighthub.appraisal.appraise": ("Appraisal", "appraise_file"),
        "freighthub.appraisal.select": ("CandidateSelection", "select_file"),
    }
)

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)
