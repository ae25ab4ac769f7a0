"""Compliance matrix and ranking sections, from :func:`freighthub.assessment.assess`.

Both sections share one assessment per MCDA method of the spec (computed once
through :meth:`ReportInputs.shared`). The first method is the headline ranking and
carries the stability analysis (rank acceptability, rank reversal); the others show
how far the methods agree (Kendall's tau-b between their rankings).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from freighthub.assessment import Assessment, assess
from freighthub.errors import UnknownIdentifierError
from freighthub.evidence import (
    SimulatedObservation,
    simulated_observations,
    simulation_input_confidence,
)
from freighthub.model.decision_matrix import ahp_weights_matching
from freighthub.model.methods import load_ranking_uncertainty
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.model.standard import Criterion, Standard, load_standards, load_weights
from freighthub.report.content import (
    Cell,
    Localised,
    Note,
    Param,
    Quantity,
    Status,
    Text,
    interval_of,
    listed,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.simulation import run_simulation
from freighthub.report.values import measured
from freighthub.scoring.compliance import (
    CriterionResult,
    NotAssessed,
    NotAssessedKind,
)

__all__ = ["AssessmentRuns", "reason_text", "run_assessments"]

_SCORE_DECIMALS = 3
_TAU_DECIMALS = 2
_SHARE_DECIMALS = 0
_WEIGHT_DECIMALS = 1
# The title page's recommendation names a hub firmly only if the ranking rests on at
# least half of the criteria and at most half of its values were filled in for gaps
# (a presentation rule of this report, not a threshold from a standard).
_FIRM_CRITERIA_SHARE = 0.5
_FIRM_FILLED_SHARE = 0.5


@dataclass(frozen=True)
class AssessmentRuns:
    """One assessment per method (the first is the headline) and the files read."""

    by_method: dict[str, Assessment]
    files: tuple[Path, ...]

    @property
    def headline(self) -> Assessment:
        """The assessment of the first method (with the stability analysis)."""
        return next(iter(self.by_method.values()))


def run_assessments(inputs: ReportInputs) -> AssessmentRuns:
    """Assess the report's hubs with every method of the spec.

    Raises
    ------
    UnknownIdentifierError
        For an unknown standard, method or missing-data policy.
    DataFileError
        If a standard or the weights file is invalid.
    """
    spec = inputs.spec.assessment
    assert spec is not None
    folder = spec.standards_dir or data_dir("standards")
    catalogue = load_standards(folder)
    if spec.standard not in catalogue:
        raise UnknownIdentifierError("standard", spec.standard, catalogue)
    standard = catalogue[spec.standard]
    weights = None if spec.weights is None else load_weights(spec.weights)
    ahp = None
    if spec.ahp is not None:
        weights, ahp = ahp_weights_matching(
            spec.ahp, [c.id for c in standard.criteria], standard.id
        )
    policy = None if spec.uncertainty is None else load_ranking_uncertainty(spec.uncertainty)
    simulated = _simulated(inputs)
    by_method = {
        method: assess(
            inputs.hubs,
            standard,
            method=method,
            weights=weights,
            missing=spec.missing,
            n_samples=spec.samples if i == 0 else 0,
            seed=spec.seed,
            uncertainty=policy,
            year=spec.year,
            simulated=simulated,
        )
        for i, method in enumerate(spec.methods)
    }
    if ahp is not None:
        by_method = {k: replace(a, weights_basis="ahp", ahp=ahp) for k, a in by_method.items()}
    files = [standard.path]
    for origin in sorted(set(standard.origin.values()) - {standard.id}):
        files.append(catalogue[origin].path)
    files += [p for p in (spec.weights, spec.ahp, spec.uncertainty) if p is not None]
    return AssessmentRuns(by_method, tuple(p.resolve() for p in files))


def _simulated(inputs: ReportInputs) -> dict[str, dict[str, SimulatedObservation]]:
    """The hub figures the report's simulation observes (:mod:`freighthub.evidence`).

    Only when the spec simulates a scenario: the simulation is the one the simulation
    section shows (shared, run once). Truck waits, crane pools and the yard need a
    terminal model; the handling emissions per TEU come from any run.
    """
    sim = inputs.spec.simulation
    if sim is None:
        return {}
    result = inputs.shared("simulation", lambda: run_simulation(inputs))
    scenario = load_scenario(sim.scenario, inputs.spec.hubs).scenario
    return simulated_observations(result, simulation_input_confidence(scenario))


def _runs(inputs: ReportInputs) -> AssessmentRuns:
    return inputs.shared("assessment", lambda: run_assessments(inputs))


def _title(standard: Standard) -> Localised:
    return Localised(standard.info.title.en, standard.info.title.zh)


def _criterion_name(c: Criterion) -> Localised:
    return Localised(c.name.en, c.name.zh)


def _source(c: Criterion) -> str:
    text = c.source.one_line()
    return f"{text}, {c.source.url}" if c.source.url else text


def _threshold(c: Criterion) -> Param:
    """The pass condition of a criterion, composed from its rule and limits."""
    rule = c.rule.value
    if rule in {"minimum", "maximum"} and c.threshold is not None:
        key = f"compliance.threshold.{rule}" + ("_strict" if c.strict else "")
        return Text(key, {"limit": measured(c.threshold, c.unit)})
    if rule == "boolean" and c.required is not None:
        return Text(f"compliance.threshold.boolean_{str(c.required).lower()}")
    if rule == "one_of" and c.allowed:
        return Text("compliance.threshold.one_of", {"values": ", ".join(c.allowed)})
    band_id = c.pass_band or (c.bands[0].id if c.bands else None)
    band = next((b for b in c.bands if b.id == band_id), None)
    if rule == "graded" and band is not None:
        side = "minimum" if c.direction.value == "benefit" else "maximum"
        return Text(
            f"compliance.threshold.band_{side}" + ("_strict" if band.strict else ""),
            {"band": Localised(band.name.en, band.name.zh), "limit": measured(band.limit, c.unit)},
        )
    return c.spec().describe_threshold()


def _names(kind: str, values: Iterable[str]) -> Param:
    """Translated names (``mode.rail`` ...) in sorted order, joined with the list separator."""
    return listed([Text(f"{kind}.{value}") for value in sorted(values)])


def reason_text(reason: NotAssessed) -> Text:
    """The compliance result's own reason for not judging a hub, as translatable text."""
    if reason.kind is NotAssessedKind.HUB_TYPE:
        return Text("compliance.reason.hub_type", {"types": _names("hub_type", reason.hub_types)})
    if reason.kind is NotAssessedKind.MODES:
        return Text("compliance.reason.modes", {"modes": _names("mode", reason.modes)})
    if reason.kind is NotAssessedKind.TIER:
        return Text(
            "compliance.reason.tier",
            {
                "tiers": _names("network_tier", reason.tiers),
                "network": Text(f"tier_network.{reason.network}"),
                "tier": Text(f"network_tier.{reason.tier}"),
            },
        )
    if reason.kind in {NotAssessedKind.EXEMPT, NotAssessedKind.CONDITION}:
        return Text(
            f"compliance.reason.{reason.kind.value}",
            {"condition": Text(f"hub_fact.{reason.condition}"), "clause": reason.clause},
        )
    return Text("compliance.reason.no_data")


