"""The schema of a scenario's terminal model (issue #19): shift patterns, arrival profiles, pools.

Split from :mod:`freighthub.model.scenario_schema` (which adds these to hub resources,
services, demand and the scenario): ``[[shift_patterns]]`` (weekly periods of units on
duty), ``[[arrival_profiles]]`` (trucks by hour of day and day of week) and
``[[hub_resources.pools]]`` (equipment pools by task). The rules the engines apply are
in ``docs/terminal-operations.md``; the compiled form is :mod:`freighthub.sim.terminal`.

:func:`check_terminal` is the cross-check of the loaded scenario (pattern and profile
ids, pools with units that a transfer needs, pools that are never on duty).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    Id,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
)
from freighthub.model.sourced import Sourced
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import Confidence, Mode, mode_facts

if TYPE_CHECKING:
    from freighthub.model.scenario_schema import Scenario

__all__ = [
    "POOL_DISTRIBUTIONS",
    "WEEK_TOLERANCE_H",
    "ArrivalProfile",
    "ShiftPattern",
    "ShiftPeriod",
    "TerminalPool",
    "check_terminal",
    "loading_window_rule",
    "on_duty_units",
    "pools_rule",
]

#: Service-time distributions of a terminal pool (``docs/terminal-operations.md``).
POOL_DISTRIBUTIONS = ("exponential", "deterministic", "erlang", "lognormal", "empirical")
#: How far consecutive shift periods may be apart and still tile the week [h]
#: (a rounding guard for hours written with decimals, not a fact).
WEEK_TOLERANCE_H = 1e-9


def on_duty_units(share: float, units: int) -> int:
    """Units of a pool of ``units`` on duty in a period with ``share`` on duty:
    ``floor(share * units + 0.5)`` (``freighthub.sim.terminal.ShiftPatterns``)."""
    return math.floor(share * units + 0.5)


class ShiftPeriod(Frozen):
    """One period of a weekly shift pattern: hours of the week and the share on duty."""

    start_h: Annotated[float, Field(ge=0, le=HOURS_PER_WEEK, allow_inf_nan=False)]
    end_h: Annotated[float, Field(gt=0, le=HOURS_PER_WEEK, allow_inf_nan=False)]
    on_duty_share: Share

    @model_validator(mode="after")
    def _ordered(self) -> ShiftPeriod:
        if self.end_h <= self.start_h:
            raise FieldRule("end_h", f"must be after start_h = {self.start_h:g}", self.end_h)
        return self


class ShiftPattern(Frozen):
    """A weekly pattern of units on duty (shifts, opening hours, planned maintenance).

    Its periods tile the week ``[0, 168)`` h in order, without gap or overlap; hours of
    the week count from ``t = 0`` of the scenario.
    """

    id: Id
    source: Text | None = None
    confidence: Confidence | None = None
    periods: Annotated[tuple[ShiftPeriod, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _tiles_the_week(self) -> ShiftPattern:
        at = 0.0
        for j, period in enumerate(self.periods):
            if abs(period.start_h - at) > WEEK_TOLERANCE_H:
                rule = "overlaps" if period.start_h < at else "leaves a gap after"
                raise FieldRule(
                    f"periods[{j}].start_h",
                    f"{rule} the previous period (which ends at {at:g} h): the periods must"
                    f" tile the week [0, {HOURS_PER_WEEK:g}) h in order",
                    period.start_h,
                )
            at = period.end_h
        if abs(at - HOURS_PER_WEEK) > WEEK_TOLERANCE_H:
            last = len(self.periods) - 1
            raise FieldRule(
                f"periods[{last}].end_h",
                f"the last period must end at {HOURS_PER_WEEK:g} h: the periods must tile the week",
                at,
            )
        if all(p.on_duty_share == 0 for p in self.periods):
            raise FieldRule(
                "periods", "no period has units on duty: a pool with it would never work", 0.0
            )
        return self

    def start_h(self) -> tuple[float, ...]:
        """Start of each period [h of the week]."""
        return tuple(p.start_h for p in self.periods)


def _weights_rule(field: str, weights: tuple[float, ...]) -> None:
    for j, w in enumerate(weights):
        if w < 0:
            raise FieldRule(f"{field}[{j}]", "a weight must be >= 0", w)
    if not any(w > 0 for w in weights):
        raise FieldRule(field, "the weights are all 0: give at least one positive weight", 0.0)


class ArrivalProfile(Frozen):
    """Relative arrival intensity by hour of day and day of week (day 0 starts at t = 0).

    The intensity at ``t`` is proportional to ``hour_of_day_weights[floor(t) mod 24] *
    day_of_week_weights[floor(t / 24) mod 7]``, normalised to mean 1 over the week.
    """

    id: Id
    hour_of_day_weights: Annotated[tuple[float, ...], Field(min_length=24, max_length=24)]
    day_of_week_weights: Annotated[tuple[float, ...], Field(min_length=7, max_length=7)]
    source: Text | None = None
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _positive(self) -> ArrivalProfile:
        for name in ("hour_of_day_weights", "day_of_week_weights"):
            values = getattr(self, name)
            if not all(math.isfinite(w) for w in values):
                raise FieldRule(name, "weights must be finite numbers", values)
            _weights_rule(name, values)
        return self

    def weekly_weights(self) -> tuple[float, ...]:
        """The 168 hourly weights of the week, normalised to mean 1 [-]."""
        raw = [d * h for d in self.day_of_week_weights for h in self.hour_of_day_weights]
        mean = math.fsum(raw) / len(raw)
        return tuple(w / mean for w in raw)


class TerminalPool(Frozen):
    """An equipment pool of one task at a hub (``[[hub_resources.pools]]``)."""

    task: Literal["quay", "rail", "yard", "gate"]
    units: Sourced[NonNegativeInt]
    moves_per_h: Sourced[PositiveFloat] | None = None
    service_distribution: Literal[
        "exponential", "deterministic", "erlang", "lognormal", "empirical"
    ] = "exponential"
    service_cv: Sourced[float] | None = None
    service_shape: PositiveInt | None = None
    service_samples_h: Sourced[tuple[float, ...]] | None = None
    priority: Literal["fifo", "service_first", "truck_first"] = "fifo"
    shift_pattern: Id | None = None
    mtbf_h: Sourced[PositiveFloat] | None = None
    mttr_h: Sourced[PositiveFloat] | None = None

    @model_validator(mode="after")
    def _distribution(self) -> TerminalPool:
        dist = self.service_distribution
        if dist == "empirical":
            if self.moves_per_h is not None:
                raise FieldRule(
                    "moves_per_h",
                    "is not used with service_distribution = 'empirical' (the mean is the"
                    " samples' mean)",
                    self.moves_per_h,
                )
            if self.service_samples_h is None:
                raise FieldRule(
                    "service_samples_h", "required with service_distribution = 'empirical'"
                )
            samples = self.service_samples_h.value
            if not samples:
                raise FieldRule("service_samples_h", "must hold at least one sample", "[]")
            for j, x in enumerate(samples):
                if not math.isfinite(x) or x < 0:
                    raise FieldRule(
                        f"service_samples_h[{j}]", "a service time must be finite and >= 0", x
                    )
            if not any(x > 0 for x in samples):
                raise FieldRule("service_samples_h", "the samples' mean must be > 0", 0.0)
        else:
            if self.moves_per_h is None:
                raise FieldRule("moves_per_h", f"required with service_distribution = {dist!r}")
            if self.service_samples_h is not None:
                raise FieldRule(
                    "service_samples_h",
                    "is used only with service_distribution = 'empirical'",
                    "[...]",
                )
        if dist == "lognormal":
            if self.service_cv is None:
                raise FieldRule("service_cv", "required with service_distribution = 'lognormal'")
            cv = self.service_cv.value
            if not math.isfinite(cv) or cv <= 0:
                raise FieldRule(
                    "service_cv", "must be > 0 (coefficient of variation of a lognormal)", cv
                )
        elif self.service_cv is not None:
            raise FieldRule(
                "service_cv", "is used only with service_distribution = 'lognormal'",
                self.service_cv,
            )  # fmt: skip
        if self.service_shape is not None and dist != "erlang":
            raise FieldRule(
                "service_shape",
                "is used only with service_distribution = 'erlang'",
                self.service_shape,
            )
        if (self.mtbf_h is None) != (self.mttr_h is None):
            given, missing = ("mtbf_h", "mttr_h") if self.mttr_h is None else ("mttr_h", "mtbf_h")
            raise FieldRule(
                given, f"breakdowns need both mtbf_h and mttr_h: {missing} is missing",
                getattr(self, given),
            )  # fmt: skip
        return self

    @property
    def shape(self) -> int:
        """Erlang shape k (1 for the other distributions)."""
        return self.service_shape if self.service_shape is not None else 1

    def mean_service_h(self) -> float:
        """Mean time of one move on one unit [h]: ``1 / moves_per_h``, or the samples' mean."""
        if self.service_samples_h is not None:
            samples = self.service_samples_h.value
            return math.fsum(samples) / len(samples)
        assert self.moves_per_h is not None
        return 1.0 / self.moves_per_h.value


