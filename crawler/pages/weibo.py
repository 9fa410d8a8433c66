"""Weibo (m.weibo.cn `getIndex`) profile and post-list JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsel import Selector

from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from core.text import clean_whitespace
from crawler.pages.accounts import parse_count, verified_type
from crawler.pages.answers import json_object
from crawler.pages.dates import resolve_date
from crawler.pages.posts import is_pinned

MISSING_MESSAGES = ("这里还没有内容", "用户不存在", "该账号")
@dataclass
class PostPage:
    posts: list[Post]
    since_id: str | None  # cursor of the next page, None on the last one
    long_text_ids: set[str] = field(default_factory=set)  # posts cut at "全文": fetch statuses/extend
    next_page: int | None = None  # page-number paging (cardlistInfo.page) when the answer has no since_id


def load_json(body: str, url: str) -> dict[str, Any]:
    """The JSON object of an API answer; AccountMissing for ok=0, ParseError for anything else wrong."""
    data = json_object(body, url)
    if data.get("ok") != 1:
        raise AccountMissing(f"platform answered ok={data.get('ok')!r}: {data.get('msg', '')}", source=url)
    if not isinstance(data.get("data"), dict):
        raise ParseError("answer has no 'data' object", source=url, field="data")
    return data["data"]


def count(value: Any) -> int | None:
    """Counts as Weibo writes them: 1553, "1553", "145.5万", "1.2亿"."""
    return parse_count(value)


def parse_profile(body: str, url: str, reference: datetime) -> Account:
    """The account of a `getIndex?type=uid&value=UID` answer."""
    user = load_json(body, url).get("userInfo")
    if not isinstance(user, dict) or not user.get("id"):
        raise ParseError("profile has no userInfo.id", source=url, field="userInfo")
    uid = str(user["id"])
    allow = user.get("allow_comment")
    return Account(
        platform="weibo",
        account_id=uid,
        name=clean_whitespace(str(user.get("screen_name", ""))),
        url=f"https://m.weibo.cn/u/{uid}",
        verified=bool(user.get("verified")),
        verified_reason=str(user.get("verified_reason") or ""),
        verified_type=verified_type(user.get("verified_type")) if user.get("verified") else "none",
        followers=count(user.get("followers_count")),
        posts_count=count(user.get("statuses_count")),
        interaction_enabled=None if allow is None else bool(allow),
        last_seen=reference,
    )


def parse_posts(body: str, url: str, reference: datetime) -> PostPage:
    """The posts of one `containerid=107603UID` page and the `since_id` of the next."""
    data = load_json(body, url)
    cards = data.get("cards")
    if not isinstance(cards, list):  # e.g. a statuses/show answer: one post, not a list of them
        shape = ", ".join(sorted(map(str, data))[:6]) or "nothing"
        raise ParseError(f"not a post list: the answer has no 'cards' list (it has {shape})", source=url,
                         field="cards")  # fmt: skip
    posts = [
        post
        for card in cards
        if isinstance(card, dict) and card.get("card_type") == 9 and isinstance(card.get("mblog"), dict)
        if (post := _post(card["mblog"], reference)) is not None
    ]
    long_ids = {
        str(card["mblog"].get("id"))
        for card in cards
        if isinstance(card, dict)
        and isinstance(card.get("mblog"), dict)
        and card["mblog"].get("isLongText") is True
    }
    info = data.get("cardlistInfo")
    since = info.get("since_id") if isinstance(info, dict) else None
    since_id = str(since) if since and isinstance(since, int | str) else None
    page = info.get("page") if isinstance(info, dict) else None
    next_page = page if isinstance(page, int) and not isinstance(page, bool) and 1 < page < 10_000 else None
    return PostPage(posts=posts, since_id=since_id, long_text_ids=long_ids & {p.post_id for p in posts},
                    next_page=None if since_id else next_page)  # fmt: skip


def _post(mblog: dict[str, Any], reference: datetime) -> Post | None:
    post_id = str(mblog.get("id") or mblog.get("mid") or "")
    user: dict[str, Any] = mblog["user"] if isinstance(mblog.get("user"), dict) else {}
    if not post_id:
        return None
    raw_date = str(mblog.get("created_at") or "")
    repost = isinstance(mblog.get("retweeted_status"), dict)
    return Post(
        platform="weibo",
        account_id=str(user.get("id") or ""),
        post_id=post_id,
        url=f"https://m.weibo.cn/detail/{post_id}",
        text=html_text(str(mblog.get("text") or "")),
        published_raw=raw_date,
        published_at=resolve_date(raw_date, reference),
        is_pinned=is_pinned(mblog),
        is_repost=repost,
        is_original=not repost,
        comments=count(mblog.get("comments_count")),
        fetched_at=reference,
    )


def html_text(fragment: str) -> str:
    """Visible text of a post's HTML fragment (emoji images and links reduced to text)."""
    if "<" not in fragment:
        return clean_whitespace(fragment)
    sel = Selector(text=f"<div>{fragment}</div>")
    return clean_whitespace(" ".join(sel.xpath("//text() | //img/@alt").getall()))


def parse_long_text(body: str, url: str) -> str:
    """The full text from `statuses/extend?id=…`."""
    return html_text(str(load_json(body, url).get("longTextContent") or ""))
