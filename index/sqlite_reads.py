"""Streamed reads of the SQLite store that the audit makes over every post."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote

from core.models import Post
from index import sqlite_schema as S
from index.base import AccountActivity
from index.sqlite_findings import activity_rows
from index.sqlite_rows import to_post


def activity(db: sqlite3.Connection, path: str, as_of: datetime, window_days: int) -> Iterator[AccountActivity]:
    """Per-account activity over the window, read on its own connection for a file store."""
    since = as_of - timedelta(days=window_days)
    if path == ":memory:":
        yield from activity_rows(db, as_of, since)
        return
    # Every post is read once: through SQLite's small page cache, not the readers' 2 GiB map,
    # whose touched pages would count as the audit's memory as the posts table grows.
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        yield from activity_rows(conn, as_of, since)
    finally:
        conn.close()


def posts_between(conn: sqlite3.Connection, after: datetime | None, until: datetime | None,
                  newest_first: bool) -> Iterator[Post]:
    """Posts published after `after` and until `until` (each optional), streamed."""
    where, args = [], []
    for clause, when in (("published_at > ?", after), ("published_at <= ?", until)):
        if when is not None:
            where.append(clause)
            args.append(S.dt_out(when))
    sql = "SELECT * FROM posts" + (" WHERE " + " AND ".join(where) if where else "")
    order = "published_at DESC, platform, post_id" if newest_first else "platform, post_id"
    for row in conn.execute(f"{sql} ORDER BY {order}", args):
        yield to_post(row)


def post_accounts(conn: sqlite3.Connection, after: datetime | None,
                  before: datetime | None) -> Iterator[tuple[str, str]]:
    """(platform, account_id) of every account with a post published after `after` and before `before`."""
    where, args = [], []
    for clause, when in (("published_at > ?", after), ("published_at < ?", before)):
        if when is not None:
            where.append(clause)
            args.append(S.dt_out(when))
    sql = "SELECT DISTINCT platform, account_id FROM posts" + (" WHERE " + " AND ".join(where) if where else "")
    for row in conn.execute(f"{sql} ORDER BY platform, account_id", args):
        yield row[0], row[1]


# A page URL up to the end of its authority ("https://www.yz.gov.cn:8080"): the text before the first
# "/" after "://" (a URL without a path keeps its query; host_key still finds the host). One row per
# distinct (origin, site), grouped inside SQLite: the site map needs no row per page.
_ORIGINS = """
SELECT CASE WHEN s = 0 THEN url WHEN slash = 0 THEN url ELSE substr(url, 1, s + 1 + slash) END AS origin, site
FROM (SELECT url, site, instr(url, '://') AS s, instr(substr(url, instr(url, '://') + 3), '/') AS slash
      FROM pages WHERE site IS NOT NULL AND site != '')
GROUP BY origin, site ORDER BY origin, site
"""


def page_origins(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """Each distinct (URL origin, site) of the stored pages that have a site."""
    for row in conn.execute(_ORIGINS):
        yield row[0], row[1]
