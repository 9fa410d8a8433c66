"""Any RSS 2.0 / Atom / JSON Feed → one account and its posts (RSSHub, wewe-rss, the sample web's /feeds/).

The platform and account id come from the caller (configuration) or from an
RSSHub-style route (`/feeds/<platform>/<id>.xml`, `/bilibili/user/dynamic/<uid>`).
Feed times are converted to naive China time; an entry without a readable
time keeps its raw text so validation drops and counts it.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from core.errors import ParseError
from core.models import Account, Post, content_hash
from core.text import clean_whitespace
from crawler.pages.dates import from_timestamp
from crawler.pages.htmltext import element_text, parse_html
from crawler.pages.platforms import platform_in_path, platform_of_url
from crawler.pages.published import parse_page_date

_TITLE_SUFFIXES = re.compile(
    r"\s*(?:的\s*(?:bilibili|B站)\s*(?:动态|空间|投稿视频|投稿)|的(?:微博|抖音|快手|头条|公众号|视频号)|"
    r"\s[-–|]\s*(?:今日头条|头条号|快手|抖音|哔哩哔哩|bilibili|微博|微信公众号|RSSHub))\s*$",
    re.I,
)
_REPOST = re.compile(r"^\s*(?:转发|Repost|RT\b)|//@")


@dataclass
class FeedResult:
    """The account a feed describes, its posts, and entries that could not be read."""

    account: Account
    posts: list[Post]
    bad_entries: list[str] = field(default_factory=list)


def route_identity(url: str) -> tuple[str | None, str]:
    """(platform, account id) an RSSHub-style feed URL names; the id is the last path segment.

    A generic feed URL (https://www.example.gov.cn/feed) names no account: its id is "" and the
    feed's own channel link identifies the account instead.
    """
    try:
        path = urlsplit(url).path.rstrip("/")
    except ValueError:
        return None, ""
    last = re.sub(r"\.(?:xml|atom|rss|json)$", "", path.rsplit("/", 1)[-1])
    return platform_of_url(url), last if platform_in_path(url) else ""


def _link_identity(link: str) -> str:
    """An account id from a feed's channel link: the last path segment of a platform URL, else the link."""
    platform = platform_of_url(link)
    try:
        last = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
    except ValueError:
        return link
    return last if platform and last else link


def parse_feed(
    body: bytes | str,
    url: str,
    reference: datetime,
    platform: str | None = None,
    account_id: str | None = None,
) -> FeedResult:
    """Read a feed of any of the three formats; ParseError when it is none of them."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    route_platform, route_id = route_identity(url)
    if text.lstrip().startswith("{"):
        title, link, entries = _json_feed(text, url)
    else:
        title, link, entries = _xml_feed(body, url)
    platform = platform or route_platform or platform_of_url(link)
    if not platform:
        raise ParseError(
            "cannot tell the feed's platform; configure it with the feed", source=url, field="platform"
        )
    account_id = account_id or route_id or _link_identity(link) or url
    account = Account(
        platform=platform, account_id=account_id, name=_TITLE_SUFFIXES.sub("", title), url=link or url,
        found_via="feed", found_on=url, last_seen=reference,
    )  # fmt: skip
    result = FeedResult(account, [])
    for index, entry in enumerate(entries):
        if isinstance(post := _post(entry, platform, account_id, reference), Post):
            result.posts.append(post)
        else:
            result.bad_entries.append(f"entry {index}: {post}")
    return result


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _valid_char_refs(body: bytes | str) -> bytes | str:
    """`&#99999999;` (no such character) made U+FFFD: feedparser's chr() would raise ValueError."""

    def fix(match: re.Match[str]) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        ok = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return match.group(0) if ok else "&#xFFFD;"

    if isinstance(body, str):
        return _CHAR_REF.sub(fix, body)
    # bytes keep their own encoding (feedparser reads the XML declaration); the references are ASCII
    return re.sub(_CHAR_REF.pattern.encode(), lambda m: fix(_as_text(m)).encode(), body)


def _as_text(match: re.Match[bytes]) -> re.Match[str]:
    found = _CHAR_REF.fullmatch(match.group(0).decode("ascii"))
    assert found is not None
    return found


def _xml_feed(body: bytes | str, url: str) -> tuple[str, str, list[dict[str, Any]]]:
    try:
        parsed = feedparser.parse(_valid_char_refs(body))
    except (ValueError, TypeError, LookupError) as exc:  # feedparser's own corners: still a bad answer
        raise ParseError(f"not a readable feed: {exc}", source=url) from exc
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed document"
        raise ParseError(f"not a feed: {reason}", source=url)
    entries = []
    for entry in parsed.entries:
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        contents = entry.get("content") or []
        entries.append({
            "id": entry.get("id") or entry.get("link") or "", "url": entry.get("link") or "",
            "title": entry.get("title") or "",
            "html": (contents[0].get("value") if contents else "") or entry.get("summary") or "",
            "raw_date": entry.get("published") or entry.get("updated") or "",
            "at": _china_time(when),
            "tags": [str(t.get("term") or "") for t in entry.get("tags") or [] if isinstance(t, dict)],
        })  # fmt: skip
    feed = parsed.feed
    return str(feed.get("title") or ""), str(feed.get("link") or ""), entries


def _json_feed(text: str, url: str) -> tuple[str, str, list[dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"JSON Feed is not JSON ({exc.msg} at {exc.pos})", source=url) from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise ParseError("not a JSON Feed (no jsonfeed.org version)", source=url, field="version")
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("JSON Feed has no items list", source=url, field="items")
    entries = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        raw_date = str(item.get("date_published") or item.get("date_modified") or "")
        entries.append({
            "id": str(item.get("id") or item.get("url") or ""), "url": str(item.get("url") or ""),
            "title": str(item.get("title") or ""),
            "html": str(item.get("content_html") or ""), "text": str(item.get("content_text") or item.get("summary") or ""),
            "raw_date": raw_date, "at": parse_page_date(raw_date) if raw_date else None,
            "tags": [str(t) for t in item.get("tags") or [] if isinstance(t, str)] if isinstance(item.get("tags"), list) else [],
        })  # fmt: skip
    return str(data.get("title") or ""), str(data.get("home_page_url") or ""), entries


def _post(entry: dict[str, Any], platform: str, account_id: str, reference: datetime) -> Post | str:
    text = entry.get("text") or _html_text(entry["html"])
    title = clean_whitespace(entry["title"])
    if not (entry["id"] or title or text):
        return "no id, title or text"
    post_id = entry["id"] or content_hash(title, text, entry["raw_date"])
    tags = set(entry.get("tags") or [])
    repost = bool(_REPOST.search(title) or _REPOST.search(text[:60]) or tags & {"转发", "repost"})
    # RSSHub-style categories say 原创 / 转载; without them a post that is not a repost counts as original.
    original = "原创" in tags or (not repost and not tags & {"转载", "转发"})
    return Post(
        platform=platform, account_id=account_id, post_id=post_id, url=entry["url"], title=title,
        text=clean_whitespace(text), published_at=entry["at"], published_raw=entry["raw_date"],
        is_repost=repost, is_original=original, fetched_at=reference,
    )  # fmt: skip


def _china_time(when: Any) -> datetime | None:
    try:
        return from_timestamp(calendar.timegm(when)) if when else None
    except (ValueError, OverflowError, TypeError):
        return None


def _html_text(html: str) -> str:
    if "<" not in html:
        return html
    try:
        return element_text(parse_html(html))
    except ParseError:
        return re.sub(r"<[^>]+>", " ", html)
