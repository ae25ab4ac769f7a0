"""Equipment pools of the reference engine's terminal model, written plainly in SimPy.

The simulation clock is in hours [h].

A :class:`UnitPool` is a list of units and a waiting list of jobs, nothing more. The
rules are those of ``docs/terminal-operations.md`` (section *Discipline* and
*Availability*), implemented the textbook way so that the reference
(:mod:`freighthub.sim.reference_terminal`) stays an independent check of the fast
engine's recursions:

- a job joins the waiting list when it reaches the pool;
- whenever a unit is free and available, the pool *dispatches*: ``fifo`` takes the
  head of the waiting list, ``service_first`` / ``truck_first`` the first waiting job
  of the highest class; the job goes to the lowest-index unit that is free and
  available at that instant. This is the rule "the head starts on the unit that can
  start it earliest, lowest index at a tie" read forward in time;
- dispatching happens after every other event of the same instant (a SimPy event of
  a priority below ``NORMAL``), so jobs that reach the pool at the instant a unit
  becomes free or available are waiting at that instant;
- a unit is unavailable inside its down intervals ``[start, end)`` (off duty or
  broken down); a move in progress when the unit goes down is suspended and resumes
  on the same unit, so its end is its start plus its work counted in available time.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable

import numpy as np
import simpy
from simpy.events import EventPriority

from freighthub.sim.terminal import CLASS_SERVICE, CLASS_TRUCK

__all__ = ["Job", "UnitCalendar", "UnitPool", "after_instant"]

FloatArray = np.typing.NDArray[np.float64]

#: Below SimPy's ``NORMAL`` (1): runs after every other event of the same instant.
_LATE = EventPriority(2)


def after_instant(env: simpy.Environment, delay_h: float, callback: Callable[[], None]) -> None:
    """Call ``callback`` ``delay_h`` from now, after every other event of that instant."""
    event = simpy.Event(env)
    event._ok = True
    event._value = None
    event.callbacks.append(lambda _: callback())
    env.schedule(event, _LATE, delay_h)


class UnitCalendar:
    """When one unit is available: outside its sorted, disjoint down intervals."""

    def __init__(self, down_start_h: FloatArray, down_end_h: FloatArray) -> None:
        self.start = [float(x) for x in down_start_h]
        self.end = [float(x) for x in down_end_h]

    def next_available_h(self, t: float) -> float:
        """The first instant at or after ``t`` at which the unit is available [h]."""
        idx = bisect.bisect_right(self.end, t)  # the first interval not over by t
        while idx < len(self.start) and self.start[idx] <= t:
            t = self.end[idx]  # inside [start, end): wait for its end
            idx += 1
        return t

    def finish_h(self, start_h: float, work_h: float) -> float:
        """End of ``work_h`` of work started at the available instant ``start_h`` [h]."""
        t, left = start_h, work_h
        idx = bisect.bisect_right(self.end, t)
        while idx < len(self.start) and t + left > self.start[idx]:
            left -= self.start[idx] - t  # worked until the unit went down ...
            t = self.end[idx]  # ... and resumes when it is back
            idx += 1
        return t + left


class Job:
    """One move in a pool: who, which kind and class, and when it arrived, started, ended."""

    __slots__ = (
        "arrival_h",
        "box",
        "done",
        "end_h",
        "job_class",
        "kind",
        "pool",
        "start_h",
        "work_h",
    )

    def __init__(
        self, env: simpy.Environment, pool: int, kind: int, job_class: int, box: int, work_h: float
    ) -> None:
        self.pool = pool
        self.kind = kind
        self.job_class = job_class
        self.box = box
        self.work_h = work_h
        self.arrival_h = env.now
        self.start_h = math.nan
        self.end_h = math.nan
        self.done = env.event()  # succeeds at the end of the move


class UnitPool:
    """A pool of units with a waiting list (see the module docstring).

    Parameters
    ----------
    env
        The SimPy environment.
    index
        The pool's index in :class:`~freighthub.sim.terminal.TerminalRecords`.
    calendars
        One per unit (``None`` for a unit that is always available).
    priority
        Discipline code (:data:`~freighthub.sim.terminal.PRIORITIES`).
    jobs
        Every job that reaches the pool is appended here (the records).
    """

    def __init__(
        self,
        env: simpy.Environment,
        index: int,
        calendars: list[UnitCalendar | None],
        priority: int,
        jobs: list[Job],
    ) -> None:
        self.env = env
        self.index = index
        self.calendars = calendars
        self.busy = [False] * len(calendars)
        self.waiting: list[Job] = []
        self.first_class = {1: CLASS_SERVICE, 2: CLASS_TRUCK}.get(priority)
        self.jobs = jobs
        self.dispatch_due = False
        self.wake_h = math.inf

    def request(self, kind: int, job_class: int, box: int, work_h: float) -> Job:
        """A job reaches the pool now; ``job.done`` succeeds when its move ends."""
        job = Job(self.env, self.index, kind, job_class, box, work_h)
        self.jobs.append(job)
        self.waiting.append(job)
        self.dispatch_soon()
        return job

    def dispatch_soon(self) -> None:
        if not self.dispatch_due:
            self.dispatch_due = True
            after_instant(self.env, 0.0, self.dispatch)

    def available(self, unit: int, t: float) -> bool:
        calendar = self.calendars[unit]
        return calendar is None or calendar.next_available_h(t) == t

    def pick(self) -> Job:
        """The next job: the head (fifo) or the first of the highest class."""
        if self.first_class is not None:
            for job in self.waiting:
                if job.job_class == self.first_class:
                    self.waiting.remove(job)
                    return job
        return self.waiting.pop(0)

    def dispatch(self) -> None:
        """Give waiting jobs to units free and available now, lowest index first."""
        self.dispatch_due = False
        now = self.env.now
        free = [u for u in range(len(self.busy)) if not self.busy[u] and self.available(u, now)]
        for unit in free:
            if not self.waiting:
                return
            self.start(self.pick(), unit, now)
        if not self.waiting:
            return
        # Jobs wait; a busy unit dispatches when it ends, an idle one when it comes back.
        idle = [u for u in range(len(self.busy)) if not self.busy[u]]
        back_h = min(
            (c.next_available_h(now) for u in idle if (c := self.calendars[u]) is not None),
            default=math.inf,
        )
        if back_h < self.wake_h:
            self.wake_h = back_h
            after_instant(self.env, back_h - now, self.wake)

    def wake(self) -> None:
        self.wake_h = math.inf
        self.dispatch()

    def start(self, job: Job, unit: int, now: float) -> None:
        calendar = self.calendars[unit]
        end = now + job.work_h if calendar is None else calendar.finish_h(now, job.work_h)
        job.start_h = now
        job.end_h = end
        self.busy[unit] = True

        def finished(_: simpy.Event) -> None:
            self.busy[unit] = False
            job.done.succeed()
            self.dispatch_soon()

        self.env.timeout(end - now).callbacks.append(finished)
