"""A comparison's figures have one name each: the tree's field, whoever reads or labels it.

``compare`` and the report read base, variant and delta by attribute (mypy checks those
reads); they name a figure only for its label (``scenarios.figure.<path>``, the CLI's
label table) and ``compare --json`` and ``appraise`` name it by dotted path. These tests
fail if a field is renamed in one place only: a label or path that no longer names the
figure its row reads, a JSON path a reader asks for that the tree no longer has.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from freighthub.appraisal import project
from freighthub.cli import compare as compare_cli
from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS
from freighthub.cli.output import to_jsonable
from freighthub.report.sections import scenarios
from freighthub.shift.compare import (
    Comparison,
    Figure,
    MetricDelta,
    RunEstimate,
    compare_scenarios,
)
from freighthub.sim.estimates import PER_TEU, Estimate, SummaryEstimate, figure_unit
from freighthub.sim.routes import ROUTE_FIGURES
from freighthub.sim.summary import Summary

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_scenarios(
        DATA / "corridor.toml",
        DATA / "variants" / "more-barges.toml",
        hubs_dir=DATA / "hubs",
        replications=2,
        seed=3,
    )


def names_the_figure(c: Comparison, path: str, figure: Figure) -> bool:
    """True if ``path`` is the dotted path of the figure ``figure`` reads (in all three trees)."""
    flat = c.figures_by_path()
    m = c.paired(figure)
    if m is None or path not in flat:
        return m is None and path not in flat
    return (
        flat[path].base is m.base
        and flat[path].variant is m.variant
        and flat[path].delta is m.delta
    )


def test_the_checker_catches_a_label_that_names_another_figure(comparison: Comparison) -> None:
    # the check below is not vacuous: a row labelled with one field and reading another fails
    assert names_the_figure(comparison, "throughput_teu", lambda t: t.throughput_teu)
    assert not names_the_figure(comparison, "throughput_teu", lambda t: t.arrived_teu)
    assert not names_the_figure(comparison, "throughput_tonnes", lambda t: t.throughput_teu)


def test_the_cli_headline_labels_name_the_figures_they_read(comparison: Comparison) -> None:
    for name, figure in compare_cli._HEADLINE:
        assert name in FIGURES, name
        assert names_the_figure(comparison, name, figure), name


def test_the_report_labels_name_the_figures_they_read(comparison: Comparison) -> None:
    shown = 0
    for key, figure, _, _, _ in scenarios._metrics():
        assert names_the_figure(comparison, key, figure), key
        shown += comparison.paired(figure) is not None
    assert shown >= 8  # every row but the modes the corridor does not have


def test_the_route_columns_name_the_figures_they_read(comparison: Comparison) -> None:
    both = [r for r in comparison.routes if not r.only_in]
    assert both
    for route in both:
        by_name = route.figures()
        assert list(by_name) == list(ROUTE_FIGURES)
        for name, figure in compare_cli._ROUTE_COLUMNS:
            assert name in ROUTE_FIGURE_LABELS, name
            assert by_name[name].delta is route.paired(figure).delta, name


def test_json_paths_are_the_paths_of_the_trees(comparison: Comparison) -> None:
    doc = json.loads(json.dumps(to_jsonable(comparison.document())))
    assert list(doc["metrics"]) == list(comparison.figures_by_path())
    top = {f.name for f in fields(RunEstimate)}
    for path, m in doc["metrics"].items():
        assert path.split(".")[0] in top, path
        assert m["delta"]["unit"] == figure_unit(path), path
    # appraise reads compare --json by path: each path it asks for is a figure here
    for name in project._COMPARE_FIGURES:
        assert name in doc["metrics"], name
    # the document holds every field of the comparison but the trees, flattened
    trees = {"base", "variant", "delta"}
    expected = [f.name for f in fields(Comparison) if f.name not in trees]
    flat = ["metrics", "only_in_base", "only_in_variant"]
    assert [k for k in doc if k not in flat] == expected


def test_per_teu_fields_are_the_per_teu_figures() -> None:
    # RunEstimate's own fields are PER_TEU's figures, with their units, computed
    # from fields of the summary
    own = [
        f for f in fields(RunEstimate) if f.name not in {g.name for g in fields(SummaryEstimate)}
    ]
    assert [f.name for f in own] == list(PER_TEU)
    for f in own:
        assert f.metadata["unit"] == figure_unit(f.name)
    summary_fields = {f.name for f in fields(Summary)}
    for num, den in PER_TEU.values():
        assert {num, den} <= summary_fields


def test_delta_is_variant_minus_base_per_figure(comparison: Comparison) -> None:
    # paired by replication: the mean of the differences is the difference of the means
    checked = 0
    for path, m in comparison.figures_by_path().items():
        if m.base.n == m.variant.n == m.delta.n == 2:
            assert m.delta.mean == pytest.approx(
                m.variant.mean - m.base.mean, rel=1e-12, abs=1e-9
            ), path
            assert m.delta.unit == m.base.unit == m.variant.unit, path
            checked += 1
    assert checked > 50
    per_teu: Callable[[RunEstimate], Estimate] = lambda t: t.cost_cny_per_teu  # noqa: E731
    paired = comparison.paired(per_teu)
    assert isinstance(paired, MetricDelta) and math.isfinite(paired.delta.mean)
