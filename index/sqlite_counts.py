"""Match counts of recent searches (totals, counts per platform), kept exactly until the store changes.

After ranking, counting is what a search spends most on: at 1,000,000 posts
an OR of three phrases takes about 4 ms to count to 10,000 and 7 ms more for
the six platforms. The same counts are asked again for every further page
of a search, for the search page and the API, and whenever a query is
repeated. Unlike the term statistics (approximate, kept for minutes by
SearchStats), counts are shown as they are, so a count is reused only while
the store is unchanged:

- every lookup first reads its connection's ``PRAGMA data_version``, which
  moves when any other connection (another process's crawl included) has
  committed since that connection last looked;
- SqliteBackend calls `changed` after its own writes (an in-memory store
  reads through its writing connection, whose own commits do not move it);
- a connection seen for the first time also counts as a change: it cannot
  tell what was committed before it opened.

Any of these starts a new generation, and values from older generations are
never returned. A count is stored under the generation read before its
query ran, so it is at least as new as the write that began its generation.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
SIZE = 4096  # entries (a key is one SQL text and its arguments: a few hundred bytes)


class MatchCounts:
    """Thread-safe memo of count queries, by (SQL, arguments), for the store's current generation."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size  # 0: keep nothing (the bench's figures without the memo)
        self._lock = threading.Lock()
        self._generation = 0
        # id(connection) -> (connection, its last data_version); the connection is kept so its id is not reused
        self._seen: dict[int, tuple[sqlite3.Connection, int]] = {}
        self._values: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()

    def changed(self) -> None:
        """The store wrote: nothing counted so far may be returned again."""
        with self._lock:
            self._generation += 1
            self._values.clear()

    def generation(self, db: sqlite3.Connection) -> int:
        """The current generation, after noticing a commit made since `db` last looked."""
        version = db.execute("PRAGMA data_version").fetchone()[0]
        with self._lock:
            seen = self._seen.get(id(db))
            if seen is None or seen[1] != version:
                self._seen[id(db)] = (db, version)
                self._generation += 1
                self._values.clear()  # older generations are never read again
            return self._generation

    def count(self, db: sqlite3.Connection, sql: str, args: Sequence[Any]) -> int:
        """The first column of the first row of `sql` (a count), from the memo when the store is unchanged."""
        return self.value(db, ("count", sql, *args), lambda: int(db.execute(sql, tuple(args)).fetchone()[0]))

    def value(self, db: sqlite3.Connection, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, or what it returned for `key` in the store's current generation."""
        if not self.size:
            return compute()
        generation = self.generation(db)
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and hit[0] == generation:
                self._values.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if generation == self._generation:  # a newer generation began meanwhile: the value may be stale
                self._values[key] = (generation, value)
                self._values.move_to_end(key)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value
