"""Seeded random streams: one per purpose of one OD pair, flow, pool or service in one
replication (the common random numbers of :mod:`freighthub.sim.demand`).

A stream's seed is ``(seed, replication, CRC-32 of the key, purpose code, column)``, so
the draws of one purpose of one key do not depend on any other key or purpose, nor on
the order of keys in the scenario.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["stream"]

#: The purpose codes of :func:`stream` (part of every stream's seed: never renumber).
_PURPOSES = {
    "times": 1,
    "box": 2,
    "loaded": 3,
    "route": 4,
    "handling": 5,
    "background_times": 6,
    "background_box": 7,
    "background_handling": 8,
    "background_unload": 9,
    "gate": 10,
    "yard": 11,
    "down": 12,
    "travel": 13,
    "background_trucks": 14,
    "background_truck_work": 15,
}


def stream(
    seed: int, replication: int, key: str, purpose: str, column: int = 0
) -> np.random.Generator:
    """An independent random stream for one purpose of one OD pair in one replication.

    Parameters
    ----------
    seed
        The experiment's seed [-].
    replication
        Replication number, 0-based [-].
    key
        Identifier of what draws (an OD id); hashed with CRC-32 so that streams do
        not depend on the order of ODs in the file.
    purpose
        ``"times"``, ``"box"``, ``"loaded"``, ``"route"`` or ``"handling"``; for
        background flows (keyed by flow id, unloads by service id)
        ``"background_times"``, ``"background_box"``, ``"background_handling"``,
        ``"background_unload"``, ``"background_trucks"``, ``"background_truck_work"``
        (:mod:`freighthub.sim.background_trucks`); for the terminal model (#19) ``"gate"`` and
        ``"yard"`` (keyed by OD id), ``"down"`` (by pool id), ``"travel"`` (by
        service id).
    column
        Handling-visit number for ``"handling"``, move for ``"yard"`` (0 truck-in,
        1 truck-out) [-].
    """
    entropy = [seed, replication, zlib.crc32(key.encode("utf-8")), _PURPOSES[purpose], column]
    return np.random.default_rng(np.random.SeedSequence(entropy))
