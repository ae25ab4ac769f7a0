"""Imports point one way (docs/architecture.md); heavy libraries stay in their layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "freighthub"

# Layers from the bottom up; a module may import freighthub modules of its own layer or
# of a lower one. Listed by module path prefix; the longest matching prefix wins.
LAYERS: dict[str, int] = {
    "freighthub.vocabulary": 0,
    "freighthub.errors": 0,
    "freighthub.version": 0,
    "freighthub.units": 0,
    "freighthub.lazy": 0,
    "freighthub.frames": 0,
    "freighthub.geo": 1,
    "freighthub.emissions": 1,
    "freighthub.scoring": 1,
    "freighthub.shift.logit": 1,
    "freighthub.atomic": 1,
    "freighthub.lifeline": 1,
    "freighthub.model": 2,
    "freighthub.questionnaire": 2,
    "freighthub.network": 2,
    "freighthub.sim": 3,
    "freighthub.assessment": 3,
    "freighthub.completeness": 3,
    "freighthub.observation": 3,
    "freighthub.evidence": 3,
    "freighthub.optimize": 4,
    "freighthub.calibrate": 4,
    "freighthub.shift": 4,
    "freighthub.appraisal": 4,
    "freighthub.appraisal.cashflow": 1,
    "freighthub.appraisal.project": 2,
    "freighthub.appraisal.candidates": 2,
    "freighthub.sweep": 5,
    "freighthub.report": 6,
    "freighthub.demo": 7,
    "freighthub.cli": 8,
    "freighthub.__main__": 8,
    "freighthub": 8,  # the package's __init__ re-exports
}

# Third-party libraries allowed only in some layers.
CONFINED = {
    "rich": ("freighthub.cli", "freighthub.report"),
    "simpy": ("freighthub.sim",),
    "pulp": ("freighthub.optimize",),
    "dask": ("freighthub.sweep",),
    "distributed": ("freighthub.sweep",),
    "typer": ("freighthub.cli",),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_imports_point_down(path: Path) -> None:
    module = _module_name(path)
    own = _layer(module)
    for name in _imports(path):
        if name.startswith("freighthub"):
            assert _layer(name) <= own, (
                f"{module} (layer {own}) imports {name} (layer {_layer(name)})"
            )
        root = name.split(".")[0]
        if root in CONFINED:
            allowed = CONFINED[root]
            assert any(module == a or module.startswith(a + ".") for a in allowed), (
                f"{module} imports {root}, which belongs only in {', '.join(allowed)}"
            )


def test_the_layer_table_knows_every_top_level_module() -> None:
    tops = {_module_name(p).split(".")[1] for p in MODULES if _module_name(p) != "freighthub"}
    known = {p.split(".")[1] for p in LAYERS if p != "freighthub"}
    assert tops <= known, f"add {sorted(tops - known)} to LAYERS and docs/architecture.md"
