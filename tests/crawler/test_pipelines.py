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


def run_items(items: list, tmp_path: Path) -> tuple[SqliteBackend, dict, list[str]]:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config)})
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
