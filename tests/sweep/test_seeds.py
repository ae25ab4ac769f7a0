"""Task seeds: the documented SeedSequence rule, deterministic, distinct per task."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.sweep.plan import task_seed


def test_seed_is_the_documented_seed_sequence_rule() -> None:
    expected = np.random.SeedSequence(11, spawn_key=(3, 1)).generate_state(1, dtype=np.uint64)[0]
    assert task_seed(11, 3, 1) == int(expected)


@given(
    sweep_seed=st.integers(min_value=0, max_value=2**63),
    cells=st.integers(min_value=1, max_value=30),
    reps=st.integers(min_value=1, max_value=10),
)
def test_seeds_are_deterministic_and_distinct(sweep_seed: int, cells: int, reps: int) -> None:
    seeds = [task_seed(sweep_seed, c, r) for c in range(cells) for r in range(reps)]
    assert seeds == [task_seed(sweep_seed, c, r) for c in range(cells) for r in range(reps)]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**64 for s in seeds)


def test_cell_and_replication_are_not_interchangeable() -> None:
    assert task_seed(5, 0, 1) != task_seed(5, 1, 0)
    assert task_seed(5, 0, 0) != task_seed(6, 0, 0)


@pytest.mark.parametrize(
    ("args", "match"),
    [((-1, 0, 0), r"sweep_seed = -1: must be >= 0"), ((0, -2, 0), r"cell_index = -2"),
     ((0, 0, -3), r"replication = -3: must be >= 0")],
)  # fmt: skip
def test_negative_arguments_raise(args: tuple[int, int, int], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        task_seed(*args)
