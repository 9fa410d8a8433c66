"""Per-key rate limits shared by every API process: a token bucket per key in the keys file.

A key may make `burst` requests at once and `per_minute` a minute on
average; past that a request is refused with the seconds until the next
one would be allowed, which the API sends as Retry-After.

The buckets live in the ``rate_buckets`` table of the keys file (one SQLite
file every worker and every host-local API process opens), so running four
uvicorn workers does not give a key four times its limit. A take is one
``BEGIN IMMEDIATE`` transaction: read the bucket, refill it for the time
passed, spend a token, write it back; SQLite's write lock makes that atomic
across processes. The file is in WAL mode with NORMAL sync, so a take costs
no fsync, and on the event loop a take never waits for the lock (keysfile.py:
it waits in a worker thread instead). When the file stays locked past the
busy timeout the request is let through and a warning logged: the key was
already checked, and a stuck limiter must not take the whole API down. Times
are wall-clock seconds, since monotonic clocks are not comparable between
processes; a clock stepping back refills nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from search_api.access.keysfile import KeysFile

log = logging.getLogger(__name__)
SCHEMA = "CREATE TABLE IF NOT EXISTS rate_buckets (key_id TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)"


class RateLimiter:
    """Token buckets keyed by API key id, in the SQLite file at `path`."""

    def __init__(self, path: str | Path, per_minute: int, burst: int, clock: Callable[[], float] = time.time,
                 busy_timeout: float = 5.0):
        self.rate = per_minute / 60.0  # tokens per second
        self.burst = float(max(burst, 1))
        self._clock = clock
        self._file = KeysFile(path, busy_timeout)
        with self._file.connection() as db:
            db.execute(SCHEMA)

    def close(self) -> None:
        self._file.close()

    def take(self, key: str, wait: bool = True) -> float:
        """Spend one token of `key`: 0.0 when allowed, else the seconds to wait.

        With ``wait=False`` a busy keys file raises `WouldWait` instead (see keysfile.py).
        """
        try:
            return self._take(key, wait)
        except sqlite3.OperationalError as exc:  # locked past the busy timeout, or the disk is full
            log.warning("rate limit of key %s not checked: %s", key, exc)
            return 0.0

    def _take(self, key: str, wait: bool) -> float:
        with self._file.connection(wait) as db:
            db.execute("BEGIN IMMEDIATE")  # the write lock first: no other process reads this bucket meanwhile
            try:
                now = self._clock()
                row = db.execute("SELECT tokens, at FROM rate_buckets WHERE key_id = ?", (key,)).fetchone()
                tokens, then = row if row else (self.burst, now)
                tokens = min(self.burst, tokens + max(now - then, 0.0) * self.rate)
                spent = tokens >= 1.0
                db.execute("INSERT OR REPLACE INTO rate_buckets VALUES (?, ?, ?)",
                           (key, tokens - 1.0 if spent else tokens, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if spent:
            return 0.0
        return (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
