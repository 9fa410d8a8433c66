"""crawler.middlewares.direct: an item through the pipelines from the output middleware comes out as through
Scrapy's Scraper (same stats, log lines and signals), and only when the pipelines are all govwatch's."""

from __future__ import annotations

import asyncio
import copy
import logging
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.core.scraper import Scraper, Slot
from scrapy.http import HtmlResponse
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

from core.models import Account, Page, Post
from crawler.middlewares.direct import DirectItems

T0 = datetime(2026, 11, 23, 10, 0)
PAGE = "https://gov.example/list/index.html"
OURS = {"crawler.pipelines.NormalisePipeline": 100, "crawler.pipelines.ValidatePipeline": 200}


class Boom:
    """A pipeline that fails on one post (an item_error, not a drop)."""

    def process_item(self, item: Any) -> Any:
        if getattr(item, "post_id", "") == "boom":
            raise ValueError("pipeline bug")
        return item


ITEMS = [
    Post("weibo", "1", "a", title="  标题 ", text="正文\u3000 一", published_at=datetime(2026, 11, 21)),
    Post("weibo", "1", "x", text="正文", published_raw="某天"),  # no readable date: dropped
    Account("weibo", "1", "  某市发布 "),
    Page("ftp://gov.example/a", site="gov.example"),  # not http(s): dropped
    Post("weibo", "1", "boom", text="正文", published_at=datetime(2026, 11, 21)),
    Post("weibo", "1", "b", text="正文", published_raw="3天前"),
]


def crawler_for(pipelines: dict[str, int]) -> tuple[Any, list[tuple[str, int, Any]]]:
    crawler = get_crawler(Spider, {"ITEM_PIPELINES": pipelines, "GOVWATCH_DIRECT_ITEMS": True})
    crawler.spider = Spider.from_crawler(crawler, "t")
    crawler.spider.reference_time = T0
    seen: list[tuple[str, int, Any]] = []
    for name in ("item_scraped", "item_dropped", "item_error"):

        def record(item: Any, response: Any, name: str = name, **kwargs: Any) -> None:
            seen.append((name, response is not None, item))

        crawler.signals.connect(record, signal=getattr(signals, name), weak=False)
    return crawler, seen


def outcome(crawler: Any, seen: list[Any], records: list[logging.LogRecord]) -> Any:
    stats = {k: v for k, v in crawler.stats.get_stats().items() if not k.startswith(("start_time", "log_count"))}
    lines = [(r.name, r.levelno, r.getMessage(), r.exc_info is not None) for r in records if r.name.startswith("scrapy")]
    return stats, lines, seen


def test_items_come_out_as_through_scrapys_scraper(caplog: pytest.LogCaptureFixture) -> None:
    pipelines = {**OURS, f"{__name__}.Boom": 300}
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE))
    theirs, seen = crawler_for(pipelines)
    scraper = Scraper(theirs)
    scraper.slot = Slot()
    expected = copy.deepcopy(ITEMS)

    async def through_scrapy() -> None:
        for item in expected:
            await scraper.start_itemproc_async(item, response=response)

    with caplog.at_level(logging.DEBUG):
        asyncio.run(through_scrapy())
    want = outcome(theirs, seen, caplog.records)
    caplog.clear()
    ours, mine = crawler_for(pipelines)
    manager = ItemPipelineManager.from_crawler(ours)
    direct = DirectItems(ours, [p.process_item for p in manager.middlewares])
    items = copy.deepcopy(ITEMS)
    with caplog.at_level(logging.DEBUG):
        for item in items:
            direct.process(item, response)
    got = outcome(ours, mine, caplog.records)
    assert got == want
    assert [name for name, _, _ in mine] == ["item_scraped", "item_dropped", "item_scraped", "item_dropped",
                                              "item_error", "item_scraped"]  # fmt: skip
    assert items == expected  # normalised alike (whitespace, dates, hashes)
    assert items[0].title == "标题" and items[-1].published_at == datetime(2026, 11, 20, 10, 0)


def started(crawler: Any) -> Any:
    manager = ItemPipelineManager.from_crawler(crawler)
    crawler.engine = SimpleNamespace(scraper=SimpleNamespace(itemproc=manager))
    return DirectItems.of(crawler)


def test_only_govwatchs_own_pipelines_take_the_direct_way() -> None:
    direct = started(crawler_for(OURS)[0])
    assert direct is not None and [s.__self__.__class__.__name__ for s in direct.steps] == [
        "NormalisePipeline", "ValidatePipeline"]  # fmt: skip
    assert started(crawler_for({**OURS, f"{__name__}.Boom": 300})[0]) is None  # someone else's pipeline
    off = get_crawler(Spider, {"ITEM_PIPELINES": OURS, "GOVWATCH_DIRECT_ITEMS": False})
    assert started(off) is None
    assert DirectItems.of(crawler_for(OURS)[0]) is None  # no engine yet: the middleware driven by hand


def test_a_coroutine_receiver_of_an_item_signal_keeps_items_on_scrapys_way() -> None:
    async def exported(item: Any, **kwargs: Any) -> None:
        return None

    crawler = crawler_for(OURS)[0]
    crawler.signals.connect(exported, signal=signals.item_scraped, weak=False)
    assert started(crawler) is None  # Scrapy awaits such a handler; a synchronous send could not
