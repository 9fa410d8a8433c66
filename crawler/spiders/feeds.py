"""Any RSS / Atom / JSON Feed (RSSHub, wewe-rss, the sample web's /feeds/) mapped to one account.

A configured feed is a URL, or "PLATFORM URL" when the route does not say the
platform (wewe-rss: "wechat https://rss.example/feeds/MP_WXS_123.atom").
Each crawl fetches the feed document only; posts already stored are
re-upserted unchanged, so an unchanged feed stores nothing new.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response

from core.models import PLATFORMS
from crawler.pages.feeds import parse_feed, route_identity
from crawler.spiders.base import GovwatchSpider


def feed_source(spec: str) -> tuple[str | None, str]:
    """("wechat", URL) for "wechat URL"; (None, URL) for a bare URL."""
    first, _, rest = spec.strip().partition(" ")
    return (first, rest.strip()) if rest and first in PLATFORMS else (None, spec.strip())


class FeedsSpider(GovwatchSpider):
    name = "feeds"
    crawl_order = 60
    parses_in_workers = True  # a feed of 40 entries costs ~50 ms to read (crawler/offload.py)

    async def start(self) -> Any:
        for spec in self.arg_list("feeds", self.govwatch.sources.feeds):
            platform, url = feed_source(spec)
            route_platform, route_id = route_identity(url)
            meta = {"govwatch_source": {"platform": platform or route_platform or "website", "account_id": route_id or url},
                    "govwatch_expects_json": False}  # fmt: skip
            yield scrapy.Request(
                url, callback=self.parse, cb_kwargs={"platform": platform}, dont_filter=True, meta=meta
            )

    async def parse(self, response: Response, platform: str | None) -> AsyncIterator[Any]:
        with self.parsing("feed", response) as parsed:
            result = await self.offload(parse_feed, response.body, response.url, self.reference_time, platform)
        if parsed.failed:
            return
        self.skipped("feed_entries", response.url, result.bad_entries)
        account = result.account
        yield account
        self.begin_source(account.platform, account.account_id)
        for post in result.posts:
            yield post
        self.saw_posts(account.platform, account.account_id, result.posts)
        for done in self.paging_done(account.platform, account.account_id):
            yield done
