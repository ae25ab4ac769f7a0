"""No import circles anywhere in the package, not even hidden ones.

The graph is drawn from the code's own imports: every ``import`` and ``from ...
import`` statement, wherever it sits: at module level, inside a function (a lazy
import) or under ``if TYPE_CHECKING:``. A lazy or type-checking import hides a
circle from the interpreter, not from a reader: the two modules still cannot be
understood, tested or moved apart. ``tests/test_layers.py`` checks that imports
point down between layers; this test checks the arrows inside a layer.

An edge goes to the module an import names: ``from freighthub.a import b`` is an
edge to ``freighthub.a.b`` if that is a module, else to ``freighthub.a``. The
implicit import of a parent package's ``__init__`` is not an edge (every package
whose ``__init__`` re-exports its modules would otherwise be a circle).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "freighthub"

#: Circles still allowed, each as the set of its modules. The set may only shrink:
#: ``test_allowed_circles_still_exist`` fails once a circle is gone, so that its
#: entry is removed with it. Empty: the last one, sim/experiment <-> sim/output, went
#: when ``ExperimentResult``/``Replication`` moved down to ``sim/estimates.py``.
ALLOWED_CIRCLES: frozenset[frozenset[str]] = frozenset()


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of ``path`` inside the package folder ``root``."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    """Absolute name of the module a ``from`` import starts at (relative imports too)."""
    if node.level == 0:
        return node.module
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its code)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    prefix = root.name
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node)
                if base is None:
                    continue
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in files else base)
            for target in targets:
                if target != name and (target == prefix or target.startswith(prefix + ".")):
                    while target not in files and "." in target:
                        target = target.rsplit(".", 1)[0]
                    if target in files and target != name:
                        graph[name].add(target)
    return graph


def circles(graph: Mapping[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: set[str] = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _describe(component: frozenset[str], graph: Mapping[str, set[str]]) -> str:
    arrows = [f"{a} -> {b}" for a in sorted(component) for b in sorted(graph[a] & component)]
    return "{" + "; ".join(arrows) + "}"


GRAPH = import_graph(PACKAGE)


def test_no_import_circles() -> None:
    new = [c for c in circles(GRAPH) if c not in ALLOWED_CIRCLES]
    assert not new, "import circles: " + ", ".join(_describe(c, GRAPH) for c in new)


def _label(circle: frozenset[str]) -> str:
    return " <-> ".join(sorted(circle))


_ALLOWED: list[frozenset[str]] = sorted(ALLOWED_CIRCLES, key=_label)


@pytest.mark.parametrize("allowed", _ALLOWED, ids=_label)
def test_allowed_circles_still_exist(allowed: frozenset[str]) -> None:
    assert allowed in circles(GRAPH), (
        f"the circle {_label(allowed)} is gone: remove it from ALLOWED_CIRCLES"
    )


def test_the_graph_sees_the_package() -> None:
    # A sanity check on the graph itself: known arrows of the code are in it.
    assert "freighthub.scoring.matrix" in GRAPH["freighthub.scoring.mcda"]
    assert "freighthub.optimize.solvers" in GRAPH["freighthub.optimize.lp"]
    assert len(GRAPH) > 100


def _write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_finder_sees_lazy_type_checking_and_relative_imports(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    _write(
        root,
        {
            "__init__.py": "from pkg.a import f\n",
            "a.py": "def f():\n    from pkg.b import g\n    return g\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
            "sub/__init__.py": "",
            "sub/c.py": "from . import d\n",
            "sub/d.py": "from ..sub.c import x\n",
            "e.py": "import pkg.a\nimport os\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.a"}
    assert graph["pkg.sub.c"] == {"pkg.sub.d"}
    assert graph["pkg.sub.d"] == {"pkg.sub.c"}
    assert graph["pkg.e"] == {"pkg.a"}
    assert sorted(circles(graph), key=_label) == [
        frozenset({"pkg.a", "pkg.b"}),
        frozenset({"pkg.sub.c", "pkg.sub.d"}),
    ]


def test_the_finder_finds_no_circle_in_a_tree(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    _write(root, {"__init__.py": "", "a.py": "from pkg import b\n", "b.py": "import math\n"})
    assert circles(import_graph(root)) == []
