"""crawler.store_writer: the store pipeline's batches written on a thread, in order, checkpoints after them."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.utils.test import get_crawler

from core.models import Post
from crawler.incremental import CrawlStore
from crawler.items import SourceDone
from crawler.pipelines import StorePipeline
from crawler.state import CrawlState

T0 = datetime(2026, 11, 23, 10, 0)


def threaded_store(tmp_path: Path, **settings: Any) -> StorePipeline:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config),
                                         "GOVWATCH_STORE_THREAD": True, "GOVWATCH_STORE_BATCH": 1, **settings})  # fmt: skip
    crawler.spider = SimpleNamespace(reference_time=T0, name="t")  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    assert store.thread is not None
    return store


def post(post_id: str) -> Post:
    return Post("weibo", "1", post_id, text="正文", published_at=datetime(2026, 11, 21), content_hash=post_id)


def held_posts(store: StorePipeline) -> tuple[threading.Event, list[int]]:
    """Make the writer thread wait in its next post write until the event is set; the sizes it wrote."""
    gate, sizes = threading.Event(), []
    write = store.backend.upsert_posts

    def slow(posts: list[Post]) -> Any:
        gate.wait(timeout=120)  # a bound for a test that failed before opening it
        sizes.append(len(posts))
        return write(posts)

    store.backend.upsert_posts = slow  # type: ignore[method-assign]
    return gate, sizes


def in_progress(tmp_path: Path) -> bool:
    state = CrawlState(tmp_path / "crawl_state.db")
    try:
        return state.begin("weibo", "1", T0).resumed
    finally:
        state.close()


def test_a_checkpoint_is_recorded_only_after_the_posts_before_it_are_committed(tmp_path: Path) -> None:
    store = threaded_store(tmp_path)
    store.unit.begin("weibo", "1", T0)
    gate, sizes = held_posts(store)
    for post_id in ("a", "b", "c"):
        store.process_item(post(post_id))  # each fills a batch of one: queued for the writer
    store.process_item(SourceDone("weibo", "1", datetime(2026, 11, 21), 3))
    assert in_progress(tmp_path) and store.stats.get_value("govwatch/sources_completed") is None
    gate.set()
    store.close_spider()
    assert store.backend.known_post_ids("weibo", "1") == {"a", "b", "c"}
    assert store.stats.get_value("govwatch/sources_completed") == 1 and not in_progress(tmp_path)
    assert store.stats.get_value("govwatch/stored/posts_inserted") == 3
    assert sum(sizes) == 3 and len(sizes) <= 2  # what queued up while the writer waited went in one write


def test_a_failed_write_on_the_thread_drops_and_counts_the_rest_and_records_no_checkpoint(tmp_path: Path) -> None:
    store = threaded_store(tmp_path)
    store.unit.begin("weibo", "1", T0)
    gate, _ = held_posts(store)
    store.process_item(post("a"))
    os.unlink(tmp_path / "store.db")  # the writer finds the store gone when it writes
    store.process_item(post("b"))
    store.process_item(SourceDone("weibo", "1", datetime(2026, 11, 21), 2))
    gate.set()
    store.close_spider()
    stats = store.stats.get_stats()
    assert stats["govwatch/items_dropped/store_failed"] == 2 and "deleted" in stats["govwatch/store_error"]
    assert "govwatch/sources_completed" not in stats and "govwatch/stored/posts_inserted" not in stats
    assert store.unit.failure
    assert in_progress(tmp_path)  # the frontier did not move past posts that were not stored


def test_an_in_memory_store_is_written_on_the_crawl_thread(tmp_path: Path) -> None:
    """Its searches read through the writer's own connection: no second thread may write on it."""
    config = tmp_path / "govwatch.toml"
    config.write_text('[store]\nsqlite_path = ":memory:"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config),
                                         "GOVWATCH_STORE_THREAD": True,
                                         "GOVWATCH_STATE_PATH": str(tmp_path / "state.db")})  # fmt: skip
    crawler.spider = SimpleNamespace(reference_time=T0, name="t")  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    assert not store.unit.failure and store.thread is None
    store.close_spider()


def test_a_failed_write_on_the_thread_stops_storing_on_the_crawl_thread_at_once(tmp_path: Path) -> None:
    """In a crawl (an event loop runs) the writer's failure reaches the crawl thread before the spider closes:
    later items are dropped there, counted, and the store error is set."""
    import asyncio

    import pytest
    from scrapy.exceptions import DropItem

    async def crawl() -> StorePipeline:
        store = threaded_store(tmp_path)
        assert store.call_here is not None
        store.process_item(post("a"))
        await until(lambda: store.stats.get_value("govwatch/stored/posts_inserted") == 1)  # written
        os.unlink(tmp_path / "store.db")
        store.process_item(post("b"))
        await until(lambda: bool(store.unit.failure))
        return store

    async def until(done: Any) -> None:
        for _ in range(6000):  # at most 120 s, returning as soon as it is done
            if done():
                return
            await asyncio.sleep(0.02)

    store = asyncio.run(crawl())
    assert "deleted" in store.unit.failure
    with pytest.raises(DropItem):
        store.process_item(post("c"))
    store.close_spider()
    stats = store.stats.get_stats()
    assert stats["govwatch/stored/posts_inserted"] == 1  # "a" was written before the file went
    assert stats["govwatch/items_dropped/store_failed"] == 2  # "b", then "c"


def test_a_bug_in_a_queued_job_fails_the_store_but_never_stops_the_writer(tmp_path: Path) -> None:
    """Were the thread to end, the pipeline would wait forever on its full queue (the crawl would hang)."""
    from crawler.store_writer import MAX_JOBS

    store = threaded_store(tmp_path)
    assert store.thread is not None
    store.thread.then(lambda: [][0])  # type: ignore[func-returns-value]
    for i in range(MAX_JOBS + 5):  # more than the queue holds: only a live writer takes them
        store.thread.write([], [], [post(f"p{i}")])
    store.close_spider()
    assert "IndexError" in store.unit.failure
    assert store.stats.get_value("govwatch/items_dropped/store_failed") == MAX_JOBS + 5
