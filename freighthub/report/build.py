"""Assemble a report: the fixed section order and the hook each capability uses.

A capability adds its section by writing a builder ``(ReportInputs) -> Contribution
| NotRun`` in ``freighthub/report/sections/`` and naming it in
:data:`CAPABILITY_BUILDERS` under its fixed section id. A builder returns
:class:`NotRun` (with the reason) when the spec does not ask for it; the section is
then left out and the methodology says it was not run. Summary, methodology and
manifest are assembled from the contributions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from freighthub.report.content import Contribution, Localised, NotRun, Param, Section, Text
from freighthub.report.i18n import Translations
from freighthub.report.inputs import ReportInputs
from freighthub.report.localise import Localiser
from freighthub.report.sections.appraisal import build_appraisal, build_candidates
from freighthub.report.sections.compliance import build_compliance
from freighthub.report.sections.hubs import build_hubs
from freighthub.report.sections.manifest import build_manifest_section
from freighthub.report.sections.methodology import build_methodology, build_sources
from freighthub.report.sections.optimisation import build_optimisation
from freighthub.report.sections.ranking import build_ranking
from freighthub.report.sections.scenarios import build_scenarios
from freighthub.report.sections.simulation import build_simulation
from freighthub.report.sections.summary import build_recommendation, build_summary
from freighthub.report.sections.validation import build_validation
from freighthub.report.spec import Title
from freighthub.version import __version__

__all__ = [
    "CAPABILITY_BUILDERS",
    "REPORT_FORMAT",
    "SECTION_IDS",
    "ReportContent",
    "ReportMeta",
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
    "validation",
    "scenarios",
    "optimisation",
    "appraisal",
    "candidates",
    "methodology",
    "manifest",
    "sources",
)
"""Every section id, in report order. Ids are stable: tests and the golden use them.

``sources`` (every cited value) is the appendix, last."""

SectionBuilder = Callable[[ReportInputs], Contribution | NotRun]


CAPABILITY_BUILDERS: dict[str, SectionBuilder] = {
    "hubs": build_hubs,
    "compliance": build_compliance,
    "ranking": build_ranking,
    "simulation": build_simulation,
    "scenarios": build_scenarios,
    "optimisation": build_optimisation,
    "validation": build_validation,

    "appraisal": build_appraisal,
    "candidates": build_candidates,
}
"""The hook: section id -> builder, for every section a capability provides."""


@dataclass(frozen=True)
class ReportMeta:
    """What the title page shows besides the title.

    Attributes
    ----------
    organisation, author
        From the spec, per language (``None`` where the spec gives none).
    date
        The report date: the spec's ``date``, else the date of the run.
    date_from_spec
        Whether ``date`` comes from the spec (else from the run, stated in the manifest).
    version
        freighthub version that wrote the report.
    recommendation
        Sentences of the recommendation, each composed by a section from what it
        computed (see :attr:`Contribution.recommendation`).
    """

    organisation: Localised | None
    author: Localised | None
    date: dt.date
    date_from_spec: bool
    version: str
    recommendation: tuple[Text, ...]


@dataclass(frozen=True)
class ReportContent:
    """A whole report, language-neutral.

    Attributes
    ----------
    title
        Report title per language.
    meta
        Organisation, author, date, version and recommendation (the title page).
    sections
        The sections that ran, in :data:`SECTION_IDS` order.
    not_run
        ``(section id, reason)`` of every section left out.
    """

    title: Localised
    meta: ReportMeta
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
    *,
    run_date: dt.date | None = None,
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
    run_date
        Date of the run, the report date where the spec gives none (default: today).

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
    spec = inputs.spec
    date = spec.date or run_date or dt.date.today()
    meta = ReportMeta(
        organisation=_localised(spec.organisation),
        author=_localised(spec.author),
        date=date,
        date_from_spec=spec.date is not None,
        version=__version__,
        recommendation=build_recommendation(contributions),
    )
    dated: list[tuple[str, Param]] = [
        (
            "report_date",
            Text(
                "manifest.date_spec" if meta.date_from_spec else "manifest.date_run",
                {"date": date.isoformat()},
            ),
        )
    ]
    sections = [
        build_summary(inputs, contributions, not_run),
        *(c.section for c in contributions),
        build_methodology(contributions, not_run),
        build_manifest_section(inputs, contributions, [*dated, *run_parameters]),
        build_sources(contributions),
    ]
    return ReportContent(
        title=Localised(spec.title.en, spec.title.zh),
        meta=meta,
        sections=tuple(sections),
        not_run=tuple(not_run),
    )


def _localised(text: str | Title | None) -> Localised | None:
    if text is None:
        return None
    if isinstance(text, str):
        return Localised(text)
    return Localised(text.en, text.zh)


def localise_report(content: ReportContent, tr: Translations) -> dict[str, Any]:
    """The report document in one language: what ``report.json`` holds and HTML shows."""
    loc = Localiser(tr)
    title = content.title.get(tr.lang)
    meta = content.meta
    return {
        "format": REPORT_FORMAT,
        "generator": f"freighthub {__version__}",
        "lang": tr.lang,
        "lang_tag": tr.label("meta.lang_tag"),
        "font_family": tr.font_family,
        "title": title,
        "meta": {
            "organisation": None if meta.organisation is None else meta.organisation.get(tr.lang),
            "author": None if meta.author is None else meta.author.get(tr.lang),
            "date": meta.date.isoformat(),
            "date_text": _date_text(meta.date, tr),
            "date_from_spec": meta.date_from_spec,
            "version": meta.version,
            "recommendation": [loc.text(t) for t in meta.recommendation],
        },
        "labels": {
            "subtitle": tr.label("meta.subtitle").format(version=__version__),
            "contents": tr.label("meta.contents"),
            "organisation": tr.label("meta.organisation"),
            "author": tr.label("meta.author"),
            "date": tr.label("meta.date"),
            "version": tr.label("meta.version"),
            "recommendation": tr.label("meta.recommendation"),
            "source": tr.label("meta.source"),
            "footer": tr.label("meta.footer").format(version=__version__),
        },
        "sections": [loc.section(s) for s in content.sections],
        "not_run": [
            {"id": sid, "title": tr.label(f"section.{sid}.title"), "reason": loc.plain(nr.reason)}
            for sid, nr in content.not_run
        ],
    }


def _date_text(date: dt.date, tr: Translations) -> str:
    """The report date written the language's way (``7 December 2026``, ``2026年12月7日``)."""
    return tr.label("meta.date_format").format(
        year=date.year, month=tr.label(f"month.m{date.month}"), day=date.day
    )
