"""Kept: values read from the cluster and reused for a while, shared by the threads of a process.

Three reads are cheap to keep and costly to repeat on every search: an index's seq bounds
(candidates.py), the platforms that have posts (facets.py, which refreshes an old list in part
from `get_any`) and the words' term statistics (weights.py). Each is reused for `ttl` seconds;
a store that is full (`most` values) is emptied rather than trimmed, since every value is cheap
to read again.

A store owns its own invalidation: `clear()` (this process wrote what the values were read from)
bumps its `generation`, and a read that began before a clear is used by its caller but not kept
(`put_many(…, since=generation when the read began)`): it may hold what the write replaced.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Values by key, each reused `ttl` seconds after it was read, at most `most` of them."""

    def __init__(self, ttl: float, most: int = 1_000):
        self.ttl, self.most = ttl, most
        self._values: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()
        self._generation = 0  # bumped by each clear()

    @property
    def generation(self) -> int:
        """How many times the store was cleared: taken before a read, given to put_many with its values."""
        with self._lock:
            return self._generation

    def get(self, key: K) -> V | None:
        """The value kept for `key`, None when there is none or it is older than `ttl`."""
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The fresh values of `keys` that are kept (the others are left out)."""
        now = time.monotonic()
        with self._lock:
            found = {k: self._values.get(k) for k in keys}
        return {k: v[1] for k, v in found.items() if v is not None and now - v[0] < self.ttl}

    def get_any(self, key: K) -> V | None:
        """The value kept for `key` however old (None: none kept), for a caller that refreshes it in part."""
        with self._lock:
            found = self._values.get(key)
        return found[1] if found is not None else None

    def put(self, key: K, value: V) -> None:
        self.put_many({key: value})

    def put_many(self, values: dict[K, V], since: int | None = None) -> None:
        """Keep `values`, read now; with `since` (the generation when their read began) only when no
        clear() came meanwhile."""
        now = time.monotonic()
        with self._lock:
            if since is not None and since != self._generation:
                return
            if len(self._values) + len(values) > self.most:
                self._values.clear()
            self._values.update({k: (now, v) for k, v in values.items()})

    def clear(self) -> None:
        """Drop every value (the next reads ask the cluster); a read begun before now is not kept."""
        with self._lock:
            self._generation += 1
            self._values.clear()

    def forget(self, key: K) -> None:
        """Drop `key`'s value (the next read asks the cluster)."""
        with self._lock:
            self._values.pop(key, None)
