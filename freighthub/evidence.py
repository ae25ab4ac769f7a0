"""Simulated evidence: hub figures a simulation run estimates, as observations with provenance.

A scenario run estimates figures a hub review asks about (issue #17): the mean truck
waiting time, the utilisation of the busiest crane pool, the mean yard occupancy and
the handling emissions per TEU handled. :func:`simulated_observations` turns them into
:class:`SimulatedObservation` objects, one per hub and figure (:data:`SIMULATED_FIGURES`):
the mean over replications with its 95 % interval, each replication's value, the
scenario, seed and number of replications.

Where a criterion of the standard or profile reads the figure's hub attribute
(:attr:`SimulatedFigure.attribute`), :func:`freighthub.assessment.assess` uses the
simulated value in place of the hub file's, and the rank acceptability samples its
replications. A figure that no criterion reads is *context evidence*: reported next to
the hub without pass or fail, because no standard or profile shipped with freighthub
states a threshold for it (crane utilisation, yard occupancy and CO2e per TEU handled
have none; the hub format has no attribute for them either).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from freighthub.frames import finite_or_none
from freighthub.model.scenario_schema import Scenario
from freighthub.model.sourced import Sourced
from freighthub.model.standard import Criterion
from freighthub.scoring.compliance import Observation
from freighthub.units import MINUTES_PER_HOUR
from freighthub.vocabulary import Confidence, weakest_confidence

if TYPE_CHECKING:
    from freighthub.sim.estimates import Estimate, ExperimentResult
    from freighthub.sim.summary import Summary

__all__ = [
    "SIMULATED_ATTRIBUTES",
    "SIMULATED_FIGURES",
    "SimulatedFigure",
    "SimulatedObservation",
    "evidence_dict",
    "simulated_cells",
    "simulated_observations",
    "simulation_input_confidence",
]

#: Pool tasks that are not cranes (gate lanes); every other pool of a hub is handling
#: equipment (quay, rail and yard cranes, the general handling pool).
_NOT_CRANES = frozenset({"gate"})


@dataclass(frozen=True)
class SimulatedFigure:
    """One hub figure a simulation estimates (a row of :data:`SIMULATED_FIGURES`).

    Attributes
    ----------
    name
        Identifier, with its unit (``crane_utilisation_share``).
    unit
        Unit key (:mod:`freighthub.units`) of the values.
    attribute
        The hub attribute a criterion reads this figure as, ``None`` when the hub
        format has none (context evidence only).
    values
        ``(result, hub id) -> one value per replication`` (NaN where the replication
        has none), and the source detail (which pool) or ``""``.
    """

    name: str
    unit: str
    attribute: str | None
    values: Callable[[ExperimentResult, str], tuple[list[float], str]]


def _terminal_hub(s: Summary, hub_id: str) -> Any:
    return None if s.terminal is None else s.terminal.hubs.get(hub_id)


def _truck_wait_min(result: ExperimentResult, hub_id: str) -> tuple[list[float], str]:
    out = []
    for s in result.summaries:
        t = _terminal_hub(s, hub_id)
        out.append(math.nan if t is None else t.truck_wait_mean_h * MINUTES_PER_HOUR)
    return out, ""


def _modelled(result: ExperimentResult, hub_id: str) -> bool:
    """The hub has a terminal model (a pool of its own) or trucks entered it."""
    est = result.estimates.terminal
    if est is None or hub_id not in est.hubs:
        return False
    own = [p for p, e in est.pools.items() if p.split("/")[0] == hub_id and e.units.mean > 0]
    return bool(own) or est.hubs[hub_id].trucks.mean > 0


def _crane_utilisation(result: ExperimentResult, hub_id: str) -> tuple[list[float], str]:
    """The busiest crane pool of the hub (by mean utilisation over replications); without
    a terminal model the hub's handling pool."""
    est = result.estimates.terminal
    if est is None:
        return [s.hubs[hub_id].utilisation if hub_id in s.hubs else math.nan
                for s in result.summaries], ""  # fmt: skip
    pools = [
        p
        for p, e in est.pools.items()
        if p.split("/")[0] == hub_id
        and p.rsplit("/", 1)[1] not in _NOT_CRANES
        and e.jobs.mean > 0
        and math.isfinite(e.utilisation.mean)
    ]
    if not pools:
        return [], ""
    busiest = max(pools, key=lambda p: est.pools[p].utilisation.mean)
    values = []
    for s in result.summaries:
        pool = None if s.terminal is None else s.terminal.pools.get(busiest)
        values.append(math.nan if pool is None else pool.utilisation)
    return values, f"busiest crane pool {busiest}"


