"""Assemble a report: the fixed section order and the hook each capability uses.

A capability adds its section by writing a builder ``(ReportInputs) -> Contribution
| NotRun`` in ``freighthub/report/sections/`` and naming it in
:data:`CAPABILITY_BUILDERS` under its fixed section id. A builder returns
:class:`NotRun` (with the reason) when the spec does not ask for it; the section is
then left out and the methodology says it was not run. Summary, methodology and
manifest are assembled from the contributions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from freighthub.report.content import Contribution, Localised, NotRun, Param, Section
from freighthub.report.i18n import Translations
from freighthub.report.inputs import ReportInputs
from freighthub.report.localise import Localiser
from freighthub.report.sections.assessment import build_compliance, build_ranking
from freighthub.report.sections.hubs import build_hubs
from freighthub.report.sections.manifest import build_manifest_section
from freighthub.report.sections.methodology import build_methodology
from freighthub.report.sections.optimisation import build_optimisation
from freighthub.report.sections.scenarios import build_scenarios
from freighthub.report.sections.simulation import build_simulation
from freighthub.report.sections.summary import build_summary
from freighthub.version import __version__

__all__ = [
    "CAPABILITY_BUILDERS",
    "REPORT_FORMAT",
    "SECTION_IDS",
    "ReportContent",
    "SectionBuilder",
    "build_report",
    "localise_report",
]

REPORT_FORMAT = "freighthub-report/1"

SECTION_IDS = (
    "summary",
    "hubs",
    "compliance",
    "ranking",
    "simulation",
    "scenarios",
    "optimisation",
    "methodology",
    "manifest",
)
"""Every section id, in report order. Ids are stable: tests and the golden use them."""

SectionBuilder = Callable[[ReportInputs], Contribution | NotRun]


CAPABILITY_BUILDERS: dict[str, SectionBuilder] = {
    "hubs": build_hubs,
    "compliance": build_compliance,
    "ranking": build_ranking,
    "simulation": build_simulation,
    "scenarios": build_scenarios,
    "optimisation": build_optimisation,
}
"""The hook: section id -> builder, for every section a capability provides."""


@dataclass(frozen=True)
class ReportContent:
    """A whole report, language-neutral.

    Attributes
    ----------
    title
        Report title per language.
    sections
        The sections that ran, in :data:`SECTION_IDS` order.
    not_run
        ``(section id, reason)`` of every section left out.
    """

    title: Localised
    sections: tuple[Section, ...]
    not_run: tuple[tuple[str, NotRun], ...]

    @property
    def section_ids(self) -> tuple[str, ...]:
        """Ids of the sections present."""
        return tuple(s.id for s in self.sections)


def build_report(
    inputs: ReportInputs,
    run_parameters: Sequence[tuple[str, Param]] = (),
    builders: dict[str, SectionBuilder] | None = None,
) -> ReportContent:
    """Run every section builder and assemble summary, methodology and manifest.

    Parameters
    ----------
    inputs
        The loaded spec and hubs.
    run_parameters
        Parameters of this run (language, formats, PDF engine) for the manifest.
    builders
        Section builders by id (default :data:`CAPABILITY_BUILDERS`).

    Raises
    ------
    FreighthubError
        Whatever a builder raises for bad input.
    """
    table = CAPABILITY_BUILDERS if builders is None else builders
    unknown = set(table) - set(SECTION_IDS)
    if unknown:
        raise ValueError(f"builders for unknown section ids: {sorted(unknown)}")
    contributions: list[Contribution] = []
    not_run: list[tuple[str, NotRun]] = []
    for section_id in SECTION_IDS:
        builder = table.get(section_id)
        if builder is None:
            continue
        result = builder(inputs)
        if isinstance(result, NotRun):
            not_run.append((section_id, result))
            continue
        if result.section.id != section_id:
            raise ValueError(f"builder for {section_id!r} returned section {result.section.id!r}")
        contributions.append(result)
    sections = [
        build_summary(inputs, contributions, not_run),
        *(c.section for c in contributions),
        build_methodology(contributions, not_run),
        build_manifest_section(inputs, contributions, run_parameters),
    ]
    title = inputs.spec.title
    return ReportContent(
        title=Localised(title.en, title.zh),
        sections=tuple(sections),
        not_run=tuple(not_run),
    )


def localise_report(content: ReportContent, tr: Translations) -> dict[str, Any]:
    """The report document in one language: what ``report.json`` holds and HTML shows."""
    loc = Localiser(tr)
    title = content.title.get(tr.lang)
    return {
        "format": REPORT_FORMAT,
        "generator": f"freighthub {__version__}",
        "lang": tr.lang,
        "lang_tag": tr.label("meta.lang_tag"),
        "font_family": tr.font_family,
        "title": title,
        "labels": {
            "subtitle": tr.label("meta.subtitle").format(version=__version__),
            "contents": tr.label("meta.contents"),
            "source": tr.label("meta.source"),
            "footer": tr.label("meta.footer").format(version=__version__),
        },
        "sections": [loc.section(s) for s in content.sections],
        "not_run": [
            {"id": sid, "title": tr.label(f"section.{sid}.title"), "reason": loc.plain(nr.reason)}
            for sid, nr in content.not_run
        ],
    }
