"""No module of the package is over 500 lines (issue #13).

A module that grows past the limit is split by concept (one home per concept, callers
import from the new home), not trimmed by squeezing lines. The count is the file's
lines as ``wc -l`` counts them, docstrings and comments included: they are part of
what a reader has to hold in mind.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "freighthub"

#: The most lines a module may have.
MAX_LINES = 500


def line_count(path: Path) -> int:
    """Lines of a file as ``wc -l`` counts them (a last line without newline counts too)."""
    return len(path.read_text(encoding="utf-8").splitlines())


def oversized(root: Path, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """``(path relative to root's parent, lines)`` of every ``.py`` file under ``root``
    with more than ``limit`` lines, longest first."""
    found = [
        (path.relative_to(root.parent).as_posix(), n)
        for path in sorted(root.rglob("*.py"))
        if (n := line_count(path)) > limit
    ]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def test_no_module_over_the_limit() -> None:
    offenders = oversized(PACKAGE)
    assert not offenders, (
        f"{len(offenders)} module(s) over {MAX_LINES} lines; split each by concept "
        "(see docs/architecture.md):\n"
        + "\n".join(f"  {path}: {n} lines (+{n - MAX_LINES})" for path, n in offenders)
    )


def test_the_check_sees_every_module() -> None:
    # The walk reaches the sub-packages: guards against a root that silently matches nothing.
    modules = list(PACKAGE.rglob("*.py"))
    assert PACKAGE / "sim" / "compiler.py" in modules
    assert PACKAGE / "report" / "sections" / "validation.py" in modules
    assert len(modules) > 100


def test_the_check_finds_a_module_one_line_over(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "at_limit.py").write_text("x = 1\n" * MAX_LINES)
    (root / "sub" / "over.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (root / "no_final_newline.py").write_text("x = 1\n" * MAX_LINES + "y = 2")
    assert oversized(root) == [("pkg/no_final_newline.py", 501), ("pkg/sub/over.py", 501)]
