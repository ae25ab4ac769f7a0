"""The network as a GeoJSON FeatureCollection (RFC 7946), readable by QGIS and geopandas.

Coordinates are ``[lon_deg, lat_deg]`` (WGS84), as RFC 7946 requires. Nodes are Point
features, links LineString features from one end through the link's waypoints to the
other end; every link feature carries its length, source and confidence.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from freighthub.model.network import Link, Network

if TYPE_CHECKING:
    from freighthub.network.routing import Route

__all__ = ["link_coordinates", "network_geojson", "network_geojson_text", "route_coordinates"]


def link_coordinates(network: Network, link: Link) -> list[tuple[float, float]]:
    """The link's line as ``(lon_deg, lat_deg)`` points: start, waypoints, end."""
    a, b = network.nodes[link.from_node], network.nodes[link.to_node]
    return [(a.lon_deg, a.lat_deg), *link.entry.waypoints, (b.lon_deg, b.lat_deg)]


def route_coordinates(network: Network, route: Route) -> list[tuple[float, float]]:
    """The route's line as ``(lon_deg, lat_deg)`` points from its first node to its last,
    each link's waypoints in the direction the route walks it."""
    points: list[tuple[float, float]] = []
    for node, link in zip(route.path, route.links, strict=False):
        line = link_coordinates(network, link)
        if link.from_node != node:
            line.reverse()
        points.extend(line[1:] if points else line)
    return points


def network_geojson(network: Network) -> dict[str, Any]:
    """The network's nodes and links as a GeoJSON FeatureCollection (a dict)."""
    features: list[dict[str, Any]] = []
    for node in network.nodes.values():
        features.append(
            {
                "type": "Feature",
                "id": f"node:{node.id}",
                "geometry": {"type": "Point", "coordinates": [node.lon_deg, node.lat_deg]},
                "properties": {
                    "feature": "node",
                    "id": node.id,
                    "kind": node.kind.value,
                    "name": node.name,
                    "country": node.country,
                },
            }
        )
    for link in network.links.values():
        e = link.entry
        properties: dict[str, Any] = {
            "feature": "link",
            "id": link.id,
            "mode": link.mode,
            "from": link.from_node,
            "to": link.to_node,
            "length_km": link.length_km.value,
            "length_source": link.source,
            "length_confidence": e.length_km.confidence.value if e.length_km.confidence else None,
            "file": link.file.name,
        }
        for name in (
            "cn_waterway_class",
            "ecmt_class",
            "controlling_depth_m",
            "electrified",
            "gauge_mm",
        ):
            value = getattr(e, name)
            properties[name] = None if value is None else value.value
        features.append(
            {
                "type": "Feature",
                "id": f"link:{link.id}",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [list(p) for p in link_coordinates(network, link)],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def network_geojson_text(network: Network) -> str:
    """:func:`network_geojson` serialised as UTF-8 JSON text."""
    return json.dumps(network_geojson(network), ensure_ascii=False, indent=1) + "\n"
