"""One page, HTML or plain text in any common Chinese encoding → title, date, text, account mentions.

Used by `govwatch check page` and by the government-site spider. Pure: no
Scrapy, no network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html

from core.models import AccountMention, Link
from core.text import clean_whitespace
from crawler.pages.encoding import decode_text
from crawler.pages.htmltext import element_text, looks_like_html, parse_html
from crawler.pages.maintext import main_text
from crawler.pages.mentions import extract_mentions, mentions_in_html, normalise
from crawler.pages.published import Published, find_published
from crawler.pages.titles import reader_title

_LINK_SCHEMES = ("http://", "https://")


@dataclass
class PageInfo:
    """What one page says about itself."""

    url: str
    title: str
    text: str
    html: str  # the markup as decoded ("" for plain text)
    decoded: str  # the input decoded as given, so character offsets map back to it
    encoding: str  # codec used ("" when the input was already text)
    accounts: list[AccountMention] = field(default_factory=list)
    published_at: datetime | None = None
    published_raw: str = ""
    published_evidence: str = ""
    site: str = ""
    column: str = ""
    links: list[Link] = field(default_factory=list)
    body_text: str = ""  # the article body when the template marks it, else the whole text

    @property
    def published(self) -> date | None:
        """The day the page was made public (公开/发布/发文日期 win over 生成/成文日期)."""
        return self.published_at.date() if self.published_at else None


def _dated(published: Published | None) -> dict[str, Any]:
    """PageInfo's publication fields from what find_published returned (or None)."""
    if published is None:
        return {}
    return {"published_at": published.at, "published_raw": published.raw, "published_evidence": published.evidence}


def page_info(body: bytes | str, url: str = "", content_type: str | None = None) -> PageInfo:
    """Read a page. Raises core.errors.ParseError only for markup lxml cannot parse at all."""
    decoded = decode_text(body, content_type)
    if looks_like_html(decoded.text):
        return _from_html(decoded.text, url, decoded.encoding)
    return _from_text(decoded.text, url, decoded.encoding)


def _from_text(text: str, url: str, encoding: str) -> PageInfo:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    published = find_published({}, normalise(text), url)
    return PageInfo(
        url=url,
        title=first_line if len(first_line) <= 80 else "",
        body_text=text,
        text=text,
        html="",
        decoded=text,
        encoding=encoding,
        accounts=extract_mentions(text, url),
        **_dated(published),
    )


def _from_html(html: str, url: str, encoding: str) -> PageInfo:
    tree = parse_html(html, source=url)
    meta = meta_tags(tree)
    text = element_text(tree)
    main = main_text(html, tree)
    title = reader_title(tree, meta, text, main, meta.get("sitename", ""))
    published = find_published(meta, normalise(text), url, html, normalise(title))  # traditional labels too
    return PageInfo(
        url=url,
        title=title,
        text=text,
        html=html,
        decoded=html,
        encoding=encoding,
        accounts=mentions_in_html(tree, url),
        **_dated(published),
        site=meta.get("sitename", ""),
        column=meta.get("columnname", ""),
        links=page_links(tree, url),
        body_text=main or text,
    )


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """<meta name|property|itemprop → content>, keys lower-cased, first occurrence kept."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), clean_whitespace(content))
    return tags


def page_links(tree: lxml.html.HtmlElement, url: str) -> list[Link]:
    """Every outgoing http(s) link (absolute, fragment dropped), once each, in page order."""
    links: dict[str, Link] = {}
    for anchor in tree.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        try:
            absolute = urljoin(url, href).split("#", 1)[0]
        except ValueError:  # "http://[broken" — a malformed link is not a page error
            continue
        if absolute.startswith(_LINK_SCHEMES):
            links.setdefault(absolute, Link(absolute, clean_whitespace(anchor.text_content())[:200]))
    return list(links.values())
