"""Rankings that missing data cannot decide: the case of issue #17 and the robust treatment."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from freighthub.assessment import assess
from freighthub.errors import UnknownIdentifierError
from freighthub.model.standard import Standard
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.matrix import DecisionMatrix, DecisionMatrixError
from freighthub.scoring.mcda import rank
from freighthub.scoring.robust import robust_rank
from freighthub.scoring.uncertainty import DataUncertainty
from freighthub.vocabulary import Confidence
from tests.scoring.issue17_case import container_port_standard, issue_hubs

OBS, A, M = DataStatus.OBSERVED, DataStatus.ASSUMED, DataStatus.MISSING


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Standard:
    return container_port_standard(tmp_path_factory.mktemp("profile"))


def test_issue_case_worst_observed_filling_put_the_gappy_hub_first(profile: Standard) -> None:
    """The bug as reported: filling with the worst observed value ranks longtan first."""
    a = assess(issue_hubs(), profile, n_samples=0)
    assert a.matrix is not None
    w = {c: a.weights[c] for c in a.matrix.criteria}
    firsts = [rank(a.matrix, w, m, "worst").alternatives[0].id for m in ("wsm", "topsis", "vikor")]
    assert firsts == ["longtan"] * 3
    # rail-track is observed once (yueyang): worst-observed filling makes it constant
    col = a.matrix.criteria.index("rail-track")
    filled = rank(a.matrix, w, "wsm", "worst")
    assert filled.missing_treatment.filled_cells.count(("longtan", "rail-track")) == 1
    assert not np.isnan(a.matrix.values[1, col])


def test_issue_case_missing_data_no_longer_decides(profile: Standard) -> None:
    a = assess(issue_hubs(), profile, n_samples=2000, seed=0)
    assert a.robust is not None and a.stability is not None
    p_first = dict(zip(a.stability.alternatives, a.stability.first_rank_probability, strict=True))
    consensus_first = a.robust.consensus_first_probability()
    # the hub with measured values leads; the one with no throughput and an assumed yard
    # is first in at most about a third of the weight and data samples
    assert a.ranking is not None and a.ranking.alternatives[0].id == "yueyang"
    assert a.robust.consensus.first == ("yueyang",)
    assert p_first["longtan"] < 0.4 < p_first["yueyang"]
    assert consensus_first["longtan"] < 0.3 < consensus_first["yueyang"]
    assert a.stability.samples_of == "weight and data"
    # what was imputed is said, in the coverage and the treatment
    assert ("longtan", "throughput") in a.robust.imputed
    longtan = next(h for h in a.coverage if h.hub_id == "longtan")
    assert longtan.criteria(DataStatus.IMPUTED) == ("throughput", "rail-track")
    assert longtan.criteria(DataStatus.ASSUMED) == ("yard",)


def test_lead_flag_when_an_assumed_value_decides(profile: Standard) -> None:
    hubs = issue_hubs()[:2]  # longtan (assumed yard, no throughput) vs yueyang
    a = assess(hubs, profile, n_samples=0)
    assert a.robust is not None and a.robust.consensus.first == ("yueyang",)
    assert a.robust.lead == ()  # yueyang's values are measured: nothing to flag
    two = DataUncertainty(relative_half_width={"assumption": 0.3})
    m = DecisionMatrix(("x", "y"), ("c1", "c2"), np.array([[10.0, 5.0], [9.0, 5.0]]), (True, True))
    status = [[A, OBS], [OBS, OBS]]
    conf = [[Confidence.ASSUMPTION, None], [None, None]]
    r = robust_rank(m, status, conf, {"c1": 1.0, "c2": 1.0}, "wsm", two, n_samples=0)
    assert r.ranking.alternatives[0].id == "x"
    (flag,) = [x for x in r.lead if x.ranking == "method"]
    assert flag.criteria == ("c1",) and flag.statuses == (DataStatus.ASSUMED,)
    assert flag.worst_values == pytest.approx((7.0,)) and flag.first_after == ("y",)
    assert r.to_dict()["lead_depends_on"][0]["leader"] == "x"


def test_minimum_observed_drops_criteria_and_says_so() -> None:
    m = DecisionMatrix(
        ("x", "y", "z"),
        ("seen", "once", "assumed"),
        np.array([[1.0, 5.0, 3.0], [2.0, math.nan, math.nan], [3.0, math.nan, 4.0]]),
        (True, True, True),
    )
    status = [[OBS, OBS, A], [OBS, M, M], [OBS, M, A]]
    conf = [[None, None, Confidence.ASSUMPTION], [None] * 3, [None, None, Confidence.ASSUMPTION]]
    w = {"seen": 1.0, "once": 1.0, "assumed": 1.0}
    one = robust_rank(m, status, conf, w, "wsm", DataUncertainty(min_observed=1), n_samples=0)
    assert one.ranking.criteria == ("seen", "once")
    assert one.dropped_criteria == (("assumed", "observed for 0 hub(s), fewer than the minimum 1"),)
    two = robust_rank(m, status, conf, w, "wsm", DataUncertainty(min_observed=2), n_samples=0)
    assert two.ranking.criteria == ("seen",)
    assert [c for c, _ in two.dropped_criteria] == ["once", "assumed"]
    with pytest.raises(DecisionMatrixError, match="observed for fewer than 4 hub"):
        robust_rank(m, status, conf, w, "wsm", DataUncertainty(min_observed=4), n_samples=0)
    with pytest.raises(UnknownIdentifierError, match="unknown missing-data policy 'zero'"):
        robust_rank(m, status, conf, w, "wsm", missing="zero")


def test_hub_without_any_value_is_not_ranked() -> None:
    m = DecisionMatrix(("x", "y"), ("c",), np.array([[1.0], [math.nan]]), (True,))
    r = robust_rank(m, [[OBS], [M]], [[None], [None]], {"c": 1.0}, "wsm", n_samples=0)
    assert [a.id for a in r.ranking.alternatives] == ["x"]
    assert r.dropped_alternatives == (("y", "no value for any criterion used"),)


def test_same_seed_same_result(profile: Standard) -> None:
    one = assess(issue_hubs(), profile, n_samples=300, seed=11)
    two = assess(issue_hubs(), profile, n_samples=300, seed=11)
    other = assess(issue_hubs(), profile, n_samples=300, seed=12)
    assert json.dumps(one.to_dict()) == json.dumps(two.to_dict())
    assert one.stability is not None and other.stability is not None
    assert one.stability.rank_acceptability != other.stability.rank_acceptability


def test_json_carries_coverage_and_consensus(profile: Standard) -> None:
    d = assess(issue_hubs(), profile, n_samples=100).to_dict()
    assert d["coverage"]["longtan"]["counts"]["imputed"] == 2
    assert d["coverage"]["longtan"]["cells"][1]["status"] == "assumed"
    c = d["consensus"]
    assert c["method"] == "copeland, ties broken by borda"
    assert set(c["tau"]) == {"wsm", "topsis", "promethee2", "vikor"}
    assert set(c["rank_acceptability"]) == {"longtan", "yueyang", "wuhu", "jiujiang"}
    for row in c["rank_acceptability"].values():
        assert sum(row) == pytest.approx(1.0)
    assert c["samples_of"] == "weight and data" and c["missing"] == "sample"
    assert {"alternative": "longtan", "criterion": "throughput"} in c["imputed"]


def test_explicit_policies_sample_weights_only(profile: Standard) -> None:
    for missing in ("worst", "exclude_alternative"):
        a = assess(issue_hubs(), profile, missing=missing, n_samples=50)
        assert a.stability is not None and a.stability.samples_of == "weight", missing
    gone = assess(issue_hubs(), profile, missing="exclude_criterion", n_samples=50)
    assert "exclude_criterion leaves nothing to rank" in gone.ranking_note
    worst = assess(issue_hubs(), profile, missing="worst", n_samples=0)
    assert worst.ranking is not None
    # worst plausible, not worst observed: longtan's missing throughput is 0, not 600,000
    assert (
        "worst end of their criterion's plausible range"
        in worst.ranking.missing_treatment.description
    )
    assert worst.ranking.alternatives[0].id != "longtan"


def test_default_policy_file_is_used(profile: Standard, tmp_path: Path) -> None:
    a = assess(issue_hubs(), profile, n_samples=0)
    assert a.robust is not None and "ranking-uncertainty" in a.robust.policy_source


@pytest.mark.parametrize("missing", ["sample", "worst"])
def test_holding_the_only_value_earns_something(missing: str) -> None:
    """A criterion observed for one hub only: worst-observed filling made it constant."""
    m = DecisionMatrix(
        ("holder", "gap1", "gap2"),
        ("rail", "size"),
        np.array([[1700.0, 10.0], [math.nan, 10.0], [math.nan, 10.0]]),
        (True, True),
    )
    status = [[OBS, OBS], [M, OBS], [M, OBS]]
    conf = [[None, None]] * 3
    w = {"rail": 0.5, "size": 0.5}
    old = rank(m, w, "wsm", "worst")
    assert {a.rank for a in old.alternatives} == {1}  # all tied: the data earned nothing
    r = robust_rank(m, status, conf, w, "wsm", missing=missing, n_samples=200, seed=1)
    assert r.ranking.alternatives[0].id == "holder" and r.ranking.alternatives[0].rank == 1
    assert r.ranking.rank_of("gap1") == 2
    assert r.stability is not None
    # missing rail values drawn over [0, 1700]: the holder is first in (almost) every sample
    assert r.stability.first_rank_probability[0] > 0.95
