"""Completeness of hub data for a profile: what each hub gives of what the profile reads.

For each hub and each criterion of a profile that applies to it, the value the
ranking would read is ``observed``, ``assumed`` or ``missing`` (the per-hub coverage
of :func:`freighthub.observation.profile_coverage`, shared with ``score``), and an
observed or assumed value is also ``stale`` when it is older than the data-age
policy allows (:mod:`freighthub.model.data_age`), or ``undated``. A candidate hub's
planned values are marked with their year; with an assessment year (``--year``, else
the profile's ``assessment_year``) a plan counts only from its ``planned_year``, as in
``score``: before it an expansion is checked as it is and a planned site, not built
yet, is named as such (its values are missing because it does not exist). A hub without a ``[tent]`` section that a
criterion staged by network tier applies to has its tier assumed (the core network,
the strictest reading; :mod:`freighthub.model.tent`). ``freighthub hubs validate
--profile`` shows the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from freighthub.model.data_age import DataAgePolicy, value_date
from freighthub.model.hub import Hub
from freighthub.model.standard import Standard
from freighthub.observation import profile_coverage
from freighthub.scoring.coverage import CoverageCell, DataStatus

__all__ = ["AttributeCheck", "HubCompleteness", "check_completeness"]


@dataclass(frozen=True)
class AttributeCheck:
    """One value a profile needs from a hub.

    Attributes
    ----------
    cell
        The coverage cell (criterion, attribute, observed / assumed / missing).
    planned_year
        Year of the plan if the value read is a planned one, else ``None``.
    value_date
        Date the value's age counts from (``None``: undated or missing).
    age_years, max_age_years
        Age of the value on the check date [years] and the policy's limit [years].
    stale_reason
        The policy's reason for the limit, if the value is stale.
    """

    cell: CoverageCell
    planned_year: int | None
    value_date: dt.date | None
    age_years: float | None
    max_age_years: float
    stale_reason: str | None

    @property
    def stale(self) -> bool:
        """Older than the policy allows."""
        return self.stale_reason is not None

    @property
    def undated(self) -> bool:
        """A value is given but no date to count its age from."""
        given = self.cell.status in {DataStatus.OBSERVED, DataStatus.ASSUMED}
        return given and self.value_date is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            **self.cell.to_dict(),
            "planned_year": self.planned_year,
            "value_date": None if self.value_date is None else self.value_date.isoformat(),
            "age_years": self.age_years,
            "max_age_years": self.max_age_years,
            "stale": self.stale,
            "stale_reason": self.stale_reason,
            "undated": self.undated,
        }


@dataclass(frozen=True)
class HubCompleteness:
    """What one hub gives of what a profile reads.

    ``tier_assumed`` lists the criteria staged by TEN-T tier that apply to the hub
    while its file has no ``[tent]`` section: their stage is chosen for the core
    network (the questionnaire's ``tent.*`` rows ask for the listing). ``year`` is the
    assessment year the plans were read for (``None``: the hub as planned);
    ``not_built`` is true for a planned site whose ``planned_year`` is after it.
    """

    hub_id: str
    status: str
    checks: tuple[AttributeCheck, ...]
    tier_assumed: tuple[str, ...] = ()
    year: int | None = None
    planned_year: int | None = None
    not_built: bool = False

    def _where(self, status: DataStatus) -> tuple[str, ...]:
        return tuple(c.cell.attribute for c in self.checks if c.cell.status is status)

    @property
    def needed(self) -> tuple[str, ...]:
        """Attributes the applicable criteria read."""
        return tuple(
            c.cell.attribute for c in self.checks if c.cell.status is not DataStatus.NOT_APPLICABLE
        )

    @property
    def observed(self) -> tuple[str, ...]:
        """Given with a confidence other than ``assumption``."""
        return self._where(DataStatus.OBSERVED)

    @property
    def assumed(self) -> tuple[str, ...]:
        """Given, labelled ``assumption``."""
        return self._where(DataStatus.ASSUMED)

    @property
    def missing(self) -> tuple[str, ...]:
        """Needed, not given."""
        return self._where(DataStatus.MISSING)

    @property
    def stale(self) -> tuple[str, ...]:
        """Given, older than the policy allows."""
        return tuple(c.cell.attribute for c in self.checks if c.stale)

    @property
    def undated(self) -> tuple[str, ...]:
        """Given without a date."""
        return tuple(c.cell.attribute for c in self.checks if c.undated)

    @property
    def planned(self) -> tuple[str, ...]:
        """Read from the hub's plans."""
        return tuple(c.cell.attribute for c in self.checks if c.planned_year is not None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the lists per status and one entry per criterion."""
        return {
            "hub": self.hub_id,
            "status": self.status,
            "needed": list(self.needed),
            "observed": list(self.observed),
            "assumed": list(self.assumed),
            "missing": list(self.missing),
            "stale": list(self.stale),
            "undated": list(self.undated),
            "planned": list(self.planned),
            "tier_assumed": list(self.tier_assumed),
            "assessment_year": self.year,
            "planned_year": self.planned_year,
            "not_built": self.not_built,
            "checks": [c.to_dict() for c in self.checks],
        }


def _check(
    hub: Hub,
    standard: Standard,
    cell: CoverageCell,
    policy: DataAgePolicy,
    as_of: dt.date,
    year: int | None,
) -> AttributeCheck:
    criterion = standard.criterion(cell.criterion_id)
    paths = [criterion.attribute] + ([criterion.per] if criterion.per else [])
    limit, reason = min(policy.limit(p) for p in paths)
    if cell.status not in {DataStatus.OBSERVED, DataStatus.ASSUMED}:
        return AttributeCheck(cell, None, None, None, limit, None)
    dates: list[dt.date] = []
    plan_year: int | None = None
    for path in paths:
        _, planned = hub.scored_attribute(path, year)
        plan_year = plan_year or planned
        date = value_date(hub, path, planned is not None)
        if date is None:
            return AttributeCheck(cell, plan_year, None, None, limit, None)
        dates.append(date)
    oldest = min(dates)
    age = policy.age_years(oldest, as_of)
    stale = f"{age:.1f} years old, limit {limit:g} years ({reason})" if age > limit else None
    return AttributeCheck(cell, plan_year, oldest, age, limit, stale)


def check_completeness(
    standard: Standard,
    hubs: Iterable[Hub],
    policy: DataAgePolicy,
    as_of: dt.date,
    year: int | None = None,
) -> list[HubCompleteness]:
    """What each hub gives of what ``standard`` (a profile) reads, in the hubs' order.

    A candidate hub's planned values count where it has them and they apply in the
    assessment year (:meth:`~freighthub.model.hub.Hub.scored_attribute`).

    Parameters
    ----------
    standard
        The standard or profile.
    hubs
        The hubs to check.
    policy
        The data-age policy.
    as_of
        The date ages are counted to.
    year
        Assessment year (default: the profile's ``assessment_year``; ``None`` in both:
        the candidates as planned).
    """
    year = standard.info.assessment_year if year is None else year
    hub_list = list(hubs)
    coverage = profile_coverage(standard, hub_list, year)
    staged = {c.id for c in standard.criteria if any(stage.tiers for stage in c.stages)}
    return [
        HubCompleteness(
            hub.id,
            hub.status.value,
            tuple(_check(hub, standard, cell, policy, as_of, year) for cell in cov.cells),
            tuple(
                cell.criterion_id
                for cell in cov.cells
                if hub.tent is None
                and cell.criterion_id in staged
                and cell.status is not DataStatus.NOT_APPLICABLE
            ),
            year=year,
            planned_year=hub.planned_year,
            not_built=not hub.exists_in(year),
        )
        for hub, cov in zip(hub_list, coverage, strict=True)
    ]
