"""Crawl state and the store pipeline's checkpoints: a frontier only moves once everything is on disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from scrapy.utils.test import get_crawler

from core.models import Post
from crawler.incremental import CrawlStore
from crawler.items import DetailDone, SourceDone
from crawler.pipelines import StorePipeline
from crawler.state import CrawlState

T0 = datetime(2026, 11, 23, 10, 0)


def test_state_keeps_the_old_frontier_while_a_crawl_is_interrupted(tmp_path: Path) -> None:
    """begin marks a source in progress; a second begin before finish (a killed crawl) keeps the frontier
    of the last completed crawl; finish moves it forward and records the item count."""
    state = CrawlState(tmp_path / "s.db")
    assert state.begin("weibo", "1", T0).frontier is None
    state.finish("weibo", "1", datetime(2026, 11, 20), 12)
    second = state.begin("weibo", "1", T0)
    assert (second.frontier, second.last_items, second.resumed) == (datetime(2026, 11, 20), 12, False)
    resumed = state.begin("weibo", "1", T0)  # the crawl above was killed before it finished
    assert resumed.resumed and resumed.frontier == datetime(2026, 11, 20)
    state.finish("weibo", "1", datetime(2026, 11, 22), 3)
    assert state.begin("weibo", "1", T0).frontier == datetime(2026, 11, 22)
    state.close()


def pipeline(tmp_path: Path) -> StorePipeline:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(
        settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config), "GOVWATCH_STORE_BATCH": 1000}
    )
    crawler.spider = SimpleNamespace(reference_time=T0)  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    return store


def post(post_id: str) -> Post:
    return Post(
        "wechat", "gh_1", post_id, text="正文", published_at=datetime(2026, 11, 21), content_hash=post_id
    )


def test_checkpoint_waits_for_every_detail_and_flushes_first(tmp_path: Path) -> None:
    """SourceDone(details=2) before its articles: no checkpoint until both DetailDone items have passed,
    and then the buffered posts are written before the frontier moves."""
    store = pipeline(tmp_path)
    store.unit.begin("wechat", "gh_1", T0)  # as the spider does when it starts paging
    store.process_item(SourceDone("wechat", "gh_1", datetime(2026, 11, 21), 2, details=2))
    for post_id in ("a", "b"):
        store.process_item(post(post_id))
        store.process_item(DetailDone("wechat", "gh_1"))
        if post_id == "a":
            assert store.stats.get_value("govwatch/sources_completed") is None and store.posts
    assert store.stats.get_value("govwatch/sources_completed") == 1 and store.posts == []
    assert store.backend.known_post_ids("wechat", "gh_1") == {"a", "b"}
    assert store.unit.begin("wechat", "gh_1", T0).frontier == datetime(2026, 11, 21)
    store.close_spider()


def test_failed_detail_keeps_the_source_in_progress(tmp_path: Path) -> None:
    """A failed article leaves the old frontier, so the next crawl pages down to it again."""
    store = pipeline(tmp_path)
    store.unit.begin("wechat", "gh_1", T0)
    store.process_item(post("a"))
    store.process_item(DetailDone("wechat", "gh_1", failed=True))
    store.process_item(SourceDone("wechat", "gh_1", datetime(2026, 11, 21), 1, details=1))
    assert store.stats.get_value("govwatch/sources_incomplete") == 1
    assert store.backend.known_post_ids("wechat", "gh_1") == {"a"}  # what was fetched is kept
    assert store.unit.begin("wechat", "gh_1", T0).resumed
    store.close_spider()
