"""The shared vocabulary: the order of confidence labels and the one flagging rule."""

from __future__ import annotations

import pytest

from freighthub.vocabulary import Confidence, is_flagged, weakest_confidence


def test_confidence_order_runs_from_verified_to_assumption() -> None:
    assert [c.rank for c in Confidence] == [0, 1, 2, 3]
    assert sorted(Confidence, key=lambda c: c.rank, reverse=True) == [
        Confidence.ASSUMPTION,
        Confidence.UNCERTAIN,
        Confidence.SECONDARY,
        Confidence.VERIFIED,
    ]


@pytest.mark.parametrize(
    ("confidence", "flagged"),
    [
        (Confidence.VERIFIED, False),
        (Confidence.SECONDARY, False),
        (Confidence.UNCERTAIN, True),
        (Confidence.ASSUMPTION, True),
        (None, True),  # an unlabelled value is flagged: nobody vouches for it
    ],
)
def test_the_one_flagging_rule(confidence: Confidence | None, flagged: bool) -> None:
    assert is_flagged(confidence) is flagged
    if confidence is not None:
        assert confidence.flagged is flagged


def test_weakest_confidence() -> None:
    assert weakest_confidence([Confidence.VERIFIED, Confidence.SECONDARY]) is Confidence.SECONDARY
    assert weakest_confidence([Confidence.ASSUMPTION, Confidence.VERIFIED]) is (
        Confidence.ASSUMPTION
    )
    assert weakest_confidence([Confidence.UNCERTAIN]) is Confidence.UNCERTAIN
    # one unlabelled part leaves the whole unlabelled (and so flagged)
    assert weakest_confidence([Confidence.VERIFIED, None]) is None
    assert weakest_confidence([]) is None
