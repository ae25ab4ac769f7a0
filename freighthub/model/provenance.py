"""Reproducibility manifests: what produced a result.

Every output (simulation summary, report, sweep) records the tool version, the seed,
the number of replications, the SHA-256 of each input file and the versions of the
packages that computed it. A manifest holds no wall-clock time, so the same inputs
and seed give an identical manifest.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from freighthub.model.files import sha256_of

__all__ = ["DEPENDENCIES", "Manifest", "build_manifest"]

DEPENDENCIES = (
    "numpy", "pandas", "pulp", "pyarrow", "pydantic", "pyproj", "scipy", "simpy",
)  # fmt: skip


@dataclass(frozen=True)
class Manifest:
    """What produced a result.

    Attributes
    ----------
    tool_version
        freighthub's version.
    python_version
        The interpreter's version.
    seed
        The random seed of the run, if it used randomness.
    replications
        Number of replications, if any.
    inputs_sha256
        SHA-256 of each input file, by path as given.
    dependencies
        Versions of the packages that computed the result.
    """

    tool_version: str
    python_version: str
    seed: int | None
    replications: int | None
    inputs_sha256: dict[str, str] = field(default_factory=dict)
    dependencies: dict[str, str] = field(default_factory=dict)


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def build_manifest(
    inputs: Iterable[str | Path], seed: int | None = None, replications: int | None = None
) -> Manifest:
    """Build the manifest of a run from its input files.

    Parameters
    ----------
    inputs
        Every file the run read (hubs, standards, factor packs, scenarios ...).
    seed
        Random seed [-], if any.
    replications
        Number of replications [-], if any.

    Raises
    ------
    FileNotFoundError
        If an input file does not exist (callers pass files they have just read).
    """
    paths = sorted({str(p) for p in inputs})
    return Manifest(
        tool_version=_version_of("freighthub"),
        python_version=platform.python_version(),
        seed=seed,
        replications=replications,
        inputs_sha256={p: sha256_of(p) for p in paths},
        dependencies={name: _version_of(name) for name in DEPENDENCIES},
    )
