"""``freighthub compare``: a base and a variant simulated with common random numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from freighthub.cli.figures import ROUTE_FIGURE_LABELS, figure_rows
from freighthub.cli.output import (
    MAX_FEEDBACK_ITERATIONS,
    MISSING,
    HubsDirOption,
    JsonOption,
    PackOption,
    ReplicationsOption,
    SeedOption,
    at_most,
    emit_json,
    interval,
    new_table,
    number,
    out_console,
    print_warnings,
)
from freighthub.cli.progress import progress_wanted, replication_bar
from freighthub.shift.choice import ASC_RULES
from freighthub.shift.choice_summary import ModeChoiceSummary
from freighthub.shift.compare import Comparison, MetricDelta, compare_scenarios
from freighthub.sim.operator_costs import OPERATOR_COST_COMPONENTS, ServiceOperatorCost


def compare(
    base: Annotated[
        Path, typer.Argument(metavar="BASE.toml", help="Base scenario or variant file.")
    ],
    variant: Annotated[
        Path, typer.Argument(metavar="VARIANT.toml", help="Variant (or scenario) file.")
    ],
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    feedback: Annotated[
        int,
        typer.Option(
            "--feedback",
            min=0,
            callback=at_most(MAX_FEEDBACK_ITERATIONS, "each iteration simulates the variant again"),
            help="Iterate the variant's mode choice with simulated times (at most N times, "
            f"N <= {MAX_FEEDBACK_ITERATIONS}).",
        ),
    ] = 0,
    hubs_dir: HubsDirOption = None,
    pack: PackOption = None,
    json: JsonOption = False,
) -> None:
    """Deltas (variant - base) with 95 % CIs, the bottleneck, and demand the network cannot carry."""
    label = f"{variant.name} with {base.name}"
    with replication_bar("comparing", label, enabled=progress_wanted(json)) as progress:
        result = compare_scenarios(
            base,
            variant,
            replications=replications,
            seed=seed,
            hubs_dir=hubs_dir,
            pack=pack,
            feedback_iterations=feedback,
            progress=progress,
        )
    if json:
        emit_json(result)
        return
    _render(result)
    print_warnings(result.warnings)


#: The headline rows (label, figure, decimals), in table order.
_HEADLINE_ROWS = figure_rows(
    ("arrived_teu", "throughput_teu", "in_system_teu", "left_behind_boxes",
     "door_to_door_mean_h", "door_to_door_p95_h", "cost_cny", "cost_cny_per_teu",
     "emissions_kgco2e_wtw", "emissions_kgco2e_ttw", "emissions_kgco2e_wtw_per_teu",
     "emissions_kgco2e_ttw_per_teu")
)  # fmt: skip
#: Per-mode shares shown, as ``<figure>.<mode>``: figures of ``SummaryEstimate``.
_SPLIT_FIGURES = {"modal_split_teu_share": "TEU", "modal_split_tkm_share": "tkm"}
#: Per-hub figures shown (of :class:`~freighthub.sim.estimates.HubEstimate`), with units.
_HUB_FIGURES = {"mean_wait_h": "[h]", "utilisation": "[0-1]"}
#: Per-service figure shown (of :class:`~freighthub.sim.estimates.ServiceEstimate`).
_SERVICE_FIGURE = "utilisation"
#: Per-component cost, as ``<figure>.<component>`` (of ``SummaryEstimate``).
_COST_FIGURE = "cost_cny_by_component"


def _rows(c: Comparison) -> list[tuple[str, str, int]]:
    rows = list(_HEADLINE_ROWS)
    for key in c.metrics:
        figure, _, mode = key.rpartition(".")
        if figure in _SPLIT_FIGURES:
            rows.append((f"modal split {mode} [{_SPLIT_FIGURES[figure]} share]", key, 3))
    for key in c.metrics:
        parts = key.split(".")
        if parts[0] == "hubs" and parts[-1] in _HUB_FIGURES:
            name = f"hub {parts[1]} {parts[-1].replace('_h', '')} {_HUB_FIGURES[parts[-1]]}"
            rows.append((name, key, 3))
        if parts[0] == "services" and parts[-1] == _SERVICE_FIGURE:
            rows.append((f"service {parts[1]} utilisation [0-1]", key, 3))
    for key in c.metrics:
        figure, _, part = key.rpartition(".")
        if figure == _COST_FIGURE:
            who = "operators" if part in OPERATOR_COST_COMPONENTS else "shippers"
            rows.append((f"cost: {part} ({who}) [CNY]", key, 0))
    return [r for r in rows if r[1] in c.metrics]


def _render_operators(c: Comparison) -> None:
    """Departures, fleet and yearly cost per service where any service has operator costs."""
    base = {o.service: o for o in c.operators_base}
    var = {o.service: o for o in c.operators_variant}
    costed = [
        s
        for s in dict.fromkeys([*base, *var])
        if any(o.operator_cost_cny_per_year > 0 for o in (base.get(s), var.get(s)) if o)
    ]
    if not costed:
        return
    table = new_table(
        "Operators: departures, fleet and yearly cost per service (base → variant)",
        ("service", "departures/week", "CNY/departure", "fleet", "CNY/year"),
        left={"service"},
    )

    def pair(get: Callable[[ServiceOperatorCost], float | int | None], digits: int) -> str:
        shown = [
            MISSING
            if (o := side.get(s)) is None or get(o) is None
            else number(float(get(o) or 0), digits)
            for side in (base, var)
        ]
        return shown[0] if shown[0] == shown[1] else f"{shown[0]} → {shown[1]}"

    for s in costed:
        table.add_row(
            escape(s),
            pair(lambda o: o.departures_per_week, 1),
            pair(lambda o: o.cost_cny_per_departure, 0),
            pair(lambda o: o.fleet_vehicles, 0),
            pair(lambda o: o.operator_cost_cny_per_year, 0),
        )
    out_console.print(table)


def _pair(m: MetricDelta, digits: int) -> str:
    """``base → variant (Δ)``, a side without boxes on the route as "–"."""
    text = f"{number(m.base.mean, digits)} → {number(m.variant.mean, digits)}"
    if math.isfinite(m.delta.mean):
        text += f" ({m.delta.mean:+,.{digits}f})"
    return escape(text)


#: The route table's columns (label, route figure, decimals).
_ROUTE_COLUMNS = figure_rows(
    ("delivered_teu", "door_to_door_mean_h", "price_cny_per_teu", "emissions_kgco2e_wtw_per_teu",
     "on_time_share"),
    ROUTE_FIGURE_LABELS,
)  # fmt: skip


def _render_routes(c: Comparison) -> None:
    if not c.routes:
        return
    first = "origin → destination / route"
    table = new_table(
        "Routes: base → variant (paired delta where both have boxes on the route)",
        (first, *(label for label, _, _ in _ROUTE_COLUMNS)),
        left={first},
    )
    for r in c.routes:
        name = f"{r.info.origin} → {r.info.destination} / {r.info.route}"
        if r.only_in:
            name += f" (only in {r.only_in})"
        cells = (_pair(r.figures[figure], digits) for _, figure, digits in _ROUTE_COLUMNS)
        table.add_row(escape(name), *cells)
    out_console.print(table)


#: Figures of a hub or service present in one run only (added or removed), as rows.
_ONE_SIDE = {
    "services": (
        ("departures", "departures", 0),
        ("empty_departures", "empty departures", 0),
        ("teu", "carried [TEU]", 0),
        ("utilisation", "utilisation [0-1]", 3),
    ),
    "hubs": (("handled_teu", "handled [TEU]", 0), ("utilisation", "utilisation [0-1]", 3)),
}


def _one_side_rows(c: Comparison) -> list[tuple[str, str, str, int]]:
    """Rows for a service or hub of one run only: an added service shows, used or not."""
    rows = []
    for side, figures in (("base", c.only_in_base), ("variant", c.only_in_variant)):
        for group, wanted in _ONE_SIDE.items():
            ids = dict.fromkeys(k.split(".")[1] for k in figures if k.startswith(f"{group}."))
            for ident in ids:
                for figure, label, digits in wanted:
                    key = f"{group}.{ident}.{figure}"
                    if key in figures:
                        rows.append((f"{group[:-1]} {ident} {label}", side, key, digits))
    return rows


def _render_mode_choice(m: ModeChoiceSummary) -> None:
    """Elasticities by OD and route, the constants' rules, and the sensitivity table."""
    out_console.print(
        f"mode choice {escape(m.parameters_id)}: cost coefficient {m.cost_coefficient_per_cny:.3g}"
        f"/CNY, {escape(m.rule_text())}; road own-price elasticity (road-volume "
        f"weighted) {m.road_price_elasticity:.2f}"
        + (
            f"; literature range {escape(m.reference_id)} [{m.range_low:g}, {m.range_high:g}]: "
            + ("every OD inside" if m.all_inside_range else "[bold red]some OD outside[/bold red]")
            if m.reference_id is not None
            else ""
        )
    )
    table = new_table(
        "Mode choice in the variant: price elasticities of route shares",
        ("OD / route", "mode", "price [CNY/TEU]", "share", "own", "cross (to others' price)",
         "constant"),
        left={"OD / route", "mode", "constant"},
    )  # fmt: skip
    for od in m.ods:
        road = number(od.road_price_elasticity, 2)
        flag = (
            ""
            if od.inside_range is None
            else (" (in range)" if od.inside_range else " (OUT of range)")
        )
        table.add_row(escape(od.od_id), "road together", "", "", road + flag, "", "")
        for i, rid in enumerate(od.route_ids):
            cross = od.cross_text(i)
            table.add_row(
                "  " + escape(rid.split("/", 1)[1]),
                escape(od.main_mode[i]),
                number(od.price_cny_per_teu[i], 0),
                f"{od.share[i]:.3f}",
                f"{od.own_price_elasticity[i]:.2f}",
                cross,
                escape(f"{od.asc[i]:.2f} ({ASC_RULES[od.asc_rule[i]]})"),
            )
    out_console.print(table)
    sens = new_table(
        "Sensitivity of the road share of TEU to the mode-choice parameters",
        ("case", "cost coefficient [1/CNY]", "intermodal nest scale", "base", "variant",
         "change [pp]"),
        left={"case"},
    )  # fmt: skip
    for case in m.sensitivity:
        sens.add_row(
            escape(case.case),
            f"{case.cost_coefficient_per_cny:.3g}",
            f"{case.intermodal_nest_scale:g}",
            f"{case.road_share_base:.1%}",
            f"{case.road_share_variant:.1%}",
            f"{(case.road_share_variant - case.road_share_base) * 100:+.1f}",
        )
    out_console.print(sens)


