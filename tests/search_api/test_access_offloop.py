"""The access checks never wait for the keys file on the event loop (another worker may hold its write lock)."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from search_api.access import auth
from search_api.access.keysfile import KeysFile, WouldWait
from search_api.access.ratelimit import RateLimiter
from search_api.app import app, reset
from tests.search_api.conftest import BASE_URL


def test_a_request_waits_for_a_locked_keys_file_off_the_event_loop(
        api_env: Path, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """While another process holds the write lock, the request waits in a worker thread and the loop runs on.

    The old code waited on the event loop itself: nothing else ran for the
    busy timeout, after which the rate limit was skipped ("not checked") and
    the request's token never spent. Here the lock is released by the loop
    while the request waits: only a loop that is not blocked can do that
    before the busy timeout (60 s, so that a slow machine cannot make it run out).
    """
    (api_env / "gw.toml").write_text("[api]\nrate_per_minute = 1\nrate_burst = 2\n", encoding="utf-8")
    monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
    waiting_take = threading.Event()

    class Watched(RateLimiter):  # auth.limiter's own limiter, with a long busy timeout and a mark when it waits
        def take(self, key: str, wait: bool = True) -> float:
            if wait:
                waiting_take.set()
            return super().take(key, wait)

    monkeypatch.setattr(auth, "RateLimiter", functools.partial(Watched, busy_timeout=60.0))
    reset()
    holder = sqlite3.connect(api_env / "keys.db", isolation_level=None)

    async def scenario() -> list[int]:
        headers = {"Authorization": f"Bearer {keys['viewer']}"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL,
                                     headers=headers) as client:
            first = await client.get("/accounts")  # opens the keys file and makes its tables
            holder.execute("BEGIN IMMEDIATE")  # another worker writing
            waiting = asyncio.create_task(client.get("/accounts"))
            assert await asyncio.to_thread(waiting_take.wait, 60), "the request never waited for the lock"
            holder.execute("COMMIT")  # done on the loop while the request still waits for the lock
            second = await waiting
            third = await client.get("/accounts")
        return [first.status_code, second.status_code, third.status_code]

    statuses = asyncio.run(scenario())
    holder.close()
    assert "not checked" not in caplog.text  # the lock came free inside the busy timeout
    assert statuses == [200, 200, 429]  # the waiting request spent its token once the lock was gone


def test_without_waiting_a_busy_keys_file_raises_would_wait(tmp_path: Path) -> None:
    """wait=False never waits: a held write lock raises WouldWait; wait=True still takes the token after it."""
    limiter = RateLimiter(tmp_path / "keys.db", per_minute=1, burst=1, busy_timeout=0.1)
    holder = sqlite3.connect(tmp_path / "keys.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(WouldWait):
        limiter.take("k", wait=False)
    holder.execute("ROLLBACK")
    assert limiter.take("k", wait=False) == 0.0 and limiter.take("k", wait=True) > 0
    holder.close()
    limiter.close()


def test_a_connection_in_use_by_another_thread_raises_would_wait(tmp_path: Path) -> None:
    """The loop's connection is shared by threads (one loop each in tests); a busy one is not waited for."""
    file = KeysFile(tmp_path / "keys.db")
    with file.connection(wait=False), pytest.raises(WouldWait), file.connection(wait=False):
        pass
    with file.connection(wait=False) as db:  # free again
        assert db.execute("SELECT 1").fetchone() == (1,)
    file.close()
