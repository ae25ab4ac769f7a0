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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from freighthub.errors import DataFileError
from freighthub.model.files import read_toml
from freighthub.model.provenance import build_manifest
from freighthub.model.variant import load_variant_chain
from freighthub.shift.choice_summary import mode_choice_summary
from freighthub.shift.feedback import FeedbackReport, congestion_feedback
from freighthub.shift.resolve import ResolvedScenario, resolve_scenario
from freighthub.sim.arrays import FloatArray
from freighthub.sim.demand import MONTH_DAYS
from freighthub.sim.estimates import (
    ExperimentResult,
    estimate,
    figure_unit,
    with_per_teu,
)
from freighthub.sim.experiment import Progress, run_network
from freighthub.sim.network import LEG_SERVICE, CompiledNetwork, Engine
from freighthub.sim.operator_costs import service_operator_costs
from freighthub.sim.routes import ROUTE_FIGURES, route_info
from freighthub.sim.summary import flatten, service_use
from freighthub.units import HOURS_PER_DAY

if TYPE_CHECKING:
    pass
from freighthub.shift.comparison import (
    Comparison,
    MetricDelta,
    Resource,
    RouteDelta,
    ServiceLoad,
)

__all__ = [
    "Comparison",
    "MetricDelta",
    "Resource",
    "RouteDelta",
    "ServiceLoad",
    "check_base",
    "compare_resolved",
    "compare_scenarios",
    "compare_variant",
]


def _flat_runs(result: ExperimentResult) -> list[dict[str, float]]:
    return [with_per_teu(flatten(s)) for s in result.summaries]


def _first_service_leg(network: CompiledNetwork) -> np.ndarray:
    r = network.routes
    first = np.full(r.n, -1, dtype=np.int64)
    for i in range(r.n):
        for g in range(int(r.leg_start[i]), int(r.leg_start[i + 1])):
            if r.leg_kind[g] == LEG_SERVICE:
                first[i] = int(r.leg_index[g])
                break
    return first


def _month_edges_h(horizon_h: float) -> FloatArray:
    """Calendar-month boundaries [h] from 0 up to and including ``horizon_h``."""
    month_h = np.array(MONTH_DAYS, dtype=np.float64) * HOURS_PER_DAY
    years = int(np.ceil(horizon_h / month_h.sum())) or 1
    edges = np.concatenate([[0.0], np.cumsum(np.tile(month_h, years))])
    return np.append(edges[edges < horizon_h], horizon_h)


def service_loads(result: ExperimentResult) -> tuple[ServiceLoad, ...]:
    """Per service: routed TEU, capacity, carried, left behind and waiting (means).

    Month by month (calendar months of the simulated year, within the statistics
    window) the TEU arriving at their origin on routes that use the service are
    compared with the capacity of the service's departures in the same month; a
    month with more routed than offered is listed in ``overloaded_months`` (months
    less than half inside the statistics window are not judged).
    """
    net = result.network
    r, svc = net.routes, net.services
    if not result.runs or svc.n == 0:
        return ()
    uses = service_use(net)
    first = _first_service_leg(net)
    n_legs = np.diff(r.leg_start)
    calendar = _month_edges_h(net.horizon_h)
    full = np.diff(calendar)
    edges = np.maximum(calendar, net.warmup_h)
    n_months = edges.size - 1
    routed_month = np.zeros((svc.n, n_months))
    left = np.zeros(svc.n)
    waiting = np.zeros(svc.n)
    for run in result.runs:
        a, e = run.arrivals, run.result
        counted = a.time_h >= net.warmup_h
        teu = a.teu.astype(np.float64)
        on = teu[counted][:, None] * uses[a.route[counted]]
        month = np.clip(
            np.searchsorted(edges, a.time_h[counted], side="right") - 1, 0, n_months - 1
        )
        for m in range(n_months):
            routed_month[:, m] += on[month == m].sum(axis=0)
        lb = counted & (e.left_behind > 0) & (first[e.route] >= 0)
        np.add.at(left, first[e.route[lb]], a.boxes[lb].astype(np.float64))
        stuck = np.flatnonzero(counted & np.isnan(e.delivered_h))
        for row in stuck:
            route = int(e.route[row])
            for j in range(int(n_legs[route])):
                if np.isnan(e.leg_departure_h[row, j]):
                    g = int(r.leg_start[route]) + j
                    if r.leg_kind[g] == LEG_SERVICE:
                        waiting[int(r.leg_index[g])] += teu[row]
                    break
    n = len(result.runs)
    out = []
    for k, sid in enumerate(svc.ids):
        cap = float(np.mean([s.services[sid].capacity_teu for s in result.summaries]))
        carried = float(np.mean([s.services[sid].teu for s in result.summaries]))
        routed = float(np.mean([s.services[sid].routed_teu for s in result.summaries]))
        dep, dep_cap = svc.departures_h[k], svc.capacity_teu[k]
        overloaded = []
        for m in range(n_months):
            if edges[m + 1] - edges[m] < full[m] / 2:
                continue  # less than half of the month in the statistics window
            in_month = (dep >= edges[m]) & (dep < edges[m + 1])
            if routed_month[k, m] / n > float(np.sum(dep_cap[in_month])):
                overloaded.append(m % 12 + 1)
        out.append(
            ServiceLoad(
                service=sid,
                routed_teu=routed,
                capacity_teu=cap,
                carried_teu=carried,
                left_behind_boxes=float(left[k] / n),
                waiting_teu_at_horizon=float(waiting[k] / n),
                over_capacity=bool(routed > cap),
                overloaded_months=tuple(overloaded),
            )
        )
    return tuple(out)


