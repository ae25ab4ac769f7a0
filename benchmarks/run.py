"""Run every benchmark in this folder (``make bench``).

Each ``benchmarks/*.py`` script other than this one (and other than files starting
with ``_``) runs in its own fresh interpreter, one after the other, so that one
benchmark's memory and caches do not distort the next. Pass script names (without
``.py``) to run only those. Exit code 1 if any benchmark fails.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    """The benchmark scripts, in name order."""
    return sorted(
        p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    )


def main(argv: list[str] | None = None) -> int:
    wanted = set(sys.argv[1:] if argv is None else argv)
    scripts = [p for p in discover() if not wanted or p.stem in wanted]
    unknown = wanted - {p.stem for p in discover()}
    if unknown:
        names = ", ".join(p.stem for p in discover())
        print(f"unknown benchmark(s) {sorted(unknown)}; valid: {names}", file=sys.stderr)
        return 2
    failed: list[str] = []
    for script in scripts:
        print(f"=== {script.stem} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        elapsed = time.perf_counter() - start
        status = "ok" if code == 0 else f"FAILED (exit code {code})"
        print(f"=== {script.stem}: {status}, {elapsed:.1f} s ===\n", flush=True)
        if code != 0:
            failed.append(script.stem)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
