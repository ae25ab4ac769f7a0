"""``freighthub simulate``: run a scenario through the discrete-event simulation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS, figure_rows
from freighthub.cli.output import (
    MAX_WORKERS,
    ForceOption,
    HubsDirOption,
    JsonOption,
    PackOption,
    ReplicationsOption,
    ScenarioArgument,
    SeedOption,
    emit_json,
    interval,
    new_table,
    number,
    out_console,
    print_warnings,
    workers_option,
)
from freighthub.cli.progress import progress_wanted, replication_bar
from freighthub.sim.estimates import Estimate, ExperimentResult, TerminalEstimate
from freighthub.sim.experiment import run_scenario
from freighthub.sim.operator_costs import OPERATOR_COST_COMPONENTS
from freighthub.sim.output import headline, route_rows
from freighthub.sim.run_estimate import per_teu, with_per_teu_figures


def simulate(
    scenario: ScenarioArgument,
    seed: SeedOption = None,
    replications: ReplicationsOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write summary.json, manifest.json, Parquet journeys/trips and the route "
            "table (routes.csv, routes.xlsx) here.",
        ),
    ] = None,
    force: ForceOption = False,
    hubs_dir: HubsDirOption = None,
    pack: PackOption = None,
    workers: Annotated[
        int, workers_option(f"Processes for replications, 1-{MAX_WORKERS} (same results).")
    ] = 1,
    json: JsonOption = False,
) -> None:
    """Simulate container flows of a scenario: throughput, waits, modal split, cost, emissions."""
    with replication_bar("simulating", scenario.name, enabled=progress_wanted(json)) as progress:
        result = run_scenario(
            scenario,
            seed=seed,
            replications=replications,
            hubs_dir=hubs_dir,
            pack=pack,
            out=out,
            force=force,
            progress=progress,
            workers=workers,
        )
    if json:
        figures = headline(result)
        if out is not None:
            figures["out"] = str(out)
        emit_json(figures)
        return
    _render(result, out)
    print_warnings(result.warnings)


def _render(result: ExperimentResult, out: Path | None) -> None:
    est = result.estimates
    net = result.network
    out_console.print(
        f"[bold]{net.scenario_id}[/bold]: seed {result.seed}, {result.replications} "
        f"replication(s), statistics over [{number(net.warmup_h, 0)}, {number(net.horizon_h, 0)}) h, "
        f"emission pack {result.pack_id}"
    )
    table = new_table(
        "Network (mean over replications, 95 % t-interval)",
        ("figure", "value", "95 % CI"),
        left={"figure"},
    )
    run = with_per_teu_figures(est, [per_teu(s) for s in result.summaries])
    shown = [  # figure (label and decimals from cli.figures), estimate
        ("throughput_teu", est.throughput_teu),
        ("throughput_t", est.throughput_t),
        ("in_system_teu", est.in_system_teu),
        ("diverted_boxes", est.diverted_boxes),
        ("left_behind_boxes", est.left_behind_boxes),
        ("cost_cny", est.cost_cny),
        ("cost_cny_per_teu", run.cost_cny_per_teu),
        ("emissions_kgco2e_wtw", est.emissions_kgco2e_wtw),
        ("emissions_kgco2e_wtw_per_teu", run.emissions_kgco2e_wtw_per_teu),
        ("emissions_kgco2e_ttw", est.emissions_kgco2e_ttw),
        ("door_to_door_mean_h", est.door_to_door_mean_h),
        ("door_to_door_p50_h", est.door_to_door_p50_h),
        ("door_to_door_p95_h", est.door_to_door_p95_h),
    ]
    rows = [(FIGURES[name][0], e, FIGURES[name][1]) for name, e in shown]
    for part, e in est.cost_cny_by_component.items():
        who = "operators" if part in OPERATOR_COST_COMPONENTS else "shippers"
        rows.append((f"cost: {part} ({who}) [CNY]", e, 0))
    for label, e, digits in rows:
        table.add_row(escape(label), number(e.mean, digits), interval(e, digits))
    for mode, share in est.modal_split_teu_share.items():
        table.add_row(
            escape(f"modal split {mode} [TEU share]"), number(share.mean, 3), interval(share, 3)
        )
    out_console.print(table)
    if not est.emissions_ttw_complete:
        out_console.print(
            "note: some intensities give only WTW; their TTW is left out of the TTW total"
        )
    _print_with_background(
        "Hubs",
        ["hub", "handled [TEU]", "mean wait [h]", "utilisation", "emissions WTW [kgCO2e]"],
        [
            (
                [
                    escape(hub_id),
                    number(h.handled_teu.mean, 0),
                    _cell(h.mean_wait_h, 3),
                    _cell(h.utilisation, 3),
                    number(h.emissions_kgco2e_wtw.mean, 0),
                ],
                h.background_teu.mean,
            )
            for hub_id, h in est.hubs.items()
        ],
    )
    _print_with_background(
        "Services",
        ["service", "carried [TEU]", "utilisation"],
        [
            ([escape(sid), number(s.teu.mean, 0), _cell(s.utilisation, 3)], s.background_teu.mean)
            for sid, s in est.services.items()
        ],
    )
    render_routes(route_rows(result))
    if est.terminal is not None:
        render_terminal(est.terminal)
    if out is not None:
        out_console.print(f"results written to {out}")


def _print_with_background(
    title: str, columns: list[str], rows: list[tuple[list[str], float]]
) -> None:
    """A table of hubs or services (``rows``: cells and background TEU); a third column
    "of which background [TEU]" only where the scenario has background traffic."""
    background = any(teu > 0 for _, teu in rows)
    if background:
        columns.insert(2, "of which background [TEU]")
    table = new_table(title, columns, left={columns[0]})
    for cells, teu in rows:
        if background:
            cells.insert(2, number(teu, 0))
        table.add_row(*cells)
    out_console.print(table)


#: The route table's figure columns: label, figure, decimals (as ``compare`` and ``sweep``).
_ROUTE_COLUMNS = figure_rows(tuple(ROUTE_FIGURE_LABELS), ROUTE_FIGURE_LABELS)


def render_routes(rows: list[dict[str, Any]]) -> None:
    """The planner's route table (means over replications; "–" where there is no value)."""
    first = ("origin → destination", "route", "mode")
    table = new_table(
        "Routes (door to door, per TEU; on time against the demand's promise)",
        (*first, *(label for label, _, _ in _ROUTE_COLUMNS)),
        left=set(first),
    )
    for row in rows:
        table.add_row(
            escape(f"{row['origin']} → {row['destination']}"),
            escape(row["route"]),
            escape(row["main_mode"]),
            *(number(row[figure], digits) for _, figure, digits in _ROUTE_COLUMNS),
        )
    out_console.print(table)


