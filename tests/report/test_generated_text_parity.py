"""The report composes the library's sentences from typed fields (issue 8).

In English the composed sentence reads as the library's own text (the CLI's), so a
change of either shows up here; in Chinese it is composed from the same fields.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from freighthub.report.i18n import translations
from freighthub.report.localise import Localiser
from freighthub.report.sections.assessment import reason_text
from freighthub.report.sections.consensus import treatment_text
from freighthub.report.sections.ranking import _perturbation
from freighthub.scoring.compliance import NotAssessed, NotAssessedKind
from freighthub.scoring.coverage import DataStatus
from freighthub.scoring.mcda import DecisionMatrix
from freighthub.scoring.robust import robust_rank
from freighthub.scoring.stability import rank_stability
from freighthub.scoring.uncertainty import DataSampler, DataUncertainty
from freighthub.vocabulary import HubType, Mode, NetworkTier

_ENGLISH = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}")  # two English words in a row
EN = Localiser(translations("en"))
ZH = Localiser(translations("zh"))


def _matrix(with_gap: bool = True) -> DecisionMatrix:
    values = np.array([[1.0, 5.0, 2.0], [2.0, 4.0, 3.0], [3.0, 3.0, 1.0]])
    if with_gap:
        values[0, 1] = math.nan
        values[2, 1] = math.nan
    return DecisionMatrix(("a", "b", "c"), ("x", "y", "z"), values, (True, False, True))


def _statuses(matrix: DecisionMatrix, na: bool = False) -> list[list[DataStatus]]:
    rows = [
        [DataStatus.MISSING if math.isnan(x) else DataStatus.OBSERVED for x in row]
        for row in matrix.values
    ]
    if na:
        rows[0][1] = DataStatus.NOT_APPLICABLE
    return rows


@pytest.mark.parametrize(
    ("policy", "with_gap", "na"),
    [
        ("sample", True, False),
        ("sample", True, True),
        ("worst", True, True),
        ("worst", False, False),
        ("exclude_criterion", True, False),
        ("exclude_alternative", True, False),
    ],
)
def test_missing_treatment_reads_as_the_library_text(policy: str, with_gap: bool, na: bool) -> None:
    m = _matrix(with_gap)
    status = _statuses(m, na)
    conf = [[None] * 3 for _ in range(3)]
    w = {"x": 0.5, "y": 0.3, "z": 0.2}
    robust = robust_rank(m, status, conf, w, "wsm", missing=policy, n_samples=0)
    assert EN.plain(treatment_text(robust)) == robust.description
    assert _ENGLISH.search(ZH.plain(treatment_text(robust))) is None


def test_perturbation_with_data_reads_as_the_library_text() -> None:
    m = _matrix(True)
    sampler = DataSampler.build(m, _statuses(m), [[None] * 3] * 3, DataUncertainty())
    stability = rank_stability(sampler.point, (0.5, 0.3, 0.2), "wsm", 200, 7, data=sampler)
    assert EN.plain(_perturbation(stability)) == stability.perturbation
    assert _ENGLISH.search(ZH.plain(_perturbation(stability)).replace("Dirichlet", "")) is None


def test_perturbation_reads_as_the_library_text() -> None:
    # n_samples below 1,000: the report groups thousands, the library does not.
    stability = rank_stability(_matrix(False), (0.5, 0.3, 0.2), "wsm", 200, 7)
    assert EN.plain(_perturbation(stability)) == stability.perturbation
    zh = ZH.plain(_perturbation(stability))
    assert "200" in zh and "7" in zh
    assert _ENGLISH.search(zh.replace("Dirichlet", "")) is None


@pytest.mark.parametrize(
    ("reason", "en", "zh"),
    [
        (
            NotAssessed(
                NotAssessedKind.HUB_TYPE,
                hub_types=frozenset({HubType.INLAND_PORT, HubType.DRY_PORT}),
            ),
            "hub type not in dry port, inland port",
            "枢纽类型不属于无水港、内河港口",
        ),
        (
            NotAssessed(NotAssessedKind.MODES, modes=frozenset({Mode.INLAND_WATERWAY})),
            "hub serves none of inland waterway",
            "枢纽不提供内河运输",
        ),
        (
            NotAssessed(NotAssessedKind.NO_DATA),
            "the hub file does not give this value",
            "枢纽文件未给出该数值",
        ),
    ],
)
def test_the_not_assessed_reason_is_localised_from_its_fields(
    reason: NotAssessed, en: str, zh: str
) -> None:
    assert EN.plain(reason_text(reason)) == en
    assert ZH.plain(reason_text(reason)) == zh
    assert _ENGLISH.search(ZH.plain(reason_text(reason))) is None


@pytest.mark.parametrize(
    ("reason", "en", "zh"),
    [
        (
            NotAssessed(
                NotAssessedKind.TIER,
                tiers=frozenset({NetworkTier.CORE, NetworkTier.EXTENDED_CORE}),
                tier=NetworkTier.COMPREHENSIVE,
                network="rail",
            ),
            "applies only where the rail line is on the core network, extended core network; "
            "here it is on the comprehensive network",
            "仅适用于铁路线路属于核心网络、扩展核心网络的情形；此处属于综合网络",
        ),
        (
            NotAssessed(
                NotAssessedKind.EXEMPT, condition="rail_access_connection", clause="Art. 14(1)(d)"
            ),
            "exempt under Art. 14(1)(d): the rail line is the terminal's access connection",
            "依据Art. 14(1)(d)豁免：该铁路为场站专用接入线",
        ),
    ],
)
def test_tier_and_exemption_reasons_are_localised(reason: NotAssessed, en: str, zh: str) -> None:
    """The TEN-T tier and exemption reasons (Reg. 2024/1679 Art. 6, 14(1)(d)) in both languages."""
    assert EN.plain(reason_text(reason)) == en
    assert ZH.plain(reason_text(reason)) == zh
