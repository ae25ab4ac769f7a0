"""Resolve a scenario or variant file into a compiled network, applying the mode choice.

:func:`resolve_scenario` follows a variant's chain of bases down to its scenario,
applies each variant's structural changes (:func:`freighthub.model.variant.apply_variant`)
and, where a variant has ``[mode_choice]``, recomputes its route shares with the
logit calibrated on that variant's base (:mod:`freighthub.shift.choice`), under the
policy levers in force (merged along the chain). The result is a normal validated
scenario, its compiled network, the record of changes, and every input file (the
whole chain, hubs, mode-choice parameters and factor pack) for the manifest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from freighthub.emissions import FactorPack
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.elasticity_reference import load_elasticity_reference
from freighthub.model.files import sha256_of, unknown_in_file
from freighthub.model.mode_choice import ModeChoiceParameters, load_mode_choice_parameters
from freighthub.model.scenario import (
    LoadedScenario,
    load_scenario_with_pack,
    pack_reference_ids,
)
from freighthub.model.variant import (
    Change,
    Policy,
    Variant,
    apply_variant,
    load_variant_chain,
    merge_policy,
    with_route_shares,
)
from freighthub.shift.attributes import Levers, route_attributes
from freighthub.shift.choice import ChoiceParameters, ChoiceResult, choose_route_shares
from freighthub.shift.logit import CalibrationError
from freighthub.sim.compiler import compile_network
from freighthub.sim.network import CompiledNetwork

__all__ = [
    "ChoiceStep",
    "ResolvedScenario",
    "VariantStep",
    "apply_variant_step",
    "apply_variants",
    "choice_parameters",
    "levers",
    "resolve_scenario",
    "unique_paths",
]


def levers(policy: Policy) -> Levers:
    """The policy levers of a variant as plain numbers."""
    by_mode: dict[str, float] = {}
    by_service: dict[str, float] = {}
    for s in policy.subsidies:
        if s.mode is not None:
            by_mode[s.mode] = s.cny_per_teu.value
        elif s.service is not None:
            by_service[s.service] = s.cny_per_teu.value
    return Levers(
        carbon_price_cny_per_tco2e=(
            policy.carbon_price_cny_per_tco2e.value if policy.carbon_price_cny_per_tco2e else 0.0
        ),
        road_toll_cny_per_vehicle_km=(
            policy.road_toll_cny_per_vehicle_km.value
            if policy.road_toll_cny_per_vehicle_km
            else 0.0
        ),
        subsidy_cny_per_teu_by_mode=by_mode,
        subsidy_cny_per_teu_by_service=by_service,
    )


def _target_value(params: ModeChoiceParameters) -> float | None:
    t = params.target_road_own_price_elasticity
    return None if t is None else t.value


def segment_values_of_time(params: ModeChoiceParameters) -> dict[str, float]:
    """Value of time by commodity segment of a parameter file [CNY/(TEU·h)]."""
    return {k: v.value for k, v in params.value_of_time_by_segment.items()}


def choice_parameters(params: ModeChoiceParameters) -> ChoiceParameters:
    """The logit parameters of a parameter file as plain numbers (the range of its
    ``elasticity_reference``, if any, bounds the calibrated coefficient)."""
    bounds = None
    if params.elasticity_reference is not None and params.target_road_own_price_elasticity:
        ref, _ = load_elasticity_reference(params.elasticity_reference)
        bounds = (ref.range_low.value, ref.range_high.value)
    beta, target = params.cost_coefficient_per_cny, params.target_road_own_price_elasticity
    return ChoiceParameters(
        cost_coefficient_per_cny=None if beta is None else beta.value,
        nested=params.model == "nested",
        intermodal_nest_scale=params.intermodal_nest_scale.value,
        road_nest_scale=params.road_nest_scale.value,
        target_road_price_elasticity=None if target is None else target.value,
        elasticity_bounds=bounds,
    )


@dataclass(frozen=True)
class ChoiceStep:
    """A mode choice applied by one variant of the chain (kept for congestion feedback).

    Attributes
    ----------
    variant_path
        The variant file with ``[mode_choice]``.
    parameters, parameters_path
        The mode-choice parameters and their file.
    base_network, base_levers
        The network and levers the constants were calibrated on.
    variant_levers
        The levers in force after the variant.
    result
        Predicted shares, constants and calibration residual.
    """

    variant_path: Path
    parameters: ModeChoiceParameters
    parameters_path: Path
    base_network: CompiledNetwork
    base_levers: Levers
    variant_levers: Levers
    result: ChoiceResult


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario or resolved variant, ready to simulate.

    Attributes
    ----------
    loaded
        The validated scenario (for a variant: its id and name, all changes applied).
    network
        The compiled network.
    pack
        The emission factor pack.
    policy
        Policy levers in force (merged along the chain).
    changes
        What every variant of the chain changed, in order.
    chain
        Scenario file, then each variant file.
    choices
        The mode-choice steps of the chain, in order.
    input_files
        Every file read: the chain, the hubs, mode-choice parameters, factor pack.
    """

    loaded: LoadedScenario
    network: CompiledNetwork
    pack: FactorPack
    policy: Policy
    changes: tuple[Change, ...]
    chain: tuple[Path, ...]
    choices: tuple[ChoiceStep, ...]
    input_files: tuple[Path, ...]


