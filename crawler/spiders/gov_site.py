"""Government websites: from configured portals, every in-site page within a depth and page budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler.pages.gov import parse_page
from crawler.spiders.base import GovwatchSpider

SKIP_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif")


def site_prefix(url: str) -> str:
    """A site is everything under the portal URL's directory (several sites can share a host)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


class GovSiteSpider(GovwatchSpider):
    name = "gov_site"
    custom_settings = {"DEPTH_LIMIT": 4}
    max_pages = 2000  # page budget per crawl; spider argument -a max_pages=N

    async def start(self) -> Any:
        self.prefixes = [site_prefix(u) for u in self.arg_list("start_urls", self.govwatch.sources.gov_sites)]
        self.pages_seen = 0
        for url in self.arg_list("start_urls", self.govwatch.sources.gov_sites):
            yield scrapy.Request(url, callback=self.parse)

    def in_site(self, url: str) -> bool:
        return any(url.startswith(p) for p in self.prefixes) and not url.lower().endswith(SKIP_SUFFIXES)

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.count("skipped/not_text")
            return
        self.pages_seen += 1
        page = parse_page(response.text, response.url, self.reference_time, encoding=response.encoding)
        yield page
        if self.pages_seen >= int(self.max_pages):
            return
        for link in page.links:
            if self.in_site(link.url):
                yield scrapy.Request(link.url, callback=self.parse)
