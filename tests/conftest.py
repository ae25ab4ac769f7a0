"""Shared fixtures."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import settings

# Timing never fails a test: under load an example may take longer than hypothesis's
# default 200 ms deadline (loaders, simulations, solvers; on a busy machine any test).
settings.register_profile("freighthub", deadline=None)
settings.load_profile("freighthub")

REPO_ROOT = Path(__file__).resolve().parents[1]


_cache_ready: threading.Thread | None = None


def pytest_configure(config: pytest.Config) -> None:
    """With test processes (pytest-xdist's ``-n``), the controlling process, which runs no
    test, has numba's cache of the engine's loop made ready once, while the test
    processes collect.

    Without it, the first simulating test of each process finds the cache empty (a fresh
    checkout) and each has the loop compiled at the same time: the same compile twice.
    """
    global _cache_ready
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", 0):
        return
    from freighthub.sim.kernel_cache import prepare_cache

    _cache_ready = threading.Thread(target=prepare_cache, name="numba-cache", daemon=True)
    _cache_ready.start()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """No test is handed out before the loop is in numba's cache (the controller waits)."""
    if _cache_ready is not None:
        _cache_ready.join()


@pytest.fixture()
def repo_root() -> Path:
    """The checkout's root folder (shipped data lives below it)."""
    return REPO_ROOT
