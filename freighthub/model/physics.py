"""Waterway and border physics files: ``standards/physics/*.toml`` (``kind = "physics"``).

A physics file holds Yangtze vessel classes (capacity and draughts), the monthly
controlling depth of waterway sections, the locks (lanes, vessels per lockage, lockage
cycle) and gauge-change border crossings (transfer tracks, trains per day per track).
Every entry carries its ``source`` and ``confidence``. The formulas that use them live
in :mod:`freighthub.sim.waterway`; the format is documented in ``docs/data-formats.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from freighthub.model.fields import (
    Frozen,
    HubId,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    SourceBlock,
    SourcedEntry,
    Text,
)
from freighthub.model.files import id_is_file_name, read_toml, unique_ids, validate
from freighthub.model.paths import data_dir
from freighthub.units import HOURS_PER_DAY, MONTH_DAYS

__all__ = [
    "MONTHS_PER_YEAR",
    "BorderCrossing",
    "BorderQueue",
    "Lock",
    "LockClosure",
    "PhysicsFile",
    "VesselClass",
    "WaterwaySection",
    "default_physics_path",
    "load_physics",
]

MONTHS_PER_YEAR = 12  # calendar months of a monthly profile, January first


class _Entry(SourcedEntry):
    id: HubId


class VesselClass(_Entry):
    """A container vessel class: capacity [TEU], design (loaded) and light draught [m]."""

    capacity_teu: PositiveFloat
    design_draught_m: PositiveFloat
    light_draught_m: NonNegativeFloat

    @model_validator(mode="after")
    def _light_below_design(self) -> VesselClass:
        if self.light_draught_m >= self.design_draught_m:
            raise ValueError(
                f"light_draught_m = {self.light_draught_m:g} must be < design_draught_m"
            )
        return self


class WaterwaySection(_Entry):
    """A waterway section: controlling depth per month (January first) [m]."""

    name: Text
    under_keel_clearance_m: NonNegativeFloat
    controlling_depth_m: Annotated[
        tuple[NonNegativeFloat, ...], Field(min_length=MONTHS_PER_YEAR, max_length=MONTHS_PER_YEAR)
    ]


class LockClosure(SourcedEntry):
    """A planned maintenance closure of ``lanes_closed`` lanes of a lock in ``year``,
    from ``start_month``/``start_day`` at ``start_hour`` for ``duration_days``."""

    year: Annotated[int, Field(ge=1900, le=2100)]
    start_month: Annotated[int, Field(ge=1, le=MONTHS_PER_YEAR)]
    start_day: Annotated[int, Field(ge=1, le=31)]
    start_hour: Annotated[int, Field(ge=0, le=23)]
    duration_days: PositiveFloat
    lanes_closed: PositiveInt

    @model_validator(mode="after")
    def _day_in_month(self) -> LockClosure:
        if self.start_day > MONTH_DAYS[self.start_month - 1]:
            raise ValueError(
                f"start_day = {self.start_day}: month {self.start_month} has "
                f"{MONTH_DAYS[self.start_month - 1]} days (a 365-day year)"
            )
        return self

    def start_h(self) -> float:
        """Start [h from 1 January 00:00 of a 365-day year]."""
        days = sum(MONTH_DAYS[: self.start_month - 1]) + self.start_day - 1
        return float(days * HOURS_PER_DAY + self.start_hour)


class Lock(_Entry):
    """A lock: lanes, vessels per lockage, the lockage cycle [h] of one lane, the other
    vessels (all directions) that queue for it [vessels/h], the vessels waiting at the
    start of the simulated year and its planned maintenance closures."""

    name: Text
    lanes: PositiveInt
    vessels_per_lockage: PositiveFloat
    lockage_cycle_h: PositiveFloat
    background_vessels_per_h: PositiveFloat
    initial_queue_vessels: Annotated[int, Field(ge=0)] = 0
    closure: tuple[LockClosure, ...] = ()

    @model_validator(mode="after")
    def _closures_fit(self) -> Lock:
        for i, c in enumerate(self.closure):
            if c.lanes_closed > self.lanes:
                raise ValueError(
                    f"closure[{i}].lanes_closed = {c.lanes_closed}: the lock has {self.lanes} lanes"
                )
        return self


class BorderQueue(SourcedEntry):
    """The queue of one direction of a crossing: transfer tracks, trains per day on each
    and the other trains that queue for them [trains/day]."""

    id: Literal["westbound", "eastbound"]
    tracks: PositiveInt
    trains_per_day_per_track: PositiveFloat
    background_trains_per_day: PositiveFloat


class BorderCrossing(_Entry):
    """A gauge-change border crossing: transfer tracks, trains per day on each, and the
    other trains that queue for them [trains/day], shared by both directions; or, where
    the data give a capacity per direction, one ``direction`` queue each (``westbound``:
    China to Europe, ``eastbound``: back) and no shared fields."""

    tracks: PositiveInt | None = None
    trains_per_day_per_track: PositiveFloat | None = None
    background_trains_per_day: PositiveFloat | None = None
    direction: tuple[BorderQueue, ...] = ()

    @model_validator(mode="after")
    def _shared_or_directions(self) -> BorderCrossing:
        shared = (self.tracks, self.trains_per_day_per_track, self.background_trains_per_day)
        if self.direction:
            ids = sorted(d.id for d in self.direction)
            if ids != ["eastbound", "westbound"]:
                raise ValueError(f"direction ids {ids}: give one westbound and one eastbound")
            if any(x is not None for x in shared):
                raise ValueError(
                    "tracks, trains_per_day_per_track and background_trains_per_day: give them "
                    "per direction or shared, not both"
                )
        elif any(x is None for x in shared):
            raise ValueError(
                "tracks, trains_per_day_per_track and background_trains_per_day are required "
                "(shared by both directions) unless [[border_crossing.direction]] gives them"
            )
        return self

    def direction_rule(self, direction: str | None) -> str | None:
        """Why a train may not take ``direction`` here (None if it may)."""
        if self.direction and direction is None:
            return f"is required: {self.id} has a queue per direction (westbound or eastbound)"
        if not self.direction and direction is not None:
            return f"{self.id} has one queue shared by both directions; leave it out"
        return None

    def queue(self, direction: str | None) -> BorderQueue:
        """The queue a train of ``direction`` joins (the shared one if none is given)."""
        if self.direction:
            by_id: dict[str, BorderQueue] = {d.id: d for d in self.direction}
            return by_id[direction or ""]
        assert self.tracks and self.trains_per_day_per_track and self.background_trains_per_day
        return BorderQueue(
            id="westbound",
            tracks=self.tracks,
            trains_per_day_per_track=self.trains_per_day_per_track,
            background_trains_per_day=self.background_trains_per_day,
            source=self.source,
            confidence=self.confidence,
        )


class PhysicsFile(Frozen):
    """One validated physics file."""

    kind: Literal["physics"]
    id: HubId
    title: Text
    source: SourceBlock
    vessel_class: tuple[VesselClass, ...] = ()
    waterway_section: tuple[WaterwaySection, ...] = ()
    lock: tuple[Lock, ...] = ()
    border_crossing: tuple[BorderCrossing, ...] = ()

    def vessel(self, vessel_id: str) -> VesselClass:
        """The vessel class ``vessel_id`` (KeyError if absent)."""
        return {v.id: v for v in self.vessel_class}[vessel_id]

    def section(self, section_id: str) -> WaterwaySection:
        """The waterway section ``section_id`` (KeyError if absent)."""
        return {w.id: w for w in self.waterway_section}[section_id]


def default_physics_path() -> Path:
    """The shipped physics file of the China corridors."""
    return data_dir("standards") / "physics" / "china-corridors-2026.toml"


def load_physics(path: str | Path | None = None) -> PhysicsFile:
    """Load and validate a physics file (default: the shipped one).

    Raises
    ------
    DataFileError
        One line naming the file, the field, the value and the rule: for example a
        negative depth, a vessel class without a draught, a lock without capacity, an
        id given twice or an ``id`` that is not the file name.
    """
    p = Path(path) if path is not None else default_physics_path()
    physics = validate(PhysicsFile, read_toml(p), p)
    for section in ("vessel_class", "waterway_section", "lock", "border_crossing"):
        entries = enumerate(getattr(physics, section))
        unique_ids(p, ((f"{section}[{i}].id", e.id) for i, e in entries), rule="id is given twice")
    id_is_file_name(p, physics.id)
    return physics
