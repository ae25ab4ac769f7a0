"""What a report is built from: the spec, the hubs, and results shared by sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from freighthub.errors import UnknownIdentifierError
from freighthub.model.files import toml_files_in
from freighthub.model.hub import Hub, load_hubs
from freighthub.model.paths import data_dir
from freighthub.report.spec import ReportSpec

__all__ = ["ReportInputs", "gather_inputs"]

R = TypeVar("R")


@dataclass
class ReportInputs:
    """The loaded inputs of one report, handed to every section builder.

    Attributes
    ----------
    spec
        The report spec (paths absolute).
    spec_path
        The spec file (hashed in the manifest).
    hubs
        The hubs the report covers, by id, sorted.
    hub_files
        The files those hubs were read from.
    workers
        Processes the simulations run their replications in (identical results for
        any number; see :func:`freighthub.sim.experiment.run_network`).
    folder_hubs
        Every hub of the hub folder, by id: a simulated scenario may name hubs that the
        report does not score, and tables still show their names.
    """

    spec: ReportSpec
    spec_path: Path
    hubs: dict[str, Hub]
    hub_files: tuple[Path, ...]
    workers: int = 1
    folder_hubs: dict[str, Hub] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def hub(self, hub_id: str) -> Hub | None:
        """The hub of that id: one the report covers, else any of the hub folder."""
        return self.hubs.get(hub_id) or self.folder_hubs.get(hub_id)

    def shared(self, key: str, compute: Callable[[], R]) -> R:
        """A result computed once and shared by several sections (e.g. the assessment).

        Exceptions are not cached: a failing computation fails the report.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        result: R = self._memo[key]
        return result


def gather_inputs(spec: ReportSpec, spec_path: Path, *, workers: int = 1) -> ReportInputs:
    """Load the hubs a spec names (``workers``: see :class:`ReportInputs`).

    Raises
    ------
    DataFileError
        If a hub file is invalid or the folder is empty.
    UnknownIdentifierError
        If ``hub_ids`` names a hub that is not in the folder.
    """
    source = spec.hubs if spec.hubs is not None else data_dir("hubs")
    every = load_hubs(source)
    files = {p.stem: p for p in (toml_files_in(source, "hub") if source.is_dir() else [source])}
    ids = list(spec.hub_ids) if spec.hub_ids is not None else list(every)
    for hub_id in ids:
        if hub_id not in every:
            raise UnknownIdentifierError("hub", hub_id, every)
    hubs = {hub_id: every[hub_id] for hub_id in sorted(ids)}
    return ReportInputs(
        spec=spec,
        spec_path=spec_path,
        hubs=hubs,
        hub_files=tuple(files[hub_id].resolve() for hub_id in hubs),
        workers=workers,
        folder_hubs=every,
    )
