"""Run the freighthub CLI with a kill at the Nth rename (test helper, not production code).

Usage: ``python kill_runner.py KILL_AT COUNT_FILE [--no-exchange] -- CLI ARGS...``

Every ``os.replace``, ``os.rename``, ``shutil.rmtree`` and
:func:`freighthub.atomic._exchange` call of this process is a step; the ``KILL_AT``-th (1-based; 0 = never) ends the process
with ``os._exit(9)`` before it happens, as a SIGKILL would: no ``finally``, no
clean-up. The number of steps made is written to ``COUNT_FILE`` at a normal exit.
``--no-exchange`` makes the folder swap take the two-rename path.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    kill_at = int(sys.argv[1])
    count_file = Path(sys.argv[2])
    rest = sys.argv[3:]
    no_exchange = "--no-exchange" in rest[: rest.index("--")]
    cli_args = rest[rest.index("--") + 1 :]
    calls = [0]

    def counted(fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == kill_at:
                os._exit(9)
            return fn(*args, **kwargs)

        return wrapper

    import freighthub.atomic as atomic

    os.replace = counted(os.replace)
    os.rename = counted(os.rename)
    shutil.rmtree = counted(shutil.rmtree)
    atomic._exchange = counted((lambda a, b: False) if no_exchange else atomic._exchange)
    atexit.register(lambda: count_file.write_text(str(calls[0])))

    from freighthub.cli import main as cli_main

    cli_main(cli_args)


if __name__ == "__main__":
    main()
