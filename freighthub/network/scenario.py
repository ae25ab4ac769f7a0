"""Scenario services and road links whose distance comes from the network.

A service or road link with ``network_route = true`` (instead of ``distance_km`` or
``circuity_factor``) gets the shortest path of its mode between its two ends on the
network of ``networks/``; the distance's source names the path and the network files,
and its confidence is the weakest of the links walked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from freighthub.errors import DataFileError
from freighthub.model.network import Network, load_shipped_network
from freighthub.model.sourced import Sourced
from freighthub.network.routing import NoRouteError, Route, shortest_route
from freighthub.vocabulary import Confidence, Mode, weakest_confidence

__all__ = ["distances_from_network", "route_confidence"]

S = TypeVar("S", bound=BaseModel)


def route_confidence(route: Route) -> Confidence:
    """The weakest confidence of the route's link lengths (every length is labelled)."""
    weakest = weakest_confidence(link.length_km.confidence for link in route.links)
    return weakest if weakest is not None else Confidence.ASSUMPTION


def _sourced(route: Route, network: Network) -> Sourced[float]:
    files = ", ".join(sorted({f"networks/{link.file.name}" for link in route.links}))
    confidence = route_confidence(route)
    text = f"network route {' -> '.join(route.path)} ({files}), shortest {route.mode.value} path"
    weakest = [
        link.id
        for link in route.links
        if (link.length_km.confidence or Confidence.ASSUMPTION) is confidence
    ]
    if confidence is not Confidence.VERIFIED:
        text = f"{confidence.value}: {text}; its {confidence.value} links: {', '.join(weakest)}"
    return Sourced[float](value=route.distance_km, source=text, confidence=confidence)


def distances_from_network(
    scenario: S,
    path: str | Path,
    hubs_dir: str | Path | None = None,
    network: Network | None = None,
) -> S:
    """The scenario (a :class:`freighthub.model.scenario.Scenario`) with every ``network_route = true`` replaced by the network's distance.

    Raises
    ------
    DataFileError
        Naming the service or road link, if an end is not a network node or no path of
        its mode joins the two ends.
    """
    p = Path(path)
    net = network if network is not None else load_shipped_network(None, hubs_dir)
    # typed loosely: importing Scenario here would make an import circle with model.scenario
    s: Any = scenario
    services = list(s.services)
    for i, svc in enumerate(services):
        if svc.network_route:
            distance = _distance(net, p, f"services[{i}]", svc.from_, svc.to, Mode(svc.mode))
            services[i] = svc.model_copy(update={"distance_km": distance, "network_route": None})
    links = list(s.road_links)
    for i, link in enumerate(links):
        if link.network_route:
            distance = _distance(net, p, f"road_links[{i}]", link.from_, link.to, Mode.ROAD)
            links[i] = link.model_copy(update={"distance_km": distance, "network_route": None})
    return scenario.model_copy(update={"services": tuple(services), "road_links": tuple(links)})


def _distance(network: Network, p: Path, where: str, a: str, b: str, mode: Mode) -> Sourced[float]:
    for field, node in (("from", a), ("to", b)):
        if node not in network.nodes:
            raise DataFileError(
                p,
                "network_route: not a node of the network (a hub id or a [[node]] of networks/)",
                f"{where}.{field}",
                node,
            )
    try:
        return _sourced(shortest_route(network, a, b, mode), network)
    except NoRouteError as exc:
        raise DataFileError(p, str(exc), f"{where}.network_route", True) from None
