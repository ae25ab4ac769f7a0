"""How the CLI shows simulation figures: one label and one number of decimals per figure.

``simulate``, ``compare`` and ``sweep`` read each figure by attribute (``compare`` and
``sweep`` through :data:`~freighthub.sim.run_estimate.RUN_FIGURES` and
:data:`~freighthub.sim.run_estimate.ROUTE_READERS`); each command lists the figures it
shows, in its own order, and takes the label and decimals from here, so a figure reads
the same in every table (the route tables of all three included).
``tests/cli/test_figure_names.py`` checks that every name is a figure of
:class:`~freighthub.sim.estimates.SummaryEstimate` (or a
:data:`~freighthub.sim.estimates.PER_TEU` figure) and every route figure one of
:data:`~freighthub.sim.routes.ROUTE_FIGURES`.
"""

from __future__ import annotations

__all__ = ["FIGURES", "ROUTE_FIGURE_LABELS", "figure_rows"]

#: Figure of the whole run -> (label, decimals).
FIGURES: dict[str, tuple[str, int]] = {
    "arrived_teu": ("arrived [TEU]", 0),
    "throughput_teu": ("throughput [TEU]", 0),
    "throughput_t": ("throughput [t]", 0),
    "in_system_teu": ("in system at horizon [TEU]", 0),
    "diverted_boxes": ("diverted [boxes]", 0),
    "left_behind_boxes": ("left behind at least once [boxes]", 0),
    "door_to_door_mean_h": ("door-to-door mean [h]", 1),
    "door_to_door_p50_h": ("door-to-door p50 [h]", 1),
    "door_to_door_p95_h": ("door-to-door p95 [h]", 1),
    "cost_cny": ("cost [CNY]", 0),
    "cost_cny_per_teu": ("cost per TEU [CNY/TEU]", 1),
    "emissions_kgco2e_wtw": ("emissions WTW [kgCO2e]", 0),
    "emissions_kgco2e_ttw": ("emissions TTW [kgCO2e]", 0),
    "emissions_kgco2e_wtw_per_teu": ("emissions WTW per TEU [kgCO2e/TEU]", 1),
    "emissions_kgco2e_ttw_per_teu": ("emissions TTW per TEU [kgCO2e/TEU]", 1),
}

#: Figure of one route -> (column label, decimals).
ROUTE_FIGURE_LABELS: dict[str, tuple[str, int]] = {
    "delivered_teu": ("delivered [TEU]", 0),
    "door_to_door_mean_h": ("door-to-door mean [h]", 1),
    "door_to_door_p95_h": ("door-to-door p95 [h]", 1),
    "price_cny_per_teu": ("price [CNY/TEU]", 0),
    "emissions_kgco2e_wtw_per_teu": ("WTW [kgCO2e/TEU]", 1),
    "on_time_share": ("on time", 3),
}


def figure_rows(
    names: tuple[str, ...], labels: dict[str, tuple[str, int]] = FIGURES
) -> tuple[tuple[str, str, int], ...]:
    """``(label, figure, decimals)`` for each figure name, in the order given."""
    return tuple((labels[name][0], name, labels[name][1]) for name in names)
