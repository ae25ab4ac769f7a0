"""Render the localised report document as one self-contained HTML page.

Jinja2 with autoescaping on: every user-supplied string is escaped. CSS is inline,
charts are inline SVG (:mod:`freighthub.report.svg`), and a Content-Security-Policy
forbids loading anything (scripts, images, fonts) from anywhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from freighthub.report.svg import bar_chart_svg, map_svg, stacked_bar_chart_svg

__all__ = ["render_html"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals.update(
        bar_chart_svg=bar_chart_svg,
        stacked_bar_chart_svg=stacked_bar_chart_svg,
        map_svg=map_svg,
    )
    return env


def render_html(doc: dict[str, Any]) -> str:
    """The report page for a localised document (see :func:`localise_report`)."""
    return _environment().get_template("report.html.j2").render(doc=doc)
