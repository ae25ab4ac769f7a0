"""The direct HiGHS path (LP as sparse arrays into highspy) gives PuLP/CBC's optimum and duals.

Objectives are compared to 1e-6 relative. Duals are compared where they are unique; a
degenerate LP has a whole face of optimal duals, and two correct solvers may return
different points of it. So for every row the test computes, by two small LPs over the
dual (independent of both solvers' models: the matrix is rebuilt here from the problem),
the range of that row's dual over all optimal dual solutions; where the range is a
point, both solvers' duals must equal it to 1e-6 relative. Every dual vector, unique or
not, must be optimal: dual feasible (reduced costs >= 0, ``<=`` rows <= 0) with the
dual objective equal to the primal one (strong duality), which with primal feasibility
is complementary slackness (Bertsimas and Tsitsiklis 1997, thm 4.4 and 4.5).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from freighthub.errors import InfeasibleError
from freighthub.optimize import (
    EmissionCap,
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    ResourceUse,
    RouteOption,
    solve_mode_split,
)
from freighthub.optimize._arrays import ArrayModel
from freighthub.optimize._model import _Model, build_lp
from freighthub.optimize.run import optimize_scenario
from freighthub.optimize.solvers import make_solver
from freighthub.units import KG_PER_T
from freighthub.vocabulary import Mode
from tests.optimize.test_properties import problems

ROOT = Path(__file__).parents[2]
REL = 1e-6
Corridor = Callable[..., ModeSplitProblem]


@dataclasses.dataclass
class _Lp:
    """``min c x, A x (=|<=) b, x >= 0`` rebuilt from a problem; rows named as the models."""

    c: np.ndarray
    a: np.ndarray
    b: np.ndarray
    equal: np.ndarray
    names: list[str]


def _lp(problem: ModeSplitProblem, carbon_price: float) -> _Lp:
    routes = problem.routes
    c = np.array(
        [
            problem.generalised_cost_cny_per_teu(r)
            + carbon_price * r.emissions_kgco2e_per_teu_wtw / KG_PER_T
            for r in routes
        ]
    )
    rows: list[np.ndarray] = []
    b: list[float] = []
    names: list[str] = []
    for j, d in enumerate(problem.demands):
        rows.append(np.array([1.0 if r.od == d.id else 0.0 for r in routes]))
        b.append(d.volume_teu)
        names.append(f"D{j}")
    n_eq = len(rows)
    for k, res in enumerate(problem.resources):
        rows.append(
            np.array([sum(u.per_teu for u in r.uses if u.resource == res.id) for r in routes])
        )
        b.append(res.capacity)
        names.append(f"R{k}")
    for j, t in enumerate(problem.targets):
        group = np.array([sum(r.distance_km_by_mode.get(m, 0.0) for m in t.modes) for r in routes])
        km = np.array([r.distance_km for r in routes])
        for tag, share, sign in (("X", t.max_share, 1.0), ("N", t.min_share, -1.0)):
            if share is not None:
                coef = sign * (group - share * km)
                rows.append(coef / (np.max(np.abs(coef)) or 1.0))
                b.append(0.0)
                names.append(f"T{tag}{j}")
    for j, cap in enumerate(problem.emission_caps):
        rows.append(np.array([r.emissions_kgco2e_per_teu_wtw / KG_PER_T for r in routes]))
        b.append(cap.max_tco2e_wtw)
        names.append(f"E{j}")
    equal = np.arange(len(rows)) < n_eq
    return _Lp(c, np.array(rows).reshape(len(rows), len(routes)), np.array(b), equal, names)


def _dual_ranges(lp: _Lp) -> tuple[float, np.ndarray]:
    """The dual LP's optimum (= the primal's) and ``[min, max]`` of each row's dual over
    the optimal dual face, one row each."""
    n_rows = len(lp.names)
    bounds = [(None, None) if eq else (None, 0.0) for eq in lp.equal]
    best = linprog(-lp.b, A_ub=lp.a.T, b_ub=lp.c, bounds=bounds, method="highs")
    assert best.status == 0, best.message
    objective = -float(best.fun)
    # the face: A^T y <= c and b y >= z* (weak duality makes it b y = z*)
    a_ub = np.vstack([lp.a.T, -lp.b[None, :]])
    b_ub = np.r_[lp.c, -objective + 1e-9 * max(1.0, abs(objective))]
    out = np.empty((n_rows, 2))
    for i in range(n_rows):
        for side, sign in ((0, 1.0), (1, -1.0)):
            goal = np.zeros(n_rows)
            goal[i] = sign
            res = linprog(goal, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
            assert res.status in (0, 3), res.message  # 3: unbounded, e.g. an unused row
            out[i, side] = res.x[i] if res.status == 0 else -sign * np.inf
    return objective, out


def _duals(model: _Model | ArrayModel, names: list[str]) -> np.ndarray:
    values = [model.dual(n) for n in names]
    assert all(v is not None for v in values)
    return np.array(values, dtype=float)


def _solved(problem: ModeSplitProblem, carbon_price: float, solver: str) -> _Model | ArrayModel:
    choice = make_solver(solver, mip=False, direct=True)
    assert choice.direct == (solver == "highs")
    model = build_lp(choice, problem, carbon_price)
    status, _ = model.run(choice.solver)
    assert status == 1
    return model


def _check_same_optimum_and_duals(problem: ModeSplitProblem, carbon_price: float) -> int:
    """Assert the module docstring's claims; return how many rows had a unique dual."""
    lp = _lp(problem, carbon_price)
    cbc, highs = (_solved(problem, carbon_price, s) for s in ("cbc", "highs"))
    z = cbc.objective_cny()
    assert highs.objective_cny() == pytest.approx(z, rel=REL, abs=REL)
    scale = max(1.0, float(np.max(np.abs(lp.c), initial=0.0)))
    for model in (cbc, highs):
        y = _duals(model, lp.names)
        reduced = lp.c - lp.a.T @ y
        assert np.all(reduced >= -REL * scale), "dual infeasible: a negative reduced cost"
        assert np.all(y[~lp.equal] <= REL * scale), "a <= row with a positive dual"
        assert float(lp.b @ y) == pytest.approx(z, rel=REL, abs=REL * scale)
    z_dual, ranges = _dual_ranges(lp)
    assert z == pytest.approx(z_dual, rel=REL, abs=REL)
    width = ranges[:, 1] - ranges[:, 0]
    unique = np.isfinite(width) & (width <= 1e-7 * np.maximum(1.0, np.abs(ranges).max(axis=1)))
    y_cbc, y_highs = _duals(cbc, lp.names), _duals(highs, lp.names)
    for i in np.flatnonzero(unique):
        for y in (y_cbc[i], y_highs[i]):
            assert y == pytest.approx(ranges[i, 0], rel=REL, abs=REL), lp.names[i]
    return int(unique.sum())


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(problems(), st.floats(0.0, 1000.0))
def test_random_problems_same_objective_and_duals(
    problem: ModeSplitProblem, carbon_price: float
) -> None:
    try:
        solve_mode_split(problem, carbon_price, max_decisions=0)
    except InfeasibleError as cbc_error:
        # the direct path explains the same infeasibility by the same amounts
        with pytest.raises(InfeasibleError) as info:
            solve_mode_split(problem, carbon_price, "highs", max_decisions=0)
        assert info.value.binding.keys() == cbc_error.binding.keys()
        for key, amount in cbc_error.binding.items():
            assert info.value.binding[key] == pytest.approx(amount, rel=1e-5, abs=1e-6)
        return
    _check_same_optimum_and_duals(problem, carbon_price)


