"""Pipelines: normalise, validate (drop with a counted reason, others unaffected), store idempotently."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from core.models import Account, Post
from crawler.incremental import CrawlStore
from crawler.pipelines import NormalisePipeline, StorePipeline, ValidatePipeline
from index.base import PostQuery
from index.sqlite import SqliteBackend

REF = datetime(2026, 11, 23, 10, 0)


def run_items(items: list, tmp_path: Path, **settings: object) -> tuple[SqliteBackend, dict, list[str]]:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    crawler = get_crawler(
        settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config), **settings}
    )
    crawler.spider = SimpleNamespace(reference_time=REF)  # type: ignore[assignment]
    stages = [
        NormalisePipeline.from_crawler(crawler),
        ValidatePipeline.from_crawler(crawler),
        StorePipeline.from_crawler(crawler),
    ]
    stages[2].open_spider()
    dropped = []
    for item in items:
        try:
            for stage in stages:
                item = stage.process_item(item)
        except DropItem as exc:
            dropped.append(str(exc))
    stages[2].close_spider()
    backend = SqliteBackend(tmp_path / "s.db")
    return backend, crawler.stats.get_stats(), dropped


def test_invalid_item_is_dropped_with_reason_and_counted_and_others_are_stored(tmp_path: Path) -> None:
    items = [
        Account("weibo", "1", "  测试\u3000发布 "),
        Post("weibo", "1", "good", text="医保  提醒", published_raw="3天前"),
        Post("weibo", "1", "bad-date", text="x", published_raw="某天"),
        Post("myspace", "1", "bad-platform", text="x", published_raw="昨天 10:00"),
        Post("weibo", "1", "future", text="x", published_at=datetime(2027, 1, 1)),
        Post("weibo", "1", "good2", text="y", published_raw="2026-11-01"),
    ]
    backend, stats, dropped = run_items(items, tmp_path)
    assert stats["govwatch/items_dropped/invalid_date"] == 2
    assert stats["govwatch/items_dropped/invalid_platform"] == 1
    assert any("某天" in reason for reason in dropped) and any("myspace" in reason for reason in dropped)
    assert backend.counts()["posts"] == 2 and stats["govwatch/stored/posts_inserted"] == 2
    (acc,) = backend.iter_accounts()
    assert acc.name == "测试 发布"


def test_relative_dates_resolve_against_the_crawl_reference_time(tmp_path: Path) -> None:
    backend, _, _ = run_items([Post("weibo", "1", "p", text="x", published_raw="昨天 12:30")], tmp_path)
    (hit,) = backend.search_posts(PostQuery()).hits
    assert hit.item.published_at == datetime(2026, 11, 22, 12, 30)


@pytest.mark.parametrize("repeat", [2, 3])
def test_storing_the_same_items_again_adds_nothing(tmp_path: Path, repeat: int) -> None:
    items = [Post("weibo", "1", f"p{i}", text=f"第{i}条", published_raw="2026-11-01") for i in range(5)]
    for _ in range(repeat):
        backend, stats, _ = run_items([Post(**vars(p)) for p in items], tmp_path)
    assert backend.counts()["posts"] == 5
    assert stats["govwatch/stored/posts_unchanged"] == 5


def test_items_held_past_the_time_limit_are_written_when_the_next_arrives_and_none_is_lost(tmp_path: Path) -> None:
    """GOVWATCH_STORE_SECONDS=0: each item flushes the ones before it; the item that triggered the flush is
    buffered for the next write (not lost with the written batch), and close writes the last ones."""
    items = [Account("weibo", "1", "发布"), *(Post("weibo", "1", f"p{i}", text=f"第{i}条",
             published_raw="2026-11-01") for i in range(4)), Account("weibo", "2", "另一个")]  # fmt: skip
    backend, stats, dropped = run_items(items, tmp_path, GOVWATCH_STORE_SECONDS=0)
    assert dropped == [] and backend.counts()["posts"] == 4
    assert stats["govwatch/stored/posts_inserted"] == 4 and stats["govwatch/stored/accounts_inserted"] == 2


def test_a_store_deleted_before_the_batch_is_written_drops_and_counts_every_buffered_item(tmp_path: Path) -> None:
    """Accounts, pages and posts wait in one buffer: a failed write drops each of them, counted once."""
    import os

    from core.models import Page

    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config)})
    crawler.spider = SimpleNamespace(reference_time=REF, name="t")  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    for item in (Account("weibo", "1", "发布"), Page(url="http://gov.test/a.html", site="gov.test", title="通知"),
                 Post("weibo", "1", "p1", text="x", published_at=REF), Post("weibo", "1", "p2", text="y", published_at=REF)):  # fmt: skip
        store.process_item(item)
    os.unlink(tmp_path / "s.db")
    store.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["govwatch/items_dropped/store_failed"] == 4 and "deleted" in stats["govwatch/store_error"]
    assert not any(key.startswith("govwatch/stored/") for key in stats)


def test_a_write_failing_after_part_of_the_batch_is_stored_counts_only_what_was_not(tmp_path: Path) -> None:
    """Accounts are written before pages: when the pages' write fails, the account that filled the batch is
    on disk and is not counted as dropped; the page is."""
    from core.errors import StoreError
    from core.models import Page

    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config),
                                         "GOVWATCH_STORE_BATCH": 2})
    crawler.spider = SimpleNamespace(reference_time=REF, name="t")  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()

    def refuse(pages: object) -> None:
        raise StoreError("pages refused")

    store.backend.upsert_pages = refuse  # type: ignore[method-assign]
    store.process_item(Page(url="http://gov.test/a.html", site="gov.test", title="通知"))
    with pytest.raises(DropItem):
        store.process_item(Account("weibo", "1", "发布"))  # fills the batch: accounts written, then pages fail
    stats = crawler.stats.get_stats()
    assert stats["govwatch/items_dropped/store_failed"] == 1
    assert stats["govwatch/stored/accounts_inserted"] == 1
