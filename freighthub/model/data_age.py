"""The data-age policy: how old a hub value may be before it is reported as stale.

A policy file (``standards/policy/data-age.toml``, ``kind = "data-age"``) gives a
default age in years, with its confidence label and reason, and optional ages for
single attributes. A value's age counts from its ``date``; an undated operating
figure (``operations.*``) counts from the end of the hub's ``operations.year`` (for a
planned value: of ``planned.operations.year``); a value with neither is undated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import field_validator

from freighthub.model.fields import Frozen, HubId, PositiveFloat, Text
from freighthub.model.files import read_toml, unique_ids, validate
from freighthub.model.hub import Hub, attribute_paths
from freighthub.model.paths import data_dir
from freighthub.vocabulary import Confidence

__all__ = ["AgeRule", "DataAgePolicy", "default_policy_path", "load_data_age_policy", "value_date"]

_DAYS_PER_YEAR = 365.25  # mean Julian year: ages are shown in years, not calendar-exact


class AgeRule(Frozen):
    """The age limit of one attribute [years] and why."""

    attribute: str
    max_age_years: PositiveFloat
    reason: Text

    @field_validator("attribute")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in attribute_paths():
            raise ValueError("not an attribute of the hub format")
        return value


class DataAgePolicy(Frozen):
    """A validated data-age policy file.

    Attributes
    ----------
    max_age_years
        Default age limit [years]; a value older than its limit is stale.
    confidence, reason
        How far the limit can be trusted and why it was chosen.
    attribute
        Limits for single attributes, overriding the default.
    """

    kind: Literal["data-age"]
    id: HubId
    title: Text
    max_age_years: PositiveFloat
    confidence: Confidence
    reason: Text
    attribute: tuple[AgeRule, ...] = ()

    def limit(self, path: str) -> tuple[float, str]:
        """The age limit of an attribute [years] and its reason."""
        for rule in self.attribute:
            if rule.attribute == path:
                return rule.max_age_years, rule.reason
        return self.max_age_years, self.reason

    def age_years(self, date: dt.date, as_of: dt.date) -> float:
        """Age of a value dated ``date`` on ``as_of`` [years]."""
        return (as_of - date).days / _DAYS_PER_YEAR


def value_date(hub: Hub, path: str, planned: bool) -> dt.date | None:
    """The date a hub value's age counts from (``None``: undated, or no value).

    Raises
    ------
    KeyError
        If ``path`` is not an attribute of the hub format.
    """
    value = hub.plan(path) if planned else hub.attribute(path)
    if value is None:
        return None
    if value.date is not None:
        return value.date
    owner = hub.planned if planned else hub
    ops = None if owner is None else owner.operations
    if path.startswith("operations.") and ops is not None and ops.year is not None:
        return dt.date(ops.year, 12, 31)
    return None


def default_policy_path() -> Path:
    """The shipped policy file."""
    return data_dir("standards") / "policy" / "data-age.toml"


def load_data_age_policy(path: str | Path | None = None) -> DataAgePolicy:
    """Load a data-age policy file (default: the shipped one).

    Raises
    ------
    DataFileError
        If the file is missing or breaks a rule of the format, or names an
        attribute twice.
    """
    p = Path(path) if path is not None else default_policy_path()
    policy = validate(DataAgePolicy, read_toml(p), p)
    named = ((f"attribute[{i}].attribute", r.attribute) for i, r in enumerate(policy.attribute))
    unique_ids(p, named, rule="named twice")
    return policy
