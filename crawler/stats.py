"""The crawl's stats collector: Scrapy's MemoryStatsCollector, without its per-call deprecation shim.

Scrapy 2.19's StatsCollector reads every attribute of itself through a
`__getattribute__` that wraps the stats methods in a check for a deprecated
`spider` argument, and that raises and catches an AttributeError for every
other attribute (`_stats` itself, on every call). An `inc_value` cost ~30×
the dictionary update it does, and a crawl makes tens of thousands of them
(Scrapy's downloader stats, core stats and scheduler, govwatch's pipelines):
~1.3 s of the reactor thread's 28 s in a profiled bench/crawl.py crawl.

Here attributes are read plainly: the same methods, the same stats, the same
`spider_stats` after a spider closes; a `spider` argument is accepted and
ignored, without Scrapy's deprecation warning.
"""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import MemoryStatsCollector


class CrawlStats(MemoryStatsCollector):
    """STATS_CLASS in crawler/settings.py (default scrapy.statscollectors.MemoryStatsCollector)."""

    __getattribute__ = object.__getattribute__

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        stats = self._stats
        stats[key] = stats.get(key, start) + count
