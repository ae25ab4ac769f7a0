"""freighthub: intermodal freight hub evaluation and modal-shift simulation.

Score hubs against codified intermodal standards, simulate container flows over
road, rail and inland waterway, account for emissions per ISO 14083 / GLEC, and
report the results with every number traceable to its source.

The names below load on first use (PEP 562), so that ``import freighthub`` and the
command line's start-up do not pay for pydantic, pyproj, the data models or
``importlib.metadata``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from freighthub.errors import DataFileError, FreighthubError, UnknownIdentifierError
    from freighthub.geo import distance_between_km, geodesic_distance_km
    from freighthub.model import Hub, Sourced, load_hub, load_hubs
    from freighthub.version import __version__
    from freighthub.vocabulary import Confidence, HubType, Mode

__all__ = [
    "Confidence",
    "DataFileError",
    "FreighthubError",
    "Hub",
    "HubType",
    "Mode",
    "Sourced",
    "UnknownIdentifierError",
    "__version__",
    "distance_between_km",
    "geodesic_distance_km",
    "load_hub",
    "load_hubs",
]

#: Public name -> module that defines it.
_LAZY = {
    "DataFileError": "freighthub.errors",
    "FreighthubError": "freighthub.errors",
    "UnknownIdentifierError": "freighthub.errors",
    "distance_between_km": "freighthub.geo",
    "geodesic_distance_km": "freighthub.geo",
    "Hub": "freighthub.model",
    "Sourced": "freighthub.model",
    "load_hub": "freighthub.model",
    "load_hubs": "freighthub.model",
    "Confidence": "freighthub.vocabulary",
    "HubType": "freighthub.vocabulary",
    "Mode": "freighthub.vocabulary",
    "__version__": "freighthub.version",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'freighthub' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
