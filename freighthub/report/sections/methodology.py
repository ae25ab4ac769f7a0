"""The methodology and sources section, assembled from every contribution."""

from __future__ import annotations

from collections.abc import Sequence

from freighthub.report.content import (
    Bullets,
    Cell,
    Contribution,
    Heading,
    NotRun,
    Paragraph,
    Section,
    Table,
    Text,
)

__all__ = ["build_methodology", "build_sources"]


def build_methodology(
    contributions: Sequence[Contribution], not_run: Sequence[tuple[str, NotRun]]
) -> Section:
    """Method notes and the sections that were not run and why.

    Every cited value is in the appendix (:func:`build_sources`).
    """
    blocks: list[Heading | Paragraph | Bullets | Table] = [
        Heading("method", Text("methodology.method_heading")),
    ]
    notes = tuple(note for c in contributions for note in c.method_notes)
    if notes:
        blocks.append(Bullets(notes))
    blocks.append(Heading("not-run", Text("methodology.not_run_heading")))
    if not_run:
        blocks.append(
            Bullets(
                tuple(
                    Text(
                        "methodology.not_run_item",
                        {"section": Text(f"section.{sid}.title"), "reason": nr.reason},
                    )
                    for sid, nr in not_run
                )
            )
        )
    else:
        blocks.append(Paragraph(Text("methodology.all_run")))
    return Section("methodology", Text("section.methodology.title"), tuple(blocks))


def build_sources(contributions: Sequence[Contribution]) -> Section:
    """The appendix: every cited value with its source and confidence.

    Uncertain, assumed and unsourced values are flagged.
    """
    blocks: list[Heading | Paragraph | Bullets | Table] = [
        Paragraph(Text("methodology.confidence_legend"))
    ]
    sources = [s for c in contributions for s in c.sources]
    blocks.append(
        Table(
            "source-table",
            Text("methodology.sources_caption"),
            tuple(
                Text(f"methodology.col.{c}")
                for c in ("subject", "item", "value", "source", "confidence")
            ),
            tuple(
                (
                    Cell(s.subject),
                    Cell(s.item),
                    Cell(s.value),
                    Cell(s.source if s.source else Text("methodology.no_source")),
                    Cell(s.confidence if s.confidence else Text("methodology.not_stated")),
                )
                for s in sources
            ),
        )
    )
    return Section("sources", Text("section.sources.title"), tuple(blocks))
