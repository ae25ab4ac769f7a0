"""Planning a sweep: each cell resolved into a network, each task's seed derived.

A cell's changes are scenario variants (:class:`freighthub.model.variant.Variant`)
applied in order to the resolved base with the same steps as
:func:`freighthub.shift.resolve.resolve_scenario` (the fold
:func:`freighthub.shift.resolve.apply_variants`): structural changes by
:func:`freighthub.model.variant.apply_variant`, policy levers merged along the chain,
and, for a variant with ``[mode_choice]``, route shares predicted by the logit
calibrated on that variant's base. Cells are resolved in the calling process (cheap,
deterministic); the workers only simulate.

Seeds: task ``(cell_index, replication)`` of a sweep with seed ``s`` simulates with

    numpy.random.SeedSequence(s, spawn_key=(cell_index, replication)).generate_state(1, numpy.uint64)[0]

as the seed of replication 0 of :func:`freighthub.sim.experiment.run_network`. The
seed depends only on the sweep seed and the task's position, so it is the same in
every run and on every executor, and different for every cell and replication
(cells are independent samples, not common random numbers; use ``freighthub
compare`` for paired differences).

References
----------
NumPy, ``numpy.random.SeedSequence`` (spawn keys give independent streams):
https://numpy.org/doc/stable/reference/random/bit_generators/generated/numpy.random.SeedSequence.html
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from freighthub.emissions import FactorPack
from freighthub.errors import FreighthubError
from freighthub.model.sweep import Cell, LoadedSweep
from freighthub.shift.resolve import (
    ResolvedScenario,
    apply_variants,
    levers,
    resolve_scenario,
    unique_paths,
)
from freighthub.sim.compiler import compile_network
from freighthub.sim.network import CompiledNetwork

__all__ = ["CellInput", "CellPlan", "SweepPlan", "Task", "plan_sweep", "task_seed"]


def task_seed(sweep_seed: int, cell_index: int, replication: int) -> int:
    """The simulation seed of one task (see the module docstring).

    Parameters
    ----------
    sweep_seed
        The sweep's seed [-], >= 0.
    cell_index
        Position of the cell in the sweep [-], >= 0.
    replication
        Replication number, 0-based [-].

    Raises
    ------
    ValueError
        If an argument is negative.
    """
    for name, v in (("sweep_seed", sweep_seed), ("cell_index", cell_index), ("replication", replication)):  # fmt: skip
        if v < 0:
            raise ValueError(f"{name} = {v}: must be >= 0")
    seq = np.random.SeedSequence(sweep_seed, spawn_key=(cell_index, replication))
    return int(seq.generate_state(1, dtype=np.uint64)[0])


@dataclass(frozen=True)
class CellInput:
    """What a worker needs to simulate a cell: the compiled network and the factor pack."""

    network: CompiledNetwork
    pack: FactorPack


@dataclass(frozen=True)
class CellPlan:
    """A cell, resolved or not.

    Attributes
    ----------
    cell
        The cell of the sweep file.
    input
        Network and pack to simulate; ``None`` if the cell's changes are invalid.
    error
        Why the cell could not be resolved (``None`` if it was).
    changes
        What the cell changed, as ``"field: before -> after"``.
    files
        Files the cell read besides the base's (mode-choice parameters).
    """

    cell: Cell
    input: CellInput | None
    error: str | None
    changes: tuple[str, ...]
    files: tuple[Path, ...]


@dataclass(frozen=True)
class Task:
    """One replication of one cell."""

    cell_index: int
    cell_id: str
    replication: int
    seed: int


@dataclass(frozen=True)
class SweepPlan:
    """A sweep ready to run.

    Attributes
    ----------
    sweep
        The loaded sweep file.
    base
        The resolved base scenario.
    cells
        Every cell, resolved or with its error.
    tasks
        Every task (cells x replications), cell-major.
    input_files
        Every file read: the sweep file, the base chain, hubs, parameters, factor pack.
    """

    sweep: LoadedSweep
    base: ResolvedScenario
    cells: tuple[CellPlan, ...]
    tasks: tuple[Task, ...]
    input_files: tuple[Path, ...]


def _resolve_cell(
    base: ResolvedScenario,
    cell: Cell,
    sweep_path: Path,
    hubs_dir: str | Path | None,
    mode_choice_dir: str | Path | None,
) -> CellPlan:
    loaded, policy = base.loaded, base.policy
    changes: list[str] = []
    files: list[Path] = []
    variants = ((sweep_path, variant) for variant in cell.variants)
    try:
        for step in apply_variants(
            loaded, policy, variants, base.pack, hubs_dir=hubs_dir, mode_choice_dir=mode_choice_dir
        ):
            changes.extend(f"{c.field}: {c.before} -> {c.after}" for c in step.changes)
            if step.choice is not None:
                files.append(step.choice.parameters_path)
                changes.append(f"route shares: {step.choice_source}")
            if step.policy != policy:
                changes.append(f"policy: {levers(step.policy)}")
            loaded, policy = step.loaded, step.policy
    except FreighthubError as exc:
        return CellPlan(cell, None, f"{type(exc).__name__}: {exc}", tuple(changes), tuple(files))
    network = dataclasses.replace(compile_network(loaded), input_sha256=base.network.input_sha256)
    return CellPlan(cell, CellInput(network, base.pack), None, tuple(changes), tuple(files))


def plan_sweep(
    sweep: LoadedSweep,
    *,
    hubs_dir: str | Path | None = None,
    pack: str | Path | FactorPack | None = None,
    mode_choice_dir: str | Path | None = None,
) -> SweepPlan:
    """Resolve the base and every cell, and list the tasks with their seeds.

    A cell whose changes are invalid (an unknown service, a share out of range after
    the change ...) is kept with its error: its tasks are reported as failed and the
    other cells run.

    Parameters
    ----------
    sweep
        The loaded sweep file (:func:`freighthub.model.sweep.load_sweep`).
    hubs_dir
        Folder of hub files (default: the shipped ``hubs/``).
    pack
        Emission factor pack (id, path or loaded); default: the base scenario's.
    mode_choice_dir
        Folder of mode-choice parameter files (default ``standards/mode-choice/``).

    Raises
    ------
    DataFileError
        If the base scenario or variant chain is invalid.
    UnknownIdentifierError
        For an unknown factor pack.
    """
    base = resolve_scenario(
        sweep.base_path, hubs_dir=hubs_dir, pack=pack, mode_choice_dir=mode_choice_dir
    )
    cells = tuple(
        _resolve_cell(base, c, sweep.path, hubs_dir, mode_choice_dir) for c in sweep.cells
    )
    reps = sweep.sweep.replications
    tasks = tuple(
        Task(c.index, c.id, r, task_seed(sweep.sweep.seed, c.index, r))
        for c in sweep.cells
        for r in range(reps)
    )
    read = unique_paths([sweep.path, *base.input_files, *(f for c in cells for f in c.files)])
    return SweepPlan(sweep, base, cells, tasks, tuple(p.resolve() for p in read))
