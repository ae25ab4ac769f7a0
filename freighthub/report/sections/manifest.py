"""The reproducibility manifest: version, parameters, input hashes, dependencies."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from freighthub.model.provenance import Manifest, build_manifest
from freighthub.report.content import Cell, Contribution, Heading, Param, Section, Table, Text
from freighthub.report.inputs import ReportInputs

__all__ = ["build_manifest_section", "dependency_versions"]

# Packages that render the report, besides those that computed it.
_REPORT_PACKAGES = ("jinja2", "markupsafe")


def dependency_versions(manifest: Manifest) -> list[tuple[str, str]]:
    """Versions of the computing packages (from the manifest) and the rendering ones."""
    versions = dict(manifest.dependencies)
    for name in _REPORT_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return sorted(versions.items())


def _shown_path(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return str(path)


def build_manifest_section(
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
    manifest = build_manifest(files)
    params: list[tuple[str, Param]] = [
        ("freighthub", manifest.tool_version),
        ("python", manifest.python_version),
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
            tuple(
                (Cell(_shown_path(Path(f), base)), Cell(digest))
                for f, digest in sorted(
                    manifest.inputs_sha256.items(), key=lambda kv: files.index(Path(kv[0]))
                )
            ),
        ),
        Heading("dependencies", Text("manifest.dependencies_heading")),
        Table(
            "dependency-table",
            Text("manifest.dependencies_caption"),
            (Text("manifest.col.package"), Text("manifest.col.version")),
            tuple((Cell(n), Cell(v)) for n, v in dependency_versions(manifest)),
        ),
    )
    return Section("manifest", Text("section.manifest.title"), blocks)
