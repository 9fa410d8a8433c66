"""WeChat official-account pages (mp.weixin.qq.com shapes) and article-list endpoints."""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parsel import Selector

from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from core.text import clean_whitespace
from crawler.pages.dates import from_timestamp, resolve_date

_VAR = r'var\s+{name}\s*=\s*(?:htmlDecode\()?(?:""\s*\|\|\s*)?"([^"]*)"'


def js_var(html: str, name: str) -> str:
    """Value of `var NAME = "…"` in the page's scripts (also `"" || "…"` and htmlDecode forms)."""
    match = re.search(_VAR.format(name=re.escape(name)), html)
    return html_lib.unescape(match.group(1)) if match else ""


def parse_article(html: str, url: str, reference: datetime) -> tuple[Account, Post]:
    """The account and the post of one article page; ParseError if it is not one."""
    nickname, user_name = js_var(html, "nickname"), js_var(html, "user_name")
    biz = js_var(html, "biz") or _biz_from(html)
    if not (nickname and (user_name or biz)):
        raise ParseError("not a WeChat article page (no nickname / user_name)", source=url)
    sel = Selector(text=html)
    ct = js_var(html, "ct")
    account_id = user_name or biz
    body = clean_whitespace(" ".join(sel.css("#js_content").xpath(".//text()").getall()))
    title = js_var(html, "msg_title") or clean_whitespace(" ".join(sel.css("#activity-name ::text").getall()))
    original = bool(sel.css("#copyright_logo")) or js_var(html, "copyright_stat") == "1"
    comments = js_var(html, "comment_enabled")
    account = Account(
        platform="wechat", account_id=account_id, name=nickname, url=url, found_via="link",
        interaction_enabled={"1": True, "0": False}.get(comments), last_seen=reference,
    )  # fmt: skip
    post = Post(
        platform="wechat",
        account_id=account_id,
        post_id=_post_id(url, ct),
        url=url,
        title=title,
        text=body,
        published_at=resolve_date(ct, reference) if re.fullmatch(r"[0-9]{9,13}", ct) else None,
        published_raw=ct,
        is_original=original,
        fetched_at=reference,
    )
    return account, post


def _biz_from(html: str) -> str:
    match = re.search(r"__biz=([A-Za-z0-9=]+)", html)
    return match.group(1) if match else ""


def _post_id(url: str, ct: str) -> str:
    match = re.search(r"/s/([\w-]+)", url) or re.search(r"[?&]mid=(\d+)", url)
    return match.group(1) if match else f"{url}#{ct}"


@dataclass
class ArticleList:
    """One page of an account's article list: the account, article stubs, the next offset."""

    account: Account | None
    articles: list[dict[str, Any]]
    next_offset: int | None


def parse_article_list(body: str, url: str) -> tuple[list[dict], int | None]:
    """Article stubs and the next offset from an account's list endpoint (JSON)."""
    page = parse_list_page(body, url, datetime.now())
    return page.articles, page.next_offset


def parse_list_page(body: str, url: str, reference: datetime) -> ArticleList:
    """The list endpoint's page: account identity (when given), articles with ids and times, next offset."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"article list is not JSON: {exc}", source=url) from exc
    if not isinstance(data, dict) or data.get("ret") != 0:
        if isinstance(data, dict) and data.get("ret") == -1:
            raise AccountMissing(f"article list answered {data.get('errmsg', 'ret=-1')!r}", source=url)
        raise ParseError(f"article list answered {str(data)[:80]!r}", source=url)
    raw = data.get("articles")
    if not isinstance(raw, list):  # an article or a profile answer given to the list reader
        raise ParseError("not an article list: the answer has no 'articles' list", source=url, field="articles")
    articles = [a for a in raw if isinstance(a, dict) and isinstance(a.get("url"), str) and a["url"]]
    next_offset = data.get("next_offset")
    return ArticleList(
        _list_account(data, url, reference), articles,
        next_offset if isinstance(next_offset, int) and not isinstance(next_offset, bool) else None,
    )  # fmt: skip


def _list_account(data: dict[str, Any], url: str, reference: datetime) -> Account | None:
    user_name = data.get("user_name") or data.get("biz")
    if not isinstance(user_name, str) or not user_name:
        return None
    kind = data.get("verified_type")
    enabled = data.get("comment_enabled")
    return Account(
        platform="wechat", account_id=user_name, name=clean_whitespace(str(data.get("nickname") or "")), url=url,
        verified=kind in ("government", "organisation", "personal"),
        verified_type=kind if kind in ("government", "organisation", "personal", "none") else "none",
        verified_reason=clean_whitespace(str(data.get("verified_reason") or "")),
        posts_count=data["total"] if isinstance(data.get("total"), int) else None,
        interaction_enabled=enabled if isinstance(enabled, bool) else None, last_seen=reference,
    )  # fmt: skip


def article_stub(article: dict[str, Any], account_id: str, reference: datetime) -> Post | None:
    """A Post from a list entry alone (id, title, create_time): enough to decide whether to fetch it."""
    post_id = _post_id(article["url"], "")
    created = article.get("create_time")
    if not isinstance(created, int | str) or not str(created).isdigit():
        return None
    try:
        published = from_timestamp(int(created))
    except (ValueError, OverflowError, OSError):
        return None
    return Post(
        platform="wechat", account_id=account_id, post_id=str(article.get("id") or post_id), url=article["url"],
        title=clean_whitespace(str(article.get("title") or "")), published_at=published,
        published_raw=str(created), is_original=bool(article.get("is_original")), fetched_at=reference,
    )  # fmt: skip