def _route_deltas(
    b: ExperimentResult,
    v: ExperimentResult,
    fb: list[dict[str, float]],
    fv: list[dict[str, float]],
) -> tuple[RouteDelta, ...]:
    """Routes travelled in base or variant, paired where both have boxes on them."""
    info = {**route_info(b.network), **route_info(v.network)}
    used_b = {k for k, e in b.estimates.routes.items() if e.arrived_teu.mean > 0}
    used_v = {k for k, e in v.estimates.routes.items() if e.arrived_teu.mean > 0}
    order = [*b.estimates.routes, *(k for k in v.estimates.routes if k not in b.estimates.routes)]
    nan = estimate([])
    out = []
    for rid in order:
        if rid not in used_b and rid not in used_v:
            continue
        figures = {}
        for name in ROUTE_FIGURES:
            key = f"routes.{rid}.{name}"
            unit = figure_unit(key)
            base = estimate([f.get(key, math.nan) for f in fb], unit) if rid in used_b else nan
            var = estimate([f.get(key, math.nan) for f in fv], unit) if rid in used_v else nan
            both = rid in used_b and rid in used_v
            delta = (
                estimate(
                    [
                        y.get(key, math.nan) - x.get(key, math.nan)
                        for x, y in zip(fb, fv, strict=True)
                    ],
                    unit,
                )
                if both
                else nan
            )
            figures[name] = MetricDelta(base=base, variant=var, delta=delta)
        only: Literal["", "base", "variant"] = (
            "" if rid in used_b and rid in used_v else ("base" if rid in used_b else "variant")
        )
        out.append(RouteDelta(id=rid, info=info[rid], figures=figures, only_in=only))
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
    b = run_network(
        base.network, base.pack, seed=seed, replications=replications, engine=engine,
        keep_runs=True, progress=base_progress,
    )  # fmt: skip
    v = run_network(
        variant_network, base.pack, seed=seed, replications=replications, engine=engine,
        keep_runs=True, progress=variant_progress,
    )  # fmt: skip
    fb, fv = _flat_runs(b), _flat_runs(v)
    keys_b, keys_v = list(fb[0]), list(fv[0])
    common = [k for k in keys_b if k in set(keys_v)]
    metrics = {
        k: MetricDelta(
            base=estimate([f[k] for f in fb], figure_unit(k)),
            variant=estimate([f[k] for f in fv], figure_unit(k)),
            delta=estimate([y[k] - x[k] for x, y in zip(fb, fv, strict=True)], figure_unit(k)),
        )
        for k in common
    }
    only_b = {k: estimate([f[k] for f in fb], figure_unit(k)) for k in keys_b if k not in metrics}
    only_v = {k: estimate([f[k] for f in fv], figure_unit(k)) for k in keys_v if k not in metrics}
    loads_b, loads_v = service_loads(b), service_loads(v)
    residual = max((c.result.calibration_residual for c in variant.choices), default=math.nan)
    files = [*base.input_files, *(f for f in variant.input_files if f not in base.input_files)]
    return Comparison(
        base_id=base.loaded.scenario.id,
        variant_id=variant.loaded.scenario.id,
        seed=seed,
        replications=replications,
        pack_id=base.pack.id,
        metrics=metrics,
        only_in_base=only_b,
        only_in_variant=only_v,
        bottleneck_base=bottleneck(b, loads_b),
        bottleneck_variant=bottleneck(v, loads_v),
        services_base=loads_b,
        services_variant=loads_v,
        not_carried=tuple(x for x in loads_v if x.over_capacity or x.overloaded_months),
        routes=_route_deltas(b, v, fb, fv),
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
    )
