"""A profile's own plausible ranges: the ``[ranges.<criterion-id>]`` tables of a profile.

The ranking samples a missing value of a criterion over its plausible range
(:mod:`freighthub.scoring.uncertainty`). The ranges come from the ranking-uncertainty
policy (``standards/methods/ranking-uncertainty.toml`` or ``score --uncertainty``),
else from the values observed. A profile may give its own range per criterion, in the
criterion's unit, with source and confidence::

    [ranges.agtcp-berth-length]
    min = 100
    max = 1500
    source = "assumption: ... (why)"
    confidence = "assumption"

Ranges are keyed by criterion id, as in the policy file, because a ratio criterion
(``attribute / per``) is judged in a unit its attributes do not have. Only numeric
criteria (rule ``minimum``, ``maximum`` or ``graded``) take a range: boolean and
one-of criteria enter the ranking as 0 or 1. A profile's range replaces none silently:
where the policy gives another range for the same criterion, the assessment refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from freighthub.errors import DataFileError
from freighthub.model.methods import PlausibleRange
from freighthub.scoring.compliance import RuleKind
from freighthub.scoring.uncertainty import DataUncertainty

if TYPE_CHECKING:
    from freighthub.model.standard_schema import Standard

__all__ = ["NUMERIC_RULES", "PlausibleRange", "check_profile_ranges", "with_profile_ranges"]

#: The rules whose criteria a plausible range fits (a value on a scale).
NUMERIC_RULES = frozenset({RuleKind.MINIMUM, RuleKind.MAXIMUM, RuleKind.GRADED})


def check_profile_ranges(
    standard: Standard, ranges: Mapping[str, PlausibleRange], path: Path
) -> dict[str, PlausibleRange]:
    """Check the ``[ranges]`` of a standard file against its (resolved) criteria.

    Returns
    -------
    dict
        The ranges by criterion id, in the file's order.

    Raises
    ------
    DataFileError
        If a standard (not a profile) gives ranges, a range names no criterion of the
        profile, or its criterion is not numeric.
    """
    by_id = {c.id: c for c in standard.criteria}
    for cid, item in ranges.items():
        field = f"ranges.{cid}"
        if standard.info.kind != "profile":
            raise DataFileError(
                path,
                "plausible ranges belong to a profile (kind = 'profile'), not to a standard",
                field,
            )
        criterion = by_id.get(cid)
        if criterion is None:
            raise DataFileError(
                path,
                "not a criterion of this profile; criteria: " + ", ".join(by_id),
                "ranges",
                cid,
            )
        if criterion.rule not in NUMERIC_RULES:
            raise DataFileError(
                path,
                f"criterion {cid} has rule {criterion.rule.value}: a plausible range needs "
                "rule minimum, maximum or graded (boolean and one-of values rank as 0 or 1)",
                f"{field}.min",
                item.min,
            )
    return dict(ranges)


def with_profile_ranges(policy: DataUncertainty, standard: Standard) -> DataUncertainty:
    """The policy with the profile's plausible ranges added (its source says so).

    Raises
    ------
    DataFileError
        If the policy gives another range for a criterion the profile gives one for
        (two sources for one number: give it in one place).
    """
    if not standard.ranges:
        return policy
    merged = dict(policy.ranges)
    for cid, item in standard.ranges.items():
        own = (item.min, item.max)
        if cid in merged and merged[cid] != own:
            low, high = merged[cid]
            raise DataFileError(
                standard.path,
                f"the ranking-uncertainty policy ({policy.source}) gives {low:g} to {high:g}: "
                "give the range in one place",
                f"ranges.{cid}",
                f"{item.min:g} to {item.max:g}",
            )
        merged[cid] = own
    source = f"{policy.source}; ranges of profile {standard.id}: {', '.join(standard.ranges)}"
    return replace(policy, ranges=merged, source=source)