def predict_shares(
    base_network: CompiledNetwork,
    variant_network: CompiledNetwork,
    pack: FactorPack,
    params: ModeChoiceParameters,
    base_levers: Levers,
    variant_levers: Levers,
    base_simulated: dict[str, tuple[float, float]] | None = None,
    variant_simulated: dict[str, tuple[float, float]] | None = None,
) -> ChoiceResult:
    """Calibrate on the base network's shares and predict the variant network's shares."""
    vot = params.value_of_time_cny_per_teu_h.value
    vor = params.value_of_reliability_cny_per_teu_h.value
    by_segment = segment_values_of_time(params)
    base_attrs = route_attributes(
        base_network, pack, base_levers, vot, vor, base_simulated, by_segment
    )
    variant_attrs = route_attributes(
        variant_network, pack, variant_levers, vot, vor, variant_simulated, by_segment
    )
    base_shares = {
        rid: float(s)
        for rid, s in zip(base_network.routes.ids, base_network.routes.share, strict=True)
    }
    volumes = {
        od_id: float(v)
        for od_id, v in zip(base_network.demand.ids, base_network.demand.teu_per_year, strict=True)
    }
    return choose_route_shares(
        base_attrs, base_shares, variant_attrs, choice_parameters(params), volumes
    )


@dataclass(frozen=True)
class VariantStep:
    """One variant applied to a loaded scenario (see :func:`apply_variant_step`).

    Attributes
    ----------
    loaded, policy
        The scenario and the policy levers in force after the variant.
    changes
        The variant's structural changes, in order.
    share_changes
        The route shares its mode choice changed (none without ``[mode_choice]``).
    choice
        The mode-choice step, or ``None`` without ``[mode_choice]``.
    choice_source
        How the shares were set: ``mode choice <id> calibrated on <base id>``.
    """

    loaded: LoadedScenario
    policy: Policy
    changes: tuple[Change, ...]
    share_changes: tuple[Change, ...]
    choice: ChoiceStep | None
    choice_source: str | None


def apply_variant_step(
    loaded: LoadedScenario,
    policy: Policy,
    variant: Variant,
    where: Path,
    pack: FactorPack,
    *,
    hubs_dir: str | Path | None = None,
    mode_choice_dir: str | Path | None = None,
) -> VariantStep:
    """Apply one variant: structural changes, merged policy, then its mode choice.

    The step :func:`resolve_scenario` takes for each variant of a chain, and a sweep
    for each variant of a cell.

    Parameters
    ----------
    loaded, policy
        The scenario and the policy levers in force before the variant.
    variant, where
        The variant and the file its errors are reported against.
    pack
        Emission factor pack (for the intensity ids and the logit's emissions).
    hubs_dir, mode_choice_dir
        As for :func:`resolve_scenario`.

    Raises
    ------
    DataFileError
        For a change naming something the scenario does not have, or an invalid result.
    UnknownIdentifierError
        For an unknown mode-choice parameter id.
    """
    ids = pack_reference_ids(pack)
    new_loaded, made = apply_variant(loaded, variant, where, hubs_dir, ids)
    new_policy = merge_policy(policy, variant.policy)
    if variant.mode_choice is None:
        return VariantStep(new_loaded, new_policy, tuple(made), (), None, None)
    try:
        params, ppath = load_mode_choice_parameters(variant.mode_choice.parameters, mode_choice_dir)
    except UnknownIdentifierError as exc:
        raise unknown_in_file(exc, where, "mode_choice.parameters") from None
    base_network = compile_network(loaded)
    try:
        result = predict_shares(
            base_network,
            compile_network(new_loaded),
            pack,
            params,
            levers(policy),
            levers(new_policy),
        )
    except CalibrationError as exc:
        beta = params.cost_coefficient_per_cny
        raise DataFileError(
            ppath,
            f"the route constants cannot be calibrated with these parameters ({exc}); the"
            " utilities differ by more than floating point resolves: use a smaller coefficient",
            "cost_coefficient_per_cny" if beta else "target_road_own_price_elasticity",
            beta.value if beta else _target_value(params),
        ) from None
    except ValueError as exc:
        if "value_of_time_by_segment" in str(exc):
            raise DataFileError(where, str(exc), "mode_choice.parameters", params.id) from None
        if params.target_road_own_price_elasticity is None:
            raise
        raise DataFileError(
            ppath, str(exc), "target_road_own_price_elasticity", _target_value(params)
        ) from None
    before = {
        f"{d.id}/{r.name}": r.share.value for d in new_loaded.scenario.demand for r in d.routes
    }
    source = f"mode choice {params.id} calibrated on {loaded.scenario.id}"
    new_loaded = with_route_shares(new_loaded, result.shares, source, hubs_dir, ids)
    share_changes = tuple(
        Change(where, f"demand.{rid}.share", before.get(rid), share)
        for rid, share in result.shares.items()
        if abs(share - before.get(rid, -1.0)) > 1e-12
    )
    step = ChoiceStep(
        where, params, ppath, base_network, levers(policy), levers(new_policy), result
    )
    return VariantStep(new_loaded, new_policy, tuple(made), share_changes, step, source)


