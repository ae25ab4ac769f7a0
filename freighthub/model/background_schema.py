"""The schema of a scenario's background traffic: flows that are not traced door to door.

Split from :mod:`freighthub.model.scenario_schema` (which adds them to the scenario):
``[[background_hub_flows]]`` load a hub's handling pool (the hub's published throughput
beyond the corridor's own boxes) and ``[[background_service_flows]]`` take space on a
timetabled service's departures. Both are simulated as batch jobs (a vessel or train
call, a consignment lot), never as boxes, so tens of millions of TEU a year cost about
1e5 jobs; :mod:`freighthub.sim.background` holds their simulation and
``docs/data-formats.md`` their semantics.

:func:`check_background` is the cross-check of the loaded scenario (hub and service
ids, unique ids, one flow per service).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import FieldRule, Frozen, Id, PositiveFloat, PositiveInt, Share
from freighthub.model.sourced import Sourced

__all__ = [
    "MAX_BACKGROUND_JOBS_PER_YEAR",
    "MAX_BACKGROUND_TEU_PER_YEAR",
    "SEASONALITY_MEAN_TOLERANCE",
    "BackgroundHubFlow",
    "BackgroundServiceFlow",
    "MonthlyFactors",
    "check_background",
]

# Caps (software limits, not facts about freight): background is simulated as batch
# jobs, so its cap is on the number of jobs, with a TEU cap only against absurd input.
#: Largest yearly volume of one background flow [TEU/year] (about twice the busiest
#: port's throughput; a guard against typing errors, not a fact).
MAX_BACKGROUND_TEU_PER_YEAR = 100_000_000.0
#: Most batch jobs (calls or lots) of one background flow in a year [1/year].
MAX_BACKGROUND_JOBS_PER_YEAR = 1_000_000.0
#: How far the arithmetic mean of 12 monthly factors may be from 1 [-].
SEASONALITY_MEAN_TOLERANCE = 0.01


def _mean_one(factors: tuple[float, ...]) -> tuple[float, ...]:
    mean = math.fsum(factors) / len(factors)
    if abs(mean - 1.0) > SEASONALITY_MEAN_TOLERANCE:
        raise ValueError(
            f"the 12 monthly factors must have mean 1 (within {SEASONALITY_MEAN_TOLERANCE:g}),"
            f" got {mean:.6g}"
        )
    return factors


def _volume_cap(value: float) -> float:
    if value > MAX_BACKGROUND_TEU_PER_YEAR:
        raise ValueError(
            f"must be <= {MAX_BACKGROUND_TEU_PER_YEAR:.0f}: a background size cap (a guard"
            " against absurd input)"
        )
    return value


#: Yearly background volume [TEU/year]: finite, >= 0 (0 switches a flow off).
BackgroundTeuPerYear = Annotated[
    float, Field(ge=0, allow_inf_nan=False), AfterValidator(_volume_cap)
]
#: Twelve positive monthly factors [-] with arithmetic mean 1.
MonthlyFactors = Annotated[
    tuple[PositiveFloat, ...], Field(min_length=12, max_length=12), AfterValidator(_mean_one)
]


def _jobs_cap(field: str, jobs_per_year: float, value: object) -> None:
    if jobs_per_year > MAX_BACKGROUND_JOBS_PER_YEAR:
        raise FieldRule(
            field,
            f"gives {jobs_per_year:.0f} jobs a year: must give <= "
            f"{MAX_BACKGROUND_JOBS_PER_YEAR:.0f} (a simulation size cap; make the batch larger)",
            value,
        )


class BackgroundHubFlow(Frozen):
    """Boxes handled at a hub that the scenario does not trace (sea-sea transshipment,
    local hinterland traffic, other corridors).

    ``teu_per_year`` counts like port throughput statistics (every box lifted on or off
    a vessel, train or truck at the hub once). Calls of ``moves_per_call`` boxes arrive
    as a Poisson process (modulated by ``seasonality``); each call is one job of the
    hub's handling pool.
    """

    id: Id
    hub: Id
    teu_per_year: Sourced[BackgroundTeuPerYear]
    box_40ft_share: Sourced[Share]
    moves_per_call: Sourced[PositiveInt]
    seasonality: Sourced[MonthlyFactors] | None = None

    @property
    def moves_per_year(self) -> float:
        """Expected handling moves a year [boxes/year]."""
        return self.teu_per_year.value / (1.0 + self.box_40ft_share.value)

    @model_validator(mode="after")
    def _few_enough_calls(self) -> BackgroundHubFlow:
        calls = self.moves_per_year / self.moves_per_call.value
        _jobs_cap("moves_per_call", calls, self.moves_per_call)
        return self


class BackgroundServiceFlow(Frozen):
    """TEU on a timetabled service that the scenario does not trace.

    Lots of ``lot_teu`` arrive at the service's origin hub as a Poisson process
    (modulated by ``seasonality``), are loaded in one handling job, compete for the
    departures FIFO with the traced boxes and are unloaded at the destination.
    """

    id: Id
    service: Id
    teu_per_year: Sourced[BackgroundTeuPerYear]
    box_40ft_share: Sourced[Share]
    lot_teu: Sourced[PositiveInt]
    seasonality: Sourced[MonthlyFactors] | None = None

    @model_validator(mode="after")
    def _few_enough_lots(self) -> BackgroundServiceFlow:
        _jobs_cap("lot_teu", self.teu_per_year.value / self.lot_teu.value, self.lot_teu)
        return self


def check_background(
    p: Path,
    hub_flows: Iterable[BackgroundHubFlow],
    service_flows: Iterable[BackgroundServiceFlow],
    hub_ids: Iterable[str],
    service_ids: Mapping[str, object],
) -> None:
    """Cross-check the background flows of a scenario.

    Raises
    ------
    DataFileError
        For an unknown hub or service, an id used twice among all background flows,
        or a second flow on the same service.
    """
    hubs = set(hub_ids)
    seen: set[str] = set()
    on_service: set[str] = set()
    for i, f in enumerate(hub_flows):
        field = f"background_hub_flows[{i}]"
        if f.id in seen:
            raise DataFileError(p, "duplicate background flow id", f"{field}.id", f.id)
        seen.add(f.id)
        if f.hub not in hubs:
            valid = ", ".join(sorted(hubs))
            raise DataFileError(
                p, f"unknown hub of this scenario; valid: {valid}", f"{field}.hub", f.hub
            )
    for i, g in enumerate(service_flows):
        field = f"background_service_flows[{i}]"
        if g.id in seen:
            raise DataFileError(p, "duplicate background flow id", f"{field}.id", g.id)
        seen.add(g.id)
        if g.service not in service_ids:
            valid = ", ".join(sorted(service_ids)) or "(none)"
            raise DataFileError(
                p, f"unknown service; valid: {valid}", f"{field}.service", g.service
            )
        if g.service in on_service:
            raise DataFileError(
                p,
                "a service takes one background flow (add the volumes into one)",
                f"{field}.service",
                g.service,
            )
        on_service.add(g.service)
