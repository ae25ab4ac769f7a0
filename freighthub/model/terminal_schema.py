"""The schema of a scenario's terminal model (issue #19): shift patterns, arrival profiles, pools.

Split from :mod:`freighthub.model.scenario_schema` (which adds these to hub resources,
services, demand and the scenario): ``[[shift_patterns]]`` (weekly periods of units on
duty), ``[[arrival_profiles]]`` (trucks by hour of day and day of week) and
``[[hub_resources.pools]]`` (equipment pools by task). The rules the engines apply are
in ``docs/terminal-operations.md``; the compiled form is :mod:`freighthub.sim.terminal`.

The cross-checks against the rest of the scenario (pattern and profile ids, pools with
units that a transfer needs, pools that are never on duty) are
:func:`freighthub.model.terminal_checks.check_terminal`.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

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
from freighthub.vocabulary import Confidence

__all__ = [
    "POOL_DISTRIBUTIONS",
    "WEEK_TOLERANCE_H",
    "ArrivalProfile",
    "ShiftPattern",
    "ShiftPeriod",
    "TerminalPool",
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
    """An equipment pool of one task at a hub (``[[hub_resources.pools]]``).

    A gate pool without ``units`` has the hub file's ``road.gate_lanes`` lanes.
    """

    task: Literal["quay", "rail", "yard", "gate"]
    units: Sourced[NonNegativeInt] | None = None
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
        if self.units is None and self.task != "gate":
            raise FieldRule(
                "units", "required (only a gate pool may take its units from the hub file's"
                " road.gate_lanes)",
            )  # fmt: skip
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
