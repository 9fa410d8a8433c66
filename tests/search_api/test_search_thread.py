"""SQLite searches run one at a time on the process's search thread; other stores' on the thread pool."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from index.sqlite import SqliteBackend
from search_api.search_thread import searching


class Overlap:
    """Records the threads calls ran on and how many ran at once."""

    def __init__(self) -> None:
        self.threads: set[str] = set()
        self.running = self.most = 0
        self._lock = threading.Lock()

    def call(self, wait: threading.Barrier | None = None) -> str:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        try:
            if wait is not None:
                wait.wait()  # only passes when two calls run at once
            else:
                time.sleep(0.02)
        finally:
            with self._lock:
                self.running -= 1
        return threading.current_thread().name


async def _all(store: Any, calls: int, *args: Any) -> list[str]:
    seen = Overlap()
    names = await asyncio.gather(*(searching(store, seen.call, *args) for _ in range(calls)))
    assert seen.threads == set(names)
    return names if seen.most == 1 else [*names, f"{seen.most} at once"]


def test_sqlite_searches_share_one_thread_one_at_a_time(store: SqliteBackend) -> None:
    names = asyncio.run(_all(store, 6))
    assert len(names) == 6 and len(set(names)) == 1 and names[0].startswith("search")
    assert names[0] != threading.current_thread().name


def test_other_stores_search_on_the_pool_at_once() -> None:
    together = threading.Barrier(2, timeout=60)
    names = asyncio.run(_all(object(), 2, together))  # the barrier breaks unless both run at once
    assert names[-1] == "2 at once" and not any(n.startswith("search") for n in names[:2])


@pytest.mark.parametrize("path", ["/posts?q=医保", "/pages?q=医保", "/?q=医保", "/ui/pages?q=医保"])
def test_search_routes_use_the_search_thread(filled: Path, client_for: Callable[[str | None], TestClient],
                                             monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    ran_on: list[str] = []
    for name in ("search_posts", "search_pages"):
        original = getattr(SqliteBackend, name)

        def spy(self: SqliteBackend, query: Any, _original: Any = original) -> Any:
            ran_on.append(threading.current_thread().name)
            return _original(self, query)
        monkeypatch.setattr(SqliteBackend, name, spy)
    with client_for("investigator") as client:
        assert client.get(path).status_code == 200
    assert ran_on and all(name.startswith("search") for name in ran_on)
