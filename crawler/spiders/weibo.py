"""Weibo accounts through the m.weibo.cn-style API: profile, then posts paged by `since_id`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.pages.weibo import AccountMissing, parse_posts, parse_profile
from crawler.spiders.base import GovwatchSpider
from govwatch.errors import ParseError
from govwatch.models import Account

MAX_PAGES = 50  # per account and crawl; an account's history beyond this comes incrementally


class WeiboSpider(GovwatchSpider):
    name = "weibo"

    def api(self, **params: str) -> str:
        return f"{self.govwatch.sources.weibo_api.rstrip('/')}/api/container/getIndex?{urlencode(params)}"

    async def start(self) -> Any:
        for uid in self.arg_list("uids", self.govwatch.sources.weibo_uids):
            yield scrapy.Request(
                self.api(type="uid", value=uid), callback=self.parse_profile, cb_kwargs={"uid": uid}
            )

    def parse_profile(self, response: Response, uid: str) -> Iterator[Any]:
        try:
            account = parse_profile(response.text, response.url, self.reference_time)
        except AccountMissing as exc:
            self.count("accounts_missing")
            self.logger.info("weibo %s: %s", uid, exc)
            yield Account(platform="weibo", account_id=uid, name="", state="missing", url=response.url)
            return
        except ParseError as exc:
            self.count("parse_errors/weibo_profile")
            self.logger.warning("%s", exc)
            return
        yield account
        yield self.posts_request(uid, None, 1)

    def posts_request(self, uid: str, since_id: str | None, page: int) -> scrapy.Request:
        params = {"type": "uid", "value": uid, "containerid": f"107603{uid}"}
        if since_id:
            params["since_id"] = since_id
        return scrapy.Request(
            self.api(**params), callback=self.parse_posts, cb_kwargs={"uid": uid, "page": page}
        )

    def parse_posts(self, response: Response, uid: str, page: int) -> Iterator[Any]:
        try:
            result = parse_posts(response.text, response.url, self.reference_time)
        except ParseError as exc:
            self.count("parse_errors/weibo_posts")
            self.logger.warning("%s", exc)
            return
        for post in result.posts:
            post.account_id = post.account_id or uid
            yield post
        if result.since_id and result.posts and page < MAX_PAGES:
            yield self.posts_request(uid, result.since_id, page + 1)
