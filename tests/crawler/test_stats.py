"""crawler.stats.CrawlStats: Scrapy's in-memory stats, read without Scrapy's per-call deprecation shim."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.stats import CrawlStats


def drive(stats: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    stats.open_spider()
    stats.inc_value("a")
    stats.inc_value("a", 2)
    stats.inc_value("b", start=10)
    stats.inc_value("c")
    stats.set_value("d", "x")
    stats.max_value("m", 3)
    stats.max_value("m", 1)
    stats.min_value("n", 3)
    stats.min_value("n", 1)
    got = (stats.get_value("a"), stats.get_value("missing", 7), dict(stats.get_stats()))
    stats.close_spider(reason="finished")
    return got, stats.spider_stats, str(stats)


def test_the_same_stats_as_scrapys_collector_without_its_shim() -> None:
    crawler = get_crawler()
    crawler.spider = SimpleNamespace(name="t")  # type: ignore[assignment]
    ours = CrawlStats(crawler)
    assert drive(ours) == drive(MemoryStatsCollector(crawler))
    assert ours.get_value("a") == 3 and ours.get_value("b") == 11 and ours.get_value("n") == 1
    assert not [name for name in vars(ours) if name.startswith("_cached_")]  # no method went through the shim
    ours.clear_stats()
    assert ours.get_stats() == {}


def test_the_crawl_uses_it() -> None:
    crawler = get_crawler(settings_dict={"STATS_CLASS": settings.STATS_CLASS})
    assert type(crawler.stats) is CrawlStats
