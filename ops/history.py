"""Job history (`govwatch jobs`): each run's job, scheduled time, start, end, outcome and counts.

A small SQLite file of its own beside the data (jobs.db), written by the
scheduler and by jobs started from cron; it also remembers which once-only
alerts went out (the calendar running out is announced once per year).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.config import Settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, scheduled_for TEXT, started_at TEXT NOT NULL,
  ended_at TEXT, outcome TEXT NOT NULL, counts TEXT NOT NULL DEFAULT '{}', message TEXT NOT NULL DEFAULT '',
  pid INTEGER, host TEXT
);
CREATE INDEX IF NOT EXISTS runs_job ON runs (job, scheduled_for);
CREATE TABLE IF NOT EXISTS once_sent (key TEXT PRIMARY KEY, at TEXT NOT NULL);
"""
OUTCOMES = ("running", "ok", "failed", "interrupted", "skipped", "missed")


@dataclass
class Run:
    id: int
    job: str
    scheduled_for: datetime | None
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    counts: dict[str, Any]
    message: str
    pid: int | None = None  # the process that runs it (an API job: its runner)
    host: str | None = None  # where that pid means something (pid_space()); None: recorded before hosts were

    def as_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat(sep=" ") if d else None  # noqa: E731
        return {"id": self.id, "job": self.job, "scheduled_for": iso(self.scheduled_for),
                "started_at": iso(self.started_at), "ended_at": iso(self.ended_at), "outcome": self.outcome,
                "counts": self.counts, "message": self.message}


class JobHistory:
    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        if "host" not in {r["name"] for r in self.db.execute("PRAGMA table_info(runs)")}:  # a history from before
            self.db.execute("ALTER TABLE runs ADD COLUMN host TEXT")

    def close(self) -> None:
        self.db.close()

    def start(self, job: str, scheduled_for: datetime | None, now: datetime) -> int:
        cur = self.db.execute("INSERT INTO runs (job, scheduled_for, started_at, outcome, pid, host) VALUES (?, ?, ?, "
                              "'running', ?, ?)", (job, _iso(scheduled_for), _iso(now), os.getpid(), pid_space()))
        return cur.lastrowid or 0

    def finish(self, run_id: int, outcome: str, now: datetime, counts: dict[str, Any] | None = None,
               message: str = "") -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self.db.execute("UPDATE runs SET outcome=?, ended_at=?, counts=?, message=? WHERE id=?",
                        (outcome, _iso(now), json.dumps(counts or {}, ensure_ascii=False, default=str), message,
                         run_id))

    def set_pid(self, run_id: int, pid: int) -> None:
        """The process running `run_id`, when another than the one that started the run (an API job's runner)."""
        self.db.execute("UPDATE runs SET pid=?, host=? WHERE id=?", (pid, pid_space(), run_id))

    def running(self) -> list[Run]:
        """The runs still marked running, oldest first."""
        return [_run(r) for r in self.db.execute("SELECT * FROM runs WHERE outcome='running' ORDER BY id")]

    def abandon(self, run_id: int, now: datetime, message: str) -> bool:
        """Mark a run whose process is gone failed, unless it finished meanwhile; whether it was marked."""
        cur = self.db.execute("UPDATE runs SET outcome='failed', ended_at=?, message=? WHERE id=? AND "
                              "outcome='running'", (_iso(now), message, run_id))
        return cur.rowcount == 1

    def record(self, job: str, scheduled_for: datetime | None, now: datetime, outcome: str, message: str) -> int:
        """A run that did not start (skipped: lock held; missed: too late to catch up)."""
        run_id = self.start(job, scheduled_for, now)
        self.finish(run_id, outcome, now, message=message)
        return run_id

    def last_scheduled(self, job: str) -> datetime | None:
        """The latest scheduled time any run of `job` was started (or recorded) for."""
        row = self.db.execute("SELECT MAX(scheduled_for) FROM runs WHERE job=?", (job,)).fetchone()
        return _dt(row[0])

    def has_run(self, job: str) -> bool:
        return self.db.execute("SELECT 1 FROM runs WHERE job=? LIMIT 1", (job,)).fetchone() is not None

    def runs(self, limit: int = 20, job: str | None = None) -> list[Run]:
        sql, args = "SELECT * FROM runs", []
        if job:
            sql, args = sql + " WHERE job=?", [job]
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [_run(r) for r in rows]

    def run(self, run_id: int) -> Run | None:
        """The run with this id, or None."""
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return _run(row) if row else None

    def once(self, key: str) -> bool:
        """True the first time `key` is seen (then remembered): for alerts sent once."""
        cur = self.db.execute("INSERT OR IGNORE INTO once_sent (key, at) VALUES (?, ?)",
                              (key, _iso(datetime.now().replace(microsecond=0))))
        return cur.rowcount == 1


def pid_space() -> str:
    """Which processes a recorded pid names: this machine's boot and this pid namespace.

    The API and the scheduler may share one history from two containers
    (docker-compose.yml), where the same pid is another process or none; a
    run is judged dead only where its pid means something.
    """
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        return f"{boot} {os.readlink('/proc/self/ns/pid')}"
    except OSError:  # no /proc (not Linux): the host's name
        return socket.gethostname()


def history_path(settings: Settings) -> Path:
    """The job history file: jobs.db beside the data."""
    return Path(settings.store.sqlite_path).parent / "jobs.db"


def _run(r: sqlite3.Row) -> Run:
    return Run(r["id"], r["job"], _dt(r["scheduled_for"]), _dt(r["started_at"]) or datetime.min,
               _dt(r["ended_at"]), r["outcome"], json.loads(r["counts"]), r["message"], r["pid"], r["host"])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(sep=" ") if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
