"""Per-platform match counts in one pass: every post's platform by rowid, held in memory per store.

A search's counts per platform were one FTS5 query per platform, each the
search's own match AND-ed with the platform's tag, counted to FACET_CAP + 1.
For a dense single word that is cheap (each platform reaches the cap in a
few hundred steps), but for two words, an OR or a word in a few thousand
posts, FTS5 merges the whole match with each platform's tag list again: at
1,000,000 posts 17 ms for 公路 (5,748 posts) and 110 ms for 一个 公路,
against 1–17 ms for the total alone. Here the matches' rowids are read once
(the statement that counts the total, up to TOTAL_CAP + 1) and each rowid's
platform is looked up in a bytearray: both the total and the platform counts
come from that one pass. A platform with fewer than FACET_CAP matches among
the first TOTAL_CAP + 1 of a larger total is counted the old way, so every
count is the one the per-platform queries give.

The map is exact for one state of the index: it is built (on its own
connection, in one read transaction, on a thread, so no search waits for
it) together with the FTS5 structure record (`<table>_fts_data` id 10),
which every write to the full-text index rewrites. The counting statement
reads that record in the same statement as the rowids, so it sees the same
snapshot; when the record differs, the map is not used (the per-platform
queries answer) and a new one is built, at most once per REBUILD_SECONDS and
only once the index has gone quiet (the same record at two misses in a row):
while a crawl writes, a map would be stale before it was used.
In-memory stores have no file to build from and always count the old way.

The same map also holds the dated posts' rowids in (published_at, rowid)
order and each rowid's place in it (read from the date index in the same
transaction), for searches sorted by date (index/sqlite_newest.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

REBUILD_SECONDS = 60.0
STRUCTURE_ID = 10  # FTS5's structure record: the segments of the index, rewritten by every write
STRUCTURE = f"(SELECT block FROM posts_fts_data WHERE id = {STRUCTURE_ID})"  # the posts' record, as a subquery


@dataclass(frozen=True)
class RowMap:
    """One state of the posts: each rowid's platform code, and the dated rowids in date order."""

    structure: bytes  # the FTS5 structure record it was read with
    codes: bytearray  # rowid -> index into names (0: no post)
    names: list[str]
    order: array  # dated rowids by (published_at, rowid)
    place: array  # rowid -> its index in order (-1: no post, or undated)


class PlatformMap:
    """Platform codes of one store's posts by rowid, with the index state they were read at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: RowMap | None = None
        self._building = False
        self._started = -REBUILD_SECONDS
        self._missed_at: bytes | None = None  # the structure record at the last miss

    def rows(self, db: sqlite3.Connection, structure: bytes | None) -> RowMap | None:
        """The whole map when it was read at `structure`; else None, and a rebuild is started when due."""
        state = self._state
        if state is not None and structure is not None and state.structure == structure:
            return state
        with self._lock:
            quiet = state is None or (structure is not None and structure == self._missed_at)
            self._missed_at = structure
            due = quiet and not self._building and time.monotonic() - self._started >= REBUILD_SECONDS
            if due:
                self._building, self._started = True, time.monotonic()
        if due:
            path = _file_of(db)
            if path:
                threading.Thread(target=self._build_then_free, args=(path,), name="platform-map", daemon=True).start()
            else:
                self._building = False
        return None

    def _build_then_free(self, path: str) -> None:
        try:
            self.build(path)
        except sqlite3.Error:  # the store moved or is busy: the per-platform queries keep answering
            pass
        finally:
            self._building = False

    def build(self, path: str) -> None:
        """Read every post's platform (one read transaction on a connection of its own) and keep it."""
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("BEGIN")
            structure = conn.execute(f"SELECT block FROM posts_fts_data WHERE id = {STRUCTURE_ID}").fetchone()
            top = conn.execute("SELECT max(rowid) FROM posts").fetchone()[0] or 0
            names = [""] + [r[0] for r in conn.execute("SELECT DISTINCT platform FROM posts ORDER BY platform")]
            if structure is None or len(names) > 255:
                return
            codes = bytearray(top + 1)
            for code, platform in enumerate(names[1:], 1):
                # one string per platform (the covering index posts_by_account): far fewer Python objects than rows
                joined = conn.execute("SELECT group_concat(rowid) FROM posts WHERE platform = ?", (platform,)).fetchone()[0]
                for rowid in map(int, joined.split(",")) if joined else ():
                    codes[rowid] = code
            order, place = _date_order(conn, top)
            conn.execute("COMMIT")
        finally:
            conn.close()
        self._state = RowMap(bytes(structure[0]), codes, names, order, place)


def _date_order(conn: sqlite3.Connection, top: int) -> tuple[array, array]:
    """(dated rowids in (published_at, rowid) order, each rowid's index in it): the date index's own order."""
    joined = conn.execute("SELECT group_concat(rowid) FROM (SELECT rowid FROM posts INDEXED BY posts_by_time "
                          "WHERE published_at IS NOT NULL ORDER BY published_at, rowid)").fetchone()[0]
    order = array("i", map(int, joined.split(",")) if joined else ())
    place = array("i", [-1]) * (top + 1)
    for i, rowid in enumerate(order):
        place[rowid] = i
    return order, place


def _file_of(db: sqlite3.Connection) -> str:
    """The file of the connection's main database ('' for an in-memory one)."""
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return str(file or "")
    return ""


def matched_rows(db: sqlite3.Connection, platforms: PlatformMap, match_sql: str, args: tuple[object, ...]
                 ) -> tuple[RowMap, list[int]] | None:
    """(the map, the matching rowids) of `match_sql` (a SELECT of the matching rowids, with its LIMIT), or None
    when the map does not describe the snapshot the statement read."""
    structure, joined = db.execute(f"SELECT {STRUCTURE}, (SELECT group_concat(rowid) FROM ({match_sql}))",
                                   args).fetchone()
    rows = platforms.rows(db, structure)
    if rows is None:
        return None
    rowids = list(map(int, joined.split(","))) if joined else []
    if rowids and max(rowids) >= len(rows.codes):  # cannot be at the same structure record; never guess
        return None
    return rows, rowids


def by_platform(rows: RowMap, rowids: list[int]) -> Counter[str]:
    """How many of `rowids` each platform has."""
    by_code = Counter(map(rows.codes.__getitem__, rowids))
    return Counter({rows.names[code]: n for code, n in by_code.items()})


def matches_by_platform(db: sqlite3.Connection, platforms: PlatformMap, match_sql: str, args: tuple[object, ...]
                        ) -> tuple[int, Counter[str]] | None:
    """(matches read, matches per platform) of `match_sql`, or None (as matched_rows)."""
    got = matched_rows(db, platforms, match_sql, args)
    return (len(got[1]), by_platform(*got)) if got is not None else None
