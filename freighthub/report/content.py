"""The report's content as typed, language-neutral building blocks.

A capability (hubs, compliance, ranking, simulation ...) describes its section with
these blocks; :mod:`freighthub.report.localise` turns them into one language (the
report JSON) and :mod:`freighthub.report.html` renders that JSON as HTML, so the HTML,
the PDF and the JSON show the same numbers, rounded in one place
(:meth:`Quantity.shown`).

Text is never written here: a :class:`Text` names a key of the translation files
(``freighthub/report/i18n/{en,zh}.toml``) and its parameters. Plain ``str`` values
are user-supplied text (hub names, sources, evidence) and are shown verbatim and
escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from freighthub.sim.estimates import Estimate
from freighthub.vocabulary import Confidence

__all__ = [
    "BarChart",
    "Block",
    "Bullets",
    "Card",
    "Cell",
    "Contribution",
    "FlowMap",
    "Heading",
    "HubMap",
    "KeyFigures",
    "Localised",
    "MapLine",
    "MapPoint",
    "NotRun",
    "Note",
    "Paragraph",
    "Param",
    "Quantity",
    "Section",
    "SourceEntry",
    "StackedBarChart",
    "Status",
    "StatusLevel",
    "Table",
    "Text",
    "estimate_cell",
    "estimate_interval",
    "estimate_mean",
    "has_interval",
    "interval_of",
    "interval_text",
    "listed",
    "quantity_or_undefined",
]

_PERCENT_UNITS = frozenset({"share", "share_pp"})

StatusLevel: TypeAlias = Literal["pass", "partial", "fail", "no_data", "not_applicable"]


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, shown rounded to ``decimals``.

    Attributes
    ----------
    value
        The exact value, in ``unit``.
    unit
        A unit key of the translation files' ``[units]`` table (``km``, ``teu``,
        ``h``, ``t`` ...), ``""`` for a pure number, or ``share`` (a 0-1 share,
        shown as a percentage).
    decimals
        Decimal places shown (of the percentage, for a share).
    signed
        Show a ``+`` before positive numbers (differences).

    A difference of two shares has unit ``share_pp``: shown ×100 in percentage points.
    """

    value: float
    unit: str = ""
    decimals: int = 0
    signed: bool = False

    def shown(self) -> float:
        """The number as displayed: rounded, and ×100 for a share [displayed unit]."""
        number = self.value * 100.0 if self.unit in _PERCENT_UNITS else self.value
        return round(float(number), self.decimals)


@dataclass(frozen=True)
class Localised:
    """User-supplied text given per language (a hub's English and Chinese names).

    The English text is the fallback where a language has none.
    """

    en: str
    zh: str | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``, or the English text where there is none."""
        if lang == "zh" and self.zh:
            return self.zh
        return self.en


@dataclass(frozen=True)
class Text:
    """Translated text: a key of the translation files with named parameters.

    Parameters are substituted with ``str.format`` after each is localised.
    """

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)


def quantity_or_undefined(value: float | None, unit: str = "", decimals: int = 0) -> Param:
    """``value`` as a :class:`Quantity`, or the "undefined" text (``value.undefined``)
    where there is none (``None``: a dual the solver did not give, a missing ratio)."""
    return Text("value.undefined") if value is None else Quantity(value, unit, decimals)


@dataclass(frozen=True)
class Status:
    """A compliance status, shown as a coloured, labelled cell."""

    level: StatusLevel


Param: TypeAlias = "str | int | Quantity | Text | Localised | Status | Confidence"


def listed(items: Sequence[Param]) -> Param:
    """Items joined left to right with the language's list separator (``list.pair``).

    Raises
    ------
    ValueError
        If ``items`` is empty.
    """
    if not items:
        raise ValueError("listed: no items to join")
    out = items[0]
    for item in items[1:]:
        out = Text("list.pair", {"a": out, "b": item})
    return out


@dataclass(frozen=True)
class Note:
    """Evidence behind a value: shown as a numbered footnote and a tooltip."""

    evidence: Text | str
    source: str | None = None
    confidence: Confidence | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell.

    Attributes
    ----------
    content
        What the cell shows (a :class:`Status` colours the cell).
    note
        Evidence shown as a numbered footnote below the table and as a tooltip.
    confidence
        A confidence label shown beside the content (flagged when weak).
    detail
        A second, smaller line (the value behind a status, for instance).
    tooltip
        Text shown on hover only (why a cell is "not applicable", for instance).
    """

    content: Param
    note: Note | None = None
    confidence: Confidence | None = None
    detail: Param | None = None
    tooltip: Text | str | None = None


