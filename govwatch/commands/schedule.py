"""Run the jobs (crawl, linkcheck, audit, report) on their cron times, China time: `schedule [--once] [--run-job J]`.

Cron times and the catch-up policy come from [schedule] (see ops.schedule).
Each due job runs in a child process under the run lock, so a crash in one
cannot wedge the scheduler and two runs never overlap, even with a cron line
or a second scheduler on the same data. SIGTERM (systemd stop) is passed to
the running job, which finishes the item in hand; then the scheduler exits 0.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import threading
from datetime import datetime
from typing import Any

from core.config import Settings
from govwatch.commands import settings_from
from govwatch.jobs import JOBS, run_job, state_paths
from ops.history import JobHistory
from ops.schedule import Due, Schedule, china_now

log = logging.getLogger(__name__)
MAX_SLEEP = 300.0  # wake up now and then: a changed clock or a suspended machine is noticed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="run every configured job now, in order, and exit")
    parser.add_argument("--run-job", choices=sorted(JOBS), metavar="JOB",
                        help="run one job now under the lock and exit (for cron / systemd timers)")
    parser.add_argument("--scheduled-for", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.run_job:
        scheduled = datetime.fromisoformat(args.scheduled_for) if args.scheduled_for else None
        outcome = run_job(args.run_job, settings, args.config, scheduled)
        print(f"{args.run_job}: {outcome}", flush=True)
        return 0 if outcome in ("ok", "skipped", "interrupted") else 1
    return Scheduler(Schedule.from_settings(settings), settings, args.config).run(once=args.once)


class Scheduler:
    """The long-running loop: wait for the next cron time, run what is due, one child at a time."""

    def __init__(self, schedule: Schedule, settings: Settings, config: str | None):
        self.schedule, self.settings, self.config = schedule, settings, config
        self.stop = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.stop.set()
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)  # the job finishes its current item, then exits

    def run(self, once: bool = False) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        history = JobHistory(state_paths(self.settings)[1])
        started = china_now()
        try:
            if once:
                for job in self.schedule.jobs:
                    if not self.stop.is_set():
                        self._spawn(Due(job, started, "run"))
                return 0
            while not self.stop.is_set():
                self.run_due(history, started)
                wait = (self.schedule.next_time(china_now()) - china_now()).total_seconds()
                print(f"next job at {self.schedule.next_time(china_now()):%Y-%m-%d %H:%M} (China time)", flush=True)
                self.stop.wait(min(MAX_SLEEP, max(1.0, wait)))
        finally:
            history.close()
        print("scheduler stopped", flush=True)
        return 0

    def run_due(self, history: JobHistory, started: datetime) -> list[Due]:
        """Run (or record as missed) what is due now; the list handled."""
        now = china_now()
        due = self.schedule.due(now, history) + self.schedule.first_runs(now, history, started)
        for item in due:
            if self.stop.is_set():
                break
            if item.action == "missed":
                history.record(item.job, item.scheduled_for, now, "missed",
                               f"not run: more than {self.schedule.catch_up} late (catch-up policy)")
                log.warning("%s of %s missed (scheduler was down)", item.job, item.scheduled_for)
            else:
                self._spawn(item)
        return due

    def _spawn(self, item: Due) -> int:
        cmd = [sys.executable, "-m", "govwatch", *(["--config", self.config] if self.config else []),
               "schedule", "--run-job", item.job, "--scheduled-for", item.scheduled_for.isoformat(sep=" ")]
        print(f"{china_now():%Y-%m-%d %H:%M:%S} {item.job} (scheduled {item.scheduled_for:%Y-%m-%d %H:%M}) …",
              flush=True)
        self.child = subprocess.Popen(cmd)
        code = self.child.wait()
        self.child = None
        return code
