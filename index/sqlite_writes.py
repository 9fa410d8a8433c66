"""SqliteBackend's writes (inside the caller's transaction): posts in batches, pages, accounts, registry.

A batch of posts is compared with what is stored (one SELECT per 500 ids),
then written with one executemany per statement: rows get explicit rowids
(the write transaction holds the lock, so max(rowid) cannot move), which
lets the FTS rows go in the same way instead of one INSERT per post.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TypeVar

from core.models import Account, Page, Post, RegistryEntry, content_hash
from index.base import WriteResult
from index.sqlite_fts import fts_values, page_tags, post_tags
from index.sqlite_rows import account_row, page_row, post_row, registry_row
from index.sqlite_schema import ACCOUNT_COLUMNS, PAGE_COLUMNS, POST_COLUMNS, REGISTRY_COLUMNS, dt_in, dt_out

T = TypeVar("T")
FTS_COLUMNS = "rowid, title, body, uni, tags"


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass
class _Stored:
    """What a stored post's update decision and FTS delete need."""

    rowid: int
    account_id: str
    title: str
    text: str
    published_at: datetime | None
    content_hash: str
    is_pinned: int
    comments: int | None


def _stored_posts(db: sqlite3.Connection, batch: list[Post]) -> dict[tuple[str, str], _Stored]:
    found: dict[tuple[str, str], _Stored] = {}
    for platform in {p.platform for p in batch}:
        ids = [p.post_id for p in batch if p.platform == platform]
        for chunk in batches(ids, 500):
            for r in db.execute(
                "SELECT rowid, post_id, account_id, title, text, published_at, content_hash, is_pinned, comments "
                f"FROM posts WHERE platform=? AND post_id IN ({','.join('?' * len(chunk))})", (platform, *chunk),
            ):
                found[(platform, r[1])] = _Stored(r[0], r[2], r[3] or "", r[4] or "", dt_in(r[5]), r[6], r[7], r[8])
    return found


def write_posts(db: sqlite3.Connection, batch: list[Post]) -> WriteResult:
    """Insert new posts, replace changed ones (FTS entry too), refresh pinned/comments of unchanged ones."""
    result = WriteResult()
    stored = _stored_posts(db, batch)
    fresh: dict[tuple[str, str], Post] = {}
    gone: list[tuple[str, _Stored]] = []
    touched: list[tuple] = []
    for post in batch:
        post.content_hash = post.content_hash or content_hash(post.title, post.text)
        key = (post.platform, post.post_id)
        prev = fresh.get(key)
        if prev is not None:  # twice in one batch: the later one is written
            same = (prev.content_hash, prev.is_pinned, prev.comments) == (post.content_hash, post.is_pinned,
                                                                         post.comments)
            result.unchanged += same
            result.updated += not same
            fresh[key] = post
            continue
        old = stored.get(key)
        if old is not None and old.content_hash == post.content_hash:
            if (old.is_pinned, old.comments) != (int(post.is_pinned), post.comments):
                touched.append((int(post.is_pinned), post.comments, dt_out(post.fetched_at), old.rowid))
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        if old is not None:
            result.updated += 1
            gone.append((post.platform, old))
        else:
            result.inserted += 1
        fresh[key] = post
    db.executemany("UPDATE posts SET is_pinned=?, comments=?, fetched_at=? WHERE rowid=?", touched)
    _delete_posts(db, gone)
    _insert_posts(db, list(fresh.values()))
    return result


def _delete_posts(db: sqlite3.Connection, gone: list[tuple[str, _Stored]]) -> None:
    # contentless FTS5 deletes by giving back the values that were indexed
    db.executemany(
        f"INSERT INTO posts_fts(posts_fts, {FTS_COLUMNS}) VALUES ('delete', ?, ?, ?, ?, ?)",
        [(old.rowid, *fts_values(old.title, old.text, post_tags(platform, old.account_id, old.published_at))[:4])
         for platform, old in gone],
    )
    db.executemany("DELETE FROM posts WHERE rowid=?", [(old.rowid,) for _, old in gone])


def _insert_posts(db: sqlite3.Connection, posts: list[Post]) -> None:
    if not posts:
        return
    first = (db.execute("SELECT max(rowid) FROM posts").fetchone()[0] or 0) + 1
    now = dt_out(datetime.now()) or ""
    rows, fts_rows = [], []
    for rowid, p in enumerate(posts, first):
        title, body, uni, tags, norm = fts_values(p.title, p.text, post_tags(p.platform, p.account_id, p.published_at))
        rows.append(post_row(rowid, p, norm, now))
        fts_rows.append((rowid, title, body, uni, tags))
    db.executemany(
        f"INSERT INTO posts (rowid, {','.join(POST_COLUMNS)}) VALUES ({','.join('?' * (len(POST_COLUMNS) + 1))})",
        rows,
    )
    db.executemany(f"INSERT INTO posts_fts({FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?)", fts_rows)


