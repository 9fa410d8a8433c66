"""SQLite schema and row conversion for SqliteBackend."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 3  # 2: bigram FTS with uni/tags columns, norm columns; 3: day tags (index/sqlite_fts.py)
# posts_by_account's columns: covering the audit's activity scan. A store whose index has fewer (made before
# it did) is brought up to date by setup() without a new schema version (readers of schema 3 stay valid).
ACTIVITY_INDEX_COLUMNS = 5

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS accounts (
  platform TEXT NOT NULL, account_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT,
  verified INTEGER, verified_reason TEXT, verified_type TEXT, followers INTEGER,
  posts_count INTEGER, found_via TEXT, found_on TEXT, state TEXT,
  interaction_enabled INTEGER, created_at TEXT, first_seen TEXT, last_seen TEXT,
  PRIMARY KEY (platform, account_id)
);
CREATE TABLE IF NOT EXISTS posts (
  platform TEXT NOT NULL, post_id TEXT NOT NULL, account_id TEXT NOT NULL, url TEXT,
  title TEXT, text TEXT, published_at TEXT, is_original INTEGER, is_pinned INTEGER,
  is_repost INTEGER, comments INTEGER, replies INTEGER, fetched_at TEXT, content_hash TEXT, norm TEXT,
  PRIMARY KEY (platform, post_id)
);
-- covering for the audit's grouped activity scan (index/sqlite_findings.py activity_rows): the scan
-- of millions of posts reads this index alone, never the table
CREATE INDEX IF NOT EXISTS posts_by_account ON posts (platform, account_id, published_at, is_pinned, is_original);
CREATE INDEX IF NOT EXISTS posts_by_time ON posts (published_at);
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(
  title, body, uni, tags, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts_vocab USING fts5vocab(posts_fts, 'row');
CREATE TABLE IF NOT EXISTS pages (
  url TEXT PRIMARY KEY, site TEXT, title TEXT, column_name TEXT, published_at TEXT,
  text TEXT, html TEXT, encoding TEXT, fetched_at TEXT, content_hash TEXT, norm TEXT
);
CREATE INDEX IF NOT EXISTS pages_by_time ON pages (published_at);
CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts USING fts5(
  title, body, uni, tags, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts_vocab USING fts5vocab(pages_fts, 'row');
CREATE TABLE IF NOT EXISTS links (
  page_url TEXT NOT NULL, url TEXT NOT NULL, text TEXT, status INTEGER, checked_at TEXT,
  PRIMARY KEY (page_url, url)
);
CREATE TABLE IF NOT EXISTS mentions (
  platform TEXT NOT NULL, name TEXT NOT NULL, page_url TEXT NOT NULL, context TEXT,
  PRIMARY KEY (platform, name, page_url)
);
CREATE TABLE IF NOT EXISTS registry (
  key TEXT PRIMARY KEY, name TEXT NOT NULL, platform TEXT NOT NULL, account_id TEXT,
  owner TEXT, supervisor TEXT, registry_no TEXT, is_primary INTEGER, status TEXT,
  registered_at TEXT
);
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, severity TEXT NOT NULL,
  subject_type TEXT NOT NULL, subject_key TEXT NOT NULL, rule_id TEXT NOT NULL,
  ruleset_version TEXT NOT NULL, evidence TEXT, detected_at TEXT, status TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS findings_open ON findings (status, rule_id, subject_key);
CREATE INDEX IF NOT EXISTS findings_kind ON findings (kind, status);
CREATE INDEX IF NOT EXISTS findings_subject ON findings (subject_key, status);
"""

ACCOUNT_COLUMNS = (
    "platform", "account_id", "name", "url", "verified", "verified_reason", "verified_type",
    "followers", "posts_count", "found_via", "found_on", "state", "interaction_enabled",
    "created_at", "first_seen", "last_seen",
)
POST_COLUMNS = (
    "platform", "post_id", "account_id", "url", "title", "text", "published_at", "is_original",
    "is_pinned", "is_repost", "comments", "replies", "fetched_at", "content_hash", "norm",
)
PAGE_COLUMNS = (
    "url", "site", "title", "column_name", "published_at", "text", "html", "encoding",
    "fetched_at", "content_hash", "norm",
)
REGISTRY_COLUMNS = (
    "key", "name", "platform", "account_id", "owner", "supervisor", "registry_no",
    "is_primary", "status", "registered_at",
)


def migrate(db: sqlite3.Connection) -> bool:
    """Bring an older store's tables up to date; True when its full-text index must be rebuilt.

    Schema 1 indexed one character per token in two columns; schema 2 had
    no day tags. Their FTS tables are dropped (the DDL then creates the new
    ones) and refilled from the rows. A posts_by_account made before it covered
    the activity scan is dropped, and the DDL builds it again (once: minutes on
    millions of posts).
    """
    for table in ("posts", "pages"):
        columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
        if columns and "norm" not in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN norm TEXT")
    if 0 < activity_index_columns(db) < ACTIVITY_INDEX_COLUMNS:
        db.execute("DROP INDEX posts_by_account")
    if not {r[1] for r in db.execute("PRAGMA table_info(posts_fts)")}:
        return False  # a new store
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version and version[0] == str(SCHEMA_VERSION):
        return False
    for table in ("posts_fts", "pages_fts"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    return True


def activity_index_columns(db: sqlite3.Connection) -> int:
    """Columns of the posts_by_account index (0 when there is none yet)."""
    return len(db.execute("PRAGMA index_info(posts_by_account)").fetchall())


def dt_out(value: datetime | None) -> str | None:
    """Datetimes are stored as sortable 'YYYY-MM-DD HH:MM:SS' text (China time)."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None


def dt_in(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def bool_in(value: Any) -> bool | None:
    return None if value is None else bool(value)
