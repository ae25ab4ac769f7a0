"""A sweep task that announces itself and then runs for a long time (importable by workers)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from freighthub.sweep.plan import CellInput


def sleepy(cell: CellInput, seed: int) -> dict[str, float]:
    """Write ``<FH_TEST_STARTED_DIR>/<pid>`` and sleep for two minutes."""
    Path(os.environ["FH_TEST_STARTED_DIR"], str(os.getpid())).write_text(str(os.getppid()))
    time.sleep(120)
    return {"x": float(seed)}
