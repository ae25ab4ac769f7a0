"""The simulated flows on a map: ``flows.geojson`` (RFC 7946) of a result folder.

One Point feature per hub and one LineString feature per timetabled service, each
with every figure of its :class:`~freighthub.sim.estimates.HubEstimate` or
:class:`~freighthub.sim.estimates.ServiceEstimate` as ``<figure>`` (the mean over
replications, in the unit its name carries) and ``<figure>_ci95`` (the 95 %
t-interval), so that QGIS or geopandas can draw TEU per service as line width and
utilisation per hub as colour. A service follows the shortest path of its mode on the
shipped network (``networks/``) where both its hubs are network nodes (as
``network_route = true`` measures it), else a straight line;
``geometry_basis`` says which, and ``network_links`` lists the network links walked
(empty for a straight line), so that ``freighthub network map --flows`` can draw the
TEU per network link as line widths.

One LineString feature per scenario road link (trucks on demand; both directions of a
two-way link in one feature): ``teu`` (mean and ``teu_ci95``) is the TEU of the boxes
that arrived in the statistics window and were delivered (the routes'
``delivered_teu``, :mod:`freighthub.sim.routes`) on routes with a road leg on the link,
counted once per such leg (:func:`road_link_teu`), so the road links' TEU add up to the
routes' delivered TEU times their road legs; ``teu_forward`` and ``teu_reverse`` split
the mean by direction (``from`` -> ``to`` as the scenario names the link, and back). A
road link is drawn along the network's road path where its distance is that path's
length (the scenario's ``network_route = true``; a zone joins the road network as
:mod:`freighthub.network.zones` says), else as a straight line between its
ends (its length then rests on a circuity factor or a typed ``distance_km``).

:func:`result_link_flows` adds up the TEU per network link of a result in memory, as
``network map --flows`` does from the file (the report's flows map draws it).

The collection's ``freighthub`` member records the scenario, tool version, seed and
replications.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from freighthub.errors import FreighthubError
from freighthub.frames import finite_or_none
from freighthub.model.network import Network, load_shipped_network
from freighthub.network.flowmap import LinkFlows, link_flows
from freighthub.network.geojson import route_coordinates
from freighthub.network.routing import route_if_any
from freighthub.network.zones import with_zones
from freighthub.sim.arrays import LEG_ROAD, FloatArray, mode_codes
from freighthub.sim.estimates import Estimate, ExperimentResult, estimate
from freighthub.sim.network import CompiledNetwork
from freighthub.vocabulary import Mode

__all__ = ["flows_geojson", "result_link_flows", "road_link_teu", "shipped_network_or_none"]


def shipped_network_or_none() -> Network | None:
    """The shipped network with the shipped hubs, or None if it cannot be loaded."""
    try:
        return load_shipped_network()
    except FreighthubError:
        return None


def _figures(estimates: object) -> dict[str, Any]:
    """Every :class:`Estimate` field of ``estimates`` as ``name`` and ``name_ci95``."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(estimates):  # type: ignore[arg-type]
        value = getattr(estimates, f.name)
        if isinstance(value, Estimate):
            out[f.name] = finite_or_none(value.mean)
            out[f"{f.name}_ci95"] = [
                finite_or_none(value.ci95_low),
                finite_or_none(value.ci95_high),
            ]
    return out


def road_link_teu(network: CompiledNetwork, teu_by_route: Mapping[str, float]) -> FloatArray:
    """TEU per directed road link: every route's TEU on each of its road legs [TEU].

    Parameters
    ----------
    teu_by_route
        TEU per route id (a route missing counts as none).
    """
    routes = network.routes
    per_route = np.array([float(teu_by_route.get(rid, 0.0)) for rid in routes.ids])
    leg_route = np.repeat(np.arange(routes.n), np.diff(routes.leg_start))
    on_road = routes.leg_kind == LEG_ROAD
    out = np.zeros(network.road.n, dtype=np.float64)
    np.add.at(out, routes.leg_index[on_road], per_route[leg_route[on_road]])
    return out


