"""Row mapping for SqliteBackend: stored rows to model objects and back."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from core.models import Account, Finding, Page, Post, RegistryEntry
from index.sqlite_schema import bool_in, dt_in, dt_out


def account_row(a: Account, now: str | None) -> tuple:
    """An accounts row in ACCOUNT_COLUMNS order; first/last seen default to `now`."""
    return (
        a.platform, a.account_id, a.name, a.url or None, int(a.verified), a.verified_reason or None,
        a.verified_type or None, a.followers, a.posts_count, a.found_via, a.found_on, a.state,
        None if a.interaction_enabled is None else int(a.interaction_enabled),
        dt_out(a.created_at), dt_out(a.first_seen) or now, dt_out(a.last_seen) or now,
    )


def post_row(rowid: int, p: Post, norm: str | None, now: str) -> tuple:
    """A posts row: rowid, then POST_COLUMNS order."""
    return (
        rowid, p.platform, p.post_id, p.account_id, p.url, p.title, p.text, dt_out(p.published_at),
        int(p.is_original), int(p.is_pinned), int(p.is_repost), p.comments, p.replies,
        dt_out(p.fetched_at) if p.fetched_at else now, p.content_hash, norm,
    )


def page_row(p: Page, norm: str | None) -> tuple:
    """A pages row in PAGE_COLUMNS order."""
    return (
        p.url, p.site, p.title, p.column, dt_out(p.published_at), p.text, p.html, p.encoding,
        dt_out(p.fetched_at or datetime.now()), p.content_hash, norm,
    )


def registry_row(e: RegistryEntry) -> tuple:
    """A registry row in REGISTRY_COLUMNS order."""
    return (
        e.key, e.name, e.platform, e.account_id or None, e.owner or None, e.supervisor or None,
        e.registry_no or None, int(e.is_primary), e.status, dt_out(e.registered_at),
    )


def to_account(r: sqlite3.Row) -> Account:
    return Account(
        platform=r["platform"], account_id=r["account_id"], name=r["name"], url=r["url"] or "",
        verified=bool(r["verified"]), verified_reason=r["verified_reason"] or "",
        verified_type=r["verified_type"] or "none", followers=r["followers"], posts_count=r["posts_count"],
        found_via=r["found_via"] or "", found_on=r["found_on"] or "", state=r["state"] or "ok",
        interaction_enabled=bool_in(r["interaction_enabled"]), created_at=dt_in(r["created_at"]),
        first_seen=dt_in(r["first_seen"]), last_seen=dt_in(r["last_seen"]),
    )


def to_post(r: sqlite3.Row) -> Post:
    return Post(
        platform=r["platform"], account_id=r["account_id"], post_id=r["post_id"], url=r["url"] or "",
        title=r["title"] or "", text=r["text"] or "", published_at=dt_in(r["published_at"]),
        is_original=bool(r["is_original"]), is_pinned=bool(r["is_pinned"]), is_repost=bool(r["is_repost"]),
        comments=r["comments"], replies=r["replies"], fetched_at=dt_in(r["fetched_at"]),
        content_hash=r["content_hash"] or "",
    )


def to_page(r: sqlite3.Row) -> Page:
    return Page(
        url=r["url"], site=r["site"] or "", title=r["title"] or "", column=r["column_name"] or "",
        published_at=dt_in(r["published_at"]), text=r["text"] or "", html=r["html"] or "",
        encoding=r["encoding"] or "", fetched_at=dt_in(r["fetched_at"]), content_hash=r["content_hash"] or "",
    )


def to_registry(r: sqlite3.Row) -> RegistryEntry:
    return RegistryEntry(
        name=r["name"], platform=r["platform"], account_id=r["account_id"] or "",
        owner=r["owner"] or "", supervisor=r["supervisor"] or "", registry_no=r["registry_no"] or "",
        is_primary=bool(r["is_primary"]), status=r["status"], registered_at=dt_in(r["registered_at"]),
    )


def to_finding(r: sqlite3.Row) -> Finding:
    return Finding(
        kind=r["kind"], severity=r["severity"], subject_type=r["subject_type"], subject_key=r["subject_key"],
        rule_id=r["rule_id"], ruleset_version=r["ruleset_version"], evidence=json.loads(r["evidence"] or "{}"),
        detected_at=dt_in(r["detected_at"]), status=r["status"], resolved_at=dt_in(r["resolved_at"]),
    )