def test_corridor_duals_are_unique_and_equal(make_corridor: Corridor) -> None:
    # rail (600 TEU) is full and road carries the rest: the rail row's dual is the cost
    # gap 3,200 - 2,480 = 720 CNY/TEU, the demand row's the road cost 3,200 (plus carbon)
    problem = make_corridor()
    assert _check_same_optimum_and_duals(problem, 0.0) == 2
    plan = solve_mode_split(problem, solver="highs")
    assert plan.solver.startswith("highs (HiGHS") and "direct" in plan.solver
    assert plan.usage("rail-wh-sh").dual_cny_per_unit == pytest.approx(720.0, rel=REL)


def test_plan_equals_pulp_plan_on_the_shipped_example() -> None:
    """The scenario example end to end (decisions re-solved on each path): same
    objective, flows, duals where unique, decisions as PuLP/CBC's."""
    kwargs = {"mode_choice": "yangtze-container-v1", "road_share_max": 0.5, "max_decisions": 3}
    path = ROOT / "scenarios" / "yangtze-corridor.toml"
    runs = {s: optimize_scenario(path, solver=s, **kwargs) for s in ("cbc", "highs")}  # type: ignore[arg-type]
    cbc, highs = runs["cbc"].plan, runs["highs"].plan
    assert "direct" in highs.solver
    assert highs.objective_cny == pytest.approx(cbc.objective_cny, rel=REL)
    unique = _check_same_optimum_and_duals(runs["cbc"].problem, 0.0)
    assert unique >= 1
    for a, b in zip(cbc.resources, highs.resources, strict=True):
        assert a.binding == b.binding
    assert [d.resource for d in highs.decisions] == [d.resource for d in cbc.decisions]
    for d_cbc, d_highs in zip(cbc.decisions, highs.decisions, strict=True):
        # a saving is a difference of two optima: its error is the optima's, 1e-6 of them
        assert d_highs.saving_cny == pytest.approx(d_cbc.saving_cny, abs=REL * cbc.objective_cny)


