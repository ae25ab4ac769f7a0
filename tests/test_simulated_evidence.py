"""Simulated evidence (issue #17): the figures a run estimates per hub, their use by
criteria and as context, and their replications in the rank acceptability."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from freighthub.assessment import assess
from freighthub.evidence import SIMULATED_FIGURES, SimulatedObservation, simulated_observations
from freighthub.model.hub import Hub
from freighthub.model.standard import find_standard
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.mcda import DecisionMatrix
from freighthub.scoring.robust import robust_rank
from freighthub.scoring.uncertainty import DataUncertainty
from freighthub.vocabulary import Confidence

STANDARD = """
[standard]
id = "truck-std"
title = { en = "Truck waiting test standard", zh = "集卡等待测试标准" }
document = "Fixture standard"
edition = "2026"
licence = "test fixture"

[[criteria]]
id = "truck-wait"
name = { en = "Truck waiting", zh = "集卡等待" }
unit = "min"
hub_types = ["inland_port"]
attribute = "operations.mean_truck_wait_min"
rule = "maximum"
threshold = 20
direction = "cost"
confidence = "verified"
source = { document = "Fixture standard", clause = "Art. 1", edition = "2026" }
"""

# The shipped policy's numbers, but no perturbation of a given value: the only noise
# left in a sample is the replication drawn (one criterion: the weights do not matter).
POLICY = DataUncertainty(min_observed=1, relative_half_width={}, source="test")


def _pool(utilisation: float, jobs: float = 10.0) -> Any:
    return SimpleNamespace(utilisation=utilisation, jobs=jobs, units=1)


def _mean(*xs: float) -> Any:
    return SimpleNamespace(mean=sum(xs) / len(xs))


def _hand_run() -> Any:
    """Two replications of one hub 'a' with a terminal model, numbers chosen by hand:

    truck wait 0.25 h and 0.5 h -> 15 and 30 min, mean 22.5 min;
    quay cranes 0.4 and 0.6 (mean 0.5), yard cranes 0.3 both, gate 0.9 (not a crane)
    -> the busiest crane pool is the quay, mean 0.5;
    yard occupancy 100 and 140 TEU -> 120 TEU;
    handling 1000 kg CO2e for 100 TEU and 1500 kg for 100 TEU -> 10 and 15, mean 12.5
    kg CO2e/TEU, 95 % interval 12.5 +- t(0.975, 1) * 3.5355 / sqrt(2) = +- 31.77.
    """
    reps = []
    for wait_h, quay, yard_teu, kg in ((0.25, 0.4, 100.0, 1000.0), (0.5, 0.6, 140.0, 1500.0)):
        terminal = SimpleNamespace(
            hubs={"a": SimpleNamespace(truck_wait_mean_h=wait_h, yard_mean_teu=yard_teu)},
            pools={"a/quay": _pool(quay), "a/yard": _pool(0.3), "a/gate": _pool(0.9)},
        )
        hubs = {"a": SimpleNamespace(handled_teu=100.0, emissions_kgco2e_wtw=kg, utilisation=0.1)}
        reps.append(SimpleNamespace(terminal=terminal, hubs=hubs))
    pools = {
        "a/quay": SimpleNamespace(units=_mean(1), jobs=_mean(10), utilisation=_mean(0.4, 0.6)),
        "a/yard": SimpleNamespace(units=_mean(1), jobs=_mean(10), utilisation=_mean(0.3)),
        "a/gate": SimpleNamespace(units=_mean(1), jobs=_mean(10), utilisation=_mean(0.9)),
    }
    terminal_est = SimpleNamespace(hubs={"a": SimpleNamespace(trucks=_mean(5))}, pools=pools)
    return SimpleNamespace(
        summaries=tuple(reps),
        estimates=SimpleNamespace(hubs={"a": None}, terminal=terminal_est),
        network=SimpleNamespace(scenario_id="hand"),
        seed=7,
        replications=2,
    )


def test_figures_of_a_hand_made_run() -> None:
    obs = simulated_observations(_hand_run(), {"a": Confidence.SECONDARY})["a"]
    assert set(obs) == {f.name for f in SIMULATED_FIGURES}
    assert obs["truck_wait_mean_min"].value == pytest.approx(22.5)
    assert obs["truck_wait_mean_min"].replication_values == pytest.approx((15.0, 30.0))
    crane = obs["crane_utilisation_share"]
    assert crane.value == pytest.approx(0.5) and "busiest crane pool a/quay" in (crane.source or "")
    assert obs["yard_occupancy_mean_teu"].value == pytest.approx(120.0)
    co2 = obs["handling_kgco2e_wtw_per_teu"]
    assert co2.value == pytest.approx(12.5) and co2.unit == "kgco2e_per_teu"
    half = 12.706204736174707 * math.sqrt(12.5) / math.sqrt(2)  # t(0.975, 1) * sd / sqrt(n)
    assert (co2.ci95_low, co2.ci95_high) == pytest.approx((12.5 - half, 12.5 + half))
    for o in obs.values():
        assert o.basis == "simulated" and o.seed == 7 and o.replications == 2
        assert o.confidence is Confidence.SECONDARY
        assert (o.source or "").startswith("simulated: scenario hand, seed 7, 2 replication(s)")
    # only the truck wait has a hub attribute a criterion can read; the rest is context
    assert [o.figure for o in obs.values() if o.attribute] == ["truck_wait_mean_min"]


def _matrix(a_value: float) -> DecisionMatrix:
    """A (simulated) and B (observed 19 min) on one cost criterion, C observed 40 min."""
    return DecisionMatrix(
        alternatives=("A", "B", "C"),
        criteria=("wait",),
        values=np.array([[a_value], [19.0], [40.0]]),
        benefit=(False,),
    )


def _rank(reps: list[float] | None, n: int = 4000) -> Any:
    mean = sum(reps) / len(reps) if reps else 20.0
    status = [[DataStatus.SIMULATED], [DataStatus.OBSERVED], [DataStatus.OBSERVED]]
    conf = [[Confidence.VERIFIED]] * 3
    return robust_rank(
        _matrix(mean), status, conf, {"wait": 1.0}, "topsis", POLICY, n_samples=n, seed=5,
        replications=None if reps is None else {("A", "wait"): reps},
    )  # fmt: skip


def test_identical_replications_give_the_deterministic_acceptability() -> None:
    plain, same = _rank(None), _rank([20.0, 20.0, 20.0])
    assert same.stability.rank_acceptability == plain.stability.rank_acceptability
    assert same.stability.consensus_acceptability == plain.stability.consensus_acceptability
    assert plain.stability.first_rank_probability[0] == 0.0  # 20 > 19: B always first
    assert same.stability.samples_of == "weight, data and simulation"
    assert plain.stability.samples_of == "weight and data"


@pytest.mark.parametrize(
    ("reps", "expected"), [([10.0, 30.0], 0.5), ([10.0, 30.0, 30.0, 30.0], 0.25)]
)
def test_replication_spread_enters_the_acceptability(reps: list[float], expected: float) -> None:
    """A is first exactly when the replication drawn is 10 min (< B's 19): with equal
    chance per replication, P(A first) = share of replications at 10 min; 4000 samples
    give a binomial standard error <= 0.008, the tolerance 0.03 is about 4 of them."""
    r = _rank(reps)
    p_first = r.stability.first_rank_probability
    assert p_first[0] == pytest.approx(expected, abs=0.03)
    assert p_first[1] == pytest.approx(1 - expected, abs=0.03)
    assert p_first[2] == 0.0  # C (40 min) is never first
    assert r.ranking.alternatives[0].id == "B"  # the point ranking uses the mean (20 min)


def _hub(hub_id: str, types: list[str], **sections: Any) -> Hub:
    return Hub.model_validate(
        {"id": hub_id, "names": {"en": hub_id}, "country": "CN", "lon_deg": 114.0,
         "lat_deg": 30.0, "hub_types": types, "modes": ["road", "inland_waterway"], **sections}
    )  # fmt: skip


def _sim(figure: str, attribute: str | None, reps: list[float]) -> SimulatedObservation:
    return SimulatedObservation(
        value=sum(reps) / len(reps), source="simulated: scenario s, seed 1, 2 replication(s)",
        confidence=Confidence.VERIFIED, scenario_id="s", seed=1, replications=len(reps),
        figure=figure, unit="min" if attribute else "share", attribute=attribute,
        replication_values=tuple(reps),
    )  # fmt: skip


def test_assess_uses_simulated_values_and_keeps_the_rest_as_context(tmp_path: Path) -> None:
    (tmp_path / "truck-std.toml").write_text(STANDARD, encoding="utf-8")
    standard = find_standard("truck-std", tmp_path)
    wait = {"value": 19.0, "source": "port survey", "confidence": "verified"}
    hubs = [
        _hub("a", ["inland_port"]),
        _hub("b", ["inland_port"], operations={"mean_truck_wait_min": wait}),
        _hub("c", ["rail_road_terminal"]),  # the criterion does not apply to it
    ]
    truck = _sim("truck_wait_mean_min", "operations.mean_truck_wait_min", [10.0, 30.0])
    crane = _sim("crane_utilisation_share", None, [0.4, 0.6])
    simulated = {
        "a": {"truck_wait_mean_min": truck, "crane_utilisation_share": crane},
        "c": {"truck_wait_mean_min": truck},
    }
    a = assess(hubs, standard, uncertainty=POLICY, n_samples=4000, seed=5, simulated=simulated)
    assert a.of("a").result("truck-wait").status.value == "pass"  # mean 20 min <= 20 min
    assert a.simulated == {"a": {"truck-wait": truck}}
    assert a.context == {
        "a": {"crane_utilisation_share": crane},
        "c": {"truck_wait_mean_min": truck},
    }
    cov = {h.hub_id: h for h in a.coverage}
    assert cov["a"].cell("truck-wait").status is DataStatus.SIMULATED
    assert cov["c"].cell("truck-wait").status is DataStatus.NOT_APPLICABLE
    assert a.stability is not None and a.stability.samples_of == "weight, data and simulation"
    first = dict(zip(a.stability.alternatives, a.stability.first_rank_probability, strict=True))
    assert first["a"] == pytest.approx(0.5, abs=0.03)
    out = json.loads(json.dumps(a.to_dict()))
    assert out["simulated"]["a"]["truck-wait"]["replication_values"] == [10.0, 30.0]
    assert out["simulated_context"]["a"]["crane_utilisation_share"]["value"] == 0.5
    assert out["coverage"]["a"]["counts"]["simulated"] == 1


def test_a_lead_that_the_worst_replication_decides_is_flagged() -> None:
    """A simulated at 10 and 20 min (mean 15) leads B (19 min); at its worst
    replication (20 min) B would be first: the lead check says so."""
    status = [[DataStatus.SIMULATED], [DataStatus.OBSERVED], [DataStatus.OBSERVED]]
    conf = [[Confidence.VERIFIED]] * 3
    r = robust_rank(
        _matrix(15.0), status, conf, {"wait": 1.0}, "topsis", POLICY, n_samples=10, seed=5,
        replications={("A", "wait"): [10.0, 20.0]},
    )  # fmt: skip
    (lead,) = [x for x in r.lead if x.ranking == "method"]
    assert lead.leader == "A" and lead.statuses == (DataStatus.SIMULATED,)
    assert lead.values == (15.0,) and lead.worst_values == (20.0,) and lead.first_after == ("B",)
    # with replications that all beat B, nothing is flagged
    safe = robust_rank(
        _matrix(13.0), status, conf, {"wait": 1.0}, "topsis", POLICY, n_samples=10, seed=5,
        replications={("A", "wait"): [10.0, 16.0]},
    )  # fmt: skip
    assert safe.lead == ()
