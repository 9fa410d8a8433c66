"""Bilibili space dynamics (`/x/polymer/web-dynamic/v1/feed/space`) and profile JSON, real API shapes.

The feed's items carry `modules.module_author` (mid, name, pub_ts),
`module_dynamic` (desc text, or a major archive/opus/article), `module_stat`
(comment count, `forbidden`) and `module_tag` ("置顶" marks the pinned post);
`orig` marks a forward. The profile comes as `/x/space/acc/info` (`data.name`,
`data.official`) or the card/live shapes (`data.card`, `data.info.uname`,
`official_verify`, `follower_num`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from core.text import clean_whitespace
from crawler.pages.accounts import classify_verification, parse_count
from crawler.pages.answers import json_object
from crawler.pages.dates import from_timestamp
from crawler.pages.posts import PINNED_BADGE
from crawler.pages.walls import NeedsCredentials

# Error codes: user gone vs. risk control / login required (the source needs credentials).
MISSING_CODES = {-404, -626, 22001, 22115}
CREDENTIAL_CODES = {-101, -352, -412, -509, -799}
# official.role: 6 government, 4 organisation (and 3/5 enterprise/media), 1/2/7 personal, 0 none.
ROLES = {0: "none", 1: "personal", 2: "personal", 7: "personal", 3: "organisation", 4: "organisation",
         5: "organisation", 6: "government"}  # fmt: skip


@dataclass
class FeedPage:
    """One page of an account's dynamics and the offset of the next page (None on the last)."""

    posts: list[Post]
    offset: str | None
    author: Account | None = None
    skipped: list[str] = field(default_factory=list)  # reasons, one per item not taken


def load(body: str, url: str) -> dict[str, Any]:
    """`data` of an API answer; AccountMissing / NeedsCredentials / ParseError for the other answers."""
    answer = json_object(body, url)
    code = answer.get("code") if isinstance(answer.get("code"), int) else None
    message = str(answer.get("message") or answer.get("msg") or "")
    if code in MISSING_CODES:
        raise AccountMissing(f"platform answered code={code}: {message}", source=url)
    if code in CREDENTIAL_CODES:
        raise NeedsCredentials(f"platform answered code={code}: {message}", source=url)
    if code != 0 or not isinstance(answer.get("data"), dict):
        raise ParseError(f"answer code={code!r} without a data object: {message}", source=url, field="data")
    return answer["data"]


def parse_profile(body: str, url: str, reference: datetime) -> Account:
    """The account of a profile answer (acc/info, card or live-info shape)."""
    data = load(body, url)
    info = _dict(data.get("card")) or _dict(data.get("info")) or data
    mid = info.get("mid") or info.get("uid")
    if not mid:
        raise ParseError("profile has no mid/uid", source=url, field="mid")
    official = (
        _dict(info.get("official")) or _dict(info.get("Official")) or _dict(info.get("official_verify"))
    )
    role = official.get("role")
    role_kind = ROLES.get(role) if isinstance(role, int) else None
    verified = role_kind != "none" if role_kind else official.get("type", -1) not in (-1, None)
    reason = clean_whitespace(str(official.get("title") or official.get("desc") or ""))
    kind = role_kind or (classify_verification(reason, verified) if verified else "none")
    followers = data.get("follower", data.get("follower_num", info.get("fans")))
    forbidden = data.get("comment_forbidden")
    return Account(
        platform="bilibili", account_id=str(mid), name=clean_whitespace(str(info.get("name") or info.get("uname") or "")),
        url=f"https://space.bilibili.com/{mid}", verified=verified, verified_reason=reason, verified_type=kind,
        followers=parse_count(followers), last_seen=reference,
        interaction_enabled=not forbidden if isinstance(forbidden, bool) else None,
    )  # fmt: skip


def parse_follower_stat(body: str, url: str) -> int | None:
    """`data.follower` of `/x/relation/stat?vmid=`."""
    return parse_count(load(body, url).get("follower"))


def parse_feed(body: str, url: str, reference: datetime, mid: str | None = None) -> FeedPage:
    """Posts of one feed page. With `mid`, items by other authors are skipped (and reported)."""
    data = load(body, url)
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("feed has no items list", source=url, field="items")
    page = FeedPage(
        posts=[], offset=str(data["offset"]) if data.get("has_more") and data.get("offset") else None
    )
    for index, item in enumerate(items):
        result = _post(item, reference)
        if isinstance(result, str):
            page.skipped.append(f"item {index}: {result}")
        elif mid and result.account_id != str(mid):
            page.skipped.append(f"item {index}: by another author (mid {result.account_id})")
        else:
            page.posts.append(result)
    page.author = _author(items, mid, reference)
    return page


def _post(item: Any, reference: datetime) -> Post | str:
    if not isinstance(item, dict):
        return "not an object"
    modules = _dict(item.get("modules"))
    author = _dict(modules.get("module_author"))
    post_id = str(item.get("id_str") or "")
    if not post_id or not author.get("mid"):
        return "no id_str or author mid"
    try:
        published = from_timestamp(int(author["pub_ts"]))
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return f"pub_ts {author.get('pub_ts')!r} is not a timestamp"
    comment = _dict(_dict(modules.get("module_stat")).get("comment"))
    repost = item.get("type") == "DYNAMIC_TYPE_FORWARD" or "orig" in item
    title, text = _content(_dict(modules.get("module_dynamic")))
    return Post(
        platform="bilibili", account_id=str(author["mid"]), post_id=post_id,
        url=f"https://t.bilibili.com/{post_id}", title=title, text=text, published_at=published,
        published_raw=str(author.get("pub_time") or author.get("pub_ts")),
        is_pinned=_dict(modules.get("module_tag")).get("text") == PINNED_BADGE,
        is_repost=repost, is_original=not repost, comments=parse_count(comment.get("count")), fetched_at=reference,
    )  # fmt: skip


def _content(dynamic: dict[str, Any]) -> tuple[str, str]:
    """(title, text): the post's own words, else its video / article / opus."""
    desc = str(_dict(dynamic.get("desc")).get("text") or "")
    major = _dict(dynamic.get("major"))
    work = _dict(major.get("archive")) or _dict(major.get("article")) or _dict(major.get("opus"))
    title = str(work.get("title") or "")
    summary = work.get("desc") or _dict(work.get("summary")).get("text") or ""
    return clean_whitespace(title), clean_whitespace(desc or str(summary))


def _author(items: list[Any], mid: str | None, reference: datetime) -> Account | None:
    for item in items:
        author = _dict(_dict(_dict(item).get("modules")).get("module_author"))
        if author.get("mid") and (mid is None or str(author["mid"]) == str(mid)):
            return Account(
                platform="bilibili", account_id=str(author["mid"]), name=clean_whitespace(str(author.get("name") or "")),
                url=f"https://space.bilibili.com/{author['mid']}", last_seen=reference,
            )  # fmt: skip
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
