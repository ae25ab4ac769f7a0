"""Coverage per hub: observed, assumed, missing, imputed, not applicable."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.model.standard import Standard, check_standard_files
from freighthub.observation import profile_coverage
from freighthub.scoring.compliance import ComplianceStatus
from freighthub.scoring.coverage import DataStatus, data_status, mark_imputed
from freighthub.vocabulary import Confidence
from tests.test_assessment import hub, rail_hubs, src


@pytest.fixture(scope="module")
def agtc() -> Standard:
    folder = Path(__file__).resolve().parents[2] / "standards"
    found, errors = check_standard_files([folder], catalogue={})
    assert not errors
    return found["unece-agtc"]


def test_data_status_of_each_compliance_outcome() -> None:
    assert data_status(ComplianceStatus.NOT_APPLICABLE, None) is DataStatus.NOT_APPLICABLE
    assert data_status(ComplianceStatus.NO_DATA, None) is DataStatus.MISSING
    assert data_status(ComplianceStatus.FAIL, Confidence.ASSUMPTION) is DataStatus.ASSUMED
    assert data_status(ComplianceStatus.PASS, Confidence.UNCERTAIN) is DataStatus.OBSERVED
    assert data_status(ComplianceStatus.PASS, None) is DataStatus.OBSERVED  # unlabelled


def test_profile_coverage_per_hub(agtc: Standard) -> None:
    cov = profile_coverage(agtc, rail_hubs())
    assert [h.hub_id for h in cov] == ["a", "b", "c"]
    a, _, c = cov
    assert a.counts[DataStatus.OBSERVED] == 4 and a.observed_share == 1.0
    # c: line speed observed, train length an assumption, axle load and truck wait missing
    assert c.criteria(DataStatus.MISSING) == ("agtc-axle-load", "agtc-truck-waiting-time")
    assert c.criteria(DataStatus.ASSUMED) == ("agtc-train-length",)
    assert c.cell("agtc-train-length").confidence is Confidence.ASSUMPTION
    assert c.cell("agtc-train-length").attribute == "rail.max_train_length_m"
    assert c.cell("agtc-axle-load").source is None
    assert c.observed_share == pytest.approx(0.25)
    d = c.to_dict()
    assert d["counts"]["missing"] == 2 and d["applicable"] == 4
    assert d["cells"][1] == {
        "criterion": "agtc-axle-load",
        "attribute": "rail.axle_load_t",
        "status": "missing",
        "confidence": None,
        "source": None,
    }
    with pytest.raises(KeyError, match="nope"):
        c.cell("nope")


def test_not_applicable_and_imputed(agtc: Standard) -> None:
    port = hub("port", ["inland_port"], ["inland_waterway"], waterway={"berth_length_m": src(300)})
    cov = profile_coverage(agtc, [*rail_hubs(), port])
    assert cov[3].applicable == 0 and cov[3].observed_share is None
    marked = mark_imputed(cov, [("c", "agtc-axle-load"), ("a", "agtc-axle-load")])
    assert marked[2].criteria(DataStatus.IMPUTED) == ("agtc-axle-load",)
    assert marked[2].criteria(DataStatus.MISSING) == ("agtc-truck-waiting-time",)
    assert marked[0].cell("agtc-axle-load").status is DataStatus.OBSERVED  # only missing change
