"""Simulation results: throughput, waits, utilisation, modal split, door-to-door times,
the routes door to door (TEU, time, price and emissions per TEU, on time), emissions by
leg and hub (WTW and TTW), each as a mean with its 95 % interval.

Runs :func:`freighthub.sim.experiment.run_scenario` on the scenario the spec names.
"""

from __future__ import annotations

import math
from pathlib import Path

from freighthub.emissions.intensity import FactorPack, HubIntensity, TransportIntensity
from freighthub.model.factors import load_factor_pack
from freighthub.report.content import (
    BarChart,
    Block,
    Bullets,
    Cell,
    Contribution,
    Heading,
    KeyFigures,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    SourceEntry,
    Table,
    Text,
    estimate_cell,
    estimate_interval,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.hubs import hub_name
from freighthub.report.sections.simulation_flows import flow_map_blocks
from freighthub.report.sections.simulation_terminal import terminal_blocks, terminal_findings
from freighthub.sim.estimates import Estimate, ExperimentResult, SimulationWarning
from freighthub.sim.experiment import run_scenario
from freighthub.sim.routes import route_info
from freighthub.units import HOURS_PER_DAY, KG_PER_T
from freighthub.vocabulary import mode_ids

__all__ = ["build_simulation", "run_simulation"]


def run_simulation(inputs: ReportInputs) -> ExperimentResult:
    """Simulate the spec's scenario (seed and replications from the spec if given).

    Raises
    ------
    DataFileError, UnknownIdentifierError
        For an invalid scenario, hub file or factor pack.
    """
    spec = inputs.spec.simulation
    assert spec is not None
    return run_scenario(
        spec.scenario,
        seed=spec.seed,
        replications=spec.replications,
        hubs_dir=inputs.spec.hubs,
        pack=spec.pack,
        workers=inputs.workers,
    )


def _q(est: Estimate, unit: str, decimals: int, scale: float = 1.0) -> Quantity:
    return Quantity(est.mean / scale, unit, decimals)


def _name(inputs: ReportInputs, node_id: str) -> Param:
    hub = inputs.hub(node_id)
    return hub_name(hub) if hub is not None else node_id


def _sources(result: ExperimentResult, pack: FactorPack) -> list[SourceEntry]:
    """The pack's intensities the network uses: transport (1 decimal), then hub (2)."""
    net = result.network
    transport = (
        set(net.services.intensity_id) | set(net.road.intensity_id)
    ) & pack.transport.keys()
    hubs = set(net.hubs.handling_intensity_id) & pack.hubs.keys()
    return [
        *(_intensity_source(pack.id, i, pack.transport[i], 1) for i in sorted(transport)),
        *(_intensity_source(pack.id, i, pack.hubs[i], 2) for i in sorted(hubs)),
    ]


def _intensity_source(
    pack_id: str, ident: str, intensity: TransportIntensity | HubIntensity, decimals: int
) -> SourceEntry:
    """One cited intensity of the pack (WTW, in its own unit)."""
    return SourceEntry(
        pack_id,
        ident,
        Quantity(intensity.intensity_wtw, intensity.unit.value, decimals),
        intensity.provenance.source,
        intensity.provenance.confidence,
    )


def build_simulation(inputs: ReportInputs) -> Contribution | NotRun:
    """The simulation section, or not run when the spec has no ``[simulation]``."""
    spec = inputs.spec.simulation
    if spec is None:
        return NotRun(Text("not_run.no_simulation"))
    result = inputs.shared("simulation", lambda: run_simulation(inputs))
    est = result.estimates
    net = result.network
    pack = load_factor_pack(spec.pack or result.pack_id)
    days = Quantity((net.horizon_h - net.warmup_h) / HOURS_PER_DAY, "d", 0)
    blocks: list[Block] = [
        Paragraph(
            Text(
                "simulation.intro",
                {
                    "scenario": net.scenario_id,
                    "replications": Quantity(result.replications),
                    "seed": str(result.seed),
                    "days": days,
                    "warmup": Quantity(net.warmup_h / HOURS_PER_DAY, "d", 0),
                    "pack": result.pack_id,
                },
            )
        ),
        KeyFigures(
            (
                (Text("simulation.kf.throughput"), _q(est.throughput_teu, "teu", 0)),
                (Text("simulation.kf.door_to_door"), _q(est.door_to_door_mean_h, "h", 1)),
                (
                    Text("simulation.kf.wtw"),
                    _q(est.emissions_kgco2e_wtw, "tco2e", 0, KG_PER_T),
                ),
                (
                    Text("simulation.kf.waterway_share"),
                    _q(est.modal_split_teu_share["inland_waterway"], "share", 1)
                    if "inland_waterway" in est.modal_split_teu_share
                    else Quantity(0.0, "share", 1),
                ),
            )
        ),
    ]
    headline = (
        ("arrived_teu", est.arrived_teu, "teu", 0, 1.0),
        ("delivered_teu", est.delivered_teu, "teu", 0, 1.0),
        ("left_behind_boxes", est.left_behind_boxes, "boxes", 0, 1.0),
        ("throughput_t", est.throughput_t, "t", 0, 1.0),
        ("door_to_door_mean_h", est.door_to_door_mean_h, "h", 1, 1.0),
        ("door_to_door_p50_h", est.door_to_door_p50_h, "h", 1, 1.0),
        ("door_to_door_p95_h", est.door_to_door_p95_h, "h", 1, 1.0),
        ("cost_cny", est.cost_cny, "cny", 0, 1.0),
        ("emissions_kgco2e_wtw", est.emissions_kgco2e_wtw, "tco2e", 0, KG_PER_T),
        ("emissions_kgco2e_ttw", est.emissions_kgco2e_ttw, "tco2e", 0, KG_PER_T),
    )
    blocks.append(
        Table(
            "sim-headline",
            Text("simulation.headline_caption"),
            (Text("simulation.col.figure"), Text("simulation.col.mean_ci")),
            tuple(
                (Cell(Text(f"simulation.figure.{key}")), estimate_cell(e, u, d, s))
                for key, e, u, d, s in headline
            ),
        )
    )
    modes = [m for m in mode_ids() if m in est.throughput_teu_by_mode]
    split = est.modal_split_teu_share
    blocks.append(Heading("modes", Text("simulation.modes_heading")))
    blocks.append(
        BarChart(
            "modal-split",
            Text("simulation.modal_split_caption"),
            tuple(Text(f"mode.{m}") for m in modes),
            tuple(_q(split[m], "share", 1) for m in modes),
            tuple(Quantity(split[m].ci95_low, "share", 1) for m in modes)
            if result.replications > 1
            else None,
            tuple(Quantity(split[m].ci95_high, "share", 1) for m in modes)
            if result.replications > 1
            else None,
        )
    )
    blocks.append(
        Table(
            "sim-modes",
            Text("simulation.modes_caption"),
            tuple(
                Text(f"simulation.col.{k}")
                for k in ("mode", "teu", "teu_share", "tkm_share", "door_to_door", "wtw", "ttw")
            ),
            tuple(
                (
                    Cell(Text(f"mode.{m}")),
                    estimate_cell(est.throughput_teu_by_mode.get(m), "teu", 0),
                    estimate_cell(split.get(m), "share", 1),
                    estimate_cell(est.modal_split_tkm_share.get(m), "share", 1),
                    estimate_cell(est.door_to_door_mean_h_by_mode.get(m), "h", 1),
                    estimate_cell(est.emissions_kgco2e_wtw_by_mode.get(m), "tco2e", 0, KG_PER_T),
                    estimate_cell(est.emissions_kgco2e_ttw_by_mode.get(m), "tco2e", 0, KG_PER_T),
                )
                for m in modes
            ),
        )
    )
    blocks.append(Heading("hubs", Text("simulation.hubs_heading")))
    # Background traffic (not traced) gets its column only where a scenario has some.
    background = any(e.background_teu.mean > 0 for e in est.hubs.values())
    hub_cols = ["hub", "handled", "moves", "wait", "wait_p95", "utilisation", "wtw", "ttw"]
    if background:
        hub_cols.insert(2, "background")
    hub_rows = []
    for i, (h, e) in enumerate(est.hubs.items()):  # in the network's hub order
        row = [
            Cell(_name(inputs, h)),
            estimate_cell(e.handled_teu, "teu", 0),
            estimate_cell(e.moves, "", 0),
            estimate_cell(e.mean_wait_h, "h", 2),
            estimate_cell(e.p95_wait_h, "h", 2),
            estimate_cell(e.utilisation, "share", 1),
            estimate_cell(e.emissions_kgco2e_wtw, "tco2e", 0, KG_PER_T),
            estimate_cell(e.emissions_kgco2e_ttw, "tco2e", 0, KG_PER_T)
            if _hub_ttw_known(pack, net.hubs.handling_intensity_id[i])
            else Cell(Text("value.unknown")),
        ]
        if background:
            row.insert(2, estimate_cell(e.background_teu, "teu", 0))
        hub_rows.append(tuple(row))
    blocks.append(
        Table(
            "sim-hubs",
            Text("simulation.hubs_caption"),
            tuple(Text(f"simulation.col.{k}") for k in hub_cols),
            tuple(hub_rows),
        )
    )
    blocks.append(
        Table(
            "sim-services",
            Text("simulation.services_caption"),
            tuple(
                Text(f"simulation.col.{k}")
                for k in ("service", "departures", "teu", "capacity", "utilisation")
            ),
            tuple(
                (
                    Cell(sid),
                    estimate_cell(s.departures, "", 0),
                    estimate_cell(s.teu, "teu", 0),
                    estimate_cell(s.capacity_teu, "teu", 0),
                    estimate_cell(s.utilisation, "share", 1),
                )
                for sid, s in sorted(est.services.items())
            ),
        )
    )
    blocks += flow_map_blocks(result)
    blocks += terminal_blocks(inputs, result)
    blocks += _route_blocks(inputs, result)
    legs = sorted(est.emissions_kgco2e_wtw_by_leg)
    blocks.append(Heading("emissions", Text("simulation.emissions_heading")))
    if not est.emissions_ttw_complete:
        blocks.append(Paragraph(Text("simulation.ttw_incomplete")))
    blocks.append(
        Table(
            "sim-legs",
            Text("simulation.legs_caption"),
            (Text("simulation.col.leg"), Text("simulation.col.wtw"), Text("simulation.col.ttw")),
            tuple(
                (
                    Cell(leg),
                    estimate_cell(est.emissions_kgco2e_wtw_by_leg[leg], "tco2e", 0, KG_PER_T),
                    estimate_cell(est.emissions_kgco2e_ttw_by_leg.get(leg), "tco2e", 0, KG_PER_T),
                )
                for leg in legs
            ),
        )
    )

    findings = [
        Text(
            "simulation.finding_throughput",
            {
                "scenario": net.scenario_id,
                "teu": _q(est.throughput_teu, "teu", 0),
                "ci": estimate_interval(est.throughput_teu, "teu", 0),
                "hours": _q(est.door_to_door_mean_h, "h", 1),
            },
        ),
        Text(
            "simulation.finding_emissions",
            {
                "wtw": _q(est.emissions_kgco2e_wtw, "tco2e", 0, KG_PER_T),
                "ci": estimate_interval(est.emissions_kgco2e_wtw, "tco2e", 0, KG_PER_T),
            },
        ),
    ]
    busiest = max(
        net.hubs.ids,
        key=lambda h: (
            est.hubs[h].utilisation.mean
            if h in est.hubs and not math.isnan(est.hubs[h].utilisation.mean)
            else -1.0
        ),
    )
    if busiest in est.hubs:
        findings.append(
            Text(
                "simulation.finding_busiest",
                {
                    "hub": _name(inputs, busiest),
                    "share": _q(est.hubs[busiest].utilisation, "share", 1),
                },
            )
        )
    findings += terminal_findings(inputs, result)
    return Contribution(
        section=Section("simulation", Text("section.simulation.title"), tuple(blocks)),
        findings=tuple(findings),
        method_notes=(Text("simulation.method"), Text("simulation.method_emissions")),
        sources=tuple(_sources(result, pack)),
        inputs=tuple(
            sorted({p for p in (_path(k) for k in result.manifest.inputs_sha256) if p is not None})
        ),
        parameters=(
            ("simulation_seed", result.seed),
            ("replications", result.replications),
            ("emission_pack", result.pack_id),
        ),
    )


def _route_blocks(inputs: ReportInputs, result: ExperimentResult) -> list[Block]:
    """The planner's route table: one row per route that boxes travelled."""
    info = route_info(result.network)
    rows = []
    for rid, e in result.estimates.routes.items():
        if not e.arrived_teu.mean > 0:
            continue
        i = info[rid]
        rows.append(
            (
                Cell(
                    Text(
                        "simulation.od",
                        {
                            "origin": _name(inputs, i.origin),
                            "destination": _name(inputs, i.destination),
                        },
                    )
                ),
                Cell(i.route, detail=Text(f"mode.{i.main_mode}")),
                estimate_cell(e.delivered_teu, "teu", 0),
                estimate_cell(e.door_to_door_mean_h, "h", 1),
                estimate_cell(e.door_to_door_p95_h, "h", 1),
                estimate_cell(e.price_cny_per_teu, "cny_per_teu", 0),
                estimate_cell(e.emissions_kgco2e_wtw_per_teu, "kgco2e_per_teu", 1),
                estimate_cell(e.on_time_share, "share", 1),
            )
        )
    blocks: list[Block] = [
        Heading("routes", Text("simulation.routes_heading")),
        Table(
            "sim-routes",
            Text("simulation.routes_caption"),
            tuple(
                Text(f"simulation.col.{k}")
                for k in (
                    "origin_destination",
                    "route",
                    "teu",
                    "door_to_door",
                    "door_to_door_p95",
                    "price_per_teu",
                    "wtw_per_teu",
                    "on_time",
                )
            ),
            tuple(rows),
        ),
    ]
    unallocated = result.estimates.cost_unallocated_cny
    if unallocated.mean > 0:
        blocks.append(
            Paragraph(Text("simulation.routes_unallocated", {"cost": _q(unallocated, "cny", 0)}))
        )
    if result.warnings:
        blocks.append(Heading("warnings", Text("simulation.warning.heading")))
        blocks.append(Bullets(tuple(_warning_text(w) for w in result.warnings)))
    return blocks


def _warning_text(w: SimulationWarning) -> Text:
    """A simulation warning in the report's language, from its figures."""
    f = w.figures

    def n(name: str, unit: str = "", decimals: int = 0) -> Quantity:
        return Quantity(f.get(name, math.nan), unit, decimals)

    params: dict[str, dict[str, Param]] = {
        "service_unused": {"service": w.subject, "empty": n("empty_departures")},
        "empty_departures": {
            "service": w.subject,
            "empty": n("empty_departures", "", 1),
            "departures": n("departures", "", 1),
            "share": n("share", "share", 1),
        },
        "cannot_carry": {
            "service": w.subject,
            "routed": n("routed_teu", "teu"),
            "capacity": n("capacity_teu", "teu"),
        },
        "nothing_delivered": {"route": w.subject, "arrived": n("arrived_teu", "teu")},
        "left_behind": {
            "route": w.subject,
            "repeatedly": n("left_behind_repeatedly_boxes"),
            "once": n("left_behind_boxes"),
            "delivered": n("delivered_boxes"),
        },
    }
    return Text(f"simulation.warning.{w.code}", params[w.code])


def _hub_ttw_known(pack: FactorPack, intensity_id: str) -> bool:
    """False where the hub's intensity has no TTW part (GLEC publishes totals only)."""
    hub = pack.hubs.get(intensity_id)
    return hub is None or hub.intensity_ttw is not None


def _path(name: str) -> Path | None:
    p = Path(name)
    return p.resolve() if p.is_file() else None
