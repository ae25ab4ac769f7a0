"""Reproducibility manifests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from freighthub import __version__
from freighthub.model.provenance import build_manifest


def test_manifest_hashes_inputs_and_is_deterministic(tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    first = build_manifest([b, a, a], seed=7, replications=3)
    second = build_manifest([a, b], seed=7, replications=3)
    assert first == second
    assert first.tool_version == __version__
    assert list(first.inputs_sha256) == [str(a), str(b)]
    assert first.inputs_sha256[str(a)] == hashlib.sha256(b"x = 1\n").hexdigest()
    assert first.dependencies["simpy"] != "not installed"


def test_manifest_changes_when_an_input_changes(tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    a.write_text("x = 1\n")
    before = build_manifest([a], seed=1)
    a.write_text("x = 2\n")
    assert build_manifest([a], seed=1).inputs_sha256 != before.inputs_sha256
