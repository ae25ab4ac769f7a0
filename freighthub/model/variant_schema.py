"""The schema of variant files: changes to services, hubs, road links and demand; shifts, policy.

Split from :mod:`freighthub.model.variant` (which follows the base chain, applies a
variant and re-exports these types).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from freighthub.model.fields import (
    Frozen,
    Id,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
)
from freighthub.model.scenario_schema import (
    DeparturesPerWeek,
    Disruption,
    RouteLeg,
    ScheduledMode,
    Service,
    TeuPerYear,
    TrainType,
    VesselClass,
)
from freighthub.model.sourced import Sourced


def _twice(values: Iterable[str]) -> str | None:
    """The first value that appears twice, if any."""
    seen: set[str] = set()
    for v in values:
        if v in seen:
            return v
        seen.add(v)
    return None


class Subsidy(Frozen):
    """A subsidy per TEU for every service of a mode, or for one service."""

    mode: ScheduledMode | None = None
    service: Id | None = None
    cny_per_teu: Sourced[NonNegativeFloat]

    @model_validator(mode="after")
    def _one_target(self) -> Subsidy:
        if (self.mode is None) == (self.service is None):
            raise ValueError("target: give one of 'mode' or 'service'")
        return self

    @property
    def target(self) -> str:
        """``"mode:<mode>"`` or ``"service:<id>"``."""
        return f"mode:{self.mode}" if self.mode is not None else f"service:{self.service}"


class Policy(Frozen):
    """Policy levers seen by the mode choice (not by the simulated operating cost)."""

    carbon_price_cny_per_tco2e: Sourced[NonNegativeFloat] | None = None
    road_toll_cny_per_vehicle_km: Sourced[NonNegativeFloat] | None = None
    subsidies: tuple[Subsidy, ...] = ()

    @field_validator("subsidies")
    @classmethod
    def _one_per_target(cls, value: tuple[Subsidy, ...]) -> tuple[Subsidy, ...]:
        twice = _twice(s.target for s in value)
        if twice is not None:
            raise ValueError(f"gives two subsidies for {twice.replace(':', ' ')}")
        return value

    @property
    def is_empty(self) -> bool:
        """True if no lever is set."""
        return (
            self.carbon_price_cny_per_tco2e is None
            and self.road_toll_cny_per_vehicle_km is None
            and not self.subsidies
        )


class ModeChoiceRef(Frozen):
    """Which mode-choice parameters (``standards/mode-choice/<id>.toml``) to use."""

    parameters: Text


class _Change(Frozen):
    """A change of one item: at least one field besides the item's key.

    Each field has the type of the scenario field it changes (``Service``,
    ``HubResources``, ``RoadLink``), optional here, from the same home (``model.fields``,
    ``model.scenario_schema``), so a constraint is written once and a value that breaks
    it is named on the variant's own field (``change_services[0].departures_per_week``);
    ``tests/model/test_variant_field_types.py`` checks the types are the same.
    """

    @model_validator(mode="after")
    def _changes_something(self) -> _Change:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) < 2:
            raise ValueError("changes nothing: give at least one new value")
        return self


class ServiceChange(_Change):
    """New values for an existing service; fields not given stay as in the base."""

    id: Id
    departures_per_week: Sourced[DeparturesPerWeek] | None = None
    capacity_teu: Sourced[PositiveFloat] | None = None
    cutoff_h: Sourced[NonNegativeFloat] | None = None
    travel_time_h: Sourced[PositiveFloat] | None = None
    cost_cny_per_teu: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_teu_km: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_departure: Sourced[NonNegativeFloat] | None = None


class HubChange(_Change):
    """New handling resources of a hub; fields not given stay as in the base."""

    hub: Id
    servers: Sourced[PositiveInt] | None = None
    moves_per_h: Sourced[PositiveFloat] | None = None
    yard_capacity_teu: Sourced[PositiveFloat] | None = None
    handling_cost_cny_per_move: Sourced[NonNegativeFloat] | None = None


class RoadLinkChange(_Change):
    """New speed or costs of a road link."""

    id: Id
    speed_kmh: Sourced[PositiveFloat] | None = None
    cost_cny_per_teu_km: Sourced[NonNegativeFloat] | None = None
    cost_cny_per_vehicle_km: Sourced[NonNegativeFloat] | None = None


class DemandChange(Frozen):
    """New yearly demand of an OD pair."""

    id: Id
    teu_per_year: Sourced[TeuPerYear]


class NewRoute(Frozen):
    """A route added to an OD pair; the other routes' shares are scaled by ``1 - share``."""

    demand: Id
    name: Id
    share: Sourced[Share] | None = None
    legs: Annotated[tuple[RouteLeg, ...], Field(min_length=1)]


