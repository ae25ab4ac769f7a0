"""Shortest and k-shortest paths per mode on the network, with networkx.

Links are undirected and weighted by ``length_km``. Where two links of the same mode
join the same two nodes, the shorter is routed on. networkx is used rather than a
hand-written Dijkstra: ``shortest_path`` (Dijkstra) and ``shortest_simple_paths``
(Yen's algorithm) are well tested and documented.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.model.network import Link, Network, NodeKind
from freighthub.vocabulary import mode_names

__all__ = [
    "NoRouteError",
    "Route",
    "k_shortest_routes",
    "mode_from_name",
    "mode_graph",
    "multimodal_route",
    "network_distances_km",
    "route_if_any",
    "route_via",
    "shortest_route",
]


class NoRouteError(FreighthubError):
    """No path of a mode joins two nodes of the network."""

    def __init__(self, a: str, b: str, mode: str, reason: str) -> None:
        self.a, self.b, self.mode = a, b, mode
        super().__init__(f"no {mode} path between {a!r} and {b!r} in the network: {reason}")


def mode_from_name(name: str) -> str:
    """The mode id for a mode's id or one of its aliases (``iww``), as registered in
    :data:`freighthub.vocabulary.MODE_FACTS`.

    Raises
    ------
    UnknownIdentifierError
        For any other name.
    """
    names = mode_names()
    if name not in names:
        raise UnknownIdentifierError("mode", name, names)
    return names[name]


@dataclass(frozen=True)
class Route:
    """A path on the network.

    Attributes
    ----------
    distance_km
        Sum of the links' lengths [km].
    path
        Node ids from ``from_node`` to ``to_node``.
    links
        The links walked, in order.
    """

    from_node: str
    to_node: str
    mode: str
    distance_km: float
    path: tuple[str, ...]
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        """The route as plain JSON-ready data (the ``network route --json`` format)."""
        return {
            "from": self.from_node,
            "to": self.to_node,
            "mode": str(self.mode),
            "distance_km": self.distance_km,
            "path": list(self.path),
            "links": [
                {
                    "id": link.id,
                    "length_km": link.length_km.value,
                    "source": link.source,
                    "confidence": link.length_km.confidence.value
                    if link.length_km.confidence
                    else None,
                }
                for link in self.links
            ],
        }


def mode_graph(network: Network, mode: str) -> nx.Graph:
    """An undirected graph of the links of one mode, weighted by ``length_km`` [km].

    Each edge carries ``length_km`` and ``link`` (the :class:`Link`).
    """
    graph = nx.Graph()
    for link in network.links_of(mode):
        u, v, length = link.from_node, link.to_node, link.length_km.value
        if graph.has_edge(u, v) and graph[u][v]["length_km"] <= length:
            continue
        graph.add_edge(u, v, length_km=length, link=link)
    return graph


def _zones(network: Network) -> set[str]:
    return {n.id for n in network.nodes.values() if n.kind is NodeKind.ZONE}


def _ends_only(network: Network, graph: nx.Graph, a: str, b: str) -> nx.Graph:
    """``graph`` without the zone nodes other than ``a`` and ``b``: a path never passes
    through a zone (a shipper district), it only starts or ends there."""
    others = _zones(network) - {a, b}
    if not others.intersection(graph):
        return graph
    return nx.restricted_view(graph, others, [])


def _check_ends(network: Network, graph: nx.Graph, a: str, b: str, mode: str) -> None:
    network.node(a)
    network.node(b)
    for end in (a, b):
        if end not in graph:
            raise NoRouteError(a, b, mode, f"{end!r} has no {mode} link")
    if a == b:
        raise NoRouteError(a, b, mode, "origin and destination are the same node")


def _route(graph: nx.Graph, path: list[str], mode: str) -> Route:
    links = tuple(graph[u][v]["link"] for u, v in pairwise(path))
    return Route(
        from_node=path[0],
        to_node=path[-1],
        mode=mode,
        distance_km=float(sum(link.length_km.value for link in links)),
        path=tuple(path),
        links=links,
    )


def shortest_route(
    network: Network, a: str, b: str, mode: str, graph: nx.Graph | None = None
) -> Route:
    """The shortest path of one mode between nodes ``a`` and ``b`` (Dijkstra).

    Parameters
    ----------
    graph
        The mode's graph from :func:`mode_graph`, to reuse it across many calls.

    Raises
    ------
    UnknownIdentifierError
        If ``a`` or ``b`` is not a node.
    NoRouteError
        If no path of the mode joins them (naming both nodes and the mode).
    """
    g = mode_graph(network, mode) if graph is None else graph
    _check_ends(network, g, a, b, mode)
    g = _ends_only(network, g, a, b)
    try:
        path = nx.shortest_path(g, a, b, weight="length_km")
    except nx.NetworkXNoPath:
        raise NoRouteError(a, b, mode, "the two nodes lie in unconnected parts") from None
    return _route(g, list(path), mode)


def route_if_any(
    network: Network, a: str, b: str, mode: str, graph: nx.Graph | None = None
) -> Route | None:
    """:func:`shortest_route`, or None where ``a`` or ``b`` is not a node of the network
    or no path of the mode joins them (a map then draws a straight line)."""
    if a not in network.nodes or b not in network.nodes or a == b:
        return None
    try:
        return shortest_route(network, a, b, mode, graph)
    except NoRouteError:
        return None


def k_shortest_routes(network: Network, a: str, b: str, mode: str, k: int) -> list[Route]:
    """Up to ``k`` loopless paths of one mode from shortest to longest (Yen's algorithm).

    Raises
    ------
    ValueError
        If ``k`` < 1.
    UnknownIdentifierError, NoRouteError
        As :func:`shortest_route`.
    """
    if k < 1:
        raise ValueError(f"k = {k}: must be >= 1")
    g = mode_graph(network, mode)
    _check_ends(network, g, a, b, mode)
    g = _ends_only(network, g, a, b)
    paths: Iterator[list[str]] = nx.shortest_simple_paths(g, a, b, weight="length_km")
    try:
        return [_route(g, p, mode) for p in islice(paths, k)]
    except nx.NetworkXNoPath:
        raise NoRouteError(a, b, mode, "the two nodes lie in unconnected parts") from None


def network_distances_km(
    network: Network, node_ids: list[str], mode: str
) -> dict[str, dict[str, float]]:
    """Shortest-path distances of one mode between every pair of ``node_ids`` [km].

    One Dijkstra per origin (networkx ``single_source_dijkstra_path_length``). A pair
    with no path is left out of the inner dict; the diagonal is 0.

    Raises
    ------
    UnknownIdentifierError
        If a node id is not a node of the network.
    """
    g = mode_graph(network, mode)
    zones = _zones(network)
    wanted = set(node_ids)
    out: dict[str, dict[str, float]] = {}
    for a in node_ids:
        network.node(a)
        if a not in g:
            out[a] = {a: 0.0}
            continue
        weight: Any = "length_km"
        if zones.intersection(g):  # a zone is reached or left, never passed through
            weight = lambda u, _v, d, a=a: None if u in zones and u != a else d["length_km"]  # noqa: E731
        lengths = nx.single_source_dijkstra_path_length(g, a, weight=weight)
        out[a] = {b: float(d) for b, d in lengths.items() if b in wanted}
    return out


def route_via(network: Network, stops: list[str], mode: str) -> Route:
    """The shortest path of one mode through ``stops`` in order (origin, via..., destination).

    Each stretch between two stops is a shortest path; the stretches are joined.

    Raises
    ------
    ValueError
        If fewer than two stops are given.
    UnknownIdentifierError, NoRouteError
        As :func:`shortest_route`, for any stretch.
    """
    if len(stops) < 2:
        raise ValueError(f"stops = {stops!r}: give at least an origin and a destination")
    g = mode_graph(network, mode)
    parts = [shortest_route(network, a, b, mode, g) for a, b in pairwise(stops)]
    path = [stops[0]]
    for part in parts:
        path.extend(part.path[1:])
    return Route(
        from_node=stops[0],
        to_node=stops[-1],
        mode=mode,
        distance_km=float(sum(p.distance_km for p in parts)),
        path=tuple(path),
        links=tuple(link for p in parts for link in p.links),
    )


def multimodal_route(network: Network, a: str, b: str, chain: list[str]) -> list[Route]:
    """The shortest path using the modes of ``chain`` in order, one leg per mode.

    The mode changes only at a hub that serves both modes (its hub file's ``modes``);
    a transfer adds no distance. A mode may not be skipped: ``[road, inland_waterway,
    road]`` gives three legs, each at least one link long.

    Raises
    ------
    ValueError
        If ``chain`` is empty or repeats a mode back to back.
    UnknownIdentifierError
        If ``a`` or ``b`` is not a node.
    NoRouteError
        If no such path exists (naming both nodes and the chain).
    """
    if not chain:
        raise ValueError("chain: give at least one mode")
    if any(x == y for x, y in pairwise(chain)):
        raise ValueError("chain: the same mode twice in a row; give it once")
    network.node(a)
    network.node(b)
    if len(chain) == 1:
        return [shortest_route(network, a, b, chain[0])]
    # Node (id, stage, entered): "entered" copies of a node only lead out along a link
    # of the stage's mode, so that every leg has at least one link.
    layered = nx.DiGraph()
    transit_free = _zones(network) - {a}  # a path never leaves a zone it did not start at
    for stage, mode in enumerate(chain):
        for u, v, data in mode_graph(network, mode).edges(data=True):
            for x, y in ((u, v), (v, u)):
                if x in transit_free:
                    continue
                layered.add_edge((x, stage, False), (y, stage, False), **data)
                layered.add_edge((x, stage, True), (y, stage, False), **data)
    for stage, (m1, m2) in enumerate(pairwise(chain)):
        for node in network.nodes.values():
            if m1 in node.modes and m2 in node.modes:
                layered.add_edge((node.id, stage, False), (node.id, stage + 1, True), length_km=0.0)
    source, target = (a, 0, True), (b, len(chain) - 1, False)
    name = "+".join(chain)
    if source not in layered or target not in layered:
        raise NoRouteError(a, b, chain[0], f"no {name} chain: an end has no link of its mode")
    try:
        path = nx.shortest_path(layered, source, target, weight="length_km")
    except nx.NetworkXNoPath:
        raise NoRouteError(
            a, b, chain[0], f"no {name} chain with transfers at hubs serving both modes"
        ) from None
    legs: list[Route] = []
    for stage, mode in enumerate(chain):
        nodes = [n for n, s, _ in path if s == stage]
        legs.append(_route(mode_graph(network, mode), nodes, mode))
    return legs
