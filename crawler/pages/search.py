"""Platform user search (Weibo-style) → candidate accounts with their verification data.

Discovery searches region names × agency words (永州 × 公安 → "永州公安") and
keeps every user returned: the audit decides which are unregistered or
impersonating. Shapes: the sample web's `{"data": {"users": [...]}}` and
m.weibo.cn's `{"data": {"cards": [{"card_group": [{"user": {...}}]}]}}`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import ParseError
from core.models import Account
from core.text import clean_whitespace
from crawler.pages.accounts import parse_count, verified_type
from crawler.pages.answers import json_object

AGENCY_WORDS = (
    "发布",
    "公安",
    "人社",
    "文旅",
    "教育",
    "市场监管",
    "卫健",
    "医保",
    "应急",
    "税务",
    "交警",
    "政务",
)
NO_RESULTS = ("这里还没有内容", "没有找到", "暂无")


@dataclass
class SearchPage:
    """Candidates found on one result page, and users that could not be read."""

    accounts: list[Account]
    bad_users: list[str] = field(default_factory=list)


def keywords(regions: list[str] | tuple[str, ...], words: tuple[str, ...] = AGENCY_WORDS) -> list[str]:
    """Search terms: each configured term as is, then each region × agency word (永州公安 …), no repeats."""
    combined = [*regions, *(region + word for region, word in itertools.product(regions, words))]
    return list(dict.fromkeys(term for term in combined if term))


def parse_user_search(body: str, url: str, reference: datetime) -> SearchPage:
    """Candidate accounts of one Weibo-style user-search answer; `{"ok": 0}` means no results."""
    answer = json_object(body, url, "search answer")
    if answer.get("ok") != 1:
        if any(text in str(answer.get("msg", "")) for text in NO_RESULTS):
            return SearchPage([])
        raise ParseError(f"search answered ok={answer.get('ok')!r}: {answer.get('msg', '')}", source=url)
    page = SearchPage([])
    for index, user in enumerate(_users(answer.get("data"))):
        account = _account(user, url, reference)
        if account is None:
            page.bad_users.append(f"user {index}: no id or screen_name")
        else:
            page.accounts.append(account)
    return page


def _users(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        return []
    users = data.get("users")
    if isinstance(users, list):
        return users
    cards = raw if isinstance(raw := data.get("cards"), list) else []
    groups = [c.get("card_group") for c in cards if isinstance(c, dict)]
    return [
        item.get("user")
        for group in groups
        if isinstance(group, list)
        for item in group
        if isinstance(item, dict)
    ]


def _account(user: Any, url: str, reference: datetime) -> Account | None:
    if not isinstance(user, dict) or not user.get("id") or not user.get("screen_name"):
        return None
    verified = bool(user.get("verified"))
    return Account(
        platform="weibo", account_id=str(user["id"]), name=clean_whitespace(str(user["screen_name"])),
        url=f"https://m.weibo.cn/u/{user['id']}", verified=verified,
        verified_reason=clean_whitespace(str(user.get("verified_reason") or "")),
        verified_type=verified_type(user.get("verified_type")) if verified else "none",
        followers=parse_count(user.get("followers_count")), found_via="platform_search", found_on=url,
        last_seen=reference,
    )  # fmt: skip
