"""The mode-split LP built as sparse arrays and solved by HiGHS directly (``highspy``).

The same rows, row names, scaling and signs as :func:`~freighthub.optimize._model.build_model`
(its docstring lists them), for the pure LP: no departure steps, no candidates. The
matrix is assembled column-wise (CSC) with numpy, vectorised over OD x route, and
handed to HiGHS in one ``passModel`` call; there is one Python object per route (the
:class:`RouteOption` itself) and none per variable or row. Primal values and row duals
are read back as arrays. Elastic rows and phase 1 (:mod:`~freighthub.optimize.diagnose`)
are slack columns, so infeasibility is explained on this path too.

Duals follow HiGHS's (and PuLP's) convention: the row dual is the change of the
objective per unit of the row's right-hand side, so a binding ``<=`` capacity of a
minimisation has a dual <= 0.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter, methodcaller
from typing import Any

import numpy as np

from freighthub.optimize.problem import ModeSplitProblem
from freighthub.units import KG_PER_T

__all__: list[str] = []

#: PuLP's status codes, which the callers compare against (``pulp.LpStatus``).
_PULP_OPTIMAL, _PULP_NOT_SOLVED, _PULP_INFEASIBLE, _PULP_UNBOUNDED = 1, 0, -1, -2


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a model is built: a build makes
    many objects and no cycles, and the collector's passes over them cost more than
    the build itself at national scale."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class DirectHighs:
    """The solver of the direct path: HiGHS through ``highspy`` with its options."""

    time_limit_s: float | None = None


def new_highs() -> Any:
    """A fresh HiGHS instance, quiet. highspy's own ``Highs`` subclass wires Python
    callbacks and prints HiGHS's banner on standard output (which would spoil
    ``--json``); its compiled base class ``_Highs`` does neither."""
    import highspy

    h = getattr(highspy, "_Highs", highspy.Highs)()
    h.setOptionValue("output_flag", False)
    return h


def highs_version() -> str | None:
    """The installed HiGHS version, or ``None`` without ``highspy``."""
    try:
        return str(new_highs().version())
    except ImportError:  # pragma: no cover - highspy is a dependency
        return None


@dataclass(kw_only=True)
class LpRows:
    """What both builds of the mode-split LP (PuLP's ``_Model``, HiGHS's
    :class:`ArrayModel`) record about their rows, under the same row names.

    Attributes
    ----------
    resource_rows, cap_rows
        Resource id / emission cap id -> its row's name.
    target_rows
        Mode-share target id -> its rows as (bound, row name).
    slack_weight
        Elastic row's name -> the weight of its slack in phase 1.
    row_scale
        Row name -> the factor the row was divided by (its largest coefficient).
    candidate_of
        Resource id -> the candidate that funds it (selection; empty in the pure LP).
    build_time_s
        Wall time of the build [s].
    """

    resource_rows: dict[str, str] = field(default_factory=dict)
    target_rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cap_rows: dict[str, str] = field(default_factory=dict)
    slack_weight: dict[str, float] = field(default_factory=dict)
    row_scale: dict[str, float] = field(default_factory=dict)
    candidate_of: dict[str, str] = field(default_factory=dict)
    build_time_s: float = 0.0


@dataclass
class ArrayModel(LpRows):
    """A mode-split LP in HiGHS, with the row names of the PuLP model (:class:`LpRows`).

    ``slack`` maps an elastic row's name to its slack column; ``value(column)`` reads a
    column's value; ``arrays`` are the :func:`route_arrays` of the build;
    ``highs_time_s`` is HiGHS's own run time of the last solve.
    """

    problem: ModeSplitProblem
    highs: Any
    route_cost_cny_per_teu: np.ndarray
    emissions_tco2e_per_teu: np.ndarray
    row_index: dict[str, int]
    arrays: dict[str, Any]
    slack: dict[str, int] = field(default_factory=dict)
    departures_of: dict[str, Any] = field(default_factory=dict)
    highs_time_s: float = 0.0
    col_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None

    def value(self, column: int) -> float:
        return 0.0 if self.col_value is None else float(self.col_value[column])

    def flow_array(self) -> np.ndarray:
        """Route flows [TEU/period], negative round-off clipped to 0."""
        n = len(self.problem.routes)
        if self.col_value is None:
            return np.zeros(n)
        flows: np.ndarray = np.maximum(self.col_value[:n], 0.0)
        return flows

    def flows_teu(self) -> list[float]:
        return [float(f) for f in self.flow_array()]

    def departures(self) -> dict[str, int]:
        return {}

    def operator_cost_cny(self) -> float:
        return 0.0

    def objective_cny(self) -> float:
        return float(self.route_cost_cny_per_teu @ self.flow_array())

    def emissions_tco2e(self) -> float:
        return float(self.emissions_tco2e_per_teu @ self.flow_array())

    def dual(self, name: str) -> float | None:
        """The row dual of row ``name`` (``None`` before a solve)."""
        if self.row_dual is None:
            return None
        return float(self.row_dual[self.row_index[name]])

    def set_rhs(self, name: str, value: float) -> None:
        """Set the right-hand side of the ``<=`` row ``name``."""
        self.highs.changeRowBounds(self.row_index[name], -np.inf, value)

    def run(self, solver: Any = None) -> tuple[int, float]:
        """Solve (warm-started after a change); return a PuLP status code and the wall
        time [s] of the solve and of reading the solution back. ``solver`` (the :class:`DirectHighs` of the choice) is ignored: its
        options were set at the build."""
        import highspy

        h = self.highs
        before_s = float(h.getRunTime())  # HiGHS's clock adds up over the runs
        start = time.perf_counter()
        h.run()
        self.highs_time_s = float(h.getRunTime()) - before_s
        status = h.getModelStatus()
        ms = highspy.HighsModelStatus
        self.col_value = self.row_dual = None
        if status == ms.kOptimal:
            solution = h.getSolution()
            self.col_value = np.asarray(solution.col_value, dtype=np.float64)
            self.row_dual = np.asarray(solution.row_dual, dtype=np.float64)
        wall_s = time.perf_counter() - start
        if status == ms.kOptimal:
            return _PULP_OPTIMAL, wall_s
        if status == ms.kInfeasible:
            return _PULP_INFEASIBLE, wall_s
        if status in (ms.kUnbounded, ms.kUnboundedOrInfeasible):
            return _PULP_UNBOUNDED, wall_s
        return _PULP_NOT_SOLVED, wall_s


def _column(items: list[Any], name: str, dtype: Any = np.float64) -> np.ndarray:
    """Attribute ``name`` of every item as an array (a C-level pass: no Python frame
    per item)."""
    return np.fromiter(map(attrgetter(name), items), dtype, len(items))


def route_arrays(problem: ModeSplitProblem, carbon_price_cny_per_tco2e: float) -> dict[str, Any]:
    """Per-route numbers as arrays, one pass over the route objects each: ``cost`` (the
    LP's cost [CNY/TEU]), ``price``, ``duration``, ``emissions_kg``, ``od`` (demand
    index), and the resource uses as triplets ``use_route``, ``use_res``, ``use_per``."""
    routes = list(problem.routes)
    n = len(routes)
    price = _column(routes, "price_cny_per_teu")
    duration = _column(routes, "duration_h")
    emissions_kg = _column(routes, "emissions_kgco2e_per_teu_wtw")
    cost = (
        price
        + problem.value_of_time_cny_per_teu_h * duration
        + carbon_price_cny_per_tco2e * emissions_kg / KG_PER_T
    )
    od_pos = {d.id: j for j, d in enumerate(problem.demands)}
    res_pos = {r.id: k for k, r in enumerate(problem.resources)}
    od = np.fromiter(map(od_pos.__getitem__, map(attrgetter("od"), routes)), np.int64, n)
    uses = list(map(attrgetter("uses"), routes))
    counts = np.fromiter(map(len, uses), np.int64, n)
    flat = list(chain.from_iterable(uses))
    use_res = np.fromiter(
        map(res_pos.__getitem__, map(attrgetter("resource"), flat)), np.int64, len(flat)
    )
    return {
        "cost": cost,
        "price": price,
        "duration": duration,
        "emissions_kg": emissions_kg,
        "od": od,
        "use_route": np.repeat(np.arange(n, dtype=np.int64), counts),
        "use_res": use_res,
        "use_per": _column(flat, "per_teu"),
    }


def km_arrays(
    problem: ModeSplitProblem, modes: Iterable[Any]
) -> tuple[np.ndarray, dict[Any, np.ndarray]]:
    """Total km per route and the km per route of each of ``modes``."""
    dists = list(map(attrgetter("distance_km_by_mode"), problem.routes))
    n = len(dists)
    total = np.fromiter(map(sum, map(methodcaller("values"), dists)), np.float64, n)
    by_mode = {
        m: np.fromiter(map(methodcaller("get", m, 0.0), dists), np.float64, n) for m in modes
    }
    return total, by_mode


def _csc(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_cols: int, n_rows: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise (CSC) arrays of the triplets; duplicates summed, zeros dropped."""
    key = cols * n_rows + rows
    order = np.argsort(key, kind="stable")
    key, vals = key[order], vals[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
    summed = np.add.reduceat(vals, first) if key.size else vals
    key = key[first]
    keep = summed != 0.0
    key, summed = key[keep], summed[keep]
    col = key // n_rows
    start = np.searchsorted(col, np.arange(n_cols + 1), side="left")
    return start.astype(np.int32), (key % n_rows).astype(np.int32), summed


def build_arrays(
    problem: ModeSplitProblem,
    carbon_price_cny_per_tco2e: float,
    solver: DirectHighs,
    *,
    elastic: frozenset[str] = frozenset(),
    phase1: bool = False,
) -> ArrayModel:
    """Build the LP of ``problem`` in a new HiGHS instance (``elastic`` and ``phase1`` as
    in :func:`~freighthub.optimize._model.build_model`)."""
    import highspy

    start_s = time.perf_counter()
    with gc_paused():
        a = route_arrays(problem, carbon_price_cny_per_tco2e)
        n_x = len(problem.routes)
        n_od, n_res = len(problem.demands), len(problem.resources)
        trip_rows = [a["od"], n_od + a["use_res"]]
        trip_cols = [np.arange(n_x, dtype=np.int64), a["use_route"]]
        trip_vals = [np.ones(n_x), a["use_per"]]
        lower = [np.fromiter((d.volume_teu for d in problem.demands), np.float64, n_od)]
        upper = [lower[0].copy(), np.array([r.capacity for r in problem.resources], np.float64)]
        lower.append(np.full(n_res, -np.inf))
        names = [f"D{j}" for j in range(n_od)] + [f"R{k}" for k in range(n_res)]
        model_rows: dict[str, Any] = {"resource_rows": {}, "target_rows": {}, "cap_rows": {}}
        for k, res in enumerate(problem.resources):
            model_rows["resource_rows"][res.id] = f"R{k}"
        row_scale: dict[str, float] = {}
        extra: list[tuple[str, np.ndarray, float, str]] = []  # name, coef, rhs, group
        if problem.targets:
            km_total, km_by_mode = km_arrays(problem, {m for t in problem.targets for m in t.modes})
        for j, t in enumerate(problem.targets):
            group = sum((km_by_mode[m] for m in t.modes), np.zeros(n_x))
            rows: list[tuple[str, str]] = []
            for bound, share, sign in (("max", t.max_share, 1.0), ("min", t.min_share, -1.0)):
                if share is None:
                    continue
                name = f"T{'X' if bound == 'max' else 'N'}{j}"
                coef = sign * (group - share * km_total)
                scale = float(np.max(np.abs(coef), initial=0.0)) or 1.0
                row_scale[name] = scale
                extra.append((name, coef / scale, 0.0, "target"))
                rows.append((bound, name))
            model_rows["target_rows"][t.id] = rows
        emissions_t = a["emissions_kg"] / KG_PER_T
        for j, c in enumerate(problem.emission_caps):
            extra.append((f"E{j}", emissions_t, c.max_tco2e_wtw, "target"))
            model_rows["cap_rows"][c.id] = f"E{j}"
        all_x = np.arange(n_x, dtype=np.int64)
        for name, coef, rhs, _ in extra:
            trip_rows.append(np.full(n_x, len(names), dtype=np.int64))
            trip_cols.append(all_x)
            trip_vals.append(coef)
            lower.append(np.array([-np.inf]))
            upper.append(np.array([rhs]))
            names.append(name)
        # elastic rows: a slack column each, coefficient -1, weighted in phase 1
        slack: dict[str, int] = {}
        weight: dict[str, float] = {}
        total_demand = max(problem.total_demand_teu, 1.0)
        if "capacity" in elastic:
            for k, res in enumerate(problem.resources):
                slack[f"R{k}"] = n_x + len(slack)
                weight[f"R{k}"] = 1.0 / max(res.capacity, 1.0)
        if "target" in elastic:
            caps = {f"E{j}": c.max_tco2e_wtw for j, c in enumerate(problem.emission_caps)}
            for name, _, _, _ in extra:
                slack[name] = n_x + len(slack)
                weight[name] = 1.0 / max(caps[name], 1.0) if name in caps else 1.0 / total_demand
        index = {name: i for i, name in enumerate(names)}
        if slack:
            trip_rows.append(np.array([index[s] for s in slack], dtype=np.int64))
            trip_cols.append(np.array(list(slack.values()), dtype=np.int64))
            trip_vals.append(np.full(len(slack), -1.0))
        n_cols, n_rows = n_x + len(slack), len(names)
        start, row_idx, vals = _csc(
            np.concatenate(trip_rows),
            np.concatenate(trip_cols),
            np.concatenate(trip_vals),
            n_cols,
            n_rows,
        )
        col_cost = np.zeros(n_cols)
        if phase1:
            col_cost[n_x:] = [weight[s] for s in slack]
        else:
            col_cost[:n_x] = a["cost"]
        h = new_highs()
        if solver.time_limit_s is not None:
            h.setOptionValue("time_limit", float(solver.time_limit_s))
        h.passModel(
            n_cols,
            n_rows,
            int(vals.size),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            col_cost,
            np.zeros(n_cols),
            np.full(n_cols, np.inf),
            np.concatenate(lower),
            np.concatenate(upper),
            start,
            row_idx,
            vals,
            np.zeros(n_cols, dtype=np.int32),  # every column continuous
        )
    model = ArrayModel(
        problem,
        h,
        a["cost"],
        emissions_t,
        index,
        a,
        slack=slack,
        slack_weight=weight,
        row_scale=row_scale,
        **model_rows,
    )
    model.build_time_s = time.perf_counter() - start_s
    return model
