"""Government websites: from configured portals, every in-site page within a depth and page budget.

Each page is decoded from its bytes (GBK/GB18030/Big5/UTF-8, whatever the
header claims), read for title, publication date, account mentions (matrix
tables and prose, traditional versions included) and every outgoing link,
and stored as a Page. robots.txt is obeyed unless ROBOTSTXT_OBEY is off;
soft 404s (200 answers saying 页面不存在) are counted, not stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler.pages.gov import is_soft_404, parse_body
from crawler.spiders.base import GovwatchSpider

SKIP_SUFFIXES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z",
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".mp4", ".mp3", ".apk", ".exe",
)  # fmt: skip
TEXT_TYPES = ("text/html", "text/plain", "application/xhtml", "text/xml")


def site_prefix(url: str) -> str:
    """A site is everything under the portal URL's directory (several sites can share a host)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


class GovSiteSpider(GovwatchSpider):
    name = "gov_site"
    crawl_order = 10
    # DEPTH_LIMIT (project default 6) bounds link depth: portal → version → list → list page N → article.
    max_pages = 2000  # page budget per crawl; spider argument -a max_pages=N
    parses_in_workers = True  # a page costs ~10 ms to read (crawler/offload.py)

    async def start(self) -> Any:
        portals = self.arg_list("start_urls", self.govwatch.sources.gov_sites)
        self.prefixes = [site_prefix(u) for u in portals]
        self.pages_seen = 0
        for url in portals:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def in_site(self, url: str) -> bool:
        return any(url.startswith(p) for p in self.prefixes) and not urlsplit(url).path.lower().endswith(
            SKIP_SUFFIXES
        )

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        content_type = (response.headers.get("Content-Type") or b"text/html").decode("latin-1")
        if not content_type.lower().startswith(TEXT_TYPES):
            self.count("skipped/not_text")
            return
        with self.parsing("gov_page", response, error=False) as parsed:  # one odd page among many
            page = await self.offload(parse_body, response.body, response.url, content_type, self.reference_time)
        if parsed.failed:
            return
        if is_soft_404(page):
            self.count("soft_404")
            self.logger.info("%s answers 200 but says the page does not exist", response.url)
            return
        self.pages_seen += 1
        self.count("pages")
        self.count("mentions", len(page.mentions))
        yield page
        if self.pages_seen >= int(self.max_pages):
            self.count("page_budget_reached")
            return
        for link in page.links:
            if self.in_site(link.url):
                yield scrapy.Request(link.url, callback=self.parse)
