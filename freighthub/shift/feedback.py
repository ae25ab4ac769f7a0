"""Congestion feedback: iterate the mode choice with simulated door-to-door times (MSA).

The static choice estimates door-to-door time from the timetable (half a headway
of waiting, cut-off, travel and handling times). Congestion - crane queues, full
departures, boxes left behind - only shows in the simulation. The feedback loop:

1. simulate the base network; recalibrate the constants with the base's simulated
   mean and standard deviation of door-to-door time per route (so the base split is
   still reproduced exactly); the start ``x_0`` is the variant's choice with the
   base's simulated times;
2. simulate the variant with shares ``x_{k-1}``, recompute the generalised costs with
   its simulated times, predict ``y_k``;
3. method of successive averages: ``x_k = x_{k-1} + (y_k - x_{k-1}) / (k + 1)``;
   the residual is ``max |y_k - x_{k-1}|``; stop when it is below the tolerance or
   after ``max_iterations`` (the report says which).

A box not delivered by the horizon counts with ``horizon - arrival`` (a lower bound
of its door-to-door time), so a route that cannot carry its demand looks slow.

References
----------
Sheffi, Y. (1985). *Urban Transportation Networks*, Prentice-Hall, §12.2 (method of
successive averages for stochastic equilibrium).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from freighthub.shift.choice import ChoiceResult
from freighthub.shift.resolve import ResolvedScenario, predict_shares
from freighthub.sim.experiment import ExperimentResult, run_network
from freighthub.sim.network import CompiledNetwork, Engine

__all__ = ["FeedbackReport", "congestion_feedback", "simulated_route_times"]


@dataclass(frozen=True)
class FeedbackReport:
    """Outcome of the congestion feedback.

    Attributes
    ----------
    iterations
        Iterations run [-].
    residuals
        ``max |y_k - x_{k-1}|`` of each iteration [-].
    converged
        True if the last residual is at most the tolerance.
    tolerance
        The tolerance asked for [-].
    result
        The last choice (shares ``x_K`` after averaging are in ``shares``).
    shares
        Final route shares [0-1].
    """

    iterations: int
    residuals: tuple[float, ...]
    converged: bool
    tolerance: float
    result: ChoiceResult | None
    shares: dict[str, float]


def simulated_route_times(result: ExperimentResult) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation of door-to-door time per route id [h], over replications.

    Counted boxes (arrived after the warm-up) by their assigned route; a box not
    delivered by the horizon counts with ``horizon - arrival``.
    """
    net = result.network
    times: dict[int, list[np.ndarray]] = {}
    for run in result.runs:
        a, r = run.arrivals, run.result
        counted = a.time_h >= net.warmup_h
        end = np.where(np.isnan(r.delivered_h), net.horizon_h, r.delivered_h)
        d2d = (end - a.time_h)[counted]
        route = a.route[counted]
        for k in np.unique(route):
            times.setdefault(int(k), []).append(d2d[route == k])
    out: dict[str, tuple[float, float]] = {}
    for k, parts in times.items():
        x = np.concatenate(parts)
        if x.size:
            sd = float(np.std(x, ddof=1)) if x.size > 1 else 0.0
            out[net.routes.ids[k]] = (float(np.mean(x)), sd)
    return out


def _with_shares(network: CompiledNetwork, shares: dict[str, float]) -> CompiledNetwork:
    share = np.array(
        [
            shares.get(rid, float(s))
            for rid, s in zip(network.routes.ids, network.routes.share, strict=True)
        ]
    )
    for od in np.unique(network.routes.od):
        mine = network.routes.od == od
        share[mine] = share[mine] / share[mine].sum()
    return dataclasses.replace(network, routes=dataclasses.replace(network.routes, share=share))


def congestion_feedback(
    resolved: ResolvedScenario,
    *,
    seed: int,
    replications: int,
    max_iterations: int,
    tolerance: float = 1e-3,
    engine: Engine | None = None,
) -> tuple[CompiledNetwork, FeedbackReport]:
    """Iterate the last mode choice of a resolved variant with simulated times (MSA).

    Parameters
    ----------
    resolved
        A resolved variant whose last chain step has ``[mode_choice]``.
    seed, replications
        Of the simulations inside the loop (common random numbers throughout).
    max_iterations
        Bound on the iterations [-], >= 1.
    tolerance
        Stop when ``max |y_k - x_{k-1}|`` is at most this [-].
    engine
        Engine to run (default :func:`freighthub.sim.engine.run`).

    Returns
    -------
    tuple
        The variant network with the final shares, and the report.

    Raises
    ------
    ValueError
        If ``max_iterations`` < 1 or the variant has no mode choice.
    """
    if max_iterations < 1:
        raise ValueError(f"max_iterations = {max_iterations}: must be >= 1")
    if not resolved.choices:
        raise ValueError("congestion feedback needs a variant with [mode_choice]")
    step = resolved.choices[-1]
    pack = resolved.pack
    base_sim = run_network(
        step.base_network, pack, seed=seed, replications=replications, engine=engine,
        keep_runs=True,
    )  # fmt: skip
    base_times = simulated_route_times(base_sim)
    # start from the choice with the base's simulated times (routes the variant keeps
    # get the base's congestion), consistent with the recalibrated constants
    shares = dict(
        predict_shares(
            step.base_network, resolved.network, pack, step.parameters, step.base_levers,
            step.variant_levers, base_times, base_times,
        ).shares
    )  # fmt: skip
    residuals: list[float] = []
    last: ChoiceResult | None = None
    network = resolved.network
    for k in range(1, max_iterations + 1):
        network = _with_shares(resolved.network, shares)
        sim = run_network(
            network, pack, seed=seed, replications=replications, engine=engine, keep_runs=True
        )
        last = predict_shares(
            step.base_network, network, pack, step.parameters, step.base_levers,
            step.variant_levers, base_times, simulated_route_times(sim),
        )  # fmt: skip
        residual = max(
            (abs(last.shares[rid] - shares.get(rid, 0.0)) for rid in last.shares), default=0.0
        )
        residuals.append(residual)
        if residual <= tolerance:
            break
        shares = {
            rid: shares.get(rid, 0.0) + (y - shares.get(rid, 0.0)) / (k + 1)
            for rid, y in last.shares.items()
        }
    network = _with_shares(resolved.network, shares)
    final = residuals[-1] if residuals else math.inf
    report = FeedbackReport(
        iterations=len(residuals),
        residuals=tuple(residuals),
        converged=final <= tolerance,
        tolerance=tolerance,
        result=last,
        shares=shares,
    )
    return network, report
