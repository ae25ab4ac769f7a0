"""Routing, GIS export and maps on the transport network of ``networks/``.

The network itself is loaded by :mod:`freighthub.model.network`; this package builds
graphs from it with networkx and answers routing questions.
"""

from __future__ import annotations

from freighthub.network.routing import (
    NoRouteError,
    Route,
    k_shortest_routes,
    mode_from_name,
    network_distances_km,
    shortest_route,
)
from freighthub.network.zones import with_zones

__all__ = [
    "NoRouteError",
    "Route",
    "k_shortest_routes",
    "mode_from_name",
    "network_distances_km",
    "shortest_route",
    "with_zones",
]
