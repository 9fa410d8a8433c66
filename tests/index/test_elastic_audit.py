"""The audit on Elasticsearch at bench scale, small: the raw bulk load, the per-page activity ranges,
and the same findings as on SQLite with the impersonation checks in worker processes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import audit.impersonation.worker as worker
from audit.runner import run_audit
from core.config import Settings
from core.errors import StoreError
from core.models import Account, Post, content_hash
from index.elastic import ElasticsearchBackend
from index.elastic import activity as A
from index.elastic.bulkload import post_line, send_lines
from index.sqlite import SqliteBackend
from sampleweb.bulk import BulkWorld, fill_store

pytestmark = pytest.mark.es
NOW = datetime(2026, 11, 23, 10, 0)
T0 = datetime(2026, 11, 1, 9, 0)


def load_raw(es: ElasticsearchBackend, posts: list[Post], max_bytes: int = 1 << 20) -> int:
    """The bench's load path: `create` lines without the searched field, then one refresh."""
    sent = send_lines(es.client, es.index("posts"), (post_line(p, full_text=False) for p in posts), max_bytes,
                      shard_wait=es.writer.shard_wait)
    es.client.indices.refresh(index=es.index("posts"))
    return sent


def test_a_raw_load_stores_what_upsert_stores_and_a_second_load_of_the_same_posts_fails(
        es: ElasticsearchBackend) -> None:
    posts = [Post("weibo", "1", f"p{i}", "", "标题", f"正文{i}", T0, "", True) for i in range(40)]
    assert load_raw(es, posts[:20], max_bytes=4000) == 20  # several bodies of about 4,000 bytes
    es.upsert_posts(posts[20:])
    es.fresh("posts")
    raw, upserted = (es.client.get(index=es.index("posts"), id=f"weibo:p{i}")["_source"] for i in (0, 20))
    differ = {"post_id", "text", "content_hash", "seq", "fetched_at"}  # the post's own values and write times
    assert {k: v for k, v in raw.items() if k not in differ} == {k: v for k, v in upserted.items() if k not in differ}
    assert raw["content_hash"] == content_hash("标题", "正文0") and raw.keys() == upserted.keys()
    with pytest.raises(StoreError, match="rejected 1 documents"):
        load_raw(es, posts[:1])  # `create`: an existing post is an error, never silently skipped
    assert es.counts()["posts"] == 40


def test_activity_pages_cover_their_own_accounts_only(es: ElasticsearchBackend,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(A, "PAGE", 2)  # pages: (wechat 1, weibo 1), (weibo 3, weibo 5), (weibo 7)
    es.upsert_accounts([Account("wechat", "1", "甲"), *(Account("weibo", str(i), f"乙{i}") for i in (1, 3, 5, 7))])
    # posts of unknown accounts between and around the pages' keys, and of the wechat account's twin id on weibo
    ids = ["1", "1", "2", "3", "4", "5", "6", "7", "8"]
    es.upsert_posts([Post("weibo", a, f"w{n}", "", "", "x", T0 - timedelta(days=n)) for n, a in enumerate(ids)])
    es.upsert_posts([Post("wechat", "1", "c", "", "", "y", T0 - timedelta(days=40), is_original=True)])
    rows = [(r.account.platform, r.account.account_id, r.posts_total, r.last_post_at, r.last_original_at)
            for r in es.account_activity(T0, 14)]
    assert rows == [
        ("wechat", "1", 1, T0 - timedelta(days=40), T0 - timedelta(days=40)),
        ("weibo", "1", 2, T0, None),
        ("weibo", "3", 1, T0 - timedelta(days=3), None),
        ("weibo", "5", 1, T0 - timedelta(days=5), None),
        ("weibo", "7", 1, T0 - timedelta(days=7), None),
    ]
    days = {(r.account.platform, r.account.account_id): r.post_days for r in es.account_activity(T0, 14)}
    assert days[("weibo", "1")] == {date(2026, 10, 31), date(2026, 11, 1)} and days[("wechat", "1")] == set()


def test_the_audit_finds_the_same_on_elasticsearch_as_on_sqlite(es: ElasticsearchBackend, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/audit.py's store at 300 accounts: the same findings (rule, subject, kind, severity) on both
    backends, with the impersonation checks in worker processes that read candidates from the index."""
    monkeypatch.setattr(worker, "MIN_ACCOUNTS", 1)
    sqlite = SqliteBackend(str(tmp_path / "a.db"))
    sqlite.setup()
    fill_store(sqlite, accounts=300, posts=6_000, seed=7, now=NOW)
    fill_store(es, accounts=300, posts=6_000, seed=7, now=NOW, with_posts=False)
    assert load_raw(es, list(BulkWorld(7, 300, 6_000, NOW).posts())) == sqlite.counts()["posts"]
    # a spy on the workers: a swallowed start failure would check in process and still find the same
    started: dict[str, list[Any]] = {"sqlite": [], "elasticsearch": []}
    answered: dict[str, int] = {"sqlite": 0, "elasticsearch": 0}
    real_start, real_answers = worker.start, worker.CheckWorker.answers

    def spy_start(*args: Any, **kwargs: Any) -> Any:
        started[name].append(real_start(*args, **kwargs))
        return started[name][-1]

    def spy_answers(self: worker.CheckWorker, key: Any) -> Any:
        answered[name] += 1
        return real_answers(self, key)

    monkeypatch.setattr(worker, "start", spy_start)
    monkeypatch.setattr(worker.CheckWorker, "answers", spy_answers)
    found = {}
    for name, store in (("sqlite", sqlite), ("elasticsearch", es)):
        summary = run_audit(store, Settings(), NOW)
        assert summary.accounts == 300
        found[name] = {(f.rule_id, f.subject_key, f.kind, f.severity) for f in store.list_findings()}
    sqlite.close()
    assert [type(w) for w in started["elasticsearch"]] == [worker.CheckWorker] and answered["elasticsearch"] > 0
    assert found["elasticsearch"] == found["sqlite"]
    kinds = {kind for _, _, kind, _ in found["sqlite"]}
    assert len(found["sqlite"]) > 100 and {"impersonation", "unregistered", "dormant", "zombie"} <= kinds
