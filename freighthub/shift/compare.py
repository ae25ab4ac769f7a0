"""Baseline versus variant: paired replications with common random numbers.

:func:`compare_scenarios` resolves both files, simulates each with the same seed and
replications (replication ``r`` of both draws from the same streams, so only the
change differs) and reports, for every figure of
:class:`freighthub.sim.summary.Summary` plus per-TEU figures, the base and variant
means and the mean of the paired differences with its 95 % t-interval. An unchanged
variant gives exactly zero deltas.

It also names the bottleneck (the hub or service with the highest utilisation,
then the most boxes left behind) and, per service, the TEU routed over it versus
the capacity offered, the boxes left behind and the TEU still waiting for it at the
horizon: a shift the network cannot carry is reported as such, never silently
absorbed.

Figures per TEU divide by the TEU that arrived in the statistics window
(``arrived_teu``), the same population whose legs and costs are counted.

References
----------
Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §11.2 (common random
numbers) and §10.2.1 (paired-t confidence interval of a difference).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Literal

from freighthub.errors import DataFileError
from freighthub.model.files import read_toml
from freighthub.model.provenance import build_manifest
from freighthub.model.variant import load_variant_chain
from freighthub.shift.choice_summary import mode_choice_summary
from freighthub.shift.comparison import (
    Comparison,
    MetricDelta,
    Resource,
    RouteDelta,
    ServiceLoad,
)
from freighthub.shift.feedback import FeedbackReport, congestion_feedback
from freighthub.shift.resolve import ResolvedScenario, resolve_scenario
from freighthub.shift.service_loads import service_loads
from freighthub.sim.estimates import ExperimentResult, combine
from freighthub.sim.experiment import Progress, run_network
from freighthub.sim.network import Engine
from freighthub.sim.operator_costs import service_operator_costs
from freighthub.sim.routes import route_info
from freighthub.sim.run_estimate import (
    Figure,
    RouteFigure,
    RunEstimate,
    per_teu,
    with_per_teu_figures,
)
from freighthub.sim.summary import Summary

__all__ = [
    "BaseRuns",
    "Comparison",
    "Figure",
    "MetricDelta",
    "Resource",
    "RouteDelta",
    "RouteFigure",
    "RunEstimate",
    "ServiceLoad",
    "check_base",
    "compare_resolved",
    "compare_scenarios",
    "compare_variant",
    "paired_trees",
]


def _difference(base: Any, variant: Any) -> Any:
    """One replication's ``variant - base``, figure by figure, shaped as the summaries.

    A mapping keeps the keys both have (in the base's order); an optional part
    (``terminal``) is ``None`` unless both have it; a flag is true if true in both.
    """
    if base is None or variant is None:
        return None
    if isinstance(base, bool):
        return base and variant
    if isinstance(base, (int, float)):
        return variant - base
    if isinstance(base, dict):
        return {k: _difference(v, variant[k]) for k, v in base.items() if k in variant}
    return replace(
        base,
        **{
            f.name: _difference(getattr(base, f.name), getattr(variant, f.name))
            for f in fields(base)
        },
    )


def paired_trees(
    base: Sequence[Summary], variant: Sequence[Summary]
) -> tuple[RunEstimate, RunEstimate, RunEstimate]:
    """Base, variant and paired delta (variant - base, replication by replication).

    Replication ``r`` of ``base`` is paired with replication ``r`` of ``variant``
    (common random numbers); the delta holds the figures both runs have.

    Raises
    ------
    ValueError
        If the two have no replication or not the same number.
    """
    if len(base) != len(variant):
        raise ValueError(f"{len(base)} base and {len(variant)} variant replications: must pair")
    pb, pv = [per_teu(s) for s in base], [per_teu(s) for s in variant]
    deltas = [{k: y[k] - x[k] for k in x} for x, y in zip(pb, pv, strict=True)]
    diffs = [_difference(x, y) for x, y in zip(base, variant, strict=True)]
    return (
        with_per_teu_figures(combine(base), pb),
        with_per_teu_figures(combine(variant), pv),
        with_per_teu_figures(combine(diffs), deltas),
    )


def _route_deltas(
    b: ExperimentResult, v: ExperimentResult, trees: tuple[RunEstimate, ...]
) -> tuple[RouteDelta, ...]:
    """Routes travelled in base or variant, paired where both have boxes on them."""
    base, variant, delta = trees
    info = {**route_info(b.network), **route_info(v.network)}
    used_b = {k for k, e in base.routes.items() if e.arrived_teu.mean > 0}
    used_v = {k for k, e in variant.routes.items() if e.arrived_teu.mean > 0}
    order = [*base.routes, *(k for k in variant.routes if k not in base.routes)]
    out = []
    for rid in order:
        if rid not in used_b and rid not in used_v:
            continue
        only: Literal["", "base", "variant"] = (
            "" if rid in used_b and rid in used_v else ("base" if rid in used_b else "variant")
        )
        out.append(
            RouteDelta(
                id=rid,
                info=info[rid],
                base=base.routes[rid] if rid in used_b else None,
                variant=variant.routes[rid] if rid in used_v else None,
                delta=delta.routes[rid] if not only else None,
                only_in=only,
            )
        )
    return tuple(out)


def bottleneck(result: ExperimentResult, loads: tuple[ServiceLoad, ...]) -> Resource | None:
    """The hub or service with the highest mean utilisation (ties: most left behind)."""
    est = result.estimates
    candidates: list[Resource] = [
        Resource("hub", hub, h.utilisation.mean, 0.0)
        for hub, h in est.hubs.items()
        if math.isfinite(h.utilisation.mean)
    ]
    left = {x.service: x.left_behind_boxes for x in loads}
    candidates += [
        Resource("service", sid, s.utilisation.mean, left.get(sid, 0.0))
        for sid, s in est.services.items()
        if math.isfinite(s.utilisation.mean)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda x: (x.utilisation, x.left_behind_boxes))


def compare_resolved(
    base: ResolvedScenario,
    variant: ResolvedScenario,
    *,
    seed: int,
    replications: int,
    feedback_iterations: int = 0,
    feedback_tolerance: float = 1e-3,
    engine: Engine | None = None,
    progress: Progress | None = None,
    base_runs: BaseRuns | None = None,
    workers: int = 1,
) -> Comparison:
    """Compare two resolved scenarios (see :func:`compare_scenarios`).

    Raises
    ------
    ValueError
        If ``seed`` < 0, ``replications`` < 1, or feedback is asked for a variant
        without ``[mode_choice]``.
    """
    feedback: FeedbackReport | None = None
    variant_network = variant.network
    if feedback_iterations > 0:
        variant_network, feedback = congestion_feedback(
            variant, seed=seed, replications=replications, max_iterations=feedback_iterations,
            tolerance=feedback_tolerance, engine=engine,
        )  # fmt: skip
    base_progress, variant_progress = _halves(progress)
    key = _base_key(base, seed, replications, engine)
    b = base_runs.get(key) if base_runs is not None else None
    if b is None:
        b = run_network(
            base.network, base.pack, seed=seed, replications=replications, engine=engine,
            keep_runs=True, progress=base_progress, workers=workers,
        )  # fmt: skip
        if base_runs is not None:
            base_runs[key] = b
    elif base_progress is not None:
        base_progress(replications, replications)
    v = run_network(
        variant_network, base.pack, seed=seed, replications=replications, engine=engine,
        keep_runs=True, progress=variant_progress, workers=workers,
    )  # fmt: skip
    trees = paired_trees(b.summaries, v.summaries)
    loads_b, loads_v = service_loads(b), service_loads(v)
    residual = max((c.result.calibration_residual for c in variant.choices), default=math.nan)
    files = [*base.input_files, *(f for f in variant.input_files if f not in base.input_files)]
    return Comparison(
        base_id=base.loaded.scenario.id,
        variant_id=variant.loaded.scenario.id,
        seed=seed,
        replications=replications,
        pack_id=base.pack.id,
        base=trees[0],
        variant=trees[1],
        delta=trees[2],
        bottleneck_base=bottleneck(b, loads_b),
        bottleneck_variant=bottleneck(v, loads_v),
        services_base=loads_b,
        services_variant=loads_v,
        not_carried=tuple(x for x in loads_v if x.over_capacity or x.overloaded_months),
        routes=_route_deltas(b, v, trees),
        warnings=tuple(
            replace(w, message=f"{label} {scenario}: {w.message}")
            for label, scenario, run in (
                ("variant", variant.loaded.scenario.id, v),
                ("base", base.loaded.scenario.id, b),
            )
            for w in run.warnings
        ),
        changes=tuple(
            f"{c.file.name}: {c.field}: {_shown(c.before)} -> {_shown(c.after)}"
            for c in variant.changes
        ),
        calibration_residual=residual,
        feedback=feedback,
        manifest=build_manifest(files, seed=seed, replications=replications),
        mode_choice=(
            mode_choice_summary(variant.choices[-1], variant.network, base.pack)
            if variant.choices
            else None
        ),
        operators_base=service_operator_costs(base.network),
        operators_variant=service_operator_costs(variant_network),
    )


BaseRuns = dict[tuple[object, ...], ExperimentResult]
"""Base runs shared by the comparisons of one report (see :func:`compare_resolved`)."""


def _base_key(
    base: ResolvedScenario, seed: int, replications: int, engine: Engine | None
) -> tuple[object, ...]:
    """What a base run depends on: its input files, pack, seed, replications, engine.

    Replications draw from streams of (seed, replication) only, so two comparisons
    with the same base, seed and replications would simulate the same base runs.
    """
    files = tuple(sorted(str(Path(f).resolve()) for f in base.input_files))
    return (files, base.pack.id, seed, replications, engine)


def _shown(value: object) -> str:
    """A changed value for the record: 6 significant digits, '—' for added/removed.

    Language-neutral (no English word), since the report shows these lines as they are
    in both languages.
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def check_base(base_path: str | Path, variant_path: str | Path) -> None:
    """Refuse a base that is not in the variant's chain (its base or a file below it).

    A scenario file as ``variant_path`` (no ``base``) is compared with any base.

    Raises
    ------
    DataFileError
        If ``variant_path`` is a variant and ``base_path`` is none of the files its
        chain is built on (named with both ids and files).
    """
    chain = load_variant_chain(variant_path)
    if not chain.variants:
        return
    below = [chain.scenario_path, *(p for p, _ in chain.variants[:-1])]
    given = Path(base_path).resolve()
    if not given.is_file() or given in {p.resolve() for p in below}:
        return  # a missing base is reported by the loader
    vpath, variant = chain.variants[-1]
    own = below[-1]
    own_id = read_toml(own).get("id", own.stem)
    given_id = read_toml(given).get("id", given.stem)
    raise DataFileError(
        vpath,
        f"variant {variant.id!r} is built on {own_id!r} ({own}), not on {given_id!r} "
        f"({given}) given as the base: compare it with its base or a file below it in "
        "its chain",
        "base",
        variant.base,
    )


def _halves(progress: Progress | None) -> tuple[Progress | None, Progress | None]:
    """Split one ``progress(done, total)`` over the base's and the variant's replications."""
    if progress is None:
        return None, None
    report = progress

    def base(done: int, total: int) -> None:
        report(done, 2 * total)

    def variant(done: int, total: int) -> None:
        report(total + done, 2 * total)

    return base, variant


def compare_scenarios(
    base_path: str | Path,
    variant_path: str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    hubs_dir: str | Path | None = None,
    pack: str | Path | None = None,
    feedback_iterations: int = 0,
    engine: Engine | None = None,
    progress: Progress | None = None,
    base_runs: BaseRuns | None = None,
    workers: int = 1,
) -> Comparison:
    """Simulate a base and a variant with common random numbers and compare them.

    The one call behind ``freighthub compare`` and ``freighthub demo``.

    Parameters
    ----------
    base_path, variant_path
        Scenario or variant files.
    replications, seed
        Default: the base scenario's ``[experiment]`` values.
    hubs_dir
        Folder of hub files (default: the shipped ``hubs/``).
    pack
        Emission factor pack id or file (default: the base's ``emission_pack``); the
        variant is computed with the same pack.
    feedback_iterations
        If > 0, iterate the variant's mode choice with simulated times (at most this
        many times; see :mod:`freighthub.shift.feedback`).
    engine
        Engine to run (default :func:`freighthub.sim.engine.run`).
    progress
        Called as ``progress(done, total)`` after each replication, base then variant
        (``total`` = 2 x replications); for progress bars.
    base_runs
        A dict shared by several comparisons (a report's variants of one base): the
        base is simulated once per input files, pack, seed, replications and engine,
        and its runs reused (identical results, since replications draw from streams
        of the seed and replication only).
    workers
        Processes to run each side's replications in (identical results for any number).

    Raises
    ------
    DataFileError
        For any invalid file of either chain, or a variant whose chain does not hold
        ``base_path`` (its base, or a file below it): the message names both files
        and ids.
    UnknownIdentifierError
        For an unknown factor pack or mode-choice parameter id.
    ValueError
        If ``seed`` < 0 or ``replications`` < 1.
    """
    check_base(base_path, variant_path)
    base = resolve_scenario(base_path, hubs_dir=hubs_dir, pack=pack)
    variant = resolve_scenario(variant_path, hubs_dir=hubs_dir, pack=base.pack)
    experiment = base.loaded.scenario.experiment
    return compare_resolved(
        base,
        variant,
        seed=experiment.seed if seed is None else seed,
        replications=experiment.replications if replications is None else replications,
        feedback_iterations=feedback_iterations,
        engine=engine,
        progress=progress,
        base_runs=base_runs,
        workers=workers,
    )


def compare_variant(
    variant_path: str | Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    hubs_dir: str | Path | None = None,
    pack: str | Path | None = None,
    feedback_iterations: int = 0,
    engine: Engine | None = None,
    progress: Progress | None = None,
    base_runs: BaseRuns | None = None,
    workers: int = 1,
) -> Comparison:
    """Compare a variant with the file its ``base`` names (see :func:`compare_scenarios`).

    For ``freighthub demo``: ``compare_variant(data_dir("scenarios") / "variants" /
    "yangtze-shift-30pct-more-barges.toml", replications=2)``.

    Raises
    ------
    DataFileError
        If the file is not a variant (has no ``base``) or any file of the chain is
        invalid.
    """
    chain = load_variant_chain(variant_path)
    if not chain.variants:
        raise DataFileError(variant_path, "is a scenario, not a variant (no base)", "base")
    vpath, variant = chain.variants[-1]
    base_path = (vpath.parent / variant.base).resolve()
    return compare_scenarios(
        base_path,
        variant_path,
        replications=replications,
        seed=seed,
        hubs_dir=hubs_dir,
        pack=pack,
        feedback_iterations=feedback_iterations,
        engine=engine,
        progress=progress,
        base_runs=base_runs,
        workers=workers,
    )
