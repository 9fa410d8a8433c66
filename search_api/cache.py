"""Values built from the store that are slow to build (registry index, impersonation matcher, names).

The first request builds the value (or the warm-up at start-up does); after
`max_age` seconds the next request starts a rebuild in a background thread
and keeps being answered from the old value, so a registry import shows
within about `max_age` without any request waiting for the rebuild (the
impersonation matcher over 20,000 registry entries takes tens of seconds).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from index.base import Backend

T = TypeVar("T")
log = logging.getLogger(__name__)


class Refreshing(Generic[T]):
    """One value built by `build(store)`, rebuilt in the background once older than `max_age` seconds."""

    def __init__(self, build: Callable[[Backend], T], max_age: float):
        self._build = build
        self.max_age = max_age
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built = 0.0
        self._rebuilding = False

    def get(self, store: Backend) -> T:
        with self._lock:
            if self._value is None:  # first use: build it now, holding the lock (others wait for it)
                self._value, self._built = self._build(store), time.monotonic()
            elif time.monotonic() - self._built > self.max_age and not self._rebuilding:
                self._rebuilding = True
                threading.Thread(target=self._rebuild, args=(store,), daemon=True).start()
            return self._value

    def _rebuild(self, store: Backend) -> None:
        try:
            value = self._build(store)
        except Exception:  # the old value keeps serving; the next stale read tries again
            log.exception("rebuilding a cached value from the store failed")
            value = None
        with self._lock:
            if value is not None:
                self._value, self._built = value, time.monotonic()
            self._rebuilding = False

    def clear(self) -> None:
        with self._lock:
            self._value = None
