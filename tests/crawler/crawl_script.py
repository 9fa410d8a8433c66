"""Run a minimal spider through govwatch's middlewares and print items and stats as JSON (for tests).

Usage: python -m tests.crawler.crawl_script BASE_URL UID [UID ...]
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import CrawlerProcess

SETTINGS = {
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
    },
    "SPIDER_MIDDLEWARES": {"crawler.middlewares.walls.NeedsCredentialsMiddleware": 45},
    "GOVWATCH_BACKOFF_BASE": 0.1,
}


class ProbeSpider(Spider):
    name = "probe"

    def __init__(self, base: str, uids: list[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.base, self.uids = base, uids

    async def start(self) -> Any:
        for uid in self.uids:
            yield Request(
                f"{self.base}/weibo/api/container/getIndex?type=uid&value={uid}", callback=self.parse
            )

    def parse(self, response: Any) -> Any:
        yield {"uid": str(response.json()["data"]["userInfo"]["id"])}


def main() -> None:
    items: list[Any] = []
    process = CrawlerProcess(SETTINGS)
    crawler = process.create_crawler(ProbeSpider)

    def collect(item: Any, **_: Any) -> None:
        items.append(item)

    crawler.signals.connect(collect, signal=signals.item_scraped)  # signals hold weak references: keep a def
    process.crawl(crawler, base=sys.argv[1], uids=sys.argv[2:])
    process.start()
    as_dicts = [dataclasses.asdict(i) if dataclasses.is_dataclass(i) else i for i in items]  # type: ignore[arg-type]
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int | float | str)}
    print(json.dumps({"items": as_dicts, "stats": stats}, default=str))


if __name__ == "__main__":
    main()
