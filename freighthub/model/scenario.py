"""Simulation scenarios: ``scenarios/*.toml`` loaded into a frozen, validated :class:`Scenario`.

A scenario uses hubs from ``hubs/`` and adds door-to-door zones, hub resources,
road links, timetabled services (trains, barges), demand per origin-destination
pair with its route options, and disruptions. Every number that is a fact (speed,
capacity, cost, demand ...) is a :class:`~freighthub.model.sourced.Sourced` value
so it can carry its source and confidence. The format is documented in
``docs/data-formats.md``; times are in hours [h] from the start of the scenario.

:func:`load_scenario` validates the file, then checks every reference (hub ids,
zone ids, link and service ids, route continuity, route shares, emission-intensity
ids) and raises :class:`DataFileError` naming the
file, the field, the value and the rule.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from freighthub.emissions import FactorPack, hub_category_ids, intensity_ids
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.background_schema import (
    check_background,
)
from freighthub.model.factors import load_factor_pack
from freighthub.model.files import (
    check_magnitudes,
    field_rule_error,
    id_is_file_name,
    read_toml,
    unique_ids,
    unknown_in_file,
    unknown_value,
    validate,
)
from freighthub.model.hub import Hub, load_hub
from freighthub.model.paths import data_dir
from freighthub.model.physics import load_physics
from freighthub.model.repositioning import check_reverse_flows
from freighthub.model.scenario_schema import (
    SHARE_SUM_TOLERANCE,
    Scenario,
)
from freighthub.model.terminal_checks import check_terminal

__all__ = [
    "LoadedScenario",
    "check_scenario",
    "load_scenario",
    "load_scenario_with_pack",
    "pack_reference_ids",
]


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario together with its hubs and the files it came from.

    Attributes
    ----------
    scenario
        The validated scenario.
    hubs
        The hubs the scenario uses, by id, in the scenario's order.
    path
        The scenario file.
    hub_paths
        The hub files read, by hub id.
    """

    scenario: Scenario
    hubs: dict[str, Hub]
    path: Path
    hub_paths: dict[str, Path]

    @property
    def input_files(self) -> list[Path]:
        """Every file read (scenario first, then hubs), for the reproducibility manifest."""
        return [self.path, *self.hub_paths.values()]