def _straight(net: CompiledNetwork, i: int, j: int) -> list[tuple[float, float]]:
    return [(float(net.node_lon_deg[k]), float(net.node_lat_deg[k])) for k in (i, j)]


def _road_features(result: ExperimentResult, network: Network | None) -> list[dict[str, Any]]:
    """One feature per scenario road link (see the module docstring)."""
    net = result.network
    road, ids = net.road, net.node_ids
    if not road.ids:  # arrays built without names (benchmarks): nothing to label
        return []
    per_rep = np.array(
        [
            road_link_teu(net, {rid: r.delivered_teu for rid, r in s.routes.items()})
            for s in result.summaries
        ]
    ).reshape(len(result.summaries), road.n)
    directed: dict[str, list[int]] = {}
    for k, link_id in enumerate(road.ids):
        directed.setdefault(link_id, []).append(k)
    features: list[dict[str, Any]] = []
    for link_id, ks in directed.items():
        k = ks[0]  # the compiler adds the scenario's direction first
        i, j = int(road.origin[k]), int(road.destination[k])
        a, b = ids[i], ids[j]
        d_km = float(road.distance_km[k])
        route = None if network is None else route_if_any(network, a, b, Mode.ROAD)
        links: list[str] = []
        if route is not None and network is not None and math.isclose(route.distance_km, d_km):
            line = route_coordinates(network, route)
            basis = f"network path {' -> '.join(route.path)}"
            links = [x.id for x in route.links]
        else:
            line = _straight(net, i, j)
            basis = "straight line (length from a circuity factor or a typed distance_km)"
        teu = estimate(per_rep[:, ks].sum(axis=1).tolist(), "teu")
        features.append(
            {
                "type": "Feature",
                "id": f"road_link:{link_id}",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]},
                "properties": {
                    "feature": "road_link",
                    "id": link_id,
                    "mode": Mode.ROAD.value,
                    "from": a,
                    "to": b,
                    "two_way": len(ks) > 1,
                    "distance_km": d_km,
                    "geometry_basis": basis,
                    "network_links": links,
                    "teu": finite_or_none(teu.mean),
                    "teu_ci95": [finite_or_none(teu.ci95_low), finite_or_none(teu.ci95_high)],
                    "teu_forward": finite_or_none(float(np.mean(per_rep[:, k]))),
                    "teu_reverse": finite_or_none(float(np.mean(per_rep[:, ks[1:]].sum(axis=1)))),
                },
            }
        )
    return features


def flows_geojson(result: ExperimentResult, network: Network | None) -> dict[str, Any]:
    """The result's hubs, services and road links as a GeoJSON FeatureCollection (a dict).

    Parameters
    ----------
    network
        The network services are drawn along (:func:`shipped_network_or_none`); None
        draws every service as a straight line.
    """
    net = result.network
    ids = net.node_ids
    if network is not None:  # the scenario's zones, joined as its distances were measured
        points = zip(ids, net.node_lon_deg.tolist(), net.node_lat_deg.tolist(), strict=True)
        network = with_zones(network, ((z, lon, lat) for z, lon, lat in points))
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
        route = None if network is None else route_if_any(network, a, b, mode)
        links: list[str] = []
        if route is not None and network is not None:
            line = route_coordinates(network, route)
            basis = f"network path {' -> '.join(route.path)}"
            links = [x.id for x in route.links]
        else:
            line = _straight(net, int(services.origin[k]), int(services.destination[k]))
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
                    "network_links": links,
                    **({} if estimate is None else _figures(estimate)),
                },
            }
        )
    features.extend(_road_features(result, network))
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


def result_link_flows(result: ExperimentResult, network: Network | None) -> LinkFlows:
    """Mean TEU per network link of ``result`` and its road links' zones: the
    :func:`~freighthub.network.flowmap.link_flows` of :func:`flows_geojson`, without a file.
    """
    return link_flows(flows_geojson(result, network), Path(f"{result.network.scenario_id} flows"))
