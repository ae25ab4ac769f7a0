"""Typed variant operations: each change of a variant applied to the typed scenario.

:func:`apply_operations` applies one variant's structural changes (services,
hubs, road links, demand, routes, shifts, disruptions; the order is documented in
:func:`freighthub.model.variant.apply_variant`) to a validated
:class:`~freighthub.model.scenario_schema.Scenario`, one small typed operation at a
time: an operation copies the items it changes (``model_copy``) and records what
changed. :class:`ScenarioDraft` keeps the copies and validates the result once,
through the scenario's own validators, on the changed items only; a rule that a
change breaks is reported as in a scenario file, on the variant file.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from freighthub.errors import DataFileError
from freighthub.model.files import unknown_value, validate
from freighthub.model.scenario_schema import Demand, Route, Scenario
from freighthub.model.sourced import Sourced
from freighthub.model.variant_schema import Change, Shift, Variant

__all__ = ["ScenarioDraft", "apply_operations"]


M = TypeVar("M", bound=BaseModel)


class ScenarioDraft:
    """Typed edits of a validated scenario, validated in one pass at the end.

    An edit copies the items it changes (``model_copy``, which does not validate) or
    builds new ones (``model_construct``); :meth:`validated` then runs the scenario's
    own validators once, on the items made here only (the others were validated
    with the scenario), so that a rule a change breaks is reported as in a scenario
    file: ``variant.toml: services[2].departures_per_week = 20000.0: must be <= ...``.
    """

    def __init__(self) -> None:
        self._made: dict[int, BaseModel] = {}

    def copy(self, model: M, **update: Any) -> M:
        """``model`` with the fields in ``update`` replaced (``None`` removes a field)."""
        return self._keep(model.model_copy(update=update))

    def make(self, model: type[M], **values: Any) -> M:
        """A new, not yet validated ``model``."""
        return self._keep(model.model_construct(**values))

    def reshared(self, route: Route, share: float, source: str) -> Route:
        """``route`` with a new share and its source (no confidence: it is computed)."""
        return self.copy(route, share=self.make(Sourced[float], value=share, source=source))

    def validated(self, scenario: Scenario, path: Path) -> Scenario:
        """The edited scenario through the scenario's validators.

        Raises
        ------
        DataFileError
            Naming the first field of the result that breaks a rule.
        """
        return validate(Scenario, self._fields(scenario), path)

    def _keep(self, model: M) -> M:
        self._made[id(model)] = model
        return model

    def _fields(self, model: BaseModel) -> dict[str, object]:
        """The validation input of a model: its fields (as in a file, by alias)."""
        return {
            info.alias or name: self._input(value)
            for name, info in type(model).model_fields.items()
            if (value := getattr(model, name)) is not None
        }

    def _input(self, value: object) -> object:
        """A model made here as its fields; the rest as it is (validated already)."""
        if isinstance(value, BaseModel) and id(value) in self._made:
            return self._fields(value)
        if isinstance(value, tuple):
            return tuple(self._input(x) for x in value)
        return value


def _plain(value: object) -> object:
    """A value as the record of changes shows it: JSON types, a sourced value's number."""
    plain = to_jsonable_python(value, by_alias=True)
    return plain.get("value") if isinstance(plain, dict) else plain


def _positions(items: Sequence[BaseModel], key: str = "id") -> dict[str, int]:
    """Position of each item by its key (the last one where a key repeats)."""
    return {str(getattr(x, key)): i for i, x in enumerate(items)}


#: Fields a change replaces when the base gives the value another way.
_ALTERNATIVES = {
    "departures_per_week": ("weekly_departure_h",),
    "capacity_teu": ("train_type", "vessel_class"),
    "travel_time_h": ("speed_kmh",),
}


