"""The figures ``compare`` and ``sweep`` label by name are figures of the typed estimates.

Compare and sweep read their trees by attribute and name a figure only for its label
and, for sweeps, the ``metrics`` of the JSON documents (each name must name the figure
its row reads: here for sweeps, in ``tests/shift/test_comparison_names.py`` for
compare). Each name must be a figure of
:class:`~freighthub.sim.estimates.SummaryEstimate` (or a ``PER_TEU`` figure), and a
route column one of ``ROUTE_FIGURES`` (the only route figures compare pairs and
sweeps summarise): a renamed field fails here, not as a silently missing row.
"""

from __future__ import annotations

import dataclasses

import pytest

from freighthub.cli import compare, sweep
from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS
from freighthub.sim.estimates import PER_TEU, estimates_by_path, figure_unit
from freighthub.sim.figures import RouteFigures, SummaryFigures, field_unit, inner_figures
from freighthub.sim.routes import ROUTE_FIGURES
from freighthub.sim.run_estimate import ROUTE_READERS, RUN_FIGURES, RunEstimate, run_estimate
from freighthub.sweep.rows import summary_of_row
from freighthub.sweep.summary import HEADLINE

TOP_LEVEL = sorted(set(FIGURES) | {figure for figure, _ in compare._HEADLINE} | set(HEADLINE))
NESTED = sorted({f"routes.od/r.{figure}" for figure in ROUTE_FIGURE_LABELS})


@pytest.mark.parametrize("name", TOP_LEVEL + NESTED)
def test_named_figures_are_figures_of_the_tree(name: str) -> None:
    assert figure_unit(name), f"{name} is not a figure of SummaryEstimate"


def test_route_figures_are_the_ones_compare_pairs_and_sweeps_summarise() -> None:
    assert set(ROUTE_FIGURE_LABELS) <= set(ROUTE_FIGURES)
    assert [(label, digits) for label, figure, digits in sweep._ROUTE_COLUMNS] == [
        ROUTE_FIGURE_LABELS[figure] for _, figure, _ in sweep._ROUTE_COLUMNS
    ]
    assert {figure for figure, _ in compare._ROUTE_COLUMNS} <= set(ROUTE_FIGURE_LABELS)


def test_every_sweep_headline_figure_has_a_label() -> None:
    # The sweep table shows the summary's headline figures; each needs a label here.
    assert set(HEADLINE) <= set(FIGURES)
    assert [label for label, _, _ in sweep._CELL_ROWS] == [FIGURES[n][0] for n in HEADLINE]


def test_per_teu_figures_are_named_as_per_teu() -> None:
    # The per-TEU rows are derived figures: each is a PER_TEU entry with a unit.
    for name in set(FIGURES) & set(PER_TEU):
        assert figure_unit(name).endswith("_per_teu"), name


def _numbered_tree() -> RunEstimate:
    """A run's tree from one made-up row: every top-level figure and one route's figures
    hold distinct numbers."""
    names = [
        f.name
        for f in dataclasses.fields(SummaryFigures)
        if field_unit(f) and inner_figures(SummaryFigures, f.name) is None
        and not f.type.startswith("dict")
    ]  # fmt: skip
    row = {name: float(i + 1) for i, name in enumerate(names)}
    row |= {
        f"routes.od/r.{f.name}": 100.0 + i for i, f in enumerate(dataclasses.fields(RouteFigures))
    }
    return run_estimate([summary_of_row(row)])


def test_each_reader_reads_the_figure_its_name_names() -> None:
    # The tables read figures by attribute and label them by name (and the sweep
    # summary lists them by name): the two must agree.
    tree = _numbered_tree()
    flat = estimates_by_path(tree)
    assert set(HEADLINE) <= set(RUN_FIGURES) <= set(FIGURES)  # each shown figure has a label
    for name, figure in RUN_FIGURES.items():
        assert figure(tree) is flat[name], name
    assert tuple(ROUTE_READERS) == ROUTE_FIGURES
    for name, route_figure in ROUTE_READERS.items():
        assert route_figure(tree.routes["od/r"]) is flat[f"routes.od/r.{name}"], name
    assert [name for name, _ in sweep._ROUTE_FIGURES] == [f for _, f, _ in sweep._ROUTE_COLUMNS]
