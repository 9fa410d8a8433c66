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

from core.models import Post
from crawler.pages.weibo import parse_long_text, parse_posts, parse_profile
from crawler.spiders.paging import CursorPagingSpider


class WeiboSpider(CursorPagingSpider):
    name = "weibo"
    platform = "weibo"
    crawl_order = 30

    def api(self, path: str = "container/getIndex", **params: str) -> str:
        return f"{self.govwatch.sources.weibo_api.rstrip('/')}/api/{path}?{urlencode(params)}"

    async def start(self) -> Any:
        for uid in self.arg_list("uids", self.govwatch.sources.weibo_uids):
            # Profiles are always re-read: dont_filter keeps a resumed JOBDIR from skipping them.
            yield self.source_request(self.api(type="uid", value=uid), self.parse_profile, "weibo", uid,
                                      cb_kwargs={"uid": uid})  # fmt: skip

    def parse_profile(self, response: Response, uid: str) -> Iterator[Any]:
        yield from self.read_profile(response, uid, parse_profile)

    def page_request(self, account_id: str, cursor: str, page: int) -> scrapy.Request:
        params = {"type": "uid", "value": account_id, "containerid": f"107603{account_id}"}
        if cursor.startswith("page:"):  # page-number paging, for answers without a since_id
            params["page"] = cursor.removeprefix("page:")
        elif cursor:
            params["since_id"] = cursor
        return self.source_request(self.api(**params), self.parse_posts, "weibo", account_id,
                                   cb_kwargs={"uid": account_id, "page": page})  # fmt: skip

    def parse_posts(self, response: Response, uid: str, page: int) -> Iterator[Any]:
        with self.parsing("weibo_posts", response) as parsed:
            result = parse_posts(response.text, response.url, self.reference_time)
        if parsed.failed:
            return
        known = self.begin_source("weibo", uid).known
        for post in result.posts:
            post.account_id = post.account_id or uid
            if post.post_id not in result.long_text_ids:
                yield post
            elif post.post_id not in known:
                self.detail_started("weibo", uid)
                yield self.long_text_request(post)
        cursor = result.since_id or (f"page:{result.next_page}" if result.next_page else None)
        yield from self.next_page(uid, result.posts, cursor, page)

    def long_text_request(self, post: Post) -> scrapy.Request:
        return self.source_request(self.api("statuses/extend", id=post.post_id), self.parse_long_text, "weibo",
                                   post.account_id, errback=self.long_text_failed, cb_kwargs={"post": post})  # fmt: skip

    def parse_long_text(self, response: Response, post: Post) -> Iterator[Any]:
        with self.parsing("weibo_long_text", response, error=False):  # a failure keeps the cut text rather than lose the post
            post.text = parse_long_text(response.text, response.url) or post.text
        yield post
        yield from self.detail_done("weibo", post.account_id)

    def long_text_failed(self, failure: Failure) -> Iterator[Any]:
        post = failure.request.cb_kwargs["post"]  # type: ignore[attr-defined]
        self.count("errors/weibo_long_text")
        self.logger.warning("long text of weibo %s failed: %s", post.post_id, failure.value)
        yield post
        yield from self.detail_done("weibo", post.account_id)
