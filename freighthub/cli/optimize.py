"""``freighthub optimize``: the optimal mode split of a scenario (LP), optionally verified."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from freighthub.cli.output import (
    ForceOption,
    HubsDirOption,
    JsonOption,
    PackOption,
    ReplicationsOption,
    SeedOption,
    emit_json,
    finite,
    out_console,
)
from freighthub.cli.progress import progress_wanted, working
from freighthub.optimize.run import ScenarioOptimization, optimize_scenario


def _num(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1%}"


def optimize(
    scenario: Annotated[
        Path,
        typer.Argument(metavar="SCENARIO.toml", help="Scenario file (see docs/data-formats.md)."),
    ],
    carbon_price: Annotated[
        float,
        typer.Option(
            "--carbon-price",
            min=0.0,
            callback=finite,
            metavar="CNY_PER_T",
            help="Carbon price [CNY/tCO2e WTW].",
        ),
    ] = 0.0,
    road_share_max: Annotated[
        float | None,
        typer.Option(
            "--road-share-max",
            min=0.0,
            max=1.0,
            metavar="X",
            help="Road at most X of TEU-km [0-1].",
        ),
    ] = None,
    emission_cap: Annotated[
        float | None,
        typer.Option(
            "--emission-cap",
            min=0.0,
            callback=finite,
            metavar="T",
            help="Cap on WTW emissions [tCO2e per week].",
        ),
    ] = None,
    solver: Annotated[
        str, typer.Option("--solver", metavar="cbc|highs", help="LP solver (default: cbc).")
    ] = "cbc",
    value_of_time: Annotated[
        float | None,
        typer.Option(
            "--value-of-time",
            min=0.0,
            callback=finite,
            metavar="CNY_PER_TEU_H",
            help="Value of time [CNY/(TEU·h)] (or use --mode-choice).",
        ),
    ] = None,
    mode_choice: Annotated[
        str | None,
        typer.Option(
            "--mode-choice",
            metavar="ID",
            help="Mode-choice parameter file (standards/mode-choice/ID.toml) giving the value of time.",
        ),
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="Simulate the plan (with --seed, -r) and compare.")
    ] = False,
    optimise_departures: Annotated[
        bool,
        typer.Option(
            "--optimise-departures",
            help="Run only the whole departures the plan needs (up to the timetable), paying "
            "each departure, the fleet and the service's fixed cost (a MILP).",
        ),
    ] = False,
    seed: SeedOption = None,
    replications: ReplicationsOption = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", metavar="DIR", help="Write DIR/<id>-lp.toml with the plan's shares."
        ),
    ] = None,
    force: ForceOption = False,
    hubs_dir: HubsDirOption = None,
    pack: PackOption = None,
    json: JsonOption = False,
) -> None:
    """Optimal mode split: minimum generalised cost + carbon cost under capacities and targets."""
    verb = "optimising and simulating" if verify else "optimising"
    with working(verb, scenario.name, enabled=progress_wanted(json)):
        result = optimize_scenario(
            scenario,
            carbon_price_cny_per_tco2e=carbon_price,
            road_share_max=road_share_max,
            emission_cap_tco2e_per_week=emission_cap,
            solver=solver,
            value_of_time_cny_per_teu_h=value_of_time,
            mode_choice=mode_choice,
            hubs_dir=hubs_dir,
            pack=pack,
            verify=verify,
            seed=seed,
            replications=replications,
            export_dir=export,
            overwrite=force,
            departures_optimised=optimise_departures,
        )
    if json:
        emit_json(_as_json(result))
        return
    _render(result)


def _as_json(r: ScenarioOptimization) -> dict[str, Any]:
    return {
        "scenario": r.scenario_id,
        "scenario_path": r.scenario_path,
        "pack": r.pack_id,
        "value_of_time_cny_per_teu_h": r.value_of_time_cny_per_teu_h,
        "value_of_time_source": r.value_of_time_source,
        "plan": r.plan,
        "route_durations_h": {x.id: x.duration_h for x in r.problem.routes},
        "verification": r.verification,
        "exported": r.exported,
    }


def _render(r: ScenarioOptimization) -> None:
    plan = r.plan
    out_console.print(
        f"[bold]{escape(r.scenario_id)}[/bold]: optimal mode split per week, solver "
        f"{escape(plan.solver)}; value of time {r.value_of_time_cny_per_teu_h:g} CNY/(TEU·h) "
        f"({escape(r.value_of_time_source[:120])}); carbon price "
        f"{plan.carbon_price_cny_per_tco2e:g} CNY/tCO2e"
    )
    flows = Table(title="Flows per OD and route [TEU/week]")
    for col in ("route", "main mode", "TEU", "share of OD", "gen. cost CNY/TEU", "kgCO2e/TEU WTW"):
        flows.add_column(col, justify="left" if col in ("route", "main mode") else "right")
    for f in plan.flows:
        flows.add_row(
            escape(f.route),
            f.main_mode.value,
            _num(f.volume_teu, 1),
            _pct(f.od_share),
            _num(f.generalised_cost_cny_per_teu),
            _num(f.emissions_kgco2e_per_teu_wtw, 1),
        )
    out_console.print(flows)
    modes = Table(title="By mode")
    for col in ("mode", "TEU/week (main mode)", "TEU-km/week", "share of TEU-km"):
        modes.add_column(col, justify="left" if col == "mode" else "right")
    for m in sorted(plan.teu_km_by_mode, key=lambda m: m.value):
        modes.add_row(
            m.value,
            _num(plan.volume_teu_by_mode.get(m, 0.0), 1),
            _num(plan.teu_km_by_mode[m]),
            _pct(plan.teu_km_share_by_mode[m]),
        )
    out_console.print(modes)
    optimised = r.problem.departures_optimised
    operator = f" + departures {_num(plan.operator_cost_cny)}" if optimised else ""
    out_console.print(
        f"cost per week: price {_num(plan.price_cost_cny)} + time {_num(plan.time_cost_cny)} + "
        f"carbon {_num(plan.carbon_cost_cny)}{operator} = [bold]{_num(plan.objective_cny)} CNY"
        f"[/bold]; emissions {_num(plan.emissions_tco2e_wtw, 1)} tCO2e WTW per week"
    )
    if plan.operator_cost_cny > 0 and not optimised:
        out_console.print(
            f"operators' departure costs (every timetabled departure, fixed, not in the "
            f"objective): {_num(plan.operator_cost_cny)} CNY per week; --optimise-departures "
            "lets the plan run fewer"
        )
    for rid, n in plan.departures_by_resource.items():
        fleet = plan.fleet_by_resource.get(rid)
        vehicles = "" if fleet is None else f", fleet {fleet} vehicles"
        out_console.print(f"departures run: {escape(rid)} {n} per week{vehicles}")
    caps = Table(title="Capacities (per week)")
    for col in ("resource", "used", "capacity", "unit", "utilisation", "shadow price CNY/unit"):
        caps.add_column(col, justify="left" if col in ("resource", "unit") else "right")
    for u in plan.resources:
        caps.add_row(
            escape(u.label) + (" [bold](binding)[/bold]" if u.binding else ""),
            _num(u.used, 1),
            _num(u.capacity, 1),
            u.unit,
            _pct(u.utilisation_share),
            _num(u.dual_cny_per_unit, 1),
        )
    out_console.print(caps)
    for t in plan.targets:
        is_share = t.constraint not in {c.id for c in r.problem.emission_caps}
        achieved = _pct(t.achieved) if is_share else f"{_num(t.achieved, 1)} tCO2e"
        step = "one percentage point" if is_share else "one tCO2e"
        out_console.print(
            f"{escape(t.description)}: achieved {achieved}"
            + (
                f"; relaxing it by {step} saves {_num(t.dual_cny_per_unit)} CNY a week"
                if t.binding and t.dual_cny_per_unit is not None
                else ""
            )
        )
    if plan.decisions:
        out_console.print("[bold]Decisions[/bold]")
        for d in plan.decisions:
            out_console.print(f"- {escape(d.text)}")
    if r.exported is not None:
        out_console.print(f"plan written to {escape(str(r.exported))}")
    v = r.verification
    if v is None:
        return
    out_console.print(
        f"[bold]Verification in the simulation[/bold] (seed {v.seed}, {v.replications} "
        f"replication(s), per week)"
    )
    svc = Table(title="Services: LP vs simulation")
    for col in ("service", "LP TEU", "sim TEU", "LP utilisation", "sim utilisation"):
        svc.add_column(col, justify="left" if col == "service" else "right")
    for s in v.services:
        svc.add_row(
            escape(s.service),
            _num(s.lp_teu, 1),
            _num(s.sim_teu, 1),
            _pct(s.lp_utilisation_share),
            _pct(s.sim_utilisation_share),
        )
    out_console.print(svc)
    hubs = Table(title="Hubs: LP vs simulation")
    for col in ("hub", "LP utilisation", "sim utilisation", "mean wait h", "p95 wait h"):
        hubs.add_column(col, justify="left" if col == "hub" else "right")
    for h in v.hubs:
        hubs.add_row(
            escape(h.hub),
            _pct(h.lp_utilisation_share),
            _pct(h.sim_utilisation_share),
            _num(h.sim_mean_wait_h, 2),
            _num(h.sim_p95_wait_h, 2),
        )
    out_console.print(hubs)
    for finding in v.findings:
        out_console.print(f"- {escape(finding)}")
