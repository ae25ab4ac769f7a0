"""Candidates files (``CANDIDATES.toml``): hubs and services a budget may open.

A candidates file names a scenario that contains every candidate (hubs by hub id,
services by service id), the value of time (a mode-choice file or a sourced
value), the carbon price and the discount rate that annualises each candidate's
capex over its life. Every number is a sourced value (source and confidence).
The format is in the README ("Hub and service selection").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from freighthub.errors import DataFileError
from freighthub.model.fields import Finite, Id, NonNegativeFloat, SourcedFields, Text
from freighthub.model.files import read_toml, validate
from freighthub.model.sourced import Sourced

__all__ = ["CandidateSpec", "CandidatesFile", "load_candidates"]

PositiveYears = Annotated[int, Field(gt=0)]


class CandidateSpec(SourcedFields):
    """One candidate hub or service.

    Attributes
    ----------
    id
        Hub id (``kind = "hub"``) or service id (``kind = "service"``) in the scenario.
    capex_cny
        Investment if opened [CNY].
    life_years
        Economic life over which the capex is annualised [year].
    fixed_cost_cny_per_year
        Fixed operating cost when open [CNY/year].
    variable_cost_cny_per_teu
        Cost per TEU through the candidate [CNY/TEU].
    integer_departures
        Service only: departures per week are an integer decision, 0 up to the
        scenario's; each costs the service's ``cost_cny_per_departure``.
    """

    id: Id
    kind: Literal["hub", "service"]
    label: Text
    capex_cny: Sourced[NonNegativeFloat]
    life_years: Sourced[PositiveYears]
    fixed_cost_cny_per_year: Sourced[NonNegativeFloat]
    variable_cost_cny_per_teu: Sourced[NonNegativeFloat] | None = None
    integer_departures: bool = False


class CandidatesFile(SourcedFields):
    """A candidates file (see the module docstring).

    ``road_share_max`` is an optional policy target: road at most this share of
    all TEU-km [0-1], as ``freighthub optimize --road-share-max``.
    """

    id: Id
    name: Text
    description: str | None = None
    scenario: Text
    mode_choice: str | None = None
    value_of_time_cny_per_teu_h: Sourced[NonNegativeFloat] | None = None
    carbon_price_cny_per_tco2e: Sourced[NonNegativeFloat]
    discount_rate: Sourced[Finite]
    road_share_max: Sourced[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] | None = None
    candidates: list[CandidateSpec] = Field(min_length=1)


def load_candidates(path: str | Path) -> tuple[CandidatesFile, Path]:
    """Load a candidates file; return it and the scenario path it names.

    Raises
    ------
    DataFileError
        For a bad file: unknown fields, unsourced values, a discount rate <= -100 %,
        both or neither of ``mode_choice`` and ``value_of_time_cny_per_teu_h``,
        duplicate ids, ``integer_departures`` on a hub, a scenario that does not exist.
    """
    p = Path(path)
    spec = validate(CandidatesFile, read_toml(p), p)
    if not spec.discount_rate.value > -1.0:
        raise DataFileError(p, "must be > -1 (-100 %)", "discount_rate", spec.discount_rate.value)
    if (spec.mode_choice is None) == (spec.value_of_time_cny_per_teu_h is None):
        raise DataFileError(
            p, "give exactly one of mode_choice and value_of_time_cny_per_teu_h", "mode_choice"
        )
    seen: set[str] = set()
    for i, c in enumerate(spec.candidates):
        if c.id in seen:
            raise DataFileError(p, "is given twice", f"candidates.{i}.id", c.id)
        seen.add(c.id)
        if c.integer_departures and c.kind != "service":
            raise DataFileError(
                p, "only a service has departures", f"candidates.{i}.integer_departures", True
            )
    scenario = (p.parent / spec.scenario).resolve()
    if not scenario.is_file():
        raise DataFileError(p, "no such scenario file", "scenario", spec.scenario)
    return spec, scenario
