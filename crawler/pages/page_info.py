"""One page, HTML or plain text in any common Chinese encoding → title, date, text, account mentions.

Used by `govwatch check page` and by the government-site spider. Pure: no
Scrapy, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html

from core.models import AccountMention, Link
from core.text import clean_whitespace
from crawler.pages.encoding import decode_text
from crawler.pages.htmltext import element_text, looks_like_html, parse_html
from crawler.pages.mentions import extract_mentions, mentions_in_html, normalise
from crawler.pages.published import Published, find_published

_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+")
_TITLE_META = ("articletitle", "og:title", "twitter:title")
_LINK_SCHEMES = ("http://", "https://")
# Where CMS templates of government sites put the article body (TRS, 拓尔思, 大汉, custom).
BODY_SELECTORS = (
    "div.article-content", "div#zoom", "div.TRS_Editor", "div.trs_editor_view", "div#UCAP-CONTENT",
    "div.article", "div#content", "div.content", "article",
)  # fmt: skip


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
    published = find_published(meta, normalise(text), url)  # traditional labels too
    return PageInfo(
        url=url,
        title=page_title(tree, meta),
        text=text,
        html=html,
        decoded=html,
        encoding=encoding,
        accounts=mentions_in_html(tree, url),
        **_dated(published),
        site=meta.get("sitename", ""),
        column=meta.get("columnname", ""),
        links=page_links(tree, url),
        body_text=main_text(tree) or text,
    )


def main_text(tree: lxml.html.HtmlElement) -> str:
    """Text of the first article-body container the page has ("" when none)."""
    for selector in BODY_SELECTORS:
        found = tree.cssselect(selector)
        if found and (text := element_text(found[0])):
            return text
    return ""


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """<meta name|property|itemprop → content>, keys lower-cased, first occurrence kept."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), clean_whitespace(content))
    return tags


def page_title(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str:
    """ArticleTitle/og:title meta, else <title> without the site name, else the first <h1>."""
    for key in _TITLE_META:
        if meta.get(key):
            return meta[key]
    title_element = tree.find(".//title")
    title = clean_whitespace(title_element.text_content()) if title_element is not None else ""
    if title:
        return _strip_site_name(title, meta.get("sitename", ""))
    h1 = tree.find(".//h1")
    return clean_whitespace(h1.text_content()) if h1 is not None else ""


def _strip_site_name(title: str, site: str) -> str:
    """Drop the site name: 通知标题_永州市人民政府 → 通知标题; a title of one part stays whole."""
    parts = [part for part in _TITLE_SPLIT.split(title) if part]
    if len(parts) < 2:
        return title
    kept = [part for part in parts if not (site and (part in site or site in part))]
    # Without a recognisable site name the first part is the page's own title (CMS convention).
    return " ".join(kept) if site and kept and len(kept) < len(parts) else parts[0]


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
