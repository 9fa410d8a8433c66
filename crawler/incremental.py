"""The crawl's store and its incremental state, as one component per crawler.

Like zyte-spider-templates' incremental middleware and manager, one object
created with `from_crawler` (an extension, `EXTENSIONS` in crawler.settings)
owns everything an incremental crawl remembers: the store connection, the
crawl state file that belongs to that store (crawler.state), the known post
ids of a source, the frontiers and the checkpoints that move them. Spiders
and the store pipeline reach it through `CrawlStore.of(crawler)`; spiders
never open the store themselves.

Checkpoints have one way in, `checkpoint()`. A spider yields its SourceDone /
DetailDone after the posts they cover, and the output middleware
(crawler/middlewares/output.py) hands each one here instead of passing it on
to Scrapy as an item, naming the item that came before it in the same
callback output. A checkpoint waits until that item is through the item
pipelines (stored or buffered, dropped, or failed: `released`), so it never
overtakes a post it covers. A source's frontier then moves once its paging
and every detail request are through, after the store pipeline has written
what it buffers (`writer`). A checkpoint that reaches the store pipeline as
an item comes in through the same method, right away: what an errback yields
for a download error (Scrapy passes it past the spider middlewares, in order
after the item before it), or any checkpoint in a crawl without the output
middleware.

When the store cannot be opened or written (disk full, read-only, file
deleted), the component logs one ERROR naming the store and the reason, sets
`govwatch/store_error` in the stats and closes the spider with the finish
reason `store_failed`; the next spider of the run tries again on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from core.config import Settings, load_settings
from core.errors import StoreError
from crawler.items import DetailDone, SourceDone
from crawler.state import CrawlState, SourceState, state_path
from index import open_backend
from index.base import Backend

log = logging.getLogger(__name__)
STORE_FAILED = "store_failed"
Checkpoint = SourceDone | DetailDone


@dataclass
class SourceRun:
    """One source during this crawl, as its spider pages it (GovwatchSpider.begin_source and the rest)."""

    platform: str
    account_id: str
    state: SourceState
    items: int = 0
    newest: datetime | None = None
    pending: int = 0  # detail requests still out (long texts, articles)
    details: int = 0  # detail requests issued
    failed: int = 0  # detail requests that failed
    paging_done: bool = False
    finished: bool = False
    blocked: str = ""  # missing | needs_credentials
    known: set[str] = field(default_factory=set)

    def saw(self, posts: list[Any]) -> bool:
        """Count a page's posts; True when the page reached the frontier (stop paging)."""
        self.items += len(posts)
        dated = [p.published_at for p in posts if not p.is_pinned and p.published_at]
        if dated:
            self.newest = max([*dated, self.newest] if self.newest else dated)
        frontier = self.state.frontier
        return frontier is not None and any(when <= frontier for when in dated)

    def detail_started(self) -> None:
        self.pending += 1
        self.details += 1

    def detail_done(self, failed: bool) -> DetailDone:
        self.pending -= 1
        self.failed += int(failed)
        self.finished = self.paging_done and self.pending <= 0
        return DetailDone(self.platform, self.account_id, failed)

    def end_paging(self) -> SourceDone | None:
        """The source's SourceDone, once (None when paging was already over)."""
        if self.paging_done:
            return None
        self.paging_done = True
        self.finished = self.pending <= 0
        return SourceDone(self.platform, self.account_id, self.newest, self.items, details=self.details)


@dataclass
class _Ledger:
    """What the store has seen of one source's checkpoints this crawl."""

    done: SourceDone | None = None
    details: int = 0
    failed: int = 0


