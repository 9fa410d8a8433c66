"""SQL for SqliteBackend's filtered searches and the audit's per-account aggregates."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from core.models import Account
from index.base import AccountActivity, PostQuery
from index.sqlite_schema import dt_in, dt_out


def post_filters(query: PostQuery, db: sqlite3.Connection) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on alias t) for a post search's platform/account/date filters."""
    where: list[str] = []
    args: list[Any] = []
    if query.platform:
        where.append("t.platform = ?")
        args.append(query.platform)
    if query.account:
        where.append("(t.account_id = ? OR t.account_id IN (SELECT account_id FROM accounts WHERE name = ?))")
        args += [query.account, query.account]
    if query.since:
        where.append("t.published_at >= ?")
        args.append(dt_out(query.since))
    if query.until:
        where.append("t.published_at <= ?")
        args.append(dt_out(query.until))
    return where, args


def activity_rows(
    db: sqlite3.Connection, as_of: datetime, window_start: datetime, to_account: Callable[[sqlite3.Row], Account]
) -> Iterator[AccountActivity]:
    """One AccountActivity per stored account; posts after `as_of` and pinned posts are ignored.

    One grouped scan over the posts table (the days inside the window come
    back as one group_concat string per account) instead of one query per
    account, so an audit of 100,000 accounts stays a few seconds of SQL.
    """
    aggregates = {
        (r[0], r[1]): r
        for r in db.execute(
            "SELECT platform, account_id, COUNT(*), SUM(is_original), MAX(published_at), "
            "MAX(CASE WHEN is_original THEN published_at END), "
            "group_concat(DISTINCT CASE WHEN published_at > ? THEN substr(published_at, 1, 10) END) "
            "FROM posts WHERE is_pinned = 0 AND published_at <= ? GROUP BY platform, account_id",
            (dt_out(window_start), dt_out(as_of)),
        )
    }
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    for key, agg in aggregates.items():
        if agg[6]:
            days[key] = {date.fromisoformat(day) for day in agg[6].split(",")}
    for row in db.execute("SELECT * FROM accounts ORDER BY platform, account_id"):
        key = (row["platform"], row["account_id"])
        agg = aggregates.get(key)
        yield AccountActivity(
            account=to_account(row),
            posts_total=agg[2] if agg else 0,
            originals_total=(agg[3] or 0) if agg else 0,
            last_post_at=dt_in(agg[4]) if agg else None,
            last_original_at=dt_in(agg[5]) if agg else None,
            post_days=days.get(key, set()),
        )
