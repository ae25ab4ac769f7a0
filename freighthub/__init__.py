"""freighthub: intermodal freight hub evaluation and modal-shift simulation.

Score hubs against codified intermodal standards, simulate container flows over
road, rail and inland waterway, account for emissions per ISO 14083 / GLEC, and
report the results with every number traceable to its source.
"""

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
