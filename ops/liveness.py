"""Runs left `running` in the job history by a process that is gone (SIGKILL, a restart of the machine).

A run that ends normally, or by SIGTERM, records its outcome. One whose
process is killed outright cannot, and would show `running` forever. So
every read of the jobs (`govwatch jobs`, the API's job routes and its
start-up) first marks such runs failed, with the reason (`fail_dead`):

- a scheduler's run (`govwatch schedule`, `schedule --run-job`, cron) is
  run by the process that recorded it, whose pid the run keeps: it is gone
  when no process has that pid, when that process is a zombie, or when the
  process holding the pid started after the run did (the pid was reused);
- an admin job started over the API (`api-…`) is run by its runner,
  ``python -m search_api.admin_jobs HISTORY RUN_ID LOG -- …``, which is
  looked for by its command line: at the recorded pid first, then among
  all processes. Runs started before the runner's pid was recorded keep
  the pid of the API process that started them, which an API restart ends
  while the runner goes on: the search finds their runner all the same.
  In the first STARTING after the start the runner may not exist yet.

A run recorded in another pid namespace or boot (the scheduler's container
beside the API's, sharing the history) is not judged here: its pid names
another process or none. Where there is no /proc (not Linux) only the pid's
existence is checked.
Errors lean one way: a live run marked failed by mistake (say the wall clock
was stepped forward by more than CLOCK_SLACK during the run) gets its real
outcome when it ends, as `finish` overwrites; a dead run left `running`
would stay so.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from core.dates import CHINA_TZ
from ops.history import JobHistory, Run, pid_space

RUNNER = b"search_api.admin_jobs"  # the module an admin job's runner runs (search_api/admin_jobs.py)
STARTING = timedelta(seconds=60)  # an admin job's runner is started within this of its run
CLOCK_SLACK = timedelta(seconds=2)  # runs are timed to the second, process starts from the boot time's second
PROC = Path("/proc")


def fail_dead(history: JobHistory, now: datetime) -> list[int]:
    """Mark failed the runs left running by a process that is gone; their ids."""
    dead = []
    here = pid_space()
    for run in history.running():
        if run.pid and run.host in (None, here) and is_gone(run, history.path, now):
            message = (f"no outcome recorded: its process (pid {run.pid}) is gone, killed or stopped by a "
                       "restart of the machine while the job ran")
            if history.abandon(run.id, now, message):
                dead.append(run.id)
    return dead


def is_gone(run: Run, history_file: Path, now: datetime) -> bool:
    """Has the process of `run` (which has a pid) ended without recording the outcome?"""
    assert run.pid is not None
    if not run.job.startswith("api-"):
        return not process_alive(run.pid, run.started_at)
    if not (PROC / "self" / "cmdline").is_file():
        return not process_exists(run.pid)
    if is_runner(run.pid, history_file, run.id) or any(
            is_runner(pid, history_file, run.id) for pid in _pids()):
        return False
    # no runner: gone, unless it is still being launched by the live process that recorded the run
    return now - run.started_at > STARTING or not process_exists(run.pid)


def is_runner(pid: int, history_file: Path, run_id: int) -> bool:
    """Is `pid` the admin-job runner of run `run_id` of the history in `history_file`? (Linux: /proc)"""
    try:
        args = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
        at = args.index(RUNNER) if RUNNER in args else -1
        if at < 0 or args[at + 2:at + 3] != [str(run_id).encode()]:
            return False  # another program (a reused pid), another run, or a zombie (no command line)
        named = Path(os.fsdecode(args[at + 1]))
        if not named.is_absolute():  # relative to the runner's working directory
            named = Path(os.readlink(PROC / str(pid) / "cwd")) / named
        return os.path.samefile(named, history_file)  # the same run id in another store's history is not it
    except (OSError, IndexError):  # no such process (any more), or not ours to read
        return False


def process_alive(pid: int, since: datetime) -> bool:
    """Is the process that has had `pid` since `since` (China time) still running?"""
    started = process_started(pid)
    if started is None:  # no /proc: the pid's existence is all there is to go on
        return not PROC.joinpath("self", "stat").is_file() and process_exists(pid)
    return started <= since + CLOCK_SLACK  # else the pid was given to a later process


def process_started(pid: int) -> datetime | None:
    """When the live, non-zombie process `pid` started (China time, naive); None if there is none or no /proc."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        boot = next(int(line.split()[1]) for line in (PROC / "stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, IndexError, StopIteration, ValueError):
        return None
    if fields[0] in ("Z", "X"):  # a zombie, or dead: it runs nothing any more
        return None
    epoch = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of stat: clock ticks after boot
    return datetime.fromtimestamp(epoch, CHINA_TZ).replace(tzinfo=None)


def process_exists(pid: int) -> bool:
    """Does a process with this pid exist (any user's)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]
