"""Parse workers: the heavy page parsers run in a separate process, off the crawl's reactor thread.

A crawl runs Scrapy, the middlewares, the pipelines and the store on one
thread, so it is bound by one core while the machine has more
(bench/crawl.py: the full pipeline used as much CPU as it took wall time).
Reading a government page (decoding, lxml, trafilatura's main text, dates,
mentions) or a whole feed costs 5–50 ms of pure Python; those parsers are pure
functions of the response bytes (crawler/pages/), so a spider awaits them in a
worker process instead: `page = await self.offload(parse_body, body, url, …)`.

- `GOVWATCH_PARSE_WORKERS` processes (default 1; 0 parses on the reactor
  thread, as does a crawl without the asyncio reactor). They are started with
  "spawn" (no fork of a threaded process), once per crawl process, on the first
  spider that opens, and shared by every spider of the process.
- Only parsers that cost well above a round trip (~0.4 ms of the crawl thread's
  CPU: pickling, the executor's threads) are worth sending.
- A parser's exceptions come back as they were raised (core.errors pickles its
  fields), so `with self.parsing(...)` counts them as before.
- If a worker dies (killed, out of memory), the call and every later one are
  parsed on the reactor thread: counted (`govwatch/parse_workers/broken`) and
  logged once; nothing is lost.
- As with any multiprocessing, a script that starts a crawl must keep its own
  top-level code under `if __name__ == "__main__":` (a worker imports it); if
  it does not, the workers fail to start and parsing falls back as above.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from scrapy.exceptions import NotConfigured

log = logging.getLogger(__name__)
T = TypeVar("T")
WARM_MODULES = ("crawler.pages.gov", "crawler.pages.feeds", "crawler.pages.wechat", "trafilatura")

_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}  # by worker count: one pool per crawl process


def _worker_init() -> None:
    """Ctrl-C stops the crawl through Scrapy in the parent; the worker must not die of it first."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm() -> int:
    """Import the parsers (and trafilatura, which they load lazily) before the first page arrives."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    import os

    return os.getpid()


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """The process-wide pool of `workers` parse processes (started on first use, warmed)."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            context = multiprocessing.get_context("spawn")
            pool = _pools[workers] = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init)
            for _ in range(workers):
                pool.submit(_warm)
        return pool


@atexit.register
def shutdown_pools() -> None:
    """Stop every parse worker of this process (at exit; tests call it to check a fresh start)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


class ParseWorkers:
    """Extension: `await ParseWorkers.of(crawler).run(fn, *args)` runs fn(*args) in a parse worker."""

    def __init__(self, workers: int, stats: Any):
        self.workers = workers
        self.stats = stats
        self.broken = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParseWorkers:
        from scrapy import signals
        from scrapy.utils.reactor import is_asyncio_reactor_installed

        workers = crawler.settings.getint("GOVWATCH_PARSE_WORKERS", 1)
        if workers < 0:
            raise NotConfigured(f"GOVWATCH_PARSE_WORKERS must be 0 or more, not {workers}")
        unit = cls(workers if is_asyncio_reactor_installed() else 0, crawler.stats)
        crawler.signals.connect(unit.opened, signal=signals.spider_opened)
        return unit

    @classmethod
    def of(cls, crawler: Any) -> ParseWorkers | None:
        return crawler.get_extension(cls) if crawler is not None else None

    def opened(self, spider: Any) -> None:
        """A spider that parses in workers (`parses_in_workers`) starts and warms them as it opens."""
        if getattr(spider, "parses_in_workers", False) and self.workers and not self.broken:
            shared_pool(self.workers)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker process (its result or its exception), else on this thread."""
        if not self.workers or self.broken:
            return fn(*args)
        try:
            return await asyncio.wrap_future(shared_pool(self.workers).submit(fn, *args))
        except BrokenProcessPool as exc:
            self._fall_back(exc)
            return fn(*args)

    def _fall_back(self, exc: BaseException) -> None:
        if not self.broken:
            self.broken = True
            self.stats.inc_value("govwatch/parse_workers/broken")
            log.warning("parse workers stopped (%s): parsing on the crawl thread from now on", exc)
        with _lock:
            pool = _pools.pop(self.workers, None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
