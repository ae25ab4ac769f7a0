"""Report specifications: a TOML file that says what a report covers.

A spec names the hubs, the standard and profile to score against, the ranking
method(s) and seeds, and (as those capabilities land) scenarios and variants.
Relative paths are relative to the spec file's folder. The format is documented in
``docs/data-formats.md``; examples ship in ``docs/examples/reports/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from freighthub.errors import DataFileError, FreighthubError, UnknownIdentifierError
from freighthub.model.fields import (
    Frozen,
    NonNegativeFloat,
    PositiveFloat,
    Share,
    Text,
    listed_once,
)
from freighthub.model.files import read_toml, unknown_in_file, validate
from freighthub.scoring.robust import ASSESSMENT_METHOD, ASSESSMENT_POLICY
from freighthub.vocabulary import Mode

__all__ = [
    "AssessmentSpec",
    "CorridorSpec",
    "MapSpec",
    "OptimisationSpec",
    "ReportSpec",
    "ScenariosSpec",
    "SimulationSpec",
    "Title",
    "load_report_spec",
]

ReportName = Annotated[str, Field(pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$")]


class Title(Frozen):
    """Text per language (English required, Chinese optional)."""

    en: Text
    zh: Text | None = None


class AssessmentSpec(Frozen):
    """What to score the hubs against and how to rank them.

    Attributes
    ----------
    standard
        Identifier of the standard or profile (its file name without ``.toml``, in
        ``standards/`` or ``standards/profiles/``).
    standards_dir
        Folder of standard files (default: the shipped ``standards/``).
    weights
        A weights file (``[weights]`` criterion-id = weight); default: the
        standard's own weights, else equal weights.
    ahp
        An AHP pairwise-comparison file over the standard's criteria (instead of
        ``weights``); its consistency ratio is shown, an inconsistent matrix refused.
    missing
        Missing-data treatment of the ranking: ``sample`` (default: missing values
        sampled over their plausible range in the stability analysis), ``worst``,
        ``exclude_criterion`` or ``exclude_alternative``
        (:mod:`freighthub.scoring.robust`).
    uncertainty
        A ranking-uncertainty policy file (default:
        ``standards/methods/ranking-uncertainty.toml``).
    methods
        MCDA methods to rank with; the first is the headline ranking and gets the
        stability analysis, the others show agreement across methods.
    seed
        Seed of the Monte Carlo weight sampling for rank acceptability.
    samples
        Number of weight samples for rank acceptability.
    year
        Assessment year: which deadlines of staged criteria are due (TEN-T core
        2030, extended core 2040, comprehensive 2050) and from which year candidate
        hubs' plans are read (their ``planned_year``); default: the profile's
        ``assessment_year``, else none (candidates as planned).
    """

    standard: Text
    standards_dir: Path | None = None
    weights: Path | None = None
    ahp: Path | None = None
    missing: Literal["sample", "exclude_criterion", "exclude_alternative", "worst"] = (
        ASSESSMENT_POLICY
    )
    uncertainty: Path | None = None
    methods: Annotated[tuple[Text, ...], Field(min_length=1), listed_once("a method")] = (
        ASSESSMENT_METHOD,
    )
    seed: Annotated[int, Field(ge=0)] = 0
    samples: Annotated[int, Field(gt=0, le=1_000_000)] = 1000
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None

    @model_validator(mode="after")
    def _one_weighting(self) -> AssessmentSpec:
        if self.weights is not None and self.ahp is not None:
            raise ValueError("give weights or ahp, not both")
        return self


class SimulationSpec(Frozen):
    """Which scenario to simulate for the simulation section.

    Attributes
    ----------
    scenario
        Scenario file (relative to the spec file).
    seed, replications
        Override the scenario's ``[experiment]`` values.
    pack
        Emission factor pack id, or a ``.toml`` file relative to the spec (default:
        the scenario's ``emission_pack``).
    statistics
        Folder of the published statistics the scenario's ``[validation]`` names
        (relative to the spec; default ``data_dir("statistics")``), for the "Model
        validation" section.
    """

    scenario: Path
    seed: Annotated[int, Field(ge=0)] | None = None
    replications: Annotated[int, Field(gt=0, le=10_000)] | None = None
    pack: Text | None = None
    statistics: Path | None = None


class ScenariosSpec(Frozen):
    """Variants to compare with their base scenarios.

    Attributes
    ----------
    variants
        Variant files (relative to the spec file); each names its ``base``.
    seed, replications
        Override the base scenario's ``[experiment]`` values.
    """

    variants: Annotated[tuple[Path, ...], Field(min_length=1)]
    seed: Annotated[int, Field(ge=0)] | None = None
    replications: Annotated[int, Field(gt=1, le=10_000)] | None = None


class OptimisationSpec(Frozen):
    """The mode-split LP for the optimisation section (one-week period).

    Attributes
    ----------
    scenario
        Scenario file (relative to the spec file).
    mode_choice, value_of_time_cny_per_teu_h
        Exactly one: the mode-choice parameter id (holds the value of time with its
        source) or a value of time [CNY/(TEU·h)].
    carbon_price_cny_per_tco2e
        Carbon price in the objective [CNY/tCO2e WTW].
    road_share_max
        Upper bound on road's share of TEU-km [0-1].
    emission_cap_tco2e_per_week
        Cap on WTW emissions [tCO2e/week].
    solver
        ``cbc`` or ``highs``.
    optimise_departures
        Services with operator costs run only the whole departures the plan needs
        (up to the timetable) and pay for each, their fleet and fixed cost
        (``freighthub optimize --optimise-departures``).
    """

    scenario: Path
    mode_choice: Text | None = None
    value_of_time_cny_per_teu_h: PositiveFloat | None = None
    carbon_price_cny_per_tco2e: NonNegativeFloat = 0.0
    road_share_max: Share | None = None
    emission_cap_tco2e_per_week: PositiveFloat | None = None
    solver: Literal["cbc", "highs"] = "cbc"
    optimise_departures: bool = False


class AppraisalSpec(Frozen):
    """The cost-benefit appraisal section: a project file (relative to the spec file)."""

    project: Path


class CandidatesSpec(Frozen):
    """The candidate-site comparison: a candidates file and the capex budget [CNY]."""

    file: Path
    budget_cny: NonNegativeFloat
    solver: Literal["cbc", "highs"] = "cbc"


class CorridorSpec(Frozen):
    """A corridor drawn on the map between two hubs."""

    from_hub: Annotated[str, Field(alias="from", min_length=1)]
    to_hub: Annotated[str, Field(alias="to", min_length=1)]
    mode: Mode


class MapSpec(Frozen):
    """What the hub map shows besides the hubs."""

    corridors: tuple[CorridorSpec, ...] = ()


class ReportSpec(Frozen):
    """A report specification (one TOML file).

    Attributes
    ----------
    name
        Folder name of the report under ``reports/``.
    title
        Title per language.
    organisation, author
        Who the report is for or from, and who wrote it, shown on the title page:
        one text for every language, or ``{ en = "...", zh = "..." }``.
    date
        The report date (TOML date, ``2026-12-07``), shown on the title page.
        Without one, the date of the run is used and recorded in the manifest; give
        one to make a rerun reproduce the report exactly.
    hubs
        Folder (or file) of hubs, relative to the spec file.
    hub_ids
        The hubs to report on (default: every hub in ``hubs``).
    assessment
        Standards compliance and ranking; absent: those sections are not run.
    simulation
        The scenario to simulate; absent: the simulation section is not run.
    scenarios
        Variants to compare with their bases; absent: that section is not run.
    optimisation
        The mode-split LP; absent: the optimisation section is not run.
    appraisal, candidates
        A project file to appraise, a candidates file and budget to select from;
        absent: the "Appraisal" / "Candidate-site comparison" sections are not run.
    map
        Corridors to draw on the hub map.
    """

    name: ReportName
    title: Title
    organisation: Text | Title | None = None
    author: Text | Title | None = None
    date: dt.date | None = None
    hubs: Path | None = None
    hub_ids: Annotated[tuple[Text, ...] | None, listed_once("a hub")] = None
    assessment: AssessmentSpec | None = None
    simulation: SimulationSpec | None = None
    scenarios: ScenariosSpec | None = None
    optimisation: OptimisationSpec | None = None
    appraisal: AppraisalSpec | None = None
    candidates: CandidatesSpec | None = None
    map: MapSpec = MapSpec()


def load_report_spec(path: str | Path) -> tuple[ReportSpec, Path]:
    """Load a report spec; relative paths in it are resolved against its folder.

    Returns
    -------
    tuple
        The spec (paths made absolute) and the spec file's absolute path.

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, or breaks a rule of the format.
    """
    p = Path(path).resolve()
    spec = validate(ReportSpec, read_toml(p), p)
    base = p.parent
    updates: dict[str, object] = {}
    if spec.hubs is not None and not spec.hubs.is_absolute():
        updates["hubs"] = base / spec.hubs
    if spec.assessment is not None:
        paths = {
            key: base / value
            for key in ("standards_dir", "weights", "ahp", "uncertainty")
            if (value := getattr(spec.assessment, key)) is not None and not value.is_absolute()
        }
        if paths:
            updates["assessment"] = spec.assessment.model_copy(update=paths)
    if spec.simulation is not None:
        sim: dict[str, object] = {}
        if not spec.simulation.scenario.is_absolute():
            sim["scenario"] = base / spec.simulation.scenario
        pack = spec.simulation.pack
        if pack is not None and pack.endswith(".toml") and not Path(pack).is_absolute():
            sim["pack"] = str(base / pack)
        stats = spec.simulation.statistics
        if stats is not None and not stats.is_absolute():
            sim["statistics"] = base / stats
        if sim:
            updates["simulation"] = spec.simulation.model_copy(update=sim)
    if spec.scenarios is not None:
        updates["scenarios"] = spec.scenarios.model_copy(
            update={
                "variants": tuple(
                    v if v.is_absolute() else base / v for v in spec.scenarios.variants
                )
            }
        )
    if spec.optimisation is not None and not spec.optimisation.scenario.is_absolute():
        updates["optimisation"] = spec.optimisation.model_copy(
            update={"scenario": base / spec.optimisation.scenario}
        )
    if spec.appraisal is not None and not spec.appraisal.project.is_absolute():
        updates["appraisal"] = spec.appraisal.model_copy(
            update={"project": base / spec.appraisal.project}
        )
    if spec.candidates is not None and not spec.candidates.file.is_absolute():
        updates["candidates"] = spec.candidates.model_copy(
            update={"file": base / spec.candidates.file}
        )
    resolved = spec.model_copy(update=updates)
    _check_paths(resolved, p)
    return resolved, p


def _check_paths(spec: ReportSpec, p: Path) -> None:
    """Every file or folder the spec names exists (named by its field in the spec)."""
    named: list[tuple[str, Path | None]] = [("hubs", spec.hubs)]
    if spec.assessment is not None:
        named += [
            ("assessment.standards_dir", spec.assessment.standards_dir),
            ("assessment.weights", spec.assessment.weights),
            ("assessment.ahp", spec.assessment.ahp),
            ("assessment.uncertainty", spec.assessment.uncertainty),
        ]
    if spec.simulation is not None:
        named.append(("simulation.scenario", spec.simulation.scenario))
        named.append(("simulation.statistics", spec.simulation.statistics))
    if spec.scenarios is not None:
        named += [(f"scenarios.variants[{i}]", v) for i, v in enumerate(spec.scenarios.variants)]
    if spec.optimisation is not None:
        named.append(("optimisation.scenario", spec.optimisation.scenario))
    if spec.appraisal is not None:
        named.append(("appraisal.project", spec.appraisal.project))
    if spec.candidates is not None:
        named.append(("candidates.file", spec.candidates.file))
    for field, target in named:
        if target is not None and not target.exists():
            raise DataFileError(p, f"does not exist ({target})", field, str(target.name))


#: The spec field that names an id of each kind (as :class:`UnknownIdentifierError` says).
_ID_FIELDS = {
    "hub": "hub_ids",
    "standard": "assessment.standard",
    "MCDA method": "assessment.methods",
    "hub in map.corridors": "map.corridors",  # made precise by spec_field_error
}


def spec_field_error(
    exc: UnknownIdentifierError, spec: ReportSpec, spec_path: Path
) -> FreighthubError:
    """The error for an unknown id the spec names, with the spec file and its field.

    An unknown id of another kind (inside a scenario, say) is returned unchanged.
    """
    field = _ID_FIELDS.get(exc.kind)
    if field is None:
        return exc
    if field == "map.corridors":
        for i, c in enumerate(spec.map.corridors):
            if exc.identifier in (c.from_hub, c.to_hub):
                end = "from" if c.from_hub == exc.identifier else "to"
                field = f"map.corridors[{i}].{end}"
                break
    return unknown_in_file(exc, spec_path, field)
