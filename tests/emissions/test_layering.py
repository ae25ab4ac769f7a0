"""The pure emissions package imports nothing of freighthub.model or higher layers."""

from __future__ import annotations

import ast
from pathlib import Path

import freighthub.emissions

ALLOWED = ("freighthub.emissions", "freighthub.errors", "freighthub.units", "freighthub.vocabulary")
FORBIDDEN_THIRD_PARTY = ("rich", "simpy", "pulp", "typer", "pandas")


def test_pure_package_imports() -> None:
    folder = Path(freighthub.emissions.__file__).parent
    for module in sorted(folder.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("freighthub"):
                    assert name.startswith(ALLOWED), f"{module.name} imports {name}"
                assert not name.startswith(FORBIDDEN_THIRD_PARTY), f"{module.name} imports {name}"
            assert not (
                isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"print", "open"}
            ), module.name
