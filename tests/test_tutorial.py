"""docs/tutorial.md runs: its ```python blocks, in order, in one namespace, in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def blocks(text: str) -> list[str]:
    """The code of every ```python block of a Markdown text, in order."""
    return [m.group(1) for m in BLOCK.finditer(text)]


def test_blocks_are_found_in_order() -> None:
    text = "a\n```python\nx = 1\n```\nb\n```text\nno\n```\n```python\ny = x\n```\n"
    assert blocks(text) == ["x = 1\n", "y = x\n"]


def test_the_tutorial_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FREIGHTHUB_HOME", raising=False)
    code = blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert len(code) >= 7
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for i, block in enumerate(code, 1):
        exec(compile(block, f"{TUTORIAL.name} block {i}", "exec"), namespace)
    assert {"assessment", "ranking", "chain", "base", "comparison"} <= set(namespace)
    assert list(tmp_path.iterdir()) == []  # the tutorial writes nothing
