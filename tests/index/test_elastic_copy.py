"""`govwatch index copy` and `index migrate` on the real node."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry
from govwatch.cli import main
from index.base import PostQuery
from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic import indices as I
from index.sqlite import SqliteBackend

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)


def fill(store: SqliteBackend) -> None:
    store.upsert_accounts([Account("weibo", "1", "永州发布"), Account("wechat", "gh_1", "永州人社")])
    store.upsert_posts([Post("weibo", "1", f"p{i}", text=f"医保缴费通知{i}", published_at=T0 - timedelta(days=i))
                        for i in range(25)])
    store.upsert_pages([Page(url="http://gov.example/a", site="gov.example", title="通知", text="关注永州发布",
                             links=[Link("http://x/1", "一", 404)], mentions=[AccountMention("永州发布", "weibo")])])
    store.upsert_registry([RegistryEntry("永州发布", "weibo", "1", owner="永州市政府")])
    finding = Finding("dormant", "veto", "account", "wechat:gh_1", "dormant", "2026.11", {"days": 30})
    store.save_findings([finding], rule_ids=["dormant"], as_of=T0)
    store.save_findings([], rule_ids=["dormant"], as_of=T0 + timedelta(days=1))  # now resolved


def run_cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    return int(exit_.value.code or 0)


def test_index_copy_moves_a_sqlite_store_into_elasticsearch_once(
        es_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite = SqliteBackend(tmp_path / "store.db")
    sqlite.setup()
    fill(sqlite)
    prefix = f"copy{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("GOVWATCH_ES_PREFIX", prefix)
    monkeypatch.setenv("GOVWATCH_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text(f'[store]\nes_spool = "{tmp_path / "spool.db"}"\n', encoding="utf-8")
    assert run_cli("index", "copy", "--from", "sqlite", "--to", "elasticsearch") == 0
    assert run_cli("index", "copy", "--from", "sqlite", "--to", "elasticsearch") == 0  # again: no duplicates
    es = ElasticsearchBackend(EsConfig(url=es_url, prefix=prefix, spool=str(tmp_path / "spool2.db")))
    try:
        assert es.counts() == sqlite.counts()
        assert [f.status for f in es.list_findings(status=None)] == ["resolved"]
        assert list(es.iter_links()) == list(sqlite.iter_links())
        assert list(es.iter_registry()) == list(sqlite.iter_registry())
        assert es.search_posts(PostQuery(q="医保", limit=50)).total == 25
    finally:
        I.drop_all(es.client, prefix)
        es.close()
        sqlite.close()


def test_migrate_answers_searches_throughout_the_move(es_url: str, tmp_path: Path) -> None:
    es = ElasticsearchBackend(EsConfig(url=es_url, prefix=f"mig{uuid.uuid4().hex[:10]}",
                                       spool=str(tmp_path / "spool.db")))
    es.setup()
    es.upsert_posts([Post("weibo", "1", f"p{i}", text=f"防汛通知 {i}") for i in range(3000)])
    es.fresh("posts")
    totals: list[int] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            totals.append(es.search_posts(PostQuery(q="防汛")).total)

    reader = threading.Thread(target=search)
    reader.start()
    try:
        moved = I.migrate(es.client, es.prefix, "posts", force=True)
    finally:
        stop.set()
        reader.join()
    assert moved["copied"] >= 3000 and I.current_index(es.client, es.prefix, "posts") == moved["to"]
    assert totals and set(totals) == {3000}  # every search during the move saw every post exactly once
    I.drop_all(es.client, es.prefix)
    es.close()
