"""Distributed crawling with scrapy-redis: one request queue and one duplicate filter in Redis.

Switched on with GOVWATCH_CRAWL_QUEUE=redis (docker-compose.yml's worker does). Every crawler
process of the same crawl — same GOVWATCH_CRAWL_ID, by default today's date in China time —
takes requests from the same queue, and a URL one process has requested is never requested
by another. The queue and filter persist after a process ends (another may still be working);
the next crawl id starts afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.dates import CHINA_TZ


def crawl_id(env: Mapping[str, str]) -> str:
    """The crawl the processes share: GOVWATCH_CRAWL_ID, or today's date in China time."""
    return env.get("GOVWATCH_CRAWL_ID") or datetime.now(CHINA_TZ).date().isoformat()


def redis_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Scrapy settings for a shared crawl, or {} when GOVWATCH_CRAWL_QUEUE is not "redis"."""
    if env.get("GOVWATCH_CRAWL_QUEUE", "") != "redis":
        return {}
    key = f"govwatch:{crawl_id(env)}:%(spider)s"
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",  # default scrapy.core.scheduler.Scheduler
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # default scrapy.dupefilters.RFPDupeFilter
        "REDIS_URL": env.get("GOVWATCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        # scrapy-redis clears queue and filter when a process closes unless told to persist: the
        # first process to finish would make the others fetch everything again.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{key}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{key}:dupefilter",
        "GOVWATCH_CRAWL_KEY": key,
    }


class SharedStartRequests:
    """Spider middleware: in a shared crawl, start requests go through the shared duplicate filter.

    Scrapy marks start requests dont_filter, so every process would fetch every start URL again,
    and a later link back to it would not be recognised as seen. Off (NotConfigured) unless the
    scheduler is scrapy-redis's.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedStartRequests:
        from scrapy.exceptions import NotConfigured

        if not str(crawler.settings.get("SCHEDULER", "")).startswith("scrapy_redis."):
            raise NotConfigured  # without a message: Scrapy logs a message as a warning
        return cls()

    async def process_start(self, start: Any) -> Any:
        from scrapy import Request

        async for item_or_request in start:
            if isinstance(item_or_request, Request) and item_or_request.dont_filter:
                item_or_request = item_or_request.replace(dont_filter=False)
            yield item_or_request


class SharedCrawlPeers:
    """Extension: a process of a shared crawl stays open while its peers may still queue work.

    scrapy-redis closes a plain spider as soon as the shared queue is momentarily empty, so a
    process started a second after another would leave before the first page queued its links.
    Each process keeps a "busy" key of its own (expiring after BUSY_TTL seconds, so a crashed
    peer stops counting) while it schedules or receives; an idle process stays (DontCloseSpider)
    while the queue holds requests or any peer is busy.
    """

    BUSY_TTL = 120

    def __init__(self, crawler: Any):
        from scrapy import signals
        from scrapy_redis.connection import from_settings

        self.server = from_settings(crawler.settings)
        key = crawler.settings.get("GOVWATCH_CRAWL_KEY")
        self.busy_key, self.me = f"{key}:busy", uuid.uuid4().hex
        self.crawler = crawler
        crawler.signals.connect(self.busy, signal=signals.spider_opened)
        crawler.signals.connect(self.busy, signal=signals.request_scheduled)
        crawler.signals.connect(self.busy, signal=signals.response_received)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        crawler.signals.connect(self.gone, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedCrawlPeers:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.get("GOVWATCH_CRAWL_KEY"):
            raise NotConfigured
        return cls(crawler)

    def _key(self, who: str) -> str:
        return f"{self.busy_key % {'spider': self._name()}}:{who}"

    def busy(self, *args: Any, **kwargs: Any) -> None:
        self.server.set(self._key(self.me), 1, ex=self.BUSY_TTL)

    def gone(self, *args: Any, **kwargs: Any) -> None:
        self.server.delete(self._key(self.me))

    def idle(self, spider: Any) -> None:
        from scrapy.exceptions import DontCloseSpider

        self.gone()
        scheduler = self.crawler.engine._slot.scheduler if self.crawler.engine._slot else None
        peers = next(iter(self.server.scan_iter(match=self._key("*"), count=1000)), None)
        if (scheduler is not None and scheduler.has_pending_requests()) or peers is not None:
            raise DontCloseSpider("peers of this shared crawl are still working")

    def _name(self) -> str:
        return self.crawler.spider.name if self.crawler.spider else "?"