def apply_variants(
    loaded: LoadedScenario,
    policy: Policy,
    variants: Iterable[tuple[Path, Variant]],
    pack: FactorPack,
    *,
    hubs_dir: str | Path | None = None,
    mode_choice_dir: str | Path | None = None,
) -> Iterator[VariantStep]:
    """Apply ``(file, variant)`` pairs in order, each to the result of the one before.

    The fold of :func:`apply_variant_step` that :func:`resolve_scenario` runs over a
    variant chain and a sweep over a cell's variants. Steps are yielded as they are
    made, so a caller keeps the steps before one that fails.

    Parameters
    ----------
    loaded, policy
        The scenario and the policy levers in force before the first variant.
    variants
        The variants with the file each one's errors are reported against.
    pack, hubs_dir, mode_choice_dir
        As for :func:`apply_variant_step`.

    Raises
    ------
    DataFileError, UnknownIdentifierError
        As :func:`apply_variant_step`, for the first variant that fails.
    """
    for where, variant in variants:
        step = apply_variant_step(
            loaded,
            policy,
            variant,
            where,
            pack,
            hubs_dir=hubs_dir,
            mode_choice_dir=mode_choice_dir,
        )
        yield step
        loaded, policy = step.loaded, step.policy


def resolve_scenario(
    path: str | Path,
    *,
    hubs_dir: str | Path | None = None,
    pack: str | Path | FactorPack | None = None,
    mode_choice_dir: str | Path | None = None,
) -> ResolvedScenario:
    """Resolve a scenario or variant file (see the module docstring).

    Parameters
    ----------
    path
        A scenario file or a variant file.
    hubs_dir
        Folder of hub files (default: the shipped ``hubs/``).
    pack
        Emission factor pack (id, path or loaded pack); default: the scenario's
        ``emission_pack``.
    mode_choice_dir
        Folder of mode-choice parameter files (default ``standards/mode-choice/``).

    Raises
    ------
    DataFileError
        For an invalid file anywhere in the chain, a cycle, an unknown base, a change
        naming something the base does not have, or a scenario without
        ``emission_pack`` when no ``pack`` is given.
    UnknownIdentifierError
        For an unknown factor pack or mode-choice parameter id.
    """
    chain = load_variant_chain(path)
    loaded, factor_pack = load_scenario_with_pack(chain.scenario_path, hubs_dir, pack)
    policy = Policy()
    changes: list[Change] = []
    steps: list[ChoiceStep] = []
    for applied in apply_variants(
        loaded,
        policy,
        chain.variants,
        factor_pack,
        hubs_dir=hubs_dir,
        mode_choice_dir=mode_choice_dir,
    ):
        changes.extend(applied.changes)
        changes.extend(applied.share_changes)
        if applied.choice is not None:
            steps.append(applied.choice)
        loaded, policy = applied.loaded, applied.policy
    files = unique_paths(
        [
            *chain.files,
            *loaded.hub_paths.values(),
            *(step.parameters_path for step in steps),
            *(Path(f) for f in factor_pack.files),
        ]
    )
    network = dataclasses.replace(
        compile_network(loaded), input_sha256={str(f): sha256_of(f) for f in files}
    )
    return ResolvedScenario(
        loaded=loaded,
        network=network,
        pack=factor_pack,
        policy=policy,
        changes=tuple(changes),
        chain=tuple(chain.files),
        choices=tuple(steps),
        input_files=tuple(files),
    )


def unique_paths(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without repeats (the same file by its resolved path), first one kept
    as given: the files a run read, for its manifest."""
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        key = Path(p).resolve()
        if key not in seen:
            seen.add(key)
            out.append(Path(p))
    return out