def _simulated_evidence(sim: SimulatedObservation, shown: dict[str, Param], unit: str) -> Text:
    """Evidence of a simulated value: its interval, scenario, seed and replications."""
    return Text(
        "compliance.evidence_simulated",
        {
            **shown,
            "ci": interval_of(sim.estimate, lambda x: measured(x, unit)),
            "scenario": sim.scenario_id,
            "seed": str(sim.seed),
            "replications": Quantity(sim.replications),
        },
    )


def _matrix_cell(r: CriterionResult, c: Criterion, sim: SimulatedObservation | None = None) -> Cell:
    """A compliance matrix cell; ``sim`` when the hub value was simulated (issue #19)."""
    status = Status(r.status.value)
    if r.reason is not None:
        return Cell(status, tooltip=reason_text(r.reason))
    value_conf = r.value_confidence
    detail = None if r.value is None else measured(r.value, r.unit)
    shown = {"value": detail if detail is not None else "–", "threshold": _threshold(c)}
    if r.deadline is not None:
        # a staged criterion: the stage's own threshold and deadline
        if r.threshold != c.spec().describe_threshold():
            shown["threshold"] = r.threshold  # the stage sets its own threshold
        shown["deadline"] = r.deadline.isoformat()
        evidence = Text("compliance.evidence_deadline", {**shown, "clause": r.stage_clause or ""})
    else:
        evidence = Text("compliance.evidence", shown)
    if sim is not None and detail is not None:
        evidence = _simulated_evidence(sim, shown, r.unit)
        detail = Text(
            "compliance.simulated_value",
            {"value": detail, "seed": str(sim.seed), "replications": Quantity(sim.replications)},
        )
    return Cell(
        status,
        note=Note(evidence, r.value_source, value_conf),
        confidence=value_conf if value_conf is not None and value_conf.flagged else None,
        detail=detail,
    )
