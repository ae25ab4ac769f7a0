"""Reference numbers of methods and codes, read from ``standards/methods/`` and ``standards/identifiers/``.

* ``standards/methods/saaty-ahp.toml``: Saaty's random index table and the
  consistency-ratio threshold, for :func:`freighthub.scoring.weights.ahp_weights`.
* ``standards/methods/ranking-uncertainty.toml``: how ``score`` samples missing and
  assumed values (project assumptions), for :mod:`freighthub.scoring.uncertainty`.
* ``standards/identifiers/iso-6346-2022.toml``: the ISO 6346 / EN 13044-1 tables for
  :mod:`freighthub.scoring.identifiers`.

Each file has a ``[source]`` block and a source and confidence label on every table.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import Frozen, NonNegativeFloat, SourcedEntry, Text
from freighthub.model.files import read_toml, validate
from freighthub.model.paths import data_dir
from freighthub.scoring.identifiers import ContainerCodeRules
from freighthub.scoring.uncertainty import UNLABELLED, DataUncertainty
from freighthub.vocabulary import Confidence

__all__ = [
    "AhpReference",
    "ContainerCodeFile",
    "MethodSource",
    "RankingUncertaintyFile",
    "load_ahp_reference",
    "load_container_code_rules",
    "load_ranking_uncertainty",
]

AHP_FILE = Path("methods") / "saaty-ahp.toml"
UNCERTAINTY_FILE = Path("methods") / "ranking-uncertainty.toml"
ISO6346_FILE = Path("identifiers") / "iso-6346-2022.toml"


class MethodSource(Frozen):
    """Where the numbers of a method file come from."""

    document: Text
    edition: Text
    clause: Text
    url: Text | None = None
    licence: Text | None = None
    notes: Text | None = None


class ConsistencyThreshold(SourcedEntry):
    """The CR threshold above which judgements are refused."""

    value: Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]


class RandomIndexTable(SourcedEntry):
    """Saaty's random index RI by matrix order n."""

    values: dict[Annotated[int, Field(ge=1)], NonNegativeFloat]

    @field_validator("values")
    @classmethod
    def _contiguous(cls, v: dict[int, float]) -> dict[int, float]:
        if not v:
            raise ValueError("must not be empty")
        orders = sorted(v)
        if orders != list(range(1, orders[-1] + 1)):
            raise ValueError("must give RI for every order n = 1, 2, ... without gaps")
        values = [v[n] for n in orders]
        if any(b < a for a, b in itertools.pairwise(values)):
            raise ValueError("RI must not decrease with n")
        return v


class AhpReference(Frozen):
    """The numbers of Saaty's consistency test, with their sources."""

    id: Text
    name: Text
    source: MethodSource
    max_consistency_ratio: ConsistencyThreshold
    random_index: RandomIndexTable


class MinObserved(SourcedEntry):
    """Minimum observed values per criterion [count]."""

    value: Annotated[int, Field(ge=0)]


class HalfWidths(SourcedEntry):
    """Relative half-width of the perturbation per confidence label (and ``unlabelled``)."""

    values: dict[str, Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]]

    @field_validator("values")
    @classmethod
    def _labels(cls, v: dict[str, float]) -> dict[str, float]:
        known = [c.value for c in Confidence] + [UNLABELLED]
        unknown = sorted(set(v) - set(known))
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; use {', '.join(known)}")
        return v


class DegenerateHalfWidth(SourcedEntry):
    """Relative half-width of a range that would be a single value."""

    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]


class BenefitFromZero(SourcedEntry):
    """Whether the plausible range of a benefit criterion reaches down to 0."""

    value: bool


class PlausibleRange(SourcedEntry):
    """A criterion's plausible range [criterion unit]."""

    min: Annotated[float, Field(allow_inf_nan=False)]
    max: Annotated[float, Field(allow_inf_nan=False)]

    @model_validator(mode="after")
    def _ordered(self) -> PlausibleRange:
        if not self.min < self.max:
            raise ValueError(f"min {self.min:g} must be < max {self.max:g}")
        return self


