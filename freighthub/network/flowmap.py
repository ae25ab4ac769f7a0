"""TEU per network link from a simulation's ``flows.geojson``, for ``network map --flows``.

``flows.geojson`` (written by ``freighthub simulate --out``, :mod:`freighthub.sim.flows`)
has one feature per service and per road link with its mean ``teu`` and the network
links it runs on (``network_links``). :func:`read_link_flows` adds up the TEU per
network link and returns the zones the road links start or end at (with their
positions), so that the map joins them to the road network as the simulation did
(:func:`freighthub.network.zones.with_zones`) and draws their access links too.
:func:`flow_map_svg` draws them: the one drawing of simulated flows, for
``network map --flows`` and for the report's simulation section.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from freighthub.errors import DataFileError
from freighthub.model.network import Network
from freighthub.network.geojson import link_coordinates
from freighthub.network.svgmap import MapBox, network_map_svg
from freighthub.network.zones import ZonePoint, with_zones
from freighthub.vocabulary import Mode

__all__ = ["LinkFlows", "flow_map_svg", "link_flows", "read_link_flows"]

_KINDS = ("service", "road_link")


@dataclass(frozen=True)
class LinkFlows:
    """Mean TEU per network link id [TEU] and the road links' end points as zones."""

    teu_by_link: dict[str, float]
    points: list[ZonePoint]


def _teu(value: Any, path: Path, where: str) -> float:
    if value is None:  # JSON has no NaN: an undefined mean is written null
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DataFileError(path, "must be a finite number of TEU or null", where, value)
    if value < 0:
        raise DataFileError(path, "must be >= 0", where, value)
    return float(value)


def link_flows(collection: Mapping[str, Any], path: Path) -> LinkFlows:
    """The TEU per network link of a flows FeatureCollection (see the module docstring).

    Raises
    ------
    DataFileError
        If it is not a FeatureCollection, or a service or road link feature has a
        negative or non-numeric ``teu`` or a ``network_links`` that is not a list of ids.
    """
    features = collection.get("features") if isinstance(collection, Mapping) else None
    if collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataFileError(path, "not a GeoJSON FeatureCollection", "type", collection.get("type"))
    teu: dict[str, float] = {}
    points: list[ZonePoint] = []
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, Mapping) else None
        if not isinstance(props, Mapping) or props.get("feature") not in _KINDS:
            continue
        links = props.get("network_links", [])
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise DataFileError(
                path, "must be a list of link ids", f"features[{i}].network_links", links
            )
        value = _teu(props.get("teu"), path, f"features[{i}].properties.teu")
        for link_id in links:
            teu[link_id] = teu.get(link_id, 0.0) + value
        coords = (feature.get("geometry") or {}).get("coordinates") or []
        if props.get("feature") == "road_link" and len(coords) >= 2:
            for node, (lon, lat) in ((props.get("from"), coords[0]), (props.get("to"), coords[-1])):
                if isinstance(node, str):
                    points.append((node, float(lon), float(lat)))
    return LinkFlows(teu, points)


def read_link_flows(path: str | Path) -> LinkFlows:
    """:func:`link_flows` of a ``flows.geojson`` file, or of the one in a result folder.

    Raises
    ------
    DataFileError
        If the file is missing, not JSON, or as :func:`link_flows`.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "flows.geojson"
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(
            p, "no such file (give flows.geojson or a simulate --out folder)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(p, f"not a readable JSON file: {exc}") from None
    if not isinstance(doc, dict):
        raise DataFileError(p, "not a GeoJSON FeatureCollection")
    return link_flows(doc, p)


def flow_map_svg(
    network: Network,
    flows: LinkFlows,
    *,
    modes: Sequence[str] = (Mode.INLAND_WATERWAY, Mode.RAIL, Mode.ROAD),
    highlight_links: Iterable[str] = (),
    resolution: str = "l",
    width_px: float = 1000.0,
    title: str = "freighthub network",
    id_prefix: str = "",
) -> str:
    """The network with ``flows`` as line widths, as SVG text (:func:`network_map_svg`).

    The zones of ``flows`` join the road network first; the map frames the links that
    carry flow (the whole network where none does).
    """
    network = with_zones(network, flows.points)
    carried = [
        network.links[x] for x, v in flows.teu_by_link.items() if v > 0 and x in network.links
    ]
    box = None
    if carried:  # frame the flows, not the whole network
        box = MapBox.around(p for link in carried for p in link_coordinates(network, link))
    return network_map_svg(
        network,
        modes=modes,
        box=box,
        flows_by_link=flows.teu_by_link,
        highlight_links=highlight_links,
        width_px=width_px,
        resolution=resolution,
        title=title,
        id_prefix=id_prefix,
    )
