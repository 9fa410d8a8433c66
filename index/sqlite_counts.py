"""Match counts of recent searches (totals, counts per platform), kept exactly until the store changes.

After ranking, counting is what a search spends most on: at 1,000,000 posts
an OR of three phrases takes about 4 ms to count to 10,000 and 7 ms more for
the six platforms. The same counts are asked again for every further page
of a search, for the search page and the API, and whenever a query is
repeated. Unlike the term statistics (approximate, kept for minutes by
SearchStats), counts are shown as they are, so a count is reused only while
the data it was counted on is unchanged:

- a count is kept for the connection it was counted on, with that
  connection's ``PRAGMA data_version``, which moves when any other
  connection (another process's crawl included) has committed since; it is
  used again only on that connection while the version is the same;
- SqliteBackend calls `changed` after its own writes and rollbacks (an
  in-memory store reads through its writing connection, whose own commits
  do not move the version), which drops everything.

Why per connection and not one memo for all: a connection can be held on an
older snapshot (a streamed export keeps a statement open on it between
chunks, and the thread serves other requests meanwhile); what it counts then
is true for its snapshot only and must not be handed to other connections.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
SIZE = 4096  # entries over all connections (a key is one SQL text and its arguments: a few hundred bytes)


class MatchCounts:
    """Thread-safe memo of count queries by (connection, SQL, arguments), valid while the data is unchanged."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size  # 0: keep nothing (the bench's figures without the memo)
        self._lock = threading.Lock()
        self._epoch = 0  # one more at every `changed`: a count begun before it is not kept
        # id(connection) -> connection: kept so that a closed connection's id is not reused by a new one
        self._connections: dict[int, sqlite3.Connection] = {}
        # (id(connection), *key) -> (the connection's data_version when counted, value)
        self._values: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()

    def changed(self) -> None:
        """The store wrote (or rolled back): nothing counted so far may be returned again."""
        with self._lock:
            self._epoch += 1
            self._values.clear()
            self._connections.clear()  # nothing refers to them now: closed readers are not kept alive

    def count(self, db: sqlite3.Connection, sql: str, args: Sequence[Any]) -> int:
        """The first column of the first row of `sql` (a count), from the memo when the data is unchanged."""
        return self.value(db, ("count", sql, *args), lambda: int(db.execute(sql, tuple(args)).fetchone()[0]))

    def value(self, db: sqlite3.Connection, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()` on `db`, or what it returned for `key` on `db` while no other connection has committed."""
        if not self.size:
            return compute()
        version = db.execute("PRAGMA data_version").fetchone()[0]  # read before counting: never newer than it
        slot = (id(db), *key)
        with self._lock:
            epoch = self._epoch
            hit = self._values.get(slot)
            if hit is not None and hit[0] == version and self._connections.get(id(db)) is db:
                self._values.move_to_end(slot)
                return hit[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if epoch != self._epoch:  # the store wrote meanwhile: the value may predate it
                return value
            self._connections[id(db)] = db
            self._values[slot] = (version, value)
            self._values.move_to_end(slot)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
