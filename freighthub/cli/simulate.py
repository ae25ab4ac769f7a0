"""``freighthub simulate``: run a scenario through the discrete-event simulation."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from freighthub.cli.output import (
    ForceOption,
    HubsDirOption,
    JsonOption,
    PackOption,
    ReplicationsOption,
    SeedOption,
    emit_json,
    err_console,
    out_console,
)
from freighthub.sim.experiment import run_scenario
from freighthub.sim.output import headline


def _num(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _ci(ci: list[float] | None, digits: int = 1) -> str:
    return "" if ci is None else escape(f"[{ci[0]:,.{digits}f}, {ci[1]:,.{digits}f}]")


def simulate(
    scenario: Annotated[
        Path,
        typer.Argument(metavar="SCENARIO.toml", help="Scenario file (see docs/data-formats.md)."),
    ],
    seed: SeedOption = None,
    replications: ReplicationsOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write summary.json, manifest.json and Parquet journeys/trips here."
        ),
    ] = None,
    force: ForceOption = False,
    hubs_dir: HubsDirOption = None,
    pack: PackOption = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes for replications (same results).")
    ] = 1,
    json: JsonOption = False,
) -> None:
    """Simulate container flows of a scenario: throughput, waits, modal split, cost, emissions."""
    with Progress(
        TextColumn("[bold]simulating[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(scenario.name, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

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
    figures = headline(result)
    if out is not None:
        figures["out"] = str(out)
    if json:
        emit_json(figures)
        return
    _render(figures)


def _render(f: dict[str, Any]) -> None:
    out_console.print(
        f"[bold]{f['scenario']}[/bold]: seed {f['seed']}, {f['replications']} replication(s), "
        f"statistics over [{_num(f['warmup_h'], 0)}, {_num(f['horizon_h'], 0)}) h, "
        f"emission pack {f['emission_pack']}"
    )
    table = Table(title="Network (mean over replications, 95 % t-interval)")
    for col, justify in (("figure", "left"), ("value", "right"), ("95 % CI", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    rows = [
        ("throughput [TEU]", "throughput_teu", 0),
        ("throughput [t]", "throughput_t", 0),
        ("in system at horizon [TEU]", "in_system_teu", 0),
        ("diverted [boxes]", "diverted_boxes", 0),
        ("left behind at least once [boxes]", "left_behind_boxes", 0),
        ("cost [CNY]", "cost_cny", 0),
        ("emissions WTW [kgCO2e]", "emissions_kgco2e_wtw", 0),
        ("emissions TTW [kgCO2e]", "emissions_kgco2e_ttw", 0),
    ]
    for label, key, digits in rows:
        table.add_row(escape(label), _num(f[key], digits), _ci(f[f"{key}_ci95"], digits))
    d2d = f["door_to_door_h"]
    for q in ("mean", "p50", "p95"):
        table.add_row(escape(f"door-to-door {q} [h]"), _num(d2d[q]), _ci(d2d[f"{q}_ci95"]))
    for mode, share in f["modal_split_teu_share"].items():
        table.add_row(
            escape(f"modal split {mode} [TEU share]"),
            _num(share, 3),
            _ci(f["modal_split_teu_share_ci95"][mode], 3),
        )
    out_console.print(table)
    if not f["emissions_ttw_complete"]:
        out_console.print(
            "note: some intensities give only WTW; their TTW is left out of the TTW total"
        )
    hubs = Table(title="Hubs")
    for col in ("hub", "handled [TEU]", "mean wait [h]", "utilisation", "emissions WTW [kgCO2e]"):
        hubs.add_column(escape(col), justify="left" if col == "hub" else "right")
    for hub_id, h in f["hubs"].items():
        hubs.add_row(
            hub_id,
            _num(h["handled_teu"], 0),
            f"{_num(h['mean_wait_h'], 3)} {_ci(h['mean_wait_h_ci95'], 3)}",
            f"{_num(h['utilisation'], 3)} {_ci(h['utilisation_ci95'], 3)}",
            _num(h["emissions_kgco2e_wtw"], 0),
        )
    out_console.print(hubs)
    services = Table(title="Services")
    for col in ("service", "carried [TEU]", "utilisation"):
        services.add_column(escape(col), justify="left" if col == "service" else "right")
    for sid, s in f["services"].items():
        services.add_row(
            sid, _num(s["teu"], 0), f"{_num(s['utilisation'], 3)} {_ci(s['utilisation_ci95'], 3)}"
        )
    out_console.print(services)
    if "out" in f:
        out_console.print(f"results written to {f['out']}")
