"""Item pipelines: normalise → validate → store. Items are core.models dataclasses."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from core.errors import StoreError
from core.models import PLATFORMS, Account, Page, Post, content_hash
from core.text import clean_whitespace
from crawler.incremental import CrawlStore
from crawler.items import DetailDone, SourceDone
from crawler.pages.dates import resolve_date
from crawler.store_writer import StoreWriter, count_stored, crawl_thread_caller, in_a_file, writer_backend

log = logging.getLogger(__name__)


def reference_time(spider: Any) -> datetime:
    """The crawl's reference time: relative dates ("3天前") are resolved against it."""
    ref = getattr(spider, "reference_time", None)
    if ref is None:
        ref = spider.reference_time = datetime.now().replace(microsecond=0)
    return ref


class CrawlerBound:
    """Scrapy 2.19 passes no spider to pipeline methods: keep the crawler and ask it."""

    crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        pipeline = cls.create(crawler)
        pipeline.crawler = crawler
        return pipeline

    @classmethod
    def create(cls, crawler: Any) -> Any:
        return cls()

    @property
    def spider(self) -> Any:
        return self.crawler.spider


class NormalisePipeline(CrawlerBound):
    """Whitespace, dates resolved against the crawl's reference time, content hashes.

    Traditional→simplified conversion is applied to search fields at index
    time (index.query.normalise), so stored text stays as published and
    evidence can be quoted exactly.
    """

    def process_item(self, item: Any) -> Any:
        # Through ItemAdapter (house style): reading the data model's fields directly saved 15 µs an item,
        # 0.07 s of CPU for the 4,500 items of bench/crawl.py's 16 s crawl, too little to deviate.
        adapter = ItemAdapter(item)
        for name in ("title", "text", "name"):
            if name in adapter and isinstance(adapter.get(name), str):
                adapter[name] = clean_whitespace(adapter[name])
        if isinstance(item, Post | Page) and item.published_at is None and item.published_raw:
            item.published_at = resolve_date(item.published_raw, reference_time(self.spider))
        if isinstance(item, Post | Page):
            item.content_hash = content_hash(item.title, item.text)
            item.fetched_at = item.fetched_at or reference_time(self.spider)
        return item


