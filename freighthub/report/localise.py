"""Turn language-neutral report content into one language: the report JSON.

The returned document is what ``report.json`` holds and what the HTML template
renders, so both show the same figures. A quantity becomes::

    {"kind": "quantity", "value": 1234.56, "unit": "km", "shown": 1234.6,
     "text": "1,234.6 km"}

``value`` is exact, ``shown`` is the number displayed (rounded; a percentage for a
share) and ``text`` the formatted string. Text that embeds quantities becomes
``{"kind": "text", "text": "...", "parts": [str | quantity, ...]}``; other text is a
plain string.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from freighthub.report.content import (
    BarChart,
    Block,
    Bullets,
    Card,
    Cell,
    FlowMap,
    Heading,
    HubMap,
    KeyFigures,
    Localised,
    Note,
    Paragraph,
    Param,
    Quantity,
    Section,
    StackedBarChart,
    Status,
    Table,
    Text,
)
from freighthub.report.i18n import Translations, format_number
from freighthub.vocabulary import Confidence

__all__ = ["Localiser"]

_FORMATTER = string.Formatter()


class Localiser:
    """Localises content blocks into JSON-ready dicts for one language."""

    def __init__(self, tr: Translations) -> None:
        self.tr = tr
        self.lang = tr.lang

    # -- scalars ---------------------------------------------------------------
    def quantity(self, q: Quantity) -> dict[str, Any]:
        """A quantity as a JSON dict with its displayed number and text."""
        shown = q.shown()
        number = format_number(shown, q.decimals, self.tr.number)
        if q.signed and shown > 0:
            number = "+" + number
        if q.unit == "share":
            text = f"{number}{self.tr.number.percent_space}%"
        elif q.unit:
            # Units of the translation files; a unit written in a standard file that
            # has no translation (``wagons/day``) is shown as written.
            name = self.tr.units.get(q.unit, q.unit)
            space = "" if name.startswith("°") else self.tr.number.unit_space
            text = f"{number}{space}{name}"
        else:
            text = number
        return {"kind": "quantity", "value": q.value, "unit": q.unit, "shown": shown, "text": text}

    def param(self, p: Param) -> Any:
        """Any parameter: quantity dict, status/confidence dict, text or plain string."""
        if isinstance(p, Quantity):
            return self.quantity(p)
        if isinstance(p, Text):
            return self.text(p)
        if isinstance(p, Localised):
            return p.get(self.lang)
        if isinstance(p, Status):
            return {
                "kind": "status",
                "level": p.level,
                "label": self.tr.label(f"status.{p.level}"),
            }
        if isinstance(p, Confidence):
            return self.confidence(p)
        if isinstance(p, bool):
            return self.tr.label("value.yes" if p else "value.no")
        return str(p)

    def confidence(self, c: Confidence) -> dict[str, Any]:
        """A confidence label as a JSON dict (``flagged`` by :attr:`Confidence.flagged`)."""
        return {
            "kind": "confidence",
            "level": c.value,
            "label": self.tr.label(f"confidence.{c.value}"),
            "flagged": c.flagged,
        }

    def text(self, t: Text) -> Any:
        """Translated text; a dict with ``parts`` if it embeds quantities."""
        template = self.tr.label(t.key)
        parts: list[Any] = []
        for literal, field, spec, _conv in _FORMATTER.parse(template):
            if literal:
                parts.append(literal)
            if field is None:
                continue
            if field not in t.params:
                raise KeyError(f"translation {t.key!r} uses {{{field}}} that is not given")
            value = self.param(t.params[field])
            if isinstance(value, dict) and value.get("kind") == "text":
                parts.extend(value["parts"])
            elif isinstance(value, dict) and value.get("kind") == "quantity":
                parts.append(value)
            elif isinstance(value, dict):
                parts.append(value["label"])
            else:
                parts.append(format(value, spec) if spec else value)
        merged: list[Any] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        if all(isinstance(part, str) for part in merged):
            return "".join(merged)
        plain = "".join(part if isinstance(part, str) else part["text"] for part in merged)
        return {"kind": "text", "text": plain, "parts": merged}

    # -- blocks ----------------------------------------------------------------
    def section(self, s: Section) -> dict[str, Any]:
        """A section with its localised blocks."""
        return {
            "id": s.id,
            "title": self.plain(s.title),
            "blocks": [self.block(b) for b in s.blocks],
        }

    def plain(self, t: Text) -> str:
        """Translated text as a plain string (headings, captions)."""
        value = self.text(t)
        return value if isinstance(value, str) else str(value["text"])

    def block(self, b: Block) -> dict[str, Any]:
        """One block as a JSON dict with a ``type`` field."""
        if isinstance(b, Heading):
            return {"type": "heading", "id": b.id, "title": self.plain(b.title)}
        if isinstance(b, Paragraph):
            return {"type": "paragraph", "text": self.text(b.text)}
        if isinstance(b, Bullets):
            return {"type": "bullets", "items": [self.text(t) for t in b.items]}
        if isinstance(b, KeyFigures):
            return {
                "type": "key_figures",
                "items": [
                    {"label": self.plain(label), "quantity": self.quantity(q)}
                    for label, q in b.items
                ],
            }
        if isinstance(b, Table):
            return self._table(b)
        if isinstance(b, Card):
            return {
                "type": "card",
                "id": b.id,
                "title": self._label(b.title),
                "facts": [
                    {"label": self.plain(label), "value": self.param(value)}
                    for label, value in b.facts
                ],
                "items_title": self.plain(b.items_title),
                "items": [self.text(t) for t in b.items],
                "empty": self.plain(b.empty),
            }
        if isinstance(b, BarChart):
            return {
                "type": "bar_chart",
                "id": b.id,
                "caption": self.plain(b.caption),
                "categories": [self._label(c) for c in b.categories],
                "values": [self.quantity(q) for q in b.values],
                "low": None if b.low is None else [self.quantity(q) for q in b.low],
                "high": None if b.high is None else [self.quantity(q) for q in b.high],
            }
        if isinstance(b, StackedBarChart):
            return {
                "type": "stacked_bar_chart",
                "id": b.id,
                "caption": self.plain(b.caption),
                "categories": [self._label(c) for c in b.categories],
                "series": [self._label(s) for s in b.series],
                "shares": [[self.quantity(q) for q in row] for row in b.shares],
            }
        if isinstance(b, HubMap):
            return {
                "type": "map",
                "id": b.id,
                "caption": self.plain(b.caption),
                "scale_unit": self.tr.unit("km"),
                "points": [
                    {
                        "id": p.id,
                        "name": p.name.get(self.lang),
                        "lon_deg": p.lon_deg,
                        "lat_deg": p.lat_deg,
                    }
                    for p in b.points
                ],
                "lines": [
                    {
                        "from": line.from_id,
                        "to": line.to_id,
                        "mode": line.mode,
                        "mode_label": self.tr.label(f"mode.{line.mode}"),
                        "distance": self.quantity(line.distance),
                        "basis": "" if line.basis is None else self.plain(line.basis),
                        "path": [list(pt) for pt in line.path],
                    }
                    for line in b.lines
                ],
            }
        if isinstance(b, FlowMap):
            return {
                "type": "flow_map",
                "id": b.id,
                "caption": self.plain(b.caption),
                "links": [{"id": link, "teu": teu} for link, teu in b.teu_by_link],
                "svg": b.svg,
            }
        raise TypeError(f"unknown report block {type(b).__name__}")

    def _label(self, p: Param) -> str:
        value = self.param(p)
        if isinstance(value, dict):
            return str(value.get("text", value.get("label", "")))
        return str(value)

    def _table(self, t: Table) -> dict[str, Any]:
        notes: list[dict[str, Any]] = []
        rows = [[self._cell(c, notes) for c in row] for row in t.rows]
        return {
            "type": "table",
            "id": t.id,
            "caption": self.plain(t.caption),
            "columns": [self._label(c) for c in t.columns],
            "row_headers": t.row_headers,
            "rows": rows,
            "notes": notes,
        }

    def _cell(self, c: Cell, notes: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "content": self.param(c.content),
            "confidence": None if c.confidence is None else self.confidence(c.confidence),
            "detail": None if c.detail is None else self.param(c.detail),
            "tooltip": None if c.tooltip is None else self._tooltip(c.tooltip),
            "note": None,
        }
        if c.note is not None:
            note = self._note(c.note, len(notes) + 1)
            notes.append(note)
            out["note"] = note["n"]
        return out

    def _tooltip(self, t: Text | str) -> str:
        return self.plain(t) if isinstance(t, Text) else t

    def _note(self, n: Note, number: int) -> dict[str, Any]:
        evidence = self.text(n.evidence) if isinstance(n.evidence, Text) else n.evidence
        return {
            "n": number,
            "evidence": evidence,
            "source": n.source,
            "confidence": None if n.confidence is None else self.confidence(n.confidence),
        }


def localise_mapping(loc: Localiser, items: Mapping[str, Param]) -> dict[str, Any]:
    """Localise every value of a mapping."""
    return {key: loc.param(value) for key, value in items.items()}