def write_accounts(db: sqlite3.Connection, batch: list[Account], now: str | None) -> WriteResult:
    """Insert or update accounts; a later record without a value keeps the stored one."""
    result = WriteResult()
    cols = ACCOUNT_COLUMNS
    sql = (
        f"INSERT INTO accounts ({','.join(cols)}) VALUES ({','.join('?' * len(cols))}) "
        "ON CONFLICT(platform, account_id) DO UPDATE SET name=COALESCE(NULLIF(excluded.name, ''), accounts.name), "
        + ", ".join(f"{c}=COALESCE(excluded.{c}, accounts.{c})" for c in cols[3:]
                    if c not in ("first_seen", "found_via", "found_on"))
    )
    for acc in batch:
        exists = db.execute(
            "SELECT 1 FROM accounts WHERE platform=? AND account_id=?", (acc.platform, acc.account_id)
        ).fetchone()
        db.execute(sql, account_row(acc, now))
        if exists:
            result.updated += 1
        else:
            result.inserted += 1
    return result


def write_pages(db: sqlite3.Connection, batch: list[Page]) -> WriteResult:
    """Insert new pages, replace changed ones (FTS entry too); links and mentions are stored either way."""
    result = WriteResult()
    insert = f"INSERT INTO pages ({','.join(PAGE_COLUMNS)}) VALUES ({','.join('?' * len(PAGE_COLUMNS))})"
    for page in batch:
        page.content_hash = page.content_hash or content_hash(page.title, page.text)
        old = db.execute(
            "SELECT rowid, site, title, text, published_at, content_hash FROM pages WHERE url=?", (page.url,)
        ).fetchone()
        _page_extras(db, page)
        if old is not None and old[5] == page.content_hash:
            result.unchanged += 1
            continue
        if old is not None:
            values = fts_values(old[2], old[3], page_tags(old[1] or "", dt_in(old[4])))
            db.execute(f"INSERT INTO pages_fts(pages_fts, {FTS_COLUMNS}) VALUES ('delete', ?, ?, ?, ?, ?)",
                       (old[0], *values[:4]))
            db.execute("DELETE FROM pages WHERE rowid=?", (old[0],))
            result.updated += 1
        else:
            result.inserted += 1
        title, body, uni, tags, norm = fts_values(page.title, page.text, page_tags(page.site, page.published_at))
        cur = db.execute(insert, page_row(page, norm))
        db.execute(f"INSERT INTO pages_fts({FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                   (cur.lastrowid, title, body, uni, tags))
    return result


def _page_extras(db: sqlite3.Connection, page: Page) -> None:
    db.executemany(
        "INSERT INTO links (page_url, url, text, status) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(page_url, url) DO UPDATE SET text=excluded.text, status=COALESCE(excluded.status, links.status)",
        [(page.url, link.url, link.text, link.status) for link in page.links],
    )
    db.executemany(
        "INSERT OR REPLACE INTO mentions (platform, name, page_url, context) VALUES (?, ?, ?, ?)",
        [(m.platform, m.name, m.page_url or page.url, m.context) for m in page.mentions],
    )


def write_registry(db: sqlite3.Connection, batch: list[RegistryEntry]) -> WriteResult:
    """Insert or replace registry rows, counting the ones that did not change."""
    result = WriteResult()
    cols = REGISTRY_COLUMNS
    sql = f"INSERT OR REPLACE INTO registry ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})"
    for e in batch:
        row = registry_row(e)
        old = db.execute(f"SELECT {','.join(cols)} FROM registry WHERE key=?", (e.key,)).fetchone()
        if old is not None and tuple(old) == row:
            result.unchanged += 1
            continue
        db.execute(sql, row)
        if old is None:
            result.inserted += 1
        else:
            result.updated += 1
    return result


def reindex(db: sqlite3.Connection) -> None:
    """Fill the (new, empty) FTS tables and norm columns from the stored rows: the schema-2 migration."""
    for r in db.execute("SELECT rowid, platform, account_id, title, text, published_at FROM posts").fetchall():
        values = fts_values(r[3], r[4], post_tags(r[1], r[2], dt_in(r[5])))
        db.execute(f"INSERT INTO posts_fts({FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?)", (r[0], *values[:4]))
        db.execute("UPDATE posts SET norm=? WHERE rowid=?", (values[4], r[0]))
    for r in db.execute("SELECT rowid, site, title, text, published_at FROM pages").fetchall():
        values = fts_values(r[2], r[3], page_tags(r[1] or "", dt_in(r[4])))
        db.execute(f"INSERT INTO pages_fts({FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?)", (r[0], *values[:4]))
        db.execute("UPDATE pages SET norm=? WHERE rowid=?", (values[4], r[0]))