class ValidatePipeline(CrawlerBound):
    """Drops an item that cannot be stored, with the reason logged and counted; others pass."""

    def __init__(self, stats: Any):
        self.stats = stats

    @classmethod
    def create(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        reason = self.problem(item, reference_time(self.spider))
        if reason:
            self.stats.inc_value(f"govwatch/items_dropped/{reason[0]}")
            raise DropItem(f"{type(item).__name__} {self._identity(item)}: {reason[1]}")
        self.stats.inc_value(f"govwatch/items_valid/{type(item).__name__.lower()}")
        return item

    @staticmethod
    def problem(item: Any, reference: datetime) -> tuple[str, str] | None:
        """(stats key, message) saying what is wrong with the item, or None."""
        if isinstance(item, Account | Post) and item.platform not in PLATFORMS:
            return "invalid_platform", f"unknown platform {item.platform!r}"
        if isinstance(item, Account) and not item.account_id:
            return "missing_id", "account has no account_id"
        if isinstance(item, Post):
            if not item.post_id or not item.account_id:
                return "missing_id", "post has no post_id or account_id"
            if item.published_at is None:
                return "invalid_date", f"unreadable publication date {item.published_raw!r}"
            if item.published_at > reference + timedelta(days=1):
                return "invalid_date", f"publication date {item.published_at} is in the future"
        if isinstance(item, Page) and not item.url.startswith(("http://", "https://")):
            return "invalid_url", f"page URL {item.url!r} is not http(s)"
        return None

    @staticmethod
    def _identity(item: Any) -> str:
        adapter = ItemAdapter(item)
        return "/".join(
            str(adapter.get(k)) for k in ("platform", "post_id", "account_id", "url") if adapter.get(k)
        )


@dataclass(frozen=True)
class StoreConfig:
    batch: int  # items (posts, accounts, pages) buffered before a store write
    seconds: float = 5.0  # …or held at most this long (checked when the next one arrives)
    thread: bool = False  # batches written by a thread of their own (crawler/store_writer.py)
    process: bool = False  # …whose writes run in a process of their own (crawler/sidecar.py)


class StorePipeline(CrawlerBound):
    """Idempotent upserts into the configured backend; accounts, pages and posts are written in batches.

    Items wait in memory until GOVWATCH_STORE_BATCH of them are buffered, the
    oldest has waited GOVWATCH_STORE_SECONDS, a source's checkpoint needs them
    on disk, or the spider closes: one write transaction per kind and batch
    instead of one per account or page (bench/crawl.py: the store's per-item
    transactions were a large share of the crawl thread's time).

    The store and its crawl state come from the crawler's CrawlStore. When a
    write fails (disk full, read-only, file deleted) the CrawlStore ends the
    spider with `store_failed`; the items still in flight (buffered ones
    included) are dropped and counted, and no checkpoint is recorded for
    posts that were not stored.

    With GOVWATCH_STORE_THREAD (on in crawler.settings) a full batch goes to a
    writer thread instead of being written here (crawler/store_writer.py), for
    a SQLite store in a file; a checkpoint is then recorded on that thread
    right after the batches before it are committed.
    """

    def __init__(self, config: StoreConfig, stats: Any):
        self.config = config
        self.stats = stats
        self.posts: list[Post] = []
        self.accounts: list[Account] = []
        self.pages: list[Page] = []
        self.since = 0.0  # monotonic time the oldest buffered item arrived
        self.took = False  # the item being stored went into the buffer (so a failure counts it there, or it is written)
        self.thread: StoreWriter | None = None
        self.call_here: Callable[..., Any] | None = None  # runs a call on the crawl thread, from another

    @classmethod
    def create(cls, crawler: Any) -> StorePipeline:
        s = crawler.settings
        config = StoreConfig(s.getint("GOVWATCH_STORE_BATCH", 500), s.getfloat("GOVWATCH_STORE_SECONDS", 5.0),
                             s.getbool("GOVWATCH_STORE_THREAD", False), s.getbool("GOVWATCH_STORE_PROCESS", False))  # fmt: skip
        return cls(config, crawler.stats)

    def open_spider(self) -> None:
        self.unit = CrawlStore.of(self.crawler)
        self.unit.writer = self.write  # what the checkpoints it records wait for
        if self.unit.open() and self.config.thread and in_a_file(self.unit.backend):  # else: closing, store_failed
            self.call_here = crawl_thread_caller()
            backend = writer_backend(self.unit.backend, self.stats, self.config.process)
            self.thread = StoreWriter(backend, self.stats, self._failed_on_thread)

    @property
    def backend(self) -> Any:
        return self.unit.backend

    def close_spider(self) -> None:
        try:
            self._store(None)
        except DropItem:
            pass  # already logged and counted
        if self.thread is not None:
            self.thread.close()  # everything queued is written (or counted as dropped)
            self.thread.backend.release()  # the last spider using the writer process ends it
            if self.thread.error is not None:
                self._thread_failed(self.thread.error)

    def write(self, then: Callable[[], None]) -> None:
        """Write what is buffered, then run `then` (a checkpoint), on the writer thread if there is one;
        `then` never runs when the store has failed."""
        try:
            self._store(None)
        except DropItem:  # logged and counted
            return
        if self.thread is not None:
            self.thread.then(then)
        else:
            then()

    def _failed_on_thread(self, exc: StoreError) -> None:
        if self.call_here is not None:  # else (driven by hand, no event loop) close_spider finds the error
            self.call_here(self._thread_failed, exc)

    def _thread_failed(self, exc: StoreError) -> None:
        """The writer thread's write failed (crawl thread): drop what waits here and in the thread, end the spider."""
        if self.unit.failure:
            return
        assert self.thread is not None
        waiting = self.buffered
        self.posts, self.accounts, self.pages = [], [], []
        self.thread.close()  # the rest of its queue is counted, not written
        self.stats.inc_value("govwatch/items_dropped/store_failed", waiting + self.thread.dropped)
        self.unit.fail(exc)

    def process_item(self, item: Any) -> Any:
        stored = self._store(item)  # a DropItem here reaches the CrawlStore through item_dropped
        self.unit.released(item)  # the checkpoints that followed it in its callback's output
        return stored

    def _store(self, item: Any) -> Any:
        """Store one item (None: only flush); a store failure drops it, counted, and ends the spider."""
        if self.unit.failure:
            self.stats.inc_value("govwatch/items_dropped/store_failed", int(item is not None))
            raise DropItem(f"not stored: {self.unit.failure}")
        self.took = False
        try:
            return self._route(item) if item is not None else self.flush()
        except StoreError as exc:
            waiting = [*self.accounts, *self.pages, *self.posts]  # not written: the failed batch and the rest
            # the item itself is among them, or already written (its list went first), once buffered
            self.stats.inc_value(
                "govwatch/items_dropped/store_failed", len(waiting) + int(item is not None and not self.took)
            )
            self.posts, self.accounts, self.pages = [], [], []
            self.unit.fail(exc)
            raise DropItem(f"not stored: {exc}") from exc

    def _route(self, item: Any) -> Any:
        if isinstance(item, SourceDone | DetailDone):  # one that came as an item (no output middleware)
            self.unit.checkpoint(item)
            return item
        if not isinstance(item, Post | Account | Page):
            return item
        now = time.monotonic()
        if self.buffered and now - self.since >= self.config.seconds:
            self.flush()  # the buffered ones have waited long enough; this one starts the next batch
        if not self.buffered:
            self.since = now
        self._buffer(item)  # after any flush above: a flush replaces the lists
        if self.buffered >= self.config.batch:
            self.flush()
        return item

    def _buffer(self, item: Post | Account | Page) -> None:
        self.took = True
        if isinstance(item, Post):
            self.posts.append(item)
        elif isinstance(item, Account):
            self.accounts.append(item)
        else:
            self.pages.append(item)

    @property
    def buffered(self) -> int:
        return len(self.posts) + len(self.accounts) + len(self.pages)

    def flush(self) -> None:
        """Write what is buffered: accounts, pages, then posts (each list emptied once it is stored)."""
        if self.thread is not None:  # the writer thread's now
            if self.buffered:
                self.thread.write(self.accounts, self.pages, self.posts)
                self.posts, self.accounts, self.pages = [], [], []
            return
        if self.accounts:
            count_stored(self.stats, "accounts", self.backend.upsert_accounts(self.accounts))
            self.accounts = []
        if self.pages:
            count_stored(self.stats, "pages", self.backend.upsert_pages(self.pages))
            self.pages = []
        if self.posts:
            count_stored(self.stats, "posts", self.backend.upsert_posts(self.posts))
            self.posts = []
