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

from core.errors import ParseError
from core.models import Account
from crawler.pages.bilibili import parse_feed, parse_follower_stat, parse_profile
from crawler.pages.weibo import AccountMissing
from crawler.spiders.base import GovwatchSpider

MAX_PAGES = 50


class BilibiliSpider(GovwatchSpider):
    name = "bilibili"
    crawl_order = 50

    def api(self, path: str, **params: str) -> str:
        return f"{self.govwatch.sources.bilibili_api.rstrip('/')}/x/{path}?{urlencode(params)}"

    def request(self, url: str, callback: Any, mid: str, **kwargs: Any) -> scrapy.Request:
        meta = {"govwatch_source": {"platform": "bilibili", "account_id": mid}}
        return scrapy.Request(
            url, callback=callback, cb_kwargs={"mid": mid, **kwargs}, dont_filter=True, meta=meta
        )

    async def start(self) -> Any:
        for mid in self.arg_list("uids", self.govwatch.sources.bilibili_uids):
            yield self.request(self.api("space/acc/info", mid=mid), self.parse_profile, mid)

    def parse_profile(self, response: Response, mid: str) -> Iterator[Any]:
        try:
            account = parse_profile(response.text, response.url, self.reference_time)
        except AccountMissing as exc:
            self.count("accounts_missing")
            self.logger.info("bilibili %s: %s", mid, exc)
            yield Account(platform="bilibili", account_id=mid, name="", state="missing", url=response.url)
            return
        except ParseError as exc:
            self.parse_failed("bilibili_profile", exc)
            return
        yield account
        yield self.request(self.api("relation/stat", vmid=mid), self.parse_stat, mid)
        self.begin_source("bilibili", mid)
        yield self.feed_request(mid, "", 1)

    def parse_stat(self, response: Response, mid: str) -> Iterator[Any]:
        try:
            followers = parse_follower_stat(response.text, response.url)
        except ParseError as exc:  # the profile stands without its follower count
            self.parse_failed("bilibili_stat", exc)
            return
        if followers is not None:
            yield Account(
                platform="bilibili",
                account_id=mid,
                name="",
                followers=followers,
                last_seen=self.reference_time,
            )

    def feed_request(self, mid: str, offset: str, page: int) -> scrapy.Request:
        url = self.api("polymer/web-dynamic/v1/feed/space", host_mid=mid, offset=offset)
        return self.request(url, self.parse_feed, mid, page=page)

    def parse_feed(self, response: Response, mid: str, page: int) -> Iterator[Any]:
        try:
            result = parse_feed(response.text, response.url, self.reference_time, mid=mid)
        except ParseError as exc:
            self.parse_failed("bilibili_feed", exc)
            return
        self.skipped("bilibili_items", response.url, result.skipped)
        yield from result.posts
        reached = self.saw_posts("bilibili", mid, result.posts)
        if result.offset and result.posts and page < MAX_PAGES and not reached:
            yield self.feed_request(mid, result.offset, page + 1)
        else:
            yield from self.paging_done("bilibili", mid)
