"""The store and its crawl state are one unit: a state for another store is void, a failing store fails visibly."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from core.models import Post
from crawler.incremental import CrawlStore
from crawler.items import SourceDone
from crawler.pipelines import StorePipeline
from crawler.state import CrawlState
from index.sqlite import SqliteBackend
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.crawler.sampleweb_env import NOW, CrawlEnv, expected_posts, stored_posts
from tests.paths import ROOT

T0 = datetime(2026, 11, 23, 10, 0)


def test_a_state_recorded_for_another_store_is_void(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Opened for store B, the frontiers recorded while crawling store A are cleared, with a warning."""
    state = CrawlState(tmp_path / "s.db", "store-a")
    state.begin("weibo", "1", T0)
    state.finish("weibo", "1", datetime(2026, 11, 20), 12)
    state.close()
    assert CrawlState(tmp_path / "s.db", "store-a").begin("weibo", "1", T0).frontier == datetime(2026, 11, 20)
    with caplog.at_level(logging.WARNING):
        other = CrawlState(tmp_path / "s.db", "store-b")
    assert other.voided and "belongs to store store-a, not to this store (store-b)" in caplog.text
    assert other.begin("weibo", "1", T0).frontier is None


def test_a_state_without_a_store_id_is_void_for_any_store(tmp_path: Path) -> None:
    """A state file from before store identities (or of an unknown store) cannot vouch for any store."""
    old = CrawlState(tmp_path / "s.db")
    old.finish("weibo", "1", datetime(2026, 11, 20), 12)
    old.close()
    state = CrawlState(tmp_path / "s.db", "store-a")
    assert state.voided and state.begin("weibo", "1", T0).frontier is None


def test_every_store_has_its_own_identity(tmp_path: Path) -> None:
    first, second = SqliteBackend(tmp_path / "a.db"), SqliteBackend(tmp_path / "b.db")
    first.setup()
    second.setup()
    assert first.store_id() != second.store_id()
    again = SqliteBackend(tmp_path / "a.db")
    again.setup()
    assert again.store_id() == first.store_id()


def test_a_deleted_store_is_crawled_in_full_again(tmp_path: Path) -> None:
    """The store file is deleted between two crawls: the second crawl voids the state and fetches every
    post again (before, the old frontiers made it stop early and the lost posts stayed lost)."""
    world = generate(seed=4, accounts=8, posts=12, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as web:
        env = CrawlEnv(web, tmp_path)
        env.write_config()
        assert env.crawl(["weibo"])["weibo"]["problems"] == []
        expected = expected_posts(world, ("weibo",))
        assert set(stored_posts(env.db)) == expected
        for suffix in ("", "-wal", "-shm"):
            Path(f"{env.db}{suffix}").unlink(missing_ok=True)
        again = env.crawl(["weibo"])["weibo"]
    assert again["problems"] == [] and again["stats"]["govwatch/crawl_state_voided"] == 1
    assert set(stored_posts(env.db)) == expected


def store_pipeline(tmp_path: Path) -> StorePipeline:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config),
                                         "GOVWATCH_STORE_BATCH": 1})  # fmt: skip
    crawler.spider = SimpleNamespace(reference_time=T0, name="weibo")  # type: ignore[assignment]
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def post(post_id: str) -> Post:
    return Post("weibo", "1", post_id, text="正文", published_at=datetime(2026, 11, 21))


def test_a_store_deleted_mid_crawl_stops_storing_and_records_no_checkpoint(tmp_path: Path) -> None:
    """Writes into a deleted store file are refused (SQLite would write into the unlinked file without a
    word); the item is dropped and counted, the error named, and the source's frontier is not recorded."""
    pipeline = store_pipeline(tmp_path)
    pipeline.unit.begin("weibo", "1", T0)
    pipeline.process_item(post("a"))
    os.unlink(tmp_path / "store.db")
    with pytest.raises(DropItem, match="store.db: the store file was deleted while in use"):
        pipeline.process_item(post("b"))
    with pytest.raises(DropItem):
        pipeline.process_item(SourceDone("weibo", "1", datetime(2026, 11, 21), 2))
    stats = pipeline.stats.get_stats()
    assert stats["govwatch/items_dropped/store_failed"] == 2 and "deleted" in stats["govwatch/store_error"]
    assert "govwatch/sources_completed" not in stats
    pipeline.close_spider()
    assert CrawlState(tmp_path / "crawl_state.db").begin("weibo", "1", T0).resumed  # still in progress


def test_an_unusable_store_fails_each_spider_with_its_reason_and_the_summary_is_printed(tmp_path: Path) -> None:
    """A store SQLite cannot open (the path is a directory): every spider ends `store failed` with the
    reason, the next one still runs, `govwatch crawl` prints its summary and exits 1, and nothing crashes."""
    (tmp_path / "store.db").mkdir()
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n[sources]\n'
                      'weibo_uids = ["1"]\nbilibili_uids = ["2"]\n', encoding="utf-8")  # fmt: skip
    run = subprocess.run([sys.executable, "-m", "govwatch", "--config", str(config), "crawl", "weibo", "bilibili"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = run.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["weibo", "bilibili"]
    assert all("FAILED: store failed:" in line and "cannot open SQLite store" in line for line in lines)
