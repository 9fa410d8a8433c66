"""The access checks never wait for the keys file on the event loop (another worker may hold its write lock)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from search_api.access.keysfile import KeysFile, WouldWait
from search_api.access.ratelimit import RateLimiter
from search_api.app import app, reset
from tests.search_api.conftest import BASE_URL


def test_a_request_waits_for_a_locked_keys_file_off_the_event_loop(
        api_env: Path, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """While another process holds the write lock, the request waits in a worker thread and the loop runs on.

    The old code waited on the event loop itself: nothing else ran for the 5 s
    busy timeout, after which the rate limit was skipped ("not checked") and
    the request's token never spent.
    """
    (api_env / "gw.toml").write_text("[api]\nrate_per_minute = 1\nrate_burst = 2\n", encoding="utf-8")
    monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
    reset()
    holder = sqlite3.connect(api_env / "keys.db", isolation_level=None)

    async def scenario() -> tuple[float, list[int]]:
        headers = {"Authorization": f"Bearer {keys['viewer']}"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL,
                                     headers=headers) as client:
            first = await client.get("/accounts")  # opens the keys file and makes its tables
            holder.execute("BEGIN IMMEDIATE")  # another worker writing
            waiting = asyncio.create_task(client.get("/accounts"))
            started = time.perf_counter()
            await asyncio.sleep(0.3)  # on a blocked loop this sleep lasts the whole busy timeout
            slept = time.perf_counter() - started
            holder.execute("COMMIT")
            second = await waiting
            third = await client.get("/accounts")
        return slept, [first.status_code, second.status_code, third.status_code]

    slept, statuses = asyncio.run(scenario())
    holder.close()
    assert slept < 4.0  # well under the 5 s busy timeout the old code spent on the loop
    assert "not checked" not in caplog.text
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
