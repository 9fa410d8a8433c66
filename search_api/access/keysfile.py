"""The keys file's SQLite connections: one that waits for locks, and one that never does, for the event loop.

The access checks are async (auth.py), so their SQLite calls run on the
event loop, where a call must not wait: while another worker holds the
file's write lock (every rate-limit take and access-log line is a short
write transaction), a waiting call would stop all of this worker's
requests, not only its own. So `off_loop` first tries a call with
``wait=False``: on a connection without busy timeout, under a lock taken
without waiting. When either is busy the call raises `WouldWait` and is
repeated with ``wait=True`` in a worker thread, on the connection that waits
(up to the busy timeout). An idle file, the common case, costs no thread
trip: that trip cost about 0.25 ms of CPU a request (`bench/auth.py`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

T = TypeVar("T")
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class WouldWait(Exception):
    """Raised by a ``wait=False`` call when the keys file or its connection is busy."""


def _connect(path: str | Path, busy_timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=busy_timeout)
    # WAL: readers never wait for the writer; NORMAL sync: a small write costs no fsync
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class KeysFile:
    """Two connections to one SQLite file, each used by one thread at a time."""

    def __init__(self, path: str | Path, busy_timeout: float = 5.0):
        self._waiting = _connect(path, busy_timeout)
        self._waiting_lock = threading.Lock()
        self._quick = _connect(path, busy_timeout)  # set up like the other, then told not to wait
        self._quick.execute("PRAGMA busy_timeout = 0")
        self._quick_lock = threading.Lock()

    def close(self) -> None:
        self._waiting.close()
        self._quick.close()

    @contextmanager
    def connection(self, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection for this thread alone; with ``wait=False``, `WouldWait` rather than any wait."""
        if wait:
            with self._waiting_lock:
                yield self._waiting
            return
        if not self._quick_lock.acquire(blocking=False):
            raise WouldWait("the keys file's connection is in use by another thread")
        try:
            yield self._quick
        except sqlite3.OperationalError as exc:
            if (exc.sqlite_errorcode & 0xFF) in _BUSY:  # extended codes (261: BUSY_RECOVERY) too
                raise WouldWait(str(exc)) from exc
            raise
        finally:
            self._quick_lock.release()


async def off_loop(call: Callable[[bool], T]) -> T:
    """``call(False)`` here on the event loop; if it would have to wait, ``call(True)`` in a worker thread."""
    try:
        return call(False)
    except WouldWait:
        return await anyio.to_thread.run_sync(call, True)
