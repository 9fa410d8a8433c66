"""Small builders for audit tests: accounts with posts N days before a check time, registry rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from core.models import Account, Post, RegistryEntry
from index.base import Backend

NOW = datetime(2026, 11, 23, 10, 0)
_ids = count()


def post(account_id: str, at: datetime, *, original: bool = True, pinned: bool = False,
         platform: str = "weibo") -> Post:
    """One post of `account_id` published at `at`."""
    n = next(_ids)
    return Post(platform, account_id, f"p{n}", text=f"正文{n}", published_at=at, is_original=original,
                is_pinned=pinned, is_repost=not original)


def days_ago(days: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days)


def add_account(store: Backend, account_id: str, name: str, posts: list[Post] = (), *,  # type: ignore[assignment]
                platform: str = "weibo", **fields: object) -> Account:
    """Store an account (and its posts); extra keyword arguments set Account fields."""
    acc = Account(platform, account_id, name, **fields)  # type: ignore[arg-type]
    store.upsert_accounts([acc])
    store.upsert_posts(posts)
    return acc


def entry(name: str, account_id: str = "", *, platform: str = "weibo", owner: str = "",
          primary: bool = False, status: str = "active", registry_no: str = "") -> RegistryEntry:
    return RegistryEntry(name=name, platform=platform, account_id=account_id, owner=owner,
                         is_primary=primary, status=status, registry_no=registry_no)


def kinds_of(store: Backend, subject_key: str) -> set[str]:
    """Kinds of the open findings about one subject."""
    return {f.kind for f in store.list_findings(subject_key=subject_key)}
