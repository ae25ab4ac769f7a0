"""Property tests: on random small problems the LP meets demand exactly, keeps flows
non-negative and respects every capacity, target and cap - or says why it cannot."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freighthub.errors import InfeasibleError
from freighthub.optimize import (
    EmissionCap,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
    solve_mode_split,
)
from freighthub.vocabulary import Mode

MODES = (Mode.ROAD, Mode.RAIL, Mode.INLAND_WATERWAY)
# CBC works to about 1e-7 relative; capacities are checked to 1e-6 relative + 1e-6 absolute.
TOL_REL, TOL_ABS = 1e-6, 1e-6


def amount(high: float, low: float = 0.5) -> st.SearchStrategy[float]:
    """Zero or a value in [low, high].

    Not 1e-200 km: a solver rounds such coefficients to 0 and the plan's shares of
    TEU-km (computed in Python) then differ from the LP's.
    """
    return st.one_of(st.just(0.0), st.floats(low, high))


@st.composite
def problems(draw: st.DrawFn) -> ModeSplitProblem:
    n_res = draw(st.integers(1, 4))
    resources = tuple(
        Resource(
            f"res{k}",
            draw(st.sampled_from(list(ResourceKind))),
            draw(amount(500.0)),
            "TEU",
            f"resource {k}",
        )
        for k in range(n_res)
    )
    n_od = draw(st.integers(1, 4))
    demands = tuple(OdDemand(f"od{j}", draw(amount(300.0))) for j in range(n_od))
    routes = []
    for j in range(n_od):
        for i in range(draw(st.integers(1, 4))):
            uses = tuple(
                ResourceUse(f"res{k}", draw(st.floats(0.1, 3.0)))
                for k in sorted(draw(st.sets(st.integers(0, n_res - 1), max_size=n_res)))
            )
            # sorted: a set's order depends on the string hash seed of the process
            km = {
                m: draw(amount(1500.0, 1.0))
                for m in sorted(draw(st.sets(st.sampled_from(MODES), min_size=1)))
            }
            routes.append(
                RouteOption(
                    f"od{j}-r{i}",
                    f"od{j}",
                    next(iter(km)),
                    draw(amount(5000.0)),
                    draw(amount(100.0)),
                    draw(amount(1500.0)),
                    km,
                    uses,
                )
            )
    targets = ()
    if draw(st.booleans()):
        targets = (ModeShareTarget("t", (Mode.ROAD,), max_share=draw(st.floats(0.0, 1.0))),)
    caps = ()
    if draw(st.booleans()):
        caps = (EmissionCap("cap", draw(amount(500.0))),)
    return ModeSplitProblem(
        demands=demands,
        routes=tuple(routes),
        resources=resources,
        value_of_time_cny_per_teu_h=draw(st.floats(0.0, 50.0)),
        targets=targets,
        emission_caps=caps,
    )


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(problems(), st.floats(0.0, 1000.0))
def test_plan_respects_every_constraint(problem: ModeSplitProblem, carbon_price: float) -> None:
    try:
        plan = solve_mode_split(problem, carbon_price, max_decisions=2)
    except InfeasibleError as exc:
        # an explanation always names at least one constraint with a positive amount
        assert exc.binding and all(v > 0 for v in exc.binding.values())
        return
    for d in problem.demands:
        carried = sum(f.volume_teu for f in plan.flows if f.od == d.id)
        assert carried == pytest.approx(d.volume_teu, rel=TOL_REL, abs=TOL_ABS)
    assert all(f.volume_teu >= 0 for f in plan.flows)
    for u in plan.resources:
        assert u.used <= u.capacity * (1 + TOL_REL) + TOL_ABS
        assert u.dual_cny_per_unit is not None and u.dual_cny_per_unit >= 0
    for t in plan.targets:
        assert t.achieved <= t.limit * (1 + 1e-5) + 1e-5
    assert plan.objective_cny == pytest.approx(
        plan.price_cost_cny + plan.time_cost_cny + plan.carbon_cost_cny, rel=1e-9
    )
    # a decision never makes things worse: more capacity cannot raise the optimum
    assert all(d.saving_cny >= -1e-6 * max(1.0, plan.objective_cny) for d in plan.decisions)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(problems())
def test_without_targets_capacity_is_the_only_reason(problem: ModeSplitProblem) -> None:
    problem = ModeSplitProblem(problem.demands, problem.routes, problem.resources)
    try:
        solve_mode_split(problem, max_decisions=0)
    except InfeasibleError as exc:
        assert set(exc.binding) <= {r.id for r in problem.resources}
