"""Fixtures of the sweep tests: a tiny corridor and sweep files written per test."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

# Worker processes (forkserver) import the fault-injecting task functions by name.
if str(DATA.parent) not in sys.path:
    sys.path.insert(0, str(DATA.parent))

HEADER = """
id = "{id}"
name = "Test sweep"
base = "{base}"
seed = 11
replications = {reps}
"""

#: A 2 x 2 grid: barge departures x road shifted to rail and barge.
GRID = """
[[axes]]
id = "barges"
[[axes.levels]]
id = "today"
[[axes.levels]]
id = "more"
[[axes.levels.change_services]]
id = "barge-ab"
departures_per_week = 4

[[axes]]
id = "shift"
[[axes.levels]]
id = "none"
[[axes.levels]]
id = "s30"
[[axes.levels.shift]]
demand = "west-east"
road_share = 0.3
to_routes = ["rail", "barge"]
"""


@pytest.fixture()
def hubs_dir() -> Path:
    """The hubs of the test corridor."""
    return DATA / "hubs"


@pytest.fixture()
def write_sweep(tmp_path: Path) -> Callable[..., Path]:
    """Write a sweep file ``<tmp>/<id>.toml`` over the test corridor; return its path."""

    def write(
        body: str = GRID, *, id: str = "test-sweep", reps: int = 2, header: bool = True
    ) -> Path:
        base = (DATA / "corridor.toml").as_posix()
        text = (HEADER.format(id=id, base=base, reps=reps) if header else "") + body
        path = tmp_path / f"{id}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
