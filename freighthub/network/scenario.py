"""Scenario services and road links whose distance comes from the network.

A service or road link with ``network_route = true`` (instead of ``distance_km`` or
``circuity_factor``) gets the shortest path of its mode between its two ends on the
network of ``networks/``; the distance's source names the path and the network files,
and its confidence is the weakest of the links walked.

:func:`circuity_assumptions` lists the other kind: a scenario's services and road
links whose length is the geodesic distance times a ``circuity_factor`` (an
assumption about the detour, not a routed length), with why the network does not
route them (an end is not a network node, no path of the mode, or a path exists and
``network_route = true`` would use it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from freighthub.errors import DataFileError
from freighthub.geo import geodesic_distance_km, network_distance_km
from freighthub.model.network import Network, load_shipped_network
from freighthub.model.sourced import Sourced
from freighthub.network.routing import NoRouteError, Route, route_if_any, shortest_route
from freighthub.network.zones import with_zones
from freighthub.vocabulary import Confidence, Mode, weakest_confidence

__all__ = [
    "CircuityAssumption",
    "circuity_assumptions",
    "distances_from_network",
    "route_confidence",
]

S = TypeVar("S", bound=BaseModel)


def route_confidence(route: Route) -> Confidence:
    """The weakest confidence of the route's link lengths (every length is labelled)."""
    weakest = weakest_confidence(link.length_km.confidence for link in route.links)
    return weakest if weakest is not None else Confidence.ASSUMPTION


def _sourced(route: Route, network: Network) -> Sourced[float]:
    files = ", ".join(sorted({f"networks/{link.file.name}" for link in route.links}))
    confidence = route_confidence(route)
    text = f"network route {' -> '.join(route.path)} ({files}), shortest {route.mode} path"
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
    # typed loosely: importing Scenario here would make an import circle with model.scenario
    s: Any = scenario
    net = network if network is not None else load_shipped_network(None, hubs_dir)
    net = with_zones(net, ((z.id, z.lon_deg, z.lat_deg) for z in s.zones))
    services = list(s.services)
    zones = {z.id for z in s.zones}
    for i, svc in enumerate(services):
        if svc.network_route:
            distance = _distance(net, p, f"services[{i}]", svc.from_, svc.to, svc.mode)
            services[i] = svc.model_copy(update={"distance_km": distance, "network_route": None})
    links = list(s.road_links)
    for i, link in enumerate(links):
        if link.network_route:
            distance = _distance(net, p, f"road_links[{i}]", link.from_, link.to, Mode.ROAD, zones)
            links[i] = link.model_copy(update={"distance_km": distance, "network_route": None})
    return scenario.model_copy(update={"services": tuple(services), "road_links": tuple(links)})


def _distance(
    network: Network,
    p: Path,
    where: str,
    a: str,
    b: str,
    mode: str,
    zones: set[str] | frozenset[str] = frozenset(),
) -> Sourced[float]:
    access = network.zone_access
    for field, node in (("from", a), ("to", b)):
        if node in zones and node not in network.nodes and access is not None:
            raise DataFileError(
                p,
                f"network_route: zone {node!r} lies more than "
                f"{access.max_geodesic_km.value:g} km from every road node of networks/ "
                f"([zone_access] max_geodesic_km in networks/{access.file.name}); give this "
                "road link a distance_km or a circuity_factor",
                f"{where}.{field}",
                node,
            )
        if node not in network.nodes:
            raise DataFileError(
                p,
                "network_route: not a node of the network (a hub id, a [[node]] of networks/, "
                "or a zone where networks/ gives [zone_access])",
                f"{where}.{field}",
                node,
            )
    try:
        return _sourced(shortest_route(network, a, b, mode), network)
    except NoRouteError as exc:
        raise DataFileError(p, str(exc), f"{where}.network_route", True) from None


@dataclass(frozen=True)
class CircuityAssumption:
    """A scenario service or road link whose length rests on a circuity factor.

    Attributes
    ----------
    where
        Its place in the scenario file (``road_links[3]``, ``services[0]``).
    kind
        ``"road_link"`` or ``"service"``.
    id, mode, from_, to
        Its id, mode and end nodes (hub or zone ids).
    geodesic_km, circuity_factor, distance_km
        Geodesic distance between its ends [km], the factor [-] and their product, the
        length the simulation uses [km].
    factor_source, factor_confidence
        Where the factor comes from and its confidence label.
    reason
        Why the length is not network-routed.
    """

    where: str
    kind: str
    id: str
    mode: str
    from_: str
    to: str
    geodesic_km: float
    circuity_factor: float
    distance_km: float
    factor_source: str
    factor_confidence: Confidence | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values (``from`` for ``from_``, the mode's id)."""
        return {
            "where": self.where,
            "kind": self.kind,
            "id": self.id,
            "mode": str(self.mode),
            "from": self.from_,
            "to": self.to,
            "geodesic_km": self.geodesic_km,
            "circuity_factor": self.circuity_factor,
            "distance_km": self.distance_km,
            "factor_source": self.factor_source,
            "factor_confidence": None
            if self.factor_confidence is None
            else self.factor_confidence.value,
            "reason": self.reason,
        }


def _why_not_routed(network: Network, a: str, b: str, mode: str, estimate_km: float) -> str:
    missing = [node for node in (a, b) if node not in network.nodes]
    if missing:
        return (
            f"not a network node: {', '.join(missing)} (a zone joins the road network only "
            "where networks/ gives [zone_access] and a road node lies within its max_geodesic_km)"
        )
    route = route_if_any(network, a, b, mode)
    if route is None:
        return f"no {mode} path between them on the network"
    return (
        f"the network's shortest {mode} path is {route.distance_km:,.1f} km "
        f"({route.distance_km / estimate_km:.2f} x this estimate): "
        "network_route = true would use that path"
    )


def circuity_assumptions(loaded: Any, network: Network) -> list[CircuityAssumption]:
    """Every service and road link of a loaded scenario whose length uses a circuity factor.

    Parameters
    ----------
    loaded
        A :class:`freighthub.model.scenario.LoadedScenario` (typed loosely, as above).
    network
        The network the scenario's ``network_route`` would use.
    """
    s: Any = loaded.scenario
    network = with_zones(network, ((z.id, z.lon_deg, z.lat_deg) for z in s.zones))
    where: dict[str, tuple[float, float]] = {
        hub_id: (hub.lon_deg, hub.lat_deg) for hub_id, hub in loaded.hubs.items()
    }
    where.update({z.id: (z.lon_deg, z.lat_deg) for z in s.zones})
    items: list[tuple[str, str, Any, str]] = [
        (f"services[{i}]", "service", svc, svc.mode) for i, svc in enumerate(s.services)
    ]
    items += [(f"road_links[{i}]", "road_link", x, Mode.ROAD) for i, x in enumerate(s.road_links)]
    out: list[CircuityAssumption] = []
    for place, kind, item, mode in items:
        factor = item.circuity_factor
        if factor is None:
            continue
        geodesic = geodesic_distance_km(*where[item.from_], *where[item.to])
        distance = network_distance_km(geodesic, float(factor.value))
        out.append(
            CircuityAssumption(
                where=place,
                kind=kind,
                id=item.id,
                mode=mode,
                from_=item.from_,
                to=item.to,
                geodesic_km=geodesic,
                circuity_factor=float(factor.value),
                distance_km=distance,
                factor_source=factor.source,
                factor_confidence=factor.confidence,
                reason=_why_not_routed(network, item.from_, item.to, mode, distance),
            )
        )
    return out
