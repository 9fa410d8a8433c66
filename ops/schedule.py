"""Which jobs are due: cron expressions in China time, and the catch-up policy after downtime.

    [schedule]
    catch_up_hours = 6                  # default 6
    [schedule.jobs]                     # defaults below; a job set to "" is off
    crawl = "0 1 * * *"
    linkcheck = "30 3 * * *"
    audit = "0 4 * * *"
    report = "0 6 * * *"

Catch-up policy: when the scheduler (re)starts or wakes up late, each job
whose most recent scheduled time has no run yet is run once, now, if that
time is at most `catch_up_hours` ago; otherwise that time is recorded as
"missed" and the job waits for its next time. Several missed times of one
job are coalesced into that single run (a crawl does not run five times
after five days of downtime). A job that has never run waits for its first
scheduled time. Due jobs run one after another in the order above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from croniter import croniter

from core.config import Settings, section
from core.dates import CHINA_TZ, china_time
from core.errors import ConfigError
from ops.history import JobHistory

JOBS = ("crawl", "linkcheck", "audit", "report")
DEFAULT_JOBS = {"crawl": "0 1 * * *", "linkcheck": "30 3 * * *", "audit": "0 4 * * *", "report": "0 6 * * *"}
DEFAULT_CATCH_UP_HOURS = 6.0


@dataclass(frozen=True)
class Due:
    job: str
    scheduled_for: datetime  # naive China time, like every datetime the store keeps
    action: str  # run | missed


@dataclass(frozen=True)
class Schedule:
    jobs: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_JOBS))
    catch_up: timedelta = timedelta(hours=DEFAULT_CATCH_UP_HOURS)
    spiders: tuple[str, ...] = ()  # crawl job's spiders (default: crawl's default list)

    @classmethod
    def from_settings(cls, settings: Settings) -> Schedule:
        raw = section(settings, "schedule", ("jobs", "catch_up_hours", "spiders"))
        jobs = {**DEFAULT_JOBS, **raw.get("jobs", {})}
        for name, expr in jobs.items():
            if name not in JOBS:
                raise ConfigError(f"[schedule.jobs] {name}: unknown job; known: {', '.join(JOBS)}")
            if expr and not croniter.is_valid(expr):
                raise ConfigError(f"[schedule.jobs] {name}: {expr!r} is not a cron expression")
        hours = raw.get("catch_up_hours", DEFAULT_CATCH_UP_HOURS)
        if not isinstance(hours, int | float) or hours < 0:
            raise ConfigError(f"[schedule] catch_up_hours must be a number ≥ 0, not {hours!r}")
        return cls({k: v for k, v in jobs.items() if v}, timedelta(hours=hours), tuple(raw.get("spiders", ())))

    def previous_time(self, job: str, now: datetime) -> datetime:
        """The latest scheduled time of `job` at or before `now` (naive China time)."""
        it = croniter(self.jobs[job], _aware(now) + timedelta(seconds=1))
        return china_time(it.get_prev(datetime))

    def next_time(self, now: datetime) -> datetime:
        """When the next job is due after `now`."""
        return min(china_time(croniter(expr, _aware(now)).get_next(datetime)) for expr in self.jobs.values())

    def due(self, now: datetime, history: JobHistory) -> list[Due]:
        """The jobs to run now or to record as missed, in job order (see the catch-up policy above)."""
        out = []
        for job in JOBS:
            if job not in self.jobs or not history.has_run(job):
                continue  # a new job waits for its first time (see first_runs)
            slot = self.previous_time(job, now)
            done = history.last_scheduled(job)
            if done is not None and done >= slot:
                continue
            out.append(Due(job, slot, "run" if now - slot <= self.catch_up else "missed"))
        return out

    def first_runs(self, now: datetime, history: JobHistory, since: datetime) -> list[Due]:
        """Jobs that never ran and whose first scheduled time since the scheduler started has come."""
        return [Due(job, slot, "run") for job in JOBS if job in self.jobs and not history.has_run(job)
                and since < (slot := self.previous_time(job, now)) <= now]


def _aware(naive: datetime) -> datetime:
    return naive.replace(tzinfo=CHINA_TZ)


def china_now() -> datetime:
    """Now in China time, naive (the store's convention), whatever the machine's time zone."""
    return datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0)
