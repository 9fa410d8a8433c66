"""WeChat official accounts: an account's article list (endpoint or feed), then each new article.

Incremental: list pages are followed down to the last completed crawl's
frontier; an article already stored is not fetched again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.errors import ParseError
from crawler.pages.feeds import parse_feed
from crawler.pages.wechat import article_stub, parse_article, parse_list_page
from crawler.spiders.base import GovwatchSpider

MAX_PAGES = 50


def _is_feed(body: str) -> bool:
    head = body.lstrip()[:400]
    return head.startswith("<") or "jsonfeed.org/version" in head


def with_offset(url: str, offset: int) -> str:
    """The list URL with its `offset` query parameter set."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["offset"] = str(offset)
    return urlunsplit(parts._replace(query=urlencode(query)))


class WechatSpider(GovwatchSpider):
    name = "wechat"
    crawl_order = 20
    parses_in_workers = True  # articles and feeds (crawler/offload.py)

    async def start(self) -> Any:
        for url in self.arg_list("list_urls", self.govwatch.sources.wechat_list_urls):
            yield scrapy.Request(url, callback=self.parse_list, cb_kwargs={"page": 1}, dont_filter=True)

    async def parse_list(self, response: Response, page: int) -> AsyncIterator[Any]:
        if _is_feed(response.text):  # an RSSHub / wewe-rss feed of the account instead of the list endpoint
            async for item in self.parse_feed(response):
                yield item
            return
        for item in self.read_list(response, page):
            yield item

    def read_list(self, response: Response, page: int) -> Iterator[Any]:
        """An article list page: the account, requests for articles not stored yet, the next page."""
        with self.parsing("wechat_list", response, missing=True) as parsed:
            result = parse_list_page(response.text, response.url, self.reference_time)
        if parsed.failed:
            return
        if result.account is None:
            self.count("parse_errors/wechat_list")
            self.logger.error("%s: article list names no account (user_name / biz)", response.url)
            return
        account_id = result.account.account_id
        if page == 1:
            yield result.account
        run = self.begin_source("wechat", account_id)
        stubs = [s for a in result.articles if (s := article_stub(a, account_id, self.reference_time))]
        for stub in stubs:
            if stub.post_id not in run.known:
                self.detail_started("wechat", account_id)
                meta = {"govwatch_source": {"platform": "wechat", "account_id": account_id}}
                yield scrapy.Request(stub.url, callback=self.parse_article, errback=self.article_failed,
                                     cb_kwargs={"account_id": account_id}, dont_filter=True, meta=meta)  # fmt: skip
        reached = self.saw_posts("wechat", account_id, stubs)
        if result.next_offset is not None and page < MAX_PAGES and not reached:
            yield scrapy.Request(with_offset(response.url, result.next_offset), callback=self.parse_list,
                                 cb_kwargs={"page": page + 1}, dont_filter=True)  # fmt: skip
        else:
            yield from self.paging_done("wechat", account_id)

    async def parse_feed(self, response: Response) -> AsyncIterator[Any]:
        """A configured WeChat feed: the account and its newest posts in one document."""
        with self.parsing("wechat_feed", response) as parsed:
            result = await self.offload(parse_feed, response.body, response.url, self.reference_time, "wechat")
        if parsed.failed:
            return
        account = result.account
        yield account
        self.begin_source("wechat", account.account_id)
        for post in result.posts:
            yield post
        self.saw_posts("wechat", account.account_id, result.posts)
        for done in self.paging_done("wechat", account.account_id):
            yield done

    async def parse_article(self, response: Response, account_id: str) -> AsyncIterator[Any]:
        try:
            _, post = await self.offload(parse_article, response.text, response.url, self.reference_time)
        except ParseError as exc:  # a bad article stays bad: skipped and counted, never blocking the checkpoint
            self.skipped("wechat_article", response.url, [str(exc)])
        else:
            post.account_id = account_id  # the list already gave the account; one store write per article less
            yield post
        for done in self.detail_done("wechat", account_id):
            yield done

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        """A network failure keeps the source for the next crawl; an article that is gone (404/410) is skipped."""
        account_id = failure.request.cb_kwargs["account_id"]  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            self.skipped("wechat_article", failure.request.url, [f"HTTP {response.status}"])  # type: ignore[attr-defined]
            yield from self.detail_done("wechat", account_id)
            return
        self.count("errors/wechat_article")
        self.logger.warning("article %s failed: %s", failure.request.url, failure.value)  # type: ignore[attr-defined]
        yield from self.detail_done("wechat", account_id, failed=True)
