"""A scenario's zones as nodes of the road network.

A zone (a shipper district, ``[[zones]]`` of a scenario) is not in ``networks/``. Where
the network states a ``[zone_access]`` rule, :func:`with_zones` adds each zone as a node
of kind ``zone`` with a road access link to every node that has a road link within the
rule's ``max_geodesic_km`` (so always to the nearest one, and to the hub next door even
where an expressway junction is a little nearer). A zone farther from every road node
stays off the network. An
access link's length is the geodesic distance times the rule's ``circuity_factor``,
with the factor's source and confidence. A road leg from a zone is then its access link
plus a shortest path on the expressways, and a map draws it along them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from freighthub.geo import geodesic_distance_km, network_distance_km
from freighthub.model.network import Link, LinkEntry, Network, Node, NodeKind
from freighthub.model.sourced import Sourced
from freighthub.vocabulary import Mode

__all__ = ["ZonePoint", "access_link_id", "with_zones"]

#: A zone as ``(id, lon_deg, lat_deg)`` [deg, WGS84].
ZonePoint = tuple[str, float, float]


def access_link_id(zone_id: str, node_id: str) -> str:
    """The id of the access link from a zone to a road node."""
    return f"access-{zone_id}-{node_id}"


def _road_nodes(network: Network) -> list[Node]:
    ends = {n for link in network.links_of(Mode.ROAD) for n in (link.from_node, link.to_node)}
    return [network.nodes[n] for n in sorted(ends)]


def with_zones(network: Network, zones: Iterable[ZonePoint]) -> Network:
    """The network with each zone that is not yet a node joined to the road network.

    Returns ``network`` itself when it has no ``zone_access`` rule or no road node, or
    when every zone is already a node.

    Parameters
    ----------
    zones
        ``(id, lon_deg, lat_deg)`` per zone.
    """
    access = network.zone_access
    road_nodes = _road_nodes(network)
    new = [z for z in zones if z[0] not in network.nodes]
    if access is None or not road_nodes or not new:
        return network
    factor = access.circuity_factor
    nodes = dict(network.nodes)
    links = dict(network.links)
    for zone_id, lon, lat in new:
        near = sorted(
            (geodesic_distance_km(lon, lat, n.lon_deg, n.lat_deg), n.id, n) for n in road_nodes
        )
        joined = [(d, n) for d, _, n in near if d <= access.max_geodesic_km.value]
        if not joined:
            continue
        nodes[zone_id] = Node(zone_id, NodeKind.ZONE, zone_id, joined[0][1].country, lon, lat)
        for geodesic, node in joined:
            link_id = access_link_id(zone_id, node.id)
            length = Sourced[float](
                value=network_distance_km(geodesic, float(factor.value)),
                source=(
                    f"zone access: geodesic {geodesic:.1f} km to road node {node.id} "
                    f"x circuity factor {factor.value:g} ({factor.source}; [zone_access] of "
                    f"networks/{Path(access.file).name})"
                ),
                confidence=factor.confidence,
            )
            entry = LinkEntry.model_construct(
                id=link_id,
                mode=Mode.ROAD,
                from_=zone_id,
                to=node.id,
                length_km=length,
                waypoints=(),
            )
            links[link_id] = Link(link_id, Mode.ROAD, zone_id, node.id, length, entry, access.file)
    return replace(network, nodes=dict(sorted(nodes.items())), links=links)
