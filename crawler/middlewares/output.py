"""SpiderOutputMiddleware: Scrapy's five request-side spider middlewares as one pass, and checkpoints
handed to the crawl's CrawlStore instead of travelling as items.

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

Checkpoints (crawler/items.py: SourceDone, DetailDone) a callback yields never
reach Scrapy's item machinery (2,000 of the 6,500 objects a bench crawl's
callbacks yield; an errback's output for a download error bypasses spider
middlewares, so its DetailDone still does, see crawler/incremental.py):
each is handed to the crawler's CrawlStore (crawler/incremental.py, its one
way in) together with the item before it in the same callback output, and
recorded once that item is through the item pipelines, so in the same order
as when checkpoints travelled as items. Each item is announced to the
CrawlStore as it passes (`emitted`). Without the store pipeline nothing is
stored, so nothing is recorded: checkpoints then travel as items, as before.

Items themselves go through the item pipelines right here when those are all
govwatch's (GOVWATCH_DIRECT_ITEMS, crawler/middlewares/direct.py): with
Scrapy's log lines, signals and stats, without its per-item queue and tasks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, TypeVar

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy.spidermiddlewares.referer import RefererMiddleware
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.incremental import CrawlStore
from crawler.items import DetailDone, SourceDone
from crawler.middlewares.direct import DirectItems
from crawler.pipelines import StorePipeline

T = TypeVar("T")

# Scrapy's SPIDER_MIDDLEWARES_BASE entries with an output method, spider side (highest order) first.
PARTS = (
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",  # 1000
    "scrapy.spidermiddlewares.depth.DepthMiddleware",  # 900
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",  # 800
    "scrapy.spidermiddlewares.referer.RefererMiddleware",  # 700
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware",  # 25
)


class SpiderOutputMiddleware:
    """Spider middleware: requests through PARTS in one loop; checkpoints handed to the CrawlStore."""

    def __init__(self, crawler: Any, parts: list[Any]):
        self.crawler = crawler
        self.parts = parts
        # What each part does to a request; the Referer part's answer reused across one response's requests.
        self.steps = [
            OncePerOrigin(p).get_processed_request if type(p) is RefererMiddleware else p.get_processed_request
            for p in parts
        ]
        self.depth = self.part(DepthMiddleware)
        self._unit: CrawlStore | None | bool = False  # False: not looked up yet
        self._direct: DirectItems | None | bool = False

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
    def unit(self) -> CrawlStore | None:
        """The CrawlStore that records checkpoints; None without the store pipeline (they travel as items)."""
        if self._unit is False:
            try:
                stored = self.crawler.get_item_pipeline(StorePipeline) is not None
            except RuntimeError:  # no engine: the middleware driven by hand
                stored = False
            self._unit = self.crawler.get_extension(CrawlStore) if stored else None
        return self._unit  # type: ignore[return-value]

    @property
    def direct(self) -> DirectItems | None:
        """What runs items through the pipelines here (crawler/middlewares/direct.py); None: Scrapy does."""
        if self._direct is False:
            self._direct = DirectItems.of(self.crawler)
        return self._direct  # type: ignore[return-value]

    def part(self, cls: type[T]) -> T | None:
        """The part of class `cls` (or a subclass), None when it is switched off."""
        return next((p for p in self.parts if isinstance(p, cls)), None)

    def request(self, request: Request, response: Any) -> Request | None:
        """The request as the five middlewares would pass it on (None: one of them dropped it)."""
        for step in self.steps:
            request = step(request, response)
            if request is None:
                return None
        return request

    def _begin(self, response: Any) -> None:
        # DepthMiddleware's own process_spider_output over an empty output does its once-per-response step
        # (depth 0 on a response that has none, counted under DEPTH_STATS_VERBOSE) and nothing else.
        if response is not None and self.depth is not None:
            for _ in self.depth.process_spider_output(response, ()):
                pass

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        self._begin(response)
        output = Output(self, self.unit, self.direct)
        for o in result:
            if (o := output.take(o, response)) is not None:
                yield o

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        self._begin(response)
        output = Output(self, self.unit, self.direct)
        async for o in result:
            if (o := output.take(o, response)) is not None:
                yield o

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for o in start:
            if not isinstance(o, Request) or (o := self.request(o, None)) is not None:
                yield o


class OncePerOrigin:
    """RefererMiddleware.get_processed_request, its policy's answer worked out once per response and origin.

    Scrapy's own policies (scrapy-default, the W3C ones) give a request the Referer of the response it came
    from, by the response's URL and Referrer-Policy header and only the scheme and host of the request's URL;
    so the requests of one response to one origin get the same header, worked out for the first of them
    (a WeChat list page's ten article requests: 18 → 6 µs a request, README; py-spy put Scrapy's policy at
    2 % of the reactor thread's samples in a bench crawl). A request with its own `referrer_policy`, a
    policy class of someone else's, or a subclass of RefererMiddleware, is worked out on its own, as before.
    """

    def __init__(self, referer: RefererMiddleware):
        self.referer = referer
        self.response: Any = None
        self.known: dict[str, str | None] = {}  # "scheme://host[:port]" (or more of the URL) → the Referer

    def get_processed_request(self, request: Request, response: Any) -> Request:
        if response is None or request.meta.get("referrer_policy") is not None:
            return self.referer.get_processed_request(request, response)  # type: ignore[return-value]
        if response is not self.response:
            self.response, self.known = response, {}
        url = request.url  # its scheme and host are what comes before the first "/" after "://" (or all of it)
        end = url.find("/", start + 3) if (start := url.find("://")) > 0 else -1
        origin = url[:end] if end > 0 else url
        if origin in self.known:
            referrer = self.known[origin]
        else:
            policy = self.referer.policy(response, request)
            referrer = policy.referrer(response.url, request.url)
            if type(policy).__module__ == RefererMiddleware.__module__:  # Scrapy's: by origin only
                self.known[origin] = referrer
        if referrer is not None:
            request.headers.setdefault("Referer", referrer)
        return request


class Output:
    """One callback output: requests through the parts; items announced, checkpoints handed to the CrawlStore.

    `unit` and `direct` are the middleware's, looked up once per output rather than per object taken.
    """

    def __init__(self, owner: SpiderOutputMiddleware, unit: CrawlStore | None, direct: DirectItems | None):
        self.owner = owner
        self.unit = unit
        self.direct = direct
        self.last: Any = None  # the latest item of this output: the next checkpoint waits for it

    def take(self, o: Any, response: Any) -> Any:
        """What to pass on for `o` (None: nothing)."""
        if isinstance(o, Request):
            return self.owner.request(o, response)
        if o is None:
            return None
        if self.unit is not None:
            if isinstance(o, SourceDone | DetailDone):
                self.unit.checkpoint(o, after=self.last)
                return None
            self.unit.emitted(o)
            self.last = o
        if self.direct is not None:
            self.direct.process(o, response)  # through the pipelines now: a checkpoint after it is recorded at once
            return None
        return o
