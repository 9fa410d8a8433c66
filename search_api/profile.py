"""The account page's facts: registry entry, last post, days silent, weekly timeline, evidence, mentions.

Everything is read through the Backend protocol, so the page works the
same over SQLite and Elasticsearch. The timeline reads the newest
TIMELINE_POSTS posts of the account (enough for a year of daily posting).
Mentions are grouped by platform and normalised name once and rebuilt in the
background after REFRESH_SECONDS (search_api.cache), like the registry: read
per page, the store's every mention cost 600–800 ms an account page on
Elasticsearch at 2,897 mentions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from typing import Any

from audit.names import normalise_name
from core.dates import CHINA_TZ
from core.errors import BadInputError
from core.models import Account, AccountMention, Finding, Post
from index.base import Backend, PostQuery
from search_api.cache import Refreshing, store_stamp
from search_api.directory import REFRESH_SECONDS, AccountInfo, Directory, entry_of, match
from search_api.routes.findings import finding_out
from search_api.routes.impersonation import _cache as matchers
from search_api.schemas import AccountOut
from search_api.schemas_accounts import (
    AccountDetail,
    MentionOut,
    PostBrief,
    RegistryOut,
    SimilarOut,
    WeekCount,
)

CONTEXT_CHARS = 300  # of a mention's context shown, and kept in the cache

TIMELINE_POSTS = 2000
TIMELINE_WEEKS = 26
RECENT = 10


def _posts(store: Backend, account: Account) -> list[Post]:
    """The account's newest posts, newest first (pinned ones included, marked)."""
    query = PostQuery(platform=account.platform, account=account.account_id, sort="newest", limit=100)
    posts: list[Post] = []
    while len(posts) < TIMELINE_POSTS:
        result = store.search_posts(query)
        posts += [h.item for h in result.hits if isinstance(h.item, Post)]
        if not result.hits or (len(result.hits) < query.limit and not result.next_cursor):
            break
        query = (replace(query, cursor=result.next_cursor) if result.next_cursor
                 else replace(query, offset=len(posts)))
    posts.sort(key=lambda p: p.published_at or datetime.min, reverse=True)
    return posts


def brief(p: Post) -> PostBrief:
    return PostBrief(post_id=p.post_id, url=p.url, title=p.title, snippet=(p.text or "")[:120],
                     published_at=p.published_at, is_pinned=p.is_pinned, is_original=p.is_original)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def timeline(posts: list[Post], today: date, weeks: int = TIMELINE_WEEKS) -> list[WeekCount]:
    """Non-pinned posts per week for the `weeks` weeks up to `today`, zero weeks included."""
    counts = Counter(monday(p.published_at.date()) for p in posts if p.published_at and not p.is_pinned)
    last = monday(today)
    return [WeekCount(week_start=w, posts=counts.get(w, 0))
            for w in (last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))]


def _by_name(store: Backend) -> dict[tuple[str, str], list[AccountMention]]:
    """The store's mentions by (platform, normalised name), in the store's order."""
    grouped: dict[tuple[str, str], list[AccountMention]] = {}
    for m in store.iter_mentions():  # kept in every worker: the context as far as the page shows it
        m = replace(m, context=m.context[:CONTEXT_CHARS])
        grouped.setdefault((m.platform, normalise_name(m.name)), []).append(m)
    return grouped


MENTIONS: Refreshing[dict[tuple[str, str], list[AccountMention]]] = Refreshing(_by_name, REFRESH_SECONDS,
                                                                                store_stamp("mentions"))


def _mentions(store: Backend, account: Account) -> list[MentionOut]:
    """Pages that named this account (same platform, same normalised name), and where it was found."""
    named = MENTIONS.get(store).get((account.platform, normalise_name(account.name)), [])
    out = [MentionOut(name=m.name, platform=m.platform, page_url=m.page_url, context=m.context) for m in named]
    if account.found_on and all(m.page_url != account.found_on for m in out):
        out.append(MentionOut(name=account.name, platform=account.platform, page_url=account.found_on,
                              context=f"found via {account.found_via}"))
    return out[:50]


def _similar(store: Backend, account: Account) -> SimilarOut | None:
    """The most similar registered account (the impersonation checker's best candidate)."""
    try:
        result = matchers.get(store).check(account.name, account.platform)
    except BadInputError:
        return None
    data: dict[str, Any] = result.as_dict()
    best = data["candidates"][:1]
    return SimilarOut(**best[0]) if best else None


def account_detail(store: Backend, account: Account, out: AccountOut, findings: list[Finding], *,
                   with_findings: bool) -> AccountDetail:
    """Everything the account page shows; `findings`: all of the account's (with evidence), shown only to
    investigators."""
    posts = _posts(store, account)
    now = datetime.now(CHINA_TZ).replace(tzinfo=None)
    last = next((p for p in posts if not p.is_pinned and p.published_at), None)
    entry = entry_of(match(store, account))
    directory = Directory(store)  # the findings are about this account, already described in `out`
    directory.remember(AccountInfo(account.platform, account.account_id, out.name, out.owner, out.registered,
                                   out.findings))
    return AccountDetail(
        account=out,
        registry=RegistryOut(**asdict(entry)) if entry else None,
        last_post=brief(last) if last else None,
        days_silent=(now - last.published_at).days if last and last.published_at else None,
        posts_counted=len(posts),
        timeline=timeline(posts, now.date()),
        recent_posts=[brief(p) for p in posts[:RECENT]],
        findings=[finding_out(f, directory) for f in findings] if with_findings else [],
        mentions=_mentions(store, account),
        most_similar=_similar(store, account),
    )
