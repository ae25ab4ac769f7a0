"""Data coverage per hub: which values a profile reads are observed, assumed or missing.

A ranking is only as good as the values behind it. Before ranking, and in every
report, each hub x criterion cell of a profile gets one :class:`DataStatus`:

``observed``
    the hub file gives the value with a confidence other than ``assumption``
    (``verified``, ``secondary``, ``uncertain``, or no label; the label is kept in
    :attr:`CoverageCell.confidence`, so a reader can still see a weak one).
``assumed``
    the hub file gives the value, labelled ``assumption``.
``missing``
    the criterion applies to the hub but the hub file does not give the value.
``imputed``
    a missing value that the ranking filled or sampled (set by :func:`mark_imputed`
    once the missing-data treatment is known).
``simulated``
    the value comes from a simulation run (its replications' interval).
``not_applicable``
    the criterion does not apply to the hub (hub type or modes).

Pure functions on the compliance results of :mod:`freighthub.scoring.compliance`;
the workflow layer (:func:`freighthub.observation.profile_coverage`) builds them
from hub files and a standard or profile.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from freighthub.scoring.compliance import ComplianceStatus, HubCompliance
from freighthub.vocabulary import Confidence

__all__ = [
    "CoverageCell",
    "DataStatus",
    "HubCoverage",
    "cell_grid",
    "coverage_from_compliance",
    "data_status",
    "mark_imputed",
    "mark_simulated",
]


class DataStatus(StrEnum):
    """Where a hub's value for a criterion comes from (see the module docstring)."""

    OBSERVED = "observed"
    ASSUMED = "assumed"
    MISSING = "missing"
    IMPUTED = "imputed"
    SIMULATED = "simulated"
    NOT_APPLICABLE = "not_applicable"


#: Statuses of a cell the criterion applies to (every status but ``not_applicable``).
APPLICABLE = tuple(s for s in DataStatus if s is not DataStatus.NOT_APPLICABLE)


