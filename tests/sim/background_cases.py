"""Synthetic networks with background traffic, shared by the background tests."""

from __future__ import annotations

import dataclasses

import numpy as np

from freighthub.sim.background import BackgroundArrays, BackgroundFlowArrays
from freighthub.sim.network import CompiledNetwork


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
) -> CompiledNetwork:
    """Every hub gets a hub flow, every other service a service flow."""
    hubs = list(range(network.hubs.n))
    services = list(range(0, network.services.n, 2))
    background = BackgroundArrays(
        hub_flows=flows(hubs, [hub_teu_per_year] * len(hubs), [moves_per_call] * len(hubs)),
        service_flows=flows(
            services, [service_teu_per_year] * len(services), [lot_teu] * len(services)
        ),
    )
    return dataclasses.replace(network, background=background)
