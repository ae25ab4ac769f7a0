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
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    Id,
    PositiveFloat,
    PositiveInt,
    Share,
    size_cap,
)
from freighthub.model.files import unknown_value
from freighthub.model.sourced import Sourced

__all__ = [
    "MAX_BACKGROUND_JOBS_PER_YEAR",
    "MAX_BACKGROUND_TEU_PER_YEAR",
    "MAX_BACKGROUND_TRUCK_JOBS_PER_YEAR",
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
#: Most truck jobs (groups of ``trucks_per_job`` trucks) of one background flow in a
#: year [1/year]; each is one gate job and one yard job where the hub has those pools.
MAX_BACKGROUND_TRUCK_JOBS_PER_YEAR = 5_000_000.0
#: Pool tasks a background truck uses (``[[hub_resources.pools]]`` ``task``).
TRUCK_TASKS = ("gate", "yard")
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


#: Yearly background volume [TEU/year]: finite, >= 0 (0 switches a flow off).
BackgroundTeuPerYear = Annotated[
    float,
    Field(ge=0, allow_inf_nan=False),
    size_cap(MAX_BACKGROUND_TEU_PER_YEAR, "a background size cap (a guard against absurd input)"),
]
#: Twelve positive monthly factors [-] with arithmetic mean 1.
MonthlyFactors = Annotated[
    tuple[PositiveFloat, ...], Field(min_length=12, max_length=12), AfterValidator(_mean_one)
]


def _jobs_cap(
    field: str, jobs_per_year: float, value: object, cap: float = MAX_BACKGROUND_JOBS_PER_YEAR
) -> None:
    if jobs_per_year > cap:
        raise FieldRule(
            field,
            f"gives {jobs_per_year:.0f} jobs a year: must give <= "
            f"{cap:.0f} (a simulation size cap; make the batch larger)",
            value,
        )


class BackgroundHubFlow(Frozen):
    """Boxes handled at a hub that the scenario does not trace (sea-sea transshipment,
    local hinterland traffic, other corridors).

    ``teu_per_year`` counts like port throughput statistics (every box lifted on or off
    a vessel, train or truck at the hub once). Calls of ``moves_per_call`` boxes arrive
    as a Poisson process (modulated by ``seasonality``); each call is one job of the
    hub's handling pool, or ``cranes_per_call`` jobs of an equal share of its moves
    that arrive together (a vessel worked by several quay cranes; default 1).

    ``road_share`` of its boxes enter or leave the hub by truck: each is one truck
    visit, one gate transaction and one yard move in the hub's ``gate`` and ``yard``
    pools (the terminal model; the hub must have one of them). Trucks arrive as a
    Poisson process (modulated by ``seasonality``) in groups of ``trucks_per_job``
    (default 1, every truck its own job): a group is one job of each pool for the sum
    of its trucks' work (``docs/terminal-operations.md``, *Background trucks*).
    """

    id: Id
    hub: Id
    teu_per_year: Sourced[BackgroundTeuPerYear]
    box_40ft_share: Sourced[Share]
    moves_per_call: Sourced[PositiveInt]
    cranes_per_call: Sourced[PositiveInt] | None = None
    seasonality: Sourced[MonthlyFactors] | None = None
    road_share: Sourced[Share] | None = None
    trucks_per_job: Sourced[PositiveInt] | None = None

    @property
    def moves_per_year(self) -> float:
        """Expected handling moves a year [boxes/year]."""
        return self.teu_per_year.value / (1.0 + self.box_40ft_share.value)

    @model_validator(mode="after")
    def _few_enough_calls(self) -> BackgroundHubFlow:
        cranes = self.cranes_per_call.value if self.cranes_per_call is not None else 1
        if cranes > self.moves_per_call.value:
            raise FieldRule(
                "cranes_per_call",
                f"must be <= moves_per_call = {self.moves_per_call.value}",
                self.cranes_per_call,
            )
        calls = self.moves_per_year / self.moves_per_call.value
        _jobs_cap("moves_per_call", calls * cranes, self.moves_per_call)
        if self.trucks_per_job is not None and self.road_share is None:
            raise FieldRule(
                "trucks_per_job", "needs road_share (the trucks it groups)", self.trucks_per_job
            )
        if self.road_share is not None:
            per_job = self.trucks_per_job.value if self.trucks_per_job is not None else 1
            trucks = self.road_share.value * self.moves_per_year
            field, value = (
                ("trucks_per_job", self.trucks_per_job)
                if self.trucks_per_job is not None
                else ("road_share", self.road_share)
            )
            _jobs_cap(field, trucks / per_job, value, MAX_BACKGROUND_TRUCK_JOBS_PER_YEAR)
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


def _check_flow(
    p: Path,
    field: str,
    flow: BackgroundHubFlow | BackgroundServiceFlow,
    seen: set[str],
    at: str,
    kind: str,
    known: Collection[str],
) -> None:
    """The rules every background flow keeps: its id is unique among all flows (``seen``,
    to which it is added) and the hub or service it names (field ``at``) is ``known``."""
    if flow.id in seen:
        raise DataFileError(p, "duplicate background flow id", f"{field}.id", flow.id)
    seen.add(flow.id)
    target = getattr(flow, at)
    if target not in known:
        raise unknown_value(p, f"{field}.{at}", target, kind, known)


def check_background(
    p: Path,
    hub_flows: Iterable[BackgroundHubFlow],
    service_flows: Iterable[BackgroundServiceFlow],
    hub_ids: Iterable[str],
    service_ids: Mapping[str, object],
    hub_resources: Iterable[Any] = (),
) -> None:
    """Cross-check the background flows of a scenario.

    ``hub_resources`` are the scenario's ``[[hub_resources]]`` (their ``hub`` and the
    ``task`` of their ``pools``).

    Raises
    ------
    DataFileError
        For an unknown hub or service, an id used twice among all background flows,
        a second flow on the same service, or a ``road_share`` above 0 at a hub
        without a ``gate`` or ``yard`` pool (its trucks would load nothing).
    """
    truck_hubs = {r.hub for r in hub_resources if any(q.task in TRUCK_TASKS for q in r.pools)}
    hubs = set(hub_ids)
    seen: set[str] = set()
    on_service: set[str] = set()
    for i, f in enumerate(hub_flows):
        field = f"background_hub_flows[{i}]"
        _check_flow(p, field, f, seen, "hub", "hub of this scenario", hubs)
        if f.road_share is not None and f.road_share.value > 0 and f.hub not in truck_hubs:
            raise DataFileError(
                p,
                f"hub {f.hub!r} has no gate or yard pool ([[hub_resources.pools]] task"
                " 'gate' or 'yard') for the flow's trucks; give it one, or drop road_share",
                f"{field}.road_share",
                f.road_share.value,
            )
    for i, g in enumerate(service_flows):
        field = f"background_service_flows[{i}]"
        _check_flow(p, field, g, seen, "service", "service", service_ids)
        if g.service in on_service:
            raise DataFileError(
                p,
                "a service takes one background flow (add the volumes into one)",
                f"{field}.service",
                g.service,
            )
        on_service.add(g.service)
