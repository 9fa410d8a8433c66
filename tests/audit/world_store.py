"""Fill a store from a sample World as a perfect crawl would (no HTTP): accounts, posts, matrix mentions, registry.

Lets the audit be checked against the world's ground truth before (and
independently of) the crawler.
"""

from __future__ import annotations

from datetime import datetime

from core.models import Account, AccountMention, Page, Post
from index.base import Backend
from sampleweb.world import SampleAccount, World


def account_of(a: SampleAccount, now: datetime) -> Account:
    """What a crawler learns about one account: a deleted account answers only "does not exist"."""
    if a.state == "missing":
        return Account(a.platform, a.account_id, name="", state="missing", first_seen=now, last_seen=now)
    spec = a.spec
    return Account(
        platform=a.platform, account_id=a.account_id, name=a.name, url=f"https://example.test/{a.key}",
        verified=spec.verified_type != "none", verified_reason=spec.verified_reason,
        verified_type=spec.verified_type, followers=a.followers, posts_count=len(a.posts),
        found_via="gov_site" if spec.on_matrix else "platform_search", state=a.state,
        interaction_enabled=a.interaction_enabled if a.state == "ok" else None, first_seen=now, last_seen=now,
    )


def posts_of(a: SampleAccount, now: datetime) -> list[Post]:
    return [
        Post(a.platform, a.account_id, p.post_id, title=p.title, text=p.text, published_at=p.published_at,
             is_original=p.is_original, is_pinned=p.is_pinned, is_repost=p.is_repost, fetched_at=now)
        for p in a.posts
    ]


def matrix_pages(world: World) -> list[Page]:
    """One matrix page per government site, listing its on-matrix accounts as mentions."""
    pages = []
    for site in sorted({a.site for a in world.accounts if a.site}):
        url = f"http://sample.test/gov/{site}/matrix.html"
        mentions = [AccountMention(a.name, a.platform, url, "matrix") for a in world.accounts
                    if a.site == site and a.spec.on_matrix]
        pages.append(Page(url=url, site=site, title="政务新媒体矩阵", text="矩阵", mentions=mentions,
                          fetched_at=world.now))
    return pages


def load_world(store: Backend, world: World, *, skip: frozenset[str] = frozenset()) -> None:
    """Store every account except those whose key is in `skip` (to play a crawl that missed them)."""
    accounts = [a for a in world.accounts if a.key not in skip]
    store.upsert_registry(world.registry)
    store.upsert_accounts(account_of(a, world.now) for a in accounts)
    store.upsert_posts(p for a in accounts for p in posts_of(a, world.now))
    store.upsert_pages(matrix_pages(world))