def _yard_mean_teu(result: ExperimentResult, hub_id: str) -> tuple[list[float], str]:
    if not _modelled(result, hub_id):
        return [], ""
    out = []
    for s in result.summaries:
        t = _terminal_hub(s, hub_id)
        out.append(math.nan if t is None else t.yard_mean_teu)
    return out, "time-weighted mean"


def _kgco2e_per_teu(result: ExperimentResult, hub_id: str) -> tuple[list[float], str]:
    out = []
    for s in result.summaries:
        h = s.hubs.get(hub_id)
        if h is None or not h.handled_teu > 0:
            out.append(math.nan)
        else:
            out.append(h.emissions_kgco2e_wtw / h.handled_teu)
    return out, "hub handling emissions (WTW) / TEU handled"


#: The hub figures a simulation estimates; one row per figure.
SIMULATED_FIGURES: tuple[SimulatedFigure, ...] = (
    SimulatedFigure(
        "truck_wait_mean_min", "min", "operations.mean_truck_wait_min", _truck_wait_min
    ),
    SimulatedFigure("crane_utilisation_share", "share", None, _crane_utilisation),
    SimulatedFigure("yard_occupancy_mean_teu", "teu", None, _yard_mean_teu),
    SimulatedFigure("handling_kgco2e_wtw_per_teu", "kgco2e_per_teu", None, _kgco2e_per_teu),
)

#: Hub attribute -> the figure a criterion reading it takes from a simulation.
SIMULATED_ATTRIBUTES: dict[str, SimulatedFigure] = {
    f.attribute: f for f in SIMULATED_FIGURES if f.attribute is not None
}


