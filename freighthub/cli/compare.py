"""``freighthub compare``: a base and a variant simulated with common random numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS
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
from freighthub.shift.compare import (
    Comparison,
    Figure,
    MetricDelta,
    RouteFigure,
    RunEstimate,
    compare_scenarios,
)
from freighthub.sim.estimates import Estimate, HubEstimate, ServiceEstimate
from freighthub.sim.operator_costs import OPERATOR_COST_COMPONENTS, ServiceOperatorCost
from freighthub.sim.run_estimate import ROUTE_READERS, RUN_FIGURES


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
        emit_json(result.document())
        return
    _render(result)
    print_warnings(result.warnings)


#: The headline rows: every figure of :data:`~freighthub.sim.run_estimate.RUN_FIGURES`
#: (its label and decimals in :data:`~freighthub.cli.figures.FIGURES`) and its reader.
_HEADLINE: tuple[tuple[str, Figure], ...] = tuple(RUN_FIGURES.items())
#: Per-mode shares shown, one row per mode both runs have: unit, and the shares by mode.
_SPLITS: tuple[tuple[str, Callable[[RunEstimate], dict[str, Estimate]]], ...] = (
    ("TEU", lambda t: t.modal_split_teu_share),
    ("tkm", lambda t: t.modal_split_tkm_share),
)
#: Per-hub figures shown: label (with unit) and figure.
_HUB_FIGURES: tuple[tuple[str, Callable[[HubEstimate], Estimate]], ...] = (
    ("mean_wait [h]", lambda h: h.mean_wait_h),
    ("utilisation [0-1]", lambda h: h.utilisation),
)
#: Figures of a hub or service present in one run only (added or removed): label, figure,
#: decimals.
_ONE_SIDE_SERVICE: tuple[tuple[str, Callable[[ServiceEstimate], Estimate], int], ...] = (
    ("departures", lambda s: s.departures, 0),
    ("empty departures", lambda s: s.empty_departures, 0),
    ("carried [TEU]", lambda s: s.teu, 0),
    ("utilisation [0-1]", lambda s: s.utilisation, 3),
)
_ONE_SIDE_HUB: tuple[tuple[str, Callable[[HubEstimate], Estimate], int], ...] = (
    ("handled [TEU]", lambda h: h.handled_teu, 0),
    ("utilisation [0-1]", lambda h: h.utilisation, 3),
)


def _rows(c: Comparison) -> list[tuple[str, MetricDelta, int]]:
    """The rows of the delta table: label, the figure in base, variant and delta, decimals.

    Per mode, hub, service and cost component: those both runs have (the delta's keys).
    """
    trees = (c.base, c.variant, c.delta)
    rows = []
    for name, figure in _HEADLINE:
        m = c.paired(figure)
        if m is not None:
            rows.append((FIGURES[name][0], m, FIGURES[name][1]))
    for unit, split in _SPLITS:
        for mode in split(c.delta):
            m = MetricDelta(*(split(t)[mode] for t in trees))
            rows.append((f"modal split {mode} [{unit} share]", m, 3))
    for hub in c.delta.hubs:
        for label, read in _HUB_FIGURES:
            m = MetricDelta(*(read(t.hubs[hub]) for t in trees))
            rows.append((f"hub {hub} {label}", m, 3))
    for sid in c.delta.services:
        m = MetricDelta(*(t.services[sid].utilisation for t in trees))
        rows.append((f"service {sid} utilisation [0-1]", m, 3))
    for part in c.delta.cost_cny_by_component:
        who = "operators" if part in OPERATOR_COST_COMPONENTS else "shippers"
        m = MetricDelta(*(t.cost_cny_by_component[part] for t in trees))
        rows.append((f"cost: {part} ({who}) [CNY]", m, 0))
    return rows


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


#: The route table's columns: route figure (its label and decimals in
#: :data:`~freighthub.cli.figures.ROUTE_FIGURE_LABELS`) and how to read it.
_ROUTE_COLUMNS: tuple[tuple[str, RouteFigure], ...] = tuple(
    (name, ROUTE_READERS[name])
    for name in (
        "delivered_teu",
        "door_to_door_mean_h",
        "price_cny_per_teu",
        "emissions_kgco2e_wtw_per_teu",
        "on_time_share",
    )
)


def _render_routes(c: Comparison) -> None:
    if not c.routes:
        return
    first = "origin → destination / route"
    table = new_table(
        "Routes: base → variant (paired delta where both have boxes on the route)",
        (first, *(ROUTE_FIGURE_LABELS[name][0] for name, _ in _ROUTE_COLUMNS)),
        left={first},
    )
    for r in c.routes:
        name = f"{r.info.origin} → {r.info.destination} / {r.info.route}"
        if r.only_in:
            name += f" (only in {r.only_in})"
        cells = (
            _pair(r.paired(read), ROUTE_FIGURE_LABELS[figure][1]) for figure, read in _ROUTE_COLUMNS
        )
        table.add_row(escape(name), *cells)
    out_console.print(table)


def _one_side_rows(c: Comparison) -> list[tuple[str, str, Estimate, int]]:
    """Rows for a service or hub of one run only: an added service shows, used or not."""
    rows = []
    for side, tree in (("base", c.base), ("variant", c.variant)):
        for sid, s in tree.services.items():
            if sid not in c.delta.services:
                for label, read, digits in _ONE_SIDE_SERVICE:
                    rows.append((f"service {sid} {label}", side, read(s), digits))
        for hub, h in tree.hubs.items():
            if hub not in c.delta.hubs:
                for label, read_hub, digits in _ONE_SIDE_HUB:
                    rows.append((f"hub {hub} {label}", side, read_hub(h), digits))
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
    for label, m, digits in _rows(c):
        means = (number(e.mean, digits) for e in (m.base, m.variant, m.delta))
        table.add_row(escape(label), *means, interval(m.delta, digits))
    for label, side, e, digits in _one_side_rows(c):
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
