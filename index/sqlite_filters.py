"""Structured search filters (platform, account, owner, site, dates) as FTS5 tags and as SQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from core.dates import china_time
from core.models import PLATFORMS
from index.account_filter import account_pairs
from index.base import PageQuery, PostQuery
from index.sqlite_fts import range_tags, tag
from index.sqlite_request import Filters
from index.sqlite_schema import dt_out


def post_filters(db: sqlite3.Connection, query: PostQuery) -> Filters:
    """Filters of a post search; account and owner resolve to (platform, account_id) pairs first."""
    f = Filters()
    if query.platform:
        f.tags.append([tag("p", query.platform)])
        f.sql.append("p.platform = ?")
        f.args.append(query.platform)
        f.platforms = {query.platform}
    accounts = account_pairs(query, lambda name: _accounts_named(db, name),
                             lambda owner: _accounts_of_owner(db, owner))
    if accounts is not None:
        if not accounts:
            f.nothing = True
            return f
        pairs = sorted(accounts)
        f.platforms = {p for p, _ in pairs}
        f.tags.append([tag("a", f"{p}\x1f{a}") for p, a in pairs])
        f.sql.append(f"(p.platform, p.account_id) IN (VALUES {','.join(['(?, ?)'] * len(pairs))})")
        f.args.extend(v for pair in pairs for v in pair)
    _dates(f, query.since, query.until)
    return f


def page_filters(query: PageQuery) -> Filters:
    """Filters of a page search: site and dates."""
    f = Filters()
    sites = query.site_values()
    if sites:
        f.tags.append([tag("s", site) for site in sites])
        f.sql.append(f"p.site IN ({', '.join('?' * len(sites))})")
        f.args.extend(sites)
    _dates(f, query.since, query.until)
    return f


def _dates(f: Filters, since: datetime | None, until: datetime | None) -> None:
    """Inclusive bounds in China time; month and day tags narrow the full-text side when the range is short."""
    since, until = china_time(since), china_time(until)
    for clause, value in (("p.published_at >= ?", since), ("p.published_at <= ?", until)):
        if value is not None:
            for target, args in ((f.sql, f.args), (f.row_sql, f.row_args)):
                target.append(clause)
                args.append(dt_out(value))
    tags = range_tags(since, until)
    if tags:
        f.tags.append(tags)


def _accounts_named(db: sqlite3.Connection, account: str) -> set[tuple[str, str]]:
    """`account` as an account id on any platform, plus the accounts of that exact name."""
    found = {(p, account) for p in PLATFORMS}
    found |= {(r[0], r[1]) for r in db.execute("SELECT platform, account_id FROM accounts WHERE name = ?", (account,))}
    return found


def _accounts_of_owner(db: sqlite3.Connection, owner: str) -> set[tuple[str, str]]:
    """The accounts the registry lists for `owner` (by account id, or by name on that platform)."""
    found: set[tuple[str, str]] = set()
    for platform, account_id, name in db.execute(
        "SELECT platform, account_id, name FROM registry WHERE owner = ?", (owner,)
    ):
        if account_id:
            found.add((platform, account_id))
        else:
            found |= {(platform, r[0]) for r in db.execute(
                "SELECT account_id FROM accounts WHERE platform = ? AND name = ?", (platform, name))}
    return found
