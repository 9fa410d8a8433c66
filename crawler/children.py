"""Child processes shared by every crawler of this process: the parse workers (crawler/offload.py) and the
writer processes (crawler/sidecar.py).

One child (or pool) per key, started on first use and replaced when it is dead; each is ended and waited
for at exit (so bench/crawl.py can count its CPU), or earlier by its owner (`discard`, then its own close).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedChildren(Generic[T]):
    """A process-wide table of children by key; `lock` also guards what owners keep on them (users)."""

    def __init__(self, close: Callable[[T], None], dead: Callable[[T], bool] = lambda child: False):
        self.lock = threading.RLock()
        self._close = close
        self._dead = dead
        self._children: dict[Hashable, T] = {}
        atexit.register(self.shutdown)

    def get(self, key: Hashable, start: Callable[[], T]) -> T:
        """The child of `key`, started with `start()` (its error raised) when there is none or it is dead (then
        closed)."""
        with self.lock:
            child = self._children.get(key)
            if child is not None and self._dead(child):
                self._close(child)
                child = None
            if child is None:
                child = self._children[key] = start()
            return child

    def discard(self, child: T) -> None:
        """Forget `child` (its owner ends it): the next `get` of its key starts another."""
        with self.lock:
            for key, value in list(self._children.items()):
                if value is child:
                    del self._children[key]

    def idle(self, unused: Callable[[T], bool]) -> list[T]:
        """Forget and return the children for which `unused(child)` holds (the caller ends them)."""
        with self.lock:
            gone = {key: child for key, child in self._children.items() if unused(child)}
            for key in gone:
                del self._children[key]
            return list(gone.values())

    def shutdown(self) -> None:
        """End every child and wait for it (at exit, and in tests)."""
        with self.lock:
            children = list(self._children.values())
            self._children.clear()
        for child in children:
            self._close(child)
