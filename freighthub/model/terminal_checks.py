"""Cross-checks of a scenario's terminal model (#19) against the rest of the scenario.

Split from :mod:`freighthub.model.terminal_schema` (the per-field rules) because the
checks read the whole :class:`~freighthub.model.scenario_schema.Scenario`; called by
:func:`freighthub.model.scenario.load_scenario`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from freighthub.errors import DataFileError
from freighthub.model.files import unique_ids, unknown_value
from freighthub.model.hub import Hub
from freighthub.model.scenario_schema import Scenario
from freighthub.model.terminal_schema import TerminalPool, on_duty_units
from freighthub.vocabulary import Mode, mode_facts

__all__ = ["check_terminal", "pool_units"]


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


def pool_units(pool: TerminalPool, hub: Hub) -> int | None:
    """Units of a pool: its own, else (a gate pool) the hub file's ``road.gate_lanes``;
    None when neither gives them."""
    if pool.units is not None:
        return pool.units.value
    lanes = hub.road.gate_lanes if hub.road is not None else None
    return lanes.value if lanes is not None else None


def check_terminal(p: Path, s: Scenario, hubs: Mapping[str, Hub]) -> None:
    """Cross-check the terminal model of a validated scenario.

    Raises
    ------
    DataFileError
        For a duplicate pattern or profile id, an unknown ``shift_pattern`` or
        ``arrival_profile``, a pool with 0 units (naming the transfer that needs it),
        or a pool that its shift pattern never puts on duty.
    """
    unique_ids(p, ((f"shift_patterns[{i}].id", x.id) for i, x in enumerate(s.shift_patterns)))
    unique_ids(p, ((f"arrival_profiles[{i}].id", x.id) for i, x in enumerate(s.arrival_profiles)))
    by_id = {x.id: x for x in s.shift_patterns}
    profiles = {x.id for x in s.arrival_profiles}
    for i, d in enumerate(s.demand):
        if d.arrival_profile is not None and d.arrival_profile not in profiles:
            raise unknown_value(
                p, f"demand[{i}].arrival_profile", d.arrival_profile, "arrival profile", profiles
            )
    road_ends = _road_ends(s) if any(r.pools for r in s.hub_resources) else set()
    for i, r in enumerate(s.hub_resources):
        for j, pool in enumerate(r.pools):
            field = f"hub_resources[{i}].pools[{j}]"
            units = pool_units(pool, hubs[r.hub])
            if units is None:
                raise DataFileError(
                    p, f"not given, and hub file {r.hub!r} gives no road.gate_lanes",
                    f"{field}.units",
                )  # fmt: skip
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
                raise unknown_value(
                    p, f"{field}.shift_pattern", pool.shift_pattern, "shift pattern", by_id
                )
            if all(on_duty_units(x.on_duty_share, units) == 0 for x in pattern.periods):
                raise DataFileError(
                    p,
                    f"shift pattern {pattern.id!r} never puts a unit of this {units}-unit pool on"
                    " duty (floor(share x units + 0.5) = 0 in every period)",
                    f"{field}.shift_pattern",
                    pool.shift_pattern,
                )
