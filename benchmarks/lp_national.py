"""Benchmark: the mode-split LP of a generated national network, 1,000 OD pairs x 5 routes.

Run alone (``.venv/bin/python benchmarks/lp_national.py``) or through
``benchmarks/run.py``. Prints the model build time and the solve time, and their
ratio to a small baseline LP (10 OD pairs x 5 routes) measured in the same run, so
the numbers travel between machines.

The network is synthetic; its sizes, costs, speeds and capacities are benchmark
parameters, not facts. Route emissions come from the emissions module
(``freighthub.emissions.leg_emissions_kg``, GLEC v3 default pack) like everywhere
else.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

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
    solve_mode_split,
)
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


def measure(n_od: int, seed: int, decisions: int) -> dict[str, Any]:
    """Generate, build+solve, and time one LP."""
    t0 = time.perf_counter()
    problem = generate(n_od, seed)
    generate_s = time.perf_counter() - t0
    plan = solve_mode_split(problem, CARBON_PRICE_CNY_PER_TCO2E, max_decisions=decisions)
    total_s = time.perf_counter() - t0 - generate_s
    return {
        "od_pairs": n_od,
        "routes": len(problem.routes),
        "resources": len(problem.resources),
        "generate_s": generate_s,
        "build_s": plan.build_time_s,
        "solve_s": plan.solve_time_s,
        "total_s": total_s,
        "binding": sum(u.binding for u in plan.resources),
        "decisions": len(plan.decisions),
        "solver": plan.solver,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--od", type=int, default=1000, help="OD pairs (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--decisions", type=int, default=10, help="decision re-solves")
    args = parser.parse_args(argv)
    base = measure(10, args.seed, 0)
    big = measure(args.od, args.seed, 0)
    with_decisions = measure(args.od, args.seed, args.decisions)
    print(f"LP benchmark ({big['solver']})")
    for label, r in (("baseline", base), ("national", big)):
        print(
            f"  {label:9s} {r['od_pairs']:5d} OD x 5 = {r['routes']:5d} routes, "
            f"{r['resources']:5d} capacities: build {r['build_s']:.3f} s, "
            f"solve {r['solve_s']:.3f} s, binding {r['binding']}"
        )
    print(
        f"  ratio national/baseline: build {big['build_s'] / base['build_s']:.1f}x, "
        f"solve {big['solve_s'] / base['solve_s']:.1f}x"
    )
    print(
        f"  national with {with_decisions['decisions']} decision re-solves: "
        f"{with_decisions['total_s']:.2f} s in total"
    )


if __name__ == "__main__":
    main()
