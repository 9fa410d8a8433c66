"""`govwatch jobs` shows the truth: a scheduler's run whose process was killed is failed, a live one running."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from govwatch.cli import main
from ops.history import JobHistory
from ops.liveness import fail_dead, process_started
from ops.schedule import china_now
from tests.paths import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")

# a job's process as `schedule --run-job` is one: it records its own run, then works (here: sleeps)
JOB = ("import sys, time; from ops.history import JobHistory; from ops.schedule import china_now; "
       "h = JobHistory(sys.argv[1]); print(h.start(sys.argv[2], None, china_now()), flush=True); time.sleep(120)")


def job_process(history: Path, job: str) -> tuple[subprocess.Popen[str], int]:
    """A process that records a running run of `job` in `history` and keeps running; it and the run id."""
    proc = subprocess.Popen([sys.executable, "-c", JOB, str(history), job], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def outcomes(history: Path) -> dict[int, str]:
    h = JobHistory(history)
    try:
        return {r.id: r.outcome for r in h.runs(10)}
    finally:
        h.close()


def test_jobs_fails_a_run_whose_process_was_killed_and_leaves_a_live_one_running(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n')
    history = tmp_path / "jobs.db"
    (killed, killed_run), (alive, alive_run) = job_process(history, "crawl"), job_process(history, "audit")
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        assert outcomes(history) == {killed_run: "running", alive_run: "running"}  # nothing judged them yet
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "jobs"])
        assert exit_.value.code == 0
        lines = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()}
        assert "failed" in lines["crawl"] and f"pid {killed.pid}) is gone" in lines["crawl"]
        assert "running" in lines["audit"]
        assert outcomes(history) == {killed_run: "failed", alive_run: "running"}
    finally:
        for proc in (killed, alive):
            proc.kill()
            proc.communicate(timeout=30)


def test_a_pid_given_to_a_later_process_is_not_the_runs(tmp_path: Path) -> None:
    """The run's pid now belongs to a process started after the run: the run's own process is gone."""
    later = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    history = JobHistory(tmp_path / "jobs.db")
    try:
        started = process_started(later.pid)
        assert started is not None
        reused = history.start("report", None, started - timedelta(hours=1))
        history.set_pid(reused, later.pid)
        own = history.start("linkcheck", None, started)  # the same process, recorded as it started: its own
        history.set_pid(own, later.pid)
        assert fail_dead(history, china_now()) == [reused]
        assert history.run(own).outcome == "running"  # type: ignore[union-attr]
    finally:
        history.close()
        later.kill()
        later.wait(timeout=30)


def test_a_run_recorded_in_another_pid_space_is_not_judged_here(tmp_path: Path) -> None:
    # the scheduler's container shares the history with the API's; its pids mean nothing here
    history = JobHistory(tmp_path / "jobs.db")
    try:
        ours, theirs = (history.start(job, None, china_now() - timedelta(hours=1)) for job in ("crawl", "audit"))
        gone = 2**22 + 7  # above Linux's largest pid: no process has it
        history.db.execute("UPDATE runs SET pid=?", (gone,))
        history.db.execute("UPDATE runs SET host='another-boot pid:[1]' WHERE id=?", (theirs,))
        assert fail_dead(history, china_now()) == [ours]
        assert {r.id: r.outcome for r in history.runs(10)} == {ours: "failed", theirs: "running"}
    finally:
        history.close()


def test_a_history_from_before_hosts_gets_the_column_and_its_runs_are_judged_as_before(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "jobs.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, scheduled_for TEXT, "
                "started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT NOT NULL, counts TEXT NOT NULL DEFAULT '{}', "
                "message TEXT NOT NULL DEFAULT '', pid INTEGER)")
    old.execute("INSERT INTO runs (job, started_at, outcome, pid) VALUES ('crawl', '2026-12-01 10:00:00', "
                "'running', ?)", (2**22 + 7,))
    old.commit()
    old.close()
    history = JobHistory(path)
    try:
        assert history.running()[0].host is None
        assert fail_dead(history, china_now()) == [1]
    finally:
        history.close()
