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

from freighthub.errors import DataFileError
from freighthub.model.files import id_is_file_name, read_toml, validate
from freighthub.model.scenario import LoadedScenario, check_scenario, load_scenario
from freighthub.model.scenario_schema import Scenario
from freighthub.model.variant_ops import ScenarioDraft, apply_operations
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

    Each operation edits the typed scenario (``model_copy`` of the items it
    changes); the result is validated once by the scenario's own rules, on the
    changed items only, then cross-checked as a scenario file is
    (:func:`freighthub.model.scenario.check_scenario`).

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
    scenario, changes = apply_operations(base.scenario, variant, p)
    return check_scenario(scenario, p, hubs_dir, intensity_ids), tuple(changes)


def with_route_shares(
    loaded: LoadedScenario,
    shares: dict[str, float],
    source: str,
    hubs_dir: str | Path | None = None,
    intensity_ids: Collection[str] | None = None,
) -> LoadedScenario:
    """The scenario with new route shares (by ``"<od id>/<route name>"``), re-checked.

    Routes not in ``shares`` keep theirs; each OD's shares are normalised to sum to 1
    (they come from a logit, so only rounding is removed) and take ``source``.

    Raises
    ------
    DataFileError
        If the result fails a scenario check.
    """
    draft = ScenarioDraft()
    demand = []
    for dem in loaded.scenario.demand:
        new = [shares.get(f"{dem.id}/{r.name}", r.share.value) for r in dem.routes]
        total = math.fsum(new)
        routes = tuple(
            draft.reshared(r, s / total, source) for r, s in zip(dem.routes, new, strict=True)
        )
        demand.append(draft.copy(dem, routes=routes))
    scenario = draft.validated(draft.copy(loaded.scenario, demand=tuple(demand)), loaded.path)
    return check_scenario(scenario, loaded.path, hubs_dir, intensity_ids)
