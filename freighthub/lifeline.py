"""Worker processes that end with the main process, even when it is killed.

A process pool's workers are not told when the main process dies without clean-up
(SIGKILL, the OOM killer): they wait for work forever. :func:`exit_with`, run in
each worker (a pool initializer, a Dask worker plugin), ends the worker when the
main process ends.
"""

from __future__ import annotations

import os
import select
import threading
import time

__all__ = ["exit_with"]

#: How often a worker checks the main process where it cannot wait on it [s].
_WATCH_POLL_S = 0.5


def _watch(pid: int) -> None:
    """Wait until process ``pid`` has ended, then end this process at once."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux >= 5.3: poll
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass
            time.sleep(_WATCH_POLL_S)
    select.select([pidfd], [], [])  # readable when the process has ended
    os._exit(1)


def exit_with(pid: int) -> None:
    """End this (worker) process when process ``pid`` (the main process) ends.

    A daemon thread waits on the process (a pid file descriptor on Linux, else a
    poll every half second) and calls ``os._exit`` when it has ended. Workers are
    not always children of the main process (a forkserver starts the sweep's), so
    neither ``os.getppid`` nor ``PR_SET_PDEATHSIG`` would always see its end.
    """
    if pid == os.getpid():
        return
    threading.Thread(target=_watch, args=(pid,), name="freighthub-exit-with", daemon=True).start()