class CrawlStore:
    """One crawler's store and crawl state (opened once, on first use)."""

    def __init__(self, crawler: Any, settings: Settings):
        self.crawler = crawler
        self.settings = settings
        self._backend: Backend | None = None
        self._state: CrawlState | None = None
        self.failure = ""
        self.closed = False
        self.runs: dict[tuple[str, str], SourceRun] = {}  # the sources spiders paged this crawl
        self.ledger: dict[tuple[str, str], _Ledger] = {}
        # By id(item): items a callback yielded that are not through the item pipelines yet, with the
        # checkpoints that followed each (an empty tuple until one does).
        self.waiting: dict[int, tuple[()] | list[Checkpoint]] = {}
        # The store pipeline's "write what you buffer, then run this" (not run when the store failed).
        self.writer: Callable[[Callable[[], None]], None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStore:
        from scrapy import signals

        unit = cls(crawler, load_settings(crawler.settings.get("GOVWATCH_CONFIG") or None))
        crawler.signals.connect(unit.close, signal=signals.spider_closed)
        for signal in (signals.item_dropped, signals.item_error):  # items that never finish the pipelines
            crawler.signals.connect(unit.released, signal=signal)
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

    def source(self, platform: str, account_id: str, now: datetime) -> SourceRun:
        """A source's run this crawl, started (or resumed) on first use: its frontier and known post ids."""
        run = self.runs.get((platform, account_id))
        if run is None:
            state = self.begin(platform, account_id, now)
            if state.resumed:
                self.crawler.stats.inc_value("govwatch/sources_resumed")
            known = self.known_post_ids(platform, account_id)
            run = self.runs[(platform, account_id)] = SourceRun(platform, account_id, state, known=known)
        return run

    def known_post_ids(self, platform: str, account_id: str) -> set[str]:
        """Post ids the store already holds for a source (their detail pages need no new fetch)."""
        if not self.open() or self._backend is None:
            return set()
        return self._backend.known_post_ids(platform, account_id)

    def finish(self, platform: str, account_id: str, newest: datetime | None, items: int) -> None:
        """Record a completed source (only after its posts are durably stored)."""
        if self.open() and self._state is not None:
            self._state.finish(platform, account_id, newest, items)

    # checkpoints ------------------------------------------------------------
    def emitted(self, item: Any) -> None:
        """A callback yielded `item` (output middleware): a checkpoint after it waits for it."""
        self.waiting[id(item)] = ()

    def released(self, item: Any, **_: Any) -> None:
        """`item` is through the item pipelines (stored or buffered, dropped, failed): its checkpoints follow."""
        for checkpoint in self.waiting.pop(id(item), ()):
            self._settle(checkpoint)

    def checkpoint(self, checkpoint: Checkpoint, after: Any = None) -> None:
        """The one way in for a checkpoint: settled once `after` (the item before it in its callback's
        output, if any) is through the item pipelines, at once when there is none or it already is."""
        queue = self.waiting.get(id(after)) if after is not None else None
        if queue is None:
            self._settle(checkpoint)
        elif queue == ():
            self.waiting[id(after)] = [checkpoint]
        else:
            queue.append(checkpoint)  # type: ignore[union-attr]

    def _settle(self, checkpoint: Checkpoint) -> None:
        """Record a source's new frontier once its paging and every detail request are through here."""
        key = (checkpoint.platform, checkpoint.account_id)
        entry = self.ledger.setdefault(key, _Ledger())
        if isinstance(checkpoint, SourceDone):
            entry.done = checkpoint
        else:
            entry.details += 1
            entry.failed += int(checkpoint.failed)
        if entry.done is None or entry.details < entry.done.details:
            return
        del self.ledger[key]
        if self.failure:
            return
        if self.writer is None:
            self._record(key, entry)
        else:  # the frontier may only follow its posts onto disk
            self.writer(lambda: self._record(key, entry))

    def _record(self, key: tuple[str, str], entry: _Ledger) -> None:
        """A source is through: its new frontier, or (a detail failed) left in progress to be re-crawled."""
        assert entry.done is not None
        stats = self.crawler.stats
        if entry.failed:  # stays in progress: the next crawl pages down to the old frontier and retries
            stats.inc_value("govwatch/sources_incomplete")
            log.warning("%s %s: %d pages failed; re-crawled next time", *key, entry.failed)
            return
        self.finish(*key, entry.done.newest, entry.done.items)
        stats.inc_value("govwatch/sources_completed")

    def close(self) -> None:
        for part in (self._backend, self._state):
            if part is not None:
                part.close()
        self._backend = self._state = None
        self.closed = True
