"""SpiderOutputMiddleware: Scrapy's five request-side spider middlewares as one pass, and checkpoints
carried on the item before them.

Every object a callback yields (13,500 in bench/crawl.py's crawl) went through
five nested async generators, one per default spider middleware with an output
method (metacopy, depth, url length, referer, start), though all five only act
on requests and hand items on untouched. This middleware runs the very same
middleware objects (built by Scrapy from the crawler, with their settings and
stats: DEPTH_LIMIT, DEPTH_PRIORITY, REFERER_ENABLED, REFERRER_POLICY,
URLLENGTH_LIMIT …) in their default order (spider side first) inside one
loop, so requests get the same Referer header, depth, priority and
is_start_request meta, and are dropped for the same reasons; crawler/settings.py
switches the five off as separate layers. A part that raises NotConfigured
(REFERER_ENABLED = False, URLLENGTH_LIMIT = 0) is left out, as Scrapy would.

Checkpoints (crawler/items.py: SourceDone, DetailDone) that follow an item of
the same callback output ride on that item instead of travelling as items of
their own (about 2,000 of the 6,500 items in that crawl): the store pipeline
records them right after the item, in the same order as before, also when the
item is dropped (StorePipeline.carry). Without the store pipeline they travel
as items, as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.items import DetailDone, SourceDone
from crawler.pipelines import StorePipeline

# Scrapy's SPIDER_MIDDLEWARES_BASE entries with an output method, spider side (highest order) first.
PARTS = (
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",  # 1000
    "scrapy.spidermiddlewares.depth.DepthMiddleware",  # 900
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",  # 800
    "scrapy.spidermiddlewares.referer.RefererMiddleware",  # 700
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware",  # 25
)


class SpiderOutputMiddleware:
    """Spider middleware: requests through PARTS in one loop; checkpoints carried on the item before them."""

    def __init__(self, crawler: Any, parts: list[Any]):
        self.crawler = crawler
        self.parts = parts
        self.depth = next((p for p in parts if hasattr(p, "_init_depth")), None)
        self._store: StorePipeline | None | bool = False  # False: not looked up yet

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpiderOutputMiddleware:
        parts = []
        for path in PARTS:
            try:
                parts.append(build_from_crawler(load_object(path), crawler))
            except NotConfigured:
                continue
        return cls(crawler, parts)

    @property
    def store(self) -> StorePipeline | None:
        """The crawl's store pipeline, which records carried checkpoints (None: they travel as items)."""
        if self._store is False:
            try:
                self._store = self.crawler.get_item_pipeline(StorePipeline)
            except RuntimeError:  # no engine: the middleware driven by hand
                self._store = None
        return self._store  # type: ignore[return-value]

    def request(self, request: Request, response: Any) -> Request | None:
        """The request as the five middlewares would pass it on (None: one of them dropped it)."""
        for part in self.parts:
            request = part.get_processed_request(request, response)
            if request is None:
                return None
        return request

    def _begin(self, response: Any) -> None:
        if response is not None and self.depth is not None:
            self.depth._init_depth(response)  # what DepthMiddleware.process_spider_output does first

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        self._begin(response)
        held = Held(self)
        try:
            for o in result:
                yield from held.take(o, response)
        except Exception:
            yield from held.release()  # the items before a callback's error are kept, as before
            raise
        yield from held.release()

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        self._begin(response)
        held = Held(self)
        try:
            async for o in result:
                for out in held.take(o, response):
                    yield out
        except Exception:
            for out in held.release():
                yield out
            raise
        for out in held.release():
            yield out

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for o in start:
            if not isinstance(o, Request) or (o := self.request(o, None)) is not None:
                yield o


class Held:
    """One callback output: the latest item waits for the next object, so a checkpoint can ride on it."""

    def __init__(self, owner: SpiderOutputMiddleware):
        self.owner = owner
        self.item: Any = None
        self.waiting = False

    def take(self, o: Any, response: Any) -> Iterator[Any]:
        if isinstance(o, Request):
            if (o := self.owner.request(o, response)) is not None:
                yield o
            return
        store = self.owner.store
        if self.waiting and store is not None and isinstance(o, SourceDone | DetailDone):
            store.carry(self.item, o)
            return
        yield from self.release()
        self.item, self.waiting = o, True

    def release(self) -> Iterator[Any]:
        if self.waiting:
            item, self.item, self.waiting = self.item, None, False
            yield item
