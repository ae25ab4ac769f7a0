"""All-pairs shortest paths between 100 hubs on the rail network (``make bench``).

The shipped network has about a dozen rail hubs, so it is enlarged synthetically:
90 extra hubs, each a spur off a seeded random node of the shipped rail network, the
spur's length its geodesic x 1.2, and 40 extra links between random pairs of the new
hubs to make the graph meshed. Measures ``freighthub.network.network_distances_km``
(one Dijkstra per origin, networkx) for 100 hubs against the baseline of the shipped
network's own rail nodes, timed in the same run, and prints the ratio. Also times
scipy.sparse.csgraph on the same graph as a cross-check of the networkx choice.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from freighthub.geo import geodesic_distance_km
from freighthub.model.network import Link, LinkEntry, Network, Node, NodeKind, load_shipped_network
from freighthub.network.routing import mode_graph, network_distances_km
from freighthub.vocabulary import Mode

SEED = 20261207
EXTRA_HUBS = 90
EXTRA_LINKS = 40
REPEATS = 5
DETOUR = 1.2  # benchmark input, not data: spur length = geodesic x 1.2


def enlarge(network: Network, rng: np.random.Generator) -> Network:
    rail_nodes = sorted(mode_graph(network, Mode.RAIL).nodes)
    nodes = dict(network.nodes)
    links = dict(network.links)
    new_ids: list[str] = []

    def add_link(a: Node, b: Node, link_id: str) -> None:
        km = max(geodesic_distance_km(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg) * DETOUR, 1.0)
        entry = LinkEntry.model_validate(
            {
                "id": link_id,
                "mode": "rail",
                "from": a.id,
                "to": b.id,
                "length_km": {"value": km, "source": "synthetic", "confidence": "assumption"},
            }
        )
        links[link_id] = Link(
            link_id, Mode.RAIL, a.id, b.id, entry.length_km, entry, network.files[0]
        )

    for i in range(EXTRA_HUBS):
        anchor = nodes[rail_nodes[int(rng.integers(len(rail_nodes)))]]
        hub = Node(
            f"synthetic-{i}",
            NodeKind.HUB,
            f"Synthetic {i}",
            anchor.country,
            float(np.clip(anchor.lon_deg + rng.normal(0, 1.5), -179, 179)),
            float(np.clip(anchor.lat_deg + rng.normal(0, 1.0), -89, 89)),
        )
        nodes[hub.id] = hub
        new_ids.append(hub.id)
        add_link(anchor, hub, f"spur-{i}")
    for j in range(EXTRA_LINKS):
        a, b = rng.choice(len(new_ids), size=2, replace=False)
        add_link(nodes[new_ids[a]], nodes[new_ids[b]], f"mesh-{j}")
    return replace(network, nodes=nodes, links=links)


def timed(fn: object, *args: object) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    shipped = load_shipped_network()
    rng = np.random.default_rng(SEED)
    big = enlarge(shipped, rng)
    base_ids = sorted(mode_graph(shipped, Mode.RAIL).nodes)
    hub_ids = [n for n in sorted(mode_graph(big, Mode.RAIL).nodes)][:100]
    assert len(hub_ids) == 100, len(hub_ids)

    t_base = timed(network_distances_km, shipped, base_ids, Mode.RAIL)
    t_big = timed(network_distances_km, big, hub_ids, Mode.RAIL)
    matrix = network_distances_km(big, hub_ids, Mode.RAIL)
    pairs = sum(len(row) for row in matrix.values())

    g = mode_graph(big, Mode.RAIL)
    index = {n: i for i, n in enumerate(g.nodes)}
    rows, cols, vals = [], [], []
    for u, v, d in g.edges(data=True):
        rows += [index[u], index[v]]
        cols += [index[v], index[u]]
        vals += [d["length_km"], d["length_km"]]
    csr = csr_matrix((vals, (rows, cols)), shape=(len(index), len(index)))
    sources = [index[h] for h in hub_ids]
    t_scipy = timed(lambda: dijkstra(csr, indices=sources))
    check = dijkstra(csr, indices=sources)
    worst = max(
        abs(check[i][index[b]] - matrix[a][b]) for i, a in enumerate(hub_ids) for b in matrix[a]
    )

    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} rail links (seed {SEED})")
    print(f"baseline: shipped rail network, {len(base_ids)} nodes all pairs: {t_base * 1e3:.2f} ms")
    print(
        f"100 hubs all pairs ({pairs} reachable pairs): {t_big * 1e3:.2f} ms "
        f"(ratio {t_big / t_base:.1f}x the baseline)"
    )
    print(
        f"scipy.sparse.csgraph.dijkstra same 100 origins: {t_scipy * 1e3:.2f} ms "
        f"(networkx / scipy {t_big / t_scipy:.1f}x); max difference {worst:.2e} km"
    )
    assert worst < 1e-6


if __name__ == "__main__":
    main()