# A simulated figure (an :class:`~freighthub.sim.estimates.Estimate`) is shown the same
# way everywhere: its mean, and below it the 95 % interval, or "undefined" where the
# interval is (fewer than two replications: the t-interval needs a spread). The column
# heads promise an interval ("Mean (95 % CI)"), so a missing one is said, not left out.


def has_interval(est: Estimate) -> bool:
    """Whether ``est`` has a 95 % interval: two or more replications with a value and
    finite bounds (the t-interval needs a spread)."""
    return est.n >= 2 and not (math.isnan(est.ci95_low) or math.isnan(est.ci95_high))


def interval_text(low: float, high: float, bound: Callable[[float], Param]) -> Text:
    """A 95 % interval as ``simulation.ci`` text ("low – high"), each bound shown by
    ``bound``: the one wording of an interval (:func:`interval_of` decides whether an
    estimate has one)."""
    return Text("simulation.ci", {"low": bound(low), "high": bound(high)})


def interval_of(est: Estimate, bound: Callable[[float], Param]) -> Param:
    """The 95 % interval of ``est`` as ``simulation.ci`` text ("low – high"), each bound
    shown by ``bound``, or the "undefined" text (``value.undefined``) with fewer than two
    replications or a NaN bound.

    The one rule for an interval in the report. :func:`estimate_interval` shows the
    bounds as quantities of the figure; a value shown in a criterion's unit passes its
    own display (:func:`~freighthub.report.values.measured`).
    """
    if not has_interval(est):
        return Text("value.undefined")
    return interval_text(est.ci95_low, est.ci95_high, bound)


def estimate_interval(
    est: Estimate, unit: str, decimals: int, scale: float = 1.0, *, signed: bool = False
) -> Param:
    """The 95 % interval of ``est`` (:func:`interval_of`), its bounds as quantities.

    Parameters
    ----------
    est
        The figure's estimate [its unit].
    unit
        The unit shown; the bounds repeat it only for a percentage (``share``,
        ``share_pp``), where the mean beside them names any other unit.
    decimals
        Decimal places shown.
    scale
        Shown value = value / ``scale`` (``KG_PER_T`` shows kg as t).
    signed
        Show a ``+`` before positive bounds (differences).
    """
    bound_unit = unit if unit in _PERCENT_UNITS else ""
    return interval_of(est, lambda x: Quantity(x / scale, bound_unit, decimals, signed))


def estimate_mean(
    est: Estimate | None, unit: str, decimals: int, scale: float = 1.0, *, signed: bool = False
) -> Param:
    """The mean of ``est`` as a quantity, or the "undefined" text where there is no
    estimate, no replication with a value or a NaN mean. Parameters as for
    :func:`estimate_interval`."""
    if est is None or est.n == 0 or math.isnan(est.mean):
        return Text("value.undefined")
    return Quantity(est.mean / scale, unit, decimals, signed)


def estimate_cell(
    est: Estimate | None, unit: str, decimals: int, scale: float = 1.0, *, signed: bool = False
) -> Cell:
    """A table cell with the mean of ``est`` and its 95 % interval as the detail line.

    The one rule for every simulated figure in the report: the mean
    (:func:`estimate_mean`, an "undefined" cell without one) with
    :func:`estimate_interval` below it ("undefined" with fewer than two replications).
    Parameters as for :func:`estimate_interval`.
    """
    mean = estimate_mean(est, unit, decimals, scale, signed=signed)
    if est is None or not isinstance(mean, Quantity):
        return Cell(mean)
    return Cell(mean, detail=estimate_interval(est, unit, decimals, scale, signed=signed))


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (its text is part of the golden structure)."""

    id: str
    title: Text


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of translated text."""

    text: Text


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of translated lines."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class KeyFigures:
    """A row of headline figures: label and quantity."""

    items: tuple[tuple[Text, Quantity], ...]


