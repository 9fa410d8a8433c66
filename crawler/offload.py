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
- The reactor thread itself writes each call to a worker's pipe and reads the
  answers when the event loop says they are there (crawler/parse_pool.py): no
  helper threads. A
  ProcessPoolExecutor used two (its manager and its queue feeder), about 0.8 ms
  of CPU per call that held the GIL the crawl thread needed.
- Only parsers that cost well above a round trip are worth sending.
- A parser's exceptions come back as they were raised (core.errors pickles its
  fields), so `with self.parsing(...)` counts them as before.
- A call whose arguments, result or exception cannot be pickled or unpickled
  is parsed again on the reactor thread, that call only: counted
  (`govwatch/parse_workers/in_place`), logged, and the workers stay in use.
- If a worker dies (killed, out of memory), the pool is closed: the calls
  still waiting on any of its workers and every later call of that crawler are
  parsed on the reactor thread: counted once (`govwatch/parse_workers/broken`)
  and logged; nothing is lost. A later crawl starts new workers.
- The workers are spawned, so they import the main module of the process that
  starts them (as any multiprocessing "spawn"): a script that starts a crawl
  keeps its top-level code under `if __name__ == "__main__":`, or each worker
  runs that code again as it starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy.exceptions import NotConfigured

from crawler.children import SharedChildren
from crawler.parse_pool import Pool, Unpicklable, WorkerDied

log = logging.getLogger(__name__)
T = TypeVar("T")

# By worker count: one pool per crawl process. A dead pool is replaced only after a crawler dropped it
# (`_fall_back`): until then each crawler that finds it dead falls back on its own, counted.
_pools: SharedChildren[Pool] = SharedChildren(lambda pool: pool.close(wait=True))


def shared_pool(workers: int) -> Pool:
    """The process-wide pool of `workers` parse processes (started on first use; they import the parsers)."""
    return _pools.get(workers, lambda: Pool(workers))


def shutdown_pools() -> None:
    """Stop every parse worker of this process and wait for them (at exit; bench/crawl.py counts their CPU)."""
    _pools.shutdown()


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
        """A spider that parses in workers (`parses_in_workers`) starts them as it opens."""
        if getattr(spider, "parses_in_workers", False) and self.workers and not self.broken:
            shared_pool(self.workers)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker process (its result or its exception), else on this thread."""
        if not self.workers or self.broken:
            return fn(*args)
        pool = shared_pool(self.workers)
        if pool.dead:  # a worker died before this crawler noticed (another crawler of the process did)
            self._fall_back(WorkerDied("a parse worker ended"), pool)
            return fn(*args)
        try:
            future = pool.submit(fn, args)
        except Exception as exc:  # the arguments cannot be pickled
            return self._in_place(fn, args, exc)
        try:
            return await future  # type: ignore[no-any-return]
        except WorkerDied as exc:
            self._fall_back(exc, pool)
            return fn(*args)
        except Unpicklable as exc:
            return self._in_place(fn, args, exc)

    def _in_place(self, fn: Callable[..., T], args: tuple[Any, ...], exc: BaseException) -> T:
        """One call that could not go through a worker: parsed here, counted; the workers stay in use."""
        self.stats.inc_value("govwatch/parse_workers/in_place")
        log.warning("%s could not go through a parse worker (%s): parsed on the crawl thread", _name(fn), exc)
        return fn(*args)

    def _fall_back(self, exc: BaseException, pool: Pool) -> None:
        if not self.broken:
            self.broken = True
            self.stats.inc_value("govwatch/parse_workers/broken")
            log.warning("parse workers stopped (%s): parsing on the crawl thread from now on", exc)
        _pools.discard(pool)
        pool.close(wait=False)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", repr(fn))
