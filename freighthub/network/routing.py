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
from freighthub.model.network import Link, Network
from freighthub.vocabulary import Mode

__all__ = [
    "MODE_NAMES",
    "NoRouteError",
    "Route",
    "k_shortest_routes",
    "mode_from_name",
    "mode_graph",
    "network_distances_km",
    "route_via",
    "shortest_route",
]

#: Short names accepted for a mode on the command line, besides the mode's own value.
MODE_NAMES: dict[str, Mode] = {
    "iww": Mode.INLAND_WATERWAY,
    "inland_waterway": Mode.INLAND_WATERWAY,
    "rail": Mode.RAIL,
    "road": Mode.ROAD,
    "sea": Mode.SEA,
}


class NoRouteError(FreighthubError):
    """No path of a mode joins two nodes of the network."""

    def __init__(self, a: str, b: str, mode: Mode, reason: str) -> None:
        self.a, self.b, self.mode = a, b, mode
        super().__init__(f"no {mode.value} path between {a!r} and {b!r} in the network: {reason}")


def mode_from_name(name: str) -> Mode:
    """The mode for ``iww``, ``rail``, ``road``, ``sea`` or a mode value.

    Raises
    ------
    UnknownIdentifierError
        For any other name.
    """
    mode = MODE_NAMES.get(name)
    if mode is None:
        raise UnknownIdentifierError("mode", name, MODE_NAMES)
    return mode


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
    mode: Mode
    distance_km: float
    path: tuple[str, ...]
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        """The route as plain JSON-ready data (the ``network route --json`` format)."""
        return {
            "from": self.from_node,
            "to": self.to_node,
            "mode": self.mode.value,
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


def mode_graph(network: Network, mode: Mode) -> nx.Graph:
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


def _check_ends(network: Network, graph: nx.Graph, a: str, b: str, mode: Mode) -> None:
    network.node(a)
    network.node(b)
    for end in (a, b):
        if end not in graph:
            raise NoRouteError(a, b, mode, f"{end!r} has no {mode.value} link")
    if a == b:
        raise NoRouteError(a, b, mode, "origin and destination are the same node")


def _route(graph: nx.Graph, path: list[str], mode: Mode) -> Route:
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
    network: Network, a: str, b: str, mode: Mode, graph: nx.Graph | None = None
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
    try:
        path = nx.shortest_path(g, a, b, weight="length_km")
    except nx.NetworkXNoPath:
        raise NoRouteError(a, b, mode, "the two nodes lie in unconnected parts") from None
    return _route(g, list(path), mode)


def k_shortest_routes(network: Network, a: str, b: str, mode: Mode, k: int) -> list[Route]:
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
    paths: Iterator[list[str]] = nx.shortest_simple_paths(g, a, b, weight="length_km")
    try:
        return [_route(g, p, mode) for p in islice(paths, k)]
    except nx.NetworkXNoPath:
        raise NoRouteError(a, b, mode, "the two nodes lie in unconnected parts") from None


def network_distances_km(
    network: Network, node_ids: list[str], mode: Mode
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
    wanted = set(node_ids)
    out: dict[str, dict[str, float]] = {}
    for a in node_ids:
        network.node(a)
        if a not in g:
            out[a] = {a: 0.0}
            continue
        lengths = nx.single_source_dijkstra_path_length(g, a, weight="length_km")
        out[a] = {b: float(d) for b, d in lengths.items() if b in wanted}
    return out


def route_via(network: Network, stops: list[str], mode: Mode) -> Route:
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