def _cell(e: Estimate, digits: int) -> str:
    """The mean and, with more than one replication, its 95 % interval."""
    return f"{number(e.mean, digits)} {interval(e, digits)}".strip()


def render_terminal(est: TerminalEstimate) -> None:
    """Pools (utilisation, time-average queue and system, waits) and per hub the trucks
    and the yard (means over replications with 95 % t-intervals)."""
    pools = new_table(
        "Terminal pools (time averages over the statistics window)",
        ("pool", "jobs", "utilisation", "L_q [jobs]", "L [jobs]", "mean wait [h]",
         "p95 wait [h]"),
        left={"pool"},
    )  # fmt: skip
    for pid, p in est.pools.items():
        pools.add_row(
            escape(pid),
            number(p.jobs.mean, 0),
            _cell(p.utilisation, 3),
            _cell(p.mean_waiting, 2),
            _cell(p.mean_in_system, 2),
            _cell(p.mean_wait_h, 3),
            number(p.p95_wait_h.mean, 3),
        )
    out_console.print(pools)
    hubs = new_table(
        "Terminal hubs: trucks and yard",
        ("hub", "trucks", "truck wait mean [h]", "truck wait p95 [h]", "share above threshold",
         "turnaround mean [h]", "yard mean [TEU]", "yard p95 [TEU]", "yard max [TEU]"),
        left={"hub"},
    )  # fmt: skip
    for hid, h in est.hubs.items():
        hubs.add_row(
            escape(hid),
            number(h.trucks.mean, 0),
            _cell(h.truck_wait_mean_h, 3),
            number(h.truck_wait_p95_h.mean, 3),
            _cell(h.truck_wait_above_threshold_share, 3),
            number(h.truck_turnaround_mean_h.mean, 3),
            number(h.yard_mean_teu.mean, 0),
            number(h.yard_p95_teu.mean, 0),
            number(h.yard_max_teu.mean, 0),
        )
    out_console.print(hubs)
