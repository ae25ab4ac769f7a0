"""The summary of a sweep: per cell, the mean and 95 % t-interval of the headline figures.

A typed result (frozen dataclasses) that the CLI renders as a table and the report
can render too; built from the rows of the sweep's Parquet dataset, so a resumed
sweep summarises every replication, old and new.

References
----------
Student-t confidence interval of a mean over independent replications: Law,
*Simulation Modeling and Analysis*, 5th ed. (2015), §9.4.1 (via
:func:`freighthub.sim.estimates.estimate`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

from freighthub.frames import ESTIMATE_COLUMNS, data_frame, estimate_columns
from freighthub.sim.estimates import PER_TEU, Estimate, estimate, estimates_by_path, figure_unit
from freighthub.sim.routes import ROUTE_FIGURES
from freighthub.sim.run_estimate import RunEstimate, run_estimate
from freighthub.sweep.rows import summary_of_row
from freighthub.sweep.store import KEY_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HEADLINE", "CellSummary", "SweepSummary", "summarise_rows"]

#: Figures summarised per cell (plus every ``modal_split_teu_share.<mode>`` present and
#: the :data:`~freighthub.sim.routes.ROUTE_FIGURES` of every route present, as
#: ``routes.<route id>.<figure>``). Units as in ``simulate`` and
#: ``compare``: kgCO2e, CNY, and per TEU that arrived in the window.
HEADLINE: tuple[str, ...] = (
    "throughput_teu",
    "left_behind_boxes",
    "door_to_door_mean_h",
    "door_to_door_p95_h",
    "cost_cny",
    "cost_cny_per_teu",
    "emissions_kgco2e_wtw",
    "emissions_kgco2e_wtw_per_teu",
    "emissions_kgco2e_ttw",
)
_SPLIT = "modal_split_teu_share."
#: Columns of a row that are not figures: the cell and the task's keys.
_NOT_FIGURES = {"cell", *KEY_COLUMNS}
_ROUTES = "routes."


@dataclass(frozen=True)
class CellSummary:
    """One cell of a sweep over its finished replications.

    Attributes
    ----------
    index, id
        Position and id of the cell.
    levels
        ``{axis id: level id}`` (grid) or ``{"cell": id}`` (list).
    replications
        Finished replications [-].
    estimates
        Mean and 95 % t-interval per figure of the sweep's ``metrics``, by name (units
        as in the figure's name).
    figures
        Every figure of the cell (its rows estimated as ``simulate`` does), read by
        attribute (``c.figures.routes[rid].delivered_teu``); a figure no row of the
        cell has is missing (``None`` from ``dict.get``). Not in the JSON documents,
        which list ``estimates``.
    """

    index: int
    id: str
    levels: dict[str, str]
    replications: int
    estimates: dict[str, Estimate]
    figures: RunEstimate = field(repr=False, compare=False, metadata={"json": False})


@dataclass(frozen=True)
class SweepSummary:
    """Every cell of a sweep.

    Attributes
    ----------
    sweep_id
        The sweep's id.
    seed, replications
        The sweep's seed and replications per cell [-].
    metrics
        The figures in each cell's ``estimates``, in display order.
    cells
        One summary per cell with at least one finished replication, in cell order.
    """

    sweep_id: str
    seed: int
    replications: int
    metrics: tuple[str, ...]
    cells: tuple[CellSummary, ...]

    def to_pandas(self) -> pd.DataFrame:
        """One row per cell and figure: ``cell``, one column per level axis, ``replications``,
        ``figure``, ``mean``, ``ci95_low``, ``ci95_high``, ``n``, ``unit``."""
        axes = list(dict.fromkeys(axis for cell in self.cells for axis in cell.levels))
        rows = (
            {"cell": cell.id}
            | {axis: cell.levels.get(axis) for axis in axes}
            | {"replications": cell.replications, "figure": figure}
            | estimate_columns(cell.estimates[figure])
            for cell in self.cells
            for figure in self.metrics
            if figure in cell.estimates
        )
        return data_frame(rows, ("cell", *axes, "replications", "figure", *ESTIMATE_COLUMNS))


def summarise_rows(
    table: pa.Table,
    *,
    sweep_id: str,
    seed: int,
    replications: int,
    levels: Mapping[str, dict[str, str]],
    metrics: Sequence[str] | None = None,
) -> SweepSummary:
    """Summarise a sweep's rows (:func:`freighthub.sweep.store.read_results`).

    Parameters
    ----------
    table
        Rows with ``cell``, ``cell_index`` and figure columns.
    sweep_id, seed, replications
        The sweep's identity (copied into the result).
    levels
        ``{cell id: {axis id: level id}}``.
    metrics
        Figures to summarise (default :data:`HEADLINE` plus the modal split and route
        columns present); a figure missing in a cell is NaN there.

    Each row is read back as a typed summary (:func:`freighthub.sweep.rows.summary_of_row`)
    and a cell's summaries estimated as ``simulate`` and ``compare`` do
    (:func:`freighthub.sim.run_estimate.run_estimate`, per-TEU figures included); the
    figures are then taken from that tree by dotted path
    (:func:`~freighthub.sim.estimates.estimates_by_path`).
    """
    data = table.to_pydict()
    figures = [n for n in table.column_names if n not in _NOT_FIGURES]
    names = set(figures) | {
        name for name, (num, den) in PER_TEU.items() if num in data and den in data
    }
    if metrics is None:
        split = sorted(n for n in names if n.startswith(_SPLIT))
        route_ids = dict.fromkeys(
            n[len(_ROUTES) :].rsplit(".", 1)[0] for n in figures if n.startswith(_ROUTES)
        )
        routes = [
            f"{_ROUTES}{r}.{f}" for r in route_ids for f in ROUTE_FIGURES
            if f"{_ROUTES}{r}.{f}" in names
        ]  # fmt: skip
        metrics = [m for m in HEADLINE if m in names] + split + routes
    by_cell: dict[str, list[int]] = {}
    for i, cell in enumerate(data["cell"]):
        by_cell.setdefault(cell, []).append(i)
    cells = []
    for cell, rows in sorted(by_cell.items(), key=lambda kv: data["cell_index"][kv[1][0]]):
        tree = run_estimate([summary_of_row({n: data[n][i] for n in figures}) for i in rows])
        flat = estimates_by_path(tree)
        est = {m: flat[m] if m in flat else estimate([], figure_unit(m)) for m in metrics}
        cells.append(
            CellSummary(
                index=int(data["cell_index"][rows[0]]),
                id=cell,
                levels=dict(levels.get(cell, {})),
                replications=len(rows),
                estimates=est,
                figures=tree,
            )
        )
    return SweepSummary(sweep_id, seed, replications, tuple(metrics), tuple(cells))
