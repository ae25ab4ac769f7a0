"""Peak memory of a benchmark process (shared by the benchmark scripts; not a benchmark)."""

from __future__ import annotations

import functools
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Phase", "peak_rss_bytes", "phase_peaks", "reset_peak_rss", "rss_bytes"]


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS counter of this process (Linux); False if unavailable."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_bytes() -> int:
    """Peak resident set size of this process [bytes] (since the last reset on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def rss_bytes() -> int:
    """Resident set size of this process now [bytes] (Linux; 0 if unavailable)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


#: One traced call: (nesting depth, label, RSS at the call, peak RSS during it, RSS after
#: it [bytes], wall time [s]).
Phase = tuple[int, str, int, int, int, float]


@contextmanager
def phase_peaks(targets: list[tuple[Any, str]]) -> Iterator[list[Phase]]:
    """Trace the resident memory of calls of ``targets`` ((owner, attribute name) pairs:
    a module's function or a class's method) while the block runs.

    Each call resets the peak counter when it starts (Linux), so a call's peak is the
    peak since its start; a caller's peak then misses what came before its callee, so
    read the table top-down. The attributes are restored at the end.
    """
    log: list[Phase] = []
    depth = [0]
    saved = [(owner, name, getattr(owner, name)) for owner, name in targets]

    def wrap(f: Callable[..., Any], label: str) -> Callable[..., Any]:
        @functools.wraps(f)
        def traced(*args: Any, **kwargs: Any) -> Any:
            before = rss_bytes()
            reset_peak_rss()
            depth[0] += 1
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                depth[0] -= 1
                log.append(
                    (
                        depth[0],
                        label,
                        before,
                        peak_rss_bytes(),
                        rss_bytes(),
                        time.perf_counter() - start,
                    )
                )

        return traced

    for owner, name, f in saved:
        label = f"{getattr(owner, '__name__', owner)}.{name}".rsplit(".", 2)[-2:]
        setattr(owner, name, wrap(f, ".".join(label)))
    try:
        yield log
    finally:
        for owner, name, f in saved:
            setattr(owner, name, f)