class RankingUncertaintyFile(Frozen):
    """How missing and assumed hub values are sampled in a ranking, with sources."""

    id: Text
    name: Text
    source: MethodSource
    min_observed: MinObserved
    relative_half_width: HalfWidths
    degenerate_relative_half_width: DegenerateHalfWidth
    benefit_from_zero: BenefitFromZero
    ranges: dict[Text, PlausibleRange] = Field(default_factory=dict)

    def policy(self, path: Path) -> DataUncertainty:
        """The numbers as :mod:`freighthub.scoring.uncertainty` takes them."""
        flagged = [
            name
            for name, item in (
                ("min_observed", self.min_observed),
                ("relative_half_width", self.relative_half_width),
                ("degenerate_relative_half_width", self.degenerate_relative_half_width),
                ("benefit_from_zero", self.benefit_from_zero),
            )
            if item.confidence is Confidence.ASSUMPTION
        ]
        note = f"; assumptions: {', '.join(flagged)}" if flagged else ""
        return DataUncertainty(
            min_observed=self.min_observed.value,
            relative_half_width=dict(self.relative_half_width.values),
            degenerate_relative_half_width=self.degenerate_relative_half_width.value,
            ranges={k: (r.min, r.max) for k, r in self.ranges.items()},
            benefit_from_zero=self.benefit_from_zero.value,
            source=f"{path.name} ({self.id}){note}",
        )


class LetterValues(SourcedEntry):
    values: dict[Annotated[str, Field(pattern=r"^[A-Z]$")], Annotated[int, Field(ge=10)]]

    @field_validator("values")
    @classmethod
    def _all_letters(cls, v: dict[str, int]) -> dict[str, int]:
        missing = sorted(set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(v))
        if missing:
            raise ValueError(f"no value for letter(s) {', '.join(missing)}")
        return v


class CheckDigitRule(SourcedEntry):
    position_weight_base: Annotated[int, Field(ge=2)]
    modulus: Annotated[int, Field(ge=2)]


class Categories(SourcedEntry):
    values: dict[Annotated[str, Field(pattern=r"^[A-Z]$")], Text]


class IluLetters(SourcedEntry):
    values: list[Annotated[str, Field(pattern=r"^[A-Z]$")]]


class ContainerCodeFile(Frozen):
    """The ISO 6346 / EN 13044-1 tables, with their sources."""

    id: Text
    name: Text
    source: MethodSource
    letter_values: LetterValues
    check_digit: CheckDigitRule
    iso6346_categories: Categories
    en13044_ilu_fourth_letters: IluLetters

    @model_validator(mode="after")
    def _disjoint(self) -> ContainerCodeFile:
        both = set(self.iso6346_categories.values) & set(self.en13044_ilu_fourth_letters.values)
        if both:
            raise ValueError(
                f"letter(s) {', '.join(sorted(both))} are both ISO 6346 categories and ILU letters"
            )
        return self

    def rules(self) -> ContainerCodeRules:
        """The tables as the pure check-digit functions take them."""
        return ContainerCodeRules(
            letter_values=dict(self.letter_values.values),
            position_weight_base=self.check_digit.position_weight_base,
            modulus=self.check_digit.modulus,
            iso6346_categories=dict(self.iso6346_categories.values),
            ilu_fourth_letters=tuple(self.en13044_ilu_fourth_letters.values),
        )


def _default(relative: Path) -> Path:
    return data_dir("standards") / relative


def load_ahp_reference(path: str | Path | None = None) -> AhpReference:
    """Read Saaty's random index table and the CR threshold.

    Parameters
    ----------
    path
        The file; default ``standards/methods/saaty-ahp.toml``.

    Raises
    ------
    DataFileError
        If the file is missing or invalid (``path: field = value: rule``).
    """
    p = Path(path) if path is not None else _default(AHP_FILE)
    return validate(AhpReference, read_toml(p), p)


def load_container_code_rules(path: str | Path | None = None) -> ContainerCodeRules:
    """Read the ISO 6346 / EN 13044-1 tables for the check-digit functions.

    Parameters
    ----------
    path
        The file; default ``standards/identifiers/iso-6346-2022.toml``.

    Raises
    ------
    DataFileError
        If the file is missing or invalid.
    """
    p = Path(path) if path is not None else _default(ISO6346_FILE)
    data = validate(ContainerCodeFile, read_toml(p), p)
    if data.check_digit.modulus <= 10:
        raise DataFileError(
            p,
            "must be > 10 (check digits are 0-9)",
            "check_digit.modulus",
            data.check_digit.modulus,
        )
    return data.rules()


def load_ranking_uncertainty(path: str | Path | None = None) -> DataUncertainty:
    """Read how ``score`` samples missing and assumed values.

    Parameters
    ----------
    path
        The file; default ``standards/methods/ranking-uncertainty.toml``.

    Raises
    ------
    DataFileError
        If the file is missing or invalid (``path: field = value: rule``).
    """
    p = Path(path) if path is not None else _default(UNCERTAINTY_FILE)
    return validate(RankingUncertaintyFile, read_toml(p), p).policy(p)
