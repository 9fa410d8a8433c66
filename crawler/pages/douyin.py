"""Douyin profile pages as the browser renders them (CONTRACT.md "Other platforms").

The raw HTML is an empty shell; after JavaScript runs, `[data-e2e="user-info"]`
holds nickname, 认证 text and followers, and each `li[data-e2e="post"]` a post
with `data-id`, `data-time` (unix seconds) and `data-pinned`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from core.text import clean_whitespace
from crawler.pages.accounts import classify_verification, parse_count
from crawler.pages.dates import from_timestamp

USER_INFO = '[data-e2e="user-info"]'
_FOLLOWERS = re.compile(r"粉丝\s*[:：]?\s*([\d.,]+\s*[万亿wW]?)|([\d.,]+\s*[万亿wW]?)\s*粉丝")
_SEC_UID = re.compile(r"/user/([^/?#]+)")
_VERIFY_PREFIX = re.compile(r"^\s*(?:抖音)?认证\s*[:：]\s*")


@dataclass
class DouyinProfile:
    """One rendered profile: the account, its posts, and posts that could not be read."""

    account: Account
    posts: list[Post]
    bad_posts: list[str] = field(default_factory=list)  # reasons, one per unreadable post


def needs_rendering(html: str) -> bool:
    """True for the JavaScript shell: the profile markup is not in the HTML yet."""
    return not Selector(text=html or "<html></html>").css(USER_INFO)


def sec_uid_of(url: str) -> str:
    """The account id (sec_uid) in a /user/<sec_uid> URL, or ""."""
    try:
        path = urlsplit(url).path
    except ValueError:  # "http://[x" or a host NFKC cannot carry: no account id in it
        return ""
    match = _SEC_UID.search(path)
    return match.group(1) if match else ""


def parse_profile(html: str, url: str, reference: datetime) -> DouyinProfile:
    """Account and posts of a rendered profile; ParseError when the page was not rendered."""
    sel = Selector(text=html or "<html></html>")
    info = sel.css(USER_INFO)
    if not info and sel.css('[data-e2e="user-not-found"]'):
        raise AccountMissing(
            _first_text(sel, ('[data-e2e="user-not-found"]',)) or "user not found", source=url
        )
    if not info:
        raise ParseError(
            f"no rendered profile ({USER_INFO}); was it fetched through the browser?", source=url
        )
    sec_uid = info.attrib.get("data-sec-uid") or sec_uid_of(url)
    if not sec_uid:
        raise ParseError("no sec_uid in the URL or the profile", source=url, field="sec_uid")
    account = _account(info[0], sec_uid, url, reference)
    posts: list[Post] = []
    bad: list[str] = []
    for index, item in enumerate(sel.css('li[data-e2e="post"]')):
        post = _post(item, sec_uid, url, reference)
        if isinstance(post, str):
            bad.append(f"post {index + 1}: {post}")
        else:
            posts.append(post)
    return DouyinProfile(account, posts, bad)


def _account(info: Selector, sec_uid: str, url: str, reference: datetime) -> Account:
    nickname = _first_text(
        info, ('[data-e2e="user-name"]', '[data-e2e="user-info-nickname"]', "h1", ".nickname")
    )
    verification = _first_text(info, ('[data-e2e="user-verify"]', '[data-e2e="user-info-verify"]', ".verify"))
    if not verification:
        verification = next((t for t in _texts(info) if "认证" in t), "")
    verification = _VERIFY_PREFIX.sub("", verification)
    followers_text = _first_text(info, ('[data-e2e="user-fans"]', '[data-e2e="user-info-fans"]', ".fans"))
    match = _FOLLOWERS.search(followers_text or " ".join(_texts(info)))
    followers = parse_count(next(g for g in match.groups() if g)) if match else parse_count(followers_text)
    return Account(
        platform="douyin", account_id=sec_uid, name=nickname, url=url, verified=bool(verification),
        verified_reason=verification, verified_type=classify_verification(verification, bool(verification)),
        followers=followers, last_seen=reference,
    )  # fmt: skip


def _post(item: Selector, sec_uid: str, url: str, reference: datetime) -> Post | str:
    post_id = (item.attrib.get("data-id") or "").strip()
    raw_time = (item.attrib.get("data-time") or "").strip()
    if not post_id:
        return "no data-id"
    if not raw_time.isdigit():
        return f"data-time {raw_time!r} is not unix seconds"
    try:
        published = from_timestamp(int(raw_time))
    except (ValueError, OverflowError, OSError):
        return f"data-time {raw_time!r} is out of range"
    href = item.css("a::attr(href)").get()
    return Post(
        platform="douyin", account_id=sec_uid, post_id=post_id,
        url=urljoin(url, href) if href else f"https://www.douyin.com/video/{post_id}",
        title=_first_text(item, (".title", "h3")), text=_first_text(item, ("a", "p")) or " ".join(_texts(item)),
        published_at=published, published_raw=raw_time,
        is_pinned=(item.attrib.get("data-pinned") or "").lower() in ("1", "true", "yes"),
        is_original=True, comments=parse_count(item.attrib.get("data-comments")), fetched_at=reference,
    )  # fmt: skip


def _texts(sel: Selector) -> list[str]:
    return [t for t in (clean_whitespace(s) for s in sel.xpath(".//text()").getall()) if t]


def _first_text(sel: Selector, css: tuple[str, ...]) -> str:
    for query in css:
        found = sel.css(query)
        if found:
            return clean_whitespace(" ".join(found[0].xpath(".//text()").getall()))
    return ""