class Shift(Frozen):
    """Move ``road_share`` of the road-only routes' share of an OD to other routes.

    The targets are named routes (``to_routes``) or every route with a service leg of
    one of ``to_modes``. The moved share is split over the targets in proportion to
    their current shares (equally if all are 0). ``demand`` omitted: every OD that has
    a road-only route and all of ``to_routes`` (or a route of ``to_modes``).
    """

    demand: Id | None = None
    road_share: Sourced[Share]
    to_routes: Annotated[tuple[Id, ...], Field(min_length=1)] | None = None
    to_modes: Annotated[tuple[ScheduledMode, ...], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Shift:
        if (self.to_routes is None) == (self.to_modes is None):
            raise ValueError("targets: give one of 'to_routes' or 'to_modes'")
        return self

    @field_validator("to_routes", "to_modes")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        twice = None if value is None else _twice(value)
        if twice is not None:
            raise ValueError(f"lists {twice!r} twice")
        return value


class Variant(Frozen):
    """A scenario variant (see the module docstring and ``docs/data-formats.md``)."""

    id: Id
    name: Text
    description: Text | None = None
    base: Text
    mode_choice: ModeChoiceRef | None = None
    policy: Policy = Policy()
    add_train_types: tuple[TrainType, ...] = ()
    add_vessel_classes: tuple[VesselClass, ...] = ()
    remove_services: tuple[Id, ...] = ()
    add_services: tuple[Service, ...] = ()
    change_services: tuple[ServiceChange, ...] = ()
    change_hubs: tuple[HubChange, ...] = ()
    change_road_links: tuple[RoadLinkChange, ...] = ()
    change_demand: tuple[DemandChange, ...] = ()
    add_routes: tuple[NewRoute, ...] = ()
    shift: tuple[Shift, ...] = ()
    remove_disruptions: tuple[Id, ...] = ()
    add_disruptions: tuple[Disruption, ...] = ()

    @field_validator(
        "remove_services",
        "change_services",
        "change_hubs",
        "change_road_links",
        "change_demand",
        "remove_disruptions",
    )
    @classmethod
    def _no_repeats(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = (x if isinstance(x, str) else getattr(x, "id", None) or x.hub for x in value)
        twice = _twice(keys)
        if twice is not None:
            raise ValueError(f"lists {twice!r} twice (give each once)")
        return value

    @model_validator(mode="after")
    def _no_conflicts(self) -> Variant:
        if self.shift and self.mode_choice is not None:
            raise ValueError(
                "give [[shift]] or [mode_choice], not both: put one in a variant of the other"
            )
        if not self.policy.is_empty and self.mode_choice is None:
            raise ValueError(
                "policy levers act through the mode choice: add [mode_choice] parameters = '<id>'"
            )
        if self.mode_choice is None:
            for i, r in enumerate(self.add_routes):
                if r.share is None:
                    raise ValueError(f"add_routes[{i}].share: required without [mode_choice]")
        return self


@dataclass(frozen=True)
class Change:
    """One change a variant made, for the record.

    Attributes
    ----------
    file
        The variant file that made it.
    field
        What changed (dotted, e.g. ``services.barge-wh-sh.departures_per_week``).
    before, after
        Values before and after (``None`` for added or removed items).
    """

    file: Path
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class VariantChain:
    """The files from a variant down to its scenario.

    Attributes
    ----------
    scenario_path
        The scenario at the bottom of the chain.
    variants
        ``(path, variant)`` from the one nearest the scenario to the one asked for.
    """

    scenario_path: Path
    variants: tuple[tuple[Path, Variant], ...]

    @property
    def files(self) -> list[Path]:
        """Every file of the chain, scenario first."""
        return [self.scenario_path, *(p for p, _ in self.variants)]
