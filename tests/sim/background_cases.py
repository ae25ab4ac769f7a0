"""Synthetic networks with background traffic, shared by the background tests."""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim.background import BackgroundArrays, BackgroundFlowArrays
from freighthub.sim.network import CompiledNetwork

#: Background for the tiny scenario (tests/sim/tiny): calls at beta, lots on rail-ab.
HUB_FLOW = """
[[background_hub_flows]]
id = "beta-other"
hub = "beta"
teu_per_year = { value = 150000, source = "test", confidence = "assumption" }
box_40ft_share = 0.5
moves_per_call = 20
"""
SERVICE_FLOW = """
[[background_service_flows]]
id = "rail-other"
service = "rail-ab"
teu_per_year = 3000
box_40ft_share = 0.5
lot_teu = 4
"""


def flows(
    targets: list[int],
    teu_per_year: list[float],
    batch: list[int],
    box_40ft_share: float = 0.5,
    seasonality: np.ndarray | None = None,
) -> BackgroundFlowArrays:
    n = len(targets)
    return BackgroundFlowArrays(
        ids=tuple(f"bg-{i}-{t}" for i, t in enumerate(targets)),
        target=np.array(targets, dtype=np.int64),
        teu_per_year=np.array(teu_per_year, dtype=np.float64),
        box_40ft_share=np.full(n, box_40ft_share),
        batch=np.array(batch, dtype=np.int64),
        seasonality=np.ones((n, 12)) if seasonality is None else seasonality,
    )


def with_background(
    network: CompiledNetwork,
    hub_teu_per_year: float,
    service_teu_per_year: float,
    moves_per_call: int = 40,
    lot_teu: int = 6,
    cranes_per_call: int = 1,
    road_share: float = 0.0,
    trucks_per_job: int = 1,
) -> CompiledNetwork:
    """Every hub gets a hub flow, every other service a service flow; ``road_share``
    of the hub flows' boxes come and go by truck (gate and yard jobs in groups of
    ``trucks_per_job`` where the network has a terminal model)."""
    hubs = list(range(network.hubs.n))
    services = list(range(0, network.services.n, 2))
    background = BackgroundArrays(
        hub_flows=dataclasses.replace(
            flows(hubs, [hub_teu_per_year] * len(hubs), [moves_per_call] * len(hubs)),
            split=np.full(len(hubs), cranes_per_call, dtype=np.int64),
            road_share=np.full(len(hubs), road_share),
            trucks_per_job=np.full(len(hubs), trucks_per_job, dtype=np.int64),
        ),
        service_flows=flows(
            services, [service_teu_per_year] * len(services), [lot_teu] * len(services)
        ),
    )
    return dataclasses.replace(network, background=background)
