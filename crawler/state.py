"""Durable crawl state per source: the frontier an incremental crawl may stop at.

A source (platform, account id) is "in progress" from the moment a crawl
starts paging it until the store has durably written everything that crawl
fetched (the pipeline records completion after flushing). The frontier is the
newest non-pinned post time of the last *completed* crawl; an interrupted
crawl (even SIGKILL) leaves the source in progress, so the next run pages
down to the same old frontier again, re-fetching whatever the killed run had
not yet stored. Every write commits at once (SQLite autocommit; WAL, synchronous=NORMAL
like the store: durable when the process is killed, not fsynced per write).

The state belongs to one store: it records the store's identity (the id in
the store's meta table). Opened for another store (the file was deleted,
replaced or moved), the state is void: it is cleared with a warning, so every
source is paged in full again and posts the old store held are fetched anew.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import StoreError
from index.sqlite_tx import switch_to_wal

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
  platform TEXT NOT NULL, account_id TEXT NOT NULL,
  frontier TEXT,            -- newest post time covered by the last completed crawl
  in_progress_since TEXT,   -- set while a crawl has fetched but not yet stored everything
  run_frontier TEXT,        -- the frontier an in-progress crawl pages down to
  last_items INTEGER,       -- posts the last completed crawl scraped (0 may mean the parser broke)
  PRIMARY KEY (platform, account_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)
"""


@dataclass(frozen=True)
class SourceState:
    frontier: datetime | None
    last_items: int | None
    resumed: bool  # True when an earlier crawl of this source was interrupted



class CrawlState:
    """The state file (`crawl_state.db` beside the store unless configured)."""

    def __init__(self, path: str | Path, store_id: str | None = None):
        """Open the state file; with `store_id`, a state recorded for another store is voided."""
        self.path = Path(path)
        self.lock = threading.Lock()
        self.voided = False
        try:
            self._open(store_id)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open crawl state: {exc}") from exc

    def _open(self, store_id: str | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            switch_to_wal(self.db)  # two crawlers may create the file at once
            # As the store (index/sqlite.py): a commit survives the crawl being killed, without an fsync per
            # write on the crawl thread (three per source: 7 ms each on a busy disk). Only a power cut may
            # lose the newest rows, the store's as well, and a lost row leaves a source to be paged again.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            if store_id is not None:
                self._belong_to(store_id)
        except sqlite3.Error:
            self.db.close()
            raise

    def _belong_to(self, store_id: str) -> None:
        """Record the store this state describes; a state of another (or unknown) store is cleared."""
        row = self.db.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
        if row and row[0] == store_id:
            return
        sources = self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        if sources:
            log.warning(
                "%s: crawl state of %d sources belongs to %s, not to this store (%s): the store was deleted "
                "or replaced, so the state is void and every source is crawled in full",
                self.path, sources, f"store {row[0]}" if row else "an unknown store", store_id,
            )  # fmt: skip
            self.voided = True
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM sources")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('store_id', ?)", (store_id,))
        self.db.execute("COMMIT")

    def begin(self, platform: str, account_id: str, now: datetime) -> SourceState:
        """Mark a source in progress; the frontier to page down to (kept from an interrupted run)."""
        with self.lock:
            row = self.db.execute(
                "SELECT frontier, in_progress_since, run_frontier, last_items FROM sources "
                "WHERE platform=? AND account_id=?",
                (platform, account_id),
            ).fetchone()
            if row and row[1]:
                return SourceState(_dt(row[2]), row[3], resumed=True)
            self.db.execute(
                "INSERT INTO sources (platform, account_id, in_progress_since, run_frontier) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(platform, account_id) DO UPDATE SET in_progress_since=excluded.in_progress_since, "
                "run_frontier=sources.frontier",
                (platform, account_id, now.isoformat(), None),
            )
            return SourceState(_dt(row[0]) if row else None, row[3] if row else None, resumed=False)

    def finish(self, platform: str, account_id: str, newest: datetime | None, items: int) -> None:
        """Record a completed crawl (call only after its posts are durably stored)."""
        with self.lock:
            self.db.execute(
                "INSERT INTO sources (platform, account_id, frontier, last_items) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(platform, account_id) DO UPDATE SET "
                "frontier=MAX(COALESCE(sources.frontier, ''), COALESCE(excluded.frontier, '')), "
                "in_progress_since=NULL, run_frontier=NULL, last_items=excluded.last_items",
                (platform, account_id, newest.isoformat() if newest else None, items),
            )

    def close(self) -> None:
        self.db.close()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def state_path(crawler_settings: Any, settings: Settings) -> Path:
    """GOVWATCH_STATE_PATH, else crawl_state.db beside the SQLite store."""
    explicit = crawler_settings.get("GOVWATCH_STATE_PATH")
    return Path(explicit) if explicit else Path(settings.store.sqlite_path).with_name("crawl_state.db")
