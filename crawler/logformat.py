"""Scrapy's log lines, less the two DEBUG lines per response and per item when nobody reads them.

Scrapy sets the root logger to NOTSET and filters by LOG_LEVEL in its handler,
so at INFO each response still built a "Crawled (200)" record and each item a
"Scraped from" record (1.3 s of CPU per 6,500 items in bench/crawl.py), only for
the handler to drop them. These two lines are built only at LOG_LEVEL DEBUG.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class QuietLogFormatter(LogFormatter):
    """Scrapy's LogFormatter; `crawled` and `scraped` say nothing unless the log level is DEBUG."""

    def __init__(self, debug: bool = True):
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietLogFormatter:
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        return cls(debug=not isinstance(number, int) or number <= logging.DEBUG)

    def crawled(self, request: Any, response: Any, spider: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().scraped(item, response, spider) if self.debug else None
