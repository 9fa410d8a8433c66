"""Discovery: platform user search for region names × agency words (永州公安, 无锡人社 …).

Every user found becomes a candidate Account (found_via "platform_search",
with verification data and the search URL as evidence); the audit decides
which are unregistered or impersonating. Configure `search_api` (a Weibo-style
user-search endpoint) and `search_keywords` (region names or whole terms).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.pages.search import keywords, parse_user_search
from crawler.spiders.base import GovwatchSpider

MAX_PAGES = 5  # per keyword: the best matches come first
PAGE_SIZE = 10


class DiscoverySpider(GovwatchSpider):
    name = "discovery"
    crawl_order = 90

    async def start(self) -> Any:
        api = self.govwatch.sources.search_api
        if not api:
            self.logger.info("discovery: no search_api configured; nothing to search")
            return
        for term in keywords(self.arg_list("keywords", self.govwatch.sources.search_keywords)):
            yield self.search(term, 1)

    def search(self, term: str, page: int) -> scrapy.Request:
        url = f"{self.govwatch.sources.search_api}?{urlencode({'q': term, 'page': page})}"
        meta = {
            "govwatch_source": {"platform": "weibo", "account_id": f"search:{term}"},
            "govwatch_expects_json": True,
        }
        return scrapy.Request(url, callback=self.parse, cb_kwargs={"term": term, "page": page}, meta=meta)

    def parse(self, response: Response, term: str, page: int) -> Iterator[Any]:
        with self.parsing("search", response) as parsed:
            result = parse_user_search(response.text, response.url, self.reference_time)
        if parsed.failed:
            return
        self.skipped("search_users", response.url, result.bad_users)
        self.count("candidates", len(result.accounts))
        yield from result.accounts
        if len(result.accounts) + len(result.bad_users) >= PAGE_SIZE and page < MAX_PAGES:
            yield self.search(term, page + 1)
