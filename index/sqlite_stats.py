"""Collection statistics for ranking (document counts, term frequencies), cached per store.

BM25 needs the number of documents, their average length and each term's
document frequency. Counting them on every query would cost more than the
query, and they move slowly, so they are cached for TTL seconds (and past it
while the full-text index's structure record is unchanged: then they are
still exact) and dropped when the store writes (SqliteBackend calls `changed`).
The API's store also reads the commonest words' counts ahead, on a thread
(index/sqlite_warm.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from index.query import Term
from index.sqlite_counts import MatchCounts
from index.sqlite_platforms import STRUCTURE_ID, PlatformMap
from index.sqlite_warm import start as start_warming
from index.sqlite_warm import token_docs

TITLE_WEIGHT = 3.0  # a title occurrence counts three times (the ES `search` field repeats the title)

TTL = 300.0


class SearchStats:
    """Thread-safe cache of the statistics one store's searches need."""

    def __init__(self, warm_from: str | None = None) -> None:
        """`warm_from`: the store's file, to read the commonest words' counts ahead (the API's store)."""
        self._lock = threading.Lock()
        self._values: dict[tuple[Any, ...], tuple[float, Any, bytes | None]] = {}  # (when, value, structure)
        self._epoch = 0  # one more at every `changed`: counts read ahead before it are not kept
        self._warm_from = warm_from
        self._warming: dict[str, threading.Thread] = {}  # table -> the thread reading its common words
        self.counts = MatchCounts()  # exact counts, kept while the store is unchanged
        self.platform_map = PlatformMap()  # each post's platform, for counts per platform in one pass

    def changed(self) -> None:
        """Forget everything (the store wrote)."""
        with self._lock:
            self._epoch += 1
            self._values.clear()
        self.counts.changed()

    def warm(self, table: str) -> threading.Thread | None:
        """Start reading `table`'s commonest words' counts ahead (once; only with `warm_from`); the thread."""
        with self._lock:
            if self._warm_from is None or table in self._warming:
                return self._warming.get(table)
            epoch = self._epoch

            def keep(structure: bytes | None, counts: dict[str, int]) -> None:
                now = time.monotonic()
                with self._lock:
                    if epoch != self._epoch:  # the store wrote meanwhile: they may predate it
                        return
                    for token, n in counts.items():  # a count a search read meanwhile is as fresh: left alone
                        self._values.setdefault(("df", table, token), (now, n, structure))

            self._warming[table] = start_warming(self._warm_from, table, keep)
            return self._warming[table]

    def _cached(self, key: tuple[Any, ...], compute: Any, db: sqlite3.Connection, table: str) -> Any:
        """compute(), kept TTL seconds, and kept on past TTL while the full-text index is as it was then.

        The index's structure record (FTS5 rewrites it at every write) tells whether anything changed: a
        statistic of an unchanged index is still exact, and recounting a word in most posts costs 40–70 ms
        at 1,000,000 posts (fts5vocab reads its whole posting list), which a search then waited for every
        5 minutes."""
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
        if hit is not None and now - hit[0] < TTL:
            return hit[1]
        structure = _structure(db, table)  # read before computing: the value is never older than it
        if hit is not None and structure is not None and hit[2] == structure:
            with self._lock:
                self._values[key] = (now, hit[1], structure)
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._values) > 50_000:  # a long-running API sees many terms: start over
                self._values.clear()
            self._values[key] = (now, value, structure)
        return value

    def totals(self, db: sqlite3.Connection, table: str) -> tuple[int, float]:
        """(documents, average document length in characters from the newest 1,000: the text plus the
        title TITLE_WEIGHT times, as scored)."""
        def compute() -> tuple[int, float]:
            n = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0  # ≈ count, without a scan
            avg = db.execute(f"SELECT avg(length(text) + ? * length(COALESCE(title, ''))) FROM (SELECT title, text "
                             f"FROM {table} ORDER BY rowid DESC LIMIT 1000)", (TITLE_WEIGHT,)).fetchone()[0]
            return max(n, 1), max(float(avg or 1.0), 1.0)

        return self._cached(("totals", table), compute, db, table)  # type: ignore[no-any-return]

    def token_freq(self, db: sqlite3.Connection, table: str, token: str) -> int:
        """Documents containing `token` (fts5vocab)."""
        if table not in self._warming and self._warm_from is not None:
            self.warm(table)
        return self._cached(  # type: ignore[no-any-return]
            ("df", table, token), lambda: token_docs(db, table, token), db, table)

    def doc_freq(self, db: sqlite3.Connection, table: str, term: Term) -> int:
        """An upper bound of the documents containing `term`: its rarest token's count."""
        if term.single_char:
            return self.token_freq(db, table, term.text)
        return min(self.token_freq(db, table, t) for t in term.tokens)

    def platforms(self, db: sqlite3.Connection) -> list[str]:
        """Platforms with posts (for per-platform counts): kept while the store is unchanged, like the counts."""
        def compute() -> list[str]:
            from core.models import PLATFORMS

            return [p for p in PLATFORMS
                    if db.execute("SELECT 1 FROM posts WHERE platform = ? LIMIT 1", (p,)).fetchone()]

        return self.counts.value(db, ("platforms",), compute)


def _structure(db: sqlite3.Connection, table: str) -> bytes | None:
    """The FTS5 structure record of `table`'s full-text index (None when there is none)."""
    row = db.execute(f"SELECT block FROM {table}_fts_data WHERE id = {STRUCTURE_ID}").fetchone()
    return bytes(row[0]) if row else None
