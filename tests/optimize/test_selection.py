"""Hub/service selection MILP on hand-computed cases (budget binding)."""

from __future__ import annotations

import math

import pytest

from freighthub.errors import InfeasibleError
from freighthub.optimize import (
    Candidate,
    InvalidProblemError,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    select_candidates,
)
from freighthub.vocabulary import Mode

ROAD = Mode.ROAD


def _problem(od1_road_capacity_teu: float = math.inf) -> ModeSplitProblem:
    # OD1 (100 TEU): road 50 CNY/TEU or via candidate hub A 20 CNY/TEU (saves 3,000).
    # OD2 (100 TEU): road 60 CNY/TEU or via candidate hub B 25 CNY/TEU (saves 3,500).
    road1_uses = () if math.isinf(od1_road_capacity_teu) else (ResourceUse("road-1"),)
    resources = [
        Resource("hub-a", ResourceKind.HANDLING, 500.0, "moves", "hub A"),
        Resource("hub-b", ResourceKind.HANDLING, 500.0, "moves", "hub B"),
    ]
    if road1_uses:
        resources.append(
            Resource("road-1", ResourceKind.LINK, od1_road_capacity_teu, "TEU", "road 1")
        )
    return ModeSplitProblem(
        demands=(OdDemand("od1", 100.0), OdDemand("od2", 100.0)),
        routes=(
            RouteOption("od1-road", "od1", ROAD, 50.0, 0.0, 0.0, {ROAD: 100.0}, road1_uses),
            RouteOption(
                "od1-a", "od1", ROAD, 20.0, 0.0, 0.0, {ROAD: 100.0}, (ResourceUse("hub-a", 2.0),)
            ),
            RouteOption("od2-road", "od2", ROAD, 60.0, 0.0, 0.0, {ROAD: 100.0}),
            RouteOption(
                "od2-b", "od2", ROAD, 25.0, 0.0, 0.0, {ROAD: 100.0}, (ResourceUse("hub-b", 2.0),)
            ),
        ),
        resources=tuple(resources),
        name="two-hubs",
    )


# A: fixed 1,000 CNY a week; B: fixed 800 plus 2 CNY per TEU through it.
CANDIDATES = (
    Candidate("a", "hub A", ("hub-a",), 1000.0),
    Candidate("b", "hub B", ("hub-b",), 800.0, 2.0),
)


def test_ample_budget_opens_both() -> None:
    # Net gains: A 3,000 - 1,000 = 2,000; B 3,500 - 800 - 200 = 2,500: open both.
    # Objective 100 x 20 + 100 x 25 + 1,000 + 800 + 200 = 6,500.
    sel = select_candidates(_problem(), CANDIDATES, budget_cny=5000.0)
    assert sel.opened == ("a", "b") and sel.closed == ()
    assert sel.objective_cny == pytest.approx(6500.0, rel=1e-6)
    assert sel.fixed_cost_cny == pytest.approx(1800.0)
    assert sel.throughput_teu_by_candidate == pytest.approx({"a": 100.0, "b": 100.0})


def test_binding_budget() -> None:
    # Budget 999 CNY: A alone (1,000) does not fit; B fits with at most
    # (999 - 800) / 2 = 99.5 TEU through it. B-only objective:
    # 100 x 50 (OD1 road) + 99.5 x 25 + 0.5 x 60 + 999 = 8,516.5 < 11,000 (all road).
    sel = select_candidates(_problem(), CANDIDATES, budget_cny=999.0)
    assert sel.opened == ("b",) and sel.closed == ("a",)
    assert sel.plan.flow("od2-b") == pytest.approx(99.5, rel=1e-6)
    assert sel.fixed_cost_cny + sel.variable_cost_cny == pytest.approx(999.0, rel=1e-6)
    assert sel.objective_cny == pytest.approx(8516.5, rel=1e-6)
    assert sel.plan.decisions == () and not sel.plan.duals_available


def test_budget_too_small_is_explained() -> None:
    # OD1's road carries at most 50 TEU, so hub A (1,000 CNY) must open: 900 is short by 100.
    with pytest.raises(
        InfeasibleError,
        match=r"a budget of 900 CNY a week cannot open enough candidates.*\(a\) needs "
        r"1,000 CNY a week \(\+100\)",
    ) as info:
        select_candidates(_problem(od1_road_capacity_teu=50.0), CANDIDATES, budget_cny=900.0)
    assert info.value.binding == pytest.approx({"budget": 100.0})


def test_no_choice_works_even_with_all_open() -> None:
    # OD1's road carries 10 TEU and hub A only 100 moves (2 per TEU).
    problem = _problem(od1_road_capacity_teu=10.0)
    small_a = tuple(
        Resource("hub-a", ResourceKind.HANDLING, 100.0, "moves", "hub A") if r.id == "hub-a" else r
        for r in problem.resources
    )
    problem = ModeSplitProblem(problem.demands, problem.routes, small_a, name="two-hubs")
    # OD1 can carry 10 by road + 100 / 2 = 50 via A: 40 TEU short. Relative relaxation:
    # 80 more moves at A (80 / 100 = 0.8) beats 40 more TEU of road (40 / 10 = 4).
    with pytest.raises(
        InfeasibleError,
        match=r"even with all of them open: .* 80 moves a week more capacity on hub A",
    ) as info:
        select_candidates(problem, CANDIDATES, budget_cny=1e6)
    assert info.value.binding == pytest.approx({"hub-a": 80.0}, rel=1e-6)


@pytest.mark.parametrize(
    ("candidates", "budget", "message"),
    [
        (
            (Candidate("a", "A", ("nope",), 1.0),),
            1.0,
            "candidate 'a': resource = 'nope': unknown resource",
        ),
        (
            (Candidate("a", "A", ("hub-a",), 1.0), Candidate("a", "A2", ("hub-b",), 1.0)),
            1.0,
            "candidate id 'a' is given twice",
        ),
        (
            (Candidate("a", "A", ("hub-a",), 1.0), Candidate("b", "B", ("hub-a",), 1.0)),
            1.0,
            "resource 'hub-a' already belongs to candidate 'a'",
        ),
        ((Candidate("a", "A", ("hub-a",), 1.0),), -5.0, r"budget_cny = -5\.0: must be"),
    ],
)
def test_selection_input_errors(
    candidates: tuple[Candidate, ...], budget: float, message: str
) -> None:
    with pytest.raises(InvalidProblemError, match=message):
        select_candidates(_problem(), candidates, budget)


def test_candidate_errors() -> None:
    with pytest.raises(InvalidProblemError, match="candidate 'x': resources must not be empty"):
        Candidate("x", "X", (), 1.0)
    with pytest.raises(InvalidProblemError, match=r"candidate 'x': fixed_cost_cny = -1\.0"):
        Candidate("x", "X", ("r",), -1.0)
