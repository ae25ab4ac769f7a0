"""``freighthub demo``: run the main job on the shipped data and show the results."""

from __future__ import annotations

from rich.table import Table

from freighthub.cli.hubs import hub_table
from freighthub.cli.output import JsonOption, emit_json, out_console
from freighthub.demo import run_demo


def demo(json: JsonOption = False) -> None:
    """Load and validate the shipped data, then show hubs and distances."""
    result = run_demo()
    ids = list(result.hubs)
    if json:
        emit_json(
            {
                "hubs": ids,
                "distance_matrix_km": {
                    a: {b: result.distance_matrix_km[i][j] for j, b in enumerate(ids)}
                    for i, a in enumerate(ids)
                },
            }
        )
        return
    out_console.print(f"Loaded and validated {len(ids)} hubs from {result.hubs_dir}")
    out_console.print(hub_table(result.hubs))
    table = Table(title="Geodesic distance between hubs [km] (WGS84)")
    table.add_column("from \\ to")
    for hub_id in ids:
        table.add_column(hub_id, justify="right")
    for i, hub_id in enumerate(ids):
        table.add_row(
            hub_id,
            *(f"{d:,.0f}" if i != j else "–" for j, d in enumerate(result.distance_matrix_km[i])),
        )
    out_console.print(table)
