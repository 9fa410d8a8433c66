"""Government website pages → Page items: title, dates, body text, links, account mentions.

Built on crawler.pages.page_info (encoding detection, date priority, mention
extraction); pure functions with no Scrapy imports, tested on saved pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from core.models import Page
from core.text import to_simplified
from crawler.pages.page_info import PageInfo, page_info

_SOFT_404 = re.compile(
    r"页面不存在|页面未找到|找不到该页面|您访问的页面不存在|404\s*not\s*found|页面已删除|信息已删除", re.I
)
_NEXT_PAGE = re.compile(r"<a\b[^>]*href\s*=\s*[\"']?([^\"' >]+)[^>]*>\s*(?:<[^>]+>\s*)*下一页", re.I)


def parse_page(html: str, url: str, reference: datetime, encoding: str = "utf-8") -> Page:
    """A Page item from one decoded government page (article, list, matrix or home)."""
    return page_from_info(page_info(html, url), reference, encoding)


def parse_body(body: bytes, url: str, content_type: str | None, reference: datetime) -> Page:
    """A Page item from raw response bytes: GBK/GB18030/Big5/UTF-8 detected (header, meta, content)."""
    info = page_info(body, url, content_type)
    return page_from_info(info, reference, info.encoding)


def page_from_info(info: PageInfo, reference: datetime, encoding: str) -> Page:
    """The stored form of a page read by page_info."""
    return Page(
        url=info.url, site=info.site or urlsplit(info.url).netloc, title=info.title, column=info.column,
        published_at=info.published_at, published_raw=info.published_raw, text=info.body_text, html=info.html,
        encoding=encoding, links=info.links, mentions=info.accounts, fetched_at=reference,
    )  # fmt: skip


def is_soft_404(page: Page) -> bool:
    """A 200 answer that says the page does not exist (页面不存在)."""
    short = len(page.text) < 600
    return short and bool(_SOFT_404.search(to_simplified(page.title + " " + page.text)))


def next_page_url(html: str, base_url: str) -> str | None:
    """The '下一页' link of a paginated list, if any."""
    match = _NEXT_PAGE.search(html)
    if not match or match.group(1).startswith(("javascript:", "#")):
        return None
    try:
        url = urljoin(base_url, match.group(1))
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port out of range
    except ValueError:  # "http://[::1/x": not a URL, so there is no next page to follow
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None
