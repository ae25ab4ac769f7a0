"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Timing never fails a test: under load an example may take longer than hypothesis's
# default 200 ms deadline (loaders, simulations, solvers; on a busy machine any test).
settings.register_profile("freighthub", deadline=None)
settings.load_profile("freighthub")

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def repo_root() -> Path:
    """The checkout's root folder (shipped data lives below it)."""
    return REPO_ROOT
