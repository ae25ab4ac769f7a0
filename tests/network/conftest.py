"""Shared fixtures: the shipped network and a writer for small network files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.model.hub import Hub, load_hubs
from freighthub.model.network import Network, load_network
from freighthub.model.paths import data_dir


@pytest.fixture(scope="session")
def hubs() -> dict[str, Hub]:
    return load_hubs(data_dir("hubs"))


@pytest.fixture(scope="session")
def shipped(hubs: dict[str, Hub]) -> Network:
    return load_network(data_dir("networks"), hubs)


@pytest.fixture
def write_network(tmp_path: Path) -> Callable[[str], Path]:
    """Write one network file ``net.toml`` in a fresh folder and return the folder."""

    def write(text: str) -> Path:
        folder = tmp_path / "networks"
        folder.mkdir(exist_ok=True)
        (folder / "net.toml").write_text(text, encoding="utf-8")
        return folder

    return write
