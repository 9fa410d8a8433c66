"""Values built from the store that are slow to build (registry index, impersonation matcher, names).

The first request builds the value (or the warm-up at start-up does); after
`max_age` seconds the next request starts a rebuild in a background thread
and keeps being answered from the old value, so a registry import shows
within about `max_age` without any request waiting for the rebuild (the
impersonation matcher over 20,000 registry entries takes tens of seconds).

A value may say what it is built from (`store_stamp("registry")`): when the store can stamp those
parts (Elasticsearch: index/elastic/stamps.py), the rebuild first compares the stamp with the one
read before the last build and, when it has not moved, keeps the value for another `max_age`
instead of rebuilding it (on the 1M-post bench store a registry and names rebuild cost each API
worker ~8.5 s of CPU and the node ~5.8 s, every 2 minutes). A store without stamps rebuilds as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from index.base import Backend

T = TypeVar("T")
log = logging.getLogger(__name__)


Stamp = Callable[[Backend], Hashable | None]


def store_stamp(*names: str) -> Stamp:
    """The stamp of the store's `names` (accounts, registry, …) where the store has stamps, else None."""
    warned: list[bool] = []

    def read(store: Backend) -> Hashable | None:
        stamp = getattr(store, "stamp", None)
        try:
            return stamp(*names) if stamp is not None else None
        except Exception:  # no stamp this time (e.g. an API user without the monitor privilege): rebuilt as before
            if not warned:
                warned.append(True)
                log.warning("could not stamp %s; rebuilding on the schedule", ", ".join(names), exc_info=True)
            return None
    return read


class Refreshing(Generic[T]):
    """One value built by `build(store)`, rebuilt in the background once older than `max_age` seconds
    (with a `stamp`: only if the stamp moved since the last build)."""

    def __init__(self, build: Callable[[Backend], T], max_age: float, stamp: Stamp | None = None):
        self._build = build
        self.max_age = max_age
        self._stamp = stamp or (lambda store: None)
        self._lock = threading.Lock()
        self._value: T | None = None
        self._built = 0.0
        self._rebuilding = False
        self.rebuild_thread: threading.Thread | None = None  # the last background rebuild (tests join it)
        self._built_at: Hashable | None = None  # the stamp read before the value was built
        self._cleared = 0  # clear() calls: a rebuild begun before one must not bring its old store's value back

    def _stamped_build(self, store: Backend) -> tuple[T, Hashable | None]:
        stamp = self._stamp(store)  # before the build: a write after it moves the next stamp
        return self._build(store), stamp

    def get(self, store: Backend) -> T:
        with self._lock:
            if self._value is None:  # first use: build it now, holding the lock (others wait for it)
                self._value, self._built_at = self._stamped_build(store)
                self._built = time.monotonic()
            elif time.monotonic() - self._built > self.max_age and not self._rebuilding:
                self._rebuilding = True
                self.rebuild_thread = threading.Thread(target=self._rebuild, args=(store, self._cleared),
                                                       daemon=True)
                self.rebuild_thread.start()
            return self._value

    def _rebuild(self, store: Backend, cleared: int) -> None:
        value, stamp = None, None
        try:
            stamp = self._stamp(store)  # read before the build: a write after it moves the next stamp
            if stamp is None or stamp != self._built_at:
                value = self._build(store)
        except Exception:  # the old value keeps serving; the next stale read tries again
            if cleared == self._cleared:
                log.exception("rebuilding a cached value from the store failed")
            else:  # cleared meanwhile: its store was closed under it, and its value is dropped anyway
                log.debug("a rebuild from a store cleared meanwhile failed", exc_info=True)
            stamp = None
        with self._lock:
            if cleared == self._cleared:  # else cleared meanwhile (a reset, a config reload): from a store now gone
                if value is not None:
                    self._value, self._built_at = value, stamp
                if value is not None or (stamp is not None and stamp == self._built_at):  # built, or unchanged
                    self._built = time.monotonic()
                self._rebuilding = False  # else the flag is the new store's rebuild's, not this one's

    def clear(self) -> None:
        with self._lock:
            self._value, self._built_at = None, None
            self._cleared += 1
            self._rebuilding = False  # the new store's value may be rebuilt without waiting for the old rebuild
