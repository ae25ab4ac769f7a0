"""journeys.parquet streamed in pieces (issue #20, memory): the same table as built whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim import event_tables
from freighthub.sim.compiler import compile_network
from freighthub.sim.event_tables import journeys_table
from freighthub.sim.experiment import ExperimentResult, run_network
from freighthub.sim.output import write_outputs

TINY = Path(__file__).resolve().parent / "tiny"
PACK = load_factor_pack("glec-v3-2023")


def _same(a: pa.Table, b: pa.Table) -> bool:
    """Same columns, types and values (NaN equal to NaN)."""
    if a.schema.remove_metadata() != b.schema.remove_metadata():
        return False
    for name in a.column_names:
        x, y = a[name], b[name]
        if pa.types.is_floating(x.type):
            if not np.array_equal(x.to_numpy(), y.to_numpy(), equal_nan=True):
                return False
        elif x.to_pylist() != y.to_pylist():
            return False
    return True


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    network = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    return run_network(network, PACK, seed=3, replications=2, keep_runs=True)


def test_pieces_are_slices_of_the_whole_table(result: ExperimentResult) -> None:
    run = result.runs[0]
    whole = journeys_table(result.network, run.arrivals, run.result, run.index)
    n = run.arrivals.n
    assert n > 20
    cuts = [0, 1, 7, n // 2, n - 1, n]
    pieces = [
        journeys_table(result.network, run.arrivals, run.result, run.index, slice(a, b))
        for a, b in itertools.pairwise(cuts)
    ]
    assert sum(p.num_rows for p in pieces) == n
    assert _same(pa.concat_tables(pieces), whole)
    assert (
        journeys_table(
            result.network, run.arrivals, run.result, run.index, slice(n, n + 5)
        ).num_rows
        == 0
    )


def test_streamed_file_equals_the_whole_tables(
    result: ExperimentResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_tables, "JOURNEY_ROWS", 9)
    out = write_outputs(result, tmp_path / "out")
    written = pq.read_table(out / "journeys.parquet")
    whole = pa.concat_tables(
        [journeys_table(result.network, r.arrivals, r.result, r.index) for r in result.runs]
    )
    assert written.schema.metadata[b"freighthub.seed"] == b"3"
    assert _same(written, whole)
    n = sum(r.arrivals.n for r in result.runs)
    pieces = sum(-(-r.arrivals.n // 9) for r in result.runs)
    assert pq.ParquetFile(out / "journeys.parquet").num_row_groups == pieces
    np.testing.assert_array_equal(written["container"].to_numpy()[: result.runs[0].arrivals.n],
                                  np.arange(result.runs[0].arrivals.n))  # fmt: skip
    assert written.num_rows == n
