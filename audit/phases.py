"""Wall and CPU seconds per phase of a long job (the audit's breakdown, printed by bench/audit.py)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class PhaseClock:
    """Accumulates (wall, CPU of the calling thread) seconds under phase names, in the order first seen.

    The calling thread's CPU (time.thread_time), not the process's: the audit reads ahead on a thread
    (index.sqlite_reads.ActivityReader), whose time is added as a phase of its own.
    """

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    def add(self, name: str, wall: float, cpu: float) -> None:
        slot = self.spent.setdefault(name, [0.0, 0.0])
        slot[0] += wall
        slot[1] += cpu

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the body of a `with` block as `name`."""
        wall, cpu = time.monotonic(), time.thread_time()
        try:
            yield
        finally:
            self.add(name, time.monotonic() - wall, time.thread_time() - cpu)

    def timed(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """Yield `items`, counting only the time spent producing each one as `name` (a store's stream)."""
        it = iter(items)
        while True:
            wall, cpu = time.monotonic(), time.thread_time()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.add(name, time.monotonic() - wall, time.thread_time() - cpu)
            yield item

    def subtract(self, name: str, part: str) -> None:
        """Take `part`'s time out of `name` (a loop timed as a whole, its stream's share timed apart)."""
        if name in self.spent and part in self.spent:
            self.spent[name] = [a - b for a, b in zip(self.spent[name], self.spent[part], strict=True)]

    def lines(self) -> list[str]:
        """One line per phase: name, wall seconds, CPU seconds."""
        return [f"{name:<34} {wall:7.1f} s wall {cpu:7.1f} s CPU" for name, (wall, cpu) in self.spent.items()]
