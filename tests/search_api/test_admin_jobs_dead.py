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
from ops.liveness import fail_dead
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


def wait_for(check: Callable[[], object], timeout: float = 120) -> object:
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
        assert wait_for(lambda: state(command[0]) in (None, "Z"), 60), "the command outlived its runner"
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
    scheduled = history.start("audit", None, earlier)  # the scheduler's own run, its process gone too
    history.set_pid(scheduled, gone)
    starting = history.start("api-crawl", None, china_now())  # this process is launching its runner
    history.close()
    monkeypatch.setattr(app_module, "warm_up", lambda: None)  # only the start-up check, no cache building
    with TestClient(app_module.app, base_url="http://127.0.0.1"):
        assert run_of(filled, dead).outcome == "failed"
    assert f"pid {gone}" in run_of(filled, dead).message
    assert run_of(filled, scheduled).outcome == "failed" and run_of(filled, starting).outcome == "running"


def test_a_run_recorded_before_its_runners_pid_is_found_by_its_runner(filled: Path, tmp_path: Path) -> None:
    """Runs started by the code before pid recording keep the pid of the API process that started them;
    after an API restart that process is gone while the runner goes on: the run stays running."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    old_api = int(ended.stdout)
    fifo = tmp_path / "blocked.csv"
    os.mkfifo(fifo)  # the import waits for a writer that never comes: a job that stays running
    other = tmp_path / "other" / "jobs.db"  # another store's history, with a run of the same id
    histories = [JobHistory(filled / "jobs.db"), JobHistory(other)]
    runs = [h.start("api-registry", None, china_now() - timedelta(hours=1)) for h in histories]
    for history, run_id in zip(histories, runs, strict=True):
        history.set_pid(run_id, old_api)
    seen: list[int] = []
    try:
        assert runs[0] == runs[1]
        log = filled / "api-jobs" / f"{runs[0]}.log"
        log.parent.mkdir(exist_ok=True)
        admin_jobs.launch([sys.executable, "-m", "search_api.admin_jobs", str(filled / "jobs.db"), str(runs[0]),
                           str(log), "--", "registry", "import", str(fifo)])
        seen += wait_for(lambda: len(found := started_here(tmp_path)) == 2 and found) or []
        assert seen, "the runner did not start its command"
        assert [fail_dead(h, china_now()) for h in histories] == [[], [runs[1]]]  # the other store's: no runner
        assert run_of(filled, runs[0]).outcome == "running"
        os.kill(seen[0], signal.SIGKILL)
        assert wait_for(lambda: state(seen[0]) in (None, "Z"), 60)
        assert fail_dead(histories[0], china_now()) == [runs[0]]  # once its runner is gone, it is failed
    finally:
        for history in histories:
            history.close()
        for pid in {*seen, *started_here(tmp_path)}:
            if state(pid) not in (None, "Z"):
                os.kill(pid, signal.SIGKILL)


def test_a_run_finished_meanwhile_keeps_its_outcome(filled: Path) -> None:
    history = JobHistory(filled / "jobs.db")
    try:
        run_id = history.start("api-registry", None, china_now())
        history.finish(run_id, "ok", china_now())
        assert not history.abandon(run_id, china_now(), "gone")
        assert history.run(run_id).outcome == "ok"  # type: ignore[union-attr]
    finally:
        history.close()
