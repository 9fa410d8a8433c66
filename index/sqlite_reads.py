"""Streamed reads of the SQLite store that the audit makes over every post."""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Generator, Iterator
from datetime import datetime, timedelta
from urllib.parse import quote

from core.models import Post
from index import sqlite_schema as S
from index.base import AccountActivity
from index.sqlite_findings import activity_aggregates, activity_rows, merge_activity
from index.sqlite_rows import to_post


def activity(db: sqlite3.Connection, path: str, as_of: datetime, window_days: int) -> Iterator[AccountActivity]:
    """Per-account activity over the window; for a file store read on its own connections, and the
    grouped scan over the posts starts at once on a thread (ActivityReader)."""
    since = as_of - timedelta(days=window_days)
    if path == ":memory:":
        return activity_rows(db, as_of, since)
    return ActivityReader(path, as_of, since)


def _connect(path: str) -> sqlite3.Connection:
    # Every post is read once: through SQLite's small page cache, not the readers' 2 GiB map,
    # whose touched pages would count as the audit's memory as the posts table grows.
    return sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)


def _pinned(path: str) -> sqlite3.Connection | sqlite3.Error:
    """A connection inside a read transaction that has read (its snapshot is fixed now); or the error, for later."""
    try:
        conn = _connect(path)
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")
        conn.execute("PRAGMA schema_version").fetchone()  # a read of the file: the snapshot starts here
        return conn
    except sqlite3.Error as exc:  # raised where the caller reads, like the thread's errors
        return exc


class ActivityReader:
    """The audit's activity stream, its grouped scan over every post read ahead on a thread.

    The scan reads the whole posts_by_account index: on a cold cache it mostly waits for the disk.
    Started when the audit starts (audit.runner asks for the stream first), that wait overlaps the
    audit's registry phase and its rules. SQLite releases the GIL while it steps, so the thread
    costs the audit's own thread little. The aggregates wait in a queue, one small tuple per account
    with posts (tens of MB for 100,000 accounts); accounts are merged in as the caller iterates.
    """

    BATCH = 2000  # aggregate rows per queue item

    def __init__(self, path: str, as_of: datetime, since: datetime):
        self.path, self.as_of, self.since = path, as_of, since
        self.spent = (0.0, 0.0)  # the thread's (wall, CPU) seconds once it is done
        self._queue: queue.SimpleQueue[list[tuple] | BaseException] = queue.SimpleQueue()
        self._stop = threading.Event()
        # The accounts' snapshot is taken before the posts' (the thread's), never after: an account
        # stored in between is left for the next audit, not judged here with none of its posts.
        self._accounts = _pinned(path)
        self._thread = threading.Thread(target=self._read, name="activity-scan", daemon=True)
        self._thread.start()
        self._merged: Generator[AccountActivity, None, None] = self._merge()

    def __iter__(self) -> ActivityReader:
        return self

    def __next__(self) -> AccountActivity:
        return next(self._merged)

    def close(self) -> None:
        """Stop reading (the audit failed or stopped early); the thread ends at its next batch, and `spent` is known."""
        self._stop.set()
        self._merged.close()
        if isinstance(self._accounts, sqlite3.Connection):  # never iterated: _merge's own close never ran
            self._accounts.close()
        self._thread.join(timeout=60)

    def _read(self) -> None:
        wall, cpu = time.monotonic(), time.thread_time()
        conn = None
        try:  # a failed connect too is handed over: the audit's thread would otherwise wait for ever
            conn = _connect(self.path)
            cursor = activity_aggregates(conn, self.as_of, self.since)
            while not self._stop.is_set():
                rows = cursor.fetchmany(self.BATCH)
                self._queue.put(rows)
                if not rows:
                    break
        except BaseException as exc:  # handed to the audit's thread, which raises it  # noqa: BLE001
            self._queue.put(exc)
        finally:
            if conn is not None:
                conn.close()
            self.spent = (time.monotonic() - wall, time.thread_time() - cpu)

    def _aggregates(self) -> Iterator[tuple]:
        while True:
            rows = self._queue.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield from rows

    def _merge(self) -> Generator[AccountActivity, None, None]:
        if isinstance(self._accounts, sqlite3.Error):
            raise self._accounts
        try:
            yield from merge_activity(self._accounts, self._aggregates())
        finally:
            self._accounts.close()


def _published(*bounds: tuple[str, datetime | None]) -> tuple[str, list[str | None]]:
    """A WHERE clause (or "") and its arguments from (clause, time) pairs; a None time sets no bound."""
    given = [(clause, S.dt_out(when)) for clause, when in bounds if when is not None]
    return (" WHERE " + " AND ".join(c for c, _ in given) if given else ""), [a for _, a in given]


def posts_between(conn: sqlite3.Connection, after: datetime | None, until: datetime | None,
                  newest_first: bool) -> Iterator[Post]:
    """Posts published after `after` and until `until` (each optional), streamed."""
    where, args = _published(("published_at > ?", after), ("published_at <= ?", until))
    sql = "SELECT * FROM posts" + where
    order = "published_at DESC, platform, post_id" if newest_first else "platform, post_id"
    for row in conn.execute(f"{sql} ORDER BY {order}", args):
        yield to_post(row)


def post_accounts(conn: sqlite3.Connection, after: datetime | None,
                  before: datetime | None) -> Iterator[tuple[str, str]]:
    """(platform, account_id) of every account with a post published after `after` and before `before`."""
    where, args = _published(("published_at > ?", after), ("published_at < ?", before))
    sql = "SELECT DISTINCT platform, account_id FROM posts" + where
    for row in conn.execute(f"{sql} ORDER BY platform, account_id", args):
        yield row[0], row[1]


# A page URL up to the end of its authority ("https://www.yz.gov.cn:8080"): the text before the first
# "/" after "://" (a URL without a path keeps its query; host_key still finds the host). One row per
# distinct (origin, site), grouped inside SQLite: the site map needs no row per page.
_ORIGINS = """
SELECT CASE WHEN s = 0 THEN url WHEN slash = 0 THEN url ELSE substr(url, 1, s + 1 + slash) END AS origin, site
FROM (SELECT url, site, instr(url, '://') AS s, instr(substr(url, instr(url, '://') + 3), '/') AS slash
      FROM pages WHERE site IS NOT NULL AND site != '')
GROUP BY origin, site ORDER BY origin, site
"""


def page_origins(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """Each distinct (URL origin, site) of the stored pages that have a site."""
    for row in conn.execute(_ORIGINS):
        yield row[0], row[1]