def pools_rule(pools: tuple[TerminalPool, ...], gate_time_given: bool) -> None:
    """The rules across a hub's pools (called by ``HubResources``'s validator)."""
    seen: set[str] = set()
    for j, pool in enumerate(pools):
        if pool.task in seen:
            raise FieldRule(
                f"pools[{j}].task", "at most one pool per task at a hub: this task is given twice",
                pool.task,
            )  # fmt: skip
        seen.add(pool.task)
        if pool.task == "gate" and gate_time_given:
            raise FieldRule(
                f"pools[{j}].task",
                "a gate pool replaces the hub's gate: do not give gate_time_h as well",
                pool.task,
            )


def loading_window_rule(
    window: Sourced[NonNegativeFloat] | None, cutoff: Sourced[NonNegativeFloat]
) -> None:
    """A service's loading window must fit in its cut-off (``Service``'s validator)."""
    if window is not None and window.value > cutoff.value:
        raise FieldRule(
            "loading_window_h",
            f"must be <= cutoff_h = {cutoff.value:g} (boxes are chosen at the cut-off)",
            window,
        )


def _road_ends(s: Scenario) -> set[str]:
    """Hubs where boxes enter by road (or from their origin) before a service leg, or
    leave by road after one."""
    services = {v.id: v for v in s.services}
    ends: set[str] = set()
    for d in s.demand:
        for route in d.routes:
            legs = route.legs
            for k, leg in enumerate(legs):
                if leg.service is None or leg.service not in services:
                    continue
                svc = services[leg.service]
                if k == 0 or legs[k - 1].road is not None:
                    ends.add(svc.from_)
                if k + 1 < len(legs) and legs[k + 1].road is not None:
                    ends.add(svc.to)
    return ends


def _needed_by(s: Scenario, hub: str, task: str, road_ends: set[str]) -> str | None:
    """Why a transfer at ``hub`` needs the pool of ``task``, or None."""
    at_hub = [v for v in s.services if hub in (v.from_, v.to)]
    if task == "quay":
        hit = next((v for v in at_hub if mode_facts(v.mode).waterborne), None)
        return None if hit is None else f"waterborne service {hit.id!r} calls at this hub"
    if task == "rail":
        hit = next((v for v in at_hub if v.mode == Mode.RAIL), None)
        return None if hit is None else f"rail service {hit.id!r} calls at this hub"
    return "boxes enter or leave this hub by road" if hub in road_ends else None


def check_terminal(p: Path, s: Scenario) -> None:
    """Cross-check the terminal model of a validated scenario.

    Raises
    ------
    DataFileError
        For a duplicate pattern or profile id, an unknown ``shift_pattern`` or
        ``arrival_profile``, a pool with 0 units (naming the transfer that needs it),
        or a pool that its shift pattern never puts on duty.
    """
    _unique(p, ((f"shift_patterns[{i}].id", x.id) for i, x in enumerate(s.shift_patterns)))
    _unique(p, ((f"arrival_profiles[{i}].id", x.id) for i, x in enumerate(s.arrival_profiles)))
    by_id = {x.id: x for x in s.shift_patterns}
    profiles = {x.id for x in s.arrival_profiles}
    for i, d in enumerate(s.demand):
        if d.arrival_profile is not None and d.arrival_profile not in profiles:
            raise _unknown(p, f"demand[{i}].arrival_profile", d.arrival_profile, "arrival profile",
                           profiles)  # fmt: skip
    road_ends = _road_ends(s) if any(r.pools for r in s.hub_resources) else set()
    for i, r in enumerate(s.hub_resources):
        for j, pool in enumerate(r.pools):
            field = f"hub_resources[{i}].pools[{j}]"
            units = pool.units.value
            if units == 0:
                why = _needed_by(s, r.hub, pool.task, road_ends)
                rule = (
                    f"a {pool.task} pool needs at least 1 unit: {why}"
                    if why is not None
                    else "must be >= 1 (a pool with no units serves nothing: remove the pool)"
                )
                raise DataFileError(p, rule, f"{field}.units", units)
            if pool.shift_pattern is None:
                continue
            pattern = by_id.get(pool.shift_pattern)
            if pattern is None:
                raise _unknown(p, f"{field}.shift_pattern", pool.shift_pattern, "shift pattern",
                               by_id)  # fmt: skip
            if all(on_duty_units(x.on_duty_share, units) == 0 for x in pattern.periods):
                raise DataFileError(
                    p,
                    f"shift pattern {pattern.id!r} never puts a unit of this {units}-unit pool on"
                    " duty (floor(share x units + 0.5) = 0 in every period)",
                    f"{field}.shift_pattern",
                    pool.shift_pattern,
                )


def _unknown(p: Path, field: str, value: str, kind: str, valid: Iterable[str]) -> DataFileError:
    shown = ", ".join(sorted(valid)) or "(none)"
    return DataFileError(p, f"unknown {kind}; valid: {shown}", field, value)


def _unique(p: Path, items: Iterable[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for field, value in items:
        if value in seen:
            raise DataFileError(p, "duplicate id", field, value)
        seen.add(value)
