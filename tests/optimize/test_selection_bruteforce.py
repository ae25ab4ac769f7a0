"""The selection MILP equals brute-force enumeration on small random instances.

Seeded random instances (no hypothesis shrinking needed: every instance is small
enough to enumerate). For each, every subset of candidates is opened in turn, and
for a candidate whose departures are an integer decision every count 0..N; the
mode-split LP of that configuration plus its fixed and departure costs (per
departure, the service's fixed cost and its fleet, ``Resource.running_cost_cny``) is the
configuration's total; the cheapest configuration within the capex budget must
equal the MILP's objective.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from freighthub.errors import InfeasibleError
from freighthub.optimize import (
    Candidate,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    select_candidates,
    solve_mode_split,
)
from freighthub.vocabulary import Mode


def _instance(seed: int) -> tuple[ModeSplitProblem, tuple[Candidate, ...], float]:
    rng = np.random.default_rng(seed)
    demands = tuple(OdDemand(f"od{i}", float(rng.integers(50, 200))) for i in range(2))
    resources = [
        Resource("hub-a", ResourceKind.HANDLING, float(rng.integers(100, 400)), "moves", "A"),
        Resource("hub-b", ResourceKind.HANDLING, float(rng.integers(100, 400)), "moves", "B"),
        Resource(
            "svc",
            ResourceKind.SERVICE,
            3 * 40.0,
            "TEU",
            "barge",
            40.0,
            "departure",
            step_cost_cny=float(rng.integers(0, 2000)),
            # the departure steps of a candidate pay its fixed cost and fleet too
            fixed_cost_cny_per_period=float(rng.integers(0, 3000)),
            vehicle_cost_cny_per_period=float(rng.integers(0, 2000)),
            cycle_h=float(rng.integers(20, 300)),
        ),
    ]
    routes = []
    for d in demands:
        routes.append(
            RouteOption(
                f"{d.id}-road",
                d.id,
                Mode.ROAD,
                float(rng.integers(60, 120)),
                0.0,
                0.0,
                {Mode.ROAD: 100.0},
            )
        )
        for res in ("hub-a", "hub-b", "svc"):
            if rng.random() < 0.7:
                per = 1.0 if res == "svc" else 2.0
                routes.append(
                    RouteOption(
                        f"{d.id}-{res}",
                        d.id,
                        Mode.INLAND_WATERWAY if res == "svc" else Mode.RAIL,
                        float(rng.integers(10, 70)),
                        0.0,
                        0.0,
                        {Mode.RAIL: 100.0},
                        (ResourceUse(res, per),),
                    )
                )
    problem = ModeSplitProblem(
        demands=demands, routes=tuple(routes), resources=tuple(resources), name=f"r{seed}"
    )
    candidates = (
        Candidate(
            "a",
            "A",
            ("hub-a",),
            float(rng.integers(0, 3000)),
            capex_cny=float(rng.integers(1, 10)) * 1e6,
        ),
        Candidate(
            "b",
            "B",
            ("hub-b",),
            float(rng.integers(0, 3000)),
            capex_cny=float(rng.integers(1, 10)) * 1e6,
        ),
        Candidate(
            "s",
            "S",
            ("svc",),
            float(rng.integers(0, 1000)),
            capex_cny=float(rng.integers(1, 10)) * 1e6,
            integer_departures=True,
        ),
    )
    budget = float(rng.integers(5, 25)) * 1e6
    return problem, candidates, budget


def _configuration_cost(
    problem: ModeSplitProblem, candidates: tuple[Candidate, ...], opened: set[str], departures: int
) -> float:
    capacity: dict[str, float] = {}
    for c in candidates:
        for r in c.resources:
            res = problem.resource(r)
            if c.id not in opened:
                capacity[r] = 0.0
            elif c.integer_departures:
                assert res.increment is not None
                capacity[r] = res.increment * departures
            else:
                capacity[r] = res.capacity
    dead = {r for r, cap in capacity.items() if cap == 0.0}
    routes = tuple(rt for rt in problem.routes if not {u.resource for u in rt.uses} & dead)
    resources = tuple(
        dataclasses.replace(r, capacity=capacity.get(r.id, r.capacity))
        for r in problem.resources
        if r.id not in dead
    )
    sub = dataclasses.replace(problem, routes=routes, resources=resources)
    try:
        lp = solve_mode_split(sub, 0.0, "cbc", max_decisions=0)
    except InfeasibleError:
        return math.inf
    total = lp.objective_cny + sum(c.fixed_cost_cny for c in candidates if c.id in opened)
    if "s" in opened:
        total += problem.resource("svc").running_cost_cny(departures, problem.period_h)
    return total


@pytest.mark.parametrize("seed", range(20))
def test_milp_equals_brute_force(seed: int) -> None:
    problem, candidates, budget = _instance(seed)
    best = math.inf
    for k in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, k):
            opened = {c.id for c in subset}
            if sum(c.capex_cny for c in subset) > budget:
                continue
            counts = range(4) if "s" in opened else (0,)
            for n in counts:
                best = min(best, _configuration_cost(problem, candidates, opened, n))
    sel = select_candidates(problem, candidates, None, capex_budget_cny=budget)
    assert sel.objective_cny == pytest.approx(best, rel=1e-7, abs=1e-6)
    assert sel.capex_cny <= budget
    assert sel.gap_share == 0.0
    if "s" in sel.opened:
        assert 0 <= sel.departures_by_resource["svc"] <= 3
