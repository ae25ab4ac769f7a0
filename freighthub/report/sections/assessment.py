"""Compliance matrix and ranking sections, from the standards assessment.

Filled in once :mod:`freighthub.assessment` is committed; until then both sections
are reported as not run.
"""

from __future__ import annotations

from freighthub.report.content import Contribution, NotRun, Text
from freighthub.report.inputs import ReportInputs

__all__ = ["build_compliance", "build_ranking"]


def build_compliance(inputs: ReportInputs) -> Contribution | NotRun:
    """The hub compliance matrix (criteria × hubs)."""
    if inputs.spec.assessment is None:
        return NotRun(Text("not_run.no_assessment"))
    return NotRun(Text("not_run.not_available"))


def build_ranking(inputs: ReportInputs) -> Contribution | NotRun:
    """The ranking with its stability (rank acceptability, agreement across methods)."""
    if inputs.spec.assessment is None:
        return NotRun(Text("not_run.no_assessment"))
    return NotRun(Text("not_run.not_available"))
