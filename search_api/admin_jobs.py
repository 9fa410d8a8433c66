"""Admin jobs started over the API: a registry import, an audit or a crawl, each a `govwatch` child process.

The API opens the store read-only and answers in worker threads, while an
import, an audit or a crawl writes to the store for seconds to hours. So a
POST under /admin starts the very command an operator would type, in a
process of its own that outlives the request (and the API process):

    python -m search_api.admin_jobs HISTORY RUN_ID LOG -- registry import FILE
      └─ python -m govwatch registry import FILE          (output to LOG)

The run is a row of the job history (ops/history.py: jobs.db, which
`govwatch jobs` lists) under the job name "api-registry", "api-audit" or
"api-crawl". The API writes it as running; the runner finishes it with the
command's outcome, exit code and the tail of its output, so any API process
can answer GET /admin/jobs/{id}, also after a restart. Audits and crawls go
through `govwatch schedule --run-job`, which takes the run lock: one asked
for while the scheduler runs a job is recorded as skipped, not run twice.

A runner that dies without finishing its run (SIGKILL, a reboot) would leave
it running forever: the run records the runner's pid, and every read of the
jobs, and the API's start-up, marks failed the runs whose process is gone,
the scheduler's too (ops.liveness.fail_dead). The command dies with its
runner (Linux: PR_SET_PDEATHSIG), so a run marked failed has nothing left
writing under it.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from core.config import Settings
from ops.history import JobHistory, Run, history_path
from ops.liveness import RUNNER, fail_dead
from ops.schedule import china_now

KINDS = {"registry": "api-registry", "audit": "api-audit", "crawl": "api-crawl"}
COMMANDS = {"audit": ["schedule", "--run-job", "audit"], "crawl": ["schedule", "--run-job", "crawl"]}
OUTPUT_TAIL = 4000  # characters of a job's output kept in the history and shown by the status route
RUN_JOB_LINE = re.compile(r"^(?:crawl|audit): (ok|failed|interrupted|skipped)$")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def jobs_dir(settings: Settings) -> Path:
    """Where the API keeps its jobs' output and uploaded registry files: api-jobs/ beside the data."""
    path = Path(settings.store.sqlite_path).parent / "api-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(settings: Settings, data: bytes) -> Path:
    """An uploaded registry file, kept under a random name (the importer reads CSV or XLSX by content)."""
    suffix = ".xlsx" if data.startswith(b"PK\x03\x04") else ".csv"
    path = jobs_dir(settings) / f"registry-{china_now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}{suffix}"
    path.write_bytes(data)
    return path


def launch(argv: list[str]) -> int:
    """Start the runner detached from the request (its own session: a Ctrl-C of the API does not reach it);
    its pid."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    threading.Thread(target=proc.wait, name="admin-job-reaper", daemon=True).start()  # no zombie left behind
    return proc.pid


def start(settings: Settings, kind: str, args: list[str], requested_by: str) -> int:
    """Record a running `kind` job, start its runner, and return the run id."""
    history = JobHistory(history_path(settings))
    try:
        run_id = history.start(KINDS[kind], None, china_now())
        log = jobs_dir(settings) / f"{run_id}.log"
        try:
            log.write_text(f"requested by {requested_by}: govwatch {' '.join(args)}\n", encoding="utf-8")
            history.set_pid(run_id, launch([sys.executable, "-m", RUNNER.decode(), str(history_path(settings)),
                                            str(run_id), str(log), "--", *args]))
        except OSError as exc:  # not started (no disk space, no processes left): the run must not stay "running"
            history.finish(run_id, "failed", china_now(), message=f"could not start: {exc}")
    finally:
        history.close()
    return run_id


def status(settings: Settings, run_id: int) -> tuple[Run, str] | None:
    """The run with this id and its output so far (its log's tail), or None when there is no such run."""
    history = JobHistory(history_path(settings))
    try:
        fail_dead(history, china_now())
        run = history.run(run_id)
    finally:
        history.close()
    if run is None:
        return None
    return run, tail(jobs_dir(settings) / f"{run_id}.log")


def recent(settings: Settings, limit: int) -> list[Run]:
    """The newest `limit` runs of any job, the scheduler's too."""
    history = JobHistory(history_path(settings))
    try:
        fail_dead(history, china_now())
        return history.runs(limit)
    finally:
        history.close()


def fail_dead_at_start(settings: Settings) -> list[int]:
    """At the API's start-up: fail_dead over the job history, when there is one (none is not made)."""
    path = history_path(settings)
    if not path.is_file():
        return []
    history = JobHistory(path)
    try:
        return fail_dead(history, china_now())
    finally:
        history.close()


def tail(path: Path, size: int = OUTPUT_TAIL) -> str:
    """The last `size` characters of a log file, or "" when there is none."""
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            f.seek(max(f.tell() - 4 * size, 0))
            return f.read().decode("utf-8", "replace")[-size:]
    except OSError:
        return ""


def outcome_of(code: int, output: str) -> str:
    """ok / failed from the exit code; `schedule --run-job` also prints skipped or interrupted last."""
    lines = output.strip().splitlines()
    found = RUN_JOB_LINE.match(lines[-1]) if lines else None
    if found:
        return found.group(1)
    return "ok" if code == 0 else "failed"


def run(history_file: str, run_id: int, log: Path, args: list[str]) -> int:
    """The runner: the govwatch command with its output in `log`, then the run finished in the history."""
    with log.open("ab") as out:
        child = subprocess.Popen([sys.executable, "-m", "govwatch", *args], stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=subprocess.STDOUT, preexec_fn=_stopped_with(os.getpid()))
        # stopping the runner stops the command the way the scheduler does: it finishes the item in hand
        signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
        code = child.wait()
    output = tail(log)
    counts: dict[str, Any] = {"exit_code": code, "command": ["govwatch", *args]}
    history = JobHistory(history_file)
    try:
        history.finish(run_id, outcome_of(code, output), china_now(), counts, output[-OUTPUT_TAIL:])
    finally:
        history.close()
    return code


def _stopped_with(runner: int) -> Any:
    """For the command's process (Linux): SIGTERM when its runner dies, as a stop would; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None

    def before_exec() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != runner:  # the runner died before that: stop now
            os.kill(os.getpid(), signal.SIGTERM)

    return before_exec


def main(argv: list[str]) -> int:
    """`python -m search_api.admin_jobs HISTORY RUN_ID LOG -- ARGS...` (started by `start`, not by hand)."""
    if len(argv) < 5 or argv[3] != "--":
        print("usage: python -m search_api.admin_jobs HISTORY RUN_ID LOG -- GOVWATCH_ARGS...", file=sys.stderr)
        return 2
    return run(argv[0], int(argv[1]), Path(argv[2]), argv[4:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
