"""``freighthub optimize``: the optimal mode split of a scenario (LP), optionally verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from freighthub.cli.output import (
    ForceOption,
    HubsDirOption,
    JsonOption,
    PackOption,
    ReplicationsOption,
    ScenarioArgument,
    SeedOption,
    emit_json,
    finite,
    new_table,
    number,
    out_console,
    percent,
    solver_option,
    verify_option,
)
from freighthub.cli.progress import progress_wanted, working
from freighthub.cli.verification import render_verification
from freighthub.optimize.run import ScenarioOptimization, optimize_scenario


def optimize(
    scenario: ScenarioArgument,
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
    solver: Annotated[str, solver_option("LP")] = "cbc",
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
    verify: Annotated[bool, verify_option("the plan")] = False,
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
    flows = new_table(
        "Flows per OD and route [TEU/week]",
        ("route", "main mode", "TEU", "share of OD", "gen. cost CNY/TEU", "kgCO2e/TEU WTW"),
        left={"route", "main mode"},
    )
    for f in plan.flows:
        flows.add_row(
            escape(f.route),
            str(f.main_mode),
            number(f.volume_teu, 1),
            percent(f.od_share),
            number(f.generalised_cost_cny_per_teu),
            number(f.emissions_kgco2e_per_teu_wtw, 1),
        )
    out_console.print(flows)
    modes = new_table(
        "By mode",
        ("mode", "TEU/week (main mode)", "TEU-km/week", "share of TEU-km"),
        left={"mode"},
    )
    for m in sorted(plan.teu_km_by_mode, key=str):
        modes.add_row(
            str(m),
            number(plan.volume_teu_by_mode.get(m, 0.0), 1),
            number(plan.teu_km_by_mode[m]),
            percent(plan.teu_km_share_by_mode[m]),
        )
    out_console.print(modes)
    optimised = r.problem.departures_optimised
    operator = f" + departures {number(plan.operator_cost_cny)}" if optimised else ""
    out_console.print(
        f"cost per week: price {number(plan.price_cost_cny)} + time {number(plan.time_cost_cny)} + "
        f"carbon {number(plan.carbon_cost_cny)}{operator} = [bold]{number(plan.objective_cny)} CNY"
        f"[/bold]; emissions {number(plan.emissions_tco2e_wtw, 1)} tCO2e WTW per week"
    )
    if plan.operator_cost_cny > 0 and not optimised:
        out_console.print(
            f"operators' departure costs (every timetabled departure, fixed, not in the "
            f"objective): {number(plan.operator_cost_cny)} CNY per week; --optimise-departures "
            "lets the plan run fewer"
        )
    for rid, n in plan.departures_by_resource.items():
        fleet = plan.fleet_by_resource.get(rid)
        vehicles = "" if fleet is None else f", fleet {fleet} vehicles"
        out_console.print(f"departures run: {escape(rid)} {n} per week{vehicles}")
    caps = new_table(
        "Capacities (per week)",
        ("resource", "used", "capacity", "unit", "utilisation", "shadow price CNY/unit"),
        left={"resource", "unit"},
    )
    for u in plan.resources:
        caps.add_row(
            escape(u.label) + (" [bold](binding)[/bold]" if u.binding else ""),
            number(u.used, 1),
            number(u.capacity, 1),
            u.unit,
            percent(u.utilisation_share),
            number(u.dual_cny_per_unit, 1),
        )
    out_console.print(caps)
    for t in plan.targets:
        is_share = t.constraint not in {c.id for c in r.problem.emission_caps}
        achieved = percent(t.achieved) if is_share else f"{number(t.achieved, 1)} tCO2e"
        step = "one percentage point" if is_share else "one tCO2e"
        out_console.print(
            f"{escape(t.description)}: achieved {achieved}"
            + (
                f"; relaxing it by {step} saves {number(t.dual_cny_per_unit)} CNY a week"
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
    if r.verification is not None:
        render_verification(r.verification, tables=True)
