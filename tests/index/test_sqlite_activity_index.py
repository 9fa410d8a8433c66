"""The audit's activity scan reads posts_by_account alone (a covering index), also on a store made before it was."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from index.sqlite import SqliteBackend
from index.sqlite_findings import activity_rows

COVERING = ["platform", "account_id", "published_at", "is_pinned", "is_original"]


def _columns(store: SqliteBackend) -> list[str]:
    return [r[2] for r in store.db.execute("PRAGMA index_info(posts_by_account)")]


def _plan(store: SqliteBackend) -> str:
    """The query plan of the activity scan's grouped post query, as SQLite reports it."""
    sql: list[str] = []
    store.db.set_trace_callback(sql.append)
    list(activity_rows(store.db, datetime(2026, 11, 23), datetime(2026, 10, 23)))
    store.db.set_trace_callback(None)
    grouped = next(s for s in sql if "GROUP BY" in s)
    return " ".join(str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + grouped))


def test_a_new_store_scans_activity_from_the_covering_index(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    try:
        assert _columns(store) == COVERING
        assert "COVERING INDEX posts_by_account" in _plan(store)
    finally:
        store.close()


def test_setup_rebuilds_the_narrow_index_of_an_older_store(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "s.db")
    store.setup()
    store.db.execute("DROP INDEX posts_by_account")
    store.db.execute("CREATE INDEX posts_by_account ON posts (platform, account_id, published_at)")
    store.db.commit()
    store.close()
    store = SqliteBackend(tmp_path / "s.db")
    try:
        assert "COVERING" not in _plan(store)
        store.setup()
        assert _columns(store) == COVERING
        assert "COVERING INDEX posts_by_account" in _plan(store)
    finally:
        store.close()
