"""Write transactions for SQLite stores shared by several processes.

The scheduler, a manual crawl, a registry import, an audit, `keys add` and the
API's access log may all write to one store. SQLite lets one writer in at a
time; its busy handler makes a second writer wait, but only when the lock is
asked for up front. A deferred transaction that reads first and writes later
cannot wait (the upgrade would deadlock) and fails at once with "database is
locked". So every write transaction here starts with `BEGIN IMMEDIATE` (waits
up to the busy timeout for the lock), and a transaction that still fails
because the database is busy is rolled back and run again as a whole.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from core.errors import StoreError

T = TypeVar("T")
log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30.0  # how long one attempt waits for another writer's lock
ATTEMPTS = 4  # whole-transaction attempts before giving up
_BUSY = ("database is locked", "database is busy", "database table is locked")


def is_busy(exc: sqlite3.Error) -> bool:
    """True for the errors that mean "another connection holds the lock": worth a retry."""
    return isinstance(exc, sqlite3.OperationalError) and any(text in str(exc) for text in _BUSY)


def run_write(db: sqlite3.Connection, work: Callable[[], T], where: str, attempts: int = ATTEMPTS) -> T:
    """Run `work` in one IMMEDIATE transaction on `db` (autocommit connection), retrying it whole.

    `work` must be safe to run again from the start (its inputs materialised,
    its counters created inside it). A nested call joins the open transaction.
    Other SQLite failures (disk full, read-only file, file deleted) become a
    StoreError naming `where`, the store's path.
    """
    if db.in_transaction:
        return work()
    for attempt in range(1, attempts + 1):
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
            return result
        except sqlite3.Error as exc:
            if is_busy(exc) and attempt < attempts:
                log.warning("%s: %s; retrying the transaction (attempt %d of %d)", where, exc, attempt + 1, attempts)
                time.sleep(0.05 * 2**attempt)
                continue
            raise StoreError(f"{where}: cannot write to the store: {exc}") from exc
    raise AssertionError("unreachable")  # pragma: no cover


WAL_ATTEMPTS = 10  # tries of the switch to WAL while another process creates the same file


def switch_to_wal(db: sqlite3.Connection, attempts: int = WAL_ATTEMPTS) -> None:
    """`PRAGMA journal_mode=WAL`, retried while another process creating the same file holds it up.

    Two processes opening a new file at once (two crawlers sharing crawl state, evidence, an
    Elasticsearch spool): the loser's switch can fail with "database is locked" at once, without
    SQLite's busy wait, so it waits a little and tries again. Other errors are raised as they are.
    """
    for attempt in range(1, attempts + 1):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:  # SQLite may already have rolled back (e.g. SQLITE_FULL)
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error as exc:  # the original error is the one worth reporting
            log.debug("rollback failed: %s", exc)


class FileGuard:
    """Notices a store file deleted or replaced under an open connection.

    SQLite keeps writing into an unlinked file without a word; those writes
    are lost, and crawl state must not record them as stored. So the file's
    identity (device, inode) is taken at open and checked around each write.
    """

    def __init__(self, path: str, identity: tuple[int, int] | None = None):
        """`identity`: the one another connection took at its open (the crawl's store writer process)."""
        self.path = path
        self.identity = identity or (None if path == ":memory:" else _identity(path))

    def check(self) -> None:
        """StoreError when the file at `path` is no longer the one opened."""
        if self.identity is None:
            return
        try:
            now: tuple[int, int] | None = _identity(self.path)
        except FileNotFoundError:
            now = None
        if now != self.identity:
            raise StoreError(
                f"{self.path}: the store file was {'deleted' if now is None else 'replaced'} while in use; "
                "the last writes are lost (run again: crawl state of the old store is void)"
            )


def _identity(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino
