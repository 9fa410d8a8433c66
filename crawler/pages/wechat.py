"""WeChat official-account pages (mp.weixin.qq.com shapes) and article-list endpoints."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import datetime

from parsel import Selector

from crawler.pages.dates import from_timestamp
from govwatch.errors import ParseError
from govwatch.models import Account, Post
from govwatch.text import clean_whitespace

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
    account = Account(platform="wechat", account_id=account_id, name=nickname, url=url, found_via="link")
    post = Post(
        platform="wechat",
        account_id=account_id,
        post_id=_post_id(url, ct),
        url=url,
        title=title,
        text=body,
        published_at=from_timestamp(ct) if ct.isdigit() else None,
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


def parse_article_list(body: str, url: str) -> tuple[list[dict], int | None]:
    """Article stubs and the next offset from an account's list endpoint (JSON)."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"article list is not JSON: {exc}", source=url) from exc
    if not isinstance(data, dict) or data.get("ret") != 0:
        raise ParseError(f"article list answered {str(data)[:80]!r}", source=url)
    articles = [a for a in data.get("articles") or [] if isinstance(a, dict) and a.get("url")]
    next_offset = data.get("next_offset")
    return articles, next_offset if isinstance(next_offset, int) else None
