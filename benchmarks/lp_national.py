"""Benchmark: the mode-split LP of a generated national network, 20,000 OD pairs x 5 routes.

Run alone (``.venv/bin/python benchmarks/lp_national.py [--od N] [--repeats R]``) or
through ``benchmarks/run.py``. Three paths on the same problem, repeats interleaved:
the LP built as sparse arrays and solved in highspy directly (``--solver highs``), the
PuLP model solved by HiGHS through PuLP, and the PuLP model solved by CBC (the
reference). Prints the medians of the build time, the solve time (wall, as the caller
sees it), HiGHS's own run time (``Highs.getRunTime``), the ratio (build + solve) /
HiGHS (the issue's target: at most 1.5 on the direct path), the time to turn the
solution into a plan, the objective and how many capacity duals equal CBC's, and the
load average before and after.

The network is synthetic; its sizes, costs, speeds and capacities are benchmark
parameters, not facts. Route emissions come from the emissions module
(``freighthub.emissions.leg_emissions_kg``, GLEC v3 default pack) like everywhere
else.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import time
from typing import Any

import numpy as np
import pulp

from freighthub.emissions import leg_emissions_kg
from freighthub.model.factors import load_factor_pack
from freighthub.optimize import (
    ModeShareTarget,
    ModeSplitProblem,
    OdDemand,
    Resource,
    ResourceKind,
    ResourceUse,
    RouteOption,
)
from freighthub.optimize._arrays import ArrayModel, highs_version
from freighthub.optimize._model import build_lp, build_model
from freighthub.optimize.lp import extract_plan
from freighthub.optimize.results import ModeSplitPlan
from freighthub.optimize.solvers import make_solver
from freighthub.vocabulary import Mode

# --- benchmark parameters (not facts) -----------------------------------------------
N_HUBS = 40
SPAN_KM = 3000.0  # the hubs lie in a 3,000 km square
ROAD_COST_CNY_PER_TEU_KM = 4.0
RAIL_COST_CNY_PER_TEU_KM = 1.5
BARGE_COST_CNY_PER_TEU_KM = 0.8
HANDLING_CNY_PER_TEU = 300.0
SPEED_KMH = {Mode.ROAD: 60.0, Mode.RAIL: 40.0, Mode.INLAND_WATERWAY: 12.0}
VALUE_OF_TIME_CNY_PER_TEU_H = 20.0
CARBON_PRICE_CNY_PER_TCO2E = 100.0
CAPACITY_SHARE = 0.6  # services offer 60 % of the TEU that would like to use them
INTENSITY = {
    Mode.ROAD: "road-artic-40t-container-diesel-asia",
    Mode.RAIL: "rail-electric-container-eu",
    Mode.INLAND_WATERWAY: "iww-container-110m",
}
MASS_T_PER_TEU = 10.0
# -------------------------------------------------------------------------------------


def generate(n_od: int, seed: int) -> ModeSplitProblem:
    """A national network with ``n_od`` OD pairs and 5 routes each (seeded)."""
    rng = np.random.default_rng(seed)
    pack = load_factor_pack("glec-v3-2023")
    kg_per_teu_km = {
        m: float(leg_emissions_kg(pack, i, MASS_T_PER_TEU, 1.0)[0]) for m, i in INTENSITY.items()
    }
    hubs = rng.uniform(0.0, SPAN_KM, size=(N_HUBS, 2))
    waterside = rng.random(N_HUBS) < 0.4  # hubs on a waterway

    def km(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.hypot(*(a - b)))

    demands = []
    routes = []
    wanted: dict[str, float] = {}
    resources: dict[str, Resource] = {}
    for h in range(N_HUBS):
        resources[f"handling:{h}"] = Resource(
            f"handling:{h}", ResourceKind.HANDLING, 0.0, "moves", f"hub {h}", 500.0, "server"
        )
    for o in range(n_od):
        origin, dest = rng.uniform(0.0, SPAN_KM, size=(2, 2))
        volume = float(rng.uniform(10.0, 200.0))
        od = f"od{o}"
        demands.append(OdDemand(od, volume))
        near_o = np.argsort(np.hypot(*(hubs - origin).T))[:3]
        near_d = np.argsort(np.hypot(*(hubs - dest).T))[:3]
        d_road = km(origin, dest) * 1.2
        options = [("road", {Mode.ROAD: d_road}, [])]
        for k, (a, b) in enumerate(((near_o[0], near_d[0]), (near_o[1], near_d[1]))):
            if a == b:
                b = near_d[2]
            pre, main, post = km(origin, hubs[a]), km(hubs[a], hubs[b]) * 1.3, km(hubs[b], dest)
            options.append((f"rail{k}", {Mode.ROAD: pre + post, Mode.RAIL: main}, [("rail", a, b)]))
        wa = [h for h in near_o if waterside[h]] or [int(near_o[0])]
        wb = [h for h in near_d if waterside[h] and h != wa[0]] or [int(near_d[1])]
        a, b = int(wa[0]), int(wb[0])
        pre, main, post = km(origin, hubs[a]), km(hubs[a], hubs[b]) * 1.5, km(hubs[b], dest)
        options.append(
            ("barge", {Mode.ROAD: pre + post, Mode.INLAND_WATERWAY: main}, [("barge", a, b)])
        )
        c = int(near_d[0]) if int(near_d[0]) != b else int(near_d[1])
        water_km = km(hubs[a], hubs[b]) * 1.5
        rail_km = km(hubs[b], hubs[c]) * 1.3
        options.append(
            (
                "barge-rail",
                {
                    Mode.ROAD: pre + km(hubs[c], dest),
                    Mode.INLAND_WATERWAY: water_km,
                    Mode.RAIL: rail_km,
                },
                [("barge", a, b), ("rail", b, c)],
            )
        )
        for name, dist, legs in options:
            uses = []
            price = ROAD_COST_CNY_PER_TEU_KM * dist.get(Mode.ROAD, 0.0)
            price += RAIL_COST_CNY_PER_TEU_KM * dist.get(Mode.RAIL, 0.0)
            price += BARGE_COST_CNY_PER_TEU_KM * dist.get(Mode.INLAND_WATERWAY, 0.0)
            duration = sum(d / SPEED_KMH[m] for m, d in dist.items())
            for kind, a, b in legs:
                sid = f"{kind}:{a}-{b}"
                if sid not in resources:
                    resources[sid] = Resource(
                        sid, ResourceKind.SERVICE, 0.0, "TEU", sid, 80.0, "departure"
                    )
                wanted[sid] = wanted.get(sid, 0.0) + volume / 4
                uses += [
                    ResourceUse(sid),
                    ResourceUse(f"handling:{a}"),
                    ResourceUse(f"handling:{b}"),
                ]
                wanted[f"handling:{a}"] = wanted.get(f"handling:{a}", 0.0) + volume / 4
                wanted[f"handling:{b}"] = wanted.get(f"handling:{b}", 0.0) + volume / 4
                price += 2 * HANDLING_CNY_PER_TEU
            merged: dict[str, float] = {}
            for u in uses:
                merged[u.resource] = merged.get(u.resource, 0.0) + u.per_teu
            routes.append(
                RouteOption(
                    f"{od}/{name}",
                    od,
                    max(dist, key=lambda m: dist[m]),
                    price,
                    duration,
                    sum(kg_per_teu_km[m] * d for m, d in dist.items()),
                    dist,
                    tuple(ResourceUse(r, v) for r, v in merged.items()),
                )
            )
    sized = tuple(
        Resource(
            r.id,
            r.kind,
            CAPACITY_SHARE * wanted.get(r.id, 0.0),
            r.unit,
            r.label,
            r.increment,
            r.increment_name,
        )
        for r in resources.values()
    )
    return ModeSplitProblem(
        demands=tuple(demands),
        routes=tuple(routes),
        resources=sized,
        value_of_time_cny_per_teu_h=VALUE_OF_TIME_CNY_PER_TEU_H,
        targets=(ModeShareTarget("road-max", (Mode.ROAD,), max_share=0.9),),
        name=f"national-{n_od}",
    )


def _direct(problem: ModeSplitProblem, decisions: int) -> dict[str, Any]:
    """Build as arrays, solve in highspy, extract the plan (``decisions`` re-solves)."""
    choice = make_solver("highs", mip=False, direct=True)
    model = build_lp(choice, problem, CARBON_PRICE_CNY_PER_TCO2E)
    assert isinstance(model, ArrayModel)
    status, solve_s = model.run(choice.solver)
    assert status == 1, status
    highs_s = model.highs_time_s
    start = time.perf_counter()
    plan = extract_plan(
        model, CARBON_PRICE_CNY_PER_TCO2E, choice, solve_s, duals=True, max_decisions=decisions
    )
    plan_s = time.perf_counter() - start
    return {"build_s": model.build_time_s, "solve_s": solve_s, "highs_s": highs_s,
            "plan_s": plan_s, "plan": plan}  # fmt: skip


def _pulp(problem: ModeSplitProblem, solver: str) -> dict[str, Any]:
    """Build the PuLP model, solve with ``solver`` through PuLP, extract the plan."""
    choice = make_solver(solver, mip=False)
    model = build_model(problem, CARBON_PRICE_CNY_PER_TCO2E)
    status, solve_s = model.run(choice.solver)
    assert status == 1, status
    # PuLP's HiGHS interface keeps the highspy instance it filled and ran
    highs = getattr(model.prob, "solverModel", None) if solver == "highs" else None
    start = time.perf_counter()
    plan = extract_plan(model, CARBON_PRICE_CNY_PER_TCO2E, choice, solve_s, duals=True)
    plan_s = time.perf_counter() - start
    return {"build_s": model.build_time_s, "solve_s": solve_s,
            "highs_s": math.nan if highs is None else float(highs.getRunTime()),
            "plan_s": plan_s, "plan": plan}  # fmt: skip


PATHS = {
    "direct": ("HiGHS direct (arrays)", lambda p: _direct(p, 0)),
    "pulp-highs": ("PuLP + HiGHS", lambda p: _pulp(p, "highs")),
    "cbc": ("PuLP + CBC", lambda p: _pulp(p, "cbc")),
}


def _same_duals(a: ModeSplitPlan, b: ModeSplitPlan) -> int:
    """Capacities whose duals agree to 1e-6 relative (degenerate ones may not)."""
    same = 0
    for u, v in zip(a.resources, b.resources, strict=True):
        x, y = u.dual_cny_per_unit or 0.0, v.dual_cny_per_unit or 0.0
        same += abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))
    return same


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--od", type=int, default=20_000, help="OD pairs (default 20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats")
    parser.add_argument(
        "--paths", default=",".join(PATHS), help="comma-separated: " + ",".join(PATHS)
    )
    parser.add_argument("--decisions", type=int, default=10, help="decision re-solves (direct)")
    args = parser.parse_args(argv)
    paths = [p for p in args.paths.split(",") if p]
    load_before = os.getloadavg()
    problem = generate(args.od, args.seed)
    runs: dict[str, list[dict[str, Any]]] = {p: [] for p in paths}
    for _ in range(args.repeats):
        for p in paths:  # interleaved: a load burst hits every path alike
            gc.collect()
            runs[p].append(PATHS[p][1](problem))
    start = time.perf_counter()
    with_decisions = _direct(problem, args.decisions) if "direct" in paths else None
    decisions_s = time.perf_counter() - start
    load_after = os.getloadavg()
    print(
        f"LP benchmark: {args.od:,} OD x 5 = {len(problem.routes):,} routes, "
        f"{len(problem.resources):,} capacities; HiGHS {highs_version()}, PuLP {pulp.__version__}; "
        f"medians of {args.repeats} interleaved repeats; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} before, "
        f"{'/'.join(f'{x:.1f}' for x in load_after)} after"
    )
    print(f"  {'path':22s} {'build s':>8s} {'solve s':>8s} {'HiGHS s':>8s} "
          f"{'(b+s)/HiGHS':>11s} {'plan s':>7s}  objective CNY")  # fmt: skip
    for p in paths:
        med = {
            k: statistics.median(r[k] for r in runs[p])
            for k in ("build_s", "solve_s", "highs_s", "plan_s")
        }
        ratio = (med["build_s"] + med["solve_s"]) / med["highs_s"]
        print(
            f"  {PATHS[p][0]:22s} {med['build_s']:8.2f} {med['solve_s']:8.2f} {med['highs_s']:8.2f} "
            f"{ratio:11.2f} {med['plan_s']:7.2f}  {runs[p][0]['plan'].objective_cny:,.2f}"
        )
    if "cbc" in paths:
        ref = runs["cbc"][0]["plan"]
        for p in paths:
            if p != "cbc":
                plan = runs[p][0]["plan"]
                diff = abs(plan.objective_cny - ref.objective_cny) / abs(ref.objective_cny)
                print(
                    f"  {PATHS[p][0]} vs CBC: objective {diff:.1e} relative; capacity duals "
                    f"equal to 1e-6 on {_same_duals(plan, ref):,} of {len(ref.resources):,}"
                )
    if with_decisions is not None:
        print(
            f"  HiGHS direct with {len(with_decisions['plan'].decisions)} decision re-solves "
            f"(warm-started): {decisions_s:.2f} s in total"
        )


if __name__ == "__main__":
    main()
