"""Scenario variants: a TOML file that names its base and lists changes.

A variant names its ``base`` (a path relative to the variant file: a scenario or
another variant) and lists changes: services added, removed or changed (frequency,
capacity, price, times); hub resources, road links and demand changed; routes
added; a share of road demand shifted to named routes; disruptions added or
removed; policy levers (carbon price, road toll, subsidies) and the mode-choice
parameters that turn them into route shares. The format is documented in
``docs/data-formats.md`` ("Scenario variants").

This module resolves the *structural* changes: :func:`load_variant_chain` follows
the ``base`` links down to a scenario (a cycle is a :class:`DataFileError` naming the
chain) and :func:`apply_variant` applies one variant to its resolved base, giving a
normal validated scenario (same checks as a file, via
:func:`freighthub.model.scenario.check_scenario`) and a record of what changed. The
mode choice that turns policy levers into route shares lives in
:mod:`freighthub.shift` (it needs the compiled network and the emission factors).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from freighthub.errors import DataFileError
from freighthub.model.files import id_is_file_name, read_toml, unknown_value, validate
from freighthub.model.scenario import LoadedScenario, check_scenario, load_scenario
from freighthub.model.scenario_schema import Scenario
from freighthub.model.variant_schema import (
    Change,
    DemandChange,
    HubChange,
    ModeChoiceRef,
    NewRoute,
    Policy,
    RoadLinkChange,
    ServiceChange,
    Shift,
    Subsidy,
    Variant,
    VariantChain,
)

__all__ = [
    "Change",
    "DemandChange",
    "HubChange",
    "ModeChoiceRef",
    "NewRoute",
    "Policy",
    "RoadLinkChange",
    "ServiceChange",
    "Shift",
    "Subsidy",
    "Variant",
    "VariantChain",
    "apply_variant",
    "is_variant_file",
    "load_variant_chain",
    "merge_policy",
    "with_route_shares",
]


#: Top-level fields only a variant has: a file with one of them and no ``base`` is a
#: variant that forgot its base, not a scenario.
_VARIANT_ONLY = frozenset(Variant.model_fields) - frozenset(Scenario.model_fields) - {"base"}


def is_variant_file(path: str | Path) -> bool:
    """True if the TOML file has a top-level ``base`` (a variant), else it is a scenario.

    Raises
    ------
    DataFileError
        If the file does not exist or is not valid TOML.
    """
    return "base" in read_toml(path)


def load_variant_chain(path: str | Path) -> VariantChain:
    """Read a variant and its bases down to the scenario.

    Parameters
    ----------
    path
        A variant file (a scenario file gives a chain without variants).

    Raises
    ------
    DataFileError
        If a file is invalid, its ``id`` differs from its file name, a ``base`` does
        not exist, or the bases form a cycle (the message names the chain).
    """
    current = Path(path)
    seen: list[Path] = []
    variants: list[tuple[Path, Variant]] = []
    while True:
        data = read_toml(current)
        if "base" not in data:
            changes = sorted(set(data) & _VARIANT_ONLY)
            if changes:
                raise DataFileError(
                    current,
                    f"required field is missing: a variant (it has {changes[0]}) names its"
                    " base scenario file",
                    "base",
                )
            return VariantChain(scenario_path=current, variants=tuple(reversed(variants)))
        variant = validate(Variant, data, current)
        id_is_file_name(current, variant.id)
        seen.append(current.resolve())
        variants.append((current, variant))
        base = (current.parent / variant.base).resolve()
        if base in seen:
            chain = " -> ".join(p.name for p in [*seen, base])
            raise DataFileError(current, f"variants form a cycle: {chain}", "base", variant.base)
        if not base.is_file():
            raise DataFileError(current, f"base file does not exist ({base})", "base", variant.base)
        current = base


def load_chain_scenario(
    chain: VariantChain,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """Load the scenario at the bottom of a chain (see :func:`load_scenario`)."""
    return load_scenario(chain.scenario_path, hubs_dir, intensity_ids)


def merge_policy(base: Policy, variant: Policy) -> Policy:
    """The levers in force after ``variant``: its values override the base's.

    Subsidies are merged by target (mode or service); a variant's subsidy replaces
    the base's subsidy of the same target.
    """
    subsidies = {s.target: s for s in base.subsidies}
    subsidies.update({s.target: s for s in variant.subsidies})
    return Policy(
        carbon_price_cny_per_tco2e=variant.carbon_price_cny_per_tco2e
        or base.carbon_price_cny_per_tco2e,
        road_toll_cny_per_vehicle_km=variant.road_toll_cny_per_vehicle_km
        or base.road_toll_cny_per_vehicle_km,
        subsidies=tuple(subsidies[k] for k in sorted(subsidies)),
    )


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")


def _value(x: Any) -> Any:
    return x.get("value") if isinstance(x, dict) else x


#: Fields a change replaces when the base gives the value another way.
_ALTERNATIVES = {
    "departures_per_week": ("weekly_departure_h",),
    "capacity_teu": ("train_type", "vessel_class"),
    "travel_time_h": ("speed_kmh",),
}


class _Applier:
    """Applies one variant to the dict of its base scenario, recording changes."""

    def __init__(self, data: dict[str, Any], variant: Variant, path: Path) -> None:
        self.data = data
        self.v = variant
        self.p = path
        self.changes: list[Change] = []

    def record(self, field: str, before: object, after: object) -> None:
        self.changes.append(Change(self.p, field, before, after))

    def unknown(self, field: str, value: str, kind: str, valid: Collection[str]) -> DataFileError:
        return unknown_value(self.p, field, value, f"{kind} of the base scenario", valid)

    def index(self, key: str, id_field: str = "id") -> dict[str, dict[str, Any]]:
        return {str(x[id_field]): x for x in self.data.get(key, [])}

    def set_fields(self, target: dict[str, Any], change: BaseModel, prefix: str, skip: str) -> None:
        for name in type(change).model_fields:
            if name == skip:
                continue
            new = getattr(change, name)
            if new is None:
                continue
            dumped = _dump(new) if isinstance(new, BaseModel) else new
            before = _value(target.get(name))
            for alternative in _ALTERNATIVES.get(name, ()):
                if before is None and alternative in target:
                    before = {alternative: _value(target[alternative])}
            self.record(f"{prefix}.{name}", before, _value(dumped))
            target[name] = dumped

    def run(self) -> None:
        v, d = self.v, self.data
        self.remove_disruptions()
        d.setdefault("train_types", []).extend(_dump(t) for t in v.add_train_types)
        d.setdefault("vessel_classes", []).extend(_dump(t) for t in v.add_vessel_classes)
        for t in v.add_train_types:
            self.record(f"train_types.{t.id}", None, "added")
        for vc in v.add_vessel_classes:
            self.record(f"vessel_classes.{vc.id}", None, "added")
        self.remove_services()
        for s in v.add_services:
            d.setdefault("services", []).append(_dump(s))
            self.record(f"services.{s.id}", None, "added")
        self.change_services()
        services = self.index("services")
        for i, sub in enumerate(v.policy.subsidies):
            if sub.service is not None and sub.service not in services:
                field = f"policy.subsidies[{i}].service"
                raise self.unknown(field, sub.service, "service", services)
        hubs = self.index("hub_resources", "hub")
        for i, h in enumerate(v.change_hubs):
            if h.hub not in hubs:
                raise self.unknown(f"change_hubs[{i}].hub", h.hub, "hub", hubs)
            self.set_fields(hubs[h.hub], h, f"hub_resources.{h.hub}", "hub")
        links = self.index("road_links")
        for i, r in enumerate(v.change_road_links):
            if r.id not in links:
                raise self.unknown(f"change_road_links[{i}].id", r.id, "road link", links)
            self.set_fields(links[r.id], r, f"road_links.{r.id}", "id")
        demand = self.index("demand")
        for i, c in enumerate(v.change_demand):
            if c.id not in demand:
                raise self.unknown(f"change_demand[{i}].id", c.id, "demand", demand)
            self.set_fields(demand[c.id], c, f"demand.{c.id}", "id")
        self.add_routes(demand)
        self.shift(demand)
        for x in v.add_disruptions:
            d.setdefault("disruptions", []).append(_dump(x))
            self.record(f"disruptions.{x.id}", None, "added")

    def remove_disruptions(self) -> None:
        known = self.index("disruptions")
        for i, x in enumerate(self.v.remove_disruptions):
            if x not in known:
                raise self.unknown(f"remove_disruptions[{i}]", x, "disruption", known)
            self.record(f"disruptions.{x}", "present", None)
        drop = set(self.v.remove_disruptions)
        self.data["disruptions"] = [
            x for x in self.data.get("disruptions", []) if x["id"] not in drop
        ]

    def remove_services(self) -> None:
        known = self.index("services")
        for i, sid in enumerate(self.v.remove_services):
            if sid not in known:
                raise self.unknown(f"remove_services[{i}]", sid, "service", known)
        gone = set(self.v.remove_services)
        if not gone:
            return
        for sid in self.v.remove_services:
            self.record(f"services.{sid}", "present", None)
        self.data["services"] = [s for s in self.data.get("services", []) if s["id"] not in gone]
        self.data["disruptions"] = [
            x for x in self.data.get("disruptions", []) if x.get("service") not in gone
        ]
        for x in self.data.get("background_service_flows", []):
            if x["service"] in gone:  # the background of a removed service goes with it
                self.record(f"background_service_flows.{x['id']}", "present", None)
        self.data["background_service_flows"] = [
            x for x in self.data.get("background_service_flows", []) if x["service"] not in gone
        ]
        for i, dem in enumerate(self.data["demand"]):
            kept = [
                r for r in dem["routes"]
                if not any(leg.get("service") in gone for leg in r["legs"])
            ]  # fmt: skip
            if len(kept) == len(dem["routes"]):
                continue
            removed = [r["name"] for r in dem["routes"] if r not in kept]
            if not kept:
                raise DataFileError(
                    self.p,
                    f"leaves demand {dem['id']!r} without a route (it used {', '.join(removed)})",
                    "remove_services",
                    list(self.v.remove_services),
                )
            self.record(f"demand.{dem['id']}.routes", removed, None)
            total = math.fsum(_value(r["share"]) for r in kept)
            for r in kept:
                old = _value(r["share"])
                new = old / total if total > 0 else 1.0 / len(kept)
                r["share"] = {"value": new, "source": f"rescaled by variant {self.v.id}"}
            self.data["demand"][i] = {**dem, "routes": kept}

    def change_services(self) -> None:
        services = self.index("services")
        for i, c in enumerate(self.v.change_services):
            if c.id not in services:
                raise self.unknown(f"change_services[{i}].id", c.id, "service", services)
            svc = services[c.id]
            self.set_fields(svc, c, f"services.{c.id}", "id")
            # keep the base's "exactly one of" choices consistent with the new value
            if c.departures_per_week is not None:
                svc.pop("weekly_departure_h", None)
            if c.capacity_teu is not None:
                svc.pop("train_type", None)
                svc.pop("vessel_class", None)
            if c.travel_time_h is not None:
                svc.pop("speed_kmh", None)

    def add_routes(self, demand: dict[str, dict[str, Any]]) -> None:
        for i, r in enumerate(self.v.add_routes):
            if r.demand not in demand:
                raise self.unknown(f"add_routes[{i}].demand", r.demand, "demand", demand)
            dem = demand[r.demand]
            share = r.share.value if r.share is not None else 0.0
            for old in dem["routes"]:
                old["share"] = {**old["share"], "value": _value(old["share"]) * (1.0 - share)}
            new = _dump(r)
            del new["demand"]
            new["share"] = _dump(r.share) if r.share is not None else {"value": 0.0}
            dem["routes"].append(new)
            self.record(f"demand.{r.demand}.routes.{r.name}", None, share)

    def shift(self, demand: dict[str, dict[str, Any]]) -> None:
        service_mode = {x["id"]: x["mode"] for x in self.data.get("services", [])}
        for i, s in enumerate(self.v.shift):
            if s.demand is not None and s.demand not in demand:
                raise self.unknown(f"shift[{i}].demand", s.demand, "demand", demand)
            field = f"shift[{i}].to_routes" if s.to_routes is not None else f"shift[{i}].to_modes"
            asked = list(s.to_routes or s.to_modes or ())
            targets = [demand[s.demand]] if s.demand is not None else list(demand.values())
            applied = 0
            for dem in targets:
                names = {r["name"]: r for r in dem["routes"]}
                road = [r for r in dem["routes"] if all("road" in leg for leg in r["legs"])]
                if s.to_routes is not None:
                    chosen = list(s.to_routes)
                    missing = [n for n in chosen if n not in names]
                    problem = (
                        f"unknown route of demand {dem['id']!r}; valid: " + ", ".join(sorted(names))
                        if missing
                        else ""
                    )
                else:
                    modes = set(s.to_modes or ())
                    chosen = [
                        r["name"] for r in dem["routes"]
                        if any(service_mode.get(leg.get("service")) in modes for leg in r["legs"])
                    ]  # fmt: skip
                    missing = [] if chosen else asked
                    problem = (
                        "" if chosen else f"demand {dem['id']!r} has no route using these modes"
                    )
                if missing or not road:
                    if s.demand is not None:
                        if missing:
                            raise DataFileError(self.p, problem, field, missing[0])
                        raise DataFileError(
                            self.p, f"demand {dem['id']!r} has no road-only route to shift from",
                            f"shift[{i}].demand", s.demand,
                        )  # fmt: skip
                    continue
                bad = [n for n in chosen if names[n] in road]
                if bad:
                    raise DataFileError(
                        self.p, "is a road-only route; shift moves road demand to other routes",
                        field, bad[0],
                    )  # fmt: skip
                moved = 0.0
                for r in road:
                    old = _value(r["share"])
                    moved += old * s.road_share.value
                    r["share"] = {"value": old * (1.0 - s.road_share.value),
                                  "source": f"shifted by variant {self.v.id}"}  # fmt: skip
                weights = [_value(names[n]["share"]) for n in chosen]
                total = math.fsum(weights)
                for n, w in zip(chosen, weights, strict=True):
                    add = moved * (w / total if total > 0 else 1.0 / len(weights))
                    names[n]["share"] = {"value": w + add,
                                         "source": f"shifted by variant {self.v.id}"}  # fmt: skip
                self.record(f"demand.{dem['id']}.road_share_moved", None, moved)
                applied += 1
            if applied == 0:
                raise DataFileError(
                    self.p, "no demand has a road-only route and these targets", field, asked
                )


def apply_variant(
    base: LoadedScenario,
    variant: Variant,
    path: str | Path,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> tuple[LoadedScenario, tuple[Change, ...]]:
    """Apply a variant's structural changes to its resolved base.

    Order: disruptions removed, train types and vessel classes added, services
    removed (with the routes that use them; the OD's other shares rescaled to sum
    to 1), added and changed; hub resources, road links and demand changed; routes
    added; road demand shifted; disruptions added. Policy levers and the mode
    choice are not applied here (see :mod:`freighthub.shift`).

    Parameters
    ----------
    base
        The resolved base scenario.
    variant
        The variant.
    path
        The variant file (for messages and as the resolved scenario's path).
    hubs_dir, intensity_ids
        As for :func:`freighthub.model.scenario.load_scenario`.

    Returns
    -------
    tuple
        The resolved scenario (id and name of the variant, every check of a scenario
        file passed) and the changes made.

    Raises
    ------
    DataFileError
        For an unknown service, hub, road link, demand, route or disruption to
        change or remove, a removal that leaves an OD without a route, or a result
        that fails a scenario check.
    """
    p = Path(path)
    data = _dump(base.scenario)
    data["id"], data["name"] = variant.id, variant.name
    if variant.description is not None:
        data["description"] = variant.description
    applier = _Applier(data, variant, p)
    applier.run()
    scenario = validate(Scenario, data, p)
    loaded = check_scenario(scenario, p, hubs_dir, intensity_ids)
    return loaded, tuple(applier.changes)


def with_route_shares(
    loaded: LoadedScenario,
    shares: dict[str, float],
    source: str,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """The scenario with new route shares (by ``"<od id>/<route name>"``), re-checked.

    Routes not in ``shares`` keep theirs; each OD's shares are normalised to sum to 1
    (they come from a logit, so only rounding is removed).

    Raises
    ------
    DataFileError
        If the result fails a scenario check.
    """
    data = _dump(loaded.scenario)
    for dem in data["demand"]:
        new = [shares.get(f"{dem['id']}/{r['name']}", _value(r["share"])) for r in dem["routes"]]
        total = math.fsum(new)
        for r, s in zip(dem["routes"], new, strict=True):
            r["share"] = {"value": s / total, "source": source}
    scenario = validate(Scenario, data, loaded.path)
    return check_scenario(scenario, loaded.path, hubs_dir, intensity_ids)