def test_route_using_a_resource_twice_counts_twice(make_corridor: Corridor) -> None:
    # rail visits its service twice per TEU (per_teu 1 + 1): 600 TEU of capacity carry
    # 300 TEU, on both paths
    base = make_corridor()
    rail = base.routes[1]
    twice = dataclasses.replace(rail, uses=(ResourceUse("rail-wh-sh"), ResourceUse("rail-wh-sh")))
    problem = dataclasses.replace(base, routes=(base.routes[0], twice))
    for solver in ("cbc", "highs"):
        assert solve_mode_split(problem, solver=solver).flow(rail.id) == pytest.approx(300.0)


@pytest.mark.parametrize(
    "changes",
    [
        {"targets": (ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.2),)},
        {"emission_caps": (EmissionCap("cap", 300.0),)},
        {"targets": (ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.01),)},
    ],
)
def test_infeasibility_explained_alike(make_corridor: Corridor, changes: dict[str, object]) -> None:
    problem = make_corridor(**changes)
    errors = {}
    for solver in ("cbc", "highs"):
        with pytest.raises(InfeasibleError) as info:
            solve_mode_split(problem, solver=solver)
        errors[solver] = info.value
    assert str(errors["highs"]) == str(errors["cbc"])
    assert errors["highs"].binding == pytest.approx(errors["cbc"].binding, rel=1e-6)


Rows = dict[str, tuple[dict[str, float], float, float]]


def _pulp_rows(model: _Model) -> Rows:
    """Row name -> ({column: coefficient}, lower, upper) of the PuLP model, columns named
    ``x<i>`` (routes) and ``s:<row>`` (slacks); the objective as row ``"objective"``."""
    column = {id(v): f"x{i}" for i, v in enumerate(model.x)}
    column |= {id(v): f"s:{n}" for n, v in model.slack.items()}
    rows: Rows = {}
    for c in model.prob.constraints():  # PuLP >= 3.3: a list
        rhs = -c.constant
        lower = rhs if c.sense == 0 else -np.inf
        rows[c.name] = ({column[id(v)]: a for v, a in c.items() if a != 0}, lower, rhs)
    objective = model.prob.objective.items()
    rows["objective"] = ({column[id(v)]: a for v, a in objective if a != 0}, 0.0, 0.0)
    return rows


