"""The activity scan read ahead on a thread (ActivityReader) gives exactly what the plain scan gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.models import Account, Post
from index.sqlite import SqliteBackend
from index.sqlite_findings import activity_rows
from index.sqlite_reads import ActivityReader

AS_OF = datetime(2026, 11, 23, 10, 0)


def _store(path: Path, accounts: int) -> SqliteBackend:
    """Accounts with varied posts: some none, pinned, future, original or not, spread over 60 days."""
    store = SqliteBackend(path)
    store.setup()
    store.upsert_accounts([Account("weibo", f"a{i:04d}", f"账号{i}") for i in range(accounts)])
    posts = [Post("weibo", f"a{i:04d}", f"p{i}-{k}", text=f"第{k}条", published_at=AS_OF - timedelta(hours=7 * k + i),
                  is_original=k % 3 != 0, is_pinned=k == 5, fetched_at=AS_OF)
             for i in range(accounts) if i % 7 for k in range(i % 40)]
    posts.append(Post("weibo", "a0001", "future", text="明天", published_at=AS_OF + timedelta(days=1)))
    posts.append(Post("weibo", "zz-unknown", "orphan", text="无主", published_at=AS_OF))  # no stored account
    store.upsert_posts(posts)
    return store


def test_the_reader_gives_the_same_activity_as_the_plain_scan(tmp_path: Path) -> None:
    store = _store(tmp_path / "s.db", 3 * ActivityReader.BATCH // 40 + 50)
    try:
        since = AS_OF - timedelta(days=31)
        plain = list(activity_rows(store.db, AS_OF, since))
        read = list(store.account_activity(AS_OF, 31))
        assert isinstance(store.account_activity(AS_OF, 31), ActivityReader)
        assert read == plain
        assert sum(a.posts_total > 0 for a in read) > 100 and any(a.post_days for a in read)
    finally:
        store.close()


@pytest.fixture
def small(tmp_path: Path) -> Iterator[SqliteBackend]:
    """A store of 30 accounts (file s.db in tmp_path), closed after the test."""
    store = _store(tmp_path / "s.db", 30)
    yield store
    store.close()


def reader_of(tmp_path: Path) -> ActivityReader:
    return ActivityReader(str(tmp_path / "s.db"), AS_OF, AS_OF - timedelta(days=31))


def test_the_reader_starts_reading_before_it_is_iterated(tmp_path: Path, small: SqliteBackend) -> None:
    reader = reader_of(tmp_path)
    reader._thread.join(60)  # nobody has asked for an item yet
    assert not reader._thread.is_alive() and reader.spent[0] > 0
    assert len(list(reader)) == 30


def test_an_error_on_the_reading_thread_is_raised_to_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    sqlite3.connect(path).close()  # a file with no posts table
    reader = ActivityReader(str(path), AS_OF, AS_OF - timedelta(days=31))
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        next(reader)


def test_close_stops_the_reading_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path / "s.db", 200)
    original = ActivityReader._read

    def held_read(self: ActivityReader) -> None:
        self._stop.wait()  # the audit fails (close) before the scan has read anything
        original(self)

    monkeypatch.setattr(ActivityReader, "_read", held_read)
    try:
        reader = ActivityReader(str(tmp_path / "s.db"), AS_OF, AS_OF - timedelta(days=31))
        reader.close()
        assert not reader._thread.is_alive()
        assert reader._queue.qsize() == 0  # it stopped without reading a batch
    finally:
        store.close()


def test_a_store_that_cannot_be_opened_is_an_error_not_a_wait(tmp_path: Path) -> None:
    reader = ActivityReader(str(tmp_path / "missing.db"), AS_OF, AS_OF - timedelta(days=31))  # read-only: no create
    reader._thread.join(60)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        next(reader)


def test_progress_keeps_the_readers_close_and_time(tmp_path: Path, small: SqliteBackend) -> None:
    import io

    from ops.progress import ProgressBackend

    shown = ProgressBackend(small, "audit", stream=io.StringIO()).account_activity(AS_OF, 31)
    assert len(list(shown)) == 30
    shown.close()
    assert shown.spent[0] > 0  # the reader's own attribute, through the progress
    closed: list[ActivityReader] = []
    original = ActivityReader.close
    try:
        ActivityReader.close = lambda self: closed.append(self) or original(self)  # type: ignore[method-assign]
        ProgressBackend(small, "audit", stream=io.StringIO()).account_activity(AS_OF, 31).close()
    finally:
        ActivityReader.close = original  # type: ignore[method-assign]
    assert len(closed) == 1  # the audit's close reaches the reader under the progress


def test_an_account_stored_after_the_audit_started_is_not_judged_without_its_posts(
        tmp_path: Path, small: SqliteBackend) -> None:
    reader = reader_of(tmp_path)
    small.upsert_accounts([Account("weibo", "new-one", "新账号")])  # a crawl commits while the audit runs
    keys = {a.account.account_id for a in reader}
    assert len(keys) == 30 and "new-one" not in keys  # not reported with posts_total 0: next audit's
