"""The reproducibility manifest: version, parameters, input hashes, dependencies."""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from freighthub import __version__
from freighthub.model.files import sha256_of
from freighthub.report.content import Cell, Contribution, Heading, Param, Section, Table, Text
from freighthub.report.inputs import ReportInputs

__all__ = ["build_manifest", "dependency_versions"]

_EXTRA_PACKAGES = ("jinja2", "markupsafe")


def dependency_versions() -> list[tuple[str, str]]:
    """Installed versions of freighthub's runtime dependencies (importlib.metadata)."""
    names: list[str] = []
    for requirement in metadata.requires("freighthub") or []:
        if "extra ==" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        if match:
            names.append(match.group(0).lower())
    names.extend(n for n in _EXTRA_PACKAGES if n not in names)
    out = []
    for name in sorted(set(names)):
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return out


def _shown_path(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return str(path)


def build_manifest(
    inputs: ReportInputs,
    contributions: Sequence[Contribution],
    run_parameters: Sequence[tuple[str, Param]],
) -> Section:
    """The manifest section.

    Parameters
    ----------
    run_parameters
        Parameters of the run itself (language, formats, PDF engine).
    """
    base = inputs.spec_path.parent
    files: list[Path] = [inputs.spec_path]
    for c in contributions:
        files.extend(p for p in c.inputs if p not in files)
    params: list[tuple[str, Param]] = [
        ("freighthub", __version__),
        ("python", platform.python_version()),
        *run_parameters,
        *(p for c in contributions for p in c.parameters),
    ]
    blocks = (
        Heading("run", Text("manifest.run_heading")),
        Table(
            "run-table",
            Text("manifest.run_caption"),
            (Text("manifest.col.parameter"), Text("manifest.col.value")),
            tuple((Cell(k), Cell(v)) for k, v in params),
        ),
        Heading("inputs", Text("manifest.inputs_heading")),
        Table(
            "input-table",
            Text("manifest.inputs_caption", {"base": str(base)}),
            (Text("manifest.col.file"), Text("manifest.col.sha256")),
            tuple((Cell(_shown_path(f, base)), Cell(sha256_of(f))) for f in files),
        ),
        Heading("dependencies", Text("manifest.dependencies_heading")),
        Table(
            "dependency-table",
            Text("manifest.dependencies_caption"),
            (Text("manifest.col.package"), Text("manifest.col.version")),
            tuple((Cell(n), Cell(v)) for n, v in dependency_versions()),
        ),
    )
    return Section("manifest", Text("section.manifest.title"), blocks)
