"""Score hubs against a standard or profile: compliance, coverage, ranking, consensus, stability.

The workflow behind ``freighthub score``: for every hub x criterion it evaluates
compliance (:mod:`freighthub.scoring.compliance`) and data coverage
(:mod:`freighthub.scoring.coverage`), builds a decision matrix and ranks the hubs
with :func:`freighthub.scoring.robust.robust_rank` (chosen method, consensus of all
methods, rank acceptability over weight and data samples, lead check).

Decision matrix
---------------
One column per criterion: the hub's value for numeric criteria (``attribute / per``
for ratio criteria), 1 or 0 for boolean and one-of criteria (1 = meets the
requirement), in the criterion's direction. A value the hub does not give, and a
criterion that does not apply to a hub, are ``NaN``; the ``missing`` treatment
decides (default ``sample``; see :mod:`freighthub.scoring.robust`). A hub to which no
criterion applies is not ranked, nor is a criterion no hub has a value for; notes
say so. When nothing is left to rank the compliance is still returned and
``ranking_note`` says why.

Weights
-------
In order: the ``weights`` argument (every criterion of the standard, no other); else
the standard's or profile's own weights; else equal weights. ``weights_basis`` says
which (``ahp`` when :func:`score_hubs` derived them from an AHP file). The ranking
renormalises the weights of the criteria it uses to sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freighthub.errors import DataFileError, UnknownIdentifierError, one_by_id
from freighthub.evidence import evidence_dict, simulated_cells
from freighthub.frames import data_frame, plain
from freighthub.model.decision_matrix import ahp_weights_matching
from freighthub.model.hub import Hub, load_hubs
from freighthub.model.methods import load_ranking_uncertainty
from freighthub.model.paths import data_dir
from freighthub.model.profile_ranges import with_profile_ranges
from freighthub.model.standard import Standard, find_standard, load_weights
from freighthub.scoring.compliance import (
    ComplianceStatus,
    HubCompliance,
    Observation,
    hub_compliance,
)
from freighthub.scoring.coverage import (
    HubCoverage,
    cell_grid,
    coverage_from_compliance,
    mark_imputed,
    mark_simulated,
)
from freighthub.scoring.mcda import DecisionMatrix, DecisionMatrixError, Ranking, method_spec
from freighthub.scoring.robust import (
    ASSESSMENT_METHOD,
    ASSESSMENT_POLICY,
    RobustRanking,
    robust_policy,
    robust_rank,
)
from freighthub.scoring.stability import Stability
from freighthub.scoring.uncertainty import (
    DataUncertainty,
    criterion_anchors,
    discrete_criteria,
)
from freighthub.scoring.weights import AhpResult

if TYPE_CHECKING:
    import pandas as pd

from freighthub.evidence import SimulatedObservation
from freighthub.observation import (
    AssessmentError,
    ahp_dict,
    criterion_attributes,
    criterion_weights,
    decision_matrix,
    hub_setting,
    observe,
    result_dict,
)

__all__ = ["Assessment", "AssessmentError", "assess", "observe", "score_hubs"]


#: The columns of :meth:`Assessment.to_pandas` taken from each criterion result.
_RESULT_COLUMNS: tuple[str, ...] = ("status", "value", "unit", "threshold", "gap")
_RESULT_COLUMNS += ("relative_gap", "band", "flagged", "weight")


@dataclass(frozen=True)
class Assessment:
    """Compliance of hubs with a standard, and their ranking.

    Attributes
    ----------
    standard
        The standard or profile assessed against.
    hubs
        Hub ids, in input order.
    compliance
        One :class:`HubCompliance` per hub (results, counts, ordered gaps).
    weights
        Weight per criterion id used for the gap order and the ranking (sum 1).
    weights_basis
        ``given``, ``ahp`` (an AHP file), ``standard`` (the file's own weights) or
        ``equal``.
    matrix
        The decision matrix handed to the ranking (``NaN`` = missing), or ``None``
        if no criterion has data.
    matrix_notes
        What was done building the matrix (criteria left out and why, how
        not-applicable cells are treated).
    method, missing
        The MCDA method and the missing-data policy asked for.
    ranking
        The ranking (``None`` if it could not be computed; see ``ranking_note``).
    stability
        Rank acceptability and rank reversal (``None`` if ``n_samples`` is 0 or
        there is no ranking).
    ranking_note
        Why there is no ranking, or empty.
    coverage
        Per hub, which values are observed, assumed, missing, imputed or not applicable.
    robust
        The data treatment, the consensus of all methods and the lead check
        (``None`` if there is no ranking).
    ahp
        The AHP derivation of the weights (``weights_basis = "ahp"``), if any.
    year
        Assessment year the deadlines were judged in (``None``: none given).
    simulated
        Per hub id, per criterion id, the simulated value that replaced the hub
        file's (:class:`~freighthub.evidence.SimulatedObservation`); empty when
        no simulation was given. Their coverage cells are ``simulated``.
    context
        Per hub id, per figure name, simulated figures no applicable criterion reads:
        context evidence without pass or fail (:mod:`freighthub.evidence`).
    """

    standard: Standard
    hubs: tuple[str, ...]
    compliance: tuple[HubCompliance, ...]
    weights: dict[str, float]
    weights_basis: str
    matrix: DecisionMatrix | None
    matrix_notes: tuple[str, ...]
    method: str
    missing: str | None
    ranking: Ranking | None
    stability: Stability | None
    ranking_note: str = ""
    coverage: tuple[HubCoverage, ...] = ()
    robust: RobustRanking | None = None
    ahp: AhpResult | None = None
    year: int | None = None
    simulated: dict[str, dict[str, SimulatedObservation]] = field(default_factory=dict)
    context: dict[str, dict[str, SimulatedObservation]] = field(default_factory=dict)

    def of(self, hub_id: str) -> HubCompliance:
        """Compliance of one hub.

        Raises
        ------
        UnknownIdentifierError
            If the hub was not assessed.
        """
        return one_by_id(self.compliance, hub_id, "hub", key=attrgetter("hub_id"))

    def to_pandas(self) -> pd.DataFrame:
        """The compliance matrix, one row per hub and criterion (hubs, then criteria, in order).

        Columns ``hub``, ``criterion``, ``status``, ``value``, ``unit``, ``threshold``,
        ``gap``, ``relative_gap``, ``band``, ``flagged``, ``weight``; the ranking is
        ``ranking.to_pandas()``.
        """
        rows = (
            {"hub": item.hub_id, "criterion": r.criterion_id}
            | {name: plain(getattr(r, name)) for name in _RESULT_COLUMNS}
            for item in self.compliance
            for r in item.results
        )
        return data_frame(rows, ("hub", "criterion", *_RESULT_COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: compliance matrix, gaps, ranking and stability."""
        std = self.standard
        out: dict[str, Any] = {
            "standard": {
                "id": std.id,
                "kind": std.info.kind,
                "title": std.info.title.model_dump(),
                "document": std.info.document,
                "edition": std.info.edition,
                "example": std.info.example,
                "superseded_by": std.info.superseded_label(),
            },
            "assessment_year": self.year,
            "criteria": [
                {
                    "id": c.id,
                    "standard": std.origin[c.id],
                    "name": c.name.model_dump(),
                    "unit": c.unit,
                    "attribute": c.attribute if c.per is None else f"{c.attribute} / {c.per}",
                    "rule": c.rule.value,
                    "direction": c.direction.value,
                    "threshold": c.spec().describe_threshold(),
                    "confidence": c.confidence.value,
                    "flagged": c.confidence.flagged,
                    "source": c.source.model_dump(),
                    "superseded_by": c.superseded_by,
                    "weight": self.weights.get(c.id),
                }
                for c in std.criteria
            ],
            "weights_basis": self.weights_basis,
            "ahp": None if self.ahp is None else ahp_dict(self.ahp),
            "compliance": {
                hc.hub_id: {
                    "counts": {s.value: n for s, n in hc.counts.items()},
                    "results": [result_dict(r) for r in hc.results],
                    "gaps": [
                        {
                            "criterion": r.criterion_id,
                            "status": r.status.value,
                            "gap": r.gap,
                            "unit": r.unit,
                            "relative_gap": r.relative_gap,
                            "weight": r.weight,
                        }
                        for r in hc.gaps
                    ],
                }
                for hc in self.compliance
            },
            "decision_matrix": None
            if self.matrix is None
            else {
                "alternatives": list(self.matrix.alternatives),
                "criteria": list(self.matrix.criteria),
                "benefit": list(self.matrix.benefit),
                "values": [
                    [None if math.isnan(float(x)) else float(x) for x in row]
                    for row in self.matrix.values
                ],
                "notes": list(self.matrix_notes),
            },
            "method": self.method,
            "missing": self.missing,
            "ranking": None,
            "ranking_note": self.ranking_note,
            "stability": None,
        }
        if self.ranking is not None:
            out["ranking"] = self.ranking.to_dict()
        if self.stability is not None:
            out["stability"] = self.stability.to_dict()
        out["coverage"] = {hc.hub_id: hc.to_dict() for hc in self.coverage}
        out["simulated"] = evidence_dict(self.simulated)
        out["simulated_context"] = evidence_dict(self.context)
        out["consensus"] = None if self.robust is None else self.robust.to_dict()
        return out


def assess(
    hubs: Mapping[str, Hub] | Iterable[Hub],
    standard: Standard,
    method: str = ASSESSMENT_METHOD,
    weights: Mapping[str, float] | None = None,
    missing: str = ASSESSMENT_POLICY,
    n_samples: int = 1000,
    seed: int = 0,
    uncertainty: DataUncertainty | None = None,
    year: int | None = None,
    simulated: Mapping[str, Mapping[str, SimulatedObservation]] | None = None,
) -> Assessment:
    """Assess hubs against a standard or profile and rank them.

    Parameters
    ----------
    hubs
        The hubs (a mapping by id, as :func:`~freighthub.model.hub.load_hubs`
        returns, or an iterable of hubs).
    standard
        A loaded standard or profile (:func:`~freighthub.model.standard.find_standard`).
    method
        An MCDA method: a key of :data:`freighthub.scoring.mcda.METHODS`.
    weights
        Weight per criterion id (every criterion of the standard) [-]; default: the
        standard's own weights, else equal weights.
    missing
        ``sample`` (default), ``worst``, ``exclude_criterion`` or
        ``exclude_alternative``: see :mod:`freighthub.scoring.robust`.
    n_samples
        Monte Carlo weight (and, with ``sample``, data) samples for rank
        acceptability (0: no stability analysis).
    seed
        Seed of the random generator of the stability analysis.
    uncertainty
        Minimum observed values per criterion, perturbation ranges and plausible
        ranges; default: ``standards/methods/ranking-uncertainty.toml``.
    year
        Assessment year: picks the stage of staged criteria, says which deadlines
        are due (default: the profile's ``assessment_year``; :mod:`~freighthub.scoring.stages`),
        and which values of candidates are read (:meth:`Hub.scored_attribute`; a planned
        hub before its ``planned_year`` is not ranked, a note says so).
    simulated
        Per hub id, figure name -> a value observed in a simulation
        (:func:`~freighthub.evidence.simulated_observations`); it replaces the hub
        file's value for criteria reading its attribute (not ratio criteria); with
        ``missing = "sample"`` its replications are drawn in the rank acceptability.
        Figures no applicable criterion reads are context (:attr:`Assessment.context`).

    Returns
    -------
    Assessment
        Compliance per hub, the decision matrix, the ranking and its stability.

    Raises
    ------
    UnknownIdentifierError
        For an unknown method, missing-data policy or weighted criterion.
    AssessmentError
        If weights do not cover every criterion, are negative or all zero, or no hub
        is given.
    """
    method_spec(method)
    robust_policy(missing)
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 0:
        raise AssessmentError(f"n_samples = {n_samples!r}: must be a whole number >= 0")
    hub_list = list(hubs.values()) if isinstance(hubs, Mapping) else list(hubs)
    if not hub_list:
        raise AssessmentError("no hubs to assess")
    w, basis = criterion_weights(standard, weights)
    year = standard.info.assessment_year if year is None else year
    specs = [c.spec() for c in standard.criteria]
    compliance: list[HubCompliance] = []
    observations: list[dict[str, Observation | None]] = []
    used: dict[str, dict[str, SimulatedObservation]] = {}
    context: dict[str, dict[str, SimulatedObservation]] = {}
    for hub in hub_list:
        obs: dict[str, Observation | None] = {
            c.id: observe(hub, c, year) for c in standard.criteria
        }
        figures = (simulated or {}).get(hub.id, {})
        sim_cells = simulated_cells(standard.criteria, figures)
        obs.update(sim_cells)
        observations.append(obs)
        hc = hub_compliance(hub.id, specs, obs, hub.hub_types, hub.modes, w, hub_setting(hub, year))
        compliance.append(hc)
        na = ComplianceStatus.NOT_APPLICABLE
        if applies := {k: o for k, o in sim_cells.items() if hc.result(k).status is not na}:
            used[hub.id] = applies
        read = {o.figure for o in applies.values()}
        if rest := {f: o for f, o in figures.items() if f not in read}:
            context[hub.id] = rest
    matrix, notes = decision_matrix(standard, hub_list, compliance, observations, w, year)
    coverage = mark_simulated(
        coverage_from_compliance(compliance, criterion_attributes(standard)),
        [(h, c) for h, by in used.items() for c in by],
    )
    robust: RobustRanking | None = None
    note = ""
    if matrix is None:
        note = "no criterion has a value for any hub; nothing to rank"
    else:
        status, confidence = cell_grid(coverage, matrix.alternatives, matrix.criteria)
        try:
            robust = robust_rank(
                matrix,
                status,
                confidence,
                {c: w[c] for c in matrix.criteria},
                method,
                with_profile_ranges(uncertainty or load_ranking_uncertainty(), standard),
                missing=missing,
                anchors=criterion_anchors(specs),
                discrete=discrete_criteria(specs),
                n_samples=n_samples,
                seed=seed,
                replications={
                    (h, c): o.replication_values for h, by in used.items() for c, o in by.items()
                },
            )
        except DecisionMatrixError as exc:
            note = f"ranking not computed: {exc}"
        else:
            coverage = mark_imputed(coverage, robust.imputed)
    return Assessment(
        standard=standard,
        hubs=tuple(h.id for h in hub_list),
        compliance=tuple(compliance),
        weights=w,
        weights_basis=basis,
        matrix=matrix,
        matrix_notes=tuple(notes),
        method=method,
        missing=missing,
        ranking=None if robust is None else robust.ranking,
        stability=None if robust is None else robust.stability,
        ranking_note=note,
        coverage=coverage,
        robust=robust,
        year=year,
        simulated=used,
        context=context,
    )


def score_hubs(
    standard_id: str,
    hubs_dir: str | Path | None = None,
    method: str = ASSESSMENT_METHOD,
    weights_path: str | Path | None = None,
    missing: str = ASSESSMENT_POLICY,
    n_samples: int = 1000,
    seed: int = 0,
    standards_dir: str | Path | None = None,
    *,
    hub_ids: Sequence[str] | None = None,
    ahp_path: str | Path | None = None,
    uncertainty_path: str | Path | None = None,
    year: int | None = None,
    simulated: Mapping[str, Mapping[str, SimulatedObservation]] | None = None,
) -> Assessment:
    """Load hubs, a standard or profile and optional weights, then :func:`assess`.

    The one call behind ``freighthub score`` (and the demo).

    Parameters
    ----------
    standard_id
        Id of a standard or profile (``freighthub standards list``).
    hubs_dir, standards_dir
        Folders (default: the shipped ``hubs/`` and ``standards/``).
    weights_path
        A weights file (``[weights]`` table), see :func:`~freighthub.model.standard.load_weights`.
    method, missing, n_samples, seed, year
        As :func:`assess`.
    hub_ids
        Score only these hubs (input order kept).
    ahp_path
        An AHP pairwise-comparison file over the standard's criteria (instead of
        ``weights_path``); an inconsistent matrix is refused.
    uncertainty_path
        A ranking-uncertainty policy file (default: the shipped one).

    Raises
    ------
    UnknownIdentifierError
        For an unknown standard, hub, method, policy or weighted criterion.
    DataFileError
        For an invalid hub, standard, weights, AHP or policy file.
    InconsistentJudgementsError
        If the AHP matrix's consistency ratio exceeds Saaty's threshold.
    AssessmentError
        As :func:`assess`, or if both ``weights_path`` and ``ahp_path`` are given.
    """
    if weights_path is not None and ahp_path is not None:
        raise AssessmentError("weights: give a weights file or an AHP file, not both")
    standard = find_standard(standard_id, standards_dir or data_dir("standards"))
    hubs = load_hubs(hubs_dir or data_dir("hubs"))
    if hub_ids is not None:
        for hub_id in hub_ids:
            if hub_id not in hubs:
                raise UnknownIdentifierError("hub", hub_id, hubs)
        hubs = {h: hubs[h] for h in dict.fromkeys(hub_ids)}
    weights = None if weights_path is None else load_weights(weights_path)
    ahp = None
    if ahp_path is not None:
        weights, ahp = ahp_weights_matching(
            ahp_path, [c.id for c in standard.criteria], standard.id
        )
    source = weights_path or ahp_path
    if source is not None and weights is not None:
        try:
            criterion_weights(standard, weights)
        except (AssessmentError, UnknownIdentifierError) as exc:
            rule = str(exc).removeprefix("weights: ")
            raise DataFileError(source, rule, "weights") from None
    policy = None if uncertainty_path is None else load_ranking_uncertainty(uncertainty_path)
    result = assess(hubs, standard, method, weights, missing, n_samples, seed, policy, year)
    return result if ahp is None else replace(result, weights_basis="ahp", ahp=ahp)
