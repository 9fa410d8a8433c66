"""Where a search runs: over SQLite, on one thread per API process; over Elasticsearch, on the thread pool.

SQLite keeps per connection what makes a repeated search cheap: prepared
statements, the FTS5 structure, and the match counts of index/sqlite_counts
(per connection by design), and the store opens one reading connection per
thread. FastAPI runs a `def` route on whichever of its up to 40 pool
threads is free, so with a few requests at once a search met a connection
that had not seen it: at 1,000,000 posts, 4 requests at a time in one
process cost 10.7–13.0 ms of CPU a /posts request, against 8.2–8.3 ms with
every search on one thread. A SQLite search is CPU work, and `govwatch
serve` runs one process per core, so a process gains nothing from two
searches at once; its event loop keeps reading and answering meanwhile.

An Elasticsearch search mostly waits for the cluster, so it stays on the
pool, where searches overlap as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from index.base import Backend
from index.sqlite import SqliteBackend

T = TypeVar("T")
_SEARCHES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")


async def searching(store: Backend, call: Callable[..., T], *args: object) -> T:
    """`call(*args)` off the event loop: on the search thread when `store` is SQLite, else on the pool."""
    if not isinstance(store, SqliteBackend):
        return await run_in_threadpool(call, *args)
    context = contextvars.copy_context()  # as run_in_threadpool does: the call sees this request's context
    return await asyncio.get_running_loop().run_in_executor(_SEARCHES, functools.partial(context.run, call, *args))
