"""The figures ``compare`` and ``sweep`` label by name are figures of the typed estimates.

Sweep rows are flat (``{dotted path: Estimate}``, built from
:func:`freighthub.sim.summary.flatten` rows), so its tables name the figures they
show; compare reads its trees by attribute and names a figure only for its label
(``tests/shift/test_comparison_names.py`` checks that each label names the figure its
row reads). Each name must be a figure of
:class:`~freighthub.sim.estimates.SummaryEstimate` (or a ``PER_TEU`` figure), and a
route column one of ``ROUTE_FIGURES`` (the only route figures compare pairs and
sweeps summarise): a renamed field fails here, not as a silently missing row.
"""

from __future__ import annotations

import pytest

from freighthub.cli import compare, sweep
from freighthub.cli.figures import FIGURES, ROUTE_FIGURE_LABELS
from freighthub.sim.estimates import PER_TEU, figure_unit
from freighthub.sim.routes import ROUTE_FIGURES
from freighthub.sweep.summary import HEADLINE

TOP_LEVEL = sorted(
    set(FIGURES)
    | {figure for figure, _ in compare._HEADLINE}
    | {figure for _, figure, _ in sweep._CELL_ROWS}
    | set(HEADLINE)
)
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
    assert [figure for _, figure, _ in sweep._CELL_ROWS] == list(HEADLINE)


def test_per_teu_figures_are_named_as_per_teu() -> None:
    # The per-TEU rows are derived figures: each is a PER_TEU entry with a unit.
    for name in set(FIGURES) & set(PER_TEU):
        assert figure_unit(name).endswith("_per_teu"), name
