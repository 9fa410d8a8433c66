"""Admin jobs whose runner died (SIGKILL, a restart of the machine) are failed with the reason, not left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import get_settings
from ops.history import JobHistory, Run
from ops.schedule import china_now
from search_api import admin_jobs
from search_api import app as app_module

Clients = Callable[[str | None], TestClient]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")


def run_of(data: Path, run_id: int) -> Run:
    history = JobHistory(data / "jobs.db")
    try:
        found = history.run(run_id)
    finally:
        history.close()
    assert found is not None
    return found


def state(pid: int) -> str | None:
    """The process's state letter (Z: a zombie), None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # not a process, or it just ended
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_for(check: Callable[[], object], timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def started_here(tmp_path: Path) -> list[int]:
    """This test's runners (children of this process working in tmp_path) and their commands."""
    runners = [pid for pid in children(os.getpid()) if str(tmp_path).encode() in cmdline(pid)]
    return runners + [pid for runner in runners for pid in children(runner)]


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_job_whose_runner_is_killed_is_failed_with_the_reason_and_its_command_stops(
    filled: Path, client_for: Clients, tmp_path: Path
) -> None:
    fifo = tmp_path / "blocked.csv"
    os.mkfifo(fifo)  # the import waits for a writer that never comes: a job that stays running
    run_id = admin_jobs.start(get_settings(), "registry", ["registry", "import", str(fifo)], "test-admin")
    seen: list[int] = []  # to stop in the end whatever happened
    try:
        seen += wait_for(lambda: len(found := started_here(tmp_path)) == 2 and found) or []
        [runner, *command] = seen or [0]
        assert command, "the runner started no command"
        client = client_for("admin")
        assert client.get(f"/admin/jobs/{run_id}").json()["outcome"] == "running"  # alive: left alone
        os.kill(runner, signal.SIGKILL)
        job = wait_for(lambda: (j := client.get(f"/admin/jobs/{run_id}").json())["outcome"] != "running" and j)
        assert isinstance(job, dict), "the killed job stayed running"
        assert job["outcome"] == "failed" and f"its process (pid {runner}) is gone" in job["message"]
        assert job["ended_at"] is not None and "requested by test-admin" in job["output"]
        assert wait_for(lambda: state(command[0]) in (None, "Z"), 10), "the command outlived its runner"
    finally:
        for pid in {*seen, *started_here(tmp_path)}:
            if state(pid) not in (None, "Z"):
                os.kill(pid, signal.SIGKILL)


def test_runs_left_running_by_a_runner_that_is_gone_are_failed_at_api_start_up(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    gone = int(ended.stdout)  # a pid no process has any more (its process was reaped)
    history = JobHistory(filled / "jobs.db")
    earlier = china_now() - timedelta(hours=1)
    dead = history.start("api-audit", None, earlier)
    history.set_pid(dead, gone)
    scheduled = history.start("audit", None, earlier)  # the scheduler's own run: not the API's to judge
    history.set_pid(scheduled, gone)
    starting = history.start("api-crawl", None, china_now())  # this process is launching its runner
    history.close()
    monkeypatch.setattr(app_module, "warm_up", lambda: None)  # only the start-up check, no cache building
    with TestClient(app_module.app, base_url="http://127.0.0.1"):
        assert run_of(filled, dead).outcome == "failed"
    assert f"pid {gone}" in run_of(filled, dead).message
    assert run_of(filled, scheduled).outcome == "running" and run_of(filled, starting).outcome == "running"


def test_a_run_finished_meanwhile_keeps_its_outcome(filled: Path) -> None:
    history = JobHistory(filled / "jobs.db")
    try:
        run_id = history.start("api-registry", None, china_now())
        history.finish(run_id, "ok", china_now())
        assert not history.abandon(run_id, china_now(), "gone")
        assert history.run(run_id).outcome == "ok"  # type: ignore[union-attr]
    finally:
        history.close()
