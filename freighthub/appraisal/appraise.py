"""The appraisal of a project file: yearly flows, NPV, BCR, IRR, payback, sensitivity.

``appraise_project`` turns a :class:`~freighthub.appraisal.project.Project` into an
:class:`Appraisal`; ``appraise_file`` loads the file first. Conventions (stated in
every result's ``assumptions``):

- Flows are in constant prices of ``price_base_year``; the rate is a real rate.
- Year ``y`` is discounted with ``(1 + r)**-(y - discount_base_year)``.
- Costs are capex (phased) plus the cost items; benefits are the benefit items plus
  the residual value in the last year.
- Shipper benefits are the change of the logit logsum divided by minus the cost
  coefficient (consumer surplus per TEU), times the TEU per year; the rule of a half
  over the alternatives that exist before and after is the cross-check.
- The demand sensitivity scales every benefit item (not the residual value).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from freighthub.appraisal.cashflow import (
    IrrResult,
    benefit_cost_ratio,
    discount_factors,
    discounted_payback_index,
    internal_rates_of_return,
    net_present_value,
)
from freighthub.appraisal.project import BenefitItem, CarbonPrice, Project, load_project
from freighthub.model.sourced import Sourced
from freighthub.shift.logit import logsum, multinomial_logit
from freighthub.units import KG_PER_T
from freighthub.vocabulary import Confidence

__all__ = [
    "DEFAULT_SENSITIVITY",
    "Appraisal",
    "Assumption",
    "SensitivityRow",
    "SurplusCheck",
    "YearRow",
    "appraise_file",
    "appraise_project",
]

#: Default steps of the sensitivity table when the project file gives none: the
#: discount rate +/- 2 percentage points, the carbon price path +/- 50 %, demand
#: +/- 20 % (issue #18). Conventions of this tool, stated as assumptions.
DEFAULT_SENSITIVITY: dict[str, float] = {
    "discount_rate_step": 0.02,
    "carbon_price_step_share": 0.5,
    "demand_step_share": 0.2,
}


@dataclass(frozen=True)
class YearRow:
    """One year of the appraisal [CNY, constant prices of the price base year]."""

    year: int
    capex_cny: float
    operating_costs_cny: float
    benefits_cny: float
    costs_cny: float
    net_cny: float
    discount_factor: float
    discounted_net_cny: float
    cumulative_discounted_net_cny: float


@dataclass(frozen=True)
class Assumption:
    """A parameter of the appraisal with its source and confidence."""

    parameter: str
    value: Any
    source: str
    confidence: Confidence | None


@dataclass(frozen=True)
class SurplusCheck:
    """Logsum vs rule of a half for one shipper-surplus benefit, per TEU [CNY/TEU]."""

    benefit: str
    logsum_cny_per_teu: float
    rule_of_half_cny_per_teu: float
    difference_share: float | None
    note: str


@dataclass(frozen=True)
class SensitivityRow:
    """NPV, BCR and IRR of the project with one input changed."""

    case: str
    parameter: str
    value: float
    npv_cny: float
    bcr: float | None
    irr: float | None


@dataclass(frozen=True)
class Appraisal:
    """Result of :func:`appraise_project`.

    Attributes
    ----------
    npv_cny
        Net present value [CNY] at ``discount_rate``.
    bcr
        Present value of benefits over present value of costs [-] (``None`` if no cost).
    irr, irr_rates, irr_note
        The IRR [-] if exactly one exists; every root found; why there is no unique one.
    irr_note_kind
        ``irr_note`` as a translation key (:class:`~freighthub.appraisal.cashflow.IrrResult`).
    payback_year
        First year from which the cumulative discounted net stays >= 0 (``None``: never).
    """

    project_id: str
    project_name: str
    discount_rate: float
    discount_base_year: int
    price_base_year: int
    npv_cny: float
    pv_benefits_cny: float
    pv_costs_cny: float
    bcr: float | None
    irr: float | None
    irr_rates: tuple[float, ...]
    irr_note: str
    irr_note_kind: str
    payback_year: int | None
    years: tuple[YearRow, ...]
    pv_benefits_by_item_cny: dict[str, float]
    pv_costs_by_item_cny: dict[str, float]
    assumptions: tuple[Assumption, ...]
    surplus_checks: tuple[SurplusCheck, ...] = ()
    sensitivity: tuple[SensitivityRow, ...] = ()
    inputs: tuple[str, ...] = field(default_factory=tuple)


def _walk(obj: Any, path: str) -> Iterator[tuple[str, Sourced[Any]]]:
    """Every :class:`Sourced` value in ``obj`` with its dotted path."""
    if isinstance(obj, Sourced):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            child = f"{path}.{name}" if path else name
            if isinstance(value, list) and value and isinstance(value[0], BaseModel):
                for i, item in enumerate(value):
                    tag = getattr(item, "id", None) or getattr(item, "year", None) or i
                    yield from _walk(item, f"{child}[{tag}]")
            else:
                yield from _walk(value, child)


def _assumptions(
    project: Project, sensitivity: dict[str, float], given: set[str]
) -> list[Assumption]:
    out = [
        Assumption(path, s.value, " ".join((s.source or "").split()), s.confidence)
        for path, s in _walk(project, "")
    ]
    for name, value in sensitivity.items():
        if name not in given:
            out.append(
                Assumption(
                    f"sensitivity.{name}",
                    value,
                    "freighthub default (DEFAULT_SENSITIVITY); issue #18 asks for demand +/- 20 %",
                    Confidence.ASSUMPTION,
                )
            )
    return out


def _carbon_price(path: CarbonPrice, year: int) -> float:
    points = sorted(path.cny_per_tco2e_by_year.value)
    xs = [float(y) for y, _ in points]
    ys = [v for _, v in points]
    return float(np.interp(float(year), xs, ys))


def _surplus_per_teu(item: BenefitItem) -> SurplusCheck:
    beta = item.cost_coefficient_per_cny.value if item.cost_coefficient_per_cny else -1.0
    before, after, c0, c1 = [], [], [], []
    for a in item.alternatives:
        k = a.constant.value if a.constant is not None else 0.0
        cost_after = a.cost_after_cny_per_teu.value
        cost_before = a.cost_before_cny_per_teu.value if a.cost_before_cny_per_teu else math.inf
        before.append(beta * cost_before + k if math.isfinite(cost_before) else -math.inf)
        after.append(beta * cost_after + k)
        c0.append(cost_before)
        c1.append(cost_after)
    ls = float((logsum(after) - logsum(before)) / -beta)
    p0 = multinomial_logit(before)
    p1 = multinomial_logit(after)
    both = [i for i in range(len(c0)) if math.isfinite(c0[i])]
    roh = math.fsum(0.5 * (p0[i] + p1[i]) * (c0[i] - c1[i]) for i in both)
    new = [item.alternatives[i].id for i in range(len(c0)) if i not in both]
    note = (
        f"the rule of a half leaves out the new alternative(s) {', '.join(new)} "
        "(no cost before the project): it understates the gain"
        if new
        else "logsum and rule of a half agree to second order for small cost changes"
    )
    diff = None if ls == 0.0 else (roh - ls) / abs(ls)
    return SurplusCheck(item.id, ls, roh, diff, note)


def _flow(
    item: Any, project: Project, per_year: dict[int, float] | None = None
) -> dict[int, float]:
    """Yearly values of a cost or benefit item [CNY/year]."""
    if item.by_year_cny is not None:
        return {y: float(v) for y, v in item.by_year_cny.value}
    first = project.first_year if item.from_year is None else item.from_year
    last = project.years[-1] if item.to_year is None else item.to_year
    growth = item.growth_share_per_year.value if item.growth_share_per_year else 0.0
    out: dict[int, float] = {}
    for y in range(first, last + 1):
        base = item.cny_per_year.value if per_year is None else per_year[y]
        out[y] = base * (1.0 + growth) ** (y - first)
    return out


def _benefit_flow(
    item: BenefitItem, project: Project, carbon_scale: float
) -> tuple[dict[int, float], SurplusCheck | None]:
    if item.kind == "direct":
        return _flow(item, project), None
    years = project.years
    check = None
    if item.kind == "shipper_surplus":
        check = _surplus_per_teu(item)
        assert item.volume_teu_per_year is not None
        per_year = {y: check.logsum_cny_per_teu * item.volume_teu_per_year.value for y in years}
    elif item.kind == "compare":
        assert item.compare is not None and item.volume_teu_per_year is not None
        assert item.value_of_time_cny_per_teu_h is not None and project.carbon_price is not None
        d = item.compare
        vot = item.value_of_time_cny_per_teu_h.value
        volume = item.volume_teu_per_year.value
        per_year = {
            y: -volume
            * (
                d.cost_cny_per_teu
                + vot * d.door_to_door_mean_h
                + carbon_scale
                * _carbon_price(project.carbon_price, y)
                * d.emissions_kgco2e_wtw_per_teu
                / KG_PER_T
            )
            for y in years
        }
    elif item.kind == "co2e":
        assert item.co2e_avoided_t_per_year is not None and project.carbon_price is not None
        t = item.co2e_avoided_t_per_year.value
        per_year = {y: t * carbon_scale * _carbon_price(project.carbon_price, y) for y in years}
    else:
        assert item.quantity_per_year is not None and item.factor_cny_per_unit is not None
        value = item.quantity_per_year.value * item.factor_cny_per_unit.value
        per_year = {y: value for y in years}
    return _flow(item, project, per_year), check


def _core(
    project: Project,
    carbon_scale: float = 1.0,
    demand_scale: float = 1.0,
) -> tuple[
    list[int],
    list[float],
    list[float],
    dict[str, dict[int, float]],
    dict[str, dict[int, float]],
    list[SurplusCheck],
]:
    years = project.years
    benefits: dict[str, dict[int, float]] = {}
    checks: list[SurplusCheck] = []
    for item in project.benefits:
        flow, check = _benefit_flow(item, project, carbon_scale)
        benefits[item.id] = {y: v * demand_scale for y, v in flow.items()}
        if check is not None:
            checks.append(check)
    if project.residual_value_cny is not None:
        benefits["residual_value"] = {years[-1]: project.residual_value_cny.value}
    costs: dict[str, dict[int, float]] = {
        "capex": {p.year: p.cost_cny.value for p in project.capex.phasing}
    }
    for item_cost in project.costs:
        costs[item_cost.id] = _flow(item_cost, project)
    b = [math.fsum(f.get(y, 0.0) for f in benefits.values()) for y in years]
    c = [math.fsum(f.get(y, 0.0) for f in costs.values()) for y in years]
    return years, b, c, benefits, costs, checks


def _measures(
    project: Project, rate: float, carbon_scale: float = 1.0, demand_scale: float = 1.0
) -> tuple[float, float | None, IrrResult]:
    years, b, c, _, _, _ = _core(project, carbon_scale, demand_scale)
    offsets = [y - project.base_year for y in years]
    net = [bi - ci for bi, ci in zip(b, c, strict=True)]
    return (
        net_present_value(net, offsets, rate),
        benefit_cost_ratio(b, c, offsets, rate),
        internal_rates_of_return(net, offsets),
    )


def _pv(flow: dict[int, float], project: Project, rate: float) -> float:
    years = sorted(flow)
    return net_present_value([flow[y] for y in years], [y - project.base_year for y in years], rate)


def appraise_project(
    project: Project, *, sensitivity: bool = True, inputs: tuple[str, ...] = ()
) -> Appraisal:
    """Appraise a project: yearly table, NPV, BCR, IRR, discounted payback, sensitivity.

    Parameters
    ----------
    project
        A loaded, checked project (:func:`~freighthub.appraisal.project.load_project`).
    sensitivity
        Also compute the sensitivity table (discount rate, carbon price, demand).
    inputs
        Paths of the files read, recorded in the result.

    Returns
    -------
    Appraisal
        The result; its ``assumptions`` list every parameter with source and confidence.
    """
    rate = project.discount_rate.value
    years, b, c, benefits, costs, checks = _core(project)
    offsets = [y - project.base_year for y in years]
    factors = discount_factors(rate, offsets)
    net = [bi - ci for bi, ci in zip(b, c, strict=True)]
    capex = costs["capex"]
    rows: list[YearRow] = []
    cumulative = 0.0
    for y, bi, ci, ni, f in zip(years, b, c, net, factors, strict=True):
        cumulative += ni * f
        rows.append(
            YearRow(
                year=y,
                capex_cny=capex.get(y, 0.0),
                operating_costs_cny=ci - capex.get(y, 0.0),
                benefits_cny=bi,
                costs_cny=ci,
                net_cny=ni,
                discount_factor=f,
                discounted_net_cny=ni * f,
                cumulative_discounted_net_cny=cumulative,
            )
        )
    irr = internal_rates_of_return(net, offsets)
    payback = discounted_payback_index(net, offsets, rate)
    steps = dict(DEFAULT_SENSITIVITY)
    given: set[str] = set()
    if project.sensitivity is not None:
        for name in steps:
            value = getattr(project.sensitivity, name)
            if value is not None:
                steps[name] = float(value.value)
                given.add(name)
    table: list[SensitivityRow] = []
    if sensitivity:
        table = _sensitivity(project, steps)
    return Appraisal(
        project_id=project.id,
        project_name=project.name,
        discount_rate=rate,
        discount_base_year=project.base_year,
        price_base_year=project.price_base_year.value,
        npv_cny=net_present_value(net, offsets, rate),
        pv_benefits_cny=math.fsum(bi * f for bi, f in zip(b, factors, strict=True)),
        pv_costs_cny=math.fsum(ci * f for ci, f in zip(c, factors, strict=True)),
        bcr=benefit_cost_ratio(b, c, offsets, rate),
        irr=irr.unique,
        irr_rates=irr.rates,
        irr_note=irr.reason,
        irr_note_kind=irr.kind,
        payback_year=None if payback is None else years[payback],
        years=tuple(rows),
        pv_benefits_by_item_cny={k: _pv(v, project, rate) for k, v in benefits.items()},
        pv_costs_by_item_cny={k: _pv(v, project, rate) for k, v in costs.items()},
        assumptions=tuple(_assumptions(project, steps, given)),
        surplus_checks=tuple(checks),
        sensitivity=tuple(table),
        inputs=inputs,
    )


def _sensitivity(project: Project, steps: dict[str, float]) -> list[SensitivityRow]:
    rate = project.discount_rate.value
    cases: list[tuple[str, str, float, float, float, float]] = [("base", "-", 0.0, rate, 1.0, 1.0)]
    dr = steps["discount_rate_step"]
    for sign in (-1.0, 1.0):
        r = rate + sign * dr
        if r > -1.0:
            cases.append((f"discount rate {sign * dr:+.1%}", "discount_rate", r, r, 1.0, 1.0))
    if any(b.kind in ("co2e", "compare") for b in project.benefits):
        cp = steps["carbon_price_step_share"]
        for sign in (-1.0, 1.0):
            scale = max(0.0, 1.0 + sign * cp)
            cases.append(
                (f"carbon price {sign * cp:+.0%}", "carbon_price_scale", scale, rate, scale, 1.0)
            )
    dm = steps["demand_step_share"]
    for sign in (-1.0, 1.0):
        scale = max(0.0, 1.0 + sign * dm)
        cases.append((f"demand {sign * dm:+.0%}", "demand_scale", scale, rate, 1.0, scale))
    out = []
    for case, parameter, value, r, carbon, demand in cases:
        npv, bcr, irr = _measures(project, r, carbon, demand)
        out.append(SensitivityRow(case, parameter, value, npv, bcr, irr.unique))
    return out


def appraise_file(path: str | Path, *, sensitivity: bool = True) -> Appraisal:
    """Load a project file and appraise it (see :func:`appraise_project`).

    Raises
    ------
    DataFileError
        For a bad project file (one line naming file, field, value and rule).
    """
    project = load_project(path)
    return appraise_project(project, sensitivity=sensitivity, inputs=(str(path),))
