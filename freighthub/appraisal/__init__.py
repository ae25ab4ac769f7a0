"""Cost-benefit appraisal of a hub or service investment, and budgeted selection.

``appraise_file`` reads a project file (``PROJECT.toml``: capex and its phasing,
operating costs, benefits given or derived, discount rate, period, residual value)
and returns an :class:`Appraisal` (NPV, benefit-cost ratio, IRR, discounted
payback year, a year-by-year table and a sensitivity table). ``select_file``
reads a candidates file and runs the budgeted hub/service selection MILP of
:mod:`freighthub.optimize.selection`.
"""

from __future__ import annotations

from freighthub.appraisal.appraise import (
    Appraisal,
    Assumption,
    SensitivityRow,
    SurplusCheck,
    YearRow,
    appraise_file,
    appraise_project,
)
from freighthub.appraisal.cashflow import IrrResult, internal_rates_of_return
from freighthub.appraisal.project import Project, load_project

__all__ = [
    "Appraisal",
    "Assumption",
    "IrrResult",
    "Project",
    "SensitivityRow",
    "SurplusCheck",
    "YearRow",
    "appraise_file",
    "appraise_project",
    "internal_rates_of_return",
    "load_project",
]
