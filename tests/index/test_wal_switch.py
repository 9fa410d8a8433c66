"""switch_to_wal (index/sqlite_tx.py): a file two processes create at once opens in both.

The loser's `PRAGMA journal_mode=WAL` can fail with "database is locked" at once, without SQLite's
busy wait (a fresh-clone CI run: a crawl process of tests/crawler/test_distributed.py crashed so).
The race is rare and timing-bound, so the failure is made here: the switch fails the first times.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.state import CrawlState
from index.elastic.spool import Spool
from index.sqlite_tx import switch_to_wal
from ops.evidence.store import EvidenceStore


class LockedAtFirst(sqlite3.Connection):
    """A connection whose first two switches to WAL fail as a concurrent opener makes them fail."""

    failures = 2

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if "journal_mode=WAL" in sql and LockedAtFirst.failures:
            LockedAtFirst.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return super().execute(sql, *args)


@pytest.fixture
def locked_at_first(monkeypatch: pytest.MonkeyPatch) -> None:
    connect = sqlite3.connect
    monkeypatch.setattr(LockedAtFirst, "failures", 2)
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: connect(*a, factory=LockedAtFirst, **k))


@pytest.mark.parametrize("open_", [lambda p: EvidenceStore(p / "evidence"), lambda p: Spool(p / "spool.db"),
                                   lambda p: CrawlState(p / "crawl_state.db")], ids=["evidence", "es_spool", "crawl_state"])
def test_a_file_whose_wal_switch_is_locked_at_first_still_opens_in_wal_mode(
        open_: Any, tmp_path: Path, locked_at_first: None) -> None:
    opened = open_(tmp_path)
    try:
        assert LockedAtFirst.failures == 0
        assert opened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        opened.close()


def test_other_errors_and_a_lock_that_stays_are_raised(tmp_path: Path, locked_at_first: None) -> None:
    db = sqlite3.connect(tmp_path / "x.db")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            switch_to_wal(db, attempts=2)  # both attempts meet the lock
    finally:
        db.close()
    assert LockedAtFirst.failures == 0
