"""Government website pages: title, dates, body text, links, account mentions.

Pure functions over decoded HTML (parsel only): no Scrapy imports, tested on
saved pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.pages.dates import resolve_date
from govwatch.models import Link, Page
from govwatch.text import clean_whitespace

# Dates a page shows; earlier labels win (public date over generation/signing date).
DATE_LABELS = ("公开日期", "发布日期", "发布时间", "发文日期", "日期", "时间", "生成日期", "成文日期")
_DATE_LINE = re.compile(
    r"(" + "|".join(DATE_LABELS) + r")\s*[:：]?\s*(\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)"
)
BODY_SELECTORS = (
    "div.article-content", "div#zoom", "div.TRS_Editor", "div.article", "div#content", "div.content", "article",
)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")


def meta(sel: Selector, name: str) -> str:
    """Content of <meta name=NAME>, the government site-standard tags (SiteName, PubDate …)."""
    value = sel.xpath(f"//meta[@name='{name}']/@content").get()
    return clean_whitespace(value) if value else ""


def page_title(sel: Selector) -> str:
    """ArticleTitle meta, else the first h1, else <title>."""
    for candidate in (meta(sel, "ArticleTitle"), sel.css("h1 ::text").get(), sel.css("title::text").get()):
        if candidate and candidate.strip():
            return clean_whitespace(candidate)
    return ""


def published_raw(sel: Selector, text: str) -> str:
    """The publication date as written: PubDate meta, else the best-ranked visible date line."""
    pub = meta(sel, "PubDate") or meta(sel, "pubdate") or meta(sel, "publishdate")
    if pub:
        return pub
    found = {m.group(1): m.group(2) for m in reversed(list(_DATE_LINE.finditer(text)))}
    for label in DATE_LABELS:
        if label in found:
            return found[label]
    return ""


def body_text(sel: Selector) -> str:
    """Visible text of the article body, or of the whole page when no body container is found."""
    for css in BODY_SELECTORS:
        node = sel.css(css)
        if node:
            return clean_whitespace(" ".join(node[0].xpath(".//text()[not(ancestor::script|ancestor::style)]").getall()))
    return clean_whitespace(" ".join(sel.xpath("//body//text()[not(ancestor::script|ancestor::style)]").getall()))


def page_links(sel: Selector, base_url: str) -> list[Link]:
    """Every outgoing link, absolute, once each, with its anchor text."""
    seen: dict[str, Link] = {}
    for a in sel.css("a[href]"):
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(_SKIP_SCHEMES):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if url not in seen:
            seen[url] = Link(url=url, text=clean_whitespace(" ".join(a.css("::text").getall())))
    return list(seen.values())


def parse_page(html: str, url: str, reference: datetime, encoding: str = "utf-8") -> Page:
    """A Page item from one government page (any page: article, list or matrix)."""
    sel = Selector(text=html)
    full_text = clean_whitespace(" ".join(sel.xpath("//body//text()[not(ancestor::script|ancestor::style)]").getall()))
    raw_date = published_raw(sel, full_text)
    page = Page(
        url=url,
        site=meta(sel, "SiteName") or urlsplit(url).netloc,
        title=page_title(sel),
        column=meta(sel, "ColumnName"),
        published_raw=raw_date,
        published_at=resolve_date(raw_date, reference) if raw_date else None,
        text=body_text(sel),
        html=html,
        encoding=encoding,
        links=page_links(sel, url),
        fetched_at=reference,
    )
    page.mentions = _mentions(full_text, url)
    return page


def _mentions(text: str, url: str) -> list:
    try:  # the mention extractor is its own module (crawler.pages.mentions)
        from crawler.pages.mentions import extract_mentions
    except ImportError:
        return []
    return list(extract_mentions(text, page_url=url))


def next_page_url(sel: Selector, base_url: str) -> str | None:
    """The '下一页' link of a paginated list, if any."""
    href = sel.xpath("//a[contains(normalize-space(.), '下一页')]/@href").get()
    return urljoin(base_url, href) if href else None
