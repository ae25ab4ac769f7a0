"""The simulation section's "Terminal operations" table (issue #19).

Per hub with a terminal pool or trucks: truck waiting (mean with its 95 % interval,
p95, share above the hub's threshold), yard occupancy (time-weighted mean, p95,
maximum) and the busiest pool with its utilisation. Nothing for a scenario without a
terminal model, so such reports keep their structure.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from freighthub.report.content import (
    Block,
    Cell,
    Heading,
    Paragraph,
    Quantity,
    Table,
    Text,
    estimate_cell,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.hubs import hub_name
from freighthub.sim.estimates import Estimate, ExperimentResult, TerminalEstimate
from freighthub.sim.terminal_stats import pool_layout
from freighthub.units import MINUTES_PER_HOUR

__all__ = ["terminal_blocks", "terminal_findings"]

_COLUMNS = (
    "hub",
    "truck_wait",
    "truck_wait_p95",
    "above_threshold",
    "yard_mean",
    "yard_p95",
    "yard_max",
    "busiest_pool",
)


def _minutes(e: Estimate) -> Estimate:
    """``e`` (hours) in minutes, for the truck-wait columns."""
    return replace(
        e,
        mean=e.mean * MINUTES_PER_HOUR,
        ci95_low=e.ci95_low * MINUTES_PER_HOUR,
        ci95_high=e.ci95_high * MINUTES_PER_HOUR,
        unit="min",
    )


def _busiest(est: TerminalEstimate, pool_ids: list[str]) -> Cell:
    shown = [p for p in pool_ids if p in est.pools and est.pools[p].jobs.mean > 0]
    if not shown:
        return Cell(Text("value.undefined"))
    best = max(shown, key=lambda p: est.pools[p].utilisation.mean)
    task = best.rsplit("/", 1)[1]
    return Cell(
        Text(f"simulation.terminal.task.{task}"),
        detail=Quantity(est.pools[best].utilisation.mean, "share", 1),
    )


def terminal_blocks(inputs: ReportInputs, result: ExperimentResult) -> list[Block]:
    """The "Terminal operations" heading, note and table; empty without a terminal model."""
    est = result.estimates.terminal
    net = result.network
    if est is None or net.terminal is None:
        return []
    ids, pool_hub, _ = pool_layout(net.terminal, net.hubs)
    with_pools = set(net.terminal.pools.hub.tolist())
    threshold = net.terminal.truck_wait_threshold_h
    rows = []
    for h, hub_id in enumerate(net.hubs.ids):
        e = est.hubs.get(hub_id)
        if e is None or (h not in with_pools and not e.trucks.mean > 0):
            continue
        hub = inputs.hub(hub_id)
        above = (
            Cell(Text("value.undefined"))
            if math.isnan(float(threshold[h]))
            else estimate_cell(e.truck_wait_above_threshold_share, "share", 1)
        )
        rows.append(
            (
                Cell(hub_name(hub) if hub is not None else hub_id),
                estimate_cell(_minutes(e.truck_wait_mean_h), "min", 1),
                estimate_cell(_minutes(e.truck_wait_p95_h), "min", 1),
                above,
                estimate_cell(e.yard_mean_teu, "teu", 0),
                estimate_cell(e.yard_p95_teu, "teu", 0),
                estimate_cell(e.yard_max_teu, "teu", 0),
                _busiest(est, [ids[p] for p in np.flatnonzero(pool_hub == h)]),
            )
        )
    if not rows:
        return []
    return [
        Heading("terminal", Text("simulation.terminal.heading")),
        Paragraph(Text("simulation.terminal.note")),
        Table(
            "sim-terminal",
            Text("simulation.terminal.caption"),
            tuple(Text(f"simulation.terminal.col.{k}") for k in _COLUMNS),
            tuple(rows),
        ),
    ]


def terminal_findings(inputs: ReportInputs, result: ExperimentResult) -> list[Text]:
    """The hub with the longest mean truck wait, for the summary; none without trucks."""
    est = result.estimates.terminal
    if est is None:
        return []
    waits = {h: e for h, e in est.hubs.items() if e.truck_wait_mean_h.n > 0}
    waits = {h: e for h, e in waits.items() if not math.isnan(e.truck_wait_mean_h.mean)}
    if not waits:
        return []
    hub_id = max(waits, key=lambda h: waits[h].truck_wait_mean_h.mean)
    e = waits[hub_id]
    hub = inputs.hub(hub_id)
    return [
        Text(
            "simulation.terminal.finding",
            {
                "hub": hub_name(hub) if hub is not None else hub_id,
                "wait": Quantity(e.truck_wait_mean_h.mean * MINUTES_PER_HOUR, "min", 1),
                "p95": Quantity(e.truck_wait_p95_h.mean * MINUTES_PER_HOUR, "min", 1),
            },
        )
    ]
