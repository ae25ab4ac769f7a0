"""The main job on the shipped data, as run by ``freighthub demo`` and ``make demo``.

It grows with every capability: today it loads and validates every shipped hub and
computes the geodesic distance matrix between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from freighthub.geo import distance_matrix_km
from freighthub.model.hub import Hub, load_hubs
from freighthub.model.paths import data_dir

__all__ = ["DemoResult", "run_demo"]


@dataclass(frozen=True)
class DemoResult:
    """What the demo computed.

    Attributes
    ----------
    hubs_dir
        Folder the hubs were loaded from.
    hubs
        The validated hubs by id.
    distance_matrix_km
        Geodesic distances between the hubs, in the order of ``hubs`` [km].
    """

    hubs_dir: Path
    hubs: dict[str, Hub]
    distance_matrix_km: list[list[float]]


def run_demo(hubs_dir: Path | None = None) -> DemoResult:
    """Run the main job on the shipped data (or on ``hubs_dir``).

    Raises
    ------
    DataFileError
        If any shipped data file is invalid.
    """
    folder = hubs_dir or data_dir("hubs")
    hubs = load_hubs(folder)
    return DemoResult(
        hubs_dir=folder,
        hubs=hubs,
        distance_matrix_km=distance_matrix_km(list(hubs.values())),
    )
