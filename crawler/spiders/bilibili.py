"""Bilibili accounts: profile (acc/info + follower stat), then the space dynamic feed paged by `offset`.

Incremental like the other platform spiders: the feed is followed down to the
last completed crawl's frontier (the pinned item excepted).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from core.models import Account
from crawler.pages.bilibili import parse_feed, parse_follower_stat, parse_profile
from crawler.spiders.paging import CursorPagingSpider


class BilibiliSpider(CursorPagingSpider):
    name = "bilibili"
    platform = "bilibili"
    crawl_order = 50

    def api(self, path: str, **params: str) -> str:
        return f"{self.govwatch.sources.bilibili_api.rstrip('/')}/x/{path}?{urlencode(params)}"

    def request(self, url: str, callback: Any, mid: str, **kwargs: Any) -> scrapy.Request:
        return self.source_request(url, callback, "bilibili", mid, cb_kwargs={"mid": mid, **kwargs})

    async def start(self) -> Any:
        for mid in self.arg_list("uids", self.govwatch.sources.bilibili_uids):
            yield self.request(self.api("space/acc/info", mid=mid), self.parse_profile, mid)

    def parse_profile(self, response: Response, mid: str) -> Iterator[Any]:
        stat = self.request(self.api("relation/stat", vmid=mid), self.parse_stat, mid)
        yield from self.read_profile(response, mid, parse_profile, stat)

    def parse_stat(self, response: Response, mid: str) -> Iterator[Any]:
        with self.parsing("bilibili_stat", response) as parsed:  # the profile stands without its follower count
            followers = parse_follower_stat(response.text, response.url)
        if parsed.ok and followers is not None:
            yield Account(
                platform="bilibili",
                account_id=mid,
                name="",
                followers=followers,
                last_seen=self.reference_time,
            )

    def page_request(self, account_id: str, cursor: str, page: int) -> scrapy.Request:
        url = self.api("polymer/web-dynamic/v1/feed/space", host_mid=account_id, offset=cursor)
        return self.request(url, self.parse_feed, account_id, page=page)

    def parse_feed(self, response: Response, mid: str, page: int) -> Iterator[Any]:
        with self.parsing("bilibili_feed", response) as parsed:
            result = parse_feed(response.text, response.url, self.reference_time, mid=mid)
        if parsed.failed:
            return
        self.skipped("bilibili_items", response.url, result.skipped)
        yield from result.posts
        yield from self.next_page(mid, result.posts, result.offset, page)
