"""Crawl BASE_URL/start with the project's own settings (crawler/settings.py) and print, as one JSON line,
the Referer each response's request carried and the crawl process's garbage-collector state at its end.

Usage: python -m tests.crawler.project_crawl BASE_URL
Only the store's parts are left out (no config, no store, no evidence files): every other middleware and
extension runs as in a real crawl.
"""

from __future__ import annotations

import gc
import json
import sys
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

WITHOUT_STORE = {
    "LOG_LEVEL": "WARNING",
    "GOVWATCH_EVIDENCE": False,
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {"crawler.incremental.CrawlStore": None, "crawler.offload.ParseWorkers": None},
}


class LinkSpider(Spider):
    name = "project_probe"

    def __init__(self, base: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.start_urls = [f"{base}/start"]
        self.seen: list[tuple[str, str | None]] = []

    def parse(self, response: Any) -> Any:
        referer = response.request.headers.get("Referer")
        self.seen.append((response.url, referer.decode() if referer else None))
        yield from response.follow_all(css="a")


def main() -> None:
    settings = get_project_settings()
    for name, value in WITHOUT_STORE.items():
        merged = {**settings.getdict(name), **value} if isinstance(value, dict) and value else value
        settings.set(name, merged, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(LinkSpider)
    state: dict[str, Any] = {}

    def closed(spider: LinkSpider, **_: Any) -> None:
        state.update(seen=spider.seen, gc_threshold=gc.get_threshold()[0], gc_frozen=gc.get_freeze_count())

    crawler.signals.connect(closed, signal=signals.spider_closed)  # signals hold weak references: keep a def
    process.crawl(crawler, base=sys.argv[1])
    process.start()
    print(json.dumps(state))


if __name__ == "__main__":
    main()