def _render(c: Comparison) -> None:
    out_console.print(
        f"[bold]{escape(c.variant_id)}[/bold] versus [bold]{escape(c.base_id)}[/bold]: "
        f"seed {c.seed}, {c.replications} paired replication(s) with common random numbers, "
        f"emission pack {escape(c.pack_id)}"
    )
    table = new_table(
        "Variant - base (mean over replications; 95 % paired t-interval)",
        ("figure", "base", "variant", "delta", "delta 95 % CI"),
        left={"figure"},
    )
    for label, key, digits in _rows(c):
        m = c.metrics[key]
        means = (number(e.mean, digits) for e in (m.base, m.variant, m.delta))
        table.add_row(escape(label), *means, interval(m.delta, digits))
    for label, side, key, digits in _one_side_rows(c):
        e = (c.only_in_base if side == "base" else c.only_in_variant)[key]
        value = number(e.mean, digits)
        table.add_row(
            escape(f"{label} (only in {side})"),
            value if side == "base" else MISSING,
            value if side == "variant" else MISSING,
            MISSING,
            "",
        )
    out_console.print(table)
    _render_operators(c)
    _render_routes(c)
    for label, b in (("base", c.bottleneck_base), ("variant", c.bottleneck_variant)):
        if b is not None:
            out_console.print(
                f"bottleneck ({label}): {b.kind} {escape(b.id)}, utilisation {b.utilisation:.3f}"
                + (f", {b.left_behind_boxes:,.0f} boxes left behind" if b.kind == "service" else "")
            )
    for s in c.not_carried:
        if s.over_capacity:
            what = (
                f"has {s.routed_teu:,.0f} TEU routed over it but offers {s.capacity_teu:,.0f} TEU"
            )
        else:
            months = ", ".join(str(m) for m in s.overloaded_months)
            what = f"offers less than the TEU routed over it in month(s) {months}"
        out_console.print(
            f"[bold red]cannot carry[/bold red]: service {escape(s.service)} {what}; "
            f"{s.left_behind_boxes:,.0f} boxes left behind at least once, "
            f"{s.waiting_teu_at_horizon:,.0f} TEU still waiting at the horizon"
        )
    if math.isfinite(c.calibration_residual):
        out_console.print(f"mode choice: calibration residual {c.calibration_residual:.2e}")
    if c.mode_choice is not None:
        _render_mode_choice(c.mode_choice)
    if c.feedback is not None:
        f = c.feedback
        state = "converged" if f.converged else "NOT converged"
        last = f.residuals[-1] if f.residuals else math.nan
        out_console.print(
            f"congestion feedback: {state} after {f.iterations} iteration(s), "
            f"residual {last:.2e} (tolerance {f.tolerance:.0e})"
        )
    if c.changes:
        out_console.print("changes: " + escape("; ".join(c.changes)))
