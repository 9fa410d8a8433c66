"""Scheduler: cron times in China time, the catch-up policy, the cross-process lock, job history, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.config import Settings, StoreSettings
from core.errors import ConfigError
from govwatch import jobs
from govwatch.cli import main
from govwatch.commands.schedule import Scheduler
from ops.history import JobHistory
from ops.lock import LockHeld, RunLock
from ops.schedule import Due, Schedule
from tests.paths import ROOT

DAY = datetime(2026, 11, 23)


@pytest.fixture
def history(tmp_path: Path) -> JobHistory:
    h = JobHistory(tmp_path / "jobs.db")
    yield h
    h.close()


def schedule(**jobs_: str) -> Schedule:
    return Schedule.from_settings(Settings(schedule={"jobs": {"linkcheck": "", "audit": "", "report": "", **jobs_},
                                                     "catch_up_hours": 6}))


def test_a_missed_time_within_the_window_runs_once_later_ones_are_recorded_missed(history: JobHistory) -> None:
    plan = schedule(crawl="0 1 * * *")
    history.record("crawl", DAY - timedelta(days=5, hours=-1), DAY - timedelta(days=5), "ok", "")  # 5 days down
    assert plan.due(DAY.replace(hour=0, minute=30), history) == [Due("crawl", DAY - timedelta(hours=23), "missed")]
    now = DAY.replace(hour=3)  # 01:00 passed 2 h ago: one catch-up run, not five
    assert plan.due(now, history) == [Due("crawl", DAY.replace(hour=1), "run")]
    history.record("crawl", DAY.replace(hour=1), now, "ok", "")
    assert plan.due(now, history) == []
    late = DAY.replace(hour=1) + timedelta(days=1, hours=7)  # next day, 7 h after 01:00: beyond the window
    assert plan.due(late, history) == [Due("crawl", DAY.replace(hour=1) + timedelta(days=1), "missed")]


def test_a_job_that_never_ran_waits_for_its_first_time(history: JobHistory) -> None:
    plan = schedule(crawl="0 1 * * *")
    started = DAY.replace(hour=0, minute=50)
    assert plan.due(DAY.replace(hour=2), history) == []
    assert plan.first_runs(DAY.replace(hour=0, minute=59), history, started) == []
    assert plan.first_runs(DAY.replace(hour=1, minute=0, second=5), history, started) == [
        Due("crawl", DAY.replace(hour=1), "run")]


def test_cron_times_are_china_time_and_jobs_run_in_chain_order(history: JobHistory) -> None:
    plan = schedule(crawl="0 1 * * *", audit="0 4 * * *", report="0 6 1 * *")
    assert plan.next_time(DAY.replace(hour=2)) == DAY.replace(hour=4)
    assert plan.previous_time("report", DAY) == datetime(2026, 11, 1, 6)
    for job in ("report", "audit", "crawl"):
        history.record(job, DAY - timedelta(days=1), DAY - timedelta(days=1), "ok", "")
    assert [d.job for d in plan.due(DAY.replace(hour=5), history)] == ["crawl", "audit"]


def test_bad_schedule_config_is_named() -> None:
    with pytest.raises(ConfigError, match="crawl.*not a cron"):
        Schedule.from_settings(Settings(schedule={"jobs": {"crawl": "every night"}}))
    with pytest.raises(ConfigError, match="backup.*unknown job"):
        Schedule.from_settings(Settings(schedule={"jobs": {"backup": "0 1 * * *"}}))


def test_the_lock_holds_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    lock = tmp_path / "govwatch.lock"
    code = f"from ops.lock import RunLock; import time; l = RunLock({str(lock)!r}); l.acquire(); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            RunLock(lock).acquire()
        settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")))
        assert jobs.run_job("report", settings, None) == "skipped"
        [run] = JobHistory(tmp_path / "jobs.db").runs()
        assert (run.job, run.outcome) == ("report", "skipped") and str(holder.pid) in run.message
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs, the kernel still drops the lock
        holder.wait()
        if holder.stdout:
            holder.stdout.close()
    with RunLock(lock):
        pass


def test_sigterm_finishes_the_item_in_hand_and_records_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_job(ctx: jobs.JobContext) -> str:
        done = 0
        for item in range(10):
            if ctx.stop.is_set():
                break
            if item == 2:
                os.kill(os.getpid(), signal.SIGTERM)  # systemd stop while item 2 is in hand
            done += 1
        ctx.counts["items"] = done
        return "ok"

    monkeypatch.setitem(jobs.JOBS, "audit", slow_job)
    settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")))
    assert jobs.run_job("audit", settings, None, DAY) == "interrupted"
    [run] = JobHistory(tmp_path / "jobs.db").runs()
    assert run.outcome == "interrupted" and run.counts == {"items": 3} and run.scheduled_for == DAY
    assert run.ended_at is not None and run.ended_at >= run.started_at
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back


def test_due_jobs_run_missed_ones_are_recorded(history: JobHistory, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = schedule(crawl="0 1 * * *", audit="0 4 * * *")
    now = datetime.now().replace(microsecond=0)  # Scheduler reads the clock: build history around it
    history.record("crawl", now - timedelta(days=2), now - timedelta(days=2), "ok", "")
    history.record("audit", now - timedelta(days=2), now - timedelta(days=2), "ok", "")
    spawned: list[Due] = []
    scheduler = Scheduler(plan, Settings(), None)
    monkeypatch.setattr(scheduler, "_spawn", lambda item: spawned.append(item) or 0)
    monkeypatch.setattr("govwatch.commands.schedule.china_now", lambda: now)
    due = scheduler.run_due(history, now - timedelta(days=3))
    assert {d.job for d in due} == {"crawl", "audit"}
    assert spawned == [d for d in due if d.action == "run"]
    assert {r.job for r in history.runs() if r.outcome == "missed"} == {d.job for d in due if d.action == "missed"}


def test_the_scheduler_process_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n[schedule.jobs]\n'
                      'crawl = "0 1 1 1 *"\nlinkcheck = ""\naudit = ""\nreport = ""\n')
    proc = subprocess.Popen([sys.executable, "-m", "govwatch", "--config", str(config), "schedule"],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("next job at ")
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "scheduler stopped" in out


def test_jobs_command_lists_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n')
    h = JobHistory(tmp_path / "jobs.db")
    run_id = h.start("audit", DAY, DAY)
    h.finish(run_id, "ok", DAY + timedelta(minutes=3), {"accounts": {"subjects": 40}})
    h.close()
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "jobs", "--json"])
    assert exit_.value.code == 0
    [line] = capsys.readouterr().out.splitlines()
    row = json.loads(line)
    assert (row["job"], row["outcome"], row["counts"]) == ("audit", "ok", {"accounts": {"subjects": 40}})
    assert row["ended_at"] == "2026-11-23 00:03:00"


def test_report_job_writes_last_months_inspection_on_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from audit.runner import run_audit
    from index.sqlite import SqliteBackend
    from sampleweb.world import generate
    from tests.audit.world_store import load_world

    world = generate(seed=7, accounts=40, posts=30)
    store = SqliteBackend(tmp_path / "govwatch.db")
    store.setup()
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    store.close()
    settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")),
                        reports_dir=str(tmp_path / "reports"))
    monkeypatch.setattr(jobs, "china_now", lambda: datetime(2026, 12, 1, 6, 0))
    assert jobs.run_job("report", settings, None) == "ok"
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert {n for n in names if n.startswith("inspection")} == {f"inspection-2026-11.{f}"
                                                                for f in ("docx", "html", "xlsx")}
    assert "nightly-unregistered-2026-12-01.csv" in names
    assert jobs._finished_periods(datetime(2027, 1, 1)) == ["2026-12", "2026-Q4"]
    assert jobs._finished_periods(datetime(2026, 11, 2)) == []
