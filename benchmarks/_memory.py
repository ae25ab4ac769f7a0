"""Peak memory of a benchmark process (shared by the benchmark scripts; not a benchmark)."""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["peak_rss_bytes", "reset_peak_rss", "rss_bytes"]


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
