"""What the key check and rate-limit take cost per request, on the event loop and through a worker thread.

    .venv/bin/python bench/auth.py              # 3,000 requests per way, two rounds
    .venv/bin/python bench/auth.py --requests 10000

Each "request" is what `search_api.access.auth.authenticate` does with the
keys file (one indexed key lookup, one rate-limit write), measured three
ways in one uvloop event loop, as the API runs:
- `loop`: off_loop on an idle keys file: both calls run on the loop (wait=False);
- `thread`: both calls always sent through anyio's thread pool (the simple fix);
- `locked`: off_loop while another connection holds the write lock for a
  moment every few requests, so some calls move to a thread.
CPU is this process's (time.process_time): on a shared machine the wall
figures depend on the neighbours, the CPU ones much less.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio.to_thread
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from search_api.access.keysfile import off_loop  # noqa: E402
from search_api.access.keystore import KeyStore  # noqa: E402
from search_api.access.ratelimit import RateLimiter  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gw-auth-bench-") as folder:
        measure(Path(folder), args.requests)


def measure(folder: Path, requests: int) -> None:
    """Print the CPU and wall time a request of each way, two rounds, with a keys file in `folder`."""
    store = KeyStore(folder / "keys.db")
    key, secret = store.add("bench", "viewer")
    limiter = RateLimiter(folder / "keys.db", per_minute=10**9, burst=10**9)
    holder = sqlite3.connect(folder / "keys.db", isolation_level=None)

    async def check() -> None:  # what authenticate does
        found = await off_loop(lambda wait: store.authenticate(secret, wait))
        assert found is not None
        await off_loop(lambda wait: limiter.take(found.key_id, wait))

    async def loop(n: int) -> None:
        await check()

    async def thread(n: int) -> None:
        found = await anyio.to_thread.run_sync(store.authenticate, secret)
        assert found is not None
        await anyio.to_thread.run_sync(limiter.take, found.key_id)

    async def locked(n: int) -> None:
        if n % 20 == 0:  # another worker writes for 2 ms
            holder.execute("BEGIN IMMEDIATE")
            asyncio.get_running_loop().call_later(0.002, holder.execute, "COMMIT")
        await check()

    async def run() -> None:
        ways: list[tuple[str, Callable[[int], Awaitable[None]]]] = [("loop", loop), ("thread", thread),
                                                                    ("locked", locked)]
        for _ in range(2):
            for name, way in ways:
                wall, cpu = time.perf_counter(), time.process_time()
                for n in range(requests):
                    await way(n)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                print(f"{name:<7} {1000 * cpu / requests:6.3f} ms CPU  "
                      f"{1000 * wall / requests:6.3f} ms wall a request")

    uvloop.run(run())
    holder.close()
    store.close()
    limiter.close()


if __name__ == "__main__":
    main()
