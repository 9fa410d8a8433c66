"""WeChat official accounts: an account's article list (endpoint or feed), then each article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from crawler.pages.wechat import parse_article, parse_article_list
from crawler.spiders.base import GovwatchSpider
from govwatch.errors import ParseError


def with_offset(url: str, offset: int) -> str:
    """The list URL with its `offset` query parameter set."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["offset"] = str(offset)
    return urlunsplit(parts._replace(query=urlencode(query)))


class WechatSpider(GovwatchSpider):
    name = "wechat"

    async def start(self) -> Any:
        for url in self.arg_list("list_urls", self.govwatch.sources.wechat_list_urls):
            yield scrapy.Request(url, callback=self.parse_list)

    def parse_list(self, response: Response) -> Iterator[Any]:
        try:
            articles, next_offset = parse_article_list(response.text, response.url)
        except ParseError as exc:
            self.count("parse_errors/wechat_list")
            self.logger.warning("%s", exc)
            return
        for article in articles:
            yield response.follow(article["url"], callback=self.parse_article)
        if next_offset is not None:
            yield scrapy.Request(with_offset(response.url, next_offset), callback=self.parse_list)

    def parse_article(self, response: Response) -> Iterator[Any]:
        try:
            account, post = parse_article(response.text, response.url, self.reference_time)
        except ParseError as exc:
            self.count("parse_errors/wechat_article")
            self.logger.warning("%s", exc)
            return
        yield account
        yield post