@dataclass(frozen=True)
class Table:
    """A table; the first column is a row header when ``row_headers`` is true."""

    id: str
    caption: Text
    columns: tuple[Param, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = True


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per category, with optional interval whiskers.

    ``low``/``high``, when given, hold one quantity per category (a confidence
    interval, for instance).
    """

    id: str
    caption: Text
    categories: tuple[Param, ...]
    values: tuple[Quantity, ...]
    low: tuple[Quantity, ...] | None = None
    high: tuple[Quantity, ...] | None = None


@dataclass(frozen=True)
class StackedBarChart:
    """Horizontal 100 % bars: one per category, one segment per series.

    ``shares[i][j]`` is the share of series ``j`` in category ``i`` (unit ``share``),
    for example the rank-acceptability index of hub ``i`` for rank ``j + 1``.
    """

    id: str
    caption: Text
    categories: tuple[Param, ...]
    series: tuple[Param, ...]
    shares: tuple[tuple[Quantity, ...], ...]


@dataclass(frozen=True)
class MapPoint:
    """A hub on the map [deg, WGS84]."""

    id: str
    name: Localised
    lon_deg: float
    lat_deg: float


@dataclass(frozen=True)
class MapLine:
    """A corridor between two map points, labelled with its mode and distance.

    ``path`` is the line through the network (``(lon_deg, lat_deg)`` points from one
    end to the other) when the corridor follows the network, else empty (a straight
    line); ``basis`` says which distance ``distance`` is.
    """

    from_id: str
    to_id: str
    mode: str
    distance: Quantity
    basis: Text | None = None
    path: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class HubMap:
    """Hubs and corridors drawn from their coordinates (no tiles)."""

    id: str
    caption: Text
    points: tuple[MapPoint, ...]
    lines: tuple[MapLine, ...] = ()


@dataclass(frozen=True)
class FlowMap:
    """Simulated flows on the network map, drawn before localising (the drawing has no
    translated text): ``svg`` from :func:`freighthub.network.flowmap.flow_map_svg`,
    ``teu_by_link`` the mean TEU per network link it draws as line widths [TEU] (plain
    numbers: the page shows them only as widths)."""

    id: str
    caption: Text
    svg: str
    teu_by_link: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Card:
    """A profile card: a title, labelled facts and a list (a hub's gaps to close).

    Attributes
    ----------
    id
        Unique in the report (``profile-<hub id>``).
    title
        What the card is about (a hub name).
    facts
        Labelled values (rank, criteria met, data coverage ...).
    items_title
        Heading of the list.
    items
        The list; ``empty`` is shown instead when there is none.
    """

    id: str
    title: Param
    facts: tuple[tuple[Text, Param], ...]
    items_title: Text
    items: tuple[Text, ...]
    empty: Text


Block: TypeAlias = (
    Heading
    | Paragraph
    | Bullets
    | KeyFigures
    | Table
    | BarChart
    | StackedBarChart
    | HubMap
    | FlowMap
    | Card
)


@dataclass(frozen=True)
class Section:
    """One section of the report; ``id`` is one of the fixed section ids."""

    id: str
    title: Text
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class SourceEntry:
    """One cited value for the methodology: what, which value, from where, how sure."""

    subject: Param
    item: str
    value: Param
    source: str | None
    confidence: Confidence | None


@dataclass(frozen=True)
class Contribution:
    """What a capability hands to the report: its section and what it adds elsewhere.

    Attributes
    ----------
    section
        The capability's own section.
    findings
        Lines for the summary of findings.
    method_notes
        How the figures were computed, for the methodology section.
    sources
        Every standard value, factor or parameter used, with source and confidence.
    inputs
        Every file read (hashed with SHA-256 in the manifest).
    parameters
        Seeds, replications, methods ... for the manifest, as (name, value).
    recommendation
        Sentences for the title page's recommendation: the decisive result of the
        section and the caveats that qualify it, composed from what it computed.
    """

    section: Section
    findings: tuple[Text, ...] = ()
    method_notes: tuple[Text, ...] = ()
    sources: tuple[SourceEntry, ...] = ()
    inputs: tuple[Path, ...] = ()
    parameters: tuple[tuple[str, Param], ...] = ()
    recommendation: tuple[Text, ...] = ()


@dataclass(frozen=True)
class NotRun:
    """A section left out of the report, with the reason stated in the methodology."""

    reason: Text