@dataclass(frozen=True)
class SimulatedObservation(Observation):
    """A hub's value observed in a simulation rather than reported in its hub file.

    The basis of the value (``simulated``) is kept apart from its trust label:
    ``confidence`` stays a :class:`~freighthub.vocabulary.Confidence`, the weakest
    label of the scenario inputs the simulated figure rests on
    (:func:`simulation_input_confidence`), so the one flagging rule applies unchanged.
    ``value`` is the mean over replications, ``ci95_low``/``ci95_high`` its 95 %
    Student-t interval (NaN with one replication), ``replication_values`` each
    replication's value (NaN where it had none), all in ``unit``. ``figure`` names the
    row of :data:`SIMULATED_FIGURES`; ``attribute`` the hub attribute a criterion reads
    it as (``None``: context evidence, no criterion can read it).
    """

    scenario_id: str = ""
    seed: int = 0
    replications: int = 0
    ci95_low: float = math.nan
    ci95_high: float = math.nan
    figure: str = ""
    unit: str = ""
    attribute: str | None = None
    replication_values: tuple[float, ...] = ()

    @property
    def basis(self) -> str:
        """How the value was obtained: ``simulated``."""
        return "simulated"

    @property
    def estimate(self) -> Estimate:
        """The value as a simulation estimate: mean, 95 % interval and the number of
        replications with a value (all of :attr:`replications` where
        :attr:`replication_values` is not given), in :attr:`unit`."""
        from freighthub.sim.estimates import Estimate

        n = sum(1 for x in self.replication_values if not math.isnan(x))
        return Estimate(
            float(self.value),  # type: ignore[arg-type]
            self.ci95_low,
            self.ci95_high,
            n if self.replication_values else self.replications,
            self.unit,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the value, its interval, the replications and the run."""
        plain = finite_or_none  # NaN (no interval, no value) -> null
        return {
            "figure": self.figure,
            "attribute": self.attribute,
            "value": self.value,
            "unit": self.unit,
            "ci95_low": plain(self.ci95_low),
            "ci95_high": plain(self.ci95_high),
            "replication_values": [plain(x) for x in self.replication_values],
            "basis": self.basis,
            "confidence": None if self.confidence is None else self.confidence.value,
            "source": self.source,
            "scenario": self.scenario_id,
            "seed": self.seed,
            "replications": self.replications,
        }


def _labels(node: Any) -> Iterator[Confidence | None]:
    if isinstance(node, Sourced):
        yield node.confidence
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from _labels(item)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _labels(getattr(node, name))


def simulation_input_confidence(scenario: Scenario) -> dict[str, Confidence | None]:
    """Per hub of the scenario, the weakest label of the inputs its simulated terminal
    figures rest on: every sourced value of its ``[[hub_resources]]`` entry (pools,
    rates, lanes, thresholds) and the demand volumes (``teu_per_year``).
    ``None`` when one of them has no label (flagged, as any unlabelled value)."""
    demand = [d.teu_per_year.confidence for d in scenario.demand]
    resources = {r.hub: list(_labels(r)) for r in scenario.hub_resources}
    return {hub: weakest_confidence([*resources.get(hub, []), *demand]) for hub in scenario.hubs}


def simulated_observations(
    result: ExperimentResult, confidence: Mapping[str, Confidence | None]
) -> dict[str, dict[str, SimulatedObservation]]:
    """Per hub id, per figure name, the :data:`SIMULATED_FIGURES` a simulation observed.

    A figure is left out where it has no value in any replication (no truck entered
    the hub in the statistics window, no terminal model, nothing handled). The truck
    waiting time, crane pools and yard need a terminal model; the crane utilisation of a
    run without one is the hub's handling pool, the emissions per TEU come from any
    run. ``confidence`` gives each hub's label (:func:`simulation_input_confidence`).
    """
    from freighthub.sim.estimates import estimate

    scenario = result.network.scenario_id
    run = f"scenario {scenario}, seed {result.seed}, {result.replications} replication(s)"
    out: dict[str, dict[str, SimulatedObservation]] = {}
    for hub_id in result.estimates.hubs:
        found: dict[str, SimulatedObservation] = {}
        for figure in SIMULATED_FIGURES:
            values, detail = figure.values(result, hub_id)
            e = estimate(values, figure.unit)
            if e.n == 0 or not math.isfinite(e.mean):
                continue
            found[figure.name] = SimulatedObservation(
                value=e.mean,
                source=f"simulated: {run}" + (f"; {detail}" if detail else ""),
                confidence=confidence.get(hub_id),
                scenario_id=scenario,
                seed=result.seed,
                replications=result.replications,
                ci95_low=e.ci95_low,
                ci95_high=e.ci95_high,
                figure=figure.name,
                unit=figure.unit,
                attribute=figure.attribute,
                replication_values=tuple(float(v) for v in values),
            )
        if found:
            out[hub_id] = found
    return out


def simulated_cells(
    criteria: Iterable[Criterion], figures: Mapping[str, SimulatedObservation]
) -> dict[str, SimulatedObservation]:
    """Criterion id -> the simulated figure it reads (by the figure's attribute; a ratio
    criterion, ``attribute / per``, reads none)."""
    by_attribute = {o.attribute: o for o in figures.values() if o.attribute is not None}
    return {
        c.id: by_attribute[c.attribute]
        for c in criteria
        if c.per is None and c.attribute in by_attribute
    }


def evidence_dict(
    evidence: Mapping[str, Mapping[str, SimulatedObservation]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per hub, per criterion or figure, the simulated values JSON-ready."""
    return {hub: {k: o.to_dict() for k, o in by.items()} for hub, by in evidence.items()}
