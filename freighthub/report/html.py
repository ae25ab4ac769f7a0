"""Render the localised report document as one self-contained HTML page.

Jinja2 with autoescaping on: every user-supplied string is escaped. CSS is inline,
charts are inline SVG (:mod:`freighthub.report.svg`), and a Content-Security-Policy
forbids loading anything (scripts, images, fonts) from anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from freighthub.report.svg import bar_chart_svg, map_svg, stacked_bar_chart_svg

__all__ = ["breakable", "render_html"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


# Where a long identifier may wrap: after a dot, underscore, slash or hyphen.
_BREAK_AFTER = re.compile(r"([._/-])(?=\w)")


def breakable(text: str) -> Markup:
    """``text`` escaped, with ``<wbr>`` after each ``.``, ``_``, ``/`` and ``-``.

    Table cells hold attribute paths (``handling.yard_capacity_teu``), ids and URLs;
    with these break opportunities a narrow column wraps them at their separators
    instead of mid-word.
    """
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape(text))))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["breakable"] = breakable
    env.globals.update(
        bar_chart_svg=bar_chart_svg,
        stacked_bar_chart_svg=stacked_bar_chart_svg,
        map_svg=map_svg,
    )
    return env


def render_html(doc: dict[str, Any], contents_pages: Sequence[int] | None = None) -> str:
    """The report page for a localised document (see :func:`localise_report`).

    ``contents_pages``: the page each section starts on in the PDF, shown in the
    contents of the printed page (see :func:`freighthub.report.pdf.print_report_pdf`).
    """
    return (
        _environment()
        .get_template("report.html.j2")
        .render(doc=doc, pages=None if contents_pages is None else list(contents_pages))
    )