@dataclass(frozen=True)
class CoverageCell:
    """One hub x criterion cell.

    Attributes
    ----------
    criterion_id
        The criterion.
    attribute
        What it reads: the dotted hub attribute (``attribute / per`` for a ratio).
    status
        Where the value comes from.
    confidence
        The hub value's confidence label (``None``: none given, or no value).
    source
        The hub value's source (``None``: none given, or no value).
    """

    criterion_id: str
    attribute: str
    status: DataStatus
    confidence: Confidence | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: criterion, attribute, status, confidence, source."""
        return {
            "criterion": self.criterion_id,
            "attribute": self.attribute,
            "status": self.status.value,
            "confidence": None if self.confidence is None else self.confidence.value,
            "source": self.source,
        }


@dataclass(frozen=True)
class HubCoverage:
    """The coverage of one hub: one cell per criterion, in the profile's order."""

    hub_id: str
    cells: tuple[CoverageCell, ...]

    @property
    def counts(self) -> dict[DataStatus, int]:
        """Number of cells per status (every status is a key)."""
        out = dict.fromkeys(DataStatus, 0)
        for cell in self.cells:
            out[cell.status] += 1
        return out

    @property
    def applicable(self) -> int:
        """Number of criteria that apply to the hub."""
        return sum(c.status is not DataStatus.NOT_APPLICABLE for c in self.cells)

    @property
    def observed_share(self) -> float | None:
        """Observed cells / applicable cells [0-1]; ``None`` if no criterion applies."""
        n = self.applicable
        return None if n == 0 else self.counts[DataStatus.OBSERVED] / n

    def criteria(self, status: DataStatus) -> tuple[str, ...]:
        """The criteria whose cell has ``status``, in the profile's order."""
        return tuple(c.criterion_id for c in self.cells if c.status is status)

    def cell(self, criterion_id: str) -> CoverageCell:
        """The cell of one criterion.

        Raises
        ------
        KeyError
            If the criterion is not in the coverage.
        """
        for item in self.cells:
            if item.criterion_id == criterion_id:
                return item
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts per status, observed share and the cells."""
        return {
            "counts": {s.value: n for s, n in self.counts.items()},
            "applicable": self.applicable,
            "observed_share": self.observed_share,
            "cells": [c.to_dict() for c in self.cells],
        }


def data_status(status: ComplianceStatus, confidence: Confidence | None) -> DataStatus:
    """The data status of a compliance result (its status and its value's confidence)."""
    if status is ComplianceStatus.NOT_APPLICABLE:
        return DataStatus.NOT_APPLICABLE
    if status is ComplianceStatus.NO_DATA:
        return DataStatus.MISSING
    if confidence is Confidence.ASSUMPTION:
        return DataStatus.ASSUMED
    return DataStatus.OBSERVED


def coverage_from_compliance(
    compliance: Iterable[HubCompliance], attributes: Mapping[str, str]
) -> tuple[HubCoverage, ...]:
    """Coverage per hub from compliance results.

    Parameters
    ----------
    compliance
        One :class:`HubCompliance` per hub (as :func:`hub_compliance` returns).
    attributes
        Criterion id -> what it reads (dotted hub attribute); a criterion not in the
        mapping is shown with its id.
    """
    return tuple(
        HubCoverage(
            hc.hub_id,
            tuple(
                CoverageCell(
                    criterion_id=r.criterion_id,
                    attribute=attributes.get(r.criterion_id, r.criterion_id),
                    status=data_status(r.status, r.value_confidence),
                    confidence=r.value_confidence if r.value is not None else None,
                    source=r.value_source if r.value is not None else None,
                )
                for r in hc.results
            ),
        )
        for hc in compliance
    )


def mark_imputed(
    coverage: Sequence[HubCoverage], cells: Iterable[tuple[str, str]]
) -> tuple[HubCoverage, ...]:
    """The coverage with the given missing (hub, criterion) cells marked ``imputed``.

    Only ``missing`` cells change: an observed, assumed or not-applicable cell named
    in ``cells`` keeps its status (the ranking fills not-applicable cells too, but
    they stay not applicable to the hub).
    """
    return _marked(coverage, cells, DataStatus.IMPUTED, {DataStatus.MISSING})


def mark_simulated(
    coverage: Sequence[HubCoverage], cells: Iterable[tuple[str, str]]
) -> tuple[HubCoverage, ...]:
    """The coverage with the given (hub, criterion) cells marked ``simulated``.

    Only cells the criterion applies to change; the confidence and source stay those
    of the simulated value (the weakest label of the simulation's inputs).
    """
    return _marked(
        coverage, cells, DataStatus.SIMULATED, set(DataStatus) - {DataStatus.NOT_APPLICABLE}
    )


def _marked(
    coverage: Sequence[HubCoverage],
    cells: Iterable[tuple[str, str]],
    status: DataStatus,
    changeable: Collection[DataStatus],
) -> tuple[HubCoverage, ...]:
    """The coverage with the (hub, criterion) ``cells`` whose status is ``changeable``
    given ``status``; every other cell as it was."""
    wanted = set(cells)
    return tuple(
        HubCoverage(
            hub.hub_id,
            tuple(
                replace(c, status=status)
                if c.status in changeable and (hub.hub_id, c.criterion_id) in wanted
                else c
                for c in hub.cells
            ),
        )
        for hub in coverage
    )


def cell_grid(
    coverage: Sequence[HubCoverage], alternatives: Sequence[str], criteria: Sequence[str]
) -> tuple[list[list[DataStatus]], list[list[Confidence | None]]]:
    """Data status and value confidence per (alternative, criterion), in the given order.

    Raises
    ------
    KeyError
        If an alternative or criterion is not in the coverage.
    """
    by_hub = {h.hub_id: h for h in coverage}
    status: list[list[DataStatus]] = []
    confidence: list[list[Confidence | None]] = []
    for a in alternatives:
        if a not in by_hub:
            raise KeyError(a)
        cells = [by_hub[a].cell(c) for c in criteria]
        status.append([c.status for c in cells])
        confidence.append([c.confidence for c in cells])
    return status, confidence
