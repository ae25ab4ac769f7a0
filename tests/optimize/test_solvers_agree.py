"""CBC and HiGHS (a dependency, through highspy) give the same optimum on the shipped
examples: the Yangtze corridor LP, the Yangtze candidates selection MILP, and the
departure MILP."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.appraisal.select import select_file
from freighthub.optimize import solve_mode_split
from freighthub.optimize.run import optimize_scenario
from freighthub.optimize.solvers import available_solvers
from tests.optimize.test_departure_steps import _random_problem

ROOT = Path(__file__).parents[2]
REL = 1e-6  # both solvers' default tolerances are 1e-7 on feasibility and optimality


def test_highs_is_installed() -> None:
    # a dependency (pyproject), not an optional extra: both solvers are always there
    assert available_solvers() == ["cbc", "highs"]


def test_shipped_lp_example_same_objective() -> None:
    plans = {
        solver: optimize_scenario(
            ROOT / "scenarios" / "yangtze-corridor.toml",
            mode_choice="yangtze-container-v1",
            solver=solver,
            max_decisions=0,
        ).plan
        for solver in ("cbc", "highs")
    }
    assert plans["highs"].solver.startswith("highs (HiGHS")
    assert plans["highs"].objective_cny == pytest.approx(plans["cbc"].objective_cny, rel=REL)
    assert plans["highs"].emissions_tco2e_wtw == pytest.approx(
        plans["cbc"].emissions_tco2e_wtw, rel=1e-4
    )


def test_shipped_select_example_same_objective_and_choice() -> None:
    path = ROOT / "examples" / "appraisal" / "yangtze-candidates.toml"
    cbc, highs = (select_file(path, 2e9, solver=s) for s in ("cbc", "highs"))
    assert highs.objective_cny_per_week == pytest.approx(cbc.objective_cny_per_week, rel=REL)
    assert highs.gap_share == cbc.gap_share == 0.0
    assert [(c.id, c.chosen, c.departures_per_week) for c in highs.candidates] == [
        (c.id, c.chosen, c.departures_per_week) for c in cbc.candidates
    ]


@pytest.mark.parametrize("seed", range(4))
def test_departure_milp_same_objective(seed: int) -> None:
    problem = _random_problem(seed)
    cbc = solve_mode_split(problem, solver="cbc", max_decisions=0)
    highs = solve_mode_split(problem, solver="highs", max_decisions=0)
    assert highs.objective_cny == pytest.approx(cbc.objective_cny, rel=REL)
