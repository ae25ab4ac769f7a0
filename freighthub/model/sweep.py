"""Scenario sweeps: a TOML file that names a base, a grid or list of changes, and replications.

A sweep file names its ``base`` (a scenario or a scenario variant, path relative to
the sweep file), the sweep ``seed`` and the number of ``replications`` of every cell,
and the cells, either

* as a grid: ``[[axes]]``, each with ``[[axes.levels]]``; the cells are every
  combination of one level per axis (first axis slowest), or
* as a list: ``[[cells]]``.

A level or a cell is written in the vocabulary of a scenario variant
(:class:`freighthub.model.variant.Variant`: ``[mode_choice]``, ``[policy]``,
``[[change_services]]``, ``[[change_hubs]]``, ``[[shift]]`` ...) with an ``id`` and an
optional ``name``, but without ``base`` (the sweep's base is every cell's base). A
grid cell applies its levels in axis order, like a chain of variants, so a carbon
price on one axis and a service frequency on another combine. An empty level (only
an ``id``) leaves the base unchanged. The format is documented in
``docs/data-formats.md`` ("Scenario sweeps").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import Frozen, Id, Text
from freighthub.model.files import id_is_file_name, read_toml, unique_ids, validate
from freighthub.model.variant import Variant

__all__ = ["Axis", "Cell", "LoadedSweep", "Sweep", "load_sweep"]


#: Joins the level ids of a grid cell into the cell id.
CELL_ID_SEPARATOR = "."


class Axis(Frozen):
    """One dimension of a grid: its levels, each a set of variant changes."""

    id: Id
    name: Text | None = None
    levels: Annotated[tuple[Variant, ...], Field(min_length=1)]


class Sweep(Frozen):
    """A sweep file (see the module docstring and ``docs/data-formats.md``)."""

    id: Id
    name: Text
    description: Text | None = None
    base: Text
    seed: Annotated[int, Field(ge=0)]
    replications: Annotated[int, Field(gt=0)]
    axes: tuple[Axis, ...] = ()
    cells: tuple[Variant, ...] = ()

    @model_validator(mode="after")
    def _grid_or_list(self) -> Sweep:
        if bool(self.axes) == bool(self.cells):
            raise ValueError(_GRID_OR_LIST)
        return self


_GRID_OR_LIST = "give either [[axes]] (a grid) or [[cells]] (a list), exactly one"


def _check_unique(ids: list[str], where: str, path: Path) -> None:
    items = ((f"{where}[{i}].id", item) for i, item in enumerate(ids))
    unique_ids(path, items, rule="is given twice; ids must be unique")


@dataclass(frozen=True)
class Cell:
    """One cell of a sweep: the variants applied to the base, in order.

    Attributes
    ----------
    index
        Position of the cell in the sweep (grid order, first axis slowest) [-].
    id
        Cell id: the level ids joined by ``.`` (grid) or the cell's id (list).
    levels
        ``{axis id: level id}`` for a grid cell; ``{"cell": id}`` for a list cell.
    variants
        The changes, as variants whose ``base`` is the sweep's base, applied in order.
    """

    index: int
    id: str
    levels: dict[str, str]
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class LoadedSweep:
    """A validated sweep file with its cells expanded.

    Attributes
    ----------
    sweep
        The validated file.
    path
        The sweep file.
    base_path
        The base scenario or variant file (resolved against the sweep file's folder).
    cells
        Every cell, in order.
    """

    sweep: Sweep
    path: Path
    base_path: Path
    cells: tuple[Cell, ...]

    @property
    def n_tasks(self) -> int:
        """Number of tasks: cells times replications [-]."""
        return len(self.cells) * self.sweep.replications


_OWN_BASE = "a level or cell takes the sweep's base; remove this field"


def _with_base(items: Any, base: Any, where: str, path: Path) -> Any:
    """Give every level or cell table the sweep's base (a level must not set its own)."""
    if not isinstance(items, list):
        return items
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            if "base" in item:
                raise DataFileError(path, _OWN_BASE, f"{where}[{i}].base", item["base"])
            item = {**item, "base": base}
            item.setdefault("name", item.get("id"))
        out.append(item)
    return out


def load_sweep(path: str | Path) -> LoadedSweep:
    """Read and validate a sweep file and expand its cells.

    Parameters
    ----------
    path
        The sweep TOML file.

    Raises
    ------
    DataFileError
        If the file is invalid (one line naming the field, value and rule), its
        ``id`` differs from the file name, a level or cell sets ``base``, the base
        file does not exist, or two grid cells get the same id.
    """
    p = Path(path)
    data = read_toml(p)
    if ("axes" in data) == ("cells" in data):
        raise DataFileError(p, _GRID_OR_LIST)
    base = data.get("base")
    if "cells" in data:
        data["cells"] = _with_base(data["cells"], base, "cells", p)
    if isinstance(data.get("axes"), list):
        data["axes"] = [
            {**a, "levels": _with_base(a["levels"], base, f"axes[{k}].levels", p)}
            if isinstance(a, dict) and "levels" in a
            else a
            for k, a in enumerate(data["axes"])
        ]
    sweep = validate(Sweep, data, p)
    _check_unique([c.id for c in sweep.cells], "cells", p)
    _check_unique([a.id for a in sweep.axes], "axes", p)
    for k, axis in enumerate(sweep.axes):
        _check_unique([lv.id for lv in axis.levels], f"axes[{k}].levels", p)
    id_is_file_name(p, sweep.id)
    base_path = p.parent / sweep.base
    if not base_path.is_file():
        raise DataFileError(p, f"base file does not exist ({base_path})", "base", sweep.base)
    return LoadedSweep(sweep=sweep, path=p, base_path=base_path, cells=_cells(sweep, p))


def _cells(sweep: Sweep, path: Path) -> tuple[Cell, ...]:
    if sweep.cells:
        return tuple(
            Cell(index=i, id=c.id, levels={"cell": c.id}, variants=(c,))
            for i, c in enumerate(sweep.cells)
        )
    cells: list[Cell] = []
    seen: dict[str, tuple[str, ...]] = {}
    for i, combo in enumerate(itertools.product(*(a.levels for a in sweep.axes))):
        cell_id = CELL_ID_SEPARATOR.join(lv.id for lv in combo)
        ids = tuple(lv.id for lv in combo)
        if cell_id in seen:
            raise DataFileError(
                path,
                f"level ids {seen[cell_id]} and {ids} give the same cell id; "
                "rename a level (ids are joined with '.')",
                "axes",
                cell_id,
            )
        seen[cell_id] = ids
        levels = {a.id: lv.id for a, lv in zip(sweep.axes, combo, strict=True)}
        cells.append(Cell(index=i, id=cell_id, levels=levels, variants=tuple(combo)))
    return tuple(cells)
