"""Kept: values read from the cluster and reused for a while, shared by the threads of a process.

Three reads are cheap to keep and costly to repeat on every search: an index's seq bounds
(candidates.py), the platforms that have posts (facets.py, which refreshes an old list in part
from `get_any`) and the words' term statistics (weights.py). Each is reused for `ttl` seconds;
a store that is full (`most` values) is emptied rather than trimmed, since every value is cheap
to read again.
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

    def put_many(self, values: dict[K, V]) -> None:
        """Keep `values`, read now."""
        now = time.monotonic()
        with self._lock:
            if len(self._values) + len(values) > self.most:
                self._values.clear()
            self._values.update({k: (now, v) for k, v in values.items()})

    def clear(self) -> None:
        """Drop every value (the next reads ask the cluster)."""
        with self._lock:
            self._values.clear()

    def forget(self, key: K) -> None:
        """Drop `key`'s value (the next read asks the cluster)."""
        with self._lock:
            self._values.pop(key, None)
