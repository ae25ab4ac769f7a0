"""No ``from home import X as X`` re-exports in the package (issue #13).

The redundant alias marks a name as re-exported for type checkers, so callers can keep
importing a name from a module that is not its home. One home per concept: callers
import from the module that defines the name. (The package faces, ``__init__.py``
files with their lazy ``__all__`` tables, are the public API and do not use the alias.)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "freighthub"


def alias_reexports(root: Path) -> list[str]:
    """``path:line: statement`` for every ``import X as X`` or ``from m import X as X``
    under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for alias in node.names:
                if alias.asname == alias.name:
                    where = path.relative_to(root.parent).as_posix()
                    statement = (
                        f"from {'.' * node.level}{node.module or ''} import "
                        if isinstance(node, ast.ImportFrom)
                        else "import "
                    )
                    found.append(
                        f"{where}:{node.lineno}: {statement}{alias.name} as {alias.asname}"
                    )
    return found


def test_no_alias_reexports() -> None:
    found = alias_reexports(PACKAGE)
    assert not found, (
        "re-exports by redundant alias; import the name from its home module instead:\n"
        + "\n".join(f"  {line}" for line in found)
    )


def _package(tmp_path: Path, module_a: str) -> Path:
    """A package ``pkg`` with one module ``a.py`` holding ``module_a``."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text(module_a)
    return root


def test_the_check_finds_an_alias_reexport(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        "from pkg.home import Name as Name\n"
        "from pkg.home import Other as Renamed\n"
        "import numpy as np\n"
        "import os.path as path\n"
        "from .home import Third as Third\n",
    )
    assert alias_reexports(root) == [
        "pkg/a.py:1: from pkg.home import Name as Name",
        "pkg/a.py:5: from .home import Third as Third",
    ]


#: Modules whose ``__all__`` still lists names imported from another module (issue #13
#: left them); this set may only shrink: a module leaves it when its callers import the
#: names from their home.
_ALL_REEXPORTS_LEFT = frozenset(
    {
        "freighthub/assessment.py",
        "freighthub/model/factors.py",
        "freighthub/model/profile_ranges.py",
        "freighthub/model/standard.py",
        "freighthub/model/statistics.py",
        "freighthub/model/variant.py",
        "freighthub/observation.py",
        "freighthub/optimize/export.py",
        "freighthub/scoring/compliance.py",
        "freighthub/scoring/mcda.py",
        "freighthub/shift/compare.py",
        "freighthub/sim/engine.py",
        "freighthub/sim/experiment.py",
        "freighthub/sim/network.py",
        "freighthub/sim/pools.py",
        "freighthub/sim/summary.py",
    }
)


def all_reexports(root: Path) -> dict[str, list[str]]:
    """Per module under ``root`` (``__init__.py`` files, the package faces, left out):
    the names its ``__all__`` lists that it imports rather than defines."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imported: set[str] = set()
        listed: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                imported.update(a.asname or a.name for a in node.names)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
                node.value, ast.List | ast.Tuple
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                    listed = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
        names = [n for n in listed if n in imported]
        if names:
            found[path.relative_to(root.parent).as_posix()] = names
    return found


def test_no_new_all_reexports() -> None:
    found = all_reexports(PACKAGE)
    new = {path: names for path, names in found.items() if path not in _ALL_REEXPORTS_LEFT}
    assert not new, (
        "__all__ lists names imported from another module; import them from their home:\n"
        + "\n".join(f"  {path}: {', '.join(names)}" for path, names in new.items())
    )
    assert "freighthub/model/hub.py" not in found  # hub_sections is the sections' home


def test_the_check_finds_an_all_reexport(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        "from pkg.home import Name, Other\n"
        "__all__ = ['Name', 'Own']\n"
        "class Own: ...\n"
        "print(Other)\n",
    )
    (root / "__init__.py").write_text("from pkg.a import Own\n__all__ = ['Own']\n")
    assert all_reexports(root) == {"pkg/a.py": ["Name"]}
