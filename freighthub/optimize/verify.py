"""Verification of an LP plan in the simulation: the LP is the preview, the simulation the analysis.

The plan's route shares become a variant of the scenario
(:func:`freighthub.optimize.from_scenario.apply_plan`), which is compiled and
simulated with the same engine, seeds and factor pack as ``freighthub simulate``.
The comparison says where timetables and queues make the plan fall short: boxes
left behind by full departures, boxes still in the network at the horizon, boxes
diverted or held by full yards, queueing waits the LP does not see, and service
and hub utilisation in the simulation against the LP's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from freighthub.emissions import FactorPack
from freighthub.model.scenario import LoadedScenario
from freighthub.optimize.from_scenario import (
    apply_plan,
    handling_resource_id,
    service_resource_id,
)
from freighthub.optimize.results import ModeSplitPlan
from freighthub.sim.compiler import compile_network
from freighthub.sim.experiment import run_network
from freighthub.sim.network import Engine
from freighthub.units import KG_PER_T

__all__ = ["HubCheck", "ServiceCheck", "Verification", "verify_plan"]


@dataclass(frozen=True)
class ServiceCheck:
    """A timetabled service: the LP's plan against the simulation (per period).

    Attributes
    ----------
    service
        Service id.
    lp_teu, sim_teu
        TEU carried per period in the LP plan and in the simulation [TEU/period].
    lp_utilisation_share, sim_utilisation_share
        Carried / offered [0-1].
    """

    service: str
    lp_teu: float
    sim_teu: float
    lp_utilisation_share: float
    sim_utilisation_share: float


@dataclass(frozen=True)
class HubCheck:
    """A hub's handling pool: the LP's plan against the simulation.

    Attributes
    ----------
    hub
        Hub id.
    lp_utilisation_share, sim_utilisation_share
        Busy share of the handling servers [0-1].
    sim_mean_wait_h, sim_p95_wait_h
        Queueing wait before a move in the simulation [h]; the LP assumes none.
    sim_mean_yard_hold_h
        Mean time boxes were held outside a full yard [h].
    """

    hub: str
    lp_utilisation_share: float
    sim_utilisation_share: float
    sim_mean_wait_h: float
    sim_p95_wait_h: float
    sim_mean_yard_hold_h: float


@dataclass(frozen=True)
class Verification:
    """The LP plan run through the simulation (means over replications).

    Attributes
    ----------
    scenario_id
        Id of the simulated variant (``"<scenario>-lp"``).
    seed, replications
        Simulation seed and replications.
    period_h
        LP period [h]; ``*_teu`` and emissions below are per period.
    lp_teu, sim_arrived_teu, sim_delivered_teu
        TEU planned, arrived and delivered per period [TEU/period].
    sim_in_system_teu_share
        Share of arrived TEU still in the network at the horizon [0-1].
    sim_left_behind_boxes_share, sim_diverted_boxes_share
        Share of arrived boxes that missed at least one full departure, or were
        diverted to road by a full yard [0-1].
    lp_door_to_door_h, sim_door_to_door_h
        Mean door-to-door time: the LP's route durations weighted by its flows, and
        the simulation's [h].
    lp_emissions_tco2e_wtw, sim_emissions_tco2e_wtw
        WTW emissions per period [tCO2e/period].
    lp_teu_share_by_mode, sim_teu_share_by_mode
        Share of TEU by main mode [0-1].
    services, hubs
        Per service and per hub.
    findings
        Where the plan falls short, in words, most important first.
    """

    scenario_id: str
    seed: int
    replications: int
    period_h: float
    lp_teu: float
    sim_arrived_teu: float
    sim_delivered_teu: float
    sim_in_system_teu_share: float
    sim_left_behind_boxes_share: float
    sim_diverted_boxes_share: float
    lp_door_to_door_h: float
    sim_door_to_door_h: float
    lp_emissions_tco2e_wtw: float
    sim_emissions_tco2e_wtw: float
    lp_teu_share_by_mode: dict[str, float]
    sim_teu_share_by_mode: dict[str, float]
    services: tuple[ServiceCheck, ...]
    hubs: tuple[HubCheck, ...]
    findings: tuple[str, ...]


def _mean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return math.fsum(finite) / len(finite) if finite else math.nan


def verify_plan(
    loaded: LoadedScenario,
    plan: ModeSplitPlan,
    pack: FactorPack,
    *,
    seed: int | None = None,
    replications: int | None = None,
    durations_h: dict[str, float] | None = None,
    utilisation_gap_share: float = 0.05,
    engine: Engine | None = None,
) -> Verification:
    """Simulate the plan's route shares and compare with the LP.

    Parameters
    ----------
    loaded
        The scenario the plan was built from.
    plan
        The LP plan.
    pack
        Emission factor pack (the one the LP's emissions came from).
    seed, replications
        Override the scenario's ``[experiment]`` values.
    durations_h
        Route id -> door-to-door duration the LP used [h] (for the LP's mean).
    utilisation_gap_share
        A service whose simulated utilisation falls this far below the LP's is
        named in the findings [0-1].
    engine
        Simulation engine (default: :func:`freighthub.sim.engine.run`).

    Returns
    -------
    Verification
        The comparison and the findings.

    Raises
    ------
    KeyError
        If the plan does not come from this scenario.
    """
    variant = apply_plan(loaded, plan)
    network = compile_network(variant)
    seed_ = variant.scenario.experiment.seed if seed is None else seed
    reps = variant.scenario.experiment.replications if replications is None else replications
    result = run_network(network, pack, seed=seed_, replications=reps, engine=engine)
    summaries = result.summaries
    window_h = network.horizon_h - network.warmup_h
    per_period = plan.period_h / window_h

    arrived = _mean([s.arrived_teu for s in summaries]) * per_period
    delivered = _mean([s.delivered_teu for s in summaries]) * per_period
    in_system = _mean(
        [s.in_system_teu / s.arrived_teu if s.arrived_teu else 0.0 for s in summaries]
    )
    boxes = [max(s.arrived_boxes, 1) for s in summaries]
    left = _mean([s.left_behind_boxes / b for s, b in zip(summaries, boxes, strict=True)])
    diverted = _mean([s.diverted_boxes / b for s, b in zip(summaries, boxes, strict=True)])
    sim_d2d = _mean([s.door_to_door_mean_h for s in summaries])
    sim_em = _mean([s.emissions_kgco2e_wtw for s in summaries]) / KG_PER_T * per_period
    lp_total = math.fsum(f.volume_teu for f in plan.flows)
    lp_d2d = math.nan
    if durations_h and lp_total > 0:
        lp_d2d = math.fsum(f.volume_teu * durations_h[f.route] for f in plan.flows) / lp_total
    lp_share = {
        str(m): v / lp_total if lp_total > 0 else 0.0 for m, v in plan.volume_teu_by_mode.items()
    }
    modes = sorted(set(lp_share) | {k for s in summaries for k in s.modal_split_teu_share})
    sim_share = {m: _mean([s.modal_split_teu_share.get(m, 0.0) for s in summaries]) for m in modes}

    services = []
    for k, sid in enumerate(network.services.ids):
        use = plan.usage(service_resource_id(sid))
        sims = [s.services[sid] for s in summaries if sid in s.services]
        sim_teu = _mean([x.teu for x in sims]) * per_period
        services.append(
            ServiceCheck(
                service=sid,
                lp_teu=use.used,
                sim_teu=sim_teu,
                lp_utilisation_share=use.utilisation_share,
                sim_utilisation_share=_mean([x.utilisation for x in sims]),
            )
        )
        del k
    hubs = []
    for hid in network.hubs.ids:
        use = plan.usage(handling_resource_id(hid))
        sims_h = [s.hubs[hid] for s in summaries if hid in s.hubs]
        hubs.append(
            HubCheck(
                hub=hid,
                lp_utilisation_share=use.utilisation_share,
                sim_utilisation_share=_mean([x.utilisation for x in sims_h]),
                sim_mean_wait_h=_mean([x.mean_wait_h for x in sims_h]),
                sim_p95_wait_h=_mean([x.p95_wait_h for x in sims_h]),
                sim_mean_yard_hold_h=_mean([x.mean_yard_hold_h for x in sims_h]),
            )
        )
    findings = _findings(
        plan, services, hubs, arrived, delivered, in_system, left, diverted, lp_d2d, sim_d2d,
        lp_em=plan.emissions_tco2e_wtw, sim_em=sim_em, gap=utilisation_gap_share,
    )  # fmt: skip
    return Verification(
        scenario_id=variant.scenario.id,
        seed=seed_,
        replications=reps,
        period_h=plan.period_h,
        lp_teu=lp_total,
        sim_arrived_teu=arrived,
        sim_delivered_teu=delivered,
        sim_in_system_teu_share=in_system,
        sim_left_behind_boxes_share=left,
        sim_diverted_boxes_share=diverted,
        lp_door_to_door_h=lp_d2d,
        sim_door_to_door_h=sim_d2d,
        lp_emissions_tco2e_wtw=plan.emissions_tco2e_wtw,
        sim_emissions_tco2e_wtw=sim_em,
        lp_teu_share_by_mode=lp_share,
        sim_teu_share_by_mode=sim_share,
        services=tuple(services),
        hubs=tuple(hubs),
        findings=tuple(findings),
    )


def _pct(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.0%}"


def _findings(
    plan: ModeSplitPlan,
    services: list[ServiceCheck],
    hubs: list[HubCheck],
    arrived: float,
    delivered: float,
    in_system: float,
    left: float,
    diverted: float,
    lp_d2d: float,
    sim_d2d: float,
    *,
    lp_em: float,
    sim_em: float,
    gap: float,
) -> list[str]:
    out: list[str] = []
    if left > 0:
        out.append(
            f"{left:.1%} of the boxes missed at least one full departure: the LP spreads "
            "capacity evenly over the horizon, the timetable does not (cut-offs, peaks, "
            "disruptions)"
        )
    for s in sorted(services, key=lambda s: s.sim_utilisation_share - s.lp_utilisation_share):
        if np.isfinite(s.lp_utilisation_share) and (
            s.sim_utilisation_share < s.lp_utilisation_share - gap
        ):
            out.append(
                f"service {s.service}: the LP fills {_pct(s.lp_utilisation_share)} of its "
                f"capacity, the simulation {_pct(s.sim_utilisation_share)} "
                f"({s.lp_teu:,.0f} vs {s.sim_teu:,.0f} TEU per period)"
            )
    if in_system > 0:
        out.append(
            f"{in_system:.1%} of the arrived TEU are still in the network at the horizon "
            f"(delivered {delivered:,.0f} of {arrived:,.0f} TEU per period)"
        )
    if diverted > 0:
        out.append(f"{diverted:.1%} of the boxes were diverted to road by full yards")
    for h in sorted(hubs, key=lambda h: -np.nan_to_num(h.sim_mean_wait_h)):
        if h.sim_mean_yard_hold_h > 0:
            out.append(
                f"hub {h.hub}: boxes held {h.sim_mean_yard_hold_h:.1f} h on average outside a full yard"
            )
    waits = [h for h in hubs if np.isfinite(h.sim_mean_wait_h) and h.sim_mean_wait_h > 0]
    if waits:
        worst = max(waits, key=lambda h: h.sim_mean_wait_h)
        out.append(
            f"queues the LP does not see: mean handling wait {worst.sim_mean_wait_h:.2f} h "
            f"(p95 {worst.sim_p95_wait_h:.2f} h) at {worst.hub}, utilisation "
            f"{_pct(worst.sim_utilisation_share)} (LP {_pct(worst.lp_utilisation_share)})"
        )
    if np.isfinite(lp_d2d) and np.isfinite(sim_d2d):
        out.append(
            f"door-to-door time: LP {lp_d2d:,.1f} h (mean waits for departures), "
            f"simulation {sim_d2d:,.1f} h"
        )
    if lp_em > 0 and np.isfinite(sim_em):
        out.append(
            f"emissions: LP {lp_em:,.1f} tCO2e WTW per period, simulation {sim_em:,.1f} "
            f"({(sim_em - lp_em) / lp_em:+.1%})"
        )
    del plan
    return out
