"""Common checks run over every registered MCDA method (scikit-learn's common tests).

Each test is parametrised over :data:`freighthub.scoring.mcda.METHODS`, so a method
added to the registry is checked here without new test code: its row is sound, its
scores are finite and one per alternative, the order of the alternatives does not matter,
identical alternatives tie, missing data and the stability analysis work, and the
report has its labels in every language. Each method runs with its default
parameters (the registry's defaults). The dominance property (a dominated
alternative ranks strictly below the one dominating it, so never first) runs over
every registered method in ``test_mcda_properties.py``, beside its method-specific
variants; reference values are in ``test_mcda_reference.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from freighthub.errors import UnknownIdentifierError
from freighthub.report.i18n import LANGUAGES, translations
from freighthub.scoring.mcda import (
    METHODS,
    DecisionMatrix,
    DecisionMatrixError,
    MethodSpec,
    method_spec,
    rank,
    score,
)
from freighthub.scoring.stability import rank_stability

ALL = sorted(METHODS)


def sample_matrix() -> DecisionMatrix:
    """Four alternatives on three criteria (two benefits, one cost), no ties."""
    return DecisionMatrix(
        ("a", "b", "c", "d"),
        ("capacity_teu", "cost_cny", "track_m"),
        np.array(
            [
                [120.0, 300.0, 750.0],
                [200.0, 450.0, 600.0],
                [90.0, 250.0, 900.0],
                [150.0, 380.0, 820.0],
            ]
        ),
        (True, False, True),
    )


WEIGHTS = [0.5, 0.3, 0.2]


# --------------------------------------------------------------------------- the row


@pytest.mark.parametrize("method", ALL)
def test_the_row_is_sound(method: str) -> None:
    spec = METHODS[method]
    assert isinstance(spec, MethodSpec)
    assert method_spec(method) is spec
    assert re.fullmatch(r"[a-z][a-z0-9_]*", method)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", spec.score_name)
    assert isinstance(spec.higher_is_better, bool)
    assert spec.per_criterion <= set(spec.defaults)
    assert spec.parameters == tuple(spec.defaults)


def test_score_names_are_unique() -> None:
    names = [spec.score_name for spec in METHODS.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("method", ALL)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_has_labels(method: str, lang: str) -> None:
    tr = translations(lang)
    assert tr.label(f"method.{method}").strip()
    assert tr.label(f"score_name.{METHODS[method].score_name}").strip()


def test_no_label_for_a_method_that_is_not_registered() -> None:
    # The labels follow the registry: a stale label means a method was removed.
    for lang in LANGUAGES:
        labelled = set(translations(lang).text["method"])
        assert labelled == set(METHODS), lang
        scores = set(translations(lang).text["score_name"])
        assert scores == {spec.score_name for spec in METHODS.values()}, lang


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize("method", ALL)
def test_scores_are_finite_and_one_per_alternative(method: str) -> None:
    m = sample_matrix()
    r = rank(m, WEIGHTS, method)
    assert r.method == method
    assert r.score_name == METHODS[method].score_name
    assert r.higher_is_better is METHODS[method].higher_is_better
    assert r.parameters == METHODS[method].defaults
    assert sorted(a.id for a in r.alternatives) == sorted(m.alternatives)
    assert all(np.isfinite(a.score) for a in r.alternatives)
    assert sum(r.weights) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("method", ALL)
def test_ranks_follow_the_scores(method: str) -> None:
    r = rank(sample_matrix(), WEIGHTS, method)
    ranks = [a.rank for a in r.alternatives]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    scores = [a.score for a in r.alternatives]
    expected = sorted(scores, reverse=METHODS[method].higher_is_better)
    assert scores == expected


@pytest.mark.parametrize("method", ALL)
def test_explicit_defaults_change_nothing(method: str) -> None:
    m = sample_matrix()
    plain = rank(m, WEIGHTS, method)
    explicit = rank(m, WEIGHTS, method, **METHODS[method].defaults)
    assert plain == explicit


@pytest.mark.parametrize("method", ALL)
def test_order_of_alternatives_does_not_matter(method: str) -> None:
    m = sample_matrix()
    order = [2, 0, 3, 1]
    shuffled = DecisionMatrix(
        tuple(m.alternatives[i] for i in order), m.criteria, m.values[order], m.benefit
    )
    before = {a.id: (a.score, a.rank) for a in rank(m, WEIGHTS, method).alternatives}
    after = {a.id: (a.score, a.rank) for a in rank(shuffled, WEIGHTS, method).alternatives}
    assert before.keys() == after.keys()
    for key, (s, k) in before.items():
        assert after[key][0] == pytest.approx(s, rel=1e-12, abs=1e-12)
        assert after[key][1] == k


@pytest.mark.parametrize("method", ALL)
def test_identical_alternatives_tie(method: str) -> None:
    m = DecisionMatrix(("a", "b", "c"), ("x", "y"), np.array([[3.0, 5.0]] * 3), (True, False))
    r = rank(m, [1, 1], method)
    assert [a.rank for a in r.alternatives] == [1, 1, 1]
    assert [a.id for a in r.alternatives] == ["a", "b", "c"]


@pytest.mark.parametrize("method", ALL)
def test_score_is_the_dispatch_of_rank(method: str) -> None:
    m = sample_matrix()
    w = np.array(WEIGHTS)
    scores = score(method, m, w, METHODS[method].defaults)
    by_id = {a.id: a.score for a in rank(m, WEIGHTS, method).alternatives}
    np.testing.assert_allclose(scores, [by_id[a] for a in m.alternatives], rtol=1e-12)


# --------------------------------------------------------------------------- around the method


@pytest.mark.parametrize("method", ALL)
def test_missing_data_policies_work(method: str) -> None:
    values = sample_matrix().values.copy()
    values[1, 2] = np.nan
    m = DecisionMatrix(("a", "b", "c", "d"), sample_matrix().criteria, values, (True, False, True))
    with pytest.raises(DecisionMatrixError, match=r"values: 1 missing value\(s\) \(b/track_m\)"):
        rank(m, WEIGHTS, method)
    assert "b" not in {a.id for a in rank(m, WEIGHTS, method, "exclude_alternative").alternatives}
    assert rank(m, WEIGHTS, method, "exclude_criterion").criteria == ("capacity_teu", "cost_cny")
    assert len(rank(m, WEIGHTS, method, "worst").alternatives) == 4


@pytest.mark.parametrize("method", ALL)
def test_stability_runs_and_is_reproducible(method: str) -> None:
    m = sample_matrix()
    first = rank_stability(m, WEIGHTS, method, n_samples=30, seed=5)
    again = rank_stability(m, WEIGHTS, method, n_samples=30, seed=5)
    assert first == again
    assert first.ranking == rank(m, WEIGHTS, method)
    np.testing.assert_allclose(np.sum(first.rank_acceptability, axis=0), 1.0)
    np.testing.assert_allclose(np.sum(first.rank_acceptability, axis=1), 1.0)


@pytest.mark.parametrize("method", ALL)
def test_an_unknown_parameter_is_named(method: str) -> None:
    with pytest.raises(
        UnknownIdentifierError, match=rf"unknown parameter of method '{method}' 'bogus'; valid: "
    ):
        rank(sample_matrix(), WEIGHTS, method, bogus=1)


def test_an_unknown_method_lists_the_registered_ones() -> None:
    valid = ", ".join(ALL)
    with pytest.raises(
        UnknownIdentifierError, match=rf"unknown MCDA method 'electre'; valid: {valid}"
    ):
        method_spec("electre")


def test_a_row_whose_per_criterion_parameter_does_not_exist_is_refused() -> None:
    def score_fn(matrix: DecisionMatrix, weights: object, *, k: float = 1.0) -> object:
        return matrix.values.sum(axis=1) * k

    with pytest.raises(ValueError, match=r"per_criterion: j is not a keyword-only parameter"):
        MethodSpec(score_fn, "s", True, per_criterion=frozenset({"j"}))  # type: ignore[arg-type]


def test_a_parameter_without_default_is_refused() -> None:
    def score_fn(matrix: DecisionMatrix, weights: object, *, k: float) -> object:
        return matrix.values.sum(axis=1) * k

    with pytest.raises(ValueError, match=r"keyword-only parameter 'k' needs a default"):
        MethodSpec(score_fn, "s", True)  # type: ignore[arg-type]
