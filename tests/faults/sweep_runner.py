"""Run a sweep whose tasks sleep (test helper): ``python sweep_runner.py EXECUTOR SWEEP OUT HUBS``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _slow_task import sleepy

from freighthub.sweep import run_sweep

if __name__ == "__main__":
    executor, sweep, out, hubs = sys.argv[1:5]
    run_sweep(
        sweep,
        executor="dask" if executor == "dask" else "local",
        workers=2,
        out=out,
        hubs_dir=hubs,
        task=sleepy,
    )
