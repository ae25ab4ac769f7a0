"""The simulated flows on a map: ``flows.geojson`` (RFC 7946) of a result folder.

One Point feature per hub and one LineString feature per timetabled service, each
with every figure of its :class:`~freighthub.sim.estimates.HubEstimate` or
:class:`~freighthub.sim.estimates.ServiceEstimate` as ``<figure>`` (the mean over
replications, in the unit its name carries) and ``<figure>_ci95`` (the 95 %
t-interval), so that QGIS or geopandas can draw TEU per service as line width and
utilisation per hub as colour. A service follows the shortest path of its mode on the
shipped network (``networks/``) where both its hubs are network nodes (as
``network_route = true`` measures it), else a straight line;
``geometry_basis`` says which. Road links (trucks on demand) are not drawn. The
collection's ``freighthub`` member records the scenario, tool version, seed and
replications.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from freighthub.errors import FreighthubError
from freighthub.model.network import Network, load_shipped_network
from freighthub.network.geojson import route_coordinates
from freighthub.network.routing import route_if_any
from freighthub.sim.arrays import mode_codes
from freighthub.sim.estimates import Estimate, ExperimentResult
from freighthub.vocabulary import Mode

__all__ = ["flows_geojson", "shipped_network_or_none"]


def shipped_network_or_none() -> Network | None:
    """The shipped network with the shipped hubs, or None if it cannot be loaded."""
    try:
        return load_shipped_network()
    except FreighthubError:
        return None


def _number(x: float) -> float | None:
    return x if math.isfinite(x) else None  # JSON has no NaN


def _figures(estimates: object) -> dict[str, Any]:
    """Every :class:`Estimate` field of ``estimates`` as ``name`` and ``name_ci95``."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(estimates):  # type: ignore[arg-type]
        value = getattr(estimates, f.name)
        if isinstance(value, Estimate):
            out[f.name] = _number(value.mean)
            out[f"{f.name}_ci95"] = [_number(value.ci95_low), _number(value.ci95_high)]
    return out


def flows_geojson(result: ExperimentResult, network: Network | None) -> dict[str, Any]:
    """The result's hubs and services as a GeoJSON FeatureCollection (a dict).

    Parameters
    ----------
    network
        The network services are drawn along (:func:`shipped_network_or_none`); None
        draws every service as a straight line.
    """
    net = result.network
    ids = net.node_ids
    features: list[dict[str, Any]] = []
    for hub_id, hub in result.estimates.hubs.items():
        i = ids.index(hub_id)
        features.append(
            {
                "type": "Feature",
                "id": f"hub:{hub_id}",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(net.node_lon_deg[i]), float(net.node_lat_deg[i])],
                },
                "properties": {"feature": "hub", "id": hub_id, **_figures(hub)},
            }
        )
    services = net.services
    codes = mode_codes()
    for k, service_id in enumerate(services.ids):
        a, b = ids[int(services.origin[k])], ids[int(services.destination[k])]
        mode = codes[int(services.mode[k])]
        route = None if network is None else route_if_any(network, a, b, Mode(mode))
        if route is not None and network is not None:
            line = route_coordinates(network, route)
            basis = f"network path {' -> '.join(route.path)}"
        else:
            line = [
                (float(net.node_lon_deg[j]), float(net.node_lat_deg[j]))
                for j in (int(services.origin[k]), int(services.destination[k]))
            ]
            basis = "straight line (no path of the mode on the network)"
        estimate = result.estimates.services.get(service_id)
        features.append(
            {
                "type": "Feature",
                "id": f"service:{service_id}",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]},
                "properties": {
                    "feature": "service",
                    "id": service_id,
                    "mode": mode,
                    "from": a,
                    "to": b,
                    "distance_km": float(services.distance_km[k]),
                    "geometry_basis": basis,
                    **({} if estimate is None else _figures(estimate)),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "freighthub": {
            "scenario": net.scenario_id,
            "tool_version": result.manifest.tool_version,
            "seed": result.seed,
            "replications": result.replications,
        },
        "features": features,
    }
