"""Project files (``PROJECT.toml``): the inputs of a cost-benefit appraisal.

Every number is a :class:`~freighthub.model.sourced.Sourced` value with a source and
a confidence label (an assumption says why), like every other data file. The format
is documented in ``docs/data-formats.md`` ("Project files") and the README.

Checks beyond the field types (one line naming file, field, value and rule):
the discount rate is > -100 %; the appraisal period is >= 1 year; the capex
phasing sums to the total within :data:`PHASING_TOLERANCE_SHARE`; every year
given lies inside the appraisal period; unknown fields are errors.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from freighthub.errors import DataFileError
from freighthub.model.fields import Finite, Frozen, Id, NonNegativeFloat, SourcedFields, Text
from freighthub.model.files import read_toml, validate
from freighthub.model.sourced import Sourced

__all__ = [
    "PHASING_TOLERANCE_SHARE",
    "Alternative",
    "BenefitItem",
    "CapexPhase",
    "CostItem",
    "Project",
    "load_project",
]

#: The capex phasing may differ from the total by this share of the total [-]
#: (rounding in a published phasing table), never more.
PHASING_TOLERANCE_SHARE = 1e-6

Year = Annotated[int, Field(ge=1900, le=2200)]
NegativeFloat = Annotated[float, Field(lt=0, allow_inf_nan=False)]
YearValues = list[tuple[Year, Finite]]


class CapexPhase(SourcedFields):
    """Capital expenditure spent in one year [CNY]."""

    year: Year
    cost_cny: Sourced[NonNegativeFloat]


class Capex(SourcedFields):
    """Capital expenditure: the total and its phasing by year."""

    total_cny: Sourced[NonNegativeFloat]
    phasing: list[CapexPhase] = Field(min_length=1)


class _Flow(SourcedFields):
    """A yearly flow: constant from ``from_year`` to ``to_year`` (with growth) or by year."""

    id: Id
    label: Text
    cny_per_year: Sourced[Finite] | None = None
    by_year_cny: Sourced[YearValues] | None = None
    from_year: Year | None = None
    to_year: Year | None = None
    growth_share_per_year: Sourced[Finite] | None = None


class CostItem(_Flow):
    """An operating, maintenance or renewal cost [CNY/year]."""


class Alternative(SourcedFields):
    """One mode or route of a shipper's choice, before and after the project.

    ``cost_before_cny_per_teu`` / ``cost_after_cny_per_teu`` are generalised costs
    [CNY/TEU] (price + value of time x door-to-door time, as ``compare`` reports);
    an alternative that does not exist before the project has no ``cost_before``.
    """

    id: Id
    cost_before_cny_per_teu: Sourced[Finite] | None = None
    cost_after_cny_per_teu: Sourced[Finite]
    constant: Sourced[Finite] | None = None


class CompareDeltas(Frozen):
    """Per-TEU changes (variant - base) read from a ``freighthub compare --json`` file."""

    path: str
    cost_cny_per_teu: float
    door_to_door_mean_h: float
    emissions_kgco2e_wtw_per_teu: float


class BenefitItem(_Flow):
    """A benefit [CNY/year] of one kind.

    ``direct``: the value is given (``cny_per_year`` or ``by_year_cny``).
    ``shipper_surplus``: the change of shippers' generalised cost, from the logit
    logsum of ``alternatives`` x ``volume_teu_per_year`` (the rule of a half is the
    cross-check). ``co2e``: ``co2e_avoided_t_per_year`` x the project's carbon price
    path. ``external``: ``quantity_per_year`` (in ``unit``) x ``factor_cny_per_unit``.
    ``compare``: the per-TEU changes of a ``freighthub compare --json`` result
    (``compare_json``, relative to the project file) x ``volume_teu_per_year``:
    minus the price change, minus ``value_of_time_cny_per_teu_h`` x the door-to-door
    change, minus the carbon price x the WTW emissions change (a fixed-demand
    measure: the average change per TEU of the compared flows).
    """

    kind: Literal["direct", "shipper_surplus", "co2e", "external", "compare"] = "direct"
    compare_json: str | None = None
    value_of_time_cny_per_teu_h: Sourced[NonNegativeFloat] | None = None
    compare: CompareDeltas | None = None
    volume_teu_per_year: Sourced[NonNegativeFloat] | None = None
    cost_coefficient_per_cny: Sourced[NegativeFloat] | None = None
    alternatives: list[Alternative] = Field(default_factory=list)
    co2e_avoided_t_per_year: Sourced[Finite] | None = None
    quantity_per_year: Sourced[Finite] | None = None
    unit: str | None = None
    factor_cny_per_unit: Sourced[Finite] | None = None


class CarbonPrice(SourcedFields):
    """Carbon price path [CNY/tCO2e] by year; held flat outside the years given,
    linear between them."""

    cny_per_tco2e_by_year: Sourced[YearValues]


class Sensitivity(SourcedFields):
    """Steps of the sensitivity table (defaults are conventions, stated in the output)."""

    discount_rate_step: Sourced[NonNegativeFloat] | None = None
    carbon_price_step_share: Sourced[NonNegativeFloat] | None = None
    demand_step_share: Sourced[NonNegativeFloat] | None = None


class Project(SourcedFields):
    """A project appraisal (see ``docs/data-formats.md``, "Project files").

    Attributes
    ----------
    first_year
        First year of the appraisal period (construction starts) [calendar year].
    appraisal_period_years
        Years appraised, construction included [year] (>= 1).
    discount_base_year
        Year whose flows are not discounted (default ``first_year``).
    discount_rate
        Real social discount rate [-/year], > -1.
    price_base_year
        Year of the constant prices all values are in.
    residual_value_cny
        Value of the assets at the end of the last year [CNY], a benefit that year.
    """

    id: Id
    name: Text
    description: str | None = None
    currency: Literal["CNY"] = "CNY"
    price_base_year: Sourced[Year]
    first_year: Year
    appraisal_period_years: Sourced[int]
    discount_base_year: Year | None = None
    discount_rate: Sourced[Finite]
    residual_value_cny: Sourced[NonNegativeFloat] | None = None
    capex: Capex
    costs: list[CostItem] = Field(default_factory=list)
    benefits: list[BenefitItem] = Field(default_factory=list)
    carbon_price: CarbonPrice | None = None
    sensitivity: Sensitivity | None = None

    @property
    def years(self) -> list[int]:
        """The calendar years of the appraisal period."""
        return list(range(self.first_year, self.first_year + self.appraisal_period_years.value))

    @property
    def base_year(self) -> int:
        """The discounting base year."""
        return self.first_year if self.discount_base_year is None else self.discount_base_year


def _check(project: Project, path: Path) -> None:
    rate = project.discount_rate.value
    if not rate > -1.0:
        raise DataFileError(path, "must be > -1 (-100 %)", "discount_rate", rate)
    period = project.appraisal_period_years.value
    if period < 1:
        raise DataFileError(path, "must be >= 1 year", "appraisal_period_years", period)
    years = set(project.years)
    last = project.years[-1]
    total = project.capex.total_cny.value
    phased = math.fsum(p.cost_cny.value for p in project.capex.phasing)
    if abs(phased - total) > PHASING_TOLERANCE_SHARE * max(abs(total), 1.0):
        raise DataFileError(
            path,
            f"the phasing sums to {phased:,.2f} CNY: must equal capex.total_cny = {total:,.2f} "
            f"(tolerance {PHASING_TOLERANCE_SHARE:g} of the total)",
            "capex.phasing",
            phased,
        )
    seen: set[int] = set()
    for i, p in enumerate(project.capex.phasing):
        if p.year not in years:
            raise DataFileError(
                path,
                f"must lie in the appraisal period {project.first_year}-{last}",
                f"capex.phasing.{i}.year",
                p.year,
            )
        if p.year in seen:
            raise DataFileError(path, "is given twice", f"capex.phasing.{i}.year", p.year)
        seen.add(p.year)
    for group, items in (("costs", project.costs), ("benefits", project.benefits)):
        ids: set[str] = set()
        for i, item in enumerate(items):
            where = f"{group}.{i}"
            if item.id in ids:
                raise DataFileError(path, "is given twice", f"{where}.id", item.id)
            ids.add(item.id)
            _check_flow(item, where, years, path)
            if isinstance(item, BenefitItem):
                _check_benefit(item, where, project, path)
    if project.carbon_price is not None and not project.carbon_price.cny_per_tco2e_by_year.value:
        raise DataFileError(
            path, "must name at least one year", "carbon_price.cny_per_tco2e_by_year"
        )


def _check_flow(item: _Flow, where: str, years: set[int], path: Path) -> None:
    kind = getattr(item, "kind", "direct")
    given = item.cny_per_year is not None, item.by_year_cny is not None
    if kind == "direct" and given.count(True) != 1:
        raise DataFileError(path, "give exactly one of cny_per_year and by_year_cny", where)
    if kind != "direct" and any(given):
        raise DataFileError(
            path,
            f"a {kind!r} benefit is computed: cny_per_year and by_year_cny do not apply",
            where,
        )
    for name in ("from_year", "to_year"):
        year = getattr(item, name)
        if year is not None and year not in years:
            raise DataFileError(path, "must lie in the appraisal period", f"{where}.{name}", year)
    if item.from_year is not None and item.to_year is not None and item.to_year < item.from_year:
        raise DataFileError(path, "must be >= from_year", f"{where}.to_year", item.to_year)
    if item.by_year_cny is not None:
        if item.from_year is not None or item.to_year is not None or item.growth_share_per_year:
            raise DataFileError(
                path,
                "by_year_cny gives every year: from_year, to_year and growth do not apply",
                where,
            )
        seen: set[int] = set()
        for year, _ in item.by_year_cny.value:
            if year not in years:
                raise DataFileError(
                    path, "must lie in the appraisal period", f"{where}.by_year_cny", year
                )
            if year in seen:
                raise DataFileError(path, "is given twice", f"{where}.by_year_cny", year)
            seen.add(year)


_NEEDS: dict[str, tuple[str, ...]] = {
    "direct": (),
    "shipper_surplus": ("volume_teu_per_year", "cost_coefficient_per_cny", "alternatives"),
    "co2e": ("co2e_avoided_t_per_year",),
    "external": ("quantity_per_year", "unit", "factor_cny_per_unit"),
    "compare": ("compare_json", "volume_teu_per_year", "value_of_time_cny_per_teu_h"),
}


def _check_benefit(item: BenefitItem, where: str, project: Project, path: Path) -> None:
    needed = _NEEDS[item.kind]
    for name in needed:
        if not getattr(item, name):
            raise DataFileError(path, f"a {item.kind!r} benefit needs it", f"{where}.{name}")
    for name in sorted({n for ns in _NEEDS.values() for n in ns} - set(needed)):
        if getattr(item, name):
            raise DataFileError(
                path, f"does not apply to a {item.kind!r} benefit", f"{where}.{name}"
            )
    if item.kind in ("co2e", "compare") and project.carbon_price is None:
        raise DataFileError(
            path, "a 'co2e' benefit needs the project's [carbon_price] path", f"{where}.kind"
        )
    if item.kind == "shipper_surplus":
        if not any(a.cost_before_cny_per_teu is not None for a in item.alternatives):
            raise DataFileError(
                path,
                "at least one alternative must exist before the project",
                f"{where}.alternatives",
            )
        ids = [a.id for a in item.alternatives]
        if len(set(ids)) != len(ids):
            raise DataFileError(path, "ids must be unique", f"{where}.alternatives", ids)


def load_project(path: str | Path) -> Project:
    """Load and check a project file.

    Raises
    ------
    DataFileError
        For a missing or invalid file, an unknown field, a value without source and
        confidence, a discount rate <= -100 %, an appraisal period of 0, a capex
        phasing that does not sum to the total, a year outside the period.
    """
    p = Path(path)
    data = read_toml(p)
    for i, item in enumerate(
        data.get("benefits", []) if isinstance(data.get("benefits"), list) else []
    ):
        if isinstance(item, dict) and "compare" in item:
            raise DataFileError(
                p, "is filled from compare_json, not given", f"benefits.{i}.compare"
            )
    project = validate(Project, data, p)
    _check(project, p)
    benefits = [
        b.model_copy(
            update={"compare": _compare_deltas(p, f"benefits.{i}.compare_json", b.compare_json)}
        )
        if b.kind == "compare" and b.compare_json is not None
        else b
        for i, b in enumerate(project.benefits)
    ]
    return project.model_copy(update={"benefits": benefits})


_COMPARE_FIGURES = ("cost_cny_per_teu", "door_to_door_mean_h", "emissions_kgco2e_wtw_per_teu")


def _compare_deltas(project_path: Path, field: str, name: str) -> CompareDeltas:
    """The per-TEU deltas of a ``freighthub compare --json`` file."""
    target = project_path.parent / name
    if not target.is_file():
        raise DataFileError(project_path, "no such file", field, name)
    try:
        doc = json.loads(target.read_text(encoding="utf-8"))
        metrics = doc["metrics"]
        deltas = {k: float(metrics[k]["delta"]["mean"]) for k in _COMPARE_FIGURES}
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(
            project_path,
            f"not a 'freighthub compare --json' result with metrics {', '.join(_COMPARE_FIGURES)} "
            f"({type(exc).__name__}: {exc})",
            field,
            name,
        ) from None
    for key, value in deltas.items():
        if not math.isfinite(value):
            raise DataFileError(project_path, f"{key} delta is not finite", field, name)
    return CompareDeltas(path=str(target), **deltas)
