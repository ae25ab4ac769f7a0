"""Optimisation: the mode-split LP, infeasibility explained, hub/service selection (MILP).

PuLP is imported only in this package. The LP is the cheap preview; the
simulation (``freighthub.sim``) is the analysis that verifies it.
"""

from __future__ import annotations

from freighthub.optimize.lp import solve_mode_split
from freighthub.optimize.problem import (
    EmissionCap,
    InvalidProblemError,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
)
from freighthub.optimize.results import (
    DecisionTerm,
    ModeSplitPlan,
    ResourceUsage,
    RouteFlow,
    SelectionPlan,
    TargetUsage,
)
from freighthub.optimize.selection import Candidate, select_candidates
from freighthub.optimize.solvers import SolverError, SolverUnavailableError, available_solvers

__all__ = [
    "Candidate",
    "DecisionTerm",
    "EmissionCap",
    "InvalidProblemError",
    "ModeShareTarget",
    "ModeSplitPlan",
    "ModeSplitProblem",
    "OdDemand",
    "Resource",
    "ResourceKind",
    "ResourceUsage",
    "ResourceUse",
    "RouteFlow",
    "RouteOption",
    "SelectionPlan",
    "SolverError",
    "SolverUnavailableError",
    "TargetUsage",
    "available_solvers",
    "select_candidates",
    "solve_mode_split",
]
