"""A sweep's stored rows read back as typed summaries, estimated as simulate and compare do."""

from __future__ import annotations

import dataclasses
import math
import typing
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from freighthub.shift.resolve import resolve_scenario
from freighthub.sim.estimates import estimates_by_path
from freighthub.sim.experiment import run_network
from freighthub.sim.run_estimate import run_estimate
from freighthub.sim.summary import Summary, flatten
from freighthub.sim.terminal_stats import (
    PoolSummary,
    TerminalHubSummary,
    TerminalRouteSummary,
    TerminalSummary,
)
from freighthub.sweep.rows import TTW_COMPLETE, row_of_summary, summary_of_row
from freighthub.sweep.summary import summarise_rows

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def summaries() -> tuple[Summary, ...]:
    r = resolve_scenario(DATA / "corridor.toml", hubs_dir=DATA / "hubs")
    return run_network(r.network, r.pack, seed=7, replications=3).summaries


def _numbered(kind: Any, start: float) -> Any:
    """An instance of a summary class of numbers only, each field a distinct value."""
    figures = typing.get_origin(kind) or kind
    return kind(**{f.name: start + i for i, f in enumerate(dataclasses.fields(figures))})


def _same(a: dict[str, float], b: dict[str, float]) -> bool:
    return list(a) == list(b) and all(
        x == y or (math.isnan(x) and math.isnan(y))
        for x, y in zip(a.values(), b.values(), strict=True)
    )


def test_a_row_reads_back_as_the_summary_it_was_written_from(
    summaries: tuple[Summary, ...],
) -> None:
    terminal = TerminalSummary(
        pools={
            "alpha/crane": _numbered(PoolSummary, 1.0),
            "beta/gate": _numbered(PoolSummary, 20.0),
        },
        hubs={"alpha": _numbered(TerminalHubSummary, 40.0)},
        routes={"west-east/rail": _numbered(TerminalRouteSummary, 60.0)},
    )
    plain = summaries[0]
    nan_mode = {**plain.door_to_door_mean_h_by_mode, "road": math.nan}
    for s in (
        plain,
        dataclasses.replace(plain, terminal=terminal, emissions_ttw_complete=True),
        dataclasses.replace(plain, door_to_door_mean_h_by_mode=nan_mode),
    ):
        back = summary_of_row(row_of_summary(s))
        assert _same(flatten(back), flatten(s))
        assert back.emissions_ttw_complete == s.emissions_ttw_complete
        assert (back.terminal is None) == (s.terminal is None)
        assert back.door_to_door_mean_h_by_mode.keys() == s.door_to_door_mean_h_by_mode.keys()


def test_what_a_row_lacks_is_missing_not_invented(summaries: tuple[Summary, ...]) -> None:
    row: dict[str, float | None] = dict(row_of_summary(summaries[0]))
    del row[TTW_COMPLETE]  # a row written before the flag was stored
    hub = next(iter(summaries[0].hubs))
    for k in [k for k in row if k.startswith(f"hubs.{hub}.")]:
        row[k] = None  # the hub of another cell
    row["throughput_teu"] = None
    back = summary_of_row(row)
    assert back.emissions_ttw_complete is False
    assert hub not in back.hubs and back.hubs.keys() == summaries[0].hubs.keys() - {hub}
    assert math.isnan(back.throughput_teu)
    assert back.terminal is None


def test_sweep_cells_are_estimated_as_simulate_estimates(summaries: tuple[Summary, ...]) -> None:
    # The same replications give the same figures, per-TEU ones included, whether
    # estimated from the run (simulate, compare) or from the sweep's stored rows.
    rows = [row_of_summary(s) for s in summaries]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    table = pa.table({"cell": ["a"] * len(rows), "cell_index": [0] * len(rows), **columns})
    s = summarise_rows(table, sweep_id="s", seed=1, replications=3, levels={})
    expected = estimates_by_path(run_estimate(summaries))
    cell = s.cells[0]
    assert "cost_cny_per_teu" in cell.estimates and any(m.startswith("routes.") for m in s.metrics)
    for name, e in cell.estimates.items():
        assert e == expected[name] or (math.isnan(e.mean) and e.n == expected[name].n == 0), name
