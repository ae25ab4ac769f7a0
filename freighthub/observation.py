"""From hub files to judgements: a hub's value for a criterion, and the decision matrix.

:func:`observe` reads what a criterion asks of a hub (with its provenance);
``decision_matrix`` turns the compliance results into the matrix the ranking reads
(see the module docstring of :mod:`freighthub.assessment`). Split from
:mod:`freighthub.assessment`, which re-exports :func:`observe`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from freighthub.model.hub import Hub
from freighthub.model.standard import Criterion, Standard
from freighthub.scoring.compliance import (
    ComplianceStatus,
    HubCompliance,
    Observation,
    RuleKind,
    Setting,
)
from freighthub.scoring.mcda import (
    DecisionMatrix,
)
from freighthub.vocabulary import weakest_confidence

if TYPE_CHECKING:
    pass

__all__ = ["decision_matrix", "hub_setting", "observe"]


def hub_setting(hub: Hub, year: int | None = None) -> Setting:
    """Where and when a hub is judged: its TEN-T tiers and facts (``[tent]``) and the year.

    Parameters
    ----------
    hub
        The hub (without a ``[tent]`` section its tiers and facts are unknown).
    year
        Assessment year (``None``: none).
    """
    if hub.tent is None:
        return Setting(year=year)
    return Setting(year=year, tiers=hub.tent.tiers(), facts=hub.tent.facts())


def observe(hub: Hub, criterion: Criterion) -> Observation | None:
    """The hub's value for a criterion, with its provenance (``None``: not given).

    For a ratio criterion (``per``) the value is ``attribute / per``, its source
    names both and its confidence is the weaker of the two.
    """
    first = hub.attribute(criterion.attribute)
    if first is None:
        return None
    value: Any = first.value
    if hasattr(value, "value") and not isinstance(value, (bool, int, float)):
        value = value.value  # an enum (ECMT class ...) -> its name
    if criterion.per is None:
        return Observation(value=value, source=first.source, confidence=first.confidence)
    second = hub.attribute(criterion.per)
    if second is None:
        return None
    return Observation(
        value=float(value) / float(second.value),
        source=f"{criterion.attribute}: {first.source}; {criterion.per}: {second.source}",
        confidence=weakest_confidence([first.confidence, second.confidence]),
    )


def _matrix_value(criterion: Criterion, result_status: ComplianceStatus, obs: Observation) -> float:
    if criterion.rule in {RuleKind.BOOLEAN, RuleKind.ONE_OF}:
        return 1.0 if result_status is ComplianceStatus.PASS else 0.0
    return float(obs.value)  # type: ignore[arg-type]


def decision_matrix(
    standard: Standard,
    hubs: list[Hub],
    compliance: list[HubCompliance],
    observations: list[dict[str, Observation | None]],
    weights: Mapping[str, float],
) -> tuple[DecisionMatrix | None, list[str]]:
    """The decision matrix of an assessment and the notes on how it was built.

    One column per criterion with data (``NaN`` for a missing or not-applicable
    value); ``None`` if no criterion has data or there are no hubs.
    """
    notes: list[str] = []
    columns: list[str] = []
    benefit: list[bool] = []
    values: list[list[float]] = []
    not_applicable = 0
    rows = [
        i
        for i, hc in enumerate(compliance)
        if hc.counts[ComplianceStatus.NOT_APPLICABLE] < len(hc.results)
    ]
    outside = [compliance[i].hub_id for i in range(len(compliance)) if i not in rows]
    if outside:
        notes.append(
            f"not ranked, no criterion of {standard.id} applies to them: {', '.join(outside)}"
        )
    hubs = [hubs[i] for i in rows]
    compliance = [compliance[i] for i in rows]
    observations = [observations[i] for i in rows]
    for c in standard.criteria:
        column: list[float] = []
        for hc, obs in zip(compliance, observations, strict=True):
            result = hc.result(c.id)
            o = obs[c.id]
            if result.status is ComplianceStatus.NOT_APPLICABLE:
                not_applicable += 1
                column.append(math.nan)
            elif o is None or o.value is None:
                column.append(math.nan)
            else:
                column.append(_matrix_value(c, result.status, o))
        if all(math.isnan(x) for x in column):
            notes.append(f"{c.id}: left out of the ranking, no hub has a value for it")
            continue
        if weights.get(c.id, 0.0) == 0.0:
            notes.append(f"{c.id}: left out of the ranking, its weight is 0")
            continue
        columns.append(c.id)
        benefit.append(c.direction.value == "benefit")
        values.append(column)
    if not_applicable:
        notes.append(
            f"{not_applicable} not-applicable cell(s) are missing values in the decision "
            "matrix; the missing-data policy treats them"
        )
    if not columns or not hubs:
        return None, notes
    matrix = DecisionMatrix(
        alternatives=tuple(h.id for h in hubs),
        criteria=tuple(columns),
        values=np.array(values, dtype=np.float64).T,
        benefit=tuple(benefit),
    )
    return matrix, notes
