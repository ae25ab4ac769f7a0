"""The summary of findings: headline figures and each capability's findings."""

from __future__ import annotations

from collections.abc import Sequence

from freighthub.report.content import (
    Bullets,
    Contribution,
    KeyFigures,
    NotRun,
    Paragraph,
    Quantity,
    Section,
    Text,
)
from freighthub.report.inputs import ReportInputs

__all__ = ["build_recommendation", "build_summary"]

# The decisive result leads; the other sections' caveats follow in report order.
_LEADS = ("ranking",)


def build_recommendation(contributions: Sequence[Contribution]) -> tuple[Text, ...]:
    """The recommendation's sentences: each section's, the ranking's first.

    Only sections that ran contribute, each from what it computed; without any, one
    sentence says that the report makes no recommendation.
    """
    ordered = sorted(
        contributions,
        key=lambda c: _LEADS.index(c.section.id) if c.section.id in _LEADS else len(_LEADS),
    )
    sentences = tuple(t for c in ordered for t in c.recommendation)
    return sentences or (Text("summary.no_recommendation"),)


def build_summary(
    inputs: ReportInputs,
    contributions: Sequence[Contribution],
    not_run: Sequence[tuple[str, NotRun]],
) -> Section:
    """Headline figures, findings of every section that ran, and what did not run."""
    findings = tuple(f for c in contributions for f in c.findings)
    ran = [c.section.id for c in contributions]
    blocks: list[KeyFigures | Bullets | Paragraph] = [
        KeyFigures(
            (
                (Text("summary.hubs"), Quantity(len(inputs.hubs))),
                (Text("summary.sections_run"), Quantity(len(ran))),
                (Text("summary.sections_not_run"), Quantity(len(not_run))),
            )
        ),
    ]
    if findings:
        blocks.append(Bullets(findings))
    if not_run:
        blocks.append(Paragraph(Text("summary.not_run_note")))
    return Section("summary", Text("section.summary.title"), tuple(blocks))