def load_scenario(
    path: str | Path,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """Load, validate and cross-check a scenario file.

    Parameters
    ----------
    path
        The scenario TOML file; its ``id`` must equal the file name without ``.toml``.
    hubs_dir
        Folder of hub files (default: ``data_dir("hubs")``).
    intensity_ids
        The emission-intensity and hub-operation ids of the emission factor pack;
        when given, every ``intensity_id`` and ``handling_intensity_id`` must be
        one of them.

    Raises
    ------
    DataFileError
        For an invalid file or any broken reference: unknown hub, zone, road link,
        service, train type or vessel class; duplicate ids; a route whose legs do
        not connect its origin to its destination; route shares of an OD that do not
        sum to 1; a disruption outside the horizon; an unknown intensity id. A cut-off
        as long as the headway or longer is allowed: a box then catches a later
        departure (``docs/gotchas.md``).
    """
    p = Path(path)
    scenario = _validate_scenario(read_toml(p), p)
    id_is_file_name(p, scenario.id)
    return check_scenario(scenario, p, hubs_dir, intensity_ids)


def _validate_scenario(data: dict[str, Any], p: Path) -> Scenario:
    """Validate; a rule across fields is reported on the field it names."""
    check_magnitudes(data, p)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        rule_error = field_rule_error(exc.errors(include_url=False)[0], p)
        if rule_error is not None:
            raise rule_error from None
    return validate(Scenario, data, p)  # raises the standard one-line error


def _check_references(
    s: Scenario,
    p: Path,
    hubs: dict[str, Hub],
    intensity_ids: Collection[str] | None,
) -> None:
    def unknown(field: str, value: str, kind: str, valid: Iterable[str]) -> DataFileError:
        return unknown_value(p, field, value, kind, valid)

    hub_ids = set(hubs)
    for i, z in enumerate(s.zones):
        if z.id in hub_ids:
            raise DataFileError(p, "zone id equals a hub id", f"zones[{i}].id", z.id)
    unique_ids(p, ((f"zones[{i}].id", z.id) for i, z in enumerate(s.zones)), "zone")
    nodes = hub_ids | {z.id for z in s.zones}
    unique_ids(p, ((f"road_links[{i}].id", r.id) for i, r in enumerate(s.road_links)), "road link")
    unique_ids(p, ((f"services[{i}].id", v.id) for i, v in enumerate(s.services)), "service")
    unique_ids(p, ((f"demand[{i}].id", d.id) for i, d in enumerate(s.demand)), "demand")
    unique_ids(p, ((f"train_types[{i}].id", t.id) for i, t in enumerate(s.train_types)), "train")
    unique_ids(
        p, ((f"vessel_classes[{i}].id", v.id) for i, v in enumerate(s.vessel_classes)), "vessel"
    )
    unique_ids(
        p, ((f"disruptions[{i}].id", d.id) for i, d in enumerate(s.disruptions)), "disruption"
    )
    unique_ids(
        p, ((f"hub_resources[{i}].hub", r.hub) for i, r in enumerate(s.hub_resources)), "hub"
    )

    resources = {r.hub for r in s.hub_resources}
    for i, r in enumerate(s.hub_resources):
        if r.hub not in hub_ids:
            raise unknown(f"hub_resources[{i}].hub", r.hub, "hub of this scenario", hub_ids)
    for hub_id in s.hubs:
        if hub_id not in resources:
            raise DataFileError(
                p, f"no [[hub_resources]] entry for hub {hub_id!r}", "hub_resources"
            )

    for i, link in enumerate(s.road_links):
        for end, node in (("from", link.from_), ("to", link.to)):
            if node not in nodes:
                raise unknown(f"road_links[{i}].{end}", node, "hub or zone", nodes)
    trains = {t.id: t for t in s.train_types}
    vessels = {v.id for v in s.vessel_classes}
    for i, t in enumerate(s.train_types):
        if t.capacity_teu <= 0:
            raise DataFileError(
                p, "leaves no room for a wagon after the locomotive", f"train_types[{i}]", t.id
            )
    for i, v in enumerate(s.services):
        for end, node in (("from", v.from_), ("to", v.to)):
            if node not in hub_ids:
                raise unknown(f"services[{i}].{end}", node, "hub of this scenario", hub_ids)
        if v.train_type is not None and v.train_type not in trains:
            raise unknown(f"services[{i}].train_type", v.train_type, "train type", trains)
        if v.vessel_class is not None and v.vessel_class not in vessels:
            raise unknown(f"services[{i}].vessel_class", v.vessel_class, "vessel class", vessels)
        if v.draught_limit is not None or v.locks or v.border_crossing is not None:
            physics = load_physics()
            lock_ids = {e.id for e in physics.lock}
            physics_refs: list[tuple[str, str, set[str], str]] = [
                (f"locks[{j}]", lock, lock_ids, "lock") for j, lock in enumerate(v.locks)
            ]
            if v.border_crossing is not None:
                physics_refs.append(
                    (
                        "border_crossing",
                        v.border_crossing,
                        {e.id for e in physics.border_crossing},
                        "border crossing",
                    )
                )
            if v.draught_limit is not None:
                physics_refs += [
                    (
                        "draught_limit.section",
                        v.draught_limit.section,
                        {e.id for e in physics.waterway_section},
                        "waterway section",
                    ),
                    (
                        "draught_limit.vessel_class",
                        v.draught_limit.vessel_class,
                        {e.id for e in physics.vessel_class},
                        "vessel class",
                    ),
                ]
            for name, value, known, what in physics_refs:
                if value not in known:
                    raise unknown(
                        f"services[{i}].{name}", value, f"{what} of the physics file", known
                    )
            crossing = {e.id: e for e in physics.border_crossing}.get(v.border_crossing or "")
            rule = crossing.direction_rule(v.border_direction) if crossing else None
            if rule is not None:
                raise DataFileError(p, rule, f"services[{i}].border_direction", v.border_direction)

    links = {r.id: r for r in s.road_links}
    services = {v.id: v for v in s.services}
    check_reverse_flows(s, p)
    for i, d in enumerate(s.demand):
        for end, node in (("from", d.from_), ("to", d.to)):
            if node not in nodes:
                raise unknown(f"demand[{i}].{end}", node, "hub or zone", nodes)
        if d.from_ == d.to:
            raise DataFileError(p, "origin and destination must differ", f"demand[{i}].to", d.to)
        unique_ids(
            p, ((f"demand[{i}].routes[{j}].name", r.name) for j, r in enumerate(d.routes)), "route"
        )
        total = math.fsum(r.share.value for r in d.routes)
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise DataFileError(
                p, "route shares must sum to 1", f"demand[{i}].routes.share", round(total, 9)
            )
        for j, route in enumerate(d.routes):
            at = d.from_
            for k, leg in enumerate(route.legs):
                field = f"demand[{i}].routes[{j}].legs[{k}]"
                if leg.road is not None:
                    road = links.get(leg.road)
                    if road is None:
                        raise unknown(f"{field}.road", leg.road, "road link", links)
                    if road.from_ == at:
                        at = road.to
                    elif road.two_way and road.to == at:
                        at = road.from_
                    else:
                        raise DataFileError(
                            p, f"does not start at {at!r}, where the previous leg ends",
                            f"{field}.road", leg.road,
                        )  # fmt: skip
                    if road.truck_capacity_teu == 1 and d.box_40ft_share.value > 0:
                        raise DataFileError(
                            p, "a 1-TEU truck cannot carry the OD's 40' boxes",
                            f"{field}.road", leg.road,
                        )  # fmt: skip
                else:
                    assert leg.service is not None
                    svc = services.get(leg.service)
                    if svc is None:
                        raise unknown(f"{field}.service", leg.service, "service", services)
                    if svc.from_ != at:
                        raise DataFileError(
                            p, f"does not start at {at!r}, where the previous leg ends",
                            f"{field}.service", leg.service,
                        )  # fmt: skip
                    at = svc.to
            if at != d.to:
                raise DataFileError(
                    p, f"route ends at {at!r}, not at the destination {d.to!r}",
                    f"demand[{i}].routes[{j}].legs", route.name,
                )  # fmt: skip

    for i, x in enumerate(s.disruptions):
        if x.start_h >= s.horizon_h:
            raise DataFileError(
                p, f"starts after the horizon ({s.horizon_h:g} h)", f"disruptions[{i}].start_h",
                x.start_h,
            )  # fmt: skip
        if x.service is not None and x.service not in services:
            raise unknown(f"disruptions[{i}].service", x.service, "service", services)
        if x.road_link is not None and x.road_link not in links:
            raise unknown(f"disruptions[{i}].road_link", x.road_link, "road link", links)

    check_background(
        p, s.background_hub_flows, s.background_service_flows, hub_ids, services, s.hub_resources
    )
    check_terminal(p, s, hubs)

    if intensity_ids is not None:
        checks = [
            (f"road_links[{i}].intensity_id", r.intensity_id) for i, r in enumerate(s.road_links)
        ]
        checks += [
            (f"services[{i}].intensity_id", v.intensity_id) for i, v in enumerate(s.services)
        ]
        checks += [
            (f"hub_resources[{i}].handling_intensity_id", r.handling_intensity_id)
            for i, r in enumerate(s.hub_resources)
            if r.handling_intensity_id is not None
        ]
        for field, value in checks:
            if value not in intensity_ids:
                raise unknown(
                    field,
                    value,
                    f"emission intensity id of pack {s.emission_pack!r}",
                    intensity_ids,
                )


def check_scenario(
    scenario: Scenario,
    path: str | Path,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """Load the hubs of an already validated scenario and run the cross-reference checks.

    The same checks as :func:`load_scenario` except the ``id`` = file name rule, for a
    scenario built in memory (a resolved variant, see :mod:`freighthub.model.variant`).

    Parameters
    ----------
    scenario
        The validated scenario.
    path
        The file errors are reported against (the variant file).
    hubs_dir, intensity_ids
        As for :func:`load_scenario`.

    Raises
    ------
    DataFileError
        For an unknown hub or any broken reference (see :func:`load_scenario`).
    """
    p = Path(path)
    folder = Path(hubs_dir) if hubs_dir is not None else data_dir("hubs")
    available = sorted(f.stem for f in folder.glob("*.toml")) if folder.is_dir() else []
    hubs: dict[str, Hub] = {}
    hub_paths: dict[str, Path] = {}
    for i, hub_id in enumerate(scenario.hubs):
        if hub_id in hubs:
            raise DataFileError(p, "lists a hub twice", f"hubs[{i}]", hub_id)
        hub_file = folder / f"{hub_id}.toml"
        if not hub_file.is_file():
            raise DataFileError(
                p,
                f"unknown hub (no {hub_file}); valid: {', '.join(available) or '(none)'}",
                f"hubs[{i}]",
                hub_id,
            )
        hubs[hub_id] = load_hub(hub_file)
        hub_paths[hub_id] = hub_file
    if any(x.network_route for x in scenario.services) or any(
        x.network_route for x in scenario.road_links
    ):
        from freighthub.network.scenario import distances_from_network

        scenario = distances_from_network(scenario, p, folder)
    _check_references(scenario, p, hubs, intensity_ids)
    return LoadedScenario(scenario=scenario, hubs=hubs, path=p, hub_paths=hub_paths)


def pack_reference_ids(pack: FactorPack) -> set[str]:
    """Every id a scenario may reference in a factor pack: intensities and hub operations."""
    return set(intensity_ids(pack)) | set(hub_category_ids(pack))


def load_scenario_with_pack(
    path: str | Path,
    hubs_dir: str | Path | None = None,
    pack: str | Path | FactorPack | None = None,
) -> tuple[LoadedScenario, FactorPack]:
    """Load a scenario with its emission factor pack, checking its intensity ids against it.

    Parameters
    ----------
    path, hubs_dir
        As for :func:`load_scenario`.
    pack
        Emission factor pack (id, path or loaded pack); default: the scenario's
        ``emission_pack``.

    Raises
    ------
    DataFileError
        For an invalid scenario or hub file (see :func:`load_scenario`), or a scenario
        without ``emission_pack`` when no ``pack`` is given.
    UnknownIdentifierError
        For an unknown factor pack.
    """
    p = Path(path)
    if isinstance(pack, FactorPack):
        factor_pack = pack
    else:
        ref = pack
        if ref is None:
            ref = load_scenario(p, hubs_dir).scenario.emission_pack
            if ref is None:
                raise DataFileError(
                    p,
                    "required to compute emissions (or give a factor pack with the command)",
                    "emission_pack",
                )
            try:
                factor_pack = load_factor_pack(ref)
            except UnknownIdentifierError as exc:
                raise unknown_in_file(exc, p, "emission_pack") from None
        else:
            factor_pack = load_factor_pack(ref)
    loaded = load_scenario(p, hubs_dir, intensity_ids=pack_reference_ids(factor_pack))
    return loaded, factor_pack
