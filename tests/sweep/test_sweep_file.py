"""The sweep file loader: grid and list expansion, and every error path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.sweep import load_sweep

REPO = Path(__file__).resolve().parents[2]


def test_grid_cells_are_the_product_first_axis_slowest(write_sweep: Callable[..., Path]) -> None:
    loaded = load_sweep(write_sweep())
    assert [c.id for c in loaded.cells] == ["today.none", "today.s30", "more.none", "more.s30"]
    assert [c.index for c in loaded.cells] == [0, 1, 2, 3]
    assert loaded.cells[3].levels == {"barges": "more", "shift": "s30"}
    assert [v.id for v in loaded.cells[3].variants] == ["more", "s30"]
    assert loaded.n_tasks == 8
    # every level got the sweep's base and its id as name
    assert loaded.cells[1].variants[1].base == loaded.sweep.base
    assert loaded.cells[1].variants[1].name == "s30"


def test_list_cells(write_sweep: Callable[..., Path]) -> None:
    body = """
[[cells]]
id = "base"
[[cells]]
id = "more-barges"
name = "Four barges a week"
[[cells.change_services]]
id = "barge-ab"
departures_per_week = 4
"""
    loaded = load_sweep(write_sweep(body, reps=3))
    assert [c.id for c in loaded.cells] == ["base", "more-barges"]
    assert loaded.cells[1].levels == {"cell": "more-barges"}
    assert loaded.cells[1].variants[0].name == "Four barges a week"
    assert loaded.n_tasks == 6


def test_shipped_example_sweep_loads() -> None:
    loaded = load_sweep(REPO / "scenarios" / "sweeps" / "yangtze-carbon-price.toml")
    assert len(loaded.cells) >= 2
    assert 2 <= loaded.sweep.replications <= 3
    assert loaded.base_path.resolve() == (REPO / "scenarios" / "yangtze-corridor.toml").resolve()
    # every non-empty value of a level carries its source and confidence
    for axis in loaded.sweep.axes:
        for level in axis.levels:
            price = level.policy.carbon_price_cny_per_tco2e
            if price is not None:
                assert price.is_sourced
            for change in level.change_services:
                assert change.departures_per_week is not None
                assert change.departures_per_week.is_sourced


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("", r"test-sweep\.toml: give either \[\[axes\]\] \(a grid\) or \[\[cells\]\]"),
        (
            '[[cells]]\nid = "a"\n[[axes]]\nid = "x"\n[[axes.levels]]\nid = "l"\n',
            r"give either \[\[axes\]\] \(a grid\) or \[\[cells\]\] \(a list\), exactly one",
        ),
        (
            '[[cells]]\nid = "a"\n[[cells]]\nid = "a"\n',
            r"cells\[1\]\.id = 'a': is given twice; ids must be unique",
        ),
        (
            '[[axes]]\nid = "x"\n[[axes.levels]]\nid = "l"\n[[axes.levels]]\nid = "l"\n',
            r"axes\[0\]\.levels\[1\]\.id = 'l': is given twice",
        ),
        (
            '[[cells]]\nid = "a"\nbase = "other.toml"\n',
            r"cells\[0\]\.base = 'other.toml': a level or cell takes the sweep's base",
        ),
        (
            '[[axes]]\nid = "x"\n[[axes.levels]]\nid = "l"\nbase = "o.toml"\n',
            r"axes\[0\]\.levels\[0\]\.base = 'o.toml': a level or cell takes the sweep's base",
        ),
        (
            '[[cells]]\nid = "a"\n[[cells.change_services]]\nid = "barge-ab"\ndepartures_per_week = -1\n',
            r"cells\[0\]\.change_services\[0\]\.departures_per_week = -1: must be > 0",
        ),
        (
            '[[cells]]\nid = "a"\n[[cells.change_service]]\nid = "barge-ab"\n',
            r"cells\[0\]\.change_service = .*: unknown field; did you mean 'change_services'\?",
        ),
        (
            '[[cells]]\nid = "a"\npolicy = { carbon_price_cny_per_tco2e = 100 }\n',
            r"cells\[0\] = .*: policy levers act through the mode choice",
        ),
        ('[[cells]]\nid = "Not An Id"\n', r"cells\[0\]\.id = 'Not An Id': must match the pattern"),
        (
            '[[axes]]\nid = "x"\n[[axes.levels]]\nid = "a.b"\n[[axes.levels]]\nid = "a"\n'
            '[[axes]]\nid = "y"\n[[axes.levels]]\nid = "c"\n[[axes.levels]]\nid = "b.c"\n',
            r"axes = 'a\.b\.c': level ids \('a\.b', 'c'\) and \('a', 'b\.c'\) give the same cell id",
        ),
        (
            '[[axes]]\nid = "x"\nlevels = []\n',
            r"axes\[0\]\.levels = \[\]: must have at least 1 item",
        ),
    ],
)
def test_error_paths(write_sweep: Callable[..., Path], body: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        load_sweep(write_sweep(body))


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ('id = "test-sweep"\nname = "x"\nbase = "corridor.toml"\nseed = 1\nreplications = 0\n',
         r"replications = 0: must be > 0"),
        ('id = "test-sweep"\nname = "x"\nbase = "corridor.toml"\nseed = -1\nreplications = 1\n',
         r"seed = -1: must be >= 0"),
        ('id = "test-sweep"\nname = "x"\nseed = 1\nreplications = 1\n',
         r"test-sweep\.toml: base: required field is missing"),
        ('id = "test-sweep"\nname = "x"\nbase = "nowhere.toml"\nseed = 1\nreplications = 1\n',
         r"base = 'nowhere\.toml': base file does not exist"),
        ('id = "other-name"\nname = "x"\nbase = "corridor.toml"\nseed = 1\nreplications = 1\n',
         r"id = 'other-name': must equal the file name 'test-sweep'"),
    ],
)  # fmt: skip
def test_header_error_paths(
    write_sweep: Callable[..., Path], tmp_path: Path, header: str, match: str
) -> None:
    (tmp_path / "corridor.toml").write_text("id = 'corridor'\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=match):
        load_sweep(write_sweep(header + '[[cells]]\nid = "a"\n', header=False))


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.toml: does not exist"):
        load_sweep(tmp_path / "nope.toml")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"empty\.toml: file is empty"):
        load_sweep(empty)


def test_shipped_example_sweep_plans_every_cell() -> None:
    """Every cell of the shipped example resolves (mode choice, service changes) and differs."""
    from freighthub.sweep import plan_sweep

    plan = plan_sweep(load_sweep(REPO / "scenarios" / "sweeps" / "yangtze-carbon-price.toml"))
    assert [c.error for c in plan.cells] == [None] * len(plan.cells)
    shares = {
        c.cell.id: tuple(c.input.network.routes.share) for c in plan.cells if c.input is not None
    }
    assert len(set(shares.values())) > 1  # the carbon price moves route shares
    assert len(plan.tasks) == len(plan.cells) * plan.sweep.sweep.replications
    assert len({t.seed for t in plan.tasks}) == len(plan.tasks)
