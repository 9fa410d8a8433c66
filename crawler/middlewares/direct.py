"""Items through the item pipelines straight from the output middleware, without Scrapy's per-item machinery.

For every item a callback yields, Scrapy 2.19 puts it on an asyncio queue,
takes it off in a worker task, chains the pipelines' process_item through
coroutines, and sends `item_scraped` through `asyncio.gather` (one task per
receiver, one more turn of the event loop). With govwatch's pipelines, all
synchronous, none of it is needed (bench/crawl.py: 4,542 items; README's
bench row has the reactor-thread CPU with and without it).

With GOVWATCH_DIRECT_ITEMS (on in crawler/settings.py), the output middleware
(crawler/middlewares/output.py) hands each item of a callback's output to
`DirectItems.process`, which does what Scrapy's Scraper does with it, in the
same order and at once: the pipelines of ITEM_PIPELINES in their order, then
Scrapy's own log line (LogFormatter's scraped / dropped / item_error, logged by
the Scraper's logger) and signal (`item_scraped`, `item_dropped`,
`item_error`, with the same arguments), so Scrapy's stats (item_scraped_count,
item_dropped_count …), feed exports and the CrawlStore see every item as
before. Only items whose pipelines are all govwatch's synchronous ones take
this way: with another item processor or any other pipeline, or a receiver of
those signals that is a coroutine function (Scrapy awaits such handlers; a
synchronous send could not), items go through Scrapy as before. Receivers are
checked at the first item; a plain handler that returns a Deferred gets
Scrapy's own "Cannot return deferreds from signal handler" error logged. Items an errback or another spider middleware yields go
through Scrapy too.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from pydispatch.dispatcher import getAllReceivers, liveReceivers
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.log import logformatter_adapter
from twisted.python.failure import Failure

OURS = "crawler.pipelines"  # the module of the pipelines this path runs (synchronous, no `spider` argument)
scraper_log = logging.getLogger("scrapy.core.scraper")  # whose lines Scrapy's Scraper logs for items


ITEM_SIGNALS = (signals.item_scraped, signals.item_dropped, signals.item_error)


def _awaits(receiver: Any) -> bool:
    return inspect.iscoroutinefunction(receiver) or inspect.isasyncgenfunction(receiver)


class DirectItems:
    """The item pipelines' process_item methods, run in order for one item, with Scrapy's logs and signals."""

    def __init__(self, crawler: Any, steps: list[Callable[[Any], Any]]):
        self.crawler = crawler
        self.steps = steps

    @classmethod
    def of(cls, crawler: Any) -> DirectItems | None:
        """For a running crawler whose pipelines are all govwatch's; None otherwise (items go through Scrapy)."""
        if not crawler.settings.getbool("GOVWATCH_DIRECT_ITEMS", False):
            return None
        try:
            manager = crawler.engine.scraper.itemproc
        except RuntimeError:  # no engine: the middleware driven by hand
            return None
        if type(manager) is not ItemPipelineManager or manager._mw_methods_requiring_spider:
            return None
        steps = [p.process_item for p in manager.middlewares if hasattr(p, "process_item")]
        if any(type(p).__module__ != OURS for p in manager.middlewares) or any(
            inspect.iscoroutinefunction(step) for step in steps
        ):
            return None
        for signal in ITEM_SIGNALS:
            if any(_awaits(r) for r in liveReceivers(getAllReceivers(crawler.signals.sender, signal))):
                return None
        return cls(crawler, steps)

    def process(self, item: Any, response: Any) -> None:
        """What Scrapy's Scraper.start_itemproc_async does with `item`, synchronously."""
        spider, formatter, send = self.crawler.spider, self.crawler.logformatter, self.crawler.signals.send_catch_log
        output = item
        try:
            for step in self.steps:
                output = step(output)
        except DropItem as exc:
            self._log(formatter.dropped(item, exc, response, spider), item)
            send(signal=signals.item_dropped, item=item, response=response, spider=spider, exception=exc)
        except Exception as exc:
            self._log(formatter.item_error(item, exc, response, spider), item, exc_info=True)
            send(signal=signals.item_error, item=item, response=response, spider=spider, failure=Failure())
        else:
            self._log(formatter.scraped(output, response, spider), output)
            send(signal=signals.item_scraped, item=output, response=response, spider=spider)

    def _log(self, logkws: Any, item: Any, **exc_info: bool) -> None:
        if logkws is not None:
            scraper_log.log(*logformatter_adapter(logkws), extra={"spider": self.crawler.spider, "item": item}, **exc_info)
