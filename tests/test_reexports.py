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


def test_the_check_finds_an_alias_reexport(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text(
        "from pkg.home import Name as Name\n"
        "from pkg.home import Other as Renamed\n"
        "import numpy as np\n"
        "import os.path as path\n"
        "from .home import Third as Third\n"
    )
    assert alias_reexports(root) == [
        "pkg/a.py:1: from pkg.home import Name as Name",
        "pkg/a.py:5: from .home import Third as Third",
    ]