def _array_rows(model: ArrayModel) -> Rows:
    """As :func:`_pulp_rows`, read back from the LP HiGHS holds."""
    lp = model.highs.getLp()
    names = {c: f"s:{n}" for n, c in model.slack.items()}
    names |= {i: f"x{i}" for i in range(len(model.problem.routes))}
    matrix = lp.a_matrix_
    start, index, value = (np.asarray(a) for a in (matrix.start_, matrix.index_, matrix.value_))
    by_row: dict[int, dict[str, float]] = {}
    for col in range(lp.num_col_):
        for k in range(start[col], start[col + 1]):
            by_row.setdefault(int(index[k]), {})[names[col]] = float(value[k])
    rows: Rows = {
        name: (by_row.get(i, {}), float(lp.row_lower_[i]), float(lp.row_upper_[i]))
        for name, i in model.row_index.items()
    }
    cost = {names[c]: float(v) for c, v in enumerate(lp.col_cost_) if v != 0}
    rows["objective"] = (cost, 0.0, 0.0)
    return rows


ELASTIC = [
    frozenset(),
    frozenset({"capacity"}),
    frozenset({"target"}),
    frozenset({"capacity", "target"}),
]


# Found by hypothesis: a road cap of 2.3e-44 leaves the rail column's -2.3e-44 in PuLP's
# target row, which HiGHS drops (below its small_matrix_value).
_TINY_SHARE = ModeSplitProblem(
    demands=(OdDemand(id="od0", volume_teu=0.0), OdDemand(id="od1", volume_teu=0.0)),
    routes=(
        RouteOption(id="od0-r0", od="od0", main_mode=Mode.RAIL, price_cny_per_teu=0.0,
                    duration_h=0.0, emissions_kgco2e_per_teu_wtw=0.0,
                    distance_km_by_mode={Mode.RAIL: 1.0}),
        RouteOption(id="od1-r0", od="od1", main_mode=Mode.ROAD, price_cny_per_teu=0.0,
                    duration_h=0.0, emissions_kgco2e_per_teu_wtw=0.0,
                    distance_km_by_mode={Mode.ROAD: 1.0}),
    ),
    resources=(),
    targets=(ModeShareTarget(id="t", modes=(Mode.ROAD,), max_share=2.3040390873886776e-44),),
)  # fmt: skip


@settings(max_examples=15, deadline=None, derandomize=True)
@given(problems(), st.floats(0.0, 1000.0), st.sampled_from(ELASTIC), st.booleans())
@example(_TINY_SHARE, 0.0, frozenset(), False)
def test_same_matrix_as_the_pulp_model(
    problem: ModeSplitProblem, carbon_price: float, elastic: frozenset[str], phase1: bool
) -> None:
    """The array builder writes the PuLP builder's rows: same names, coefficients (after
    scaling), bounds, slack columns and objective, also for diagnosis (elastic, phase 1)."""
    phase1 = phase1 and bool(elastic)
    models = [
        build_lp(choice, problem, carbon_price, elastic=elastic, phase1=phase1)
        for choice in (make_solver("cbc", mip=False), make_solver("highs", mip=False, direct=True))
    ]
    pulp_model, array_model = models
    assert isinstance(pulp_model, _Model) and isinstance(array_model, ArrayModel)
    expected, got = _pulp_rows(pulp_model), _array_rows(array_model)
    assert got.keys() == expected.keys()
    # HiGHS drops matrix entries at or below its small_matrix_value when it takes a
    # model (a share of 2e-44 in a target row, say); PuLP keeps them, CBC ignores them.
    # Costs are not matrix entries: HiGHS keeps a tiny one (a carbon price of 1e-224).
    option = array_model.highs.getOptionValue("small_matrix_value")  # (status, value)
    small = float(option[1] if isinstance(option, tuple) else option)
    for name, (coef, lower, upper) in expected.items():
        kept = coef if name == "objective" else {c: a for c, a in coef.items() if abs(a) > small}
        assert got[name][0] == pytest.approx(kept, rel=1e-12), name
        assert got[name][1:] == pytest.approx((lower, upper), rel=1e-12), name
    assert array_model.row_scale == pytest.approx(pulp_model.row_scale, rel=1e-12)
    assert array_model.slack_weight == pytest.approx(pulp_model.slack_weight, rel=1e-12)