class _Edit:
    """Applies one variant to a validated scenario, one typed operation at a time."""

    def __init__(self, base: Scenario, variant: Variant, path: Path) -> None:
        self.base = base
        self.v = variant
        self.p = path
        self.draft = ScenarioDraft()
        self.changes: list[Change] = []
        self.train_types = list(base.train_types)
        self.vessel_classes = list(base.vessel_classes)
        self.services = list(base.services)
        self.hub_resources = list(base.hub_resources)
        self.road_links = list(base.road_links)
        self.demand = list(base.demand)
        self.disruptions = list(base.disruptions)
        self.background_service_flows = list(base.background_service_flows)

    def record(self, field: str, before: object, after: object) -> None:
        self.changes.append(Change(self.p, field, before, after))

    def unknown(self, field: str, value: str, kind: str, valid: Collection[str]) -> DataFileError:
        return unknown_value(self.p, field, value, f"{kind} of the base scenario", valid)

    def run(self) -> Scenario:
        """Every operation in the documented order (see :func:`apply_variant`)."""
        v = self.v
        self.remove_disruptions()
        self.train_types += v.add_train_types
        self.vessel_classes += v.add_vessel_classes
        for t in v.add_train_types:
            self.record(f"train_types.{t.id}", None, "added")
        for vc in v.add_vessel_classes:
            self.record(f"vessel_classes.{vc.id}", None, "added")
        self.remove_services()
        for s in v.add_services:
            self.services.append(s)
            self.record(f"services.{s.id}", None, "added")
        self.change(v.change_services, self.services, "change_services", "services", "service")
        services = _positions(self.services)
        for i, sub in enumerate(v.policy.subsidies):
            if sub.service is not None and sub.service not in services:
                field = f"policy.subsidies[{i}].service"
                raise self.unknown(field, sub.service, "service", services)
        self.change(v.change_hubs, self.hub_resources, "change_hubs", "hub_resources", "hub", "hub")
        self.change(
            v.change_road_links, self.road_links, "change_road_links", "road_links", "road link"
        )
        self.change(v.change_demand, self.demand, "change_demand", "demand", "demand")
        self.add_routes()
        for i, shift in enumerate(v.shift):
            self.shift(i, shift)
        for x in v.add_disruptions:
            self.disruptions.append(x)
            self.record(f"disruptions.{x.id}", None, "added")
        edited = self.draft.copy(
            self.base,
            id=v.id,
            name=v.name,
            description=self.base.description if v.description is None else v.description,
            train_types=tuple(self.train_types),
            vessel_classes=tuple(self.vessel_classes),
            services=tuple(self.services),
            hub_resources=tuple(self.hub_resources),
            road_links=tuple(self.road_links),
            demand=tuple(self.demand),
            disruptions=tuple(self.disruptions),
            background_service_flows=tuple(self.background_service_flows),
        )
        return self.draft.validated(edited, self.p)

    def remove_disruptions(self) -> None:
        known = _positions(self.disruptions)
        for i, x in enumerate(self.v.remove_disruptions):
            if x not in known:
                raise self.unknown(f"remove_disruptions[{i}]", x, "disruption", known)
            self.record(f"disruptions.{x}", "present", None)
        drop = set(self.v.remove_disruptions)
        self.disruptions = [x for x in self.disruptions if x.id not in drop]

    def remove_services(self) -> None:
        """Remove services with their disruptions, background flows and routes."""
        known = _positions(self.services)
        for i, sid in enumerate(self.v.remove_services):
            if sid not in known:
                raise self.unknown(f"remove_services[{i}]", sid, "service", known)
        gone = set(self.v.remove_services)
        if not gone:
            return
        for sid in self.v.remove_services:
            self.record(f"services.{sid}", "present", None)
        self.services = [s for s in self.services if s.id not in gone]
        self.disruptions = [x for x in self.disruptions if x.service not in gone]
        for f in self.background_service_flows:
            if f.service in gone:  # the background of a removed service goes with it
                self.record(f"background_service_flows.{f.id}", "present", None)
        self.background_service_flows = [
            f for f in self.background_service_flows if f.service not in gone
        ]
        self.demand = [self.without_routes(dem, gone) for dem in self.demand]

    def without_routes(self, dem: Demand, gone: set[str]) -> Demand:
        """``dem`` without its routes that use a service of ``gone``, the others rescaled."""
        cut = [r for r in dem.routes if any(leg.service in gone for leg in r.legs)]
        if not cut:
            return dem
        kept = [r for r in dem.routes if r not in cut]
        removed = [r.name for r in cut]
        if not kept:
            raise DataFileError(
                self.p,
                f"leaves demand {dem.id!r} without a route (it used {', '.join(removed)})",
                "remove_services",
                list(self.v.remove_services),
            )
        self.record(f"demand.{dem.id}.routes", removed, None)
        total = math.fsum(r.share.value for r in kept)
        source = f"rescaled by variant {self.v.id}"
        routes = tuple(
            self.draft.reshared(r, r.share.value / total if total > 0 else 1.0 / len(kept), source)
            for r in kept
        )
        return self.draft.copy(dem, routes=routes)

    def change(
        self,
        changes: Sequence[BaseModel],
        items: list[M],
        field: str,
        section: str,
        kind: str,
        key: str = "id",
    ) -> None:
        """Apply each change of ``changes`` (``field`` of the variant) to the item of
        ``items`` (``section`` of the scenario) with its ``key``."""
        at = _positions(items, key)
        for i, c in enumerate(changes):
            k = str(getattr(c, key))
            if k not in at:
                raise self.unknown(f"{field}[{i}].{key}", k, kind, at)
            items[at[k]] = self.changed(items[at[k]], c, f"{section}.{k}", key)

    def changed(self, item: M, change: BaseModel, prefix: str, key: str) -> M:
        """``item`` with the values ``change`` gives; a value given another way in the
        base (a train type for a capacity ...) goes, so that the base's "one of" holds."""
        update: dict[str, object] = {}
        for name in type(change).model_fields:
            new = getattr(change, name)
            if name == key or new is None:
                continue
            before = _plain(getattr(item, name))
            for alternative in _ALTERNATIVES.get(name, ()):
                if before is None and getattr(item, alternative) is not None:
                    before = {alternative: _plain(getattr(item, alternative))}
            self.record(f"{prefix}.{name}", before, _plain(new))
            update[name] = new
            update.update(dict.fromkeys(_ALTERNATIVES.get(name, ())))
        return self.draft.copy(item, **update)

    def add_routes(self) -> None:
        """Add routes; an OD's other routes keep ``1 - share`` of their shares."""
        for i, r in enumerate(self.v.add_routes):
            at = _positions(self.demand)
            if r.demand not in at:
                raise self.unknown(f"add_routes[{i}].demand", r.demand, "demand", at)
            dem = self.demand[at[r.demand]]
            share = r.share.value if r.share is not None else 0.0
            routes = [
                self.draft.copy(
                    x, share=self.draft.copy(x.share, value=x.share.value * (1 - share))
                )
                for x in dem.routes
            ]
            new = self.draft.make(
                Route,
                name=r.name,
                share=r.share
                if r.share is not None
                else self.draft.make(Sourced[float], value=0.0),
                legs=r.legs,
            )
            self.demand[at[r.demand]] = self.draft.copy(dem, routes=(*routes, new))
            self.record(f"demand.{r.demand}.routes.{r.name}", None, share)

    def shift(self, i: int, s: Shift) -> None:
        """Apply ``shift[i]`` to its OD, or to every OD it fits."""
        at = _positions(self.demand)
        if s.demand is not None and s.demand not in at:
            raise self.unknown(f"shift[{i}].demand", s.demand, "demand", at)
        applied = 0
        for j in [at[s.demand]] if s.demand is not None else list(at.values()):
            shifted = self.shifted(i, s, self.demand[j])
            if shifted is not None:
                self.demand[j] = shifted
                applied += 1
        if applied == 0:
            raise DataFileError(
                self.p,
                "no demand has a road-only route and these targets",
                f"shift[{i}].to_routes" if s.to_routes is not None else f"shift[{i}].to_modes",
                list(s.to_routes or s.to_modes or ()),
            )

    def shifted(self, i: int, s: Shift, dem: Demand) -> Demand | None:
        """``dem`` after ``shift[i]``, or None if it has no road-only route or a target
        is missing (an error if the shift names this OD)."""
        field = f"shift[{i}].to_routes" if s.to_routes is not None else f"shift[{i}].to_modes"
        names = {r.name: k for k, r in enumerate(dem.routes)}
        road = [k for k, r in enumerate(dem.routes) if all(leg.road is not None for leg in r.legs)]
        if s.to_routes is not None:
            chosen = list(s.to_routes)
            missing = [n for n in chosen if n not in names]
            problem = f"unknown route of demand {dem.id!r}; valid: " + ", ".join(sorted(names))
        else:
            modes = set(s.to_modes or ())
            mode_of = {x.id: x.mode for x in self.services}
            chosen = [
                r.name for r in dem.routes
                if any(leg.service is not None and mode_of.get(leg.service) in modes
                       for leg in r.legs)
            ]  # fmt: skip
            missing = [] if chosen else list(s.to_modes or ())
            problem = f"demand {dem.id!r} has no route using these modes"
        if missing or not road:
            if s.demand is None:
                return None
            if missing:
                raise DataFileError(self.p, problem, field, missing[0])
            raise DataFileError(
                self.p, f"demand {dem.id!r} has no road-only route to shift from",
                f"shift[{i}].demand", s.demand,
            )  # fmt: skip
        bad = [n for n in chosen if names[n] in road]
        if bad:
            raise DataFileError(
                self.p, "is a road-only route; shift moves road demand to other routes",
                field, bad[0],
            )  # fmt: skip
        new: dict[int, float] = {}
        moved = 0.0
        for k in road:
            old = dem.routes[k].share.value
            moved += old * s.road_share.value
            new[k] = old * (1.0 - s.road_share.value)
        weights = [dem.routes[names[n]].share.value for n in chosen]
        total = math.fsum(weights)
        for n, w in zip(chosen, weights, strict=True):
            new[names[n]] = w + moved * (w / total if total > 0 else 1.0 / len(weights))
        source = f"shifted by variant {self.v.id}"
        routes = tuple(
            self.draft.reshared(r, new[k], source) if k in new else r
            for k, r in enumerate(dem.routes)
        )
        self.record(f"demand.{dem.id}.road_share_moved", None, moved)
        return self.draft.copy(dem, routes=routes)


def apply_operations(base: Scenario, variant: Variant, path: Path) -> tuple[Scenario, list[Change]]:
    """``base`` with the structural changes of ``variant`` (file ``path``), validated,
    and the record of what changed.

    Raises
    ------
    DataFileError
        For an unknown service, hub, road link, demand, route or disruption to change
        or remove, a removal that leaves an OD without a route, or a result that breaks
        a rule of the scenario's fields.
    """
    edit = _Edit(base, variant, path)
    return edit.run(), edit.changes
