"""Weibo accounts through the m.weibo.cn-style API: profile, then posts paged by `since_id`.

Incremental: paging stops at the page that reaches the last completed crawl's
frontier (pinned posts excepted); long posts cut at "全文" are completed from
`statuses/extend` before they are yielded, and only when not stored yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.errors import ParseError
from core.models import Account, Post
from crawler.pages.weibo import AccountMissing, parse_long_text, parse_posts, parse_profile
from crawler.spiders.base import GovwatchSpider

MAX_PAGES = 50  # per account and crawl; an account's history beyond this comes incrementally


class WeiboSpider(GovwatchSpider):
    name = "weibo"
    crawl_order = 30

    def api(self, path: str = "container/getIndex", **params: str) -> str:
        return f"{self.govwatch.sources.weibo_api.rstrip('/')}/api/{path}?{urlencode(params)}"

    async def start(self) -> Any:
        for uid in self.arg_list("uids", self.govwatch.sources.weibo_uids):
            # Profiles are always re-read: dont_filter keeps a resumed JOBDIR from skipping them.
            yield scrapy.Request(self.api(type="uid", value=uid), callback=self.parse_profile, cb_kwargs={"uid": uid},
                                 dont_filter=True, meta={"govwatch_source": {"platform": "weibo", "account_id": uid}})  # fmt: skip

    def parse_profile(self, response: Response, uid: str) -> Iterator[Any]:
        try:
            account = parse_profile(response.text, response.url, self.reference_time)
        except AccountMissing as exc:
            self.count("accounts_missing")
            self.logger.info("weibo %s: %s", uid, exc)
            yield Account(platform="weibo", account_id=uid, name="", state="missing", url=response.url)
            return
        except ParseError as exc:
            self.parse_failed("weibo_profile", exc)
            return
        yield account
        self.begin_source("weibo", uid)
        yield self.posts_request(uid, None, 1)

    def posts_request(self, uid: str, since_id: str | None, page: int) -> scrapy.Request:
        params = {"type": "uid", "value": uid, "containerid": f"107603{uid}"}
        if since_id:
            params["since_id"] = since_id
        return scrapy.Request(self.api(**params), callback=self.parse_posts, cb_kwargs={"uid": uid, "page": page},
                              dont_filter=True, meta={"govwatch_source": {"platform": "weibo", "account_id": uid}})  # fmt: skip

    def parse_posts(self, response: Response, uid: str, page: int) -> Iterator[Any]:
        try:
            result = parse_posts(response.text, response.url, self.reference_time)
        except ParseError as exc:
            self.parse_failed("weibo_posts", exc)
            return
        known = self.begin_source("weibo", uid).known
        for post in result.posts:
            post.account_id = post.account_id or uid
            if post.post_id not in result.long_text_ids:
                yield post
            elif post.post_id not in known:
                self.detail_started("weibo", uid)
                yield self.long_text_request(post)
        reached = self.saw_posts("weibo", uid, result.posts)
        if result.since_id and result.posts and page < MAX_PAGES and not reached:
            yield self.posts_request(uid, result.since_id, page + 1)
        else:
            yield from self.paging_done("weibo", uid)

    def long_text_request(self, post: Post) -> scrapy.Request:
        meta = {"govwatch_source": {"platform": "weibo", "account_id": post.account_id}}
        return scrapy.Request(self.api("statuses/extend", id=post.post_id), callback=self.parse_long_text,
                              errback=self.long_text_failed, cb_kwargs={"post": post}, dont_filter=True, meta=meta)  # fmt: skip

    def parse_long_text(self, response: Response, post: Post) -> Iterator[Any]:
        try:
            post.text = parse_long_text(response.text, response.url) or post.text
        except ParseError as exc:  # keep the cut text rather than lose the post
            self.parse_failed("weibo_long_text", exc)
        yield post
        yield from self.detail_done("weibo", post.account_id)

    def long_text_failed(self, failure: Failure) -> Iterator[Any]:
        post = failure.request.cb_kwargs["post"]  # type: ignore[attr-defined]
        self.count("errors/weibo_long_text")
        self.logger.warning("long text of weibo %s failed: %s", post.post_id, failure.value)
        yield post
        yield from self.detail_done("weibo", post.account_id)
