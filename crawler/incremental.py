"""The crawl's store and its incremental state, as one component per crawler.

Like zyte-spider-templates' incremental middleware and manager, one object
created with `from_crawler` (an extension, `EXTENSIONS` in crawler.settings)
owns everything an incremental crawl remembers: the store connection, the
crawl state file that belongs to that store (crawler.state), the known post
ids of a source and the frontiers. Spiders and the store pipeline reach it
through `CrawlStore.of(crawler)`; spiders never open the store themselves.

When the store cannot be opened or written (disk full, read-only, file
deleted), the component logs one ERROR naming the store and the reason, sets
`govwatch/store_error` in the stats and closes the spider with the finish
reason `store_failed`; the next spider of the run tries again on its own.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from core.config import Settings, load_settings
from core.errors import StoreError
from crawler.state import CrawlState, SourceState, state_path
from index import open_backend
from index.base import Backend

log = logging.getLogger(__name__)
STORE_FAILED = "store_failed"


class CrawlStore:
    """One crawler's store and crawl state (opened once, on first use)."""

    def __init__(self, crawler: Any, settings: Settings):
        self.crawler = crawler
        self.settings = settings
        self._backend: Backend | None = None
        self._state: CrawlState | None = None
        self.failure = ""
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStore:
        from scrapy import signals

        unit = cls(crawler, load_settings(crawler.settings.get("GOVWATCH_CONFIG") or None))
        crawler.signals.connect(unit.close, signal=signals.spider_closed)
        return unit

    @classmethod
    def of(cls, crawler: Any) -> CrawlStore:
        """The crawler's CrawlStore (a RuntimeError when the extension is not enabled)."""
        unit = crawler.get_extension(cls)
        if unit is None:
            raise RuntimeError("crawler.incremental.CrawlStore is not in EXTENSIONS")
        return unit

    def open(self) -> bool:
        """Open the store, then its crawl state; False (and the spider closing) when the store fails."""
        if self._state is not None or self.failure or self.closed:
            return self._state is not None
        try:
            self._backend = open_backend(self.settings)
            store_id = self._backend.store_id()
            self._state = CrawlState(state_path(self.crawler.settings, self.settings), store_id)
        except StoreError as exc:
            self.fail(exc)
            return False
        if self._state.voided:
            self.crawler.stats.inc_value("govwatch/crawl_state_voided")
        return True

    @property
    def backend(self) -> Backend:
        if self._backend is None or not self.open():
            raise StoreError(self.failure or "the store is not open")
        return self._backend

    def fail(self, exc: Exception) -> None:
        """The store failed: say so once, and end this spider (the next one of the run tries again)."""
        if self.failure:
            return
        self.failure = str(exc)
        log.error("store failed, %s stops: %s", getattr(self.crawler.spider, "name", "spider"), exc)
        self.crawler.stats.set_value("govwatch/store_error", self.failure)
        try:
            engine = self.crawler.engine
        except RuntimeError:  # not crawling (a pipeline driven by hand in tests)
            return
        if engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=STORE_FAILED))

    # incremental state ----------------------------------------------------
    def begin(self, platform: str, account_id: str, now: datetime) -> SourceState:
        """Mark a source in progress; its frontier (none when the store failed: nothing is skipped)."""
        if not self.open() or self._state is None:
            return SourceState(None, None, resumed=False)
        return self._state.begin(platform, account_id, now)

    def known_post_ids(self, platform: str, account_id: str) -> set[str]:
        """Post ids the store already holds for a source (their detail pages need no new fetch)."""
        if not self.open() or self._backend is None:
            return set()
        return self._backend.known_post_ids(platform, account_id)

    def finish(self, platform: str, account_id: str, newest: datetime | None, items: int) -> None:
        """Record a completed source (only after its posts are durably stored)."""
        if self.open() and self._state is not None:
            self._state.finish(platform, account_id, newest, items)

    def close(self) -> None:
        for part in (self._backend, self._state):
            if part is not None:
                part.close()
        self._backend = self._state = None
        self.closed = True
